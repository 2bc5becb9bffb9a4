"""The JSON export: a Corpus as one document following `recoupe-export.schema.json`.

The format is stable: later versions add fields (and bump the minor version),
never rename or remove one. docs/export-schema.md describes every field.
Offsets (`start`, `end`) index the document's `original_text`, the text every
span of the model points into; `text` is the cleaned article text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from recoupe.model import (
    AlignedPassage,
    Analysis,
    CitedSentence,
    Claim,
    Contradiction,
    Corpus,
    DateRange,
    Document,
    Entity,
    EntityType,
    Event,
    EventLink,
    Figure,
    Mention,
    PartialDate,
    Place,
    Span,
    Statement,
    TimeExpression,
)
from recoupe.report.html import load_messages
from recoupe.report.wording import reason
from recoupe.store.views import claim_events, main_events, originals

SCHEMA_VERSION = "1.2"
SCHEMA_FILE = "recoupe-export.schema.json"


def export_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that `export_json` output follows."""
    return json.loads(resources.files("recoupe.export").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def export_json(corpus: Corpus) -> dict[str, Any]:
    """The whole corpus as JSON-able data: documents with their findings, entities,
    events, claims, propositions, contradictions and copies (see docs/export-schema.md)."""
    results = corpus.results
    analyses = {a.document_id: a for a in corpus.analyses}
    entity_of = _EntityIndex.build(results.entities)
    copies = originals(corpus.copies)
    main = main_events(results)
    inferred = {d.document_id: d.date.isoformat() for d in results.inferred_dates}
    documents = []
    for document in corpus.documents:
        copy = copies.get(document.id)
        item = _document(document, analyses.get(document.id) or Analysis(document.id), entity_of)
        item |= {
            "copy_of": copy.original if copy else None,
            "copy_kind": copy.kind.value if copy else None,
            "event": main.get(document.id),
            "inferred_published": inferred.get(document.id),
        }
        documents.append(item)
    owners = claim_events(corpus.analyses, results)
    links: dict[str, list[EventLink]] = {}
    for event_link in results.event_links:
        links.setdefault(event_link.event_id, []).append(event_link)
    by_id = {d.id: d for d in corpus.documents}
    messages = load_messages("en")
    return {
        "schema_version": SCHEMA_VERSION,
        "documents": documents,
        "entities": [
            {"id": e.id, "name": e.name, "type": e.type.value, "aliases": list(e.aliases)} for e in results.entities
        ],
        "events": [_event(event, links.get(event.id, [])) for event in results.events],
        "claims": [
            _claim(c, owners.get(c.id), by_id[a.document_id], _speaker_entity(c, a, entity_of))
            for a in corpus.analyses if a.document_id in by_id for c in a.claims
        ],
        "propositions": [
            {
                "id": p.id, "event": p.event_id, "claims": list(p.claim_ids),
                "asserted_by": list(p.asserted_by), "denied_by": list(p.denied_by),
            }
            for p in results.propositions
        ],
        "contradictions": [_contradiction(c, by_id, messages) for c in results.contradictions],
        "updates": [
            {"event": u.event_id, "subject": u.subject, "values": [_statement(v) for v in u.values]} for u in results.updates
        ],
        "copies": [
            {
                "copy": c.copy, "original": c.original, "kind": c.kind.value, "similarity": c.similarity,
                "evidence": [_passage(p) for p in c.evidence],
            }
            for c in corpus.copies
        ],
        "dispatches": [
            {"id": d.id, "agency": d.agency, "documents": list(d.documents), "evidence": [_passage(p) for p in d.evidence]}
            for d in results.dispatches
        ],
    }


def _contradiction(contradiction: Contradiction, documents: Mapping[str, Document], messages: Mapping) -> dict[str, Any]:
    return {
        "event": contradiction.event_id,
        "claims": list(contradiction.claims),
        "reason": reason(contradiction, messages, documents),
        "kind": contradiction.kind.value,
        "subject": contradiction.subject,
        "a": _statement(contradiction.a),
        "b": _statement(contradiction.b),
    }


def _statement(statement: Statement) -> dict[str, Any]:
    figure = statement.figure
    return {
        "document": statement.span.document_id,
        "start": statement.span.start,
        "end": statement.span.end,
        "text": statement.text,
        "speaker": statement.speaker,
        "claim": statement.claim_id,
        "figure": None if figure is None else {
            "text": figure.text, "value": figure.value, "qualifier": figure.qualifier.value,
            "category": figure.category.value, "start": figure.span.start, "end": figure.span.end,
        },
        "polarity": statement.polarity.value,
        "published": statement.published.iso() if statement.published else None,
        "time": statement.time,
    }


@dataclass(frozen=True, slots=True)
class _EntityIndex:
    """Which entity a mention belongs to: by its key (`Entity.keys`, or an entity
    whose id is the key), else by its text among one entity's aliases of its type."""

    by_key: dict[str, str]
    by_alias: dict[tuple[str, EntityType], str | None]

    @classmethod
    def build(cls, entities: tuple[Entity, ...]) -> _EntityIndex:
        by_key = {e.id: e.id for e in entities}
        by_alias: dict[tuple[str, EntityType], str | None] = {}
        for entity in entities:
            by_key.update((key, entity.id) for key in entity.keys)
            for alias in {entity.name, *entity.aliases}:
                # An alias two entities share names neither.
                by_alias[alias, entity.type] = None if (alias, entity.type) in by_alias else entity.id
        return cls(by_key, by_alias)

    def entity(self, mention: Mention) -> str | None:
        return self.by_key.get(mention.key) or self.by_alias.get((mention.text, mention.type))


def _partial(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def _document(document: Document, analysis: Analysis, entity_of: _EntityIndex) -> dict[str, Any]:
    segments, offset = [], 0
    for segment in document.segments:
        segments.append({
            "start": segment.start, "end": segment.end, "kind": segment.kind.value, "time": segment.time,
            "language": segment.language, "text_start": offset,
        })
        offset += segment.end - segment.start + 2  # cleaned_text joins segments with a blank line
    return {
        "id": document.id,
        "source": document.source,
        "format": document.format.value,
        "content_hash": document.content_hash,
        "title": document.title,
        "language": document.language,
        "published": _partial(document.published),
        "updated": _partial(document.updated),
        "outlet": document.outlet,
        "url": document.url,
        "text": document.cleaned_text,
        "original_text": document.text,
        "segments": segments,
        "mentions": [_mention(m, entity_of) for m in analysis.mentions],
        "places": [_place(p) for p in analysis.places],
        "times": [_time(t) for t in analysis.times],
        "figures": [_figure(f) for f in analysis.figures],
    }


def _mention(mention: Mention, entity_of: _EntityIndex) -> dict[str, Any]:
    return {
        "text": mention.text, "start": mention.span.start, "end": mention.span.end,
        "type": mention.type.value, "entity": entity_of.entity(mention),
    }


def _place(place: Place) -> dict[str, Any]:
    return {
        "mention": place.mention, "start": place.span.start, "end": place.span.end, "name": place.name,
        "lat": place.lat, "lon": place.lon, "geonameid": place.geonameid, "admin1": place.admin1, "admin2": place.admin2,
        "country": place.country, "kind": place.kind.value,
    }


def _time(time: TimeExpression) -> dict[str, Any]:
    value = time.value.iso() if isinstance(time.value, DateRange) else time.value.isoformat()
    return {"text": time.text, "start": time.span.start, "end": time.span.end, "value": value}


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "text": figure.text, "start": figure.span.start, "end": figure.span.end, "value": figure.value,
        "counted": figure.counted, "category": figure.category.value, "qualifier": figure.qualifier.value,
    }


def _cite(span: Span) -> dict[str, Any]:
    return {"document": span.document_id, "start": span.start, "end": span.end}


def _passage(passage: AlignedPassage) -> dict[str, Any]:
    return {"source": _cite(passage.source), "target": _cite(passage.target)}


def _sentence(sentence: CitedSentence) -> dict[str, Any]:
    return {
        "text": sentence.text, "citations": [_cite(s) for s in sentence.citations],
        "date": sentence.when.isoformat() if sentence.when else None, "time": sentence.time,
    }


def _event(event: Event, links: list[EventLink]) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "type": event.type,
        "subtype": event.subtype,
        "start": event.start.isoformat() if event.start else None,
        "end": event.end.isoformat() if event.end else None,
        "places": [_place(p) | {"document": p.span.document_id} for p in event.places],
        "actors": [{"name": a.name, "entity": a.entity_id, "role": a.role} for a in event.actors],
        "figures": [
            {
                "category": f.category.value, "value": f.value, "qualifier": f.qualifier.value,
                "sources": [_cite(s) for s in f.sources],
            }
            for f in event.figures
        ],
        "independent_sources": event.independent_sources,
        "documents": [
            {
                "document": link.document_id, "role": link.role.value,
                "start": link.span.start if link.span else None, "end": link.span.end if link.span else None,
            }
            for link in links
        ],
        "summary": [_sentence(s) for s in event.summary],
        "timeline": [_sentence(s) for s in event.timeline],
    }


def _speaker_entity(claim: Claim, analysis: Analysis, entity_of: _EntityIndex) -> str | None:
    """The speaker's entity: as the claim stage linked it, else the mention naming the speaker."""
    speaker = claim.speaker
    if speaker is None or speaker.entity_id or speaker.span is None:
        return speaker.entity_id if speaker else None
    for mention in analysis.mentions:
        if mention.span.start < speaker.span.end and speaker.span.start < mention.span.end:
            return entity_of.entity(mention)
    return None


def _claim(claim: Claim, event_id: str | None, document: Document, speaker_entity: str | None) -> dict[str, Any]:
    speaker = claim.speaker
    return {
        "id": claim.id,
        "document": claim.span.document_id,
        "event": event_id,
        "text": claim.text or claim.span.text(document),
        "start": claim.span.start,
        "end": claim.span.end,
        "speaker": None if speaker is None else {
            "name": speaker.name, "kind": speaker.kind.value, "entity": speaker_entity,
            "start": speaker.span.start if speaker.span else None, "end": speaker.span.end if speaker.span else None,
            "channel": speaker.channel,
        },
        "cue": None if claim.cue is None else {"start": claim.cue.start, "end": claim.cue.end},
        "kind": claim.kind.value,
        "hedged": claim.hedged,
        "polarity": claim.polarity.value,
    }
