from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from recoupe.lang import load_language
from recoupe.model import Document, HedgeKind, PartialDate, Segment, SegmentKind, SourceFormat
from recoupe.nlp.hedges import find_hedges, is_conditional


@pytest.fixture(scope="module")
def fr():
    return load_language("fr")


def document(text: str) -> Document:
    return Document(
        id="d", content_hash="d", source="d.txt", text=text, format=SourceFormat.TEXT,
        segments=(Segment(0, len(text), SegmentKind.BODY),), published=PartialDate(2024, 3, 12),
    )


@pytest.mark.parametrize(
    "form, lemma, mood, expected",
    [
        ("serait", "être", "Cnd", True),  # the tagger's mood comes first
        ("constitueraient", "constituer", "Ind", True),  # regular stem: the lemma
        ("prendrait", "prendre", "Ind", True),  # -re verbs drop the final e
        ("viendraient", "venir", "Ind", True),  # irregular stem from the data
        ("tirait", "tirer", "Ind", False),  # imperfect, not conditional
        ("courait", "courir", "Ind", False),
        ("déclarait", "déclarer", "Ind", False),
    ],
)
def test_hedges_conditional_by_mood_or_future_stem(fr, form, lemma, mood, expected):
    doc = Doc(Vocab(), words=[form], pos=["VERB"], lemmas=[lemma], morphs=[f"Mood={mood}|Tense=Pres"])
    assert is_conditional(doc[0], fr.hedges["conditional"]) is expected


@pytest.mark.model
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Le village serait contrôlé par l'armée.", [(HedgeKind.CONDITIONAL, "serait contrôlé")]),
        ("Les autorités auraient annulé les cours.", [(HedgeKind.CONDITIONAL, "auraient annulé")]),
        ("Ces unités constitueraient une partie de la défense.", [(HedgeKind.CONDITIONAL, "constitueraient")]),
        ("Selon le New York Times, l'unité a été formée à Kiev.", [(HedgeKind.ATTRIBUTION, "Selon")]),
        ("D’après l'agence, deux drones ont été abattus.", [(HedgeKind.ATTRIBUTION, "D’après")]),
        ("Ces affirmations n’étaient pas vérifiables de source indépendante.", [(HedgeKind.UNVERIFIED, "n’étaient pas vérifiables de source indépendante")]),
        ("Ces images ne sont actuellement pas vérifiables.", [(HedgeKind.UNVERIFIED, "ne sont actuellement pas vérifiables")]),
        ("Des informations non vérifiables circulent.", [(HedgeKind.UNVERIFIED, "non vérifiables")]),
        ("Le groupe prétend contrôler la ville.", [(HedgeKind.LEXICAL, "prétend")]),
        ("Les soldats ont apparemment quitté la ville.", [(HedgeKind.LEXICAL, "apparemment")]),
        ("Le présumé auteur de l'attaque a été arrêté.", [(HedgeKind.LEXICAL, "présumé")]),
        ("L'armée a quitté la ville mardi.", []),
        ("Il courait vers la gare et déclarait sa joie.", []),
    ],
)
def test_hedges_find_cues(nlp_fr, fr, text, expected):
    doc_ = document(text)
    found = find_hedges(nlp_fr(text), doc_, fr)
    assert [(h.kind, h.span.text(doc_)) for h in found] == expected


@pytest.mark.model
def test_hedges_point_to_their_own_sentence(nlp_fr, fr):
    text = "Titre sans point\nL'armée a quitté la ville. Selon Kiev, des drones auraient frappé Koursk."
    doc_ = document(text)
    found = find_hedges(nlp_fr(text), doc_, fr)
    assert [h.kind for h in found] == [HedgeKind.ATTRIBUTION, HedgeKind.CONDITIONAL]
    assert {h.sentence.text(doc_) for h in found} == {"Selon Kiev, des drones auraient frappé Koursk."}
