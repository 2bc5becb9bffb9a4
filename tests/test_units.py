"""units.py: documents cut into paragraphs, windows and word stems."""

from __future__ import annotations

import datetime as dt

import pytest

from recoupe.model import Document, PartialDate, Segment, SegmentKind, SourceFormat
from recoupe.units import Window, jaccard, month_window, paragraphs, reference_day, stem_set

TEXT = "Crue à Sommières\n\n  Le Vidourle a débordé jeudi.\nLa préfecture alerte.\n"


def document(published: PartialDate | None = None, segments: tuple[Segment, ...] | None = None) -> Document:
    whole = (Segment(0, len(TEXT), SegmentKind.BODY),)
    return Document("d1", "h1", "a.txt", TEXT, SourceFormat.TEXT, segments or whole, published=published)


def test_units_paragraphs_are_stripped_non_empty_lines():
    found = [TEXT[p.start : p.end] for p in paragraphs(document())]
    assert found == ["Crue à Sommières", "Le Vidourle a débordé jeudi.", "La préfecture alerte."]


def test_units_paragraphs_number_their_segment():
    title_end = TEXT.index("\n")
    segments = (Segment(0, title_end, SegmentKind.TITLE), Segment(title_end + 1, len(TEXT), SegmentKind.ENTRY))
    assert [(p.kind, p.segment) for p in paragraphs(document(segments=segments))] == [
        (SegmentKind.TITLE, 0),
        (SegmentKind.ENTRY, 1),
        (SegmentKind.ENTRY, 1),
    ]


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (PartialDate(2024, 2), Window(dt.date(2024, 2, 1), dt.date(2024, 2, 29), exact=False)),
        (PartialDate(2024), None),
        (None, None),
    ],
)
def test_units_month_window(published, expected):
    assert month_window(document(published)) == expected


def test_units_reference_day_needs_the_day():
    assert reference_day(document(PartialDate(2024, 3, 14))) == dt.date(2024, 3, 14)
    assert reference_day(document(PartialDate(2024, 3))) is None


def test_units_stems_join_accents_and_plurals():
    assert jaccard(stem_set("les explosions à Kherson"), stem_set("Explosion a Kherson")) == 1.0


def test_within_ranges_answers_as_a_scan_of_every_range():
    import random

    from recoupe.units import within_ranges

    rng = random.Random(13)
    for _ in range(200):
        cuts = sorted(rng.sample(range(1, 400), 20))
        ranges = [(a, b) for a, b in zip(cuts[::2], cuts[1::2])]  # sorted, never overlapping, gaps between
        start = rng.randrange(0, 400)
        end = start + rng.randrange(1, 30)
        assert within_ranges(start, end, ranges) == any(a <= start and end <= b for a, b in ranges)
