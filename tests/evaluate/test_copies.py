"""Copy scores: the counting rules on hand-made links (the quality gate is tests/quality/test_copies_cross.py)."""

from __future__ import annotations

import pytest

from recoupe.evaluate.copies import score_copy_groups
from recoupe.model import CopyKind, CopyLink, Dispatch, Document, Segment, SegmentKind, SourceFormat

LABELS = [
    {"file": "a.txt", "copy_of": None},
    {"file": "b.txt", "copy_of": "a.txt"},
    {"file": "c.txt", "copy_of": "a.txt"},
    {"file": "d.txt", "copy_of": "e.txt"},
    {"file": "e.txt", "copy_of": None},
    {"file": "f.txt", "copy_of": None},
]


def document(name: str) -> Document:
    return Document(id=name[0], content_hash=name[0], source=f"/any/dir/{name}", text="x", format=SourceFormat.TEXT, segments=(Segment(0, 1, SegmentKind.BODY),))


def link(copy: str, original: str) -> CopyLink:
    return CopyLink(copy, original, CopyKind.NEAR, 0.9)


def test_score_copy_groups_counts_pairs_within_groups_and_dispatches():
    documents = [document(f"{n}.txt") for n in "abcdef"]
    links = [link("b", "a"), link("e", "d")]
    dispatches = [Dispatch("x", "AFP", ("c", "a"))]
    scores = score_copy_groups(documents, links, dispatches, LABELS)
    assert scores.found == (("a.txt", "b.txt"), ("a.txt", "c.txt"), ("b.txt", "c.txt"), ("d.txt", "e.txt"))
    assert (scores.missed, scores.false) == ((), ())
    assert scores.reversed == (("d.txt", "e.txt"),) and scores.direction == 0.5


def test_score_copy_groups_counts_a_chained_false_link_once_per_pair():
    documents = [document(f"{n}.txt") for n in "abcdef"]
    scores = score_copy_groups(documents, [link("b", "a"), link("f", "b")], [], LABELS)
    assert scores.false == (("a.txt", "f.txt"), ("b.txt", "f.txt"))
    assert scores.precision == pytest.approx(1 / 3)
