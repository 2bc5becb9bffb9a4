"""An event's timeline, and the publication days that reports leave unstated.

The timeline lists dated facts (sentences holding a day within the event's
span) and live-blog entries at their time, near-identical ones merged into one
item citing all their spans (pairwise: O(items²) per event, a few hundred at most).
A report that states no day (or only a month) is dated from its event: the first
weekday it names, placed in the week the event began.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence

from recoupe.units import (
    EventPart,
    jaccard,
    month_window,
    normalise_words,
    paragraphs,
    part_sentences,
    sorted_spans,
    stem_set,
)
from recoupe.lang import LanguageResources
from recoupe.model import (
    CitedSentence,
    DateRange,
    Document,
    Event,
    EventLink,
    EventRole,
    InferredDate,
    SegmentKind,
    Span,
    TimeExpression,
)
from recoupe.settings import EventSettings

# Sentences shorter than this are headings or captions, longer ones run-on paragraphs.
MIN_CHARS, MAX_CHARS = 40, 400


def timeline(
    parts: Sequence[EventPart],
    window: tuple[dt.date, dt.date] | None,
    settings: EventSettings,
    stopwords: frozenset[str] = frozenset(),
) -> tuple[CitedSentence, ...]:
    """Dated facts within the event's days, and live-blog entries at their time, in order."""
    items: list[CitedSentence] = []
    for part in parts:
        items.extend(_dated_sentences(part, window, settings))
        if part.role is EventRole.ENTRY:
            entry = _entry_heading(part)
            if entry is not None:
                items.append(entry)
    merged: list[tuple[CitedSentence, frozenset[str]]] = []
    for item in items:
        stems = stem_set(item.text, stopwords)
        for index, (known, known_stems) in enumerate(merged):
            if known.when == item.when and jaccard(stems, known_stems) >= settings.same_sentence_jaccard:
                citations = sorted_spans(known.citations + item.citations)
                merged[index] = (CitedSentence(known.text, citations, known.when, known.time or item.time), known_stems)
                break
        else:
            merged.append((item, stems))
    ordered = sorted((m for m, _ in merged), key=lambda c: (c.when or dt.date.max, c.time or "", c.text))
    return tuple(ordered)


def _dated_sentences(part: EventPart, window: tuple[dt.date, dt.date] | None, settings: EventSettings) -> Iterable[CitedSentence]:
    """One item per sentence, dated by the time phrase of the fact it states (`fact_time`)."""
    by_sentence: dict[Span, list[TimeExpression]] = {}
    sentences = part_sentences(part)
    for time in part.analysis.times:
        if not part.contains(time.span):
            continue
        start, end = _bounds(time.value)
        if (end - start).days > 1:
            continue  # a month or a season dates no fact
        sentence = next((s for s in sentences if s.start <= time.span.start and time.span.end <= s.end), None)
        if sentence is not None:
            by_sentence.setdefault(sentence, []).append(time)
    for sentence, times in by_sentence.items():
        start, _ = _bounds(fact_time(times).value)
        if window is not None and not (window[0] - dt.timedelta(days=settings.max_gap_days) <= start <= window[1]):
            continue
        text = " ".join(part.document.text[sentence.start : sentence.end].split())
        if MIN_CHARS <= len(text) <= MAX_CHARS:
            yield CitedSentence(text, (sentence,), start)


def fact_time(times: Sequence[TimeExpression]) -> TimeExpression:
    """The time phrase that dates what a sentence states: the one in its main clause, on its verb, first.

    "Le préfet a indiqué mardi que les écoles resteront fermées jusqu'à lundi"
    states what the prefect said on Tuesday; "Lundi, les enquêteurs ont fouillé
    le lieu de l'attaque du 12 mars" what the investigators did on Monday.
    Without a parse (depth None) the first phrase of the sentence.
    """
    return min(times, key=lambda t: (t.depth if t.depth is not None else 0, not t.on_verb, t.span.start))


def _bounds(value: dt.date | DateRange) -> tuple[dt.date, dt.date]:
    return (value.start, value.end) if isinstance(value, DateRange) else (value, value)


def _entry_heading(part: EventPart) -> CitedSentence | None:
    start, end = part.ranges[0]
    segment = next((s for s in part.document.segments if s.kind is SegmentKind.ENTRY and s.start <= start < s.end), None)
    line = part.document.text[start:end].strip().split("\n", 1)[0].strip()
    if not line:
        return None
    offset = part.document.text.index(line, start)
    return CitedSentence(line, (Span(part.document.id, offset, offset + len(line)),), part.day, segment.time if segment else None)


def infer_publication_days(
    documents: Sequence[Document], links: Sequence[EventLink], events: Sequence[Event], resources: Mapping[str, LanguageResources]
) -> list[InferredDate]:
    """The day a report stating none (or only a month) was published, from the days of its event.

    Only when another report of the event states its own day: a month alone dates no weekday.

    A news lede is written about its own day ("Des combats sont en cours jeudi"):
    the first weekday the report names falls, within the week its event began,
    on the publication day (jeudi → 14 March 2024 for an event begun on the 11th)."""
    event_days = {e.id: e.start for e in events if e.start is not None}
    main = {l.document_id: l.event_id for l in links if l.role is EventRole.MAIN}
    # Only a report that states its own day anchors a weekday: an event dated from
    # undated reports alone (their months, their own weekdays) places none.
    anchored = {main[d.id] for d in documents if d.id in main and _states_day(d)}
    out = []
    for document in documents:
        if _states_day(document):
            continue
        event_id = main.get(document.id, "")
        start = event_days.get(event_id) if event_id in anchored else None
        language = resources.get(document.language or "") or next(iter(resources.values()), None)
        names = language.event_cues.weekdays if language else ()
        weekday = first_weekday(document, names)
        if start is None or weekday is None:
            continue
        day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
        month = month_window(document)
        if month is None or month.start <= day <= month.end:
            out.append(InferredDate(document.id, day, event_id))
    return out


def _states_day(document: Document) -> bool:
    return document.published is not None and document.published.day is not None


def first_weekday(document: Document, names: Sequence[str]) -> int | None:
    """Monday=0 ... of the first weekday named in the report's text after its title, if any."""
    if len(names) != 7:
        return None
    pattern = re.compile(r"\b(" + "|".join(re.escape(normalise_words(n)) for n in names) + r")\b")
    words = [normalise_words(n) for n in names]
    for part in paragraphs(document):
        if part.kind is SegmentKind.TITLE:
            continue
        found = pattern.search(normalise_words(document.text[part.start : part.end]))
        if found:
            return words.index(found.group(1))
    return None
