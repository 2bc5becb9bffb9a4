"""Propositions and contradictions from hand-built claims (no model)."""

from __future__ import annotations

import pytest

from recoupe.claims import compare_claims, independent_sources, normalise
from recoupe.lang import load_language
from recoupe.model import (
    Claim,
    ClaimKind,
    CopyKind,
    CopyLink,
    Figure,
    FigureCategory,
    Polarity,
    Qualifier,
    Span,
    Speaker,
    SpeakerKind,
)

FR = load_language("fr")


def claim(doc: str, text: str, speaker: str, polarity: Polarity = Polarity.ASSERT, start: int = 0) -> Claim:
    return Claim(
        id=f"{doc}:{start}",
        span=Span(doc, start, start + len(text)),
        kind=ClaimKind.REPORTED,
        speaker=Speaker(speaker, SpeakerKind.UNKNOWN),
        polarity=polarity,
        text=text,
    )


def figure(doc: str, start: int, text: str, value: float, qualifier: Qualifier = Qualifier.EXACT) -> Figure:
    return Figure(Span(doc, start, start + len(text)), text, value, "drone", FigureCategory.DRONES, qualifier)


def test_claims_normalise_follows_gold_rule():
    assert normalise("  «Nous  avons»\u00a0l’armée ") == "\"nous avons\" l'armée"


def test_claims_assertion_and_denial_of_same_frame_contradict():
    fighting = claim("a", "les milices combattaient à Tiotkino", "Ilya Ponomariov")
    denial = claim("b", "l'existence d'affrontements", "Kremlin", Polarity.DENY)
    _, contradictions = compare_claims({"E": [fighting, denial]}, [], FR)
    assert [c.claims for c in contradictions] == [("a:0", "b:0")]
    assert "Ilya Ponomariov" in contradictions[0].reason and "Kremlin" in contradictions[0].reason
    assert contradictions[0].event_id == "E"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fr", "Ilya Ponomariov affirme que des combats ont lieu (“les milices combattaient à Tiotkino”), mais Kremlin le dément"),
        ("en", "Ilya Ponomariov says there is fighting (“les milices combattaient à Tiotkino”), but Kremlin denies it"),
    ],
)
def test_claims_reason_is_written_from_the_language_templates(code, expected):
    fighting = claim("a", "les milices combattaient à Tiotkino", "Ilya Ponomariov")
    denial = claim("b", "l'existence d'affrontements", "Kremlin", Polarity.DENY)
    _, contradictions = compare_claims({"E": [fighting, denial]}, [], load_language(code))
    assert contradictions[0].reason.startswith(expected)


@pytest.mark.parametrize(
    ("control", "repelled"),
    [
        ("la localité est entièrement sous le contrôle des forces de libération", "les forces ont fait échouer une tentative de percée"),
        ("avoir capturé les villages de Kozinka et Gora-Podol", "les formations ont été bloquées et écrasées"),
        ("the village is under the control of the legion", "the attack was repelled"),
    ],
)
def test_claims_control_conflicts_with_repelled_attack(control, repelled):
    _, contradictions = compare_claims({"E": [claim("a", control, "Légion"), claim("b", repelled, "Ministère")]}, [], FR)
    assert len(contradictions) == 1
    assert "Légion" in contradictions[0].reason and "Ministère" in contradictions[0].reason


def test_claims_repelled_breakthrough_is_not_a_breakthrough():
    """ "ont fait échouer une tentative de percée" denies the breakthrough it names."""
    props, _ = compare_claims({"E": [claim("a", "ont fait échouer une tentative de percée", "Ministère")]}, [], FR)
    assert len(props) == 1 and props[0].asserted_by == ("a",)
    assert props[0].id == compare_claims({"E": [claim("a", "ont fait échouer une tentative de percée", "Ministère")]}, [], FR)[0][0].id


def test_claims_same_speaker_never_contradicts_itself():
    a = claim("a", "le village est sous le contrôle de la Légion", "Légion")
    b = claim("b", "l'attaque a été repoussée", "légion", start=5)
    assert compare_claims({"E": [a, b]}, [], FR)[1] == []


def test_claims_nested_attribution_is_not_the_speakers_claim():
    a = claim("a", "détourner l'attention des affirmations selon lesquelles la ville aurait été capturée", "Peskov")
    b = claim("b", "l'attaque a été repoussée", "Ministère")
    assert compare_claims({"E": [a, b]}, [], FR)[1] == []


@pytest.mark.parametrize(
    ("left", "right", "clash"),
    [
        ((26, Qualifier.EXACT), (25, Qualifier.EXACT), True),
        ((26, Qualifier.AT_LEAST), (25, Qualifier.EXACT), True),
        ((26, Qualifier.AT_LEAST), (30, Qualifier.EXACT), False),
        ((26, Qualifier.ABOUT), (25, Qualifier.EXACT), False),
        ((26, Qualifier.EXACT), (26, Qualifier.EXACT), False),
    ],
)
def test_claims_different_figures_for_one_count_contradict(left, right, clash):
    a = claim("a", "avoir abattu 26 drones", "Ministère")
    b = claim("b", "avoir abattu 25 drones", "Gouverneur")
    figures = [figure("a", 12, "26 drones", *left), figure("b", 12, "25 drones", *right)]
    _, contradictions = compare_claims({"E": [a, b]}, [], FR, figures)
    assert bool(contradictions) is clash
    if clash:
        assert "26 drones" in contradictions[0].reason and "25 drones" in contradictions[0].reason


def test_claims_copy_never_counts_as_independent_source():
    original = claim("orig", "le village est sous le contrôle de la Légion", "Légion")
    copy = claim("copy", "le village est sous le contrôle de la Légion", "Légion")
    other = claim("other", "la Légion a pris le contrôle du village", "Légion Liberté")
    denial = claim("deny", "que le village soit sous le contrôle de la Légion", "Gouverneur", Polarity.DENY)
    links = [CopyLink("copy", "orig", CopyKind.NEAR, 0.95)]
    props, _ = compare_claims({"E": [original, copy, other, denial]}, links, FR)
    control = next(p for p in props if original.id in p.claim_ids)
    assert set(control.claim_ids) == {original.id, copy.id, other.id, denial.id}
    assert control.asserted_by == ("orig", "other")
    assert control.denied_by == ("deny",)


def test_claims_frameless_claims_group_by_shared_keywords():
    a = claim("a", "la raffinerie NORSI a arrêté sa plus grande unité après un incendie", "Reuters")
    b = claim("b", "la raffinerie NORSI a arrêté sa grande unité de raffinage", "TASS")
    c = claim("c", "les écoles de la région restent fermées", "Gouverneur")
    props, contradictions = compare_claims({"E": [a, b, c]}, [], FR)
    assert sorted(len(p.claim_ids) for p in props) == [1, 2]
    assert contradictions == []


def test_claims_unattributed_claims_are_left_out():
    lone = Claim("x", Span("a", 0, 5), ClaimKind.DIRECT, None, text="sous le contrôle")
    assert compare_claims({"E": [lone]}, [], FR) == ([], [])


def test_claims_independent_sources_follow_copy_chains():
    links = [CopyLink("c2", "c1", CopyKind.NEAR, 0.9), CopyLink("c1", "o", CopyKind.EXACT, 1.0)]
    assert independent_sources(links) == {"c2": "o", "c1": "o"}
