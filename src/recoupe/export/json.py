"""The JSON export: a Corpus as one document following `recoupe-export.schema.json`.

The format is stable: later versions add fields (and bump the minor version),
never rename or remove one. docs/export-schema.md describes every field.
Each record is shaped by `recoupe.export.records`, which the JSON API shares.
Offsets (`start`, `end`) index the document's `original_text`, the text every
span of the model points into; `text` is the cleaned article text.
"""

from __future__ import annotations

from typing import Any

from recoupe.export.records import (
    Records,
    copy_record,
    dispatch_record,
    entity_record,
    export_schema,
    proposition_record,
    update_record,
)
from recoupe.model import Corpus

SCHEMA_VERSION = "1.4"

__all__ = ["SCHEMA_VERSION", "export_json", "export_schema"]


def export_json(corpus: Corpus) -> dict[str, Any]:
    """The whole corpus as JSON-able data: documents with their findings, entities,
    events, claims, propositions, contradictions and copies (see docs/export-schema.md)."""
    results = corpus.results
    records = Records.of(corpus)
    return {
        "schema_version": SCHEMA_VERSION,
        "documents": [records.document(d) for d in corpus.documents],
        "entities": [entity_record(e) for e in results.entities],
        "events": [records.event(e) for e in results.events],
        "claims": records.claims(),
        "propositions": [proposition_record(p) for p in results.propositions],
        "contradictions": [records.contradiction(c) for c in results.contradictions],
        "updates": [update_record(u) for u in results.updates],
        "copies": [copy_record(c) for c in corpus.copies],
        "dispatches": [dispatch_record(d) for d in results.dispatches],
    }
