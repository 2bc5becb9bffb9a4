"""The events list and the records a page needs, defined once for every store.

Pure functions over model values, no database: what an event is found by
(`EventFacets`, kept by the SQL stores in the `event_index` table and matched
there by LIKE), how a page of events sorts, and which records a page over some
documents and events needs (`slice_corpus`), so a store can answer a page
from indexed queries and the memory store from its dicts, with the same result.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from recoupe.claims import ClaimRef, claim_owners
from recoupe.folding import fold
from recoupe.model import (
    Corpus,
    CorpusResults,
    Document,
    EventListing,
    EventOrder,
    EventQuery,
    EventRole,
    EventSummary,
    Place,
)
from recoupe.report.names import place_labels

# Joins the values of one facet: a filter matches inside one value, never across two.
SEPARATOR = "\x1f"
# Largest page of the events list a store answers.
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """The fields of a document the source filter reads."""

    id: str
    source: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class EventFacets:
    """One event as the events list filters and sorts it: folded text, dates, counts."""

    event_id: str
    start: dt.date | None
    last: dt.date | None  # its end, or its start when it has no end
    brief: bool  # no document leads with it (only live-blog entries or recalls report it)
    documents: int
    main_reports: int
    contradictions: int
    title_key: str
    places: str
    actors: str
    sources: str
    words: str


def event_facets(
    results: CorpusResults,
    documents: Mapping[str, DocumentRef],
    claims: Iterable[ClaimRef],
    label_languages: Mapping[str, Mapping[str, str]] | None = None,
) -> list[EventFacets]:
    """The facets of every event of `results`, in their order.

    `documents` holds (at least) the linked documents, `claims` (at least) their
    claims; `label_languages` maps a language to its country names, so a place
    is found by the name any page shows it under ("Russie", "Russia")."""
    claims = list(claims)
    owners = claim_owners(claims, results)
    speakers: dict[str, list[str]] = {}
    for claim in claims:
        if claim.speaker and claim.claim_id in owners:
            speakers.setdefault(owners[claim.claim_id], []).append(claim.speaker)
    linked: dict[str, set[str]] = {}
    main: dict[str, set[str]] = {}
    for link in results.event_links:
        linked.setdefault(link.event_id, set()).add(link.document_id)
        if link.role == EventRole.MAIN:
            main.setdefault(link.event_id, set()).add(link.document_id)
    contradictions: dict[str, int] = {}
    for contradiction in results.contradictions:
        contradictions[contradiction.event_id] = contradictions.get(contradiction.event_id, 0) + 1
    out = []
    for event in results.events:
        places = _place_names(event.places, label_languages or {})
        actors = [a.name for a in event.actors]
        sources = []
        for document_id in sorted(linked.get(event.id, ())):
            document = documents.get(document_id)
            if document:
                sources += [document.outlet or "", document.source, document.url or "", document.title or ""]
        out.append(
            EventFacets(
                event_id=event.id,
                start=event.start,
                last=event.end or event.start,
                brief=not main.get(event.id),
                documents=len(linked.get(event.id, ())),
                main_reports=len(main.get(event.id, ())),
                contradictions=contradictions.get(event.id, 0),
                title_key=fold(event.title),
                places=_joined(places),
                actors=_joined([*actors, *speakers.get(event.id, [])]),
                sources=_joined(sources),
                words=_joined([event.title, event.type, event.subtype, *places, *actors]),
            )
        )
    return out


def _place_names(places: Sequence[Place], label_languages: Mapping[str, Mapping[str, str]]) -> list[str]:
    """As the pages show them in every language, as GeoNames names them, as the text wrote them."""
    names = [name for p in places for name in (p.name, p.mention, p.admin1 or "")]
    for country_names in label_languages.values():
        names += place_labels(places, country_names).values()
    names += place_labels(places).values()
    return names


def _joined(values: Iterable[str]) -> str:
    folded = (fold(v) for v in values if v)
    return SEPARATOR.join(dict.fromkeys(v for v in folded if v))


def needle(text: str) -> str:
    """A filter's text as the facets hold it (no NUL: PostgreSQL text cannot hold one)."""
    return fold(text).replace(SEPARATOR, " ").replace("\x00", "")


def matches(facets: EventFacets, query: EventQuery) -> bool:
    """Whether an event passes the query's filters (dates overlap, texts inside one value)."""
    if query.date_from and (facets.last is None or facets.last < query.date_from):
        return False
    if query.date_to and (facets.start is None or facets.start > query.date_to):
        return False
    for wanted, value in (
        (query.place, facets.places), (query.actor, facets.actors), (query.source, facets.sources), (query.text, facets.words)
    ):
        if wanted.strip() and needle(wanted) not in value:
            return False
    return True


def sort_key(facets: EventFacets, order: EventOrder, seq: int) -> tuple:
    """Lead events before briefs; then the order asked; then title and storage order (stable pages)."""
    undated = facets.start is None
    day = facets.start.toordinal() if facets.start else 0
    if order is EventOrder.EARLIEST:
        return (facets.brief, undated, day, facets.title_key, seq)
    if order is EventOrder.DOCUMENTS:
        return (facets.brief, -facets.documents, undated, -day, facets.title_key, seq)
    return (facets.brief, undated, -day, facets.title_key, seq)


def page_window(query: EventQuery) -> tuple[int, int]:
    """(offset, limit) bounded: no negative offset, at most MAX_LIMIT rows."""
    return max(0, query.offset), max(0, min(query.limit, MAX_LIMIT))


def summary(event, facets: EventFacets) -> EventSummary:
    return EventSummary(event, facets.documents, facets.main_reports, facets.contradictions)


def ranks(facets: Sequence[EventFacets]) -> dict[EventOrder, list[int]]:
    """Each event's position in every order of the list, by `sort_key`: the SQL stores keep
    them indexed, so a page of any order is a range of one index."""
    out: dict[EventOrder, list[int]] = {}
    for order in EventOrder:
        ordered = sorted(range(len(facets)), key=lambda i: sort_key(facets[i], order, i))
        rank = [0] * len(facets)
        for position, i in enumerate(ordered):
            rank[i] = position
        out[order] = rank
    return out


def list_events(results: CorpusResults, facets: Sequence[EventFacets], query: EventQuery) -> EventListing:
    """A page of events from facets in memory: what the SQL stores answer by query."""
    by_id = {e.id: e for e in results.events}
    rank = ranks(facets)[query.order]
    kept = sorted((rank[i], f) for i, f in enumerate(facets) if matches(f, query))
    offset, limit = page_window(query)
    return EventListing(len(kept), tuple(summary(by_id[f.event_id], f) for _, f in kept[offset : offset + limit]))


@functools.cache
def label_languages() -> dict[str, dict[str, str]]:
    """Country names in every analysed language, for the place facet."""
    from recoupe.lang import supported_languages
    from recoupe.report.basemap import country_names

    return {code: country_names(code) for code in supported_languages()}


def document_ref(document: Document) -> DocumentRef:
    return DocumentRef(document.id, document.source, document.title, document.outlet, document.url)


def slice_corpus(corpus: Corpus, document_ids: Iterable[str], event_ids: Iterable[str]) -> Corpus:
    """The records pages over these documents and events read, in storage order.

    The documents asked, those linked to the events asked and those holding the
    claims of their propositions, with their analyses and every event link of
    theirs (a claim's event depends on all of them); the events they link to, with
    those events' propositions, contradictions and updates; the copy links and
    wire dispatches touching them. Documents named by these records (the other
    end of a copy, another carrier of a dispatch, a side of a contradiction) come
    without their analyses."""
    results = corpus.results
    wanted_events = set(event_ids)
    proposed = {cid for p in results.propositions if p.event_id in wanted_events for cid in p.claim_ids}
    core = set(document_ids)
    core |= {link.document_id for link in results.event_links if link.event_id in wanted_events}
    core |= {a.document_id for a in corpus.analyses if any(c.id in proposed for c in a.claims)}
    known = {d.id for d in corpus.documents}
    core &= known
    links = tuple(link for link in results.event_links if link.document_id in core)
    events_ids = wanted_events | {link.event_id for link in links}
    events = tuple(e for e in results.events if e.id in events_ids)
    propositions = tuple(p for p in results.propositions if p.event_id in events_ids)
    contradictions = tuple(c for c in results.contradictions if c.event_id in events_ids)
    updates = tuple(u for u in results.updates if u.event_id in events_ids)
    copies = tuple(c for c in corpus.copies if c.copy in core or c.original in core)
    dispatches = tuple(d for d in results.dispatches if core.intersection(d.documents))
    named = documents_named(core, events, propositions, contradictions, updates, copies, dispatches)
    return Corpus(
        documents=tuple(d for d in corpus.documents if d.id in named),
        analyses=tuple(a for a in corpus.analyses if a.document_id in core),
        copies=copies,
        results=CorpusResults(
            events=events,
            event_links=links,
            propositions=propositions,
            contradictions=contradictions,
            updates=updates,
            dispatches=dispatches,
            documents=results.documents,
        ),
    )


def documents_named(
    core: Iterable[str], events, propositions, contradictions, updates, copies, dispatches
) -> set[str]:
    """The documents a page's records point to: theirs, and the other ends of copies, dispatches,
    propositions, contradictions, updates and event spans (one rule for every store)."""
    named = set(core)
    named |= {end for c in copies for end in (c.copy, c.original)}
    named |= {i for d in dispatches for i in d.documents}
    named |= {i for p in propositions for i in (*p.asserted_by, *p.denied_by)}
    named |= {s.span.document_id for c in contradictions for s in (c.a, c.b)}
    named |= {v.span.document_id for u in updates for v in u.values}
    for event in events:
        named |= {span.document_id for span in event_spans(event)}
    return named


def event_spans(event):
    """Every span an event record cites: summary and timeline citations, figures, places."""
    for sentence in (*event.summary, *event.timeline):
        yield from sentence.citations
    for figure in event.figures:
        yield from figure.sources
    for place in event.places:
        yield place.span


def window_corpus(corpus: Corpus, start: dt.date, end: dt.date) -> Corpus:
    """Documents published on a day from `start` to `end` (a stated day, not a month alone), with
    their analyses and event links: what the events stage compares a new batch with."""
    first, last = start.isoformat(), end.isoformat()
    documents = tuple(
        d for d in corpus.documents
        if d.published is not None and d.published.day is not None and first <= d.published.iso() <= last
    )
    ids = {d.id for d in documents}
    return Corpus(
        documents=documents,
        analyses=tuple(a for a in corpus.analyses if a.document_id in ids),
        results=CorpusResults(event_links=tuple(link for link in corpus.results.event_links if link.document_id in ids)),
    )


# LSH band keys are stored as signed 64-bit integers (BIGINT on both databases).
KEY_MASK = (1 << 63) - 1
