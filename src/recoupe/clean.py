"""RawDocument -> Document: mark which ranges of the original are article.

Cleaning never rewrites text. It classifies lines (title, boilerplate, repeat,
live-blog entry, body) with the language's `noise.yaml` rules and returns
`Segment`s over the original, so every offset found later stays valid.
`masked_text` gives the NLP stages the original with non-article blanked out.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from recoupe.formats import looks_like_title
from recoupe.lang import LanguageResources
from recoupe.model import Document, PartialDate, RawDocument, Segment, SegmentKind, SourceFormat
from recoupe.settings import CleanSettings

DETECTED_LANGUAGES = ("fr", "en", "de", "it", "es", "ru", "uk")
# The opening of an article tells its language as well as the whole of it, for a fraction of the cost.
LANGUAGE_SAMPLE_CHARS = 2000
# Truncated repeats sit next to their original (caption, headline): comparing with
# the last few kept lines keeps the check linear on long pages.
_RECENT_LINES = 10
# Above this, a line is a paragraph, not a repeated headline: skip the O(n*m) ratio.
_MAX_RATIO_CHARS = 300
# Navigation links above the title are section names or single words ("International", "Russie").
_NAV_MAX_WORDS = 1
# A last line this short without final punctuation is a leftover tag or link ("fr-02", "L'article").
_TRAILING_MAX_WORDS = 2
_TERMINAL = (".", "!", "?", "…", "»", '"', "”", ")")


@dataclass(frozen=True, slots=True)
class NoiseRules:
    """The `noise.yaml` of one language as the rules read it, built once per language (`pipeline.Tools`)."""

    line_patterns: tuple[re.Pattern[str], ...]
    end_markers: tuple[re.Pattern[str], ...]
    closing_signatures: tuple[re.Pattern[str], ...]
    line_prefixes: tuple[re.Pattern[str], ...]
    sections: frozenset[str]
    entry_time: re.Pattern[str] | None
    min_entries: int
    post_credit: re.Pattern[str] | None
    dateline: re.Pattern[str] | None
    months: dict[str, int]
    weekdays: tuple[str, ...]
    credits: tuple[re.Pattern[str], ...]
    byline: re.Pattern[str] | None
    name_connectors: frozenset[str]

    @classmethod
    def from_resources(cls, resources: LanguageResources) -> NoiseRules:
        noise = resources.noise  # patterns compiled at load (case-insensitive)
        return cls(
            line_patterns=tuple(p for group in noise.line_patterns.values() for p in group),
            end_markers=noise.end_markers,
            closing_signatures=noise.closing_signatures,
            line_prefixes=noise.line_prefixes,
            sections=frozenset(s.casefold() for s in noise.sections),
            entry_time=noise.entry_time,
            min_entries=noise.min_entries,
            post_credit=noise.post_credit,
            dateline=noise.dateline,
            months={k.casefold(): v for k, v in noise.months.items()},
            weekdays=noise.weekdays,
            credits=noise.credits,
            byline=noise.byline,
            name_connectors=frozenset(w.casefold() for w in noise.name_connectors),
        )


@dataclass(slots=True)
class _Line:
    start: int  # content range in the document text, whitespace and prefixes trimmed
    end: int
    text: str
    kind: SegmentKind | None = None  # None: not article
    time: str | None = None


def build_language_detector(codes: Iterable[str] = DETECTED_LANGUAGES):
    """A lingua detector over the given ISO 639-1 codes only (fewer models, fewer confusions)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = [IsoCode639_1.from_str(code) for code in codes]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


def detect_language(detector, text: str) -> str | None:
    """The ISO 639-1 code of `text`, or None when the detector cannot tell."""
    found = detector.detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found else None


def clean_in_language(
    raw: RawDocument, noise: Mapping[str, NoiseRules], default: str, detector, settings: CleanSettings
) -> Document:
    """Clean with the noise rules of the document's language: the one its container declares, else
    the one its opening is detected in; a language without rules of its own takes `default`'s."""
    code = raw.language or detect_language(detector, raw.text[:LANGUAGE_SAMPLE_CHARS])
    rules = noise.get(code or "", noise[default])
    return clean(replace(raw, language=raw.language or code), rules, detector, settings)


def clean(raw: RawDocument, rules: NoiseRules, detector, settings: CleanSettings) -> Document:
    """Mark the article ranges of one document and fill in what the text states about it.

    `rules` are the `NoiseRules` of the document's language, built once per language."""
    lines = _lines(raw.text, rules)
    posts = _strip_noise(lines, rules, raw.title, settings)
    _drop_credits(lines, rules)
    _mark_live_blog(lines, rules)
    kept = [line for line in lines if line.kind is not None]
    groups = _group(lines)
    texts = [raw.text[group[0].start : group[-1].end] for group in groups]
    if any(group[0].kind is SegmentKind.ENTRY for group in groups):
        # Live blogs mix stories, and sometimes languages: each entry is detected on its own.
        detected = _detect_each(detector, texts, settings.min_letters_for_language)
        language = raw.language or _majority(texts, detected)
    else:
        # One article, one language: a single detection costs a fraction of one per segment.
        detected = [None] * len(texts)
        language = raw.language or _detect_each(detector, ["\n".join(texts)], settings.min_letters_for_language)[0]
    segments = tuple(
        Segment(group[0].start, group[-1].end, group[0].kind, group[0].time, found or language)
        for group, found in zip(groups, detected)
    )
    # A plain-text title is only what the text shows as one; containers declare theirs.
    declared = None if raw.format is SourceFormat.TEXT else raw.title
    title = next((line.text for line in kept if line.kind is SegmentKind.TITLE), declared)
    published = _refine_with_dateline(raw.published, kept, rules) or _published_from_posts(posts, kept, rules)
    return Document(
        id=document_id(raw),
        content_hash=_digest(raw.text),
        source=raw.source,
        text=raw.text,
        format=raw.format,
        segments=segments,
        title=title,
        outlet=raw.outlet,
        url=raw.url,
        published=published,
        updated=raw.updated,
        language=language,
    )


def masked_text(document: Document) -> str:
    """The original with every character outside the segments turned into a space (newlines kept)."""
    parts: list[str] = []
    position = 0
    for segment in sorted(document.segments, key=lambda s: s.start):
        parts.append(_NOT_NEWLINE.sub(" ", document.text[position : segment.start]))
        parts.append(document.text[segment.start : segment.end])
        position = max(position, segment.end)
    parts.append(_NOT_NEWLINE.sub(" ", document.text[position:]))
    return "".join(parts)


_NOT_NEWLINE = re.compile(r"[^\n]")


def document_id(raw: RawDocument) -> str:
    """A document is its text, plus its URL when known: never the path as typed
    ("dev", "./dev/" and an absolute path name one document)."""
    return _digest(f"{raw.url or ''}\0{raw.text}")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def _lines(text: str, rules: NoiseRules) -> list[_Line]:
    """Every non-blank line, trimmed; the first one loses its header prefixes."""
    lines = []
    offset = 0
    for raw_line in text.split("\n"):
        start, end = offset, offset + len(raw_line)
        offset = end + 1
        if not raw_line.strip():
            continue
        if not lines:
            for prefix in rules.line_prefixes:
                match = prefix.match(text, start, end)
                if match and match.end() > start:
                    start = match.end()
            if start >= end or not text[start:end].strip():
                continue
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        lines.append(_Line(start, end, text[start:end], SegmentKind.BODY))
    return lines


_NOT_ALNUM = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    """Letters and digits only, case-folded: "lUkraine" and "l’Ukraine" compare equal."""
    return _NOT_ALNUM.sub("", text.casefold())


def _strip_noise(lines: list[_Line], rules: NoiseRules, declared_title: str | None, settings: CleanSettings) -> list[str]:
    """Set `kind` to None on boilerplate lines and pick the title; return embedded posts' date strings."""
    posts: list[str] = []
    seen: set[str] = set()
    recent: list[str] = []  # the last kept lines, where truncated repeats are found
    title_key: str | None = None
    title_matcher: difflib.SequenceMatcher | None = None  # the title's index built once, not once per line
    before_title = True
    ended = False
    body_kept = False
    for index, line in enumerate(lines):
        credit = rules.post_credit.match(line.text) if rules.post_credit else None
        if ended or any(p.search(line.text) for p in rules.end_markers):
            ended = True
        elif credit:
            posts.append(credit.group(1))
            _drop_post_text(lines, index)
        elif any(p.search(line.text) for p in rules.line_patterns):
            pass
        elif before_title and _is_navigation(line, lines, index, rules):
            pass
        elif _is_repeat(key := _key(line.text), seen, recent, title_key, settings, title_matcher):
            pass
        else:
            if before_title:
                before_title = False
                if _is_title(line.text, declared_title):
                    line.kind = SegmentKind.TITLE
                    title_key = key
                    title_matcher = difflib.SequenceMatcher(None, "", title_key, autojunk=False)
            seen.add(key)
            recent = [*recent[-_RECENT_LINES + 1 :], key]
            signed = line.kind is SegmentKind.BODY and any(p.search(line.text) for p in rules.closing_signatures)
            # An agency's signature on the first body line, with more text below, is
            # a photo caption's credit above the article (dev2 050), not its end.
            caption = signed and not body_kept and index + 1 < len(lines)
            if not caption:
                ended, body_kept = signed, body_kept or line.kind is SegmentKind.BODY
                continue
        line.kind = None
    _drop_trailing_fragment(lines)
    return posts


def _is_title(text: str, declared: str | None) -> bool:
    return (declared is not None and _key(text) == _key(declared)) or looks_like_title(text)


def _is_navigation(line: _Line, lines: list[_Line], index: int, rules: NoiseRules) -> bool:
    """Section links sit above the title: a listed section name, or a lone word before more text."""
    if line.text.casefold() in rules.sections:
        return True
    words = line.text.split()
    return len(words) <= _NAV_MAX_WORDS and not line.text.endswith(_TERMINAL) and index + 1 < len(lines)


def _is_repeat(
    key: str, seen: set[str], recent: list[str], title_key: str | None, settings: CleanSettings,
    title_matcher: difflib.SequenceMatcher | None = None,
) -> bool:
    """Equal to an earlier line, a truncated copy of the title or a recent line, or near-equal to the
    title; a line without letters or digits ("," left by a split byline) is never article.
    `title_matcher`: a SequenceMatcher whose second sequence is `title_key` (its index is built once)."""
    if not key or key in seen:
        return True
    if len(key) >= settings.repeat_prefix_chars and any(earlier.startswith(key) for earlier in (title_key or "", *recent)):
        return True
    if title_key and len(key) <= _MAX_RATIO_CHARS:
        matcher = title_matcher or difflib.SequenceMatcher(None, "", title_key, autojunk=False)
        matcher.set_seq1(key)
        threshold = settings.repeat_ratio
        # cheap upper bounds first: most lines are nowhere near the title
        return matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold
    return False


def _drop_post_text(lines: list[_Line], credit_index: int) -> None:
    """An embed's credit line follows the post's text: the line just above is the post, not the article."""
    if credit_index > 0 and lines[credit_index - 1].kind is SegmentKind.BODY:
        lines[credit_index - 1].kind = None


def _drop_credits(lines: list[_Line], rules: NoiseRules) -> None:
    """Reporter credits and bylines are no article. A credit takes the lines of names
    just above it: links split "CNN’s A, B and C contributed reporting." over lines."""
    for index, line in enumerate(lines):
        if line.kind is None:
            continue
        byline = rules.byline.match(line.text) if rules.byline else None
        if byline and _is_name_list(byline.group("names"), rules.name_connectors):
            line.kind = None
        elif any(p.search(line.text) for p in rules.credits):
            line.kind = None
            for above in reversed(lines[:index]):
                if above.kind is SegmentKind.TITLE or (above.kind is not None and not _is_name_list(above.text, rules.name_connectors)):
                    break
                above.kind = None


_NAME_WORD = re.compile(r"[^\W\d_][\w’'.-]*|\S*\d\S*")


def _is_name_list(text: str, connectors: frozenset[str]) -> bool:
    """Capitalised names, commas and connectors only ("CNN’s", ", Anna Chernova and Tim Lister,")."""
    if text.rstrip(", ").endswith((*_TERMINAL, ":", ";")):
        return False
    return all(
        w.casefold() in connectors or (w[0].isupper() and not any(c.isdigit() for c in w)) for w in _NAME_WORD.findall(text)
    )


def _drop_trailing_fragment(lines: list[_Line]) -> None:
    """The last line, when a word or two without final punctuation, is a leftover tag or link."""
    last = next((line for line in reversed(lines) if line.kind is not None), None)
    if last is None or last.kind is SegmentKind.TITLE:
        return
    if len(last.text.split()) <= _TRAILING_MAX_WORDS and not last.text.endswith(_TERMINAL):
        last.kind = None


def _mark_live_blog(lines: list[_Line], rules: NoiseRules) -> None:
    """Lines opening with a time start entries; text before the first entry is the lead."""
    if rules.entry_time is None:
        return
    stamps = {i: rules.entry_time.match(line.text) for i, line in enumerate(lines) if line.kind is SegmentKind.BODY}
    times = {i: t for i, match in stamps.items() if (t := _entry_time(match))}
    if len(times) < rules.min_entries:
        return
    time = None
    for index, line in enumerate(lines):
        time = times.get(index, time)
        if line.kind is SegmentKind.BODY:
            line.kind, line.time = (SegmentKind.ENTRY, time) if time else (SegmentKind.LEAD, None)
        if index in times:
            # The stamp is metadata (Segment.time), not text: the entry starts with its headline.
            skip = stamps[index].end() - 1  # the pattern ends on the headline's first character
            line.start, line.text = line.start + skip, line.text[skip:]


def _entry_time(match: re.Match[str] | None) -> str | None:
    """ "11h58" -> "11:58"; "11:58 p.m." -> "23:58"; None for an impossible time."""
    if match is None:
        return None
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    meridiem = (match.groupdict().get("meridiem") or "").lower()
    if meridiem.startswith("p") and hour < 12:
        hour += 12
    elif meridiem.startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def _group(lines: list[_Line]) -> list[list[_Line]]:
    """Title, lead and body: one segment per line (web text puts one paragraph a line); an
    entry: one segment, cut only where boilerplate interrupts it."""
    groups: list[list[_Line]] = []
    previous: _Line | None = None
    for line in lines:
        if line.kind is None:
            previous = None
            continue
        if previous is not None and line.kind is SegmentKind.ENTRY and (previous.kind, previous.time) == (line.kind, line.time):
            groups[-1].append(line)
        else:
            groups.append([line])
        previous = line
    return groups


_NOT_LETTER = re.compile(r"[\W\d_]+")


def _letters(text: str) -> int:
    return len(_NOT_LETTER.sub("", text))


def _detect_each(detector, texts: list[str], min_letters: int) -> list[str | None]:
    """The language of each text long enough to tell; None for short ones (they inherit the document's)."""
    long_enough = [i for i, t in enumerate(texts) if _letters(t) >= min_letters]
    found = detector.detect_languages_in_parallel_of([texts[i] for i in long_enough]) if long_enough else []
    languages: list[str | None] = [None] * len(texts)
    for i, language in zip(long_enough, found):
        languages[i] = language.iso_code_639_1.name.lower() if language else None
    return languages


def _majority(texts: list[str], languages: list[str | None]) -> str | None:
    """The document's language: the one covering most characters of its segments."""
    weights: dict[str, int] = {}
    for text, language in zip(texts, languages):
        if language:
            weights[language] = weights.get(language, 0) + len(text)
    return max(weights, key=weights.__getitem__) if weights else None


_POST_DAY = re.compile(r"\b(\d{1,2})\b")
_POST_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def _post_date(value: str, months: dict[str, int]) -> dt.date | None:
    """ "12 mars 2024", "October 8, 2022": day, month name and year in any order."""
    year = _POST_YEAR.search(value)
    month = next((months[w] for w in re.findall(r"[^\W\d_]+", value.casefold()) if w in months), None)
    day = _POST_DAY.search(_POST_YEAR.sub(" ", value))
    if not (year and month and day):
        return None
    try:
        return dt.date(int(year.group(1)), month, int(day.group(1)))
    except ValueError:
        return None


def _published_from_posts(posts: list[str], kept: list[_Line], rules: NoiseRules) -> PartialDate | None:
    """An embedded post's date, when the article names its weekday ("ce mardi"): the story's day.

    A post's date alone is not the publication date (dev 042 embeds an earlier
    post); matching the weekday the article itself uses ties the two together.
    """
    if len(rules.weekdays) != 7:
        return None
    words = set(re.findall(r"[^\W\d_]+", " ".join(line.text for line in kept).casefold()))
    dates = sorted((d for d in (_post_date(p, rules.months) for p in posts) if d), reverse=True)
    for date in dates:
        if rules.weekdays[date.weekday()].casefold() in words:
            return PartialDate(date.year, date.month, date.day)
    return None


# A dateline opens the dispatch: it is looked for in the first lines only.
_DATELINE_LINES = 3


def _refine_with_dateline(published: PartialDate | None, kept: list[_Line], rules: NoiseRules) -> PartialDate | None:
    """A month-precise date made day-precise by the wire dateline ("LONDRES, 19 février (Reuters) -")."""
    if published is None or published.day is not None or rules.dateline is None:
        return published
    for line in kept[:_DATELINE_LINES]:
        match = rules.dateline.match(line.text)
        if not match:
            continue
        month = rules.months.get(match.group("month").casefold())
        if month is None or published.month not in (None, month):
            return published
        try:
            dt.date(published.year, month, int(match.group("day")))
        except ValueError:
            return published
        return PartialDate(published.year, month, int(match.group("day")))
    return published
