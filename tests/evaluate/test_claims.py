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
