"""Documents cut into units, what events are clustered from; and the parts an event is told in.

A document is cut into *units*: a normal article is one unit (its main event is
the one its title and lead report); a live blog gives one unit per entry and per
lead paragraph group; a paragraph made only of old dates is a BACKGROUND unit
that links to the event it recalls without joining it. Units are vectors of
language-neutral features (entity keys, GeoNames ids, event-type cues) plus word
stems, weighted by an idf that grows with the store (`events.EventClusterer`).

Once clustered, an `EventPart` is a document, or some of its ranges, reporting
one event: what `summary.py` and `timeline.py` read.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache


from recoupe.folding import latin
from recoupe.lang import LanguageResources
from recoupe.model import Analysis, DateRange, Document, EntityType, EventRole, SegmentKind, Span
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
# A recalled event takes a heading and a paragraph or two, rarely more.
_BACKGROUND_PARAGRAPHS = 4
_OPENING_QUOTES = "«“\"'‘„"


@dataclass(frozen=True, slots=True)
class Window:
    """The days a unit's event lies in; `exact` when stated to the day, not only to the month."""

    start: dt.date
    end: dt.date
    exact: bool


class DateCertainty(enum.IntEnum):
    """How a unit's days are known, surest last: the pair model weighs days apart by it."""

    NONE = 0
    MONTH = 1  # only a month (a page header), or a hull of vague dates
    TEXT = 2  # from dates the text states, the page giving no day of its own
    STATED = 3  # the page's own publication day (metadata, URL, dateline)


@dataclass(frozen=True, slots=True)
class Unit:
    """What is clustered: a document, a live-blog entry, or a paragraph recalling the past.

    Besides its weighted features, a unit keeps the evidence pairs of units are
    judged on (`recoupe.event_pairs`): title-and-lead stems and names, place
    coordinates, figures, its language and how sure its days are."""

    document_id: str
    role: EventRole
    start: int
    end: int
    features: tuple[tuple[str, float], ...]  # term weights before idf
    window: Window | None
    whole: bool = True  # the unit stands for the whole document: its link carries no span
    lead: tuple[str, ...] = ()  # features of the title and lead ("w:", "e:", "p:" names)
    coordinates: tuple[tuple[float, float], ...] = ()  # (lat, lon) of its places, lead first
    figures: frozenset[tuple[str, float]] = frozenset()  # (category, value) of counts it gives
    language: str = ""
    certainty: DateCertainty = DateCertainty.NONE
    day_mark: tuple[int, int] | None = None  # (month, day) of the first day its title or lead names, year or not

    @property
    def span(self) -> Span | None:
        return None if self.whole else Span(self.document_id, self.start, self.end)


def normalise_words(text: str) -> str:
    return latin(text)


def stems(text: str) -> list[str]:
    """Word stems of a text, comparable across accents, plural and French/English cognates."""
    out = []
    for word in _WORD.findall(normalise_words(text)):
        word = word[:-1] if word.endswith("s") else word
        out.append(word[:_STEM_LETTERS])
    return out


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
    months: Mapping[str, int] = field(default_factory=dict)  # every language's month words -> 1..12

    @classmethod
    def from_resources(cls, settings: EventSettings, resources: Mapping[str, LanguageResources]) -> UnitBuilder:
        default = next(iter(resources), "fr")
        cues = {code: cue_patterns(r) for code, r in resources.items()}
        stop = frozenset(s for r in resources.values() for word in r.event_stopwords for s in stems(word))
        months = {
            normalise_words(word).rstrip("."): number
            for r in resources.values()
            for word, number in r.relative_dates.months.items()
        }
        return cls(settings, cues, stop, default, months)

    def day_mark(self, text: str) -> tuple[int, int] | None:
        """(month, day) of the first "7 mars", "March 7", "1er juin" in a text, in any known language."""
        if not self.months:
            return None
        pattern = _day_mark_pattern(tuple(sorted(self.months, key=len, reverse=True)))
        for found in pattern.finditer(normalise_words(text)):
            day = int(found.group("day") or found.group("day2"))
            month = self.months[found.group("month") or found.group("month2")]
            if 1 <= day <= 31:
                return (month, day)
        return None

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
        lead: Counter[str] = Counter()
        lead_end = lead_zone_end(parts)
        lead_weight = self.settings.lead_weight
        texts = [(document.text[p.start : p.end], p.end <= lead_end) for p in parts]
        if role is EventRole.MAIN and document.title and not any(p.kind is SegmentKind.TITLE for p in parts):
            texts.insert(0, (document.title, True))
        for text, in_lead in texts:
            found = self._text_features(text, document.language)
            for name, count in found.items():
                weights[name] += count * (lead_weight if in_lead else 1.0)
            if in_lead:
                lead.update(found)
        inside = [(p.start, p.end) for p in parts]
        for mention in analysis.mentions:
            if _within(mention.span, inside):
                in_lead = mention.span.end <= lead_end
                weights["e:" + mention.key] += lead_weight if in_lead else 1.0
                lead["e:" + mention.key] += in_lead
        places = [p for p in analysis.places if _within(p.span, inside)]
        for place in places:
            if place.geonameid is not None:
                in_lead = place.span.end <= lead_end
                weights[f"p:{place.geonameid}"] += lead_weight if in_lead else 1.0
                lead[f"p:{place.geonameid}"] += in_lead
        names = self.settings.entity_weight
        features = tuple(
            sorted((k, (1.0 + math.log(v)) * (names if k[0] in "ep" else 1.0)) for k, v in weights.items() if v >= 1.0)
        )
        window, certainty = self._window(document, analysis, inside, lead_end, role)
        ordered = sorted(places, key=lambda p: (p.span.end > lead_end, p.span.start))
        coordinates = tuple(dict.fromkeys((round(p.lat, 3), round(p.lon, 3)) for p in ordered))
        figures = frozenset(
            (f.category.value, f.value) for f in analysis.figures if f.value >= 2 and _within(f.span, inside)
        )
        mark = next((m for text, in_lead in texts if in_lead and (m := self.day_mark(text))), None)
        return Unit(
            document.id, role, start, end, features, window, whole=whole,
            lead=tuple(sorted(k for k, v in lead.items() if v >= 1.0)), coordinates=coordinates, figures=figures,
            language=document.language or self.default_language, certainty=certainty, day_mark=mark,
        )

    def _text_features(self, text: str, language: str | None) -> Counter[str]:
        """Word stems ("w:") and event-type cues ("t:") of a text, each counted once per occurrence."""
        out: Counter[str] = Counter("w:" + stem for stem in stems(text) if stem not in self.stopwords)
        patterns = self.cues.get(language or self.default_language) or self.cues.get(self.default_language, {})
        normal = normalise_words(text)
        for (event_type, subtype), pattern in patterns.items():
            if pattern.search(normal):
                out[f"t:{event_type}|{subtype}"] += 1
        return out

    def _window(
        self, document: Document, analysis: Analysis, inside: list[tuple[int, int]], lead_end: int, role: EventRole
    ) -> tuple[Window | None, DateCertainty]:
        reference = reference_day(document)
        values = [_as_range(t.value) for t in analysis.times if _within(t.span, inside)]
        if role is EventRole.BACKGROUND:
            hull = _hull(values)
            return hull, DateCertainty.NONE if hull is None else DateCertainty.TEXT if hull.exact else DateCertainty.MONTH
        lag = dt.timedelta(days=self.settings.report_lag_days)
        if reference is not None:
            recent = [(a, b) for a, b in values if reference - lag <= a and b <= reference + dt.timedelta(days=1)]
            precise = [(a, b) for a, b in recent if (b - a).days < _PRECISE_DAYS]
            return Window(min([reference] + [a for a, _ in precise]), reference, exact=True), DateCertainty.STATED
        early = [_as_range(t.value) for t in analysis.times if _within(t.span, inside) and t.span.end <= lead_end]
        precise = [(a, b) for a, b in early if (b - a).days < _PRECISE_DAYS]
        month = month_window(document)
        if month is not None:
            precise = [(a, b) for a, b in precise if month.start - lag <= a and b <= month.end]
            hull = _hull(precise)
            return (hull, DateCertainty.TEXT) if hull is not None and hull.exact else (hull or month, DateCertainty.MONTH)
        hull = _hull(precise)
        if hull is None:
            return None, DateCertainty.NONE
        return hull, DateCertainty.TEXT if hull.exact else DateCertainty.MONTH

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


@lru_cache(maxsize=8)
def _day_mark_pattern(months: tuple[str, ...]) -> re.Pattern[str]:
    """Day then month ("7 mars", "1er juin", "7th march") or month then day ("march 7")."""
    words = "|".join(re.escape(m) for m in months)
    return re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?:de\s+)?(?P<month>{words})\b"
        rf"|\b(?P<month2>{words})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:h|:|\d))"
    )


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


def _within(span: Span, ranges: Sequence[tuple[int, int]]) -> bool:
    return within_ranges(span.start, span.end, ranges)


def within_ranges(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    """[start, end) lies inside one of `ranges`, sorted and never overlapping (paragraphs, segments).

    By bisection: only the last range starting at or before `start` can hold it. A long article
    has thousands of paragraphs and every mention, date and sentence asks (a scan is quadratic)."""
    index = bisect_right(ranges, (start, math.inf)) - 1
    return index >= 0 and end <= ranges[index][1]


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
        return within_ranges(span.start, span.end, self.ranges)


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
