"""Documents → events, incrementally and across languages.

Documents are first cut into units (`recoupe.units`): a normal article is one
unit, a live blog one per entry and per lead paragraph group, and a paragraph
made only of old dates a BACKGROUND unit that links to the event it recalls
without joining it.

`EventClusterer` keeps per event a compact profile (centroid, norm, day span)
and inverted indexes from features to events, by week: a dated unit is compared
only with events of its weeks sharing its strongest features, so the cost of
adding a unit does not grow with the store. Time is the decisive
signal: the same actors and places a few months apart are different events.

Reference: Allan et al., "Topic Detection and Tracking pilot study" (1998) for
single-pass clustering against centroids with an incremental idf.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from recoupe.lang import LanguageResources
from recoupe.model import Analysis, Document, EventLink, EventRole
from recoupe.settings import EventSettings

# Units and event parts live in recoupe.units; summary.py, timeline.py and the
# tests import these names from here.
from recoupe.units import (
    LEAD_CHARS,
    EventPart,
    Unit,
    UnitBuilder,
    Window,
    jaccard,
    month_window,
    normalise_words,
    paragraphs,
    part_sentences,
    reference_day,
    sorted_spans,
    stem_set,
    stems,
)

__all__ = [  # the names other modules import from here, this module's own first
    "SHORTLIST", "EventClusterer", "Profile", "cluster_corpus", "unit_id",
    "LEAD_CHARS", "EventPart", "Unit", "UnitBuilder", "Window", "jaccard", "month_window", "normalise_words",
    "paragraphs", "part_sentences", "reference_day", "sorted_spans", "stem_set", "stems",
]

# Events scored in full per unit, among those sharing its strongest features:
# the right event ranks first by partial cosine in all dev and seed units.
SHORTLIST = 16


@dataclass(slots=True)
class Profile:
    """One event as the clusterer sees it: centroid of its units and the days they cover."""

    centroid: dict[str, float] = field(default_factory=dict)
    norm2: float = 0.0
    start: dt.date | None = None  # exact days only
    end: dt.date | None = None
    loose: Window | None = None  # month-level knowledge when no day is known
    size: int = 0


def unit_id(document_id: str, start: int) -> str:
    return "ev-" + hashlib.sha1(f"{document_id}:{start}".encode()).hexdigest()[:16]


class EventClusterer:
    """Single-pass clustering of units into events, kept between batches.

    State: document frequencies (idf), one `Profile` per event, and inverted
    indexes from features to events, by week for dated units. `add` links new
    documents; `restore` rebuilds the state from stored documents, analyses
    and links without deciding anything again.
    """

    def __init__(self, settings: EventSettings, resources: Mapping[str, LanguageResources]) -> None:
        self.settings = settings
        self.resources = resources
        self._builder = UnitBuilder.from_resources(settings, resources)
        self._df: Counter[str] = Counter()
        self._units_seen = 0
        self._profiles: dict[str, Profile] = {}
        # Inverted indexes; each posting keeps its max_postings most recently fed events,
        # in order (a dict used as an ordered set: moving an event to the end is O(1)).
        self._weekly: dict[tuple[str, int], dict[str, None]] = {}  # (feature, week) -> events dated that week
        self._timeless: dict[str, dict[str, None]] = {}  # feature -> events no unit has dated yet
        self._recent: dict[str, dict[str, None]] = {}  # feature -> any events, for undated units

    @property
    def profiles(self) -> Mapping[str, Profile]:
        return self._profiles

    def units(self, documents: Sequence[Document], analyses: Sequence[Analysis]) -> list[Unit]:
        by_id = {a.document_id: a for a in analyses}
        return [u for d in documents for u in self._builder.units(d, by_id.get(d.id, Analysis(d.id)))]

    def add(self, documents: Sequence[Document], analyses: Sequence[Analysis]) -> list[EventLink]:
        """Link the units of new documents to events, creating events as needed.

        Units join the best event above `join_threshold` or start one; events
        started by this batch then merge into an event they match above
        `merge_threshold` (reports of one event in two languages meet here);
        paragraphs recalling older events link to them last."""
        units = sorted(self.units(documents, analyses), key=_arrival_order)
        self._count(units)
        parts_of: dict[str, list[Unit]] = {}
        for unit in units:
            if unit.role is not EventRole.BACKGROUND:
                parts_of.setdefault(unit.document_id, []).append(unit)
        frames: dict[str, Window | None] = {}
        links, created = [], []
        for unit in units:
            if unit.role is EventRole.BACKGROUND:
                continue
            parts = parts_of[unit.document_id]
            if unit.window is None and len(parts) > 1 and all(u.window is None for u in parts):
                if unit.document_id not in frames:
                    frames[unit.document_id] = self._frame(parts)
                unit = replace(unit, window=frames[unit.document_id])
            vector = self._vector(unit)
            event_id, score = self._best(unit, vector)
            if event_id is None or score < self.settings.join_threshold:
                event_id = unit_id(unit.document_id, unit.start)
                self._profiles[event_id] = Profile()
                created.append(event_id)
            self._absorb(event_id, unit, vector)
            links.append(EventLink(event_id, unit.document_id, unit.role, unit.span))
        renamed = self._merge_new(created)
        links = [replace(l, event_id=renamed.get(l.event_id, l.event_id)) for l in links]
        for unit in units:
            if unit.role is EventRole.BACKGROUND:
                event_id, score = self._best(unit, self._vector(unit))
                if event_id is not None and score >= self.settings.background_threshold:
                    links.append(EventLink(event_id, unit.document_id, unit.role, unit.span))
        return links

    def _frame(self, parts: Sequence[Unit]) -> Window | None:
        """Undated parts of one document (a live blog: one page, one day) take the days of
        the dated event whose own names (idf-weighted) the whole document covers best."""
        names = {name for unit in parts for name, _ in unit.features if name[0] in "ep"}
        total = self._units_seen + self.settings.idf_prior_units
        idf = lambda name: math.log(total / (1 + self._df[name]))  # noqa: E731
        candidates = {e for name in names for e in self._recent.get(name, ()) if e in self._profiles}  # O(names x max_postings)
        best, best_score = None, self.settings.frame_threshold
        for event_id in sorted(candidates):
            profile = self._profiles[event_id]
            window = _profile_window(profile)
            own = [n for n in profile.centroid if n[0] in "ep"]
            if window is None or not own:
                continue
            score = sum(idf(n) for n in own if n in names) / sum(idf(n) for n in own)
            if score > best_score:
                best, best_score = window, score
        return best

    def _merge_new(self, created: Sequence[str]) -> dict[str, str]:
        """Fold each event started by this batch into its best match above `merge_threshold`."""
        renamed: dict[str, str] = {}
        for event_id in created:
            profile = self._profiles[event_id]
            best, best_score = None, self.settings.merge_threshold
            for other in self._shortlist(profile.centroid, _profile_window(profile), exclude=event_id):
                target = self._profiles[other]
                if not _profiles_compatible(profile, target, self.settings):
                    continue
                dot = sum(w * target.centroid.get(n, 0.0) for n, w in profile.centroid.items())
                score = dot / math.sqrt(profile.norm2 * target.norm2) if profile.norm2 and target.norm2 else 0.0
                if _days_agree(_exact_window(profile), _exact_window(target)):
                    score += self.settings.same_days_bonus
                if score >= best_score:
                    best, best_score = other, score
            if best is not None:
                self._fold(event_id, best)
                renamed[event_id] = best
        for event_id in list(renamed):
            target = renamed[event_id]
            while target in renamed:
                target = renamed[target]
            renamed[event_id] = target
        return renamed

    def _fold(self, source_id: str, target_id: str) -> None:
        source, target = self._profiles.pop(source_id), self._profiles[target_id]
        target.size += source.size
        if source.start is not None and source.end is not None:
            target.start = min(target.start or source.start, source.start)
            target.end = max(target.end or source.end, source.end)
        if target.loose is None:
            target.loose = source.loose
        window = _profile_window(source)
        for name, weight in source.centroid.items():
            old = target.centroid.get(name, 0.0)
            target.centroid[name] = old + weight
            target.norm2 += (old + weight) ** 2 - old * old
            self._post(name, target_id, window)

    def restore(self, documents: Sequence[Document], analyses: Sequence[Analysis], links: Iterable[EventLink]) -> None:
        """Rebuild profiles and index from what a store holds: same units, same links."""
        units = self.units(documents, analyses)
        self._count(units)
        by_place = {(l.document_id, l.span.start if l.span else None): l for l in links}
        for unit in units:
            link = by_place.get((unit.document_id, None if unit.whole else unit.start))
            if link is None or unit.role is EventRole.BACKGROUND:
                continue
            self._profiles.setdefault(link.event_id, Profile())
            self._absorb(link.event_id, unit, self._vector(unit))

    def _count(self, units: Sequence[Unit]) -> None:
        for unit in units:
            if unit.role is not EventRole.BACKGROUND:
                self._df.update(name for name, _ in unit.features)
                self._units_seen += 1

    def _vector(self, unit: Unit) -> dict[str, float]:
        total = self._units_seen + self.settings.idf_prior_units
        vector = {name: weight * math.log(total / (1 + self._df[name])) for name, weight in unit.features}
        vector = {name: w for name, w in vector.items() if w > 0}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {name: w / norm for name, w in vector.items()}

    def _shortlist(self, vector: Mapping[str, float], window: Window | None, exclude: str = "") -> list[str]:
        """Events sharing the vector's strongest features, best partial cosine first.

        A dated query reads the postings of its own weeks (and of undated events),
        an undated one the most recent events per feature: at most
        query_features x weeks x max_postings look-ups, however large the store.
        Only the first SHORTLIST are scored in full."""
        strongest = heapq.nlargest(self.settings.query_features, vector, key=vector.__getitem__)
        partial: dict[str, float] = {}
        for name in strongest:
            weight = vector[name]
            for event_id in self._postings(name, window):
                profile = self._profiles.get(event_id)
                if profile is not None:
                    partial[event_id] = partial.get(event_id, 0.0) + weight * profile.centroid.get(name, 0.0)
        partial.pop(exclude, None)
        ranked = {e: v / math.sqrt(self._profiles[e].norm2 or 1.0) for e, v in partial.items()}
        return heapq.nlargest(SHORTLIST, sorted(ranked), key=ranked.__getitem__)

    def _postings(self, name: str, window: Window | None) -> set[str]:
        if window is None:
            return set(self._recent.get(name, ()))
        reach = max(self.settings.max_gap_days, self.settings.report_lag_days)
        found = {e for e in self._timeless.get(name, ()) if e in self._profiles and _profile_window(self._profiles[e]) is None}
        for week in _weeks(window, reach):
            found.update(self._weekly.get((name, week), ()))
        return found

    def _best(self, unit: Unit, vector: dict[str, float]) -> tuple[str | None, float]:
        best, best_score = None, 0.0
        for event_id in self._shortlist(vector, unit.window):
            profile = self._profiles[event_id]
            if not self._compatible(unit, profile):
                continue
            dot = sum(w * profile.centroid.get(name, 0.0) for name, w in vector.items())
            score = dot / math.sqrt(profile.norm2) if profile.norm2 else 0.0
            if self._same_days(unit, profile):
                score += self.settings.same_days_bonus
            if score > best_score:
                best, best_score = event_id, score
        return best, best_score

    def _compatible(self, unit: Unit, profile: Profile) -> bool:
        """Time decides first: a unit dated away from an event's days is another event."""
        window = unit.window
        if window is None:
            return True
        if unit.role is EventRole.BACKGROUND:
            span = _profile_window(profile)
            return span is not None and span.start <= window.end and window.start <= span.end
        if profile.start is not None and profile.end is not None:
            gap = max((window.start - profile.end).days, (profile.start - window.end).days, 0)
            if window.exact:
                spread = (max(window.end, profile.end) - min(window.start, profile.start)).days
                return gap <= self.settings.max_gap_days and spread <= self.settings.max_span_days
            return gap <= self.settings.max_gap_days
        if profile.loose is not None:
            lag = dt.timedelta(days=self.settings.report_lag_days)
            return profile.loose.start - lag <= window.end and window.start <= profile.loose.end + lag
        return True

    def _same_days(self, unit: Unit, profile: Profile) -> bool:
        return _days_agree(unit.window, _exact_window(profile))

    def _post(self, name: str, event_id: str, window: Window | None) -> None:
        """Index the event under the feature: in the weeks of the window, or as timeless; and as recent."""
        lists = [self._recent.setdefault(name, {})]
        if window is None:
            lists.append(self._timeless.setdefault(name, {}))
        else:
            lists.extend(self._weekly.setdefault((name, week), {}) for week in _weeks(window, 0))
        for postings in lists:
            postings.pop(event_id, None)
            postings[event_id] = None
            if len(postings) > self.settings.max_postings:
                del postings[next(iter(postings))]

    def _absorb(self, event_id: str, unit: Unit, vector: dict[str, float]) -> None:
        profile = self._profiles[event_id]
        for name, weight in vector.items():
            old = profile.centroid.get(name, 0.0)
            profile.centroid[name] = old + weight
            profile.norm2 += (old + weight) ** 2 - old * old
            self._post(name, event_id, unit.window)
        profile.size += 1
        window = unit.window
        if window is None:
            return
        if window.exact:
            profile.start = min(profile.start or window.start, window.start)
            profile.end = max(profile.end or window.end, window.end)
        elif profile.loose is None:
            profile.loose = window
        else:
            start, end = max(profile.loose.start, window.start), min(profile.loose.end, window.end)
            if start <= end:
                profile.loose = Window(start, end, exact=False)


def _weeks(window: Window, reach: int) -> range:
    """Week numbers (days since 0001-01-01 // 7) of the window widened by `reach` days."""
    return range((window.start.toordinal() - reach) // 7, (window.end.toordinal() + reach) // 7 + 1)


def cluster_corpus(
    clusterer: EventClusterer, documents: Sequence[Document], analyses: Sequence[Analysis], stored: Sequence[EventLink]
) -> list[EventLink]:
    """Every document's links: stored ones rebuild the clusterer's state, documents without
    links are then added as one batch. Only the new documents are clustered."""
    linked = {l.document_id for l in stored}
    old = [d for d in documents if d.id in linked]
    new = [d for d in documents if d.id not in linked]
    by_id = {a.document_id: a for a in analyses}
    clusterer.restore(old, [by_id[d.id] for d in old if d.id in by_id], stored)
    return list(stored) + clusterer.add(new, [by_id[d.id] for d in new if d.id in by_id])


def _exact_window(profile: Profile) -> Window | None:
    if profile.start is None or profile.end is None:
        return None
    return Window(profile.start, profile.end, exact=True)


def _days_agree(a: Window | None, b: Window | None) -> bool:
    """Both stated to the day, and at most a day apart (a report the next morning)."""
    if a is None or b is None or not (a.exact and b.exact):
        return False
    return max((a.start - b.end).days, (b.start - a.end).days) <= 1


def _profiles_compatible(a: Profile, b: Profile, settings: EventSettings) -> bool:
    wa, wb = _profile_window(a), _profile_window(b)
    if wa is None or wb is None:
        return True
    gap = max((wa.start - wb.end).days, (wb.start - wa.end).days, 0)
    if wa.exact and wb.exact:
        spread = (max(wa.end, wb.end) - min(wa.start, wb.start)).days
        return gap <= settings.max_gap_days and spread <= settings.max_span_days
    return gap <= settings.report_lag_days


def _profile_window(profile: Profile) -> Window | None:
    if profile.start is not None and profile.end is not None:
        return Window(profile.start, profile.end, exact=True)
    return profile.loose


def _arrival_order(unit: Unit) -> tuple[int, dt.date, int]:
    """Dated units first, in date order, so undated ones meet events whose days are known;
    recalled events last, once the batch's events exist."""
    if unit.role is EventRole.BACKGROUND:
        return (3, dt.date.max, 0)
    if unit.window is None:
        return (2, dt.date.max, 0)
    return (0 if unit.window.exact else 1, unit.window.start, 0)
