"""Figures of one event compared across sources: contradictions and updates.

Two figures speak of the same thing only when they count it the same way: the
same category (dead, injured, missing, evacuated, demonstrators, at risk) with nouns
that name everyone it counts ("cinq blessés", "six personnes blessées"), or the
same measure of the event (magnitude, prison term, volume), over the same
place. A source's largest count of a thing is its total; its smaller counts of
the same thing are parts of it ("six blessés ... trois blessés sont entre la
vie et la mort"). Counts of what is new ("nouveaux"), over a wider area ("et
les communes voisines") or of a sub-group ("quatre enfants") are never
compared with totals.

Two totals with values no number satisfies are then:
- an **update** when one source revised its own count, when a report calls
  its toll provisional or revised (`provisional` in `lang/<code>/tallies.yaml`),
  or when the reports are of different days: the figure's history;
- a **contradiction** otherwise, when the sources are independent (a copy or a
  shared wire dispatch counts once) and, inside one document, both are named.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations

from recoupe.claims import independent_sources, normalise
from recoupe.folding import latin
from recoupe.lang import LanguageResources
from recoupe.lang.records import Numbers
from recoupe.model import (
    Analysis,
    Claim,
    Contradiction,
    ContradictionKind,
    CopyLink,
    Document,
    EventLink,
    EventRole,
    Figure,
    FigureCategory,
    PartialDate,
    PlaceKind,
    Segment,
    SegmentKind,
    Qualifier,
    Span,
    Statement,
    Update,
)
from recoupe.nlp.figures import parse_number
from recoupe.settings import ClaimSettings

# Categories whose counts can be compared across sources: tolls, crowds, people at risk.
COMPARED = frozenset(
    {FigureCategory.DEAD, FigureCategory.INJURED, FigureCategory.MISSING, FigureCategory.EVACUATED, FigureCategory.DEMONSTRATORS,
     FigureCategory.AT_RISK}
)
_COMPARED_VALUES = frozenset(c.value for c in COMPARED)
# How far after a figure an increment word ("26 drones de plus") may sit, in characters.
_INCREMENT_WINDOW = 25
# A date range longer than this names no day of a count ("depuis 2019").
_MAX_RANGE_DAYS = 7
# How far after a count the words saying what happened to its people are read ("ont dû quitter leur domicile").
_PHRASE_WINDOW = 80
# The scope of a count over a whole country ("à travers le pays"): compared with other national counts only.
NATIONAL = "@national"
_DIGITS = re.compile(r"\d+(?:[\s\u00a0\u202f.,]\d+)*")
# The zone key of a clock time said to be the event's local time: one with a time naming no zone.
LOCAL_TIME = "local"
# A clock time written to the minute: "2h50", "2:50", "02.50".
_CLOCK_MINUTES = re.compile(r"\d\s?[h:.]\s?\d{2}\b")
# How far before a time phrase a comparison word may sit ("un chiffre supérieur à celui du 31 janvier").
_COMPARED_WINDOW = 60


@dataclass(frozen=True, slots=True)
class MeasureRule:
    """One measure of `tallies.yaml` (`lang/records.py` MeasureSpec says what each field means)."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    units: Mapping[str, float]
    objects: Mapping[str, frozenset[str]] = field(default_factory=dict)  # key -> words naming it
    resolution: float = 0.0
    about: float = 0.0
    clock: bool = False
    offsets: Mapping[str, float] = field(default_factory=dict)
    zones: Mapping[str, frozenset[str]] = field(default_factory=dict)
    single: bool = False

    def object_of(self, words: str) -> str | None:
        """The key of the thing a match names ("barrage" -> dam), None when it names none known."""
        named = set(words.split())
        return next((key for key, names in self.objects.items() if named & names), None)

    def zone_of(self, words: str) -> str | None:
        """The key of the time zone a match names; "" for none (the event's local time); None: unknown."""
        if not words.strip():
            return ""
        named = " ".join(words.split())
        return next((key for key, names in self.zones.items() if named in names), None)

    def value(self, match: re.Match[str], number: float) -> float | None:
        """The match's value in the base unit: a clock time in hours (minutes added, 12-hour units read)."""
        unit = match.group("unit")
        factor = self.units.get(unit)
        if factor is None:
            return None
        if unit in self.offsets:
            number = number % 12 + self.offsets[unit]
        value = number * factor
        if "minutes" in match.re.groupindex and match.group("minutes"):
            value += int(match.group("minutes")) / 60
        return value


@dataclass(frozen=True, slots=True)
class TallyBook:
    """`lang/<code>/tallies.yaml`, compiled once per language."""

    generic: Mapping[str, frozenset[str]]
    provisional: tuple[re.Pattern[str], ...]
    increment: tuple[re.Pattern[str], ...]
    broad: tuple[re.Pattern[str], ...]
    phrases: Mapping[FigureCategory, tuple[re.Pattern[str], ...]]  # "ont dû quitter leur domicile": evacuated
    credit: tuple[re.Pattern[str], ...]  # "un porte-parole de la police a fait état de" before a count
    measures: tuple[MeasureRule, ...]
    numbers: Numbers
    credit_after: tuple[re.Pattern[str], ...] = ()  # ", selon les autorités" after a count
    national: tuple[re.Pattern[str], ...] = ()  # "à travers le pays": the count is the country's
    compared: tuple[re.Pattern[str], ...] = ()  # "contre ... le 19": a time phrase dating another count
    range_before: tuple[re.Pattern[str], ...] = ()  # "entre 18 200 et": a range's low end
    part_of: tuple[re.Pattern[str], ...] = ()  # "dont": a part of the count follows
    sub_before: tuple[re.Pattern[str], ...] = ()  # "les corps de": bodies found, not the toll
    determiners: frozenset[str] = frozenset()  # left out of a speaker's key: "la CGT" is "CGT"
    about_before: tuple[re.Pattern[str], ...] = ()  # "environ", "vers" right before a measure's number
    recalled: tuple[re.Pattern[str], ...] = ()  # "après avoir rassemblé", "avaient alors": a past day's count

    def measure(self, name: str) -> MeasureRule | None:
        return next((rule for rule in self.measures if rule.name == name), None)

    @classmethod
    def from_resources(cls, resources: LanguageResources) -> TallyBook:
        data = resources.tallies  # patterns compiled at load
        return cls(
            generic={k: frozenset(v) for k, v in data.generic.items()},
            provisional=data.provisional,
            increment=data.increment,
            broad=data.broad,
            phrases={FigureCategory(k): v for k, v in data.phrases.items()},
            credit=data.credit,
            measures=tuple(
                MeasureRule(
                    name, spec.patterns, dict(spec.units), {k: frozenset(v) for k, v in spec.objects.items()},
                    resolution=spec.resolution, about=spec.about, clock=spec.clock, offsets=dict(spec.offsets),
                    zones={k: frozenset(" ".join(w.split()) for w in v) for k, v in spec.zones.items()}, single=spec.single,
                )
                for name, spec in data.measures.items()
            ),
            about_before=data.about_before,
            recalled=data.recalled,
            numbers=resources.numbers,
            credit_after=data.credit_after,
            national=data.national,
            compared=data.compared,
            range_before=data.range_before,
            part_of=data.part_of,
            sub_before=data.sub_before,
            determiners=frozenset(normalise(d) for d in resources.entity_fixes.determiners),
        )


@dataclass(frozen=True, slots=True)
class EventText:
    """The part of one document an event is told in, with what dates it."""

    document: Document
    analysis: Analysis
    ranges: tuple[tuple[int, int], ...]  # empty: the whole document
    day: PartialDate | None = None

    def contains(self, span: Span) -> bool:
        return not self.ranges or any(a <= span.start and span.end <= b for a, b in self.ranges)


@dataclass(frozen=True, slots=True)
class Count:
    """One figure as its event sees it: what it counts, where, from whom, and the values it allows."""

    statement: Statement
    subject: str  # FigureCategory value or measure name
    noun: str  # "" for a generic noun or a measure
    scope: frozenset[str]  # the most specific places of its sentence, else of its document
    source: str  # independent source: the original of a copy, one id per wire dispatch
    speaker: str  # normalised speaker name, "" for the outlet's own voice
    provisional: bool
    low: float
    high: float
    order: tuple[int, int]
    headline: bool = False  # in the title: the same count is told again in the body
    scope_guessed: bool = False  # its sentence names no place: `scope` is its document's
    days: frozenset[dt.date] = frozenset()  # the days its sentence names ("le 19 janvier")
    report_day: dt.date | None = None  # its report's day, stated or inferred


def event_texts(
    links: Sequence[EventLink], documents: Mapping[str, Document], analyses: Mapping[str, Analysis],
    days: Mapping[str, dt.date] = {},
) -> dict[str, list[EventText]]:
    """Event id -> the texts telling it: a linked segment, or the whole document it is the main event of."""
    out: dict[str, list[EventText]] = {}
    for link in links:
        document, analysis = documents.get(link.document_id), analyses.get(link.document_id)
        if document is None or analysis is None or link.role is EventRole.BACKGROUND and link.span is None:
            continue
        ranges = ((link.span.start, link.span.end),) if link.span is not None else ()
        inferred = days.get(document.id)
        day = document.published or (PartialDate(inferred.year, inferred.month, inferred.day) if inferred else None)
        out.setdefault(link.event_id, []).append(EventText(document, analysis, ranges, day))
    return out


def compare_figures(
    texts_by_event: Mapping[str, Sequence[EventText]],
    copies: Sequence[CopyLink],
    same_source: Sequence[Collection[str]],
    resources: Mapping[str, LanguageResources],
    default_language: str,
    settings: ClaimSettings = ClaimSettings(),
    event_days: Mapping[str, tuple[dt.date | None, dt.date | None]] = {},
) -> tuple[list[Contradiction], list[Update]]:
    """Contradictions and updates among the figures of each event.

    `event_days` (event id -> first and last day) sets aside counts whose sentence
    dates them to other days: a report recalling the previous protest day's count."""
    books = {code: TallyBook.from_resources(r) for code, r in resources.items()}
    sources = independent_sources(copies, same_source)
    contradictions: list[Contradiction] = []
    updates: list[Update] = []
    for event_id in sorted(texts_by_event):
        counts: list[Count] = []
        for seq, text in enumerate(sorted(texts_by_event[event_id], key=lambda t: t.document.id)):
            book = books.get(text.document.language or "", books[default_language])
            counts.extend(totals(read_counts(text, seq, book, sources, settings)))
        first, last = event_days.get(event_id, (None, None))
        counts = [c for c in counts if _of_event(c, first, last)]
        # The original of a copy speaks for it: its statements stand for the source.
        # Credited body sentences stand for a pair before headlines and unattributed ones.
        counts.sort(key=lambda c: (c.statement.span.document_id != c.source, not c.speaker, c.headline, c.order))
        found, revised = judge(event_id, counts, settings)
        contradictions.extend(found)
        updates.extend(revised)
    return contradictions, updates


def reporter_statements(texts: Sequence[EventText]) -> list[Statement]:
    """The sentences of an event's texts that no attributed claim covers: what the reporters say themselves."""
    out: list[Statement] = []
    for text in texts:
        document, analysis = text.document, text.analysis
        claimed = _Claimed([c.span for c in analysis.claims if c.speaker is not None])
        for sentence in analysis.sentences:
            if not text.contains(sentence) or not _in_segments(document, sentence) or _in_title(document, sentence):
                continue  # a headline restates its body
            if claimed.overlaps(sentence):
                continue
            out.append(Statement(sentence, document.text[sentence.start : sentence.end], published=text.day,
                                 time=_entry_time(document, sentence)))
    return out


# -- reading counts -------------------------------------------------------------------


def read_counts(
    text: EventText, seq: int, book: TallyBook, sources: Mapping[str, str], settings: ClaimSettings
) -> list[Count]:
    """Every comparable count of one event text: tolls and crowds from the figures, measures from the text.

    A count is read in its clause, the stretch of its sentence between the numbers
    around it: who gives it ("205 000 selon la CGT, et 40 000, selon les autorités"),
    where ("dont 700 000 à Paris" is not the national count's place) and when."""
    document, analysis = text.document, text.analysis
    sentences = sorted(analysis.sentences, key=lambda s: s.start)
    starts = [s.start for s in sentences]
    default_scope = _document_scope(analysis)
    report_day = _report_day(text)
    provisional = any(p.search(normalise(document.text)) for p in book.provisional)
    cuts = _number_spans(document.text, analysis)
    out: list[Count] = []
    for figure, subject, noun in [*_tolls(document, analysis, book), *_measures(document, analysis, book)]:
        if not text.contains(figure.span) or not _in_segments(document, figure.span):
            continue
        sentence = _sentence(figure.span, sentences, starts)
        sentence_text = normalise(document.text[sentence.start : sentence.end])
        after = normalise(document.text[figure.span.end : figure.span.end + _INCREMENT_WINDOW])
        is_measure = subject not in {c.value for c in COMPARED}
        clause, whole = _clause(document.text, sentence, figure.span, cuts, book)
        before_text = document.text[clause.start : figure.span.start]
        after_text = document.text[figure.span.end : clause.end]
        clause_text = normalise(document.text[clause.start : clause.end])
        national = not is_measure and any(p.search(clause_text) for p in book.national)
        if not is_measure and (
            # "Après la mobilisation du 19 janvier qui a rassemblé 1,2 million": read up to the count, then its clause
            any(p.search(normalise(document.text[sentence.start : figure.span.start]) + " " + clause_text) for p in book.recalled)
            or any(p.search(normalise(figure.text) + " " + after) for p in book.increment)
            or any(p.search(re.sub(r"\s+", " ", before_text.lower())) for p in book.sub_before)
            or (not national and any(p.search(sentence_text) for p in book.broad))
        ):
            continue
        low, high = _interval(figure, settings, measure=is_measure, rounded=_in_millions(figure, book),
                              rule=book.measure(subject) if is_measure else None)
        if not is_measure:
            low, high, readable = _range(document.text[sentence.start : figure.span.start], figure, low, high, book)
            if not readable:
                continue
        claim = _claim_of(figure.span, analysis.claims)
        if clause.start == sentence.start and re.match(r"\s*[,;:]", document.text[sentence.start : figure.span.start]):
            before_text = _previous(document.text, sentence, sentences, starts) + before_text  # "Selon la police" cut off
        local = _credit_after(after_text, book) or _credit(before_text, book)
        speaker = local or (claim.speaker.name if claim is not None and claim.speaker is not None else None)
        if speaker is None:
            speaker = _credit(document.text[sentence.start : figure.span.start], book)
        own_scope = frozenset({NATIONAL}) if national else (
            _scope_of(analysis, clause, claim, speaker) or _scope_of(analysis, whole, claim, speaker)
        )
        statement = Statement(
            span=sentence,
            text=document.text[sentence.start : sentence.end],
            speaker=speaker,
            claim_id=claim.id if claim is not None else None,
            figure=figure,
            published=text.day,
            time=_entry_time(document, figure.span),
        )
        out.append(Count(
            statement=statement,
            subject=subject,
            noun=noun,
            scope=frozenset() if is_measure else (own_scope or default_scope),
            scope_guessed=not is_measure and not own_scope,
            days=_days(analysis, clause, figure.span, document.text, book) or _days(analysis, whole, figure.span, document.text, book),
            report_day=report_day,
            source=sources.get(document.id, document.id),
            speaker=_speaker_key(speaker, book),
            provisional=provisional and not is_measure,
            low=low,
            high=high,
            order=(seq, figure.span.start),
            headline=_in_title(document, figure.span),
        ))
    return out


def _speaker_key(speaker: str | None, book: TallyBook) -> str:
    """A speaker as compared across reports: normalised, without its determiner ("la CGT" = "CGT")."""
    if not speaker:
        return ""
    key = normalise(speaker)
    for determiner in sorted(book.determiners, key=len, reverse=True):
        if key.startswith(determiner) and (determiner.endswith("'") or key[len(determiner) : len(determiner) + 1] == " "):
            return key[len(determiner) :].strip()
    return key


def _number_spans(text: str, analysis: Analysis) -> list[tuple[int, int]]:
    """Where numbers are written, but for those inside time phrases ("le 19 janvier"): the bounds of clauses."""
    times = [(t.span.start, t.span.end) for t in analysis.times]
    spans = [(f.span.start, f.span.end) for f in analysis.figures]
    spans += [m.span() for m in _DIGITS.finditer(text) if not any(a <= m.start() < b for a, b in times)]
    return sorted(spans)


def _clause(text: str, sentence: Span, figure: Span, cuts: Sequence[tuple[int, int]], book: TallyBook) -> tuple[Span, Span]:
    """The stretch of a count's sentence between the numbers before and after it, and its sentence;
    a part opened after it ("dont 700 000 à Paris") is left out of both."""
    start = max((e for s, e in cuts if e <= figure.start and s >= sentence.start), default=sentence.start)
    end = min((s for s, e in cuts if s >= figure.end and e <= sentence.end), default=sentence.end)
    limit = sentence.end
    lowered = text[figure.end : sentence.end].lower()  # not normalised: offsets must hold
    for pattern in book.part_of:
        match = pattern.search(lowered)
        if match:
            limit = min(limit, figure.end + match.start())
    end = max(min(end, limit), figure.end)
    return Span(sentence.document_id, max(start, sentence.start), end), Span(sentence.document_id, sentence.start, max(limit, figure.end))


def _range(before: str, figure: Figure, low: float, high: float, book: TallyBook) -> tuple[float, float, bool]:
    """A count written as the top of a range ("entre 18 200 et 110 000 personnes") allows the whole range;
    a range whose low end is no number we read is no count (False)."""
    lowered = re.sub(r"\s+", " ", before.lower())  # not stripped: the patterns end on the space before the count
    for pattern in book.range_before:
        match = pattern.search(lowered)
        if match:
            value = parse_number(match.group("number"), book.numbers) if match.group("number") else None
            if value is None or value > high:
                return low, high, False
            return min(low, value), high, True
    return low, high, True


def _previous(text: str, sentence: Span, sentences: Sequence[Span], starts: Sequence[int]) -> str:
    """The sentence before one that starts on a comma: the parse cut one sentence in two."""
    index = bisect.bisect_left(starts, sentence.start) - 1
    return text[sentences[index].start : sentence.start] if index >= 0 else ""


def _in_millions(figure: Figure, book: TallyBook) -> bool:
    """A count written with a multiplier of a million or more ("1,3 million"): rounded to its last digit."""
    words = re.findall(r"\w+", figure.text.lower())
    return any(book.numbers.multipliers.get(w, 0) >= 1_000_000 for w in words)


def _credit_after(after: str, book: TallyBook) -> str | None:
    """Who gives a count, named right after it: "40 000 manifestants, selon les autorités"."""
    for pattern in book.credit_after:
        match = pattern.match(after)
        if match:
            return " ".join(match.group("speaker").split())
    return None


def _tolls(document: Document, analysis: Analysis, book: TallyBook) -> Iterable[tuple[Figure, str, str]]:
    for figure in analysis.figures:
        category = figure.category
        if category is FigureCategory.OTHER:
            after = normalise(document.text[figure.span.end : figure.span.end + _PHRASE_WINDOW])
            category = next((c for c, ps in book.phrases.items() if any(p.search(after) for p in ps)), category)
            figure = replace(figure, category=category)
        if category not in COMPARED:
            continue
        generic = book.generic.get(category.value, frozenset())
        # Marchers are whoever marches: "1 500 dockers manifestent" counts the demonstrators.
        noun = "" if category is FigureCategory.DEMONSTRATORS or figure.counted.lower() in generic else figure.counted.lower()
        yield figure, category.value, noun


def _measures(document: Document, analysis: Analysis, book: TallyBook) -> Iterable[tuple[Figure, str, str]]:
    """Measures of the event named around their number: "de magnitude 7", "une peine de 19 ans",
    "l'épicentre, à 71 km de Marrakech" (keyed by the place it is measured from), "l'explosion,
    vers 2h50" (keyed by the act and the time zone)."""
    lowered = document.text.lower().replace("’", "'")
    for rule in book.measures:
        found: dict[tuple[int, int], tuple[Figure, str, str]] = {}
        for pattern in rule.patterns:
            for match in pattern.finditer(lowered):
                number = parse_number(match.group("number"), book.numbers)
                value = rule.value(match, number) if number is not None else None
                if value is None:
                    continue
                thing = _measured(match, rule, analysis)
                if thing is None:
                    continue  # a height of something no rule knows, a zone no rule knows: nothing to compare it with
                # The figure is its number as written, with its unit: "72 km", not the bracketed "44 miles" after it.
                end = max(match.end(g) for g in ("number", "unit", "minutes") if g in match.re.groupindex and match.group(g) is not None)
                span = Span(document.id, match.start("number"), end)
                before = lowered[max(0, match.start("number") - 30) : match.start("number")]
                qualifier = Qualifier.ABOUT if any(p.search(before) for p in book.about_before) else Qualifier.EXACT
                figure = Figure(span, document.text[span.start : span.end], value, match.group("unit"), FigureCategory.OTHER, qualifier)
                found.setdefault((span.start, span.end), (figure, rule.name, thing))
        values: dict[str, set[float]] = {}
        for figure, _, thing in found.values():
            values.setdefault(thing, set()).add(figure.value)
        for key in sorted(found):
            figure, name, thing = found[key]
            if rule.single and len(values[thing]) > 1:
                continue  # two blasts at two times: several acts, none compared
            yield figure, name, thing


def _measured(match: re.Match[str], rule: MeasureRule, analysis: Analysis | None = None) -> str | None:
    """What a measure's match measures: its object's key, or the place it is about (a group `name` the
    gazetteer found: "Nova Kakhovka, à 70 km de Kherson"); the place it is measured from ("@kher"), by the
    gazetteer's name when it found one;
    its time zone ("/utc"); "" for the event itself; None when a group names nothing the rule knows."""
    groups = match.re.groupindex
    thing = ""
    if "what" in groups:
        thing = rule.object_of(match.group("what") or "") or ""
        if not thing:
            return None
    if "name" in groups:
        name = _gazetteer_name(match, "name", analysis)
        if name is None:
            return None  # "Shelling 10 km from Kherson": no place is measured
        thing += _place_key(name)
    if "place" in groups:
        place = _place_key(_gazetteer_name(match, "place", analysis) or match.group("place") or "")
        if not place:
            return None
        thing += "@" + place
    if "zone" in groups:
        zone = rule.zone_of(match.group("zone") or "")
        if zone is None:
            return None
        thing += "/" + zone if zone and zone != LOCAL_TIME else ""
    return thing


def _gazetteer_name(match: re.Match[str], group: str, analysis: Analysis | None) -> str | None:
    """The gazetteer's name of the place a group ends on ("Nova Kakhovka", "Kherson"), None when none."""
    if analysis is None or match.group(group) is None:
        return None
    start, end = match.span(group)
    found = [p for p in analysis.places if p.span.start < end and start < p.span.end]
    return max(found, key=lambda p: p.span.end).name if found else None


def _place_key(name: str) -> str:
    """A place's name as compared across languages: its words' first letters ("Marrakech", "Marrakesh": "marr")."""
    return " ".join(w[:4] for w in re.findall(r"[a-z]+", latin(name)) if len(w) >= 3)


def _credit(before: str, book: TallyBook) -> str | None:
    """Who gives a count that no claim covers: the subject of "a fait état de" right before it."""
    for pattern in book.credit:
        match = pattern.search(before)
        if match:
            return " ".join(match.group("speaker").split())
    return None


def _interval(
    figure: Figure, settings: ClaimSettings, measure: bool = False, rounded: bool = False, rule: MeasureRule | None = None
) -> tuple[float, float]:
    """The values a figure allows: "au moins 200" is [200, ∞); "une quarantaine", 40 give or take;
    a count in millions, every value it rounds ("1,1 million" the 1,089 million of another); a
    measure, every value it rounds to its last digit, or to its rule's resolution ("magnitude 7" is
    7.0, a rival of 6.8); a clock time, its minute ("2h50"), or its half hour either side ("à 2h")."""
    value = figure.value
    if figure.qualifier is Qualifier.AT_LEAST:
        return value, float("inf")
    if figure.qualifier is Qualifier.AT_MOST:
        return float("-inf"), value
    if figure.qualifier is Qualifier.ABOUT:
        if rule is not None and rule.about:
            return value - rule.about, value + rule.about
        return value * (1 - settings.about_tolerance), value * (1 + settings.about_tolerance)
    if rule is not None and rule.clock:
        half = (0.5 / 60 if _CLOCK_MINUTES.search(figure.text) else 0.5) * (1 - 1e-9)
        return value - half, value + half
    if measure or rounded:
        half = _half_last_digit(figure.text, value)
        if rule is not None and rule.resolution:
            half = min(half, 0.5 * rule.resolution * (1 - 1e-9))
        return value - half, value + half
    return value, value


def _half_last_digit(text: str, value: float) -> float:
    """Half a unit of the last digit written ("7": 0.5, "6,8": 0.05), in the figure's unit, just under
    so that neighbours do not touch ("6,8" and "6,9" stay apart)."""
    numbers = re.findall(r"\d+(?:[.,]\d+)?", text)
    if not numbers:
        return 0.0
    written = numbers[-1]
    decimals = re.search(r"[.,](\d+)$", written)
    places = len(decimals.group(1)) if decimals and len(decimals.group(1)) != 3 else 0  # ",000" groups thousands
    number = float(written.replace(",", ".")) if places else float(re.sub(r"\D", "", written))
    scale = value / number if number else 1.0  # the unit factor of the measure's rule
    return 0.5 * 10 ** -places * scale * (1 - 1e-9)


def totals(counts: Sequence[Count]) -> list[Count]:
    """Each source's total of each thing: its largest count; smaller ones are parts of it.

    Inside one document, what the reporter counts unattributed below a count it
    credits to someone is a part too ("une réplique de magnitude 3,1")."""
    best: dict[tuple, Count] = {}
    for count in counts:
        key = (count.statement.span.document_id, count.speaker, count.subject, count.noun, count.scope)
        kept = best.get(key)
        if kept is None or (count.low, kept.headline) > (kept.low, count.headline):
            best[key] = count  # the largest; on a tie, the body's sentence rather than the headline
    named = {}
    for (document, speaker, *thing), count in best.items():
        if speaker:
            named[(document, *thing)] = max(named.get((document, *thing), count.low), count.low)
    return sorted(
        (c for (document, speaker, *thing), c in best.items() if speaker or c.low >= named.get((document, *thing), c.low)),
        key=lambda c: c.order,
    )


def _claim_of(span: Span, claims: Sequence[Claim]) -> Claim | None:
    inside = [c for c in claims if c.speaker is not None and c.span.start <= span.start and span.end <= c.span.end]
    return min(inside, key=lambda c: c.span.end - c.span.start) if inside else None


def _scope_of(analysis: Analysis, stretch: Span, claim: Claim | None, speaker: str | None = None) -> frozenset[str]:
    """The places a count's stretch of text names, but for its speaker's name ("selon la préfecture des
    Bouches-du-Rhône, 300 manifestants" counts no one in the Bouches-du-Rhône)."""
    spans = [claim.speaker.span] if claim is not None and claim.speaker is not None and claim.speaker.span is not None else []
    named = normalise(speaker) if speaker else ""
    places = [
        p for p in analysis.places
        if stretch.start <= p.span.start and p.span.end <= stretch.end
        and not any(s.start <= p.span.start and p.span.end <= s.end for s in spans)
        and not (named and normalise(p.name) in named)
    ]
    return _most_specific(places)


def _sentence(span: Span, sentences: Sequence[Span], starts: Sequence[int]) -> Span:
    index = bisect.bisect_right(starts, span.start) - 1
    if index >= 0 and sentences[index].end >= span.end:
        return sentences[index]
    return span


class _Claimed:
    """Spans of attributed claims (they may overlap), asked whether any overlaps a sentence by bisection:
    sorted by start, with the furthest end reached so far (a long article has thousands of each)."""

    def __init__(self, spans: Sequence[Span]) -> None:
        ordered = sorted(spans, key=lambda s: s.start)
        self.starts = [s.start for s in ordered]
        self.reach: list[int] = []
        for span in ordered:
            self.reach.append(max(span.end, self.reach[-1]) if self.reach else span.end)

    def overlaps(self, span: Span) -> bool:
        before = bisect.bisect_left(self.starts, span.end)  # claims starting before the span ends
        return before > 0 and self.reach[before - 1] > span.start


def _segment_at(document: Document, position: int) -> Segment | None:
    """The segment holding a character: segments are sorted and never overlap, so bisection finds it."""
    index = bisect.bisect_right(document.segments, position, key=lambda s: s.start) - 1
    if index >= 0 and position < document.segments[index].end:
        return document.segments[index]
    return None


def _in_segments(document: Document, span: Span) -> bool:
    segment = _segment_at(document, span.start)
    return segment is not None and span.end <= segment.end


def _in_title(document: Document, span: Span) -> bool:
    segment = _segment_at(document, span.start)
    return segment is not None and segment.kind is SegmentKind.TITLE


def _entry_time(document: Document, span: Span) -> str | None:
    segment = _segment_at(document, span.start)
    return segment.time if segment is not None and segment.time else None


def _days(analysis: Analysis, stretch: Span, figure: Span, text: str, book: TallyBook) -> frozenset[dt.date]:
    """The days of the time phrase nearest the count in a stretch of its sentence ("deux millions le 19
    janvier, ... ce 31 janvier" counts the 19th), but for a phrase dating what the count is compared
    with ("un chiffre supérieur à celui du 31 janvier", "contre 400 000 le 19")."""
    inside = [
        t for t in analysis.times
        if stretch.start <= t.span.start and t.span.end <= stretch.end
        and (isinstance(t.value, dt.date) or (t.value.end - t.value.start).days <= _MAX_RANGE_DAYS)
        and not _compared(text[max(stretch.start, t.span.start - _COMPARED_WINDOW) : t.span.start], book)
    ]  # "depuis 2019" names no day
    if not inside:
        return frozenset()
    value = min(inside, key=lambda t: min(abs(t.span.start - figure.end), abs(figure.start - t.span.end))).value
    if isinstance(value, dt.date):
        return frozenset({value})
    return frozenset(value.start + dt.timedelta(days=n) for n in range((value.end - value.start).days + 1))


def _compared(before: str, book: TallyBook) -> bool:
    lowered = before.lower().replace("’", "'")
    return any(p.search(lowered) for p in book.compared)


def _report_day(text: EventText) -> dt.date | None:
    return text.day.date if text.day is not None else None


def _of_event(count: Count, first: dt.date | None, last: dt.date | None) -> bool:
    """Whether a count's sentence dates it within its event (a day of slack either side), or not at all."""
    if not count.days or first is None:
        return True
    end = last or first
    return any(first - dt.timedelta(days=1) <= d <= end + dt.timedelta(days=1) for d in count.days)


def _same_time(a: Count, b: Count) -> bool:
    """Counts of one time: the days their sentences name meet, or a count dated in its sentence
    is of (or the day before) the other report's day ("deux millions le 19 janvier" recalled
    on 31 January is another day's count)."""
    if a.statement.span.document_id == b.statement.span.document_id:
        return a.days == b.days or bool(a.days & b.days)  # one report tells a recalled count with its date
    if a.days and b.days:
        return bool(a.days & b.days)
    dated, other = (a, b) if a.days else (b, a)
    if not dated.days:
        return True
    day = other.report_day
    return day is None or any(abs((d - day).days) <= 1 for d in dated.days)


def _document_scope(analysis: Analysis) -> frozenset[str]:
    """Where a document's counts are when their sentence names no place: its most named locality
    (not its dateline's city), else region, else country."""
    for kind in (PlaceKind.LOCALITY, PlaceKind.REGION, PlaceKind.COUNTRY):
        names = [p.name for p in sorted(analysis.places, key=lambda p: p.span.start) if p.kind is kind]
        if names:
            return frozenset({max(names, key=names.count)})
    return frozenset()


def _most_specific(places: Sequence) -> frozenset[str]:
    for kind in (PlaceKind.LOCALITY, PlaceKind.REGION, PlaceKind.COUNTRY):
        names = {p.name for p in places if p.kind is kind}
        if names:
            return frozenset(names)
    return frozenset()


# -- judging pairs --------------------------------------------------------------------


def judge(event_id: str, counts: Sequence[Count], settings: ClaimSettings = ClaimSettings()) -> tuple[list[Contradiction], list[Update]]:
    """Contradictions (one per pair of sources and thing) and the histories of revised counts."""
    contradictions: list[Contradiction] = []
    seen: set[tuple] = set()
    linked: dict[int, int] = {}  # union-find over counts joined by an update

    def root(i: int) -> int:
        while linked.get(i, i) != i:
            i = linked[i]
        return i

    for (i, a), (j, b) in combinations(enumerate(counts), 2):
        if (a.subject, a.noun) != (b.subject, b.noun) or not _same_scope(a, b, settings) or _overlap(a, b):
            continue
        if not _same_time(a, b):
            continue
        verdict = _verdict(a, b)
        if verdict == "update":
            linked.setdefault(i, i)
            linked.setdefault(j, j)
            linked[root(i)] = root(j)
        elif verdict == "contradiction":
            key = (a.subject, a.noun, *_pair_key(a, b))
            if key not in seen:
                seen.add(key)
                contradictions.append(Contradiction(event_id, ContradictionKind.FIGURE, a.statement, b.statement, a.subject))
    histories: dict[int, list[Count]] = {}
    for i in sorted(linked):
        histories.setdefault(root(i), []).append(counts[i])
    updates = [Update(event_id, members[0].subject, _history(members)) for members in histories.values()]
    return contradictions, updates


def _same_scope(a: Count, b: Count, settings: ClaimSettings) -> bool:
    """Places in common; a document naming none is about its event's.

    When a sentence names no place, its document's main place is a guess: the
    counts are then compared only if of one order of magnitude (81 000 in Paris
    is no rival of 1,3 million "qui ont manifesté", said of the whole country)."""
    if a.scope and b.scope and not a.scope & b.scope:
        national_and_guess = {NATIONAL} in (a.scope, b.scope) and (a.scope_guessed or b.scope_guessed)
        if not national_and_guess:
            return False  # a guessed place may be the whole country's count's: judged on their ratio below
    if not (a.scope_guessed or b.scope_guessed) and a.scope != b.scope and (a.scope < b.scope or b.scope < a.scope):
        return False  # one province's toll is a part of six provinces' toll
    if not (a.scope_guessed or b.scope_guessed) or a.subject not in _COMPARED_VALUES:
        return True
    low, high = sorted((_finite(a), _finite(b)))
    return low > 0 and high / low <= settings.guessed_scope_ratio


def _finite(count: Count) -> float:
    figure = count.statement.figure
    return figure.value if figure is not None else count.low


def _pair_key(a: Count, b: Count) -> tuple[str, ...]:
    """One contradiction per pair of sources and thing; inside one document, per pair of speakers."""
    if a.statement.span.document_id == b.statement.span.document_id:
        return (a.statement.span.document_id, *sorted((a.speaker, b.speaker)))
    return tuple(sorted((a.source, b.source)))


def _overlap(a: Count, b: Count) -> bool:
    return max(a.low, b.low) <= min(a.high, b.high)


def _verdict(a: Count, b: Count) -> str | None:
    same_document = a.statement.span.document_id == b.statement.span.document_id
    if a.source == b.source and not same_document:
        return "update"  # one source (a dispatch and its reprints) revised its count
    if a.speaker and a.speaker == b.speaker:
        return "update"  # one source revised its own count
    if a.provisional or b.provisional or (a.subject in _COMPARED_VALUES and _different_days(a.statement, b.statement)):
        return "update"  # a toll grows from one report to the next; a measure does not
    if same_document and not (a.speaker and b.speaker):
        return None  # a report restating a count in its own words, or a sub-count it leaves unnamed
    return "contradiction"


def _different_days(a: Statement, b: Statement) -> bool:
    if a.published is None or b.published is None or a.published.day is None or b.published.day is None:
        return False
    return a.published != b.published


def _history(members: Sequence[Count]) -> tuple[Statement, ...]:
    """One statement per value, earliest report first; when a report's day is unknown, by value (tolls grow)."""
    dated = all(c.statement.published is not None and c.statement.published.day is not None for c in members)
    ordered = sorted(
        members,
        key=lambda c: (
            (_day_key(c.statement), c.statement.time or "", c.low) if dated else (c.low,),
            not c.speaker, c.headline, c.order,
        ),
    )
    out: list[Statement] = []
    values: set[float] = set()
    for count in ordered:
        figure = count.statement.figure
        value = figure.value if figure is not None else count.low
        if value not in values:
            values.add(value)
            out.append(count.statement)
    return tuple(out)


def _day_key(statement: Statement) -> tuple[int, int, int]:
    day = statement.published
    if day is None:
        return (9999, 99, 99)
    return (day.year, day.month or 99, day.day or 99)
