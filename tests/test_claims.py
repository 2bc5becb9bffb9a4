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
    ContradictionKind,
    Polarity,
    Span,
    Speaker,
    SpeakerKind,
    Statement,
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


def test_claims_normalise_follows_gold_rule():
    assert normalise("  «Nous  avons»\u00a0l’armée ") == "\"nous avons\" l'armée"


def test_claims_assertion_and_denial_of_same_frame_contradict():
    fighting = claim("a", "les milices combattaient à Tiotkino", "Ilya Ponomariov")
    denial = claim("b", "l'existence d'affrontements", "Kremlin", Polarity.DENY)
    _, contradictions = compare_claims({"E": [fighting, denial]}, [], {"fr": FR})
    assert [c.claims for c in contradictions] == [("a:0", "b:0")]
    assert (contradictions[0].kind, contradictions[0].subject) == (ContradictionKind.DENIAL, "fighting")
    assert (contradictions[0].a.speaker, contradictions[0].b.speaker) == ("Ilya Ponomariov", "Kremlin")
    assert contradictions[0].event_id == "E"


def test_claims_contradiction_stores_no_sentence_in_any_language():
    """The reason is worded at display time: French and English resources give the same record."""
    fighting = claim("a", "les milices combattaient à Tiotkino", "Ilya Ponomariov")
    denial = claim("b", "l'existence d'affrontements", "Kremlin", Polarity.DENY)
    french = compare_claims({"E": [fighting, denial]}, [], {"fr": FR})[1]
    both = {"en": load_language("en"), "fr": FR}
    assert french == compare_claims({"E": [fighting, denial]}, [], both, document_languages={"a": "fr", "b": "fr"})[1]
    assert not hasattr(french[0], "reason")


def test_claims_each_statement_is_read_in_its_documents_language():
    """A French and an English report meet through the frames' language-neutral names."""
    captured = claim("fr-doc", "les forces russes ont capturé le village", "Ministère russe de la Défense")
    repelled = claim("en-doc", "the attack on the village was repelled", "Ukrainian army")
    languages = {"fr": FR, "en": load_language("en")}
    _, found = compare_claims({"E": [captured, repelled]}, [], languages, document_languages={"fr-doc": "fr", "en-doc": "en"})
    assert [(c.kind, {c.a.speaker, c.b.speaker}) for c in found] == [
        (ContradictionKind.STATUS, {"Ministère russe de la Défense", "Ukrainian army"})
    ]
    # Read with French data only, the English claim says nothing comparable.
    assert compare_claims({"E": [captured, repelled]}, [], {"fr": FR})[1] == []


def test_claims_frame_names_are_the_same_in_every_language():
    from recoupe.lang import supported_languages

    shapes = {
        code: ({n: (f.reporter, f.same_subject) for n, f in d.frames.items()}, d.overrides, set(d.conflicts))
        for code in supported_languages()
        for d in [load_language(code).contradiction_frames]
        if d.frames  # a blank-pipeline language (lang/es) has no claims, hence no frames
    }
    assert set(shapes) >= {"fr", "en"}
    assert all(shape == shapes["fr"] for shape in shapes.values())


@pytest.mark.parametrize(
    ("control", "repelled", "code"),
    [
        ("la localité est entièrement sous le contrôle des forces de libération", "les forces ont fait échouer une tentative de percée", "fr"),
        ("avoir capturé les villages de Kozinka et Gora-Podol", "les formations ont été bloquées et écrasées", "fr"),
        ("the village is under the control of the legion", "the attack was repelled", "en"),
    ],
)
def test_claims_control_conflicts_with_repelled_attack(control, repelled, code):
    languages = {code: load_language(code)}
    _, contradictions = compare_claims({"E": [claim("a", control, "Légion"), claim("b", repelled, "Ministère")]}, [], languages)
    assert len(contradictions) == 1
    assert contradictions[0].kind is ContradictionKind.STATUS and contradictions[0].subject == "control:repelled"
    assert {contradictions[0].a.speaker, contradictions[0].b.speaker} == {"Légion", "Ministère"}


def test_claims_repelled_breakthrough_is_not_a_breakthrough():
    """ "ont fait échouer une tentative de percée" denies the breakthrough it names."""
    props, _ = compare_claims({"E": [claim("a", "ont fait échouer une tentative de percée", "Ministère")]}, [], {"fr": FR})
    assert len(props) == 1 and props[0].asserted_by == ("a",)
    assert props[0].id == compare_claims({"E": [claim("a", "ont fait échouer une tentative de percée", "Ministère")]}, [], {"fr": FR})[0][0].id


def test_claims_same_speaker_never_contradicts_itself():
    a = claim("a", "le village est sous le contrôle de la Légion", "Légion")
    b = claim("b", "l'attaque a été repoussée", "légion", start=5)
    assert compare_claims({"E": [a, b]}, [], {"fr": FR})[1] == []


def test_claims_nested_attribution_is_not_the_speakers_claim():
    a = claim("a", "détourner l'attention des affirmations selon lesquelles la ville aurait été capturée", "Peskov")
    b = claim("b", "l'attaque a été repoussée", "Ministère")
    assert compare_claims({"E": [a, b]}, [], {"fr": FR})[1] == []


def reporter(doc: str, text: str, start: int = 0) -> Statement:
    return Statement(Span(doc, start, start + len(text)), text)


@pytest.mark.parametrize(
    ("asserted", "denied", "code"),
    [
        ("Un homme de 67 ans serait porté disparu à Quissac.", "Aucune personne n'est portée disparue à ce stade.", "fr"),
        ("Une cinquantaine de navires seraient bloqués au large.", "La direction dément : aucun navire n'est bloqué.", "fr"),
        ("La ville a été évacuée dans la nuit.", "La ville n'a pas été évacuée, assure le maire.", "fr"),
        ("A man was reported missing near the river.", "Nobody is missing, the police said.", "en"),
    ],
)
def test_claims_reporters_statement_contradicts_its_denial(asserted, denied, code):
    languages = {code: load_language(code)}
    _, contradictions = compare_claims({}, [], languages, reported={"E": [reporter("a", asserted), reporter("b", denied)]})
    assert [(c.kind, c.a.text, c.b.text) for c in contradictions] == [(ContradictionKind.DENIAL, asserted, denied)]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Une cinquantaine de navires seraient bloqués au large.", "La route reste bloquée, aucun camion ne passe."),  # other things
        ("Un homme serait porté disparu.", "Un homme est porté disparu depuis jeudi."),  # agree
        ("120 personnes ont été évacuées.", "La ville n'a pas été évacuée."),  # people, not the town
        ("Les combats continuent à Tiotkino.", "Le Kremlin nie l'existence de combats."),  # fighting is read in claims only
    ],
)
def test_claims_reporters_lookalikes_do_not_contradict(left, right):
    _, contradictions = compare_claims({}, [], {"fr": FR}, reported={"E": [reporter("a", left), reporter("b", right)]})
    assert contradictions == []


def test_claims_same_document_needs_two_named_speakers():
    """A report restating a rumour it then denies in its own voice is no clash between sources."""
    rumour, denial = reporter("a", "Un homme serait porté disparu."), reporter("a", "Aucune personne n'est portée disparue.", 40)
    assert compare_claims({}, [], {"fr": FR}, reported={"E": [rumour, denial]})[1] == []
    prefect = claim("a", "aucune personne n'est portée disparue", "préfet", start=80)
    union = claim("a", "un homme est porté disparu", "syndicat", start=120)
    assert len(compare_claims({"E": [prefect, union]}, [], {"fr": FR})[1]) == 1


def test_claims_copy_never_counts_as_independent_source():
    original = claim("orig", "le village est sous le contrôle de la Légion", "Légion")
    copy = claim("copy", "le village est sous le contrôle de la Légion", "Légion")
    other = claim("other", "la Légion a pris le contrôle du village", "Légion Liberté")
    denial = claim("deny", "que le village soit sous le contrôle de la Légion", "Gouverneur", Polarity.DENY)
    links = [CopyLink("copy", "orig", CopyKind.NEAR, 0.95)]
    props, contradictions = compare_claims({"E": [original, copy, other, denial]}, links, {"fr": FR})
    control = next(p for p in props if original.id in p.claim_ids)
    assert set(control.claim_ids) == {original.id, copy.id, other.id, denial.id}
    assert control.asserted_by == ("orig", "other")
    assert control.denied_by == ("deny",)
    assert {c.a.span.document_id for c in contradictions} == {"orig", "other"}  # the copy never stands for its original


def test_claims_shared_dispatch_is_one_source():
    a = reporter("a", "Un homme serait porté disparu.")
    b = reporter("b", "Aucune personne n'est portée disparue.")
    assert compare_claims({}, [], {"fr": FR}, reported={"E": [a, b]}, same_source=[{"a", "b"}])[1] == []


def test_claims_frameless_claims_group_by_shared_keywords():
    a = claim("a", "la raffinerie NORSI a arrêté sa plus grande unité après un incendie", "Reuters")
    b = claim("b", "la raffinerie NORSI a arrêté sa grande unité de raffinage", "TASS")
    c = claim("c", "les écoles de la région restent fermées", "Gouverneur")
    props, contradictions = compare_claims({"E": [a, b, c]}, [], {"fr": FR})
    assert sorted(len(p.claim_ids) for p in props) == [1, 2]
    assert contradictions == []


def test_claims_unattributed_claims_are_left_out():
    lone = Claim("x", Span("a", 0, 5), ClaimKind.DIRECT, None, text="sous le contrôle")
    assert compare_claims({"E": [lone]}, [], {"fr": FR}) == ([], [])


def test_claims_independent_sources_follow_copy_chains():
    links = [CopyLink("c2", "c1", CopyKind.NEAR, 0.9), CopyLink("c1", "o", CopyKind.EXACT, 1.0)]
    assert independent_sources(links) == {"c2": "o", "c1": "o"}


@pytest.mark.parametrize(
    ("accusing", "speaker", "answer", "code"),
    [
        ("Le collectif Terre Libre est responsable de cet incendie", "le collectif Terre Libre", "nous démentons toute implication", "fr"),
        ("Le Hamas a imputé la frappe à Israël", "l'armée israélienne", "le Jihad islamique est responsable du tir de roquette raté", "fr"),
        ("the blast was caused by an Israeli air strike", "the Israeli military", "Islamic Jihad is responsible for the failed launch", "en"),
        ("la frappe de Tsahal a tué 200 personnes", "l'armée israélienne", "l'armée dément toute responsabilité", "fr"),
    ],
)
def test_claims_blamed_speaker_who_disowns_or_names_another_contradicts(accusing, speaker, answer, code):
    languages = {code: load_language(code)}
    accusation, reply = claim("a", accusing, "Marc Delaunay"), claim("b", answer, speaker)
    _, contradictions = compare_claims({"E": [accusation, reply]}, [], languages)
    assert [(c.kind, c.subject, c.a.text, c.b.text) for c in contradictions] == [(ContradictionKind.DENIAL, "blame", accusing, answer)]


@pytest.mark.parametrize(
    ("accusing", "speaker", "answer"),
    [
        ("Le collectif Terre Libre est responsable de cet incendie", "le collectif Terre Libre", "nous avons agi à visage découvert"),  # no denial
        ("Le Jihad islamique est responsable du tir", "groupe islamiste palestinien", "une frappe de l'armée israélienne"),  # another group
        ("deux hypothèses : une frappe israélienne ou une roquette", "l'armée israélienne", "le Jihad islamique est responsable"),  # hypothesis
        ("Le collectif Terre Libre est responsable de cet incendie", "le préfet", "nous démentons toute implication"),  # not the accused
    ],
)
def test_claims_blame_lookalikes_do_not_contradict(accusing, speaker, answer):
    accusation, reply = claim("a", accusing, "Marc Delaunay"), claim("b", answer, speaker)
    assert compare_claims({"E": [accusation, reply]}, [], {"fr": FR})[1] == []


def test_claims_reporter_relaying_blame_asserts_nothing():
    relayed = reporter("a", "Le Hamas a imputé la frappe à Israël, tandis que l'armée accuse le Jihad islamique.")
    own = reporter("c", "L'hôpital a été touché par une frappe israélienne.")
    reply = claim("b", "le Jihad islamique est responsable du tir de roquette raté", "l'armée israélienne")
    assert compare_claims({"E": [reply]}, [], {"fr": FR}, reported={"E": [relayed]})[1] == []
    found = compare_claims({"E": [reply]}, [], {"fr": FR}, reported={"E": [own]})[1]
    assert [(c.subject, c.a.text) for c in found] == [("blame", own.text)]


def dated(doc: str, text: str, day: int) -> Statement:
    from recoupe.model import PartialDate

    return Statement(Span(doc, 0, len(text)), text, published=PartialDate(2025, 6, day))


@pytest.mark.parametrize(
    ("left", "right", "days", "clash"),
    [
        ("Ni le gouvernement ni son mouvement n'ont confirmé la mort de Tomas Varga.",
         "His movement confirmed the death of Tomas Varga on Sunday.", (2, 2), True),
        ("Son mouvement n'avait pas confirmé la mort de Tomas Varga samedi soir.",
         "His movement confirmed the death of Tomas Varga on Sunday.", (1, 2), False),  # the state changed
        ("Le gouvernement n'a pas confirmé la mort de son adjoint, Ivo Baran.",
         "His movement confirmed the death of Tomas Varga on Sunday.", (2, 2), False),  # another man
        ("Le mouvement a confirmé la mort de Tomas Varga.",
         "His movement confirmed the death of Tomas Varga on Sunday.", (2, 2), False),  # agree
    ],
)
def test_claims_a_death_confirmed_and_not_confirmed_the_same_day_contradict(left, right, days, clash):
    languages = {"fr": FR, "en": load_language("en")}
    statements = [dated("a", left, days[0]), dated("b", right, days[1])]
    found = compare_claims({}, [], languages, reported={"E": statements}, document_languages={"a": "fr", "b": "en"})[1]
    assert [(c.kind, c.subject) for c in found] == ([(ContradictionKind.DENIAL, "confirmed_death")] if clash else [])


@pytest.mark.parametrize(
    ("left", "right", "clash"),
    [
        ("La mairie accuse l'entreprise Bastel d'avoir bâclé les travaux.",
         "L'entreprise Bastel accuse la mairie d'avoir ignoré ses alertes.", True),
        ("La mairie accuse l'entreprise Bastel d'avoir bâclé les travaux.",
         "La mairie et l'entreprise Bastel se renvoient la responsabilité.", False),  # both sides relayed
        ("La mairie accuse l'entreprise Bastel d'avoir bâclé les travaux, ce que l'entreprise a démenti.",
         "L'entreprise Bastel accuse la mairie d'avoir ignoré ses alertes.", False),
        ("Les enquêteurs accusent la crue d'avoir fragilisé les piles.",
         "L'entreprise Bastel accuse la mairie d'avoir ignoré ses alertes.", False),  # the flood does not speak
        ("Moscou accuse Kiev d'avoir détruit le barrage.", "Kyiv accuses Russia of blowing up the dam.", True),
    ],
)
def test_claims_a_reporter_showing_one_party_accusing_another_is_that_partys_statement(left, right, clash):
    languages = {"fr": FR, "en": load_language("en")}
    code = "en" if right.startswith("Kyiv") else "fr"
    found = compare_claims({}, [], languages, reported={"E": [reporter("a", left), reporter("b", right)]},
                           document_languages={"a": "fr", "b": code})[1]
    assert [(c.kind, c.subject) for c in found] == ([(ContradictionKind.DENIAL, "blame")] if clash else [])


def test_claims_lead_of_a_claim_reads_its_accusation_and_its_unconfirmed_death():
    """The claim stage keeps "accuse" and "confirmé" as reporting verbs: the lead before the content says what the verb did."""
    text_a = "La mairie accuse l'entreprise Bastel d'avoir bâclé les travaux."
    text_b = "Au lendemain, l'entreprise Bastel accuse la mairie d'avoir ignoré ses alertes."

    def verb_claim(doc: str, text: str, verb: str, content: str, speaker: str) -> Claim:
        start, cue = text.index(content), text.index(verb)
        return replace_claim(claim(doc, content, speaker, start=start), Span(doc, cue, cue + len(verb)))

    a = verb_claim("a", text_a, "accuse", "l'entreprise Bastel d'avoir bâclé les travaux", "mairie")
    b = verb_claim("b", text_b, "accuse", "la mairie d'avoir ignoré ses alertes", "entreprise Bastel")
    found = compare_claims({"E": [a, b]}, [], {"fr": FR}, texts={"a": text_a, "b": text_b})[1]
    assert [(c.subject, c.a.text, c.b.text) for c in found] == [("blame", a.text, b.text)]
    assert compare_claims({"E": [a, b]}, [], {"fr": FR})[1] == []  # without the texts, no verb is read

    text_c = "Ni le gouvernement ni son mouvement n'ont confirmé la mort de Tomas Varga."
    text_d = "Son mouvement a confirmé la mort de Tomas Varga dimanche."
    c = verb_claim("c", text_c, "confirmé", "la mort de Tomas Varga", "gouvernement")
    d = verb_claim("d", text_d, "confirmé", "la mort de Tomas Varga dimanche", "mouvement")
    found = compare_claims({"E": [c, d]}, [], {"fr": FR}, texts={"c": text_c, "d": text_d})[1]
    assert [(c.subject, c.a.text) for c in found] == [("confirmed_death", d.text)]


def replace_claim(value: Claim, cue: Span) -> Claim:
    from dataclasses import replace

    return replace(value, cue=cue)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Dans un communiqué, l'armée israélienne a attribué à l'organisation Jihad islamique cette frappe.", "fr"),
        ("L'armée israélienne a imputé la frappe au Jihad islamique.", "fr"),
        ("The Israeli military blamed the blast on Islamic Jihad, citing intelligence.", "en"),
    ],
)
def test_claims_a_party_attributing_the_act_to_another_answers_who_blames_it(sentence, code):
    languages = {"fr": FR, "en": load_language("en")}
    own = reporter("a", "L'hôpital a été touché par une frappe israélienne.")
    found = compare_claims({}, [], languages, reported={"E": [own, reporter("b", sentence)]},
                           document_languages={"a": "fr", "b": code})[1]
    assert [(c.subject, c.a.text, c.b.text) for c in found] == [("blame", own.text, sentence)]


@pytest.mark.parametrize(
    ("accusing", "speaker", "answer", "code"),
    [
        ("les forces russes ont fait sauter le barrage", "le ministère russe de la Défense", "nous rejetons ces accusations", "fr"),
        ("Russian troops blew up the dam", "Russia's defence ministry", "these accusations are absurd", "en"),
    ],
)
def test_claims_an_agent_doing_the_act_is_blamed_and_rejecting_accusations_disowns(accusing, speaker, answer, code):
    languages = {code: load_language(code)}
    accusation, reply = claim("a", accusing, "Volodymyr Zelensky"), claim("b", answer, speaker)
    found = compare_claims({"E": [accusation, reply]}, [], languages)[1]
    assert [(c.subject, c.a.text, c.b.text) for c in found] == [("blame", accusing, answer)]
    unrelated = claim("b", answer, "le maire de Kherson")
    assert compare_claims({"E": [accusation, unrelated]}, [], languages)[1] == []


def placed(doc: str, text: str, *names: str) -> list:
    """The places a gazetteer would find in `text`, written as they are named."""
    from recoupe.model import Place, PlaceKind

    return [Place(Span(doc, text.index(n), text.index(n) + len(n)), n, n, 0.0, 0.0, PlaceKind.LOCALITY) for n in names]


@pytest.mark.parametrize(
    ("intro", "speaker", "clash"),
    [
        ("Kremlin spokesman Dmitry Peskov told reporters.", "Dmitry Peskov", True),
        ("Le porte-parole du ministère russe de la Défense, Igor Konachenkov, a parlé :", "Igor Konachenkov", True),
        ("Après un appel avec le président russe, Igor Konachenkov a parlé :", "Igor Konachenkov", False),  # no office of his
        ("Igor Konachenkov a parlé :", "Igor Konachenkov", False),  # no office named
    ],
)
def test_claims_a_persons_office_at_first_mention_tells_the_side_it_speaks_for(intro, speaker, clash):
    """ "Russian forces blew up the dam" names Russia; a person named with a Russian office who blames
    Ukraine answers it, a person whose side is not told does not."""
    languages = {"fr": FR, "en": load_language("en")}
    accusation = claim("a", "les forces russes ont fait sauter le barrage", "Volodymyr Zelensky")
    code = "en" if intro.endswith(".") else "fr"
    answer = "Ukrainian forces had shelled the dam for weeks" if code == "en" else "l'armée ukrainienne a détruit le barrage"
    text = f"{intro} {answer}"
    reply = claim("b", answer, speaker, start=text.index(answer))
    found = compare_claims({"E": [accusation, reply]}, [], languages, document_languages={"a": "fr", "b": code},
                           texts={"b": text, "a": accusation.text})[1]
    assert bool(found) is clash


def test_claims_blame_for_acts_at_other_places_is_not_compared():
    """Strikes on Kupiansk blamed on Russia, shelling of Valuyki blamed on Ukraine by a Russian governor:
    two acts. A statement naming a place but not its report's target (the dam) tells another act."""
    languages = {"fr": FR, "en": load_language("en")}
    strikes = "Des frappes russes ont visé Koupiansk dans la matinée"
    shelling = "Ukrainian shelling hit the town of Valuyki"
    a_text, b_text = f"Le barrage a été détruit. {strikes}", f"The dam was destroyed. {shelling}"
    a = claim("a", strikes, "l'administration régionale", start=a_text.index(strikes))
    b = claim("b", shelling, "Russian governor", start=b_text.index(shelling))
    kwargs = dict(document_languages={"a": "fr", "b": "en"}, texts={"a": a_text, "b": b_text})
    assert len(compare_claims({"E": [a, b]}, [], languages, **kwargs)[1]) == 1  # places unknown: compared
    places = {"a": placed("a", a_text, "Koupiansk"), "b": placed("b", b_text, "Valuyki")}
    assert compare_claims({"E": [a, b]}, [], languages, places=places, **kwargs)[1] == []
    at_the_dam = "Ukrainian shelling hit the dam at Valuyki"
    b_text = f"The dam was destroyed. {at_the_dam}"
    b = claim("b", at_the_dam, "Russian governor", start=b_text.index(at_the_dam))
    places["b"] = placed("b", b_text, "Valuyki")
    assert compare_claims({"E": [a, b]}, [], languages, places=places, **{**kwargs, "texts": {"a": a_text, "b": b_text}})[1] == []
    a_text = f"Le barrage a été détruit. Des frappes russes ont détruit le barrage de Valuyki"
    a = claim("a", a_text[a_text.index("Des"):], "l'administration régionale", start=a_text.index("Des"))
    places["a"] = placed("a", a_text, "Valuyki")
    found = compare_claims({"E": [a, b]}, [], languages, places=places, **{**kwargs, "texts": {"a": a_text, "b": b_text}})[1]
    assert len(found) == 1  # one dam at one place, two culprits


@pytest.mark.parametrize(
    ("left", "right", "days", "clash"),
    [
        ("L'armée affirme que Tomas Varga a été tué dimanche.", "His movement has not confirmed the death of Tomas Varga.", (2, 2), True),
        ("L'armée affirme que Tomas Varga a été tué dimanche.", "His movement had not confirmed the death of Tomas Varga.", (2, 1), False),  # another day
        ("Le chef rebelle Tomas Varga aurait été tué dimanche.", "His movement has not confirmed the death of Tomas Varga.", (2, 2), False),  # a rumour
        ("Son adjoint Ivo Baran a été tué dimanche.", "His movement has not confirmed the death of Tomas Varga.", (2, 2), False),  # another man
    ],
)
def test_claims_a_death_stated_against_a_death_not_confirmed_the_same_day(left, right, days, clash):
    languages = {"fr": FR, "en": load_language("en")}
    found = compare_claims({}, [], languages, reported={"E": [dated("a", left, days[0]), dated("b", right, days[1])]},
                           document_languages={"a": "fr", "b": "en"})[1]
    assert bool(found) is clash
