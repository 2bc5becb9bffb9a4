"""Event scores: B-cubed and the named checks on hand-made links. The quality gate on
seeds, dev and dev2 through the whole pipeline is tests/quality/test_gold.py."""

from __future__ import annotations

import datetime as dt

import pytest

from recoupe.evaluate.events import bcubed, look_alike_families, score_events
from recoupe.model import Document, EventLink, EventRole, InferredDate, Segment, SegmentKind, SourceFormat, Span


def document(name: str, text: str = "x") -> Document:
    return Document(name, name, f"/any/{name}.txt", text, SourceFormat.TEXT, (Segment(0, len(text), SegmentKind.BODY),))


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ({"a": 1, "b": 1, "c": 2}, {"a": "X", "b": "X", "c": "Y"}, (1.0, 1.0)),
        ({"a": 1, "b": 1, "c": 1}, {"a": "X", "b": "X", "c": "Y"}, (5 / 9, 1.0)),
        ({"a": 1, "b": 2, "c": 3}, {"a": "X", "b": "X", "c": "Y"}, (1.0, 2 / 3)),
    ],
)
def test_events_bcubed_precision_and_recall(predicted, gold, expected):
    precision, recall = bcubed(predicted, gold)
    assert (round(precision, 6), round(recall, 6)) == (round(expected[0], 6), round(expected[1], 6))


def test_events_score_checks_off_topic_background_and_inferred_days():
    blog_text = "Raid sur Belgorod.\n11h58 : Raid repoussé.\n06h35 : Le Premier ministre est à Shanghai."
    documents = [document("a"), document("b"), document("c"), document("blog", blog_text)]
    gold = {
        "documents": {
            "a.txt": {"event": "MAR"},
            "b.txt": {"event": "MAR", "mentions_earlier_event": "MAY"},
            "c.txt": {"event": "MAY"},
            "blog.txt": {"event": "MAY", "off_topic": ["Le Premier ministre est à Shanghai"], "published_inferred": "2023-05-23"},
        }
    }
    shanghai = blog_text.index("06h35")
    links = [
        EventLink("e1", "a", EventRole.MAIN),
        EventLink("e1", "b", EventRole.MAIN),
        EventLink("e2", "b", EventRole.BACKGROUND, Span("b", 0, 1)),
        EventLink("e2", "c", EventRole.MAIN),
        EventLink("e2", "blog", EventRole.MAIN, Span("blog", 0, 18)),
        EventLink("e2", "blog", EventRole.ENTRY, Span("blog", shanghai, len(blog_text))),
    ]
    scores = score_events(documents, links, gold, inferred=[InferredDate("blog", dt.date(2023, 5, 22))])
    assert (scores.precision, scores.recall) == (1.0, 1.0)
    assert {c.name: c.passed for c in scores.checks} == {
        "documents found": True,
        "exactly 2 events as in the gold": True,
        "b.t recalls MAY as background": True,
        "blo off-topic entry apart: Le Premier ministre est à Shanghai": False,
        "blo publication day inferred": False,
    }
    assert any("FAIL" in line for line in scores.lines())


def test_events_score_dev_hard_negatives_are_checked():
    documents = [document(n) for n in "abcd"]
    labels = [{"file": "a.txt", "event": "D3"}, {"file": "b.txt", "event": "D4"}, {"file": "c.txt", "event": "D1"}, {"file": "d.txt", "event": "D6"}]
    links = [EventLink("x", "a", EventRole.MAIN), EventLink("x", "b", EventRole.MAIN), EventLink("y", "c", EventRole.MAIN), EventLink("z", "d", EventRole.MAIN)]
    checks = {c.name: c.passed for c in score_events(documents, links, labels).checks}
    assert checks == {"documents found": True, "D3 and D4 kept apart": False, "D1 and D6 kept apart": True}


def test_events_look_alike_families_pair_every_event_of_a_family():
    pairs = set(look_alike_families("dev2"))
    assert {("W13", "W14"), ("W1", "W7"), ("W10", "W12")} <= pairs
    assert ("W7", "W8") not in pairs and ("W8", "W7") not in pairs
    assert set(look_alike_families("dev")) == {("D3", "D4"), ("D1", "D6")}
    assert look_alike_families("unknown") == ()
