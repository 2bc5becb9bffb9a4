"""A source text as HTML with every cited span wrapped in a <mark> that links can target.

Spans may overlap without nesting (a claim crossing a citation sentence). HTML
cannot express that, so a crossing mark is closed and reopened: its first part
carries the id (`s-<start>-<end>`, so CSS :target highlights it without JS) and
every part carries `data-span`, which report.js uses to highlight the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from recoupe.model import Document, Span
from recoupe.report.views import span_anchor


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One shown range of the text: a segment, or a cited range outside every segment."""

    kind: str  # SegmentKind value, or "other"
    start: int
    end: int
    html: Markup
    time: str | None = None  # a live-blog entry's time, when its text does not start with it
    omitted_before: int = 0  # characters of boilerplate hidden before this block


@dataclass(frozen=True, slots=True)
class _Mark:
    anchor: str
    css: str
    start: int
    end: int


def source_blocks(document: Document, marks: tuple[tuple[Span, str], ...]) -> list[TextBlock]:
    """The article's segments (or the whole text) with the marks applied; boilerplate left out."""
    length = len(document.text)
    found = [
        _Mark(span_anchor(span), css, max(span.start, 0), min(span.end, length))
        for span, css in marks
        if span.document_id == document.id and 0 <= span.start < span.end <= length
    ]
    regions = [(s.start, s.end, s.kind.value, s.time) for s in sorted(document.segments, key=lambda s: s.start)]
    if not regions:
        regions = [(0, length, "body", None)]
    for mark in found:
        if not any(start <= mark.start and mark.end <= end for start, end, _, _ in regions):
            regions.append((mark.start, mark.end, "other", None))
    regions = _merge(sorted(regions))
    blocks, emitted, previous_end = [], set(), 0
    for start, end, kind, time in regions:
        inside = [m for m in found if m.start < end and start < m.end]
        html = _markup(document.text, start, end, inside, emitted)
        shown_time = None if time and _starts_with_time(document.text[start:end], time) else time
        blocks.append(TextBlock(kind, start, end, html, shown_time, max(start - previous_end, 0)))
        previous_end = max(previous_end, end)
    return blocks


def _starts_with_time(text: str, time: str) -> bool:
    """ "14h05 : ..." starts with the entry time "14:05": compare the digits only."""
    digits = re.sub(r"\D", "", time)
    return bool(digits) and re.sub(r"\D", "", text.lstrip()[: len(time) + 2]).startswith(digits)


def _merge(regions: list[tuple[int, int, str, str | None]]) -> list[tuple[int, int, str, str | None]]:
    merged: list[tuple[int, int, str, str | None]] = []
    for region in regions:
        if merged and region[0] < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], region[1]), last[2], last[3])
        else:
            merged.append(region)
    return merged


def _markup(text: str, start: int, end: int, marks: list[_Mark], emitted: set[str]) -> Markup:
    """Escape text[start:end] and wrap the marks, splitting those that cross another."""
    bounds = sorted({start, end, *(max(m.start, start) for m in marks), *(min(m.end, end) for m in marks)})
    out: list[str] = []
    stack: list[_Mark] = []

    def open_tag(mark: _Mark) -> str:
        if mark.anchor in emitted:
            return f'<mark class="{mark.css} cont" data-span="{mark.anchor}">'
        emitted.add(mark.anchor)
        return f'<mark id="{mark.anchor}" class="{mark.css}" data-span="{mark.anchor}" tabindex="-1">'

    for position, following in zip(bounds, bounds[1:] + [None]):
        ending = [i for i, m in enumerate(stack) if min(m.end, end) == position]
        if ending:
            lowest = min(ending)
            reopen = [m for m in stack[lowest:] if min(m.end, end) != position]
            out.append("</mark>" * (len(stack) - lowest))
            del stack[lowest:]
            for mark in reopen:
                out.append(open_tag(mark))
                stack.append(mark)
        if following is None:
            break
        starting = sorted((m for m in marks if max(m.start, start) == position), key=lambda m: -m.end)
        for mark in starting:
            out.append(open_tag(mark))
            stack.append(mark)
        out.append(str(escape(text[position:following])))
    out.append("</mark>" * len(stack))
    return Markup("".join(out))
