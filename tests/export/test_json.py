from __future__ import annotations

import dataclasses
import json

import jsonschema
import pytest

from recoupe import model
from recoupe.export import SCHEMA_VERSION, export_json, export_schema
from recoupe.model import Corpus
from recoupe.store.sample import sample_corpus


@pytest.fixture(scope="module")
def exported() -> dict:
    return export_json(sample_corpus())


@pytest.fixture(scope="module")
def schema() -> dict:
    return export_schema()


def test_export_json_follows_its_schema(exported, schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(exported)
    assert exported["schema_version"] == SCHEMA_VERSION
    json.dumps(exported)


def test_export_json_of_an_empty_corpus_follows_its_schema(schema):
    jsonschema.Draft202012Validator(schema).validate(export_json(Corpus(documents=())))


def test_export_schema_rejects_an_unknown_field(exported, schema):
    broken = exported | {"documents": [exported["documents"][0] | {"undocumented": 1}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_export_json_keeps_its_top_level_names(exported):
    # Stable from 1.0: later versions add names, never rename or remove one.
    assert set(exported) >= {"schema_version", "documents", "entities", "events", "claims", "contradictions", "copies"}


def test_export_json_spans_match_their_text(exported):
    documents = {d["id"]: d for d in exported["documents"]}
    checked = 0
    for document in documents.values():
        original = document["original_text"]
        for item in document["mentions"] + document["times"] + document["figures"]:
            assert original[item["start"] : item["end"]] == item["text"]
            checked += 1
        for place in document["places"]:
            assert original[place["start"] : place["end"]] == place["mention"]
            checked += 1
        for segment in document["segments"]:
            piece = original[segment["start"] : segment["end"]]
            assert document["text"][segment["text_start"] : segment["text_start"] + len(piece)] == piece
    for claim in exported["claims"]:
        original = documents[claim["document"]]["original_text"]
        assert original[claim["start"] : claim["end"]] == claim["text"]
        if claim["speaker"] and claim["speaker"]["start"] is not None:
            assert original[claim["speaker"]["start"] : claim["speaker"]["end"]] == claim["speaker"]["name"]
        checked += 1
    for event in exported["events"]:
        for place in event["places"]:
            assert documents[place["document"]]["original_text"][place["start"] : place["end"]] == place["mention"]
        citations = [c for s in event["summary"] + event["timeline"] for c in s["citations"]]
        citations += [c for f in event["figures"] for c in f["sources"]]
        for citation in citations:
            assert 0 <= citation["start"] < citation["end"] <= len(documents[citation["document"]]["original_text"])
            checked += 1
    assert checked > 20


def test_export_json_cleaned_text_leaves_boilerplate_out(exported):
    first = exported["documents"][0]
    assert "Menu" in first["original_text"] and "Menu" not in first["text"]
    assert first["text"].startswith("Drones abattus")


@pytest.mark.parametrize(
    ("document_id", "expected"),
    [
        ("doc-a", {"copy_of": None, "copy_kind": None, "event": "evt-1", "published": "2026-03-03", "updated": "2026-03"}),
        ("doc-b", {"copy_of": "doc-a", "copy_kind": "exact", "event": "evt-1"}),
        ("doc-c", {"published": "2026", "inferred_published": "2026-03-04"}),
        ("doc-d", {"copy_of": None, "event": None, "published": None}),
    ],
)
def test_export_json_document_links(exported, document_id, expected):
    document = next(d for d in exported["documents"] if d["id"] == document_id)
    assert {key: document[key] for key in expected} == expected


def test_export_json_resolves_mentions_to_entities(exported):
    mentions = {m["text"]: m["entity"] for d in exported["documents"] for m in d["mentions"]}
    assert mentions == {"Belgorod": None, "Viatcheslav Gladkov": "ent-gladkov", "Tiotkino": "ent-tetkino", "Tëtkino": "ent-tetkino", "Kiev": None}


def test_export_json_resolves_mentions_by_alias_when_entities_have_no_keys():
    corpus = sample_corpus()
    gladkov, tetkino, army = corpus.results.entities
    entities = (
        dataclasses.replace(gladkov, keys=(), id="ent-1"),
        dataclasses.replace(tetkino, keys=()),
        dataclasses.replace(army, keys=(), aliases=("Tëtkino",), type=tetkino.type),  # shares an alias
    )
    out = export_json(dataclasses.replace(corpus, results=dataclasses.replace(corpus.results, entities=entities)))
    mentions = {m["text"]: m["entity"] for d in out["documents"] for m in d["mentions"]}
    assert mentions["Viatcheslav Gladkov"] == "ent-1"
    assert mentions["Tiotkino"] == "ent-tetkino"
    assert mentions["Tëtkino"] is None


def test_export_json_times_are_iso_days_or_intervals(exported):
    values = [t["value"] for d in exported["documents"] for t in d["times"]]
    assert values == ["2026-03-03", "2026-03-04", "2026-03-03/2026-03-04"]


def test_export_json_claims_carry_their_event_and_stance(exported):
    claims = {c["id"]: c for c in exported["claims"]}
    assert {c["event"] for c in claims.values()} == {"evt-1"}
    assert claims["claim-a1"]["polarity"] == "deny" and claims["claim-a1"]["kind"] == "direct"
    assert claims["claim-a3"]["hedged"] and claims["claim-a3"]["speaker"] is None
    [contradiction] = exported["contradictions"]
    assert (contradiction["event"], contradiction["claims"], contradiction["kind"]) == ("evt-1", ["claim-a1", "claim-c1"], "figure")
    assert contradiction["a"]["text"] == "Aucune victime n'est à déplorer" and contradiction["a"]["speaker"] == "Viatcheslav Gladkov"
    # Exported with an English reason written from the structured fields, not a stored French sentence.
    assert contradiction["reason"].startswith("Dead: «")


def test_export_json_event_lists_its_documents(exported):
    event = exported["events"][0]
    assert [(d["document"], d["role"]) for d in event["documents"]] == [("doc-a", "main"), ("doc-b", "main"), ("doc-c", "main")]
    assert event["documents"][2]["start"] is not None
    assert event["start"] == "2026-03-03" and event["independent_sources"] == 2
    assert event["timeline"][0]["date"] == "2026-03-03" and event["timeline"][0]["time"] == "11:58"


def test_export_json_claim_without_text_takes_its_span(exported):
    corpus = sample_corpus()
    analysis = corpus.analyses[0]
    bare = dataclasses.replace(analysis, claims=(dataclasses.replace(analysis.claims[0], text=""),))
    out = export_json(dataclasses.replace(corpus, analyses=(bare,)))
    assert out["claims"][0]["text"] == "Aucune victime n'est à déplorer"


def _schema_enum(schema: dict, *path: str) -> set:
    node = schema
    for key in path:
        node = node[key]
    return {v for v in node["enum"] if v is not None}


@pytest.mark.parametrize(
    ("enum_class", "path"),
    [
        (model.SourceFormat, ("properties", "documents", "items", "properties", "format")),
        (model.SegmentKind, ("properties", "documents", "items", "properties", "segments", "items", "properties", "kind")),
        (model.CopyKind, ("properties", "copies", "items", "properties", "kind")),
        (model.CopyKind, ("properties", "documents", "items", "properties", "copy_kind")),
        (model.EntityType, ("properties", "entities", "items", "properties", "type")),
        (model.EntityType, ("properties", "documents", "items", "properties", "mentions", "items", "properties", "type")),
        (model.PlaceKind, ("$defs", "place", "properties", "kind")),
        (model.FigureCategory, ("properties", "documents", "items", "properties", "figures", "items", "properties", "category")),
        (model.FigureCategory, ("properties", "events", "items", "properties", "figures", "items", "properties", "category")),
        (model.Qualifier, ("properties", "documents", "items", "properties", "figures", "items", "properties", "qualifier")),
        (model.ClaimKind, ("properties", "claims", "items", "properties", "kind")),
        (model.Polarity, ("properties", "claims", "items", "properties", "polarity")),
        (model.EventRole, ("properties", "events", "items", "properties", "documents", "items", "properties", "role")),
        (model.SpeakerKind, ("properties", "claims", "items", "properties", "speaker", "oneOf", "1", "properties", "kind")),
    ],
)
def test_export_schema_enums_follow_the_model(schema, enum_class, path):
    resolved = [int(p) if p.isdigit() else p for p in path]
    node = schema
    for key in resolved[:-1]:
        node = _followed(schema, node[key])
    assert _schema_enum(node, resolved[-1]) == {member.value for member in enum_class}


def _followed(schema: dict, node):
    """A node, or the definition its `$ref` points to (records are defined once, under `$defs`)."""
    while isinstance(node, dict) and "$ref" in node:
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def test_export_json_links_a_speaker_to_the_entity_of_the_mention_naming_it():
    corpus = sample_corpus()
    analysis = corpus.analyses[0]
    claim = next(c for c in analysis.claims if c.speaker and c.speaker.entity_id)
    unlinked = dataclasses.replace(claim, speaker=dataclasses.replace(claim.speaker, entity_id=None))
    mention = next(m for m in analysis.mentions if m.span.start < claim.speaker.span.end and claim.speaker.span.start < m.span.end)
    claims = tuple(unlinked if c is claim else c for c in analysis.claims)
    changed = dataclasses.replace(corpus, analyses=(dataclasses.replace(analysis, claims=claims), *corpus.analyses[1:]))
    exported = {c["id"]: c for c in export_json(changed)["claims"]}
    entity = exported[claim.id]["speaker"]["entity"]
    assert entity is not None
    assert entity == next(e["entity"] for d in export_json(changed)["documents"] for e in d["mentions"] if e["start"] == mention.span.start)


def test_export_json_copies_and_dispatches_carry_their_evidence(schema):
    corpus = sample_corpus()
    a, b = corpus.copies[0].original, corpus.copies[0].copy
    passage = model.AlignedPassage(model.Span(b, 0, 10), model.Span(a, 0, 10))
    copies = (dataclasses.replace(corpus.copies[0], evidence=(passage,)),)
    dispatch = model.Dispatch("dispatch-1", "AFP", (a, b), (passage,))
    corpus = dataclasses.replace(corpus, copies=copies, results=dataclasses.replace(corpus.results, dispatches=(dispatch,)))
    exported = export_json(corpus)
    jsonschema.Draft202012Validator(schema).validate(exported)
    cite = {"source": {"document": b, "start": 0, "end": 10}, "target": {"document": a, "start": 0, "end": 10}}
    assert exported["copies"][0]["evidence"] == [cite]
    assert exported["dispatches"] == [{"id": "dispatch-1", "agency": "AFP", "documents": [a, b], "evidence": [cite]}]


def test_export_json_gives_each_dispute_its_sides_with_their_spans(schema):
    """One row per dispute: every statement of each side, with its document and span (its provenance)."""
    from dataclasses import replace

    from recoupe.model import Side

    corpus = sample_corpus()
    pair = corpus.results.contradictions[0]
    again = replace(pair.a, span=replace(pair.a.span, start=pair.a.span.start + 1), speaker="Seconde source")
    dispute = replace(pair, sides=(Side((pair.a, again)), Side((pair.b,))))
    data = export_json(replace(corpus, results=replace(corpus.results, contradictions=(dispute,))))
    jsonschema.Draft202012Validator(schema).validate(data)
    [row] = data["contradictions"]
    assert [[(s["document"], s["start"], s["speaker"]) for s in side["statements"]] for side in row["sides"]] == [
        [(pair.a.span.document_id, pair.a.span.start, pair.a.speaker), (pair.a.span.document_id, pair.a.span.start + 1, "Seconde source")],
        [(pair.b.span.document_id, pair.b.span.start, pair.b.speaker)],
    ]
    lone = export_json(corpus)["contradictions"][0]
    assert [len(side["statements"]) for side in lone["sides"]] == [1, 1]
