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
the batches. Candidates come from inverted indexes by week, capped per posting
(a unit finds those sharing its strongest features and those whose strongest
features it has), and each unit keeps only its `max_candidates` most similar
neighbours, so the cost of a batch does not grow with the store. The pairs
judged in a batch are found again among the units it re-decides, with today's
rarity, as one batch of them would find them: arrival order changes little. A
unit whose days are not known is judged on its words, and decided again when
its event is next touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from recoupe.event_pairs import PairModel, Rarity, UnitEvidence, cosine, load_pair_model, pair_evidence, weighted_vector
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
        # Each unit's `max_candidates` best neighbours (similarity at the time they met), and the
        # reverse: a pair is judged when either side keeps the other. Offered both ways whenever
        # one side looks for candidates, so the pairs kept do not depend on which arrived first.
        self._neighbours: dict[str, dict[str, float]] = {}
        self._kept_by: dict[str, set[str]] = {}
        # Units by each of their features, and by their strongest features only: a new unit finds
        # the units sharing its strongest features, and the units whose strongest features it has.
        self._postings = Postings(settings.max_postings)
        self._strong = Postings(settings.max_postings)

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
        vectors: dict[str, Mapping[str, float]] = {}
        rescored: set[str] = set()
        for unit in reporting:
            key = _key(unit)
            for other, similarity in self._scored_candidates(unit, rarity, vectors).items():
                self._keep(key, other, similarity, rarity, vectors, rescored)
                self._keep(other, key, similarity, rarity, vectors, rescored)
        return units

    def neighbours(self, key: str) -> set[str]:
        """The units a unit is judged against: those it keeps, and those keeping it."""
        return set(self._neighbours.get(key, ())) | self._kept_by.get(key, set())

    def _keep(
        self, owner: str, other: str, similarity: float, rarity: Rarity, vectors: dict[str, Mapping[str, float]], rescored: set[str]
    ) -> None:
        """Keep `other` among `owner`'s best neighbours if it beats the worst of a full list
        (ties to the lower key, whatever the order they were offered in). A full list is first
        scored again with today's rarity, once per batch: what a unit keeps then depends little
        on when its neighbours arrived."""
        kept = self._neighbours.setdefault(owner, {})
        if other not in kept and len(kept) >= self.settings.max_candidates:
            if owner not in rescored:
                rescored.add(owner)
                mine = self._vector(owner, self._units[owner], rarity, vectors)
                for k in kept:
                    kept[k] = cosine(mine, self._vector(k, self._units[k], rarity, vectors))
            worst = min(kept, key=lambda k: (kept[k], -_rank(k)))
            if (kept[worst], -_rank(worst)) >= (similarity, -_rank(other)):
                return
            del kept[worst]
            self._kept_by[worst].discard(owner)
        kept[other] = similarity
        self._kept_by.setdefault(other, set()).add(owner)

    def _index(self, unit: Unit, rarity: Rarity) -> None:
        key = _key(unit)
        self._postings.add(key, [name for name, _ in unit.features], unit.window)
        self._strong.add(key, self._strongest(unit, rarity), unit.window)

    def _strongest(self, unit: Unit, rarity: Rarity) -> list[str]:
        """The unit's `query_features` features of most weight x idf (ties by name)."""
        weights = {name: weight * rarity.idf(name) for name, weight in unit.features}
        return heapq.nlargest(self.settings.query_features, sorted(weights), key=weights.__getitem__)

    def candidates(self, unit: Unit, rarity: Rarity) -> set[str]:
        """The `max_candidates` units most like this one (cosine of their idf-weighted features)
        among those sharing most of its strongest features, in weeks its event can span."""
        similarity = self._scored_candidates(unit, rarity, {})
        return set(heapq.nsmallest(self.settings.max_candidates, sorted(similarity), key=lambda k: -similarity[k]))

    def _scored_candidates(self, unit: Unit, rarity: Rarity, vectors: dict[str, Mapping[str, float]]) -> dict[str, float]:
        """Candidates and their similarity. Found through the postings of the unit's strongest
        features (idf-weighted), and the strong postings of all its features, in weeks its event
        can span when it is dated: at most features x weeks x max_postings look-ups, and the
        `_SHORTLIST` x max_candidates sharing most are scored, however large the store."""
        weights = {name: weight * rarity.idf(name) for name, weight in unit.features}
        reach = self.settings.max_span_days
        shared: dict[str, float] = {}
        for postings, names in ((self._postings, self._strongest(unit, rarity)), (self._strong, sorted(weights))):
            for name, found in postings.find(names, unit.window, reach):
                for key in found:
                    shared[key] = shared.get(key, 0.0) + weights[name]
        own = _key(unit)
        shared.pop(own, None)
        limit = self.settings.max_candidates
        shortlist = heapq.nsmallest(_SHORTLIST * limit, sorted(shared), key=lambda k: -shared[k])
        mine = self._vector(own, unit, rarity, vectors)
        similarity = {k: cosine(mine, self._vector(k, self._units[k], rarity, vectors)) for k in shortlist if k in self._units}
        return similarity

    @staticmethod
    def _vector(key: str, unit: Unit, rarity: Rarity, vectors: dict[str, Mapping[str, float]]) -> Mapping[str, float]:
        if key not in vectors:
            vectors[key] = weighted_vector(unit.features, rarity.idf)
        return vectors[key]

    def _region(self, keys: Sequence[str]) -> list[str]:
        """The new units, the units close to them, and every member of the events those are in."""
        region = set(keys)
        for key in keys:
            region |= self.neighbours(key)
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
        """The pairs of units decided on, found among `keys` with today's rarity as one batch of
        them would be (what is judged depends neither on arrival order nor on the idf each unit
        met): units sharing one of either's strongest features, in weeks their event can span,
        each unit's `max_candidates` most similar kept; never two units whose sure days are
        further apart than an event lasts. O(units x features) look-ups, within `keys` only."""
        span = self.settings.max_span_days
        strong = Postings(len(keys) + 1)
        for key in keys:
            strong.add(key, self._strongest(self._units[key], rarity), self._units[key].window)
        vectors: dict[str, Mapping[str, float]] = {}
        similarity: dict[tuple[str, str], float] = {}
        for key in keys:
            unit = self._units[key]
            mine = self._vector(key, unit, rarity, vectors)
            for _, found in strong.find(sorted({name for name, _ in unit.features}), unit.window, span):
                for other in found:
                    pair = (min(key, other), max(key, other))
                    if other != key and pair not in similarity:
                        similarity[pair] = cosine(mine, self._vector(other, self._units[other], rarity, vectors))
        ranked: dict[str, list[tuple[float, int, str]]] = {}
        for (a, b), value in similarity.items():
            ranked.setdefault(a, []).append((value, -_rank(b), b))
            ranked.setdefault(b, []).append((value, -_rank(a), a))
        kept = {
            (min(key, other), max(key, other))
            for key, row in ranked.items()
            for _, _, other in heapq.nlargest(self.settings.max_candidates, row)
        }
        return sorted(p for p in kept if not _too_far(self._units[p[0]], self._units[p[1]], span))

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


# Candidates scored for similarity per neighbour kept: those sharing most strong features.
_SHORTLIST = 4


def _rank(key: str) -> int:
    """A unit key's order for ties (keys are hex digests)."""
    return int(key[3:], 16)


class Postings:
    """Units by feature: by week for dated units, apart for undated ones, and all of them for
    undated queries; each list keeps its `cap` most recent units, in arrival order."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.weekly: dict[tuple[str, int], dict[str, None]] = {}  # (feature, week) -> units dated that week
        self.undated: dict[str, dict[str, None]] = {}  # feature -> units with no days
        self.recent: dict[str, dict[str, None]] = {}  # feature -> any units

    def add(self, key: str, names: Iterable[str], window: Window | None) -> None:
        for name in names:
            lists = [self.recent.setdefault(name, {})]
            if window is None:
                lists.append(self.undated.setdefault(name, {}))
            else:
                lists.extend(self.weekly.setdefault((name, week), {}) for week in _weeks(window, 0))
            for postings in lists:
                postings.pop(key, None)
                postings[key] = None
                if len(postings) > self.cap:
                    del postings[next(iter(postings))]

    def find(self, names: Iterable[str], window: Window | None, reach: int) -> Iterator[tuple[str, set[str]]]:
        """Each name and the units under it that a unit of `window` can share an event with:
        any unit when undated; else the undated ones and those dated within `reach` days."""
        for name in names:
            found: set[str] = set()
            if window is None:
                found.update(self.recent.get(name, ()))
            else:
                found.update(self.undated.get(name, ()))
                for week in _weeks(window, reach):
                    found.update(self.weekly.get((name, week), ()))
            if found:
                yield name, found


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
