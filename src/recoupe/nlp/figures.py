"""Numbers attached to what they count: "au moins 26 véhicules sans pilote", "près de 300 morts".

A number (digits, words, "une dizaine de") is found by pattern, then what it counts
is read from the parse: the noun it modifies (nummod) or the noun right after it.
The noun's category comes from a table, or from what happened to it ("2000
personnes tuées"). Dates, times, ages, percentages and identifiers are no counts.
Number words, categories and qualifiers are data (`lang/<code>/numbers.yaml`,
`figures.yaml`); this module also reads number words for nlp/dates.py.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Token

from recoupe.lang import LanguageResources
from recoupe.lang.records import Figures, Numbers
from recoupe.model import Document, Figure, FigureCategory, Qualifier, Span
from recoupe.nlp.positions import doc_text

# A bare four-digit number in this range is read as a year unless something makes it a count.
_YEARS = (1900, 2100)
# Tokens between a number and the noun it modifies, at most ("26 nouveaux drones ukrainiens").
_MAX_NUMMOD_DISTANCE = 3
# What can happen to counted people: "la mort de 296 personnes" (not "un avion avec 10 personnes").
_OUTCOMES = {FigureCategory.DEAD, FigureCategory.INJURED, FigureCategory.MISSING, FigureCategory.EVACUATED}
# How far before a number its qualifier ("pas moins de") or blocking word may start, in characters.
_LOOKBEHIND_CHARS = 40


def word_alternation(words: Iterable[str]) -> str:
    """Longest first, so "avant-hier" wins over "hier"; a space matches any spacing, ' matches ’."""
    escaped = (
        re.escape(word).replace("'", "['’]").replace(r"\ ", r"\s+")
        for word in sorted((str(w) for w in words), key=len, reverse=True)
    )
    return "|".join(escaped) or "(?!)"


def lookup(table: Mapping[str, Any], text: str) -> Any:
    """The entry of a word table for a matched text, whatever its case, apostrophe or spacing."""
    wanted = _key(text)
    for word, value in table.items():
        if _key(str(word)) == wanted:
            return value
    return None


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip()


# -- numbers -------------------------------------------------------------------------


def number_regex(numbers: Numbers) -> str:
    """A number as digits ("1 000", "2,5", "3 millions") or words ("vingt-six", "deux cents")."""
    separators = "".join(re.escape(s) for s in numbers.thousands_separators)
    decimal = re.escape(numbers.decimal_separator)
    multipliers = word_alternation(numbers.multipliers)
    words = word_alternation([*numbers.words, *numbers.multipliers])
    joiners = word_alternation(numbers.joiners)
    grouped = rf"\d{{1,3}}(?:[{separators}]\d{{3}})+" if separators else r"(?!)"
    digits = rf"(?:{grouped}|\d+(?:{decimal}\d+)?)(?:\s+(?:{multipliers}))?"
    spelled = rf"(?:{words})(?:[\s-]+(?:(?:{joiners})[\s-]+)?(?:{words}))*"
    return rf"{digits}|{spelled}"


def parse_number(text: str, numbers: Numbers) -> float | None:
    """The value of a number matched by `number_regex`; None for what is no number."""
    parts = re.split(r"[\s-]+", text.strip().lower().replace("’", "'"))
    multipliers = {k.lower(): v for k, v in numbers.multipliers.items()}
    if parts and parts[0][:1].isdigit():
        head, tail = parts[0], parts[1:]
        while tail and tail[0].isdigit():  # "1 000" split on its space
            head, tail = head + tail[0], tail[1:]
        value = _parse_digits(head, numbers)
        if tail and numbers.decimal_separator in head and re.fullmatch(r"\d{1,3}\D\d{3}", head):
            value = float(head.replace(numbers.decimal_separator, "."))  # "1,089 million": a decimal before a multiplier
        for word in tail:
            if value is None or word not in multipliers:
                return None
            value *= multipliers[word]
        return value
    return _parse_words([p for p in parts if p not in numbers.joiners], numbers)


def _parse_digits(text: str, numbers: Numbers) -> float | None:
    separators = numbers.thousands_separators
    decimal = numbers.decimal_separator
    if re.fullmatch(r"\d{1,3}(?:[^\d]\d{3})+", text) and all(c.isdigit() or c in separators for c in text):
        return float(re.sub(r"\D", "", text))
    try:
        return float(text.replace(decimal, "."))
    except ValueError:
        return None


def _parse_words(parts: list[str], numbers: Numbers) -> float | None:
    """French-style composition: fixed compounds first ("quatre-vingt-dix"), then sums and products."""
    words = {k.lower(): v for k, v in numbers.words.items()}
    multipliers = {k.lower(): v for k, v in numbers.multipliers.items()}
    total = current = 0
    index = 0
    while index < len(parts):
        for size in (3, 2, 1):
            compound = "-".join(parts[index : index + size])
            if size <= len(parts) - index and (compound in words or compound in multipliers):
                break
        else:
            return None
        if compound in words:
            current += words[compound]
        elif multipliers[compound] >= 1000:
            total += max(current, 1) * multipliers[compound]
            current = 0
        else:
            current = max(current, 1) * multipliers[compound]
        index += size
    return float(total + current) if parts else None


# -- figures -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Count:
    """A number found in the text, before we know what it counts."""

    start: int  # of the qualifier when there is one
    end: int
    value: float
    qualifier: Qualifier
    spelled: bool  # written in words
    approximate: bool  # "une dizaine de", "des dizaines de"


@dataclass(frozen=True, slots=True)
class FigureRules:
    """One language's count patterns and word tables, compiled once (`nlp.analyse.LanguageRules`)."""

    table: Figures
    numbers: Numbers
    count: re.Pattern[str]
    qualifier_before: re.Pattern[str]
    blocked_before: re.Pattern[str]
    not_counted: frozenset[str]  # what follows a number that is no count (figures.yaml)
    months: frozenset[str]  # month names (relative_dates.yaml): "12 mars" counts nothing
    # The category table by first word (form or lemma): (rank, words, entry), rank = place in longest-first order.
    phrases: Mapping[str, tuple[tuple[int, tuple[str, ...], str], ...]] = field(default_factory=dict)
    # Outcome categories and verbs together: what happened to counted people (`_what_happened`).
    happened: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_resources(cls, resources: LanguageResources) -> FigureRules:
        table, numbers = resources.figures, resources.numbers
        approx = word_alternation(numbers.approximate_nouns)
        linkers = word_alternation(table.linkers)
        plural = word_alternation(table.plural_determiners)
        count = re.compile(
            rf"(?<![\w.,/:-])(?:(?P<number>{number_regex(numbers)})(?:\s+(?P<approx>{approx})\s+(?:{linkers})(?!\w))?"
            rf"|(?P<plural>{plural})\s+(?P<approx_plural>{approx})\s+(?:{linkers})(?!\w))(?![-./:]\d)(?!\w)",
            re.IGNORECASE,
        )
        return cls(
            table=table,
            numbers=numbers,
            count=count,
            qualifier_before=re.compile(rf"(?<!\w)(?P<q>{word_alternation(table.qualifiers)})\s*$", re.IGNORECASE),
            blocked_before=re.compile(rf"(?<!\w)(?:{word_alternation(table.not_after)})\s*$", re.IGNORECASE),
            not_counted=frozenset(w.lower() for w in table.not_counted),
            months=frozenset(m.lower() for m in resources.relative_dates.months),
            phrases=_phrase_index(table.categories),
            happened={
                **{word: c for word, c in table.categories.items() if FigureCategory(c) in _OUTCOMES},
                **table.verbs,
            },
        )


def _phrase_index(categories: Mapping[str, str]) -> dict[str, tuple[tuple[int, tuple[str, ...], str], ...]]:
    """The category entries by their first word, each with its rank among all entries, longest first."""
    index: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
    for rank, entry in enumerate(sorted(categories, key=lambda e: len(e.split()), reverse=True)):
        words = tuple(entry.lower().split())
        index.setdefault(words[0] if words else "", []).append((rank, words, entry))
    return {first: tuple(entries) for first, entries in index.items()}


def find_figures(doc: Doc, document: Document, rules: FigureRules) -> list[Figure]:
    """Every number that counts something, with what it counts, its category and its qualifier."""
    if not rules.table.categories or not rules.numbers.words:
        return []
    starts = [token.idx for token in doc]
    text = doc_text(doc)
    excluded = [m.span() for p in rules.table.excluded for m in p.finditer(text)]
    figures = []
    for count in _counts(text, rules):
        if any(s < count.end and count.start < e for s, e in excluded):
            continue
        figure = _attach(count, doc, starts, document, rules)
        if figure is not None:
            figures.append(figure)
    return figures


def _counts(text: str, rules: FigureRules) -> Iterable[_Count]:
    approx_nouns = rules.numbers.approximate_nouns
    for match in rules.count.finditer(text):
        before = text[max(0, match.start() - _LOOKBEHIND_CHARS) : match.start()]
        if match.group("plural"):
            value = 2 * float(lookup(approx_nouns, match.group("approx_plural")))
            yield _Count(match.start(), match.end(), value, Qualifier.AT_LEAST, True, True)
            continue
        if rules.blocked_before.search(before):
            continue
        value = parse_number(match.group("number"), rules.numbers)
        if value is None:
            continue
        qualifier, start = Qualifier.EXACT, match.start()
        found = rules.qualifier_before.search(before)
        if found:
            qualifier = Qualifier(lookup(rules.table.qualifiers, found.group("q")))
            start = match.start() - len(before) + found.start()
        if match.group("approx"):
            value *= float(lookup(approx_nouns, match.group("approx")))
            qualifier = qualifier if found else Qualifier.ABOUT
        spelled = not match.group("number")[:1].isdigit()
        yield _Count(start, match.end(), value, qualifier, spelled, bool(match.group("approx")))


def _attach(count: _Count, doc: Doc, starts: list[int], document: Document, rules: FigureRules) -> Figure | None:
    """The figure a count makes with the noun after it, or None when it counts nothing we know."""
    table = rules.table
    number_token = doc[max(bisect.bisect_right(starts, count.end - 1) - 1, 0)]
    after = bisect.bisect_left(starts, count.end)
    if after >= len(doc):
        return None
    noun = doc[after]
    if count.approximate is False and noun.text.lower().replace("’", "'") in table.linkers:
        if after + 1 >= len(doc):
            return None
        noun = doc[after + 1]  # "3 millions de personnes"
    head = number_token.head
    if number_token.dep_ == "nummod" and 0 < head.i - noun.i <= _MAX_NUMMOD_DISTANCE and head.pos_ == "NOUN":
        noun = head
    counted, category, last = _counted(noun, rules)
    if counted is None:
        return None
    if count.spelled and count.value == 1 and not count.approximate and category not in _OUTCOMES:
        return None  # "un", "une": an article ("un avion s'est écrasé") unless it counts people ("un blessé")
    looks_like_year = _YEARS[0] <= count.value <= _YEARS[1] and count.value == int(count.value) and not count.spelled
    if looks_like_year and count.qualifier is Qualifier.EXACT and category is FigureCategory.OTHER:
        return None  # "en 2023 Moscou", but "plus de 2000 personnes"
    end = last.idx + len(last.text)
    return Figure(
        span=Span(document.id, count.start, end),
        text=document.text[count.start : end],
        value=count.value,
        counted=counted,
        category=category,
        qualifier=count.qualifier,
    )


def _counted(noun: Token, rules: FigureRules) -> tuple[str | None, FigureCategory, Token]:
    """What `noun` counts: (lemma or unit, category, last token of the phrase); lemma None for no count."""
    table = rules.table
    if noun.text.lower() in rules.not_counted or noun.text.lower() in rules.months or noun.lemma_.lower() in rules.not_counted:
        return None, FigureCategory.OTHER, noun
    unit = lookup(table.units, noun.text)
    if unit is None and noun.pos_ == "NOUN":
        unit = lookup(table.units, noun.lemma_)
    if unit is not None:
        return str(unit), FigureCategory.DISTANCE, noun
    phrase, category, last = _category_phrase(noun, rules)
    if phrase is not None:
        return phrase, category, last
    if noun.pos_ != "NOUN":
        return None, FigureCategory.OTHER, noun
    event = _what_happened(noun, rules.happened, table.object_verbs)
    return noun.lemma_.lower(), event or FigureCategory.OTHER, noun


def _category_phrase(noun: Token, rules: FigureRules) -> tuple[str | None, FigureCategory, Token]:
    """The longest entry of the category table that the words from `noun` on spell, by lemma or form
    (of entries as long, the first of the table); only entries starting with `noun`'s form or lemma are tried."""
    doc = noun.doc
    firsts = dict.fromkeys((noun.text.lower(), noun.lemma_.lower(), ""))
    candidates = sorted(entry for first in firsts for entry in rules.phrases.get(first, ()))
    for _, words, entry in candidates:
        tokens = doc[noun.i : noun.i + len(words)]
        if len(tokens) == len(words) and all(w in (t.text.lower(), t.lemma_.lower()) for w, t in zip(words, tokens)):
            return entry, FigureCategory(rules.table.categories[entry]), tokens[-1]
    return None, FigureCategory.OTHER, noun


def _what_happened(noun: Token, words: Mapping[str, str], object_verbs: Iterable[str]) -> FigureCategory | None:
    """The category what happened gives the counted people.

    A participle ("personnes tuées"), the verb they undergo ("civils ont été tués",
    "tuant deux civils"), the predicate of an intransitive subject ("trois personnes
    sont mortes") or the noun they complete ("la mort de 296 personnes"); never the
    verb of an agent ("deux hommes ont tué..."), nor of an object that may be a
    place ("évacuer une installation").
    """
    related = [child for child in noun.children if child.dep_ in ("amod", "acl", "acl:relcl")]
    head = noun.head
    if noun.dep_ in ("nsubj:pass", "nmod") or (noun.dep_ == "obj" and head.lemma_.lower() in object_verbs):
        related.append(head)
    elif noun.dep_ == "nsubj" and not any(child.dep_ == "obj" for child in head.children):
        related.append(head)
    for token in related:
        category = words.get(token.lemma_.lower()) or words.get(token.text.lower())
        if category:
            return FigureCategory(category)
    return None
