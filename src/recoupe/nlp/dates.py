"""Time expressions resolved to a day or an interval, anchored on the publication day.

The words and patterns are data (`lang/<code>/relative_dates.yaml`); this module
knows only how each kind of pattern resolves. Absolute dates go through
dateparser; relative ones ("mardi", "la veille", "dans la nuit de lundi à mardi")
need the day of publication and are skipped without it, unless the caller gives
a `reference` day (the events stage re-resolves with an inferred one).

Reading is two steps: `time_phrases` finds every phrase with what the parse says
of it (its attachment, the tense governing a weekday), `resolve_times` turns
phrases into days against an anchor. Analyses keep the phrases, so re-dating a
document against another day (`nlp.analyse.redate`) needs no second parse.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import dateparser
from spacy.tokens import Doc, Token

from recoupe.errors import ConfigError
from recoupe.lang import LanguageResources
from recoupe.lang.records import Numbers, RelativeDates
from recoupe.model import DateRange, Document, PartialDate, Span, TimeExpression, TimePhrase
from recoupe.nlp.figures import lookup, number_regex, parse_number, word_alternation
from recoupe.nlp.positions import doc_text

Value = dt.date | DateRange

# Placeholder in a pattern -> the table of relative_dates.yaml whose words it stands for.
_LEXICONS = {
    "weekday": "weekdays",
    "month": "months",
    "offset": "offsets",
    "period": "periods",
    "direction": "directions",
    "lead": "leads",
    "part_of_day": "parts_of_day",
    "unit": "units",
}
# A date without a year is read in the year that puts it nearest the anchor: half a year either way.
_YEAR_WINDOW_DAYS = 183


@dataclass(frozen=True, slots=True)
class Anchor:
    """What is known of the day the text speaks from: a day, or only a month or a year."""

    year: int | None = None
    month: int | None = None
    day: dt.date | None = None

    @classmethod
    def of(cls, published: PartialDate | None, reference: dt.date | None = None) -> Anchor:
        if reference is not None:
            return cls(reference.year, reference.month, reference)
        if published is None:
            return cls()
        return cls(published.year, published.month, published.date)


@dataclass(frozen=True, slots=True)
class _Pattern:
    kind: str
    regex: re.Pattern[str]
    sign: int = 1


@dataclass(frozen=True, slots=True)
class DateRules:
    """One language's time expressions, compiled once (`nlp.analyse.LanguageRules`)."""

    table: RelativeDates
    numbers: Numbers
    language: str
    patterns: tuple[_Pattern, ...]

    @classmethod
    def from_resources(cls, resources: LanguageResources) -> DateRules:
        patterns = compile_patterns(resources.relative_dates, resources.numbers)
        return cls(resources.relative_dates, resources.numbers, resources.code, tuple(patterns))


@dataclass(frozen=True, slots=True)
class _Context:
    """What every resolver may read: the anchor and the tables."""

    anchor: Anchor
    table: RelativeDates
    numbers: Numbers
    language: str


# Pattern kinds whose resolver reads the tense of the clause governing the weekday.
_TENSED = frozenset({"weekday", "weekday_span"})


def find_times(doc: Doc, document: Document, rules: DateRules, *, reference: dt.date | None = None) -> list[TimeExpression]:
    """Every time expression of the text that resolves, with its phrase; `reference` overrides the anchor day."""
    return resolve_times(time_phrases(doc, document, rules), document, rules, reference=reference)


def time_phrases(doc: Doc, document: Document, rules: DateRules) -> list[TimePhrase]:
    """Every match of the language's time patterns, resolvable or not, with what the parse says of it."""
    text = doc_text(doc)
    parsed = doc.has_annotation("DEP")
    phrases = []
    for pattern in rules.patterns:
        for match in pattern.regex.finditer(text):
            start, end = match.start(), match.end()
            depth, on_verb = attachment(doc, start, end) if parsed else (None, False)
            named = match.groupdict()
            tense = None
            if pattern.kind in _TENSED and named.get("weekday") and not (named.get("direction") or named.get("lead")):
                tense = _weekday_tense(doc, match.start("weekday"), rules.table)
            phrases.append(TimePhrase(Span(document.id, start, end), pattern.kind, match.group(0), _present(named), pattern.sign, depth, on_verb, tense))
    return phrases


def _present(named: dict[str, str | None]) -> tuple[tuple[str, str], ...]:
    return tuple((name, words) for name, words in named.items() if words is not None)


def _groups(phrase: TimePhrase) -> defaultdict[str, str | None]:
    """The phrase's named groups by name; a group that did not match reads None."""
    return defaultdict(lambda: None, phrase.groups)


def resolve_times(
    phrases: Iterable[TimePhrase], document: Document, rules: DateRules, *, reference: dt.date | None = None
) -> list[TimeExpression]:
    """The phrases that resolve against the document's publication day (or `reference`), overlapping
    ones keeping the longest, in text order."""
    context = _Context(anchor=Anchor.of(document.published, reference), table=rules.table, numbers=rules.numbers, language=rules.language)
    found: list[tuple[int, int, TimePhrase, Value]] = []
    for phrase in phrases:
        value = _RESOLVERS[phrase.kind](phrase, context)
        if value is not None:
            found.append((phrase.span.start, phrase.span.end, phrase, value))
    return [
        TimeExpression(Span(document.id, start, end), document.text[start:end], value, phrase.depth, phrase.on_verb)
        for start, end, phrase, value in _longest_first(found)
    ]


def compile_patterns(table: RelativeDates, numbers: Numbers) -> list[_Pattern]:
    """The patterns of relative_dates.yaml with their placeholders expanded and word guards added."""
    alternations = {name: word_alternation(getattr(table, key)) for name, key in _LEXICONS.items()}
    alternations["number"] = number_regex(numbers)
    patterns = []
    for index, entry in enumerate(table.patterns):
        if entry.kind not in _RESOLVERS:
            raise ConfigError(f"relative_dates.yaml: patterns[{index}].kind: unknown pattern kind {entry.kind!r}, known: {sorted(_RESOLVERS)}")
        source = entry.regex
        for name, alternation in alternations.items():
            source = source.replace("{" + name + "}", f"(?:{alternation})")
        try:
            regex = re.compile(rf"(?<!\w)(?:{source})(?!\w)", re.IGNORECASE)
        except re.error as error:
            raise ConfigError(f"relative_dates.yaml: patterns[{index}].regex: broken once expanded: {error}") from None
        patterns.append(_Pattern(entry.kind, regex, entry.sign))
    return patterns


def _longest_first(found: list[tuple[int, int, TimePhrase, Value]]) -> list[tuple[int, int, TimePhrase, Value]]:
    """Overlapping matches keep the longest ("mardi 12 mars 2024" over "mardi"), then text order.

    Kept matches never overlap, so sorted by start they are sorted by end too: only the
    last one starting before a match's end can overlap it (bisection, not a scan of all)."""
    starts: list[int] = []
    ends: list[int] = []
    kept: list[tuple[int, int, TimePhrase, Value]] = []
    for start, end, phrase, value in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        before = bisect_left(starts, end)  # kept matches starting before `end`: [0, before)
        if before and ends[before - 1] > start:
            continue
        starts.insert(before, start)
        ends.insert(before, end)
        kept.append((start, end, phrase, value))
    return sorted(kept, key=lambda f: f[0])


# -- resolvers: one per pattern kind ------------------------------------------------


def _resolve_date(phrase: TimePhrase, context: _Context) -> Value | None:
    anchor = context.anchor
    explicit_year = phrase.group("year")
    if explicit_year is None and anchor.year is None:
        return None
    base = dt.datetime(anchor.year or int(explicit_year), anchor.month or 1, anchor.day.day if anchor.day else 1)
    settings = {
        "DATE_ORDER": context.table.date_order,
        "PREFER_DATES_FROM": "current_period",
        "REQUIRE_PARTS": ["day", "month"],
        "RELATIVE_BASE": base,
    }
    parsed = dateparser.parse(phrase.text, languages=[context.language], settings=settings)
    if parsed is None:
        return None
    day = parsed.date()
    if explicit_year is None:
        return _nearest_year(day.month, day.day, anchor)
    return day


def _resolve_day_span(phrase: TimePhrase, context: _Context) -> Value | None:
    groups = _groups(phrase)
    month = lookup(context.table.months, groups["month"])
    month_start = lookup(context.table.months, groups["month_start"]) if groups.get("month_start") else month
    if month is None or month_start is None:
        return None
    day, day_end = int(groups["day"]), int(groups["day_end"])
    try:
        if groups.get("year"):
            end = dt.date(int(groups["year"]), month, day_end)
        else:
            end = _nearest_year(month, day_end, context.anchor)
            if end is None:
                return None
        if groups.get("year_start"):
            start_year = int(groups["year_start"])
        else:
            start_year = end.year if (month_start, day) <= (month, day_end) else end.year - 1
        start = dt.date(start_year, month_start, day)
    except ValueError:
        return None
    return DateRange(start, end) if start < end else None


def _resolve_weekday(phrase: TimePhrase, context: _Context) -> Value | None:
    anchor = context.anchor.day
    weekday = lookup(context.table.weekdays, phrase.group("weekday"))
    if anchor is None or weekday is None:
        return None
    direction, strict = _direction(phrase, context)
    return _weekday_near(anchor, weekday, direction, strict=strict)


def _resolve_weekday_day(phrase: TimePhrase, context: _Context) -> Value | None:
    """ "lundi 11": the 11th of the anchor's month or of a month beside it; the day number beats the weekday.

    Of the three candidates, the one falling on the named weekday wins; when none
    does (a typo in the text), the 11th nearest the anchor.
    """
    anchor = context.anchor
    weekday = lookup(context.table.weekdays, phrase.group("weekday"))
    day = int(phrase.group("day"))
    if anchor.year is None or anchor.month is None:
        return None
    candidates = []
    for step in (-1, 0, 1):
        year, month = _add_months(anchor.year, anchor.month, step)
        if day <= calendar.monthrange(year, month)[1]:
            candidates.append(dt.date(year, month, day))
    if anchor.day is None:  # a month-only anchor: the day of that month, whatever the weekday says
        return next((c for c in candidates if c.month == anchor.month), None)
    matching = [c for c in candidates if c.weekday() == weekday] or candidates
    return min(matching, key=lambda c: abs((c - anchor.day).days)) if matching else None


def _resolve_weekday_span(phrase: TimePhrase, context: _Context) -> Value | None:
    start = _resolve_weekday(phrase, context)
    weekday_end = lookup(context.table.weekdays, phrase.group("weekday_end"))
    if start is None or weekday_end is None:
        return None
    assert isinstance(start, dt.date)
    return DateRange(start, start + dt.timedelta(days=(weekday_end - start.weekday()) % 7 or 7))


def _resolve_offset(phrase: TimePhrase, context: _Context) -> Value | None:
    days = lookup(context.table.offsets, phrase.group("offset"))
    if context.anchor.day is None or days is None:
        return None
    return context.anchor.day + dt.timedelta(days=int(days))


def _resolve_period(phrase: TimePhrase, context: _Context) -> Value | None:
    entry = lookup(context.table.periods, phrase.group("period"))
    if entry is None:
        return None
    unit, count = entry[0], int(entry[1])
    anchor = context.anchor
    if unit in ("week", "weekend"):
        if anchor.day is None:
            return None
        monday = anchor.day - dt.timedelta(days=anchor.day.weekday()) + dt.timedelta(weeks=count)
        first = monday + dt.timedelta(days=5) if unit == "weekend" else monday
        return DateRange(first, monday + dt.timedelta(days=6))
    if unit == "month" and anchor.year is not None and anchor.month is not None:
        year, month = _add_months(anchor.year, anchor.month, count)
        return _month_range(year, month)
    if unit == "year" and anchor.year is not None:
        return DateRange(dt.date(anchor.year + count, 1, 1), dt.date(anchor.year + count, 12, 31))
    return None


def _resolve_month(phrase: TimePhrase, context: _Context) -> Value | None:
    groups = _groups(phrase)
    month = lookup(context.table.months, groups["month"])
    if month is None:
        return None
    if groups.get("year"):
        return _month_range(int(groups["year"]), month)
    anchor = context.anchor
    if anchor.year is None:
        return None
    if anchor.month is None:
        return _month_range(anchor.year, month)
    direction = lookup(context.table.directions, groups["direction"]) if groups.get("direction") else None
    if direction == "past":
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif direction == "future":
        year = anchor.year if month > anchor.month else anchor.year + 1
    else:
        year = min((anchor.year - 1, anchor.year, anchor.year + 1), key=lambda y: abs(y * 12 + month - anchor.year * 12 - anchor.month))
    return _month_range(year, month)


def _resolve_year(phrase: TimePhrase, context: _Context) -> Value | None:
    year = int(phrase.group("year"))
    return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _resolve_count_units(phrase: TimePhrase, context: _Context) -> Value | None:
    anchor = context.anchor.day
    count = parse_number(phrase.group("count"), context.numbers)
    unit = lookup(context.table.units, phrase.group("unit"))
    if anchor is None or count is None or unit is None or count != int(count):
        return None
    steps = phrase.sign * int(count)
    if unit in ("day", "week"):
        return anchor + dt.timedelta(days=steps * (7 if unit == "week" else 1))
    year, month = _add_months(anchor.year, anchor.month, steps * (12 if unit == "year" else 1))
    return dt.date(year, month, min(anchor.day, calendar.monthrange(year, month)[1]))


_RESOLVERS: dict[str, Callable[[TimePhrase, _Context], Value | None]] = {
    "date": _resolve_date,
    "day_span": _resolve_day_span,
    "weekday": _resolve_weekday,
    "weekday_span": _resolve_weekday_span,
    "weekday_day": _resolve_weekday_day,
    "offset": _resolve_offset,
    "period": _resolve_period,
    "month": _resolve_month,
    "year": _resolve_year,
    "count_units": _resolve_count_units,
}


# -- calendar helpers ----------------------------------------------------------------


def _weekday_near(anchor: dt.date, weekday: int, direction: str | None, *, strict: bool = False) -> dt.date:
    """The weekday before the anchor in the past, after it in the future, else the nearest (same day included).

    `strict` leaves the anchor day out: "mardi dernier" written on a Tuesday is the one a week before.
    """
    back = (anchor.weekday() - weekday) % 7 or (7 if strict else 0)
    ahead = (weekday - anchor.weekday()) % 7 or (7 if strict else 0)
    if direction == "past" or (direction is None and back <= ahead):
        return anchor - dt.timedelta(days=back)
    return anchor + dt.timedelta(days=ahead)


def _nearest_year(month: int, day: int, anchor: Anchor) -> dt.date | None:
    """The day of that month in the year nearest the anchor (its year alone when that is all it has)."""
    if anchor.year is None:
        return None
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    if anchor.month is None:
        same_year = [c for c in candidates if c.year == anchor.year]
        return same_year[0] if same_year else None
    centre = anchor.day or dt.date(anchor.year, anchor.month, 15)
    best = min(candidates, key=lambda c: abs((c - centre).days))
    return best if abs((best - centre).days) <= _YEAR_WINDOW_DAYS else None


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def _month_range(year: int, month: int) -> DateRange:
    return DateRange(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))


# -- place in the parse ---------------------------------------------------------------

# Dependencies that open a clause below their head (Universal Dependencies).
_CLAUSE_DEPS = frozenset({"ccomp", "csubj", "advcl", "acl", "acl:relcl", "parataxis", "xcomp"})


def attachment(doc: Doc, start: int, end: int) -> tuple[int | None, bool]:
    """(clauses between the phrase and the main verb, whether it modifies a verb) for the characters [start, end).

    The phrase's head is its token whose head lies outside it; walking up from
    there, each clausal dependency crossed is one clause further down.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None, False
    head = span.root
    on_verb = head.head.pos_ in ("VERB", "AUX")
    depth, token = 0, head
    for _ in range(len(doc)):
        if token.head.i == token.i:  # the root (spaCy makes a new Token at each access: `is` never holds)
            break
        if token.dep_ in _CLAUSE_DEPS:
            depth += 1
        token = token.head
    return depth, on_verb


# -- tense of the clause -------------------------------------------------------------


def _direction(phrase: TimePhrase, context: _Context) -> tuple[str | None, bool]:
    """"past", "future" or None, and whether the anchor day itself is left out.

    A direction word ("dernier", "prochain") points away from the anchor day; a
    lead word ("jusqu'à", "depuis") points its way whatever the tense of the verb
    ("la garde à vue a été prolongée jusqu'à lundi" is a Monday to come); else
    the tense of the governing verb decides (read from the parse with the phrase: `_weekday_tense`).
    """
    if direction := phrase.group("direction"):
        return lookup(context.table.directions, direction), True
    if lead := phrase.group("lead"):
        return lookup(context.table.leads, lead), False
    return phrase.tense, False


def _weekday_tense(doc: Doc, start: int, table: RelativeDates) -> str | None:
    """The tense of the clause governing the weekday at character `start`, None when the parse gives none."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    verb = _governing_verb(span[0]) if span else None
    return clause_tense(verb, table.future_auxiliaries) if verb is not None else None


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb up the dependency tree ("ont déjà eu lieu mardi": eu)."""
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def clause_tense(verb: Token, future_auxiliaries: Any = ()) -> str | None:
    """"past" for a compound past, imperfect or simple past; "future" for a future or aller + infinitive."""
    auxiliaries = [child for child in verb.children if child.dep_.startswith("aux")]
    tenses = {tense for token in (verb, *auxiliaries) for tense in token.morph.get("Tense")}
    if "Fut" in tenses or any(aux.lemma_ in future_auxiliaries for aux in auxiliaries):
        return "future"
    if verb.lemma_ in future_auxiliaries and any(c.morph.get("VerbForm") == ["Inf"] for c in verb.children):
        return "future"
    compound_past = "Part" in verb.morph.get("VerbForm") and any(a.dep_ == "aux:tense" for a in auxiliaries)
    simple_past = "Fin" in verb.morph.get("VerbForm") and tenses & {"Past", "Imp"}
    if compound_past or simple_past:
        return "past"
    return None
