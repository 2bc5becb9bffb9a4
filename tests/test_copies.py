"""Copy detection on short hand-written articles: one original and what becomes of it."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

import copy_kinds
from recoupe.copies import (
    CopyDetector,
    anchors,
    calendar_anchors,
    find_dispatches,
    normalise_number,
    originals,
    pair_features,
    profile_document,
    source_groups,
    wire_agencies,
)
from recoupe.copy_model import load_copy_model
from recoupe.errors import ConfigError
from recoupe.folding import NameFolder, name_folder
from recoupe.alignment import lcs_length
from recoupe.lang import load_language, supported_languages
from recoupe.model import AlignedPassage, CopyKind, CopyLink, Dispatch, Document, Span, PartialDate, Segment, SegmentKind, SourceFormat
from recoupe.settings import CopySettings

ORIGINAL = """Crue de la Durance : 1 250 habitants évacués à Sisteron

La Durance est sortie de son lit dans la nuit de mardi à mercredi et 1 250 habitants de Sisteron ont été évacués, a annoncé mercredi la préfecture des Alpes-de-Haute-Provence. Le niveau de la rivière a atteint 4,5 mètres, un record depuis 1994.

Selon le préfet Jean-Marc Tavernier, 312 pompiers et deux hélicoptères de la Sécurité civile sont mobilisés dans 37 communes. Météo-France a placé le département en vigilance rouge jusqu'à jeudi 18 heures.

« L'eau est montée en moins d'une heure, nous sommes partis avec nos papiers et rien d'autre », raconte Odile Maréchal, 67 ans, hébergée au gymnase Paul-Arène.

La ligne SNCF entre Marseille et Briançon reste coupée et l'autoroute A51 est fermée entre Aix-en-Provence et Manosque."""

# Republished with another title, a closing line and an encoding broken the way
# ftfy cannot repair ("é" read as cp1250).
NEAR_COPY = """Inondations : Sisteron évacuée

La Durance est sortie de son lit dans la nuit de mardi Ă  mercredi et 1 250 habitants de Sisteron ont Ă©tĂ© Ă©vacuĂ©s, a annoncĂ© mercredi la prĂ©fecture des Alpes-de-Haute-Provence. Le niveau de la riviĂ¨re a atteint 4,5 mètres, un record depuis 1994.

Selon le préfet Jean-Marc Tavernier, 312 pompiers et deux hélicoptères de la Sécurité civile sont mobilisés dans 37 communes. Météo-France a placé le département en vigilance rouge jusqu'à jeudi 18 heures.

« L'eau est montée en moins d'une heure, nous sommes partis avec nos papiers et rien d'autre », raconte Odile Maréchal, 67 ans, hébergée au gymnase Paul-Arène.

La ligne SNCF entre Marseille et Briançon reste coupée. Plus d'informations à suivre."""

TRANSLATION = """Durance flood: 1,250 residents evacuated in Sisteron

The Durance River burst its banks overnight from Tuesday to Wednesday and 1,250 residents of Sisteron were evacuated, the Alpes-de-Haute-Provence prefecture announced on Wednesday. The river reached 4.5 meters, a record since 1994.

According to Prefect Jean-Marc Tavernier, 312 firefighters and two Civil Security helicopters have been deployed in 37 municipalities. Météo-France put the department on red alert until Thursday at 18:00.

"The water rose in less than an hour, we left with our papers and nothing else," said Odile Maréchal, 67, who is staying at the Paul-Arène gymnasium.

The SNCF line between Marseille and Briançon remains cut and the A51 motorway is closed between Aix-en-Provence and Manosque."""

REWRITE = """Sisteron : la Durance déborde, 1 250 personnes quittent leur logement

Dans la nuit de mardi à mercredi, la rivière Durance a débordé, obligeant 1 250 résidents de Sisteron à partir de chez eux, selon un communiqué publié mercredi par les services de l'État des Alpes-de-Haute-Provence. Avec 4,5 mètres, la hauteur du cours d'eau bat le précédent record, qui datait de 1994.

D'après Jean-Marc Tavernier, le représentant de l'État, on compte 312 soldats du feu et une paire d'appareils de la Sécurité civile à pied d'œuvre sur 37 localités. Jusqu'à jeudi 18 heures, Météo-France maintient l'alerte maximale sur le territoire.

Odile Maréchal, une retraitée de 67 ans accueillie dans la salle de sport Paul-Arène, témoigne : tout s'est passé très vite, elle n'a emporté que ses documents.

Côté transports, plus aucun train SNCF ne circule de Marseille à Briançon, tandis que l'A51 demeure interdite à la circulation d'Aix-en-Provence à Manosque."""

# Same town, same prefect, same river: another story.
UNRELATED = """Sisteron inaugure sa nouvelle digue

Le préfet Jean-Marc Tavernier a inauguré lundi à Sisteron la nouvelle digue de la Durance, un chantier de 4 millions d'euros lancé en 2021. L'ouvrage protège les quartiers bas de la ville, où vivent près de 2 000 habitants.

Le maire a salué « un investissement pour trente ans ». Météo-France rappelle que les crues d'automne restent le principal risque dans les Alpes-de-Haute-Provence, notamment entre Manosque et Briançon.

Les travaux, confiés à une entreprise de Marseille, ont duré dix-huit mois. Une seconde tranche doit débuter au printemps à Aix-en-Provence."""

DIGEST = """Le fil de l'actualité régionale du mercredi

Un marché de Noël géant ouvrira ses portes samedi à Digne-les-Bains, avec plus de quatre-vingts exposants attendus et une patinoire installée sur la place centrale de la ville.

Alerte rouge et évacuations massives dans le nord du département

Selon le préfet Jean-Marc Tavernier, 312 pompiers et deux hélicoptères de la Sécurité civile sont mobilisés dans 37 communes. Le niveau de la rivière a atteint 4,5 mètres, un record depuis 1994. Les écoles resteront fermées jusqu'à nouvel ordre.

Le club de rugby de Manosque remporte le derby face à ses voisins

Les joueurs locaux se sont imposés dimanche au terme d'un match serré, devant une tribune comble et sous une pluie battante qui n'a découragé personne."""

# Two outlets carrying one AFP dispatch: a long passage in common, the rest their own.
DISPATCH_A = """Sisteron sous les eaux

(AFP) - La Durance est sortie de son lit dans la nuit de mardi à mercredi et 1 250 habitants de Sisteron ont été évacués, a annoncé mercredi la préfecture des Alpes-de-Haute-Provence. Le niveau de la rivière a atteint 4,5 mètres, un record depuis 1994.

Notre correspondante a rencontré les commerçants de la rue Saunerie, qui comptent déjà les dégâts et craignent pour la saison touristique. Beaucoup n'avaient jamais vu l'eau monter aussi haut dans le centre ancien."""

DISPATCH_B = """Crue historique dans les Alpes-de-Haute-Provence

La Durance est sortie de son lit dans la nuit de mardi à mercredi et 1 250 habitants de Sisteron ont été évacués, a annoncé mercredi la préfecture des Alpes-de-Haute-Provence. Le niveau de la rivière a atteint 4,5 mètres, un record depuis 1994.

À Digne-les-Bains, le conseil départemental a ouvert une cellule de crise et débloqué un fonds d'urgence pour les agriculteurs dont les vergers ont été inondés. Les assureurs appellent les sinistrés à photographier les dommages avant tout nettoyage. (avec AFP)"""

SETTINGS = CopySettings()


def make_document(doc_id: str, text: str, published: str | None = None, language: str | None = None) -> Document:
    """One BODY segment over the whole text, as cleaning leaves a plain article."""
    return Document(
        id=doc_id,
        content_hash=doc_id,
        source=f"{doc_id}.txt",
        text=text,
        format=SourceFormat.TEXT,
        segments=(Segment(0, len(text), SegmentKind.BODY),),
        published=PartialDate.from_iso(published) if published else None,
        language=language,
    )


@pytest.fixture(scope="module")
def agencies():
    return wire_agencies(load_language(code) for code in supported_languages())


def detect(documents: list[Document], agencies=()) -> list[CopyLink]:
    return CopyDetector(SETTINGS, agencies).add(documents)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (ORIGINAL, CopyKind.EXACT),
        (NEAR_COPY, CopyKind.NEAR),
        (TRANSLATION, CopyKind.TRANSLATION),
        (REWRITE, CopyKind.REWRITE),
        (DIGEST, CopyKind.DIGEST),
    ],
    ids=["exact", "near", "translation", "rewrite", "digest"],
)
def test_copies_links_each_kind_to_its_original(text, kind, agencies):
    links = detect([make_document("original", ORIGINAL), make_document("copy", text)], agencies)
    assert [(link.copy, link.original, link.kind) for link in links] == [("copy", "original", kind)]


def test_copies_ignores_unrelated_article_sharing_names(agencies):
    assert detect([make_document("original", ORIGINAL), make_document("other", UNRELATED)], agencies) == []


def test_copies_near_copy_survives_leftover_mojibake():
    link = detect([make_document("original", ORIGINAL), make_document("copy", NEAR_COPY)])[0]
    assert link.similarity >= SETTINGS.near_threshold


def test_copies_compares_new_documents_with_earlier_batches():
    detector = CopyDetector(SETTINGS, ())
    assert detector.add([make_document("original", ORIGINAL), make_document("other", UNRELATED)]) == []
    links = detector.add([make_document("copy", NEAR_COPY)])
    assert [(link.copy, link.original) for link in links] == [("copy", "original")]


SIGNED = ORIGINAL.replace("\n\nLa Durance", "\n\nSISTERON (CNN) — La Durance", 1)
MARKED_UP = ORIGINAL.replace("de son lit", "de son lit**", 1)
PROMPT = "Make this article seo compatible,Let there be subheadings for the article, be in french\n\n"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("original", ORIGINAL, None), ("copy", TRANSLATION, None)),
        (("copy", TRANSLATION, "2023-06-12"), ("original", ORIGINAL, "2023-06-10")),
        (("copy", TRANSLATION, "2023-07"), ("original", ORIGINAL, "2023-06-28")),
        (("copy", TRANSLATION, "2023-06"), ("original", ORIGINAL, "2023-06-10")),
        (("copy", MARKED_UP, None), ("original", ORIGINAL, None)),
        (("copy", TRANSLATION, None), ("original", SIGNED, None)),
        (("original", TRANSLATION, "2023-06-10"), ("copy", SIGNED, "2023-06-12")),
    ],
    ids=["arrival", "earlier-day", "earlier-month", "day-beats-month-only", "markup", "dateline-credit", "dates-beat-credit"],
)
def test_copies_orient_finds_the_original(first, second):
    documents = [make_document(name, text, published) for name, text, published in (first, second)]
    (link,) = detect(documents)
    assert (link.copy, link.original) == ("copy", "original")


def test_copies_leaked_rewriting_prompt_marks_the_copy(agencies):
    documents = [make_document("copy", PROMPT + REWRITE, language="fr"), make_document("original", ORIGINAL, language="fr")]
    (link,) = detect(documents, agencies)
    assert (link.copy, link.original, link.kind) == ("copy", "original", CopyKind.REWRITE)


def test_copies_rewriting_service_is_no_wire(agencies):
    rewriters = [a.name for a in agencies if a.rewrites]
    assert rewriters and not set(rewriters) & {a.name for a in agencies if not a.rewrites}


def test_copies_original_arriving_after_its_copies_is_linked_to_each():
    documents = [make_document("near", NEAR_COPY), make_document("translation", TRANSLATION, "2023-06"), make_document("original", ORIGINAL, "2023-06-10")]
    pairs = {(link.copy, link.original) for link in detect(documents)}
    assert {("near", "original"), ("translation", "original")} <= pairs


def test_copies_same_language_original_outranks_a_translation():
    detector = CopyDetector(SETTINGS, ())
    detector.add([make_document("original", ORIGINAL, language="fr"), make_document("translation", TRANSLATION, language="en")])
    links = detector.add([make_document("rewrite", REWRITE, language="fr")])
    assert [(link.copy, link.original, link.kind) for link in links] == [("rewrite", "original", CopyKind.REWRITE)]


def test_copies_digest_is_the_copy_whatever_the_order(agencies):
    (link,) = detect([make_document("digest", DIGEST), make_document("original", ORIGINAL)], agencies)
    assert (link.copy, link.original, link.kind) == ("digest", "original", CopyKind.DIGEST)


def test_copies_skips_documents_already_held():
    detector = CopyDetector(SETTINGS, ())
    detector.add([make_document("original", ORIGINAL)])
    assert detector.add([make_document("original", ORIGINAL)]) == []


def test_copies_forgets_the_oldest_beyond_max_documents():
    detector = CopyDetector(dataclasses.replace(SETTINGS, max_documents=1), ())
    detector.add([make_document("original", ORIGINAL), make_document("other", UNRELATED)])
    assert detector.add([make_document("copy", NEAR_COPY)]) == []


def test_copies_skips_texts_too_short_to_judge():
    teaser = "Crue de la Durance : 1 250 habitants évacués à Sisteron."
    assert detect([make_document("a", teaser), make_document("b", teaser)]) == []


def test_copies_broken_encoding_marks_the_copy_when_dates_are_silent():
    (link,) = detect([make_document("copy", NEAR_COPY), make_document("original", ORIGINAL)])
    assert (link.copy, link.original) == ("copy", "original")


def test_copies_tells_languages_apart_by_their_short_words_not_the_declared_code():
    # The language detector knows a few languages: a Spanish page may be declared "fr".
    documents = [make_document("fr", ORIGINAL, language="fr"), make_document("en", TRANSLATION, language="fr")]
    assert detect(documents)[0].kind is CopyKind.TRANSLATION


def test_copies_outlets_opening_with_one_dispatch_form_a_dispatch(agencies):
    documents = [make_document("a", DISPATCH_A), make_document("b", DISPATCH_B)]
    dispatches = find_dispatches(documents, detect(documents, agencies), agencies)
    assert [(d.agency, set(d.documents)) for d in dispatches] == [("AFP", {"a", "b"})]


def test_copies_near_copy_evidence_spans_the_same_words_in_both_documents():
    documents = [make_document("original", ORIGINAL), make_document("copy", NEAR_COPY)]
    (link,) = detect(documents)
    texts = {d.id: d.text for d in documents}
    assert link.evidence and all(p.source.document_id == "copy" and p.target.document_id == "original" for p in link.evidence)
    passage = max(link.evidence, key=lambda p: p.target.end - p.target.start)
    assert "312 pompiers" in texts["original"][passage.target.start : passage.target.end]
    assert texts["copy"][passage.source.start : passage.source.end] == texts["original"][passage.target.start : passage.target.end]


def test_copies_translation_evidence_aligns_sentences_in_order():
    documents = [make_document("original", ORIGINAL, "2023-06-10"), make_document("copy", TRANSLATION, "2023-06-12")]
    (link,) = detect(documents)
    texts = {d.id: d.text for d in documents}
    pairs = [(texts["copy"][p.source.start : p.source.end], texts["original"][p.target.start : p.target.end]) for p in link.evidence]
    assert any("312 firefighters" in en and "312 pompiers" in fr for en, fr in pairs)
    assert [p.target.start for p in link.evidence] == sorted(p.target.start for p in link.evidence)


def test_copies_calendar_names_align_across_languages():
    calendar = calendar_anchors([load_language("fr"), load_language("en")])
    assert anchors("Le vote aura lieu le 26 juillet, vendredi.", calendar) == ["#26", "@m7", "@d4"]
    assert anchors("The vote takes place on Friday, July 26.", calendar) == ["@d4", "@m7", "#26"]


def test_copy_model_ships_with_the_package_and_rejects_other_versions(tmp_path):
    assert load_copy_model().fitted_on
    wrong = tmp_path / "copies.json"
    wrong.write_text('{"version": 0}', encoding="utf-8")
    with pytest.raises(ConfigError, match="version"):
        load_copy_model(wrong)


def test_find_dispatches_groups_linked_carriers_under_their_wire(agencies):
    documents = [make_document(n, t) for n, t in [("a", NEAR_COPY + "\n\n(AFP)"), ("b", ORIGINAL + " (AFP)"), ("c", UNRELATED)]]
    passage = AlignedPassage(Span("a", 0, 5), Span("b", 0, 5))
    (dispatch,) = find_dispatches(documents, [CopyLink("a", "b", CopyKind.NEAR, 0.99, (passage,))], agencies)
    assert (dispatch.agency, set(dispatch.documents), dispatch.evidence) == ("AFP", {"a", "b"}, (passage,))


def test_find_dispatches_needs_a_wire_credit(agencies):
    documents = [make_document("original", ORIGINAL), make_document("copy", NEAR_COPY)]
    assert find_dispatches(documents, [CopyLink("copy", "original", CopyKind.NEAR, 0.99)], agencies) == []


def test_find_dispatches_lists_carriers_earliest_first(agencies):
    documents = [make_document("late", ORIGINAL + " (AFP)", "2023-06-12"), make_document("early", NEAR_COPY + " (AFP)", "2023-06-10")]
    (dispatch,) = find_dispatches(documents, [CopyLink("late", "early", CopyKind.NEAR, 0.99)], agencies)
    assert dispatch.documents == ("early", "late")


def test_source_groups_merges_copies_and_dispatches():
    links = [CopyLink("copy", "original", CopyKind.NEAR, 0.9)]
    groups = source_groups(["original", "copy", "a", "b", "c"], links, [Dispatch("d", "AFP", ("a", "b"))])
    assert sorted(sorted(g) for g in groups) == [["a", "b"], ["c"], ["copy", "original"]]


@pytest.mark.parametrize(
    ("written", "normalised"),
    [("1 250", "1250"), ("1,250", "1250"), ("1.250", "1250"), ("1\u202f250", "1250"), ("4,5", "4.5"), ("4.5", "4.5"), ("1994", "1994"), ("2 012 345", "2012345")],
)
def test_copies_normalises_numbers_across_languages(written, normalised):
    assert normalise_number(written) == normalised


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Prigozhin", "Prigojine"),
        ("Graïvoron", "Grayvoron"),
        ("Putin", "Poutine"),
        ("Zaporizhzhia", "Zaporijia"),
        ("Yevgeniy", "Evguéni"),
        ("Marrakesh", "Marrakech"),
        ("Prigoschin", "Prigożyn"),
    ],
)
def test_copies_anchor_transliterated_names_by_the_shared_name_folder(a, b):
    """A name spelt two ways gives one copy anchor, and it is the shared engine's skeleton
    (the one linking and search read): copies keep no name fold of their own."""
    sentence = "Selon l'agence, {} a parlé mardi."
    assert anchors(sentence.format(a)) == anchors(sentence.format(b)) == [name_folder().skeleton(a)]


def test_copies_anchor_keeps_different_names_apart():
    assert anchors("Hier, Kherson.") != anchors("Hier, Kharkiv.")


def test_copies_anchor_names_with_the_folder_they_are_given():
    """The detector reads the name folder passed in: a table that no longer folds "zh"
    and "j" together tells Prigozhin from Prigojine."""
    table = load_language("fr").transliteration
    plain = NameFolder(dataclasses.replace(table, folds={k: v for k, v in table.folds.items() if k != "zh"}))
    assert anchors("Selon lui, Prigojine.", names=plain) != anchors("Selon lui, Prigozhin.", names=plain)
    assert anchors("Selon lui, Prigojine.") == anchors("Selon lui, Prigozhin.")


@pytest.mark.parametrize(("a", "b", "length"), [([1, 2, 3, 4], [1, 3, 4], 3), ([1, 2], [3, 4], 0), ([5, 1, 2, 5], [1, 5, 2], 2), ([], [1], 0)])
def test_copies_lcs_length(a, b, length):
    assert lcs_length(a, b) == length


# Held-out kinds (issue 9): each copy of one wire story joins it, in a corpus where two
# outlets' own stories carry paragraphs of the same dispatch and another story shares
# its places and officials.
LOOKALIKES = {"own_a": copy_kinds.OWN_STORY_A, "own_b": copy_kinds.OWN_STORY_B, "other": copy_kinds.OTHER_CORSICA_STORY}


def _groups_with(documents: dict[str, str], agencies) -> dict[str, frozenset[str]]:
    calendar = calendar_anchors(load_language(code) for code in supported_languages())
    docs = [make_document(name, text) for name, text in documents.items()]
    links = CopyDetector(SETTINGS, agencies, calendar=calendar).add(docs)
    return {member: group for group in source_groups(documents, links, []) for member in group}


@pytest.mark.parametrize(
    "copy",
    ["REPOST_WITH_ADDITIONS", "SYNDICATED", "SCRAPE_MID_ARTICLE", "MACHINE_TRANSLATION_FR", "SPUN", "WIRE_ES"],
)
@pytest.mark.parametrize("copy_first", [False, True], ids=["original-first", "copy-first"])
def test_copies_held_out_kind_joins_its_original_and_no_lookalike(copy, copy_first, agencies):
    documents = {"wire": copy_kinds.WIRE_EN, **LOOKALIKES}
    documents = {"copy": getattr(copy_kinds, copy), **documents} if copy_first else {**documents, "copy": getattr(copy_kinds, copy)}
    groups = _groups_with(documents, agencies)
    assert groups["copy"] == {"wire", "copy"}


def test_copies_own_stories_from_one_dispatch_are_no_copies(agencies):
    """Each opens with its own reporting before the wire paragraphs it keeps: not a copy of the
    wire, nor of each other, though two of their paragraphs are the wire's word for word."""
    groups = _groups_with({"wire": copy_kinds.WIRE_EN, **LOOKALIKES, "copy": copy_kinds.REPOST_WITH_ADDITIONS}, agencies)
    assert [groups[name] for name in LOOKALIKES] == [{name} for name in LOOKALIKES]


def test_copies_story_opening_with_its_own_lead_before_the_wire_paragraphs_is_no_copy(agencies):
    """Both texts open with sentences of their own before the first they share: two articles
    drawing on one dispatch, whatever else they share; a copy opens inside the other text."""
    documents = {"wire": copy_kinds.WIRE_EN, **LOOKALIKES, "own_lead": copy_kinds.OWN_LEAD}
    assert _groups_with(documents, agencies)["own_lead"] == {"own_lead"}
    calendar = calendar_anchors(load_language(code) for code in supported_languages())
    profiles = {
        name: profile_document(make_document(name, text), i, SETTINGS, agencies, calendar)
        for i, (name, text) in enumerate({**documents, "scrape": copy_kinds.SCRAPE_MID_ARTICLE, "spun": copy_kinds.SPUN}.items())
    }
    df = Counter(a for p in profiles.values() for a in set(p.anchors))

    def own_opening(a: str, b: str) -> int:
        return pair_features(profiles[a], profiles[b], SETTINGS, df, len(profiles) - 2).own_opening

    assert own_opening("own_lead", "wire") == own_opening("wire", "own_lead") == 1
    assert own_opening("scrape", "wire") == own_opening("spun", "wire") == 0


def test_copies_clock_times_weekday_compounds_and_foreign_months_are_anchors():
    calendar = calendar_anchors([load_language("fr"), load_language("en")])
    german = anchors("Am Dienstagabend um 19.30 Uhr, am 26. Juli, sagte Claire Vanucci.", calendar)
    french = anchors("Mardi soir à 19h30, le 26 juillet, a dit Claire Vanucci.", calendar)
    spanish = anchors("El martes a las 19:30, el 26 de julio, dijo Claire Vanucci.", calendar)
    assert german == french == spanish == ["@d1", "@t19:30", "#26", "@m7", name_folder().skeleton("Claire"), name_folder().skeleton("Vanucci")]
    # A month name inside another word stays a word.
    assert anchors("They marched on.", calendar) == []


def test_originals_prefers_the_original_over_a_more_similar_sibling_copy():
    links = [
        CopyLink("sibling", "original", CopyKind.NEAR, 0.9),
        CopyLink("copy", "sibling", CopyKind.NEAR, 0.7),  # closer wording, but itself a copy
        CopyLink("copy", "original", CopyKind.REWRITE, 0.6),
    ]
    assert originals(links)["copy"].original == "original"


def test_originals_keeps_the_most_similar_of_two_originals():
    links = [CopyLink("digest", "a", CopyKind.DIGEST, 0.5), CopyLink("digest", "b", CopyKind.DIGEST, 0.7)]
    assert originals(links)["digest"].original == "b"


def test_originals_follows_a_copy_of_a_copy_when_nothing_else_is_known():
    links = [CopyLink("b", "a", CopyKind.NEAR, 0.9), CopyLink("c", "b", CopyKind.NEAR, 0.9)]
    assert originals(links)["c"].original == "b"
