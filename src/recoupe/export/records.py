"""One JSON shape per record, shared by the JSON export, the JSON API and the report.

Each function turns one model record (a document with its analysis, an event
with its links, a claim, a contradiction, a copy...) into the data that
`recoupe-export.schema.json` describes under `$defs` (`document`, `event`,
`claim`...). The export assembles them into one file; the API serves the same
records, and its OpenAPI schema points at the same definitions
(`record_schemas`), so one record never has two shapes.
Offsets (`start`, `end`) index the document's `original_text`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from recoupe.claims import claim_events
from recoupe.copies import originals
from recoupe.events import main_events
from recoupe.model import (
    AlignedPassage,
    Analysis,
    CitedSentence,
    Claim,
    Contradiction,
    CopyLink,
    Corpus,
    DateRange,
    Dispatch,
    Document,
    Entity,
    EntityType,
    Event,
    EventLink,
    Figure,
    Mention,
    PartialDate,
    Place,
    Proposition,
    Span,
    Statement,
    TimeExpression,
    Update,
)
from recoupe.report.html import load_messages
from recoupe.report.wording import reason

SCHEMA_FILE = "recoupe-export.schema.json"


def export_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the export; its `$defs` define every record."""
    return json.loads(resources.files("recoupe.export").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def record_schemas(prefix: str) -> dict[str, Any]:
    """The schema's `$defs`, with their references rewritten to live under `prefix`
    (`#/components/schemas/` for OpenAPI): the API describes its records with these."""
    text = json.dumps(export_schema()["$defs"]).replace('"#/$defs/', f'"{prefix}')
    return json.loads(text)



@dataclass(frozen=True, slots=True)
class Records:
    """The records of one corpus (the whole store for the export, a page's `store.records` for the API),
    with what relating them needs computed once: every record is built here, by one function."""

    corpus: Corpus
    documents: Mapping[str, Document]
    analyses: Mapping[str, Analysis]
    entity_of: EntityIndex
    copy_of: Mapping[str, CopyLink]
    main_event: Mapping[str, str]
    inferred: Mapping[str, str]
    claim_event: Mapping[str, str]
    links: Mapping[str, Sequence[EventLink]]
    messages: Mapping

    @classmethod
    def of(cls, corpus: Corpus) -> Records:
        results = corpus.results
        links: dict[str, list[EventLink]] = {}
        for link in results.event_links:
            links.setdefault(link.event_id, []).append(link)
        return cls(
            corpus=corpus,
            documents={d.id: d for d in corpus.documents},
            analyses={a.document_id: a for a in corpus.analyses},
            entity_of=EntityIndex.build(results.entities),
            copy_of=originals(corpus.copies),
            main_event=main_events(results),
            inferred={d.document_id: d.date.isoformat() for d in results.inferred_dates},
            claim_event=claim_events(corpus.analyses, results),
            links=links,
            messages=load_messages("en"),
        )

    def document(self, document: Document) -> dict[str, Any]:
        """A document with what the language stages found in it, its original and its event."""
        copy = self.copy_of.get(document.id)
        analysis = self.analyses.get(document.id) or Analysis(document.id)
        return document_record(document, analysis, self.entity_of) | {
            "copy_of": copy.original if copy else None,
            "copy_kind": copy.kind.value if copy else None,
            "event": self.main_event.get(document.id),
            "inferred_published": self.inferred.get(document.id),
        }

    def event(self, event: Event) -> dict[str, Any]:
        return event_record(event, self.links.get(event.id, []))

    def claims(self, analyses: Iterable[Analysis] | None = None) -> list[dict[str, Any]]:
        """The claims of these analyses (all of the corpus by default) of documents it holds, in order."""
        return [
            self.claim(claim, analysis)
            for analysis in (self.corpus.analyses if analyses is None else analyses) if analysis.document_id in self.documents
            for claim in analysis.claims
        ]

    def claim(self, claim: Claim, analysis: Analysis) -> dict[str, Any]:
        return claim_record(
            claim, self.claim_event.get(claim.id), self.documents[analysis.document_id], speaker_entity(claim, analysis, self.entity_of)
        )

    def contradiction(self, contradiction: Contradiction) -> dict[str, Any]:
        return contradiction_record(contradiction, self.documents, self.messages)


def contradiction_record(contradiction: Contradiction, documents: Mapping[str, Document], messages: Mapping) -> dict[str, Any]:
    return {
        "event": contradiction.event_id,
        "claims": list(contradiction.claims),
        "reason": reason(contradiction, messages, documents),
        "kind": contradiction.kind.value,
        "subject": contradiction.subject,
        "a": statement_record(contradiction.a),
        "b": statement_record(contradiction.b),
        "sides": [{"statements": [statement_record(s) for s in side.statements]} for side in contradiction.positions],
    }


def statement_record(statement: Statement) -> dict[str, Any]:
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
class EntityIndex:
    """Which entity a mention belongs to: by its key (`Entity.keys`, or an entity
    whose id is the key), else by its text among one entity's aliases of its type."""

    by_key: dict[str, str]
    by_alias: dict[tuple[str, EntityType], str | None]

    @classmethod
    def build(cls, entities: tuple[Entity, ...]) -> EntityIndex:
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


def document_record(document: Document, analysis: Analysis, entity_of: EntityIndex) -> dict[str, Any]:
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
        "mentions": [mention_record(m, entity_of) for m in analysis.mentions],
        "places": [place_record(p) for p in analysis.places],
        "times": [time_record(t) for t in analysis.times],
        "figures": [figure_record(f) for f in analysis.figures],
    }


def mention_record(mention: Mention, entity_of: EntityIndex) -> dict[str, Any]:
    return {
        "text": mention.text, "start": mention.span.start, "end": mention.span.end,
        "type": mention.type.value, "entity": entity_of.entity(mention),
    }


def place_record(place: Place) -> dict[str, Any]:
    return {
        "mention": place.mention, "start": place.span.start, "end": place.span.end, "name": place.name,
        "lat": place.lat, "lon": place.lon, "geonameid": place.geonameid, "admin1": place.admin1, "admin2": place.admin2,
        "country": place.country, "kind": place.kind.value,
    }


def time_record(time: TimeExpression) -> dict[str, Any]:
    value = time.value.iso() if isinstance(time.value, DateRange) else time.value.isoformat()
    return {"text": time.text, "start": time.span.start, "end": time.span.end, "value": value}


def figure_record(figure: Figure) -> dict[str, Any]:
    return {
        "text": figure.text, "start": figure.span.start, "end": figure.span.end, "value": figure.value,
        "counted": figure.counted, "category": figure.category.value, "qualifier": figure.qualifier.value,
    }


def citation_record(span: Span) -> dict[str, Any]:
    return {"document": span.document_id, "start": span.start, "end": span.end}


def passage_record(passage: AlignedPassage) -> dict[str, Any]:
    return {"source": citation_record(passage.source), "target": citation_record(passage.target)}


def sentence_record(sentence: CitedSentence) -> dict[str, Any]:
    return {
        "text": sentence.text, "citations": [citation_record(s) for s in sentence.citations],
        "date": sentence.when.isoformat() if sentence.when else None, "time": sentence.time,
    }


def event_record(event: Event, links: Sequence[EventLink]) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "type": event.type,
        "subtype": event.subtype,
        "start": event.start.isoformat() if event.start else None,
        "end": event.end.isoformat() if event.end else None,
        "places": [place_record(p) | {"document": p.span.document_id} for p in event.places],
        "actors": [{"name": a.name, "entity": a.entity_id, "role": a.role} for a in event.actors],
        "figures": [
            {
                "category": f.category.value, "value": f.value, "qualifier": f.qualifier.value,
                "sources": [citation_record(s) for s in f.sources],
            }
            for f in event.figures
        ],
        "independent_sources": event.independent_sources,
        "documents": [
            {
                "document": link.document_id, "role": link.role.value,
                "start": link.span.start if link.span else None, "end": link.span.end if link.span else None,
            }
            for link in sorted(links, key=lambda l: (l.document_id, l.span.start if l.span else -1, l.role.value))
        ],
        "summary": [sentence_record(s) for s in event.summary],
        "timeline": [sentence_record(s) for s in event.timeline],
    }


def speaker_entity(claim: Claim, analysis: Analysis, entity_of: EntityIndex) -> str | None:
    """The speaker's entity: as the claim stage linked it, else the mention naming the speaker."""
    speaker = claim.speaker
    if speaker is None or speaker.entity_id or speaker.span is None:
        return speaker.entity_id if speaker else None
    for mention in analysis.mentions:
        if mention.span.start < speaker.span.end and speaker.span.start < mention.span.end:
            return entity_of.entity(mention)
    return None


def claim_record(claim: Claim, event_id: str | None, document: Document, speaker_entity: str | None) -> dict[str, Any]:
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


def entity_record(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, "name": entity.name, "type": entity.type.value, "aliases": list(entity.aliases)}


def proposition_record(proposition: Proposition) -> dict[str, Any]:
    return {
        "id": proposition.id, "event": proposition.event_id, "claims": list(proposition.claim_ids),
        "asserted_by": list(proposition.asserted_by), "denied_by": list(proposition.denied_by),
    }


def update_record(update: Update) -> dict[str, Any]:
    return {"event": update.event_id, "subject": update.subject, "values": [statement_record(v) for v in update.values]}


def copy_record(link: CopyLink) -> dict[str, Any]:
    return {
        "copy": link.copy, "original": link.original, "kind": link.kind.value, "similarity": link.similarity,
        "evidence": [passage_record(p) for p in link.evidence],
    }


def dispatch_record(dispatch: Dispatch) -> dict[str, Any]:
    return {
        "id": dispatch.id, "agency": dispatch.agency, "documents": list(dispatch.documents),
        "evidence": [passage_record(p) for p in dispatch.evidence],
    }
