"""Documents → events, incrementally, across languages, whatever order they arrive in.

Documents are first cut into units (`recoupe.units`): a normal article is one
unit, a live blog one per entry and per lead paragraph group, and a paragraph
made only of old dates a BACKGROUND unit that links to the event it recalls
without joining it.

Whether two units report one event is decided by a model learned from labelled
pairs (`recoupe.event_pairs`); units become events by average linkage over
those pair probabilities, under one constraint analysts expect: an event covers
a bounded span of days (`max_span_days`), so two raids ten months apart never
merge, whatever their words.

`EventClusterer.add` re-decides, for each batch, the events its units touch
and the units they are close to in time and words: a unit can move, and events
can merge or split, so the grouping does not depend on the order or the size of
the batches. Candidates come from inverted indexes by week, capped per posting,
so the cost of a batch does not grow with the store. A unit whose days are not
known is judged on its words, and decided again when its event is next touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from recoupe.event_pairs import PairModel, Rarity, UnitEvidence, load_pair_model, pair_evidence
from recoupe.lang import LanguageResources
from recoupe.model import Analysis, CorpusResults, Document, EventLink, EventRole
from recoupe.settings import EventSettings
from recoupe.units import DateCertainty, Unit, UnitBuilder, Window

__all__ = ["EventClusterer", "average_linkage", "cluster_corpus", "unit_id", "sure_window"]


def unit_id(document_id: str, start: int) -> str:
    return "ev-" + hashlib.sha1(f"{document_id}:{start}".encode()).hexdigest()[:16]


def _key(unit: Unit) -> str:
    return unit_id(unit.document_id, unit.start)


def sure_window(unit: Unit) -> Window | None:
    """The unit's days when they bound its event: stated to the day by the page or its text."""
    window = unit.window
    if window is None or not window.exact or unit.certainty < DateCertainty.TEXT:
        return None
    return window


class EventClusterer:
    """Units grouped into events, kept between batches.

    State: every unit seen, the event of each, document frequencies (rarity),
    and inverted indexes from features to units, by week for dated units.
    `add` links new documents and re-decides what they touch; `restore`
    rebuilds the state from stored links without deciding anything."""

    def __init__(
        self, settings: EventSettings, resources: Mapping[str, LanguageResources], model: PairModel | None = None
    ) -> None:
        self.settings = settings
        self.resources = resources
        self.model = model if model is not None else load_pair_model(settings.model)
        self._builder = UnitBuilder.from_resources(settings, resources)
        self._df: Counter[str] = Counter()
        self._units_seen = 0
        self._units: dict[str, Unit] = {}
        self._event_of: dict[str, str] = {}  # reporting unit -> event
        self._members: dict[str, set[str]] = {}  # event -> reporting units
        self._recalls: dict[str, str] = {}  # background unit -> event it recalls
        self._documents: set[str] = set()
        # Candidate pairs, found once when the later unit of the pair arrives: what is judged.
        self._neighbours: dict[str, set[str]] = {}
        # Inverted indexes; each posting keeps its max_postings most recent units, in order.
        self._weekly: dict[tuple[str, int], dict[str, None]] = {}  # (feature, week) -> units dated that week
        self._undated: dict[str, dict[str, None]] = {}  # feature -> units with no days
        self._recent: dict[str, dict[str, None]] = {}  # feature -> any units, for undated queries

    def units(self, documents: Sequence[Document], analyses: Sequence[Analysis]) -> list[Unit]:
        by_id = {a.document_id: a for a in analyses}
        return [u for d in documents for u in self._builder.units(d, by_id.get(d.id, Analysis(d.id)))]

    @property
    def rarity(self) -> Rarity:
        return Rarity(self._df, self._units_seen, self.settings.idf_prior_units)

    def links(self) -> list[EventLink]:
        """Every unit's link as decided now: reporting units, then recalled events."""
        out = [EventLink(event, self._units[k].document_id, self._units[k].role, self._units[k].span) for k, event in self._event_of.items()]
        out += [EventLink(event, self._units[k].document_id, EventRole.BACKGROUND, self._units[k].span) for k, event in self._recalls.items()]
        return out

    def add(self, documents: Sequence[Document], analyses: Sequence[Analysis]) -> list[EventLink]:
        """Link the units of new documents, re-deciding the events they touch; every link, old and new."""
        fresh = [d for d in documents if d.id not in self._documents]
        return self.add_units(self.units(fresh, analyses))

    def add_units(self, units: Sequence[Unit]) -> list[EventLink]:
        """`add` for units already cut from their documents."""
        units = self._remember(units)
        reporting = [_key(u) for u in units if u.role is not EventRole.BACKGROUND]
        self._decide(self._region(reporting))
        fresh = {u.document_id for u in units}
        stale = [
            k for k, u in self._units.items()
            if u.role is EventRole.BACKGROUND and (u.document_id in fresh or self._recalls.get(k) not in self._members)
        ]
        self._link_background(stale)
        return self.links()

    def restore(self, documents: Sequence[Document], analyses: Sequence[Analysis], links: Iterable[EventLink]) -> None:
        """Rebuild units, rarity, indexes and events from what a store holds: nothing is decided."""
        units = self._remember(self.units(documents, analyses))
        by_place = {(l.document_id, l.span.start if l.span else None, l.role is EventRole.BACKGROUND): l.event_id for l in links}
        for unit in units:
            event = by_place.get((unit.document_id, None if unit.whole else unit.start, unit.role is EventRole.BACKGROUND))
            if event is None:
                continue
            if unit.role is EventRole.BACKGROUND:
                self._recalls[_key(unit)] = event
            else:
                self._event_of[_key(unit)] = event
                self._members.setdefault(event, set()).add(_key(unit))

    def _remember(self, units: Sequence[Unit]) -> list[Unit]:
        units = [u for u in units if _key(u) not in self._units]
        self._documents.update(u.document_id for u in units)
        for unit in units:
            self._units[_key(unit)] = unit
            if unit.role is not EventRole.BACKGROUND:
                self._df.update(name for name, _ in unit.features)
                self._units_seen += 1
        rarity = self.rarity
        reporting = [u for u in units if u.role is not EventRole.BACKGROUND]
        for unit in reporting:
            self._index(unit, rarity)
        for unit in reporting:
            key = _key(unit)
            for other in self.candidates(unit, rarity):
                self._neighbours.setdefault(key, set()).add(other)
                self._neighbours.setdefault(other, set()).add(key)
        return units

    def _index(self, unit: Unit, rarity: Rarity) -> None:
        key, window = _key(unit), unit.window
        for name, _ in unit.features:
            lists = [self._recent.setdefault(name, {})]
            if window is None:
                lists.append(self._undated.setdefault(name, {}))
            else:
                lists.extend(self._weekly.setdefault((name, week), {}) for week in _weeks(window, 0))
            for postings in lists:
                postings.pop(key, None)
                postings[key] = None
                if len(postings) > self.settings.max_postings:
                    del postings[next(iter(postings))]

    def candidates(self, unit: Unit, rarity: Rarity) -> set[str]:
        """The `max_candidates` units sharing most of this unit's strongest features (idf-weighted),
        in weeks its event can span: at most query_features x weeks x max_postings look-ups
        and max_candidates units, however large the store."""
        weights = {name: weight * rarity.idf(name) for name, weight in unit.features}
        strongest = heapq.nlargest(self.settings.query_features, sorted(weights), key=weights.__getitem__)
        shared: dict[str, float] = {}
        own = _key(unit)
        for name in strongest:
            found: set[str] = set()
            if unit.window is None:
                found.update(self._recent.get(name, ()))
            else:
                found.update(self._undated.get(name, ()))
                for week in _weeks(unit.window, self.settings.max_span_days):
                    found.update(self._weekly.get((name, week), ()))
            for key in found:
                shared[key] = shared.get(key, 0.0) + weights[name]
        shared.pop(own, None)
        best = heapq.nsmallest(self.settings.max_candidates, sorted(shared), key=lambda k: -shared[k])
        return {k for k in best if k in self._units}

    def _region(self, keys: Sequence[str]) -> list[str]:
        """The new units, the units close to them, and every member of the events those are in."""
        region = set(keys)
        for key in keys:
            region |= self._neighbours.get(key, set())
        for key in list(region):
            event = self._event_of.get(key)
            if event is not None:
                region |= self._members[event]
        return sorted(region)

    def _decide(self, region: Sequence[str]) -> None:
        """Group the region's units again from scratch, then name the groups after the events they continue.

        Undated parts of a page whose parts joined a dated event take its days, provisionally
        (a live blog is one page of one day), and the region is grouped again. Those days bound
        the parts (they keep them out of events of other days) but weigh as evidence only as a
        vague date would: the page, not the part, states them, and an off-topic entry has them too."""
        if not region:
            return
        rarity = self.rarity
        units = {k: self._units[k] for k in region}
        pairs = self.judged_pairs(region, rarity)
        probability = self._probabilities(region, units, pairs, rarity)
        bounds = [sure_window(units[k]) for k in region]
        groups = self._group(probability, bounds)
        provisional = _provisional_days([units[k] for k in region], groups, probability)
        if provisional:
            for i, window in provisional.items():
                bounds[i] = window
                units[region[i]] = replace(units[region[i]], window=window, certainty=DateCertainty.MONTH)
            span = self.settings.max_span_days
            probability = {
                (i, j): p
                for (i, j), p in self._probabilities(region, units, pairs, rarity).items()
                if not _apart(bounds[i], bounds[j], span)
            }
            groups = self._group(probability, bounds)
        self._rename([[region[i] for i in group] for group in groups])

    def _probabilities(
        self, region: Sequence[str], units: Mapping[str, Unit], pairs: Sequence[tuple[str, str]], rarity: Rarity
    ) -> dict[tuple[int, int], float]:
        """Same-event probability of each judged pair, by positions in `region` (lower first)."""
        evidence = {k: UnitEvidence.of(units[k], rarity) for k in region}
        position = {k: i for i, k in enumerate(region)}
        span = self.settings.max_span_days
        return {
            (position[x], position[y]): self.model.probability(pair_evidence(evidence[x], evidence[y], rarity))
            for x, y in pairs
            if not _too_far(units[x], units[y], span)
        }

    def _group(self, probability: Mapping[tuple[int, int], float], bounds: Sequence[Window | None]) -> list[list[int]]:
        return average_linkage(len(bounds), probability, bounds, self.model.threshold, self.settings.max_span_days)

    def judged_pairs(self, keys: Sequence[str], rarity: Rarity) -> list[tuple[str, str]]:
        """The pairs of units decided on: candidate pairs within `keys`, never two units
        whose sure days are further apart than an event lasts."""
        inside = set(keys)
        span = self.settings.max_span_days
        pairs = {(min(k, o), max(k, o)) for k in keys for o in self._neighbours.get(k, ()) if o in inside}
        return sorted(p for p in pairs if not _too_far(self._units[p[0]], self._units[p[1]], span))

    def _rename(self, groups: list[list[str]]) -> None:
        """Each group keeps the id of the old event it shares most units with, else takes its first
        unit's, unless another event holds that id (its first unit's, before it moved): then a
        fresh id derived from it."""
        previous = {k: self._event_of.pop(k, None) for group in groups for k in group}
        for key, event in previous.items():
            if event is not None:
                self._members[event].discard(key)
        overlaps = []
        for index, group in enumerate(groups):
            counts = Counter(previous[k] for k in group if previous[k] is not None)
            overlaps += [(-n, event, index) for event, n in counts.items()]
        taken: dict[int, str] = {}
        for _, event, index in sorted(overlaps):
            if index not in taken and event not in taken.values() and not self._members.get(event):
                taken[index] = event
        used = set(taken.values()) | {e for e, members in self._members.items() if members}
        for index, group in enumerate(groups):
            event = taken.get(index)
            if event is None:
                event = min(group)
                while event in used:
                    event = "ev-" + hashlib.sha1(event.encode()).hexdigest()[:16]
                used.add(event)
            self._members.setdefault(event, set()).update(group)
            for key in group:
                self._event_of[key] = event
        for event in [e for e, members in self._members.items() if not members]:
            del self._members[event]

    def _link_background(self, keys: Sequence[str]) -> None:
        """A paragraph recalling an event links to the event whose days it names and whose reports it matches best."""
        rarity = self.rarity
        for key in keys:
            self._recalls.pop(key, None)
            unit = self._units[key]
            if unit.window is None:
                continue
            mine = UnitEvidence.of(unit, rarity)
            scores: dict[str, list[float]] = {}
            for other in self.candidates(unit, rarity):
                event = self._event_of.get(other)
                other_unit = self._units[other]
                if event is None or other_unit.window is None or other_unit.document_id == unit.document_id:
                    continue
                if not _overlap(unit.window, other_unit.window):
                    continue
                p = self.model.probability(pair_evidence(mine, UnitEvidence.of(other_unit, rarity), rarity))
                scores.setdefault(event, []).append(p)
            best = max(sorted(scores), key=lambda e: sum(scores[e]) / len(scores[e]), default=None)
            if best is not None and sum(scores[best]) / len(scores[best]) >= self.settings.background_threshold:
                self._recalls[key] = best


def _weeks(window: Window, reach: int) -> range:
    """Week numbers (days since 0001-01-01 // 7) of the window widened by `reach` days."""
    return range((window.start.toordinal() - reach) // 7, (window.end.toordinal() + reach) // 7 + 1)



def _provisional_days(
    units: Sequence[Unit], groups: Sequence[Sequence[int]], probability: Mapping[tuple[int, int], float]
) -> dict[int, Window]:
    """Days bounding the undated parts of a page: those of the one dated group the page matches best.

    A page (a live blog) is of one day: its undated parts are all bounded by one group's
    sure days, the group whose dated reports they match most (summed pair probabilities,
    over the groups the page's parts joined), never one part by this group and another
    by that one. A page of one part gets no days this way."""
    group_of = {i: g for g, group in enumerate(groups) for i in group}
    spans: dict[int, Window] = {}
    dated: dict[int, list[int]] = {}
    for g, group in enumerate(groups):
        sure = [(i, w) for i in group if (w := sure_window(units[i])) is not None]
        if sure:
            spans[g] = Window(min(w.start for _, w in sure), max(w.end for _, w in sure), exact=True)
            dated[g] = [i for i, _ in sure]
    pages: dict[str, list[int]] = {}
    for i, unit in enumerate(units):
        pages.setdefault(unit.document_id, []).append(i)
    out = {}
    for parts in pages.values():
        undated = [i for i in parts if units[i].window is None]
        joined = {group_of[i] for i in parts} & spans.keys()
        if len(parts) < 2 or not undated or not joined:
            continue

        def affinity(g: int) -> float:
            return sum(probability.get((min(i, j), max(i, j)), 0.0) for i in undated for j in dated[g]) / len(dated[g])

        best = max(sorted(joined), key=affinity)
        out.update((i, spans[best]) for i in undated)
    return out


def _overlap(a: Window, b: Window) -> bool:
    return a.start <= b.end and b.start <= a.end


def _too_far(a: Unit, b: Unit, max_span_days: int) -> bool:
    """Both dated for sure, and further apart than an event lasts."""
    return _apart(sure_window(a), sure_window(b), max_span_days)


def _apart(a: Window | None, b: Window | None, max_span_days: int) -> bool:
    return a is not None and b is not None and max((a.start - b.end).days, (b.start - a.end).days) > max_span_days


def average_linkage(
    size: int,
    probability: Mapping[tuple[int, int], float],
    windows: Sequence[Window | None],
    threshold: float,
    max_span_days: int,
) -> list[list[int]]:
    """Groups of items merged while the mean pair probability between two groups reaches
    `threshold` (pairs not given count as 0) and their sure windows fit in `max_span_days`
    (the group's event lasts at least from its latest window start to its earliest window end).

    Deterministic given the items, whatever order they arrived in: the best pair first,
    ties to the lowest indexes. Sparse: O(E log E) for E pairs given."""
    sums: dict[int, dict[int, float]] = {i: {} for i in range(size)}
    for (a, b), p in probability.items():
        if p > 0 and a != b:
            sums[a][b] = sums[b][a] = sums[a].get(b, 0.0) + p
    count = [1] * size
    members = [[i] for i in range(size)]
    latest = [w.start if w else None for w in windows]
    earliest = [w.end if w else None for w in windows]
    version = [0] * size
    heap = [(-p / 1.0, a, b, 0, 0) for a in range(size) for b, p in sums[a].items() if a < b]
    heapq.heapify(heap)
    while heap:
        negative, i, j, vi, vj = heapq.heappop(heap)
        if -negative < threshold:
            break
        if vi != version[i] or vj != version[j] or not members[i] or not members[j]:
            continue
        starts = [d for d in (latest[i], latest[j]) if d is not None]
        ends = [d for d in (earliest[i], earliest[j]) if d is not None]
        if starts and ends and (max(starts) - min(ends)).days > max_span_days:
            continue  # spans only grow: this pair never fits again
        for k, p in sums.pop(j).items():
            del sums[k][j]
            if k != i:
                sums[i][k] = sums[k][i] = sums[i].get(k, 0.0) + p
        sums[i].pop(j, None)
        count[i] += count[j]
        members[i] += members[j]
        members[j] = []
        latest[i] = max(starts) if starts else None
        earliest[i] = min(ends) if ends else None
        version[i] += 1
        for k, total in sums[i].items():
            a, b = min(i, k), max(i, k)
            heapq.heappush(heap, (-total / (count[i] * count[k]), a, b, version[a], version[b]))
    return sorted(sorted(group) for group in members if group)


def cluster_corpus(
    clusterer: EventClusterer, documents: Sequence[Document], analyses: Sequence[Analysis], stored: Sequence[EventLink]
) -> list[EventLink]:
    """Every document's links: stored ones rebuild the clusterer's state, documents without
    links are then added as one batch, which re-decides the events they touch."""
    linked = {l.document_id for l in stored}
    old = [d for d in documents if d.id in linked]
    new = [d for d in documents if d.id not in linked]
    if not new:
        return list(stored)
    by_id = {a.document_id: a for a in analyses}
    clusterer.restore(old, [by_id[d.id] for d in old if d.id in by_id], stored)
    return clusterer.add(new, [by_id[d.id] for d in new if d.id in by_id])


def event_documents(event_id: str, results: CorpusResults) -> set[str]:
    """Ids of the documents linked to the event, whatever the role."""
    return {link.document_id for link in results.event_links if link.event_id == event_id}


def main_events(results: CorpusResults) -> dict[str, str]:
    """Document id -> the event its lead reports (a link with role MAIN)."""
    out: dict[str, str] = {}
    for link in results.event_links:
        if link.role is EventRole.MAIN:
            out.setdefault(link.document_id, link.event_id)
    return out
