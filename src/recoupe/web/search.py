"""Search results with the events they belong to: a newsroom searches a place and wants the story.

The store finds documents and claims (`store.search`); this module adds the
events those hits report, so "Tiotkino" answers with the raid, not only with
three articles.
"""

from __future__ import annotations

from dataclasses import dataclass

from recoupe.model import Event, EventLink, EventRole, HitKind, SearchHit
from recoupe.folding import fold
from recoupe.report.views import CorpusIndex


@dataclass(frozen=True, slots=True)
class EventHit:
    """An event some hits report, with the hit documents that report it."""

    event: Event
    document_ids: tuple[str, ...]
    hits: int  # document and claim hits pointing to it: the ranking


def events_of_hits(ix: CorpusIndex, hits: list[SearchHit], query: str) -> list[EventHit]:
    """Events of the hits, most hits first, then latest first.

    A claim belongs to one event (`CorpusIndex.claims_by_event`). A document hit
    counts for the events its lead reports, and for an entry or a recalled
    paragraph only when that passage holds the query's words: a live blog that
    mentions a village once does not make all its entries about it."""
    owners = {claim.id: event_id for event_id, claims in ix.claims_by_event.items() for claim in claims}
    words = fold(query).split()
    counts: dict[str, int] = {}
    documents: dict[str, list[str]] = {}
    for hit in hits:
        if hit.kind == HitKind.CLAIM and hit.claim_id in owners:
            event_ids = [owners[hit.claim_id]]
        else:
            event_ids = _events_of_document(ix, hit.document_id, words)
        for event_id in dict.fromkeys(event_ids):
            counts[event_id] = counts.get(event_id, 0) + 1
            if hit.document_id not in documents.setdefault(event_id, []):
                documents[event_id].append(hit.document_id)
    ranked = sorted(
        (event_id for event_id in counts if event_id in ix.events),
        key=lambda e: (-counts[e], -(ix.events[e].start.toordinal() if ix.events[e].start else 0)),
    )
    return [EventHit(ix.events[e], tuple(documents[e]), counts[e]) for e in ranked]


def _events_of_document(ix: CorpusIndex, document_id: str, words: list[str]) -> list[str]:
    document = ix.documents.get(document_id)
    event_ids = []
    for event_id in ix.events_by_document.get(document_id, []):
        for link in ix.links_by_event.get(event_id, []):
            if link.document_id == document_id and _reports(link, document, words):
                event_ids.append(event_id)
                break
    return event_ids


def _reports(link: EventLink, document, words: list[str]) -> bool:
    if link.role == EventRole.MAIN and link.span is None:
        return True
    if link.span is None or document is None:
        return False
    passage = fold(document.text[link.span.start : link.span.end])
    return bool(words) and all(word in passage for word in words)
