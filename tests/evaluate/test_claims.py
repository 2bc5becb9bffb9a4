"""Scoring claims against gold: anchors, speakers, hedges, polarity, contradictions (no model)."""

from __future__ import annotations

import pytest

from recoupe.evaluate.claims import claims_by_gold_event, describe, score_claims
from recoupe.model import (
    Analysis,
    Claim,
    ClaimKind,
    Contradiction,
    ContradictionKind,
    Document,
    Entity,
    EntityType,
    Polarity,
    Segment,
    SegmentKind,
    SourceFormat,
    Span,
    Speaker,
    Statement,
)

GOLD = {
    "documents": {"a.txt": {"event": "E1"}, "b.txt": {"event": "E1"}},
    "claims": [
        {"doc": "a.txt", "anchor": "l’existence d’affrontements", "speaker": ["Kremlin"], "polarity": "deny"},
        {"doc": "a.txt", "anchor": "auraient annulé les cours", "speaker": ["TASS"], "hedged": True},
        {"doc": "b.txt", "anchor": "combattaient à Tiotkino", "speaker": ["Ilya Ponomariov", "Ponomariov"]},
    ],
    "contradictions": [
        {"event": "E1", "a": {"doc": "b.txt", "anchor": "combattaient à Tiotkino"}, "b": {"doc": "a.txt", "anchor": "l'existence d'affrontements"}},
    ],
}


def document(name: str) -> Document:
    return Document(name, "h", f"/x/{name}", "", SourceFormat.TEXT, (Segment(0, 0, SegmentKind.BODY),))


def claim(doc: str, text: str, speaker: str | None, *, hedged: bool = False, polarity: Polarity = Polarity.ASSERT, entity: str | None = None) -> Claim:
    return Claim(
        id=f"{doc}:{text[:10]}",
        span=Span(doc, 0, len(text)),
        kind=ClaimKind.REPORTED,
        speaker=Speaker(speaker, entity_id=entity) if speaker else None,
        hedged=hedged,
        polarity=polarity,
        text=text,
    )


def test_claims_score_counts_anchor_speaker_hedge_polarity_and_contradictions():
    deny = claim("a.txt", "l'existence  d'affrontements", "le Kremlin", polarity=Polarity.DENY)
    tass = claim("a.txt", "les autorités auraient annulé les cours", "agence de presse TASS", hedged=True)
    fights = claim("b.txt", "ces milices combattaient à Tiotkino", "Ponomariov")
    extra = claim("b.txt", "une nouvelle incursion", "milices")
    analyses = [Analysis("a.txt", claims=(deny, tass)), Analysis("b.txt", claims=(fights, extra))]
    contradictions = [
        Contradiction("E1", ContradictionKind.DENIAL, Statement.of_claim(fights), Statement.of_claim(deny), "fighting")
    ]
    scores = score_claims([document("a.txt"), document("b.txt")], analyses, contradictions, GOLD)
    assert (scores.gold_claims, scores.found_with_right_speaker, scores.recall) == (3, 3, 1.0)
    assert (scores.output_claims, scores.matched_output_claims, scores.precision) == (4, 3, 0.75)
    assert (scores.hedged_right, scores.hedged_total, scores.polarity_right, scores.polarity_total) == (1, 1, 1, 1)
    assert (scores.contradictions_found, scores.contradictions_total) == (1, 1)
    assert any("une nouvelle incursion" in line for line in scores.lines())


@pytest.mark.parametrize(
    ("speaker", "entity", "found"),
    [
        ("Peskov", None, False),  # wrong speaker
        (None, None, False),  # unattributed
        ("il", "e-tass", True),  # through the entity's aliases
    ],
)
def test_claims_score_requires_the_right_speaker(speaker, entity, found):
    tass = claim("a.txt", "les autorités auraient annulé les cours", speaker, entity=entity, hedged=True)
    entities = [Entity("e-tass", "TASS", EntityType.ORGANISATION, ("TASS", "ТАСС"))]
    scores = score_claims([document("a.txt")], [Analysis("a.txt", claims=(tass,))], [], GOLD, entities)
    assert scores.found_with_right_speaker == int(found)
    assert scores.hedged_right == int(found)


def test_claims_score_wrong_flags_are_counted_wrong():
    deny = claim("a.txt", "l'existence d'affrontements", "Kremlin")  # polarity lost
    tass = claim("a.txt", "les autorités auraient annulé les cours", "TASS")  # hedge lost
    scores = score_claims([document("a.txt")], [Analysis("a.txt", claims=(deny, tass))], [], GOLD)
    assert scores.found_with_right_speaker == 2
    assert (scores.polarity_right, scores.hedged_right) == (0, 0)
    assert scores.missed == ("b.t 'Ilya Ponomariov': 'combattaient à Tiotkino'",)


def test_claims_group_by_gold_event_and_describe():
    fights = claim("b.txt", "ces milices combattaient à Tiotkino", "Ponomariov", hedged=True, polarity=Polarity.DENY)
    grouped = claims_by_gold_event([document("b.txt")], [Analysis("b.txt", claims=(fights,))], GOLD)
    assert grouped == {"E1": [fights]}
    assert describe(fights).startswith("[rHD] 'Ponomariov'")


def labelled(text: str, start: int, end: int, hedged: bool, doc: str = "a.txt") -> dict:
    from recoupe.evaluate.claims import anchor_digest

    return {"doc": doc, "start": start, "end": end, "anchor_sha1": anchor_digest(text[start:end]), "hedged": hedged, "note": ""}


def hedge_case(text: str, spans: list[tuple[int, int, bool]]) -> tuple[Document, Analysis]:
    doc = Document("a.txt", "h", "/x/a.txt", text, SourceFormat.TEXT, (Segment(0, len(text), SegmentKind.BODY),))
    claims = tuple(
        Claim(id=f"c{start}", span=Span("a.txt", start, end), kind=ClaimKind.REPORTED, hedged=hedged, text=text[start:end])
        for start, end, hedged in spans
    )
    return doc, Analysis("a.txt", claims=claims)


def test_claims_hedge_labels_count_true_and_false_flags():
    from recoupe.evaluate.claims import score_hedges

    text = "Les navires seraient bloqués. Les écoles resteraient fermées. Le port est ouvert. Rien."
    doc, analysis = hedge_case(text, [(0, 28, True), (30, 60, True), (62, 81, False)])
    items = [labelled(text, 0, 20, True), labelled(text, 30, 50, False), labelled(text, 62, 75, True), labelled(text, 83, 87, False)]
    scores = score_hedges([doc], [analysis], {"items": items})
    assert (scores.items, scores.found) == (4, 3)  # "Rien." is no claim of the output
    assert (scores.true_positive, scores.false_positive, scores.false_negative) == (1, 1, 1)
    assert scores.precision == 0.5 and scores.recall == 0.5
    assert len(scores.errors) == 2


def test_claims_hedge_labels_skip_anchors_of_another_text():
    """A label applies only to the text it was read on: same file name, other words, no item."""
    from recoupe.evaluate.claims import score_hedges

    text = "Les navires seraient bloqués au large."
    doc, analysis = hedge_case(text, [(0, len(text), True)])
    foreign = labelled("Une tout autre phrase que celle-ci.", 0, 20, True)
    assert score_hedges([doc], [analysis], {"items": [foreign]}).items == 0


def test_claims_hedge_labels_need_half_the_anchor_covered():
    from recoupe.evaluate.claims import score_hedges

    text = "Selon le port, les navires seraient bloqués au large de Fos."
    doc, analysis = hedge_case(text, [(0, 13, True)])  # covers 13 of the anchor's 40 characters
    scores = score_hedges([doc], [analysis], {"items": [labelled(text, 0, 40, True)]})
    assert (scores.items, scores.found) == (1, 0)


def test_claims_dev_hedge_labels_are_well_formed():
    from recoupe.evaluate.claims import load_labels

    labels = load_labels("dev_hedges.json")
    items = labels["items"]
    assert len(items) >= 60 and "Sampling" in labels["about"]
    assert all(0 <= i["start"] < i["end"] and len(i["anchor_sha1"]) == 12 and isinstance(i["hedged"], bool) for i in items)
    assert sum(i["hedged"] for i in items) >= 5 and sum(not i["hedged"] for i in items) >= 30


@pytest.mark.parametrize(
    "name", ["dev_claims_read.json", "dev2_claims_read.json", "dev2_claims_read_fresh.json", "dev2_claims_read_fifth.json",
     "dev2_claims_read_rest.json"]
)
def test_claims_dev_reading_record_is_well_formed(name):
    """The 50 claims read for precision: every verdict explained when wrong, the count in `about` true."""
    from recoupe.evaluate.claims import load_labels

    record = load_labels(name)
    items = record["items"]
    assert len(items) == 50 and "random" in record["about"]
    assert all(isinstance(i["right"], bool) and (i["right"] or i["reason"]) and len(i["anchor_sha1"]) == 12 for i in items)
    assert f"Right: {sum(i['right'] for i in items)}/50." in record["about"]


def test_claims_reading_record_counts_verdicts_and_claims_still_output_as_read():
    from dataclasses import replace

    from recoupe.evaluate.claims import score_read
    from recoupe.model import Speaker, SpeakerKind

    text = "Selon le maire, la route est coupée. Selon le port, les navires seraient bloqués."
    doc, analysis = hedge_case(text, [(16, 35, False), (52, 80, True)])
    mayor = Speaker("maire", SpeakerKind.PERSON)
    analysis = replace(analysis, claims=tuple(replace(c, speaker=mayor) for c in analysis.claims))
    items = [
        {"doc": "a.txt", "start": 16, "end": 35, "speaker": "maire", "hedged": False, "right": True},
        {"doc": "a.txt", "start": 52, "end": 80, "speaker": "port", "hedged": True, "right": True},  # now credited to the mayor
        {"doc": "a.txt", "start": 0, "end": 14, "speaker": "maire", "hedged": False, "right": False},  # no longer output
    ]
    scores = score_read([doc], [analysis], {"seed": 7, "items": items})
    assert (scores.items, scores.right, scores.seed) == (3, 2, 7)
    assert (scores.still_output, scores.right_still_output) == (1, 1)
    assert "2/3" in scores.lines()[0]
