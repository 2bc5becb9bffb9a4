"""Contradictions scored per dispute against a contradictions.json (no model)."""

from __future__ import annotations

from dataclasses import replace

from factories import body_document
from recoupe.evaluate.contradictions import score_contradictions
from recoupe.model import Contradiction, ContradictionKind, Document, Side, Span, Statement


def doc(name: str, text: str) -> Document:
    return replace(body_document(text, id=f"id-{name}"), source=f"articles/{name}")


def said(document: Document, text: str, speaker: str | None = None) -> Statement:
    start = document.text.index(text)
    return Statement(Span(document.id, start, start + len(text)), text, speaker)


def item(a: str, anchor_a: str, b: str, anchor_b: str) -> dict:
    return {"a": {"doc": a, "anchor": anchor_a}, "b": {"doc": b, "anchor": anchor_b}}


DOCS = [doc("1.txt", "4 000 manifestants selon la police."), doc("2.txt", "12 000 selon la CGT."),
        doc("3.txt", "15 000 selon FO."), doc("4.txt", "500 manifestants à Vitré.")]
POLICE, CGT, FO, VITRE = (said(d, d.text) for d in DOCS)


def test_contradictions_a_dispute_is_true_when_a_pair_across_its_sides_matches():
    """The gold pair is the police against FO: the row stands for police/CGT but FO is on a side."""
    row = Contradiction("E", ContradictionKind.FIGURE, POLICE, CGT, "demonstrators", (Side((POLICE,)), Side((CGT, FO))))
    gold = {"contradictions": [item("1.txt", "4 000 manifestants", "3.txt", "15 000")]}
    scores = score_contradictions(DOCS, [row], [], gold)
    assert (scores.output, scores.true, scores.disputes_found, scores.output_pairs) == (1, 1, 1, 2)


def test_contradictions_a_dispute_holding_a_look_alike_pair_is_counted_as_one():
    row = Contradiction("E", ContradictionKind.FIGURE, POLICE, CGT, "demonstrators", (Side((POLICE, VITRE)), Side((CGT,))))
    gold = {"contradictions": [item("1.txt", "4 000", "2.txt", "12 000")], "compatible": [item("4.txt", "500", "2.txt", "12 000")]}
    scores = score_contradictions(DOCS, [row], [], gold)
    assert (scores.true, scores.lookalikes_called) == (1, 1)


def test_contradictions_a_dispute_inside_one_document_is_not_scored():
    other = said(DOCS[0], "selon la police")
    row = Contradiction("E", ContradictionKind.FIGURE, POLICE, other, "demonstrators")
    scores = score_contradictions(DOCS, [row], [], {"contradictions": []})
    assert (scores.output, scores.within_document) == (0, 1)


def test_contradictions_dev2_reading_record_is_well_formed():
    """The dev2 contradictions read as a user would: every verdict explained when wrong, the count in `about` true."""
    from recoupe.evaluate.claims import load_labels

    record = load_labels("dev2_contradictions_read.json")
    items = record["items"]
    assert len(items) == 20 and "random" in record["about"]
    for entry in items:
        assert isinstance(entry["right"], bool) and (entry["right"] or entry["reason"])
        assert all(len(entry[s]["anchor_sha1"]) == 12 and 0 <= entry[s]["start"] < entry[s]["end"] for s in ("a", "b"))
    assert f"Right: {sum(i['right'] for i in items)}/20." in record["about"]
