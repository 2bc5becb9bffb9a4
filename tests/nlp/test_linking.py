from __future__ import annotations

import pytest

from recoupe.model import Analysis, EntityType, Mention, Span
from recoupe.nlp.linking import entity_id, link_entities, mention_entities, one_interior_edit

PER, ORG, PLACE = EntityType.PERSON, EntityType.ORGANISATION, EntityType.PLACE


def analysis(document_id: str, *mentions: tuple[str, EntityType, str]) -> Analysis:
    return Analysis(
        document_id,
        mentions=tuple(Mention(Span(document_id, i, i + 1), text, kind, key) for i, (text, kind, key) in enumerate(mentions)),
    )


def entity_of(entities, alias):
    [entity] = [e for e in entities if alias in e.aliases]
    return entity


def test_linking_same_key_across_documents_is_one_entity():
    entities = link_entities([
        analysis("a", ("Viatcheslav Gladkov", PER, "viašeslav gladkov")),
        analysis("b", ("Vyacheslav Gladkov", PER, "viašeslav gladkov")),
    ])
    assert len(entities) == 1
    assert set(entities[0].aliases) == {"Viatcheslav Gladkov", "Vyacheslav Gladkov"}


def test_linking_surname_alone_joins_the_full_name_of_another_document():
    entities = link_entities([
        analysis("a", ("Dmitri Peskov", PER, "dmitri peskov")),
        analysis("b", ("Peskov", PER, "peskov")),
    ])
    assert entity_of(entities, "Peskov") == entity_of(entities, "Dmitri Peskov")
    assert entity_of(entities, "Peskov").name == "Dmitri Peskov"


def test_linking_untyped_surname_of_a_blank_pipeline_joins_the_person():
    entities = link_entities([
        analysis("fr", ("Dmitri Peskov", PER, "dmitri peskov")),
        analysis("en", ("Peskov", EntityType.OTHER, "peskov")),
    ])
    assert len(entities) == 1 and entities[0].type is PER


def test_linking_type_comes_from_typed_mentions():
    entities = link_entities([
        analysis("fr", ("Amizmiz", PLACE, "amizmiz")),
        analysis("en", ("Amizmiz", EntityType.OTHER, "amizmiz"), ("AMIZMIZ", EntityType.OTHER, "amizmiz")),
    ])
    assert entities[0].type is PLACE


def test_linking_ambiguous_surname_stays_apart():
    entities = link_entities([
        analysis("a", ("Ivan Petrov", PER, "ivan petrov"), ("Oleg Petrov", PER, "oleg petrov")),
        analysis("b", ("Petrov", PER, "petrov")),
    ])
    assert len(entities) == 3


def test_linking_misspelling_in_the_same_document_joins_the_commoner_spelling():
    entities = link_entities([
        analysis("a", ("Graïvoron", PLACE, "graivoron"), ("Gaïvoron", PLACE, "gaivoron")),
        analysis("b", ("Grayvoron", PLACE, "graivoron")),
    ])
    assert len(entities) == 1 and entities[0].name in {"Graïvoron", "Grayvoron"}


def test_linking_misspelling_in_another_document_only_is_not_merged():
    entities = link_entities([analysis("a", ("Graïvoron", PLACE, "graivoron")), analysis("b", ("Gaïvoron", PLACE, "gaivoron"))])
    assert len(entities) == 2


def test_linking_truncated_organisation_joins_its_only_long_form():
    entities = link_entities([
        analysis("a", ("Légion Liberté de la Russie", ORG, "legen libert rusi")),
        analysis("b", ("Légion Liberté", ORG, "legen libert")),
    ])
    assert len(entities) == 1


def test_linking_different_types_with_one_letter_apart_stay_apart():
    entities = link_entities([analysis("a", ("Kherson", PLACE, "herson"), ("Hersona", ORG, "hersona"))])
    assert len(entities) == 2


def test_linking_ids_are_stable_and_derived_from_the_key():
    runs = [link_entities([analysis("a", ("Kstovo", PLACE, "kstovo"))]) for _ in range(2)]
    assert runs[0][0].id == runs[1][0].id == entity_id("kstovo")


def test_linking_mention_keys_map_to_entity_ids():
    analyses = [analysis("a", ("Dmitri Peskov", PER, "dmitri peskov")), analysis("b", ("Peskov", PER, "peskov"))]
    assert mention_entities(analyses) == {"dmitri peskov": entity_id("dmitri peskov"), "peskov": entity_id("dmitri peskov")}


@pytest.mark.parametrize(
    "a, b, expected",
    [("gaivoron", "graivoron", True), ("ponomarev", "ponomareva", False), ("kursk", "kirsk", True), ("orel", "orsk", False)],
)
def test_linking_one_interior_edit(a, b, expected):
    assert one_interior_edit(a, b) is expected
