"""Documents → events, incrementally and across languages.

A document is cut into *units*: a normal article is one unit (its main event is
the one its title and lead report); a live blog gives one unit per entry and per
lead paragraph group; a paragraph made only of old dates is a BACKGROUND unit
that links to the event it recalls without joining it. Units are vectors of
language-neutral features (entity keys, GeoNames ids, event-type cues) plus word
stems, weighted by an idf that grows with the store.

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
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from unidecode import unidecode

from recoupe.lang import LanguageResources
from recoupe.model import Analysis, DateRange, Document, EntityType, EventLink, EventRole, SegmentKind, Span
from recoupe.settings import EventSettings

# Word stems: letters only, at least four of them (shorter words are function
# words in French and English); the first six letters of the singular are close
# enough to a stem to join "explosion"/"explosé" and French/English cognates.
_WORD = re.compile(r"[^\W\d_]{4,}")
_STEM_LETTERS = 6
# A value spanning more days than this is a month or a season, not a day.
_PRECISE_DAYS = 3
# A report states its event's place and day in its first few hundred characters:
# the dev reports' datelines and captions lie within the first 600.
LEAD_CHARS = 600
_SENTENCE_END = re.compile(r"(?<=[.!?»\"])\s+(?=[«\"A-ZÀ-Ý])|\n+")
# Events scored in full per unit, among those sharing its strongest features:
# the right event ranks first by partial cosine in all dev and seed units.
SHORTLIST = 16
# A recalled event takes a heading and a paragraph or two, rarely more.
_BACKGROUND_PARAGRAPHS = 4
_OPENING_QUOTES = "«“\"'‘„"


@dataclass(frozen=True, slots=True)
class Window:
    """The days a unit's event lies in; `exact` when stated to the day, not only to the month."""

    start: dt.date
    end: dt.date
    exact: bool


@dataclass(frozen=True, slots=True)
class Unit:
    """What is clustered: a document, a live-blog entry, or a paragraph recalling the past."""

    document_id: str
    role: EventRole
    start: int
    end: int
    features: tuple[tuple[str, float], ...]  # term weights before idf
    window: Window | None
    whole: bool = True  # the unit stands for the whole document: its link carries no span

    @property
    def span(self) -> Span | None:
        return None if self.whole else Span(self.document_id, self.start, self.end)


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


def normalise_words(text: str) -> str:
    return unidecode(text).lower()


def stems(text: str) -> list[str]:
    """Word stems of a text, comparable across accents, plural and French/English cognates."""
    out = []
    for word in _WORD.findall(normalise_words(text)):
        word = word[:-1] if word.endswith("s") else word
        out.append(word[:_STEM_LETTERS])
    return out


# ---------------------------------------------------------------- units


@dataclass(frozen=True, slots=True)
class _Paragraph:
    start: int
    end: int
    kind: SegmentKind
    segment: int  # index of its segment: an entry's paragraphs share one


def paragraphs(document: Document) -> list[_Paragraph]:
    """Non-empty lines of the article segments, in text order."""
    out = []
    for number, segment in enumerate(sorted(document.segments, key=lambda s: s.start)):
        position = segment.start
        for line in document.text[segment.start : segment.end].split("\n"):
            stripped = line.strip()
            if stripped:
                start = position + line.index(stripped[0])
                out.append(_Paragraph(start, start + len(stripped), segment.kind, number))
            position += len(line) + 1
    return out


def cue_patterns(resources: LanguageResources) -> dict[tuple[str, str], re.Pattern[str]]:
    """One regex per (type, sub-type), from lang/<code>/event_types.yaml, in file order."""
    out = {}
    for event_type, subtypes in resources.event_types.items():
        for subtype, cues in (subtypes or {}).items():
            words = sorted({re.escape(normalise_words(c)) for c in cues}, key=len, reverse=True)
            if words:
                out[(event_type, subtype)] = re.compile(r"\b(?:" + "|".join(words) + ")")
    return out


@dataclass(frozen=True, slots=True)
class UnitBuilder:
    """Cuts documents into units; built once per run with the languages' cue patterns."""

    settings: EventSettings
    cues: Mapping[str, Mapping[tuple[str, str], re.Pattern[str]]]  # language -> (type, sub-type) -> pattern
    stopwords: frozenset[str] = frozenset()  # stems of every language's function words
    default_language: str = "fr"

    @classmethod
    def from_resources(cls, settings: EventSettings, resources: Mapping[str, LanguageResources]) -> UnitBuilder:
        default = next(iter(resources), "fr")
        cues = {code: cue_patterns(r) for code, r in resources.items()}
        stop = frozenset(s for r in resources.values() for word in r.event_stopwords for s in stems(word))
        return cls(settings, cues, stop, default)

    def units(self, document: Document, analysis: Analysis) -> list[Unit]:
        parts = paragraphs(document)
        if not parts:
            return []
        reference = reference_day(document)
        background = self._background_blocks(parts, analysis, reference)
        in_background = {i for block in background for i in block}
        units: list[Unit] = []
        if any(p.kind is SegmentKind.ENTRY for p in parts):
            units.extend(self._live_blog_units(document, analysis, parts, in_background))
        else:
            kept = [p for i, p in enumerate(parts) if i not in in_background]
            if kept:
                units.append(self._unit(document, analysis, kept, EventRole.MAIN, whole=True))
        for block in background:
            units.append(self._unit(document, analysis, [parts[i] for i in block], EventRole.BACKGROUND, whole=False))
        return units

    def _live_blog_units(
        self, document: Document, analysis: Analysis, parts: list[_Paragraph], skip: set[int]
    ) -> list[Unit]:
        """Each entry is a unit; lead paragraphs group while they share the lead's topic."""
        lead: list[_Paragraph] = []
        entries: dict[int, list[_Paragraph]] = {}
        for index, part in enumerate(parts):
            if index in skip:
                continue
            if part.kind is SegmentKind.ENTRY:
                entries.setdefault(part.segment, []).append(part)
            else:
                lead.append(part)
        units = self._lead_groups(document, analysis, lead) if lead else []
        units.extend(self._unit(document, analysis, group, EventRole.ENTRY, whole=False) for group in entries.values())
        return units

    def _lead_groups(self, document: Document, analysis: Analysis, lead: list[_Paragraph]) -> list[Unit]:
        """A live blog's lead often lists several stories: a paragraph opens a new
        unit unless it opens with a quote (said by the story before) or at least
        half of its named entities and places are already in the current group."""
        groups: list[list[_Paragraph]] = [[lead[0]]]
        for part in lead[1:]:
            current = _entity_keys(analysis, groups[-1][0].start, groups[-1][-1].end)
            own = _entity_keys(analysis, part.start, part.end)
            quoted = document.text[part.start] in _OPENING_QUOTES
            if own and not quoted and 2 * len(own & current) < len(own):
                groups.append([part])
            else:
                groups[-1].append(part)
        roles = [EventRole.MAIN] + [EventRole.ENTRY] * (len(groups) - 1)
        return [self._unit(document, analysis, g, r, whole=False) for g, r in zip(groups, roles)]

    def _unit(
        self, document: Document, analysis: Analysis, parts: list[_Paragraph], role: EventRole, *, whole: bool
    ) -> Unit:
        start, end = parts[0].start, parts[-1].end
        weights: Counter[str] = Counter()
        lead_end = lead_zone_end(parts)
        lead_weight = self.settings.lead_weight
        if role is EventRole.MAIN and document.title and not any(p.kind is SegmentKind.TITLE for p in parts):
            self._add_text(weights, document.title, document.language, lead_weight)
        for part in parts:
            text = document.text[part.start : part.end]
            self._add_text(weights, text, document.language, lead_weight if part.end <= lead_end else 1.0)
        inside = [(p.start, p.end) for p in parts]
        for mention in analysis.mentions:
            if _within(mention.span, inside):
                boost = lead_weight if mention.span.end <= lead_end else 1.0
                weights["e:" + mention.key] += boost
        for place in analysis.places:
            if place.geonameid is not None and _within(place.span, inside):
                weights[f"p:{place.geonameid}"] += lead_weight if place.span.end <= lead_end else 1.0
        names = self.settings.entity_weight
        features = tuple(
            sorted((k, (1.0 + math.log(v)) * (names if k[0] in "ep" else 1.0)) for k, v in weights.items() if v >= 1.0)
        )
        window = self._window(document, analysis, inside, lead_end, role)
        return Unit(document.id, role, start, end, features, window, whole=whole)

    def _add_text(self, weights: Counter[str], text: str, language: str | None, weight: float) -> None:
        for stem in stems(text):
            if stem not in self.stopwords:
                weights["w:" + stem] += weight
        patterns = self.cues.get(language or self.default_language) or self.cues.get(self.default_language, {})
        normal = normalise_words(text)
        for (event_type, subtype), pattern in patterns.items():
            if pattern.search(normal):
                weights[f"t:{event_type}|{subtype}"] += weight

    def _window(
        self, document: Document, analysis: Analysis, inside: list[tuple[int, int]], lead_end: int, role: EventRole
    ) -> Window | None:
        reference = reference_day(document)
        values = [_as_range(t.value) for t in analysis.times if _within(t.span, inside)]
        if role is EventRole.BACKGROUND:
            return _hull(values)
        if reference is not None:
            lag = dt.timedelta(days=self.settings.report_lag_days)
            recent = [(a, b) for a, b in values if reference - lag <= a and b <= reference + dt.timedelta(days=1)]
            precise = [(a, b) for a, b in recent if (b - a).days < _PRECISE_DAYS]
            return Window(min([reference] + [a for a, _ in precise]), reference, exact=True)
        lag = dt.timedelta(days=self.settings.report_lag_days)
        early = [_as_range(t.value) for t in analysis.times if _within(t.span, inside) and t.span.end <= lead_end]
        precise = [(a, b) for a, b in early if (b - a).days < _PRECISE_DAYS]
        month = month_window(document)
        if month is not None:
            precise = [(a, b) for a, b in precise if month.start - lag <= a and b <= month.end]
            return _hull(precise) or month
        return _hull(precise)

    def _background_blocks(
        self, parts: list[_Paragraph], analysis: Analysis, reference: dt.date | None
    ) -> list[list[int]]:
        """Paragraphs whose dates are all older than the report's event, with the undated ones after them."""
        if reference is None:
            return []
        limit = reference - dt.timedelta(days=self.settings.background_days)
        dated: dict[int, list[tuple[dt.date, dt.date]]] = {}
        for time in analysis.times:
            for index, part in enumerate(parts):
                if part.start <= time.span.start and time.span.end <= part.end:
                    dated.setdefault(index, []).append(_as_range(time.value))
        def old(index: int) -> bool:
            values = dated.get(index, [])
            return bool(values) and all(b < limit for _, b in values) and parts[index].kind is not SegmentKind.ENTRY

        blocks: list[list[int]] = []
        index = 2  # the title and lead report the main event
        while index < len(parts):
            if old(index):
                block = [index]
                while index + 1 < len(parts) and (index + 1 not in dated or old(index + 1)) and len(block) < _BACKGROUND_PARAGRAPHS:
                    index += 1
                    block.append(index)
                blocks.append(block)
            index += 1
        return blocks


def _entity_keys(analysis: Analysis, start: int, end: int) -> set[str]:
    keys = {m.key for m in analysis.mentions if start <= m.span.start and m.span.end <= end and m.type is not EntityType.OTHER}
    keys |= {f"p:{p.geonameid}" for p in analysis.places if start <= p.span.start and p.span.end <= end and p.geonameid}
    return keys


def lead_zone_end(parts: Sequence[_Paragraph]) -> int:
    """End of the unit's lead: its first two paragraphs, or more while within
    LEAD_CHARS of its start (headlines and standfirsts are short lines)."""
    end = parts[min(1, len(parts) - 1)].end
    for part in parts[2:]:
        if part.end - parts[0].start > LEAD_CHARS:
            break
        end = part.end
    return end


def _within(span: Span, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= span.start and span.end <= b for a, b in ranges)


def _as_range(value: dt.date | DateRange) -> tuple[dt.date, dt.date]:
    return (value.start, value.end) if isinstance(value, DateRange) else (value, value)


def _hull(values: list[tuple[dt.date, dt.date]]) -> Window | None:
    if not values:
        return None
    start, end = min(a for a, _ in values), max(b for _, b in values)
    return Window(start, end, exact=all((b - a).days < _PRECISE_DAYS for a, b in values))


def reference_day(document: Document) -> dt.date | None:
    return document.published.date if document.published else None


def month_window(document: Document) -> Window | None:
    published = document.published
    if published is None or published.month is None:
        return None
    start = dt.date(published.year, published.month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return Window(start, end, exact=False)


# ---------------------------------------------------------------- clustering


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


# ---------------------------------------------------------------- parts of documents reporting an event


@dataclass(frozen=True, slots=True)
class EventPart:
    """A document, or some of its ranges, reporting an event."""

    document: Document
    analysis: Analysis
    ranges: tuple[tuple[int, int], ...]
    role: EventRole
    day: dt.date | None = None  # publication day, stated or inferred

    def contains(self, span: Span) -> bool:
        return any(a <= span.start and span.end <= b for a, b in self.ranges)


def part_sentences(part: EventPart) -> list[Span]:
    """The part's sentences: the analysis's when it has them, else split on punctuation."""
    found = [s for s in part.analysis.sentences if part.contains(s)]
    if found:
        return found
    out = []
    for start, end in part.ranges:
        position = start
        for piece in _SENTENCE_END.split(part.document.text[start:end]):
            offset = part.document.text.find(piece, position, end) if piece else -1
            if offset >= 0 and piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append(Span(part.document.id, offset + lead, offset + len(piece.rstrip())))
                position = offset + len(piece)
    return out


def stem_set(text: str, stopwords: frozenset[str] = frozenset()) -> frozenset[str]:
    return frozenset(stems(text)) - stopwords


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def sorted_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    return tuple(sorted(set(spans), key=lambda s: (s.document_id, s.start)))

