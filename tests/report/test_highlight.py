"""Marks around cited spans: nested, crossing, outside the segments, escaped."""

from __future__ import annotations

import re

import pytest

from recoupe.model import Document, Segment, SegmentKind, SourceFormat, Span
from recoupe.report.highlight import source_blocks

TEXT = "Titre\nmenu menu menu\nLe maire a dit « tout va bien » & rien d'autre."


def _document(segments=((0, 5, SegmentKind.TITLE), (21, len(TEXT), SegmentKind.BODY))) -> Document:
    return Document("d", "h", "s", TEXT, SourceFormat.TEXT, tuple(Segment(a, b, k) for a, b, k in segments))


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'")


def _span(needle: str) -> Span:
    start = TEXT.index(needle)
    return Span("d", start, start + len(needle))


def test_highlight_wraps_a_span_in_a_targetable_mark():
    blocks = source_blocks(_document(), ((_span("tout va bien"), "claim"),))
    body = str(blocks[1].html)
    assert '<mark id="s-38-50" class="claim" data-span="s-38-50" tabindex="-1">tout va bien</mark>' in body


def test_highlight_nests_a_span_inside_another():
    blocks = source_blocks(_document(), ((_span("Le maire a dit « tout va bien »"), "cite"), (_span("tout va bien"), "claim")))
    body = str(blocks[1].html)
    assert body.index('id="s-21-52"') < body.index('id="s-38-50"')
    assert "cont" not in body


def test_highlight_splits_crossing_spans_and_keeps_the_text():
    first, second = _span("maire a dit"), _span("dit « tout")
    blocks = source_blocks(_document(), ((first, "claim"), (second, "cite")))
    body = str(blocks[1].html)
    assert body.count(f'data-span="s-{second.start}-{second.end}"') == 2  # the crossing span is split in two
    assert body.count(f'id="s-{second.start}-{second.end}"') == 1
    assert _plain(body) == TEXT[21:]


def test_highlight_leaves_boilerplate_out_and_counts_it():
    blocks = source_blocks(_document(), ())
    assert [b.kind for b in blocks] == ["title", "body"]
    assert blocks[1].omitted_before == 16 and "menu" not in str(blocks[1].html)


def test_highlight_shows_a_cited_span_outside_every_segment():
    blocks = source_blocks(_document(), ((_span("menu menu"), "claim"),))
    assert [b.kind for b in blocks] == ["title", "other", "body"]


def test_highlight_without_segments_shows_the_whole_text_escaped():
    blocks = source_blocks(_document(segments=()), ())
    assert len(blocks) == 1 and "&amp;" in str(blocks[0].html) and "&lt;" not in TEXT


@pytest.mark.parametrize("span", [Span("d", 5, 5), Span("d", -1, 3), Span("d", 0, 10_000), Span("other", 0, 5)])
def test_highlight_ignores_spans_it_cannot_place(span):
    blocks = source_blocks(_document(), ((span, "claim"),))
    assert "<mark" not in "".join(str(b.html) for b in blocks)


@pytest.mark.parametrize(("entry", "shown"), [("11:58 Une manifestation.", None), ("11h58 : Une manifestation.", None), ("Une manifestation.", "11:58")])
def test_highlight_shows_an_entry_time_once(entry, shown):
    document = Document("d", "h", "s", entry, SourceFormat.TEXT, (Segment(0, len(entry), SegmentKind.ENTRY, "11:58"),))
    assert source_blocks(document, ())[0].time == shown
