"""formats.py: one reader per format, and the metadata each format carries."""

from __future__ import annotations

import pytest

from recoupe.formats import content_type_charset, guess_format, html_to_text, looks_like_title, merge_dates, read_text
from recoupe.model import PartialDate, SourceFormat


@pytest.mark.parametrize(
    ("source", "data", "content_type", "expected"),
    [
        ("crawl.warc.gz", b"", "", SourceFormat.WARC),
        ("page.txt", b"<html><body>x</body></html>", "", SourceFormat.TEXT),  # the extension wins
        ("page", b"<!DOCTYPE html><html>", "", SourceFormat.HTML),
        ("feed", b"<?xml version='1.0'?><rss version='2.0'>", "", SourceFormat.FEED),
        ("https://example.org/a?b=c", b"plain words", "text/html; charset=utf-8", SourceFormat.HTML),
        ("notes", b"Crue du Vidourle", "", SourceFormat.TEXT),
    ],
)
def test_formats_guess_by_extension_then_content(source, data, content_type, expected):
    assert guess_format(source, data, content_type) is expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (PartialDate(2024, 3), PartialDate(2024, 3, 14), PartialDate(2024, 3, 14)),
        (PartialDate(2024, 3, 14), PartialDate(2024, 3), PartialDate(2024, 3, 14)),
        (PartialDate(2024, 3), PartialDate(2023, 5, 1), PartialDate(2024, 3)),  # the first wins a conflict
        (None, PartialDate(2024), PartialDate(2024)),
    ],
)
def test_formats_merge_dates_refines_the_first(first, second, expected):
    assert merge_dates(first, second) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Crue à Sommières", True),
        ("Le Vidourle déborde-t-il ?", True),
        ("Le Vidourle a débordé jeudi.", False),
        ("", False),
        ("x" * 201, False),
    ],
)
def test_formats_looks_like_title(line, expected):
    assert looks_like_title(line) is expected


def test_formats_content_type_charset():
    assert content_type_charset("text/html; charset=ISO-8859-1") == "ISO-8859-1"
    assert content_type_charset("text/html") is None


def test_formats_html_to_text_keeps_blocks_as_lines_and_drops_scripts():
    markup = "<p>Le  <b>Vidourle</b> déborde</p><script>var x;</script><p>Alerte rouge</p>"
    assert html_to_text(markup) == "Le Vidourle déborde\nAlerte rouge"


def test_formats_text_header_gives_title_and_month():
    raw = read_text("a.txt", " date 2024-03 Crue à Sommières\n\nLe Vidourle a débordé.", None)
    assert raw.title == "Crue à Sommières"
    assert raw.published == PartialDate(2024, 3)
