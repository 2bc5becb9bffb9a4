from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from recoupe.evaluate.dates import phrase_occurrences
from recoupe.lang import load_language
from recoupe.model import Document, HedgeKind
from factories import body_document
from recoupe.nlp.hedges import conditional_hedges, find_hedges, is_conditional


def document(text: str) -> Document:
    return body_document(text)


@pytest.mark.parametrize("code", ["fr", "en"])
def test_hedges_language_data_compiles(code):
    import re

    table = load_language(code).hedges
    for kind in (HedgeKind.ATTRIBUTION, HedgeKind.UNVERIFIED, HedgeKind.LEXICAL):
        assert getattr(table, kind.value), f"lang/{code}/hedges.yaml has no {kind.value} cues"
        assert all(isinstance(p, re.Pattern) for p in getattr(table, kind.value))


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
    assert is_conditional(doc[0], fr.hedges.conditional) is expected


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
        ("Les victimes sont sans doute des passagers.", [(HedgeKind.LEXICAL, "sans doute")]),
        ("Des vidéos dont l'AFP n'a pas pu immédiatement vérifier l'authenticité circulent.",
         [(HedgeKind.UNVERIFIED, "n'a pas pu immédiatement vérifier")]),
        ("L'armée a quitté la ville mardi.", []),
        ("Il courait vers la gare et déclarait sa joie.", []),
        # The future in the past of reported speech, a hypothesis and a wish are no hedges.
        ("Il a ajouté que les écoles resteraient fermées jusqu'à lundi.", []),
        ("Le syndicat a annoncé que la grève serait reconduite jusqu'à vendredi.", []),
        ("S'il n'obtient pas gain de cause, il marcherait sur la ville.", []),
        ("Le maire voudrait une réunion avec le préfet.", []),
        # A present reporting verb governs no concordance; modals and compound conditionals always hedge.
        ("Le maire affirme que les écoles resteraient fermées.", [(HedgeKind.CONDITIONAL, "resteraient")]),
        ("Le préfet a estimé que le bilan pourrait s'alourdir.", [(HedgeKind.CONDITIONAL, "pourrait")]),
        ("Il a indiqué que la ville aurait été bombardée.", [(HedgeKind.CONDITIONAL, "aurait été bombardée")]),
        # Direct speech keeps its own tenses: the verb of the incise governs nothing inside the quote.
        ("« Il y aurait une dizaine de blessés », a déclaré le maire.", [(HedgeKind.CONDITIONAL, "aurait")]),
    ],
)
def test_hedges_find_cues(nlp_fr, fr, text, expected):
    doc_ = document(text)
    found = find_hedges(nlp_fr(text), doc_, fr)
    assert [(h.kind, h.span.text(doc_)) for h in found] == expected


def parsed(words, heads, deps, pos, lemmas, morphs) -> Doc:
    return Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas, morphs=morphs)


REPORTED = dict(
    words=["Il", "a", "ajouté", "que", "les", "écoles", "resteraient", "fermées"],
    heads=[2, 2, 2, 6, 5, 6, 2, 6],
    deps=["nsubj", "aux:tense", "ROOT", "mark", "det", "nsubj", "ccomp", "xcomp"],
    pos=["PRON", "AUX", "VERB", "SCONJ", "DET", "NOUN", "VERB", "ADJ"],
    lemmas=["il", "avoir", "ajouter", "que", "le", "école", "rester", "fermé"],
    morphs=["", "Mood=Ind|Tense=Pres|VerbForm=Fin", "Tense=Past|VerbForm=Part", "", "", "", "Mood=Cnd|Tense=Pres|VerbForm=Fin", ""],
)


@pytest.mark.parametrize(
    ("governor", "hedges"),
    [
        ({"lemma": "ajouter", "aux": "Mood=Ind|Tense=Pres|VerbForm=Fin", "verb": "Tense=Past|VerbForm=Part"}, False),  # a ajouté
        ({"lemma": "ajouter", "aux": "Mood=Ind|Tense=Imp|VerbForm=Fin", "verb": "Tense=Past|VerbForm=Part"}, False),  # avait ajouté
        ({"lemma": "affirmer", "aux": None, "verb": "Mood=Ind|Tense=Pres|VerbForm=Fin"}, True),  # affirme
        ({"lemma": "affirmer", "aux": None, "verb": "Mood=Ind|Tense=Imp|VerbForm=Fin"}, False),  # affirmait
        ({"lemma": "affirmer", "aux": None, "verb": "Mood=Ind|Tense=Fut|VerbForm=Fin"}, True),  # affirmera
    ],
)
def test_hedges_conditional_under_a_past_verb_is_concordance(fr, governor, hedges):
    spec = {k: list(v) for k, v in REPORTED.items()}
    spec["lemmas"][2] = governor["lemma"]
    spec["morphs"][2] = governor["verb"]
    if governor["aux"] is None:
        spec["deps"][1], spec["pos"][1], spec["morphs"][1], spec["lemmas"][1] = "advmod", "ADV", "", "bien"
    else:
        spec["morphs"][1] = governor["aux"]
    doc = parsed(**spec)
    assert is_conditional(doc[6], fr.hedges.conditional)
    assert conditional_hedges(doc[6], fr.hedges.conditional) is hedges


@pytest.mark.parametrize(
    ("lemma", "hedges"),
    [("rester", False), ("pouvoir", True), ("devoir", True)],  # epistemic modals hedge even under a past verb
)
def test_hedges_modals_hedge_under_a_past_verb(fr, lemma, hedges):
    spec = {k: list(v) for k, v in REPORTED.items()}
    spec["lemmas"][6] = lemma
    assert conditional_hedges(parsed(**spec)[6], fr.hedges.conditional) is hedges


@pytest.mark.model
def test_hedges_point_to_their_own_sentence(nlp_fr, fr):
    text = "Titre sans point\nL'armée a quitté la ville. Selon Kiev, des drones auraient frappé Koursk."
    doc_ = document(text)
    found = find_hedges(nlp_fr(text), doc_, fr)
    assert [h.kind for h in found] == [HedgeKind.ATTRIBUTION, HedgeKind.CONDITIONAL]
    assert {h.sentence.text(doc_) for h in found} == {"Selon Kiev, des drones auraient frappé Koursk."}


@pytest.mark.model
def test_hedges_seeds_mark_exactly_the_hedged_gold_claims(seeds_dir: Path, seeds_gold: dict, nlp_fr, fr):
    """Gold claims marked hedged sit in a sentence with a conditional, unverified or lexical cue;
    the others do not (an attribution alone, "selon X", is no hedge for the gold)."""
    hedges = {}
    for name in seeds_gold["documents"]:
        text = (seeds_dir / "articles" / name).read_text(encoding="utf-8")
        hedges[name] = (text, find_hedges(nlp_fr(text), document(text), fr))
    wrong = []
    for claim in seeds_gold["claims"]:
        text, found = hedges[claim["doc"]]
        (start, end), *_ = phrase_occurrences(text, claim["anchor"])
        hedged = any(
            h.kind is not HedgeKind.ATTRIBUTION and h.sentence.start <= start < h.sentence.end for h in found
        )
        if hedged != claim.get("hedged", False):
            wrong.append(claim["anchor"])
    assert len(seeds_gold["claims"]) == 27
    assert wrong == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("According to TASS, classes were cancelled.", [(HedgeKind.ATTRIBUTION, "According to")]),
        ("The claims could not be independently verified.", [(HedgeKind.UNVERIFIED, "could not be independently verified")]),
        ("The unit reportedly trained in Kyiv.", [(HedgeKind.LEXICAL, "reportedly")]),
        ("The army left the town on Tuesday.", []),
    ],
)
def test_hedges_english_data_without_a_parser(text, expected):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc_ = document(text)
    found = find_hedges(nlp(text), doc_, load_language("en"))
    assert [(h.kind, h.span.text(doc_)) for h in found] == expected
    assert all(h.sentence.text(doc_) == text for h in found)
