"""Resolved dates against the seeds' gold ("dates" in gold.json).

A gold date is right when some time expression lies inside an occurrence of
its phrase (found with the gold matching rule) and has the gold value: a day
"2024-03-12" or an interval "2024-03-15/2024-03-17". Documents are matched to
gold by the file name of their source.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recoupe.evaluate import normalise
from recoupe.model import Analysis, DateRange, Document, TimeExpression


@dataclass(frozen=True, slots=True)
class DateMiss:
    document: str  # gold file name
    phrase: str
    expected: str
    found: tuple[str, ...]  # values of the time expressions inside the phrase; () when none


@dataclass(frozen=True, slots=True)
class DateScores:
    total: int
    right: int
    misses: tuple[DateMiss, ...] = ()

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0

    def lines(self) -> list[str]:
        """A summary line, then one line per miss."""
        lines = [f"dates: {self.right}/{self.total} right ({self.accuracy:.1%})"]
        for miss in self.misses:
            found = ", ".join(miss.found) or "nothing"
            lines.append(f"  {miss.document}: {miss.phrase!r} expected {miss.expected}, found {found}")
        return lines


def score_dates(documents: Iterable[Document], analyses: Iterable[Analysis], gold: Mapping[str, Any]) -> DateScores:
    """How many gold dates the analyses resolve right; a gold document missing from `documents` counts as missed."""
    by_name = {Path(document.source).name: document for document in documents}
    times = {analysis.document_id: analysis.times for analysis in analyses}
    misses = []
    entries = gold.get("dates", ())
    for entry in entries:
        document = by_name.get(entry["doc"])
        found: list[str] = []
        if document is not None:
            for start, end in phrase_occurrences(document.text, entry["phrase"]):
                found.extend(value_iso(t.value) for t in times.get(document.id, ()) if _inside(t, start, end))
        if entry["date"] not in found:
            misses.append(DateMiss(entry["doc"], entry["phrase"], entry["date"], tuple(found)))
    return DateScores(total=len(entries), right=len(entries) - len(misses), misses=tuple(misses))


def gold_references(gold: Mapping[str, Any]) -> dict[str, dt.date]:
    """File name -> the publication day other reports let one infer, for documents that do not state it."""
    return {
        name: dt.date.fromisoformat(record["published_inferred"])
        for name, record in gold.get("documents", {}).items()
        if record.get("published_inferred")
    }


def value_iso(value: dt.date | DateRange) -> str:
    return value.isoformat() if isinstance(value, dt.date) else value.iso()


def phrase_occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every [start, end) of `text` whose normalised form is the normalised phrase."""
    normalised, starts, ends = _normalised_with_origins(text)
    wanted = normalise(phrase)
    occurrences = []
    position = normalised.find(wanted) if wanted else -1
    while position >= 0:
        occurrences.append((starts[position], ends[position + len(wanted) - 1]))
        position = normalised.find(wanted, position + 1)
    return occurrences


def _normalised_with_origins(text: str) -> tuple[str, list[int], list[int]]:
    """The text under the gold matching rule, and for each of its characters the [start, end) it came from."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    index = 0
    while index < len(text):
        end = index + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        if not text[index].isspace():
            pieces = normalise(text[index:end])
        else:
            pieces = " " if chars and chars[-1] != " " else ""
        for char in pieces:
            chars.append(char)
            starts.append(index)
            ends.append(end)
        index = end
    return "".join(chars), starts, ends


def _inside(time: TimeExpression, start: int, end: int) -> bool:
    return start <= time.span.start and time.span.end <= end


@dataclass(frozen=True, slots=True)
class WindowScores:
    """Day-precise time expressions and how many fall within their document's event dates.

    The dev corpus has no gold dates, only event start and end (events.json): a
    resolved day far from its event is most often a wrong resolution, though a
    report may also recall an earlier day ("le 24 juin" in a report of August).
    """

    total: int
    inside: int
    outside: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        return self.inside / self.total if self.total else 1.0

    def lines(self) -> list[str]:
        return [f"event windows: {self.inside}/{self.total} days inside ({self.share:.1%})", *(f"  {o}" for o in self.outside)]


# A report's days reach one day either side of its event's dates ("la veille", the night before).
WINDOW_SLACK_DAYS = 1
# Intervals longer than this are months or years: no test of a day's resolution.
MAX_WINDOW_SPAN_DAYS = 3


def score_event_windows(
    documents: Iterable[Document],
    analyses: Iterable[Analysis],
    labels: Iterable[Mapping[str, Any]],
    events: Mapping[str, Mapping[str, Any]],
) -> WindowScores:
    """How many day-precise times of each labelled document fall within its event's dates, give or take a day."""
    event_of = {label["file"]: events.get(label["event"]) for label in labels}
    by_id = {document.id: document for document in documents}
    slack = dt.timedelta(days=WINDOW_SLACK_DAYS)
    total, outside = 0, []
    for analysis in analyses:
        document = by_id.get(analysis.document_id)
        event = event_of.get(Path(document.source).name) if document else None
        if event is None:
            continue
        low = dt.date.fromisoformat(event["start"]) - slack
        high = dt.date.fromisoformat(event["end"]) + slack
        for time in analysis.times:
            start, end = (time.value, time.value) if isinstance(time.value, dt.date) else (time.value.start, time.value.end)
            if (end - start).days >= MAX_WINDOW_SPAN_DAYS:
                continue
            total += 1
            if not (low <= start and end <= high):
                outside.append(f"{Path(document.source).name}: {time.text!r} -> {value_iso(time.value)}")
    return WindowScores(total=total, inside=total - len(outside), outside=tuple(outside))
