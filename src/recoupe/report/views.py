"""What each page shows, computed from a Corpus: shared by the static report and the web UI.

Functions here only select and group model values; HTML lives in the
templates, and URLs in a `Links` object the caller chooses (files or routes).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from recoupe.model import (
    Analysis,
    Claim,
    Contradiction,
    CopyLink,
    Dispatch,
    Corpus,
    Document,
    Event,
    EventLink,
    EventRole,
    EventSummary,
    Figure,
    Place,
    Polarity,
    Proposition,
    Span,
    Statement,
    Update,
)
from recoupe.folding import fold
from recoupe.report.names import place_labels
from recoupe.claims import claim_events


class Links(Protocol):
    """Where pages live: relative files for the report, routes for the web app."""

    def index(self) -> str: ...
    def documents(self) -> str: ...
    def event(self, event_id: str) -> str: ...
    def document(self, document_id: str) -> str: ...
    def span(self, span: Span) -> str: ...
    def asset(self, name: str) -> str: ...


def span_anchor(span: Span) -> str:
    """The id of a span's <mark> on its source page."""
    return f"s-{span.start}-{span.end}"


@dataclass(frozen=True, slots=True)
class CorpusIndex:
    """Lookups over one Corpus, built once for a set of pages."""

    corpus: Corpus
    documents: dict[str, Document]
    analyses: dict[str, Analysis]
    claims: dict[str, Claim]
    events: dict[str, Event]
    links_by_event: dict[str, list[EventLink]]
    events_by_document: dict[str, list[str]]
    copies_of: dict[str, list[CopyLink]]  # original id -> links to its copies
    original_of: dict[str, CopyLink]  # copy id -> its link to the original
    dispatches_of: dict[str, list[Dispatch]]  # document id -> the wire dispatches it carries
    propositions_by_event: dict[str, list[Proposition]]
    contradictions_by_event: dict[str, list[Contradiction]]
    updates_by_event: dict[str, list[Update]]
    claims_by_event: dict[str, list[Claim]]
    cited: dict[str, list[tuple[Span, str]]]  # document id -> spans events cite in it, with their CSS class


def index_corpus(corpus: Corpus) -> CorpusIndex:
    results = corpus.results
    links_by_event: dict[str, list[EventLink]] = {}
    events_by_document: dict[str, list[str]] = {}
    for link in results.event_links:
        links_by_event.setdefault(link.event_id, []).append(link)
        if link.event_id not in events_by_document.setdefault(link.document_id, []):
            events_by_document[link.document_id].append(link.event_id)
    copies_of: dict[str, list[CopyLink]] = {}
    original_of: dict[str, CopyLink] = {}
    for copy in corpus.copies:
        copies_of.setdefault(copy.original, []).append(copy)
        original_of.setdefault(copy.copy, copy)
    dispatches_of: dict[str, list[Dispatch]] = {}
    for dispatch in results.dispatches:
        for document_id in dispatch.documents:
            dispatches_of.setdefault(document_id, []).append(dispatch)
    propositions: dict[str, list[Proposition]] = {}
    for proposition in results.propositions:
        propositions.setdefault(proposition.event_id, []).append(proposition)
    contradictions: dict[str, list[Contradiction]] = {}
    for contradiction in results.contradictions:
        contradictions.setdefault(contradiction.event_id, []).append(contradiction)
    updates: dict[str, list[Update]] = {}
    for update in results.updates:
        updates.setdefault(update.event_id, []).append(update)
    owners = claim_events(corpus.analyses, results)
    claims_by_event: dict[str, list[Claim]] = {}
    for analysis in corpus.analyses:
        for claim in sorted(analysis.claims, key=lambda c: c.span.start):
            if claim.id in owners:
                claims_by_event.setdefault(owners[claim.id], []).append(claim)
    cited: dict[str, list[tuple[Span, str]]] = {}
    for event in results.events:
        for span, css in _event_spans(event):
            cited.setdefault(span.document_id, []).append((span, css))
    return CorpusIndex(
        corpus=corpus,
        documents={d.id: d for d in corpus.documents},
        analyses={a.document_id: a for a in corpus.analyses},
        claims={c.id: c for a in corpus.analyses for c in a.claims},
        events={e.id: e for e in results.events},
        links_by_event=links_by_event,
        events_by_document=events_by_document,
        copies_of=copies_of,
        original_of=original_of,
        dispatches_of=dispatches_of,
        propositions_by_event=propositions,
        contradictions_by_event=contradictions,
        updates_by_event=updates,
        claims_by_event=claims_by_event,
        cited=cited,
    )


def _event_spans(event: Event):
    """Every span an event page links to, outside the claims: citations, figures, places."""
    for sentence in (*event.summary, *event.timeline):
        for span in sentence.citations:
            yield span, "cite"
    for figure in event.figures:
        for span in figure.sources:
            yield span, "figure"
    for place in event.places:
        yield place.span, "place"


# ---------------------------------------------------------------- index page


@dataclass(frozen=True, slots=True)
class EventRow:
    event: Event
    place_names: tuple[str, ...]  # in the page's language (`place_labels`)
    actor_names: tuple[str, ...]
    documents: int
    contradictions: int
    main_reports: int = 0  # documents whose lead reports the event (EventRole.MAIN)

    @property
    def brief(self) -> bool:
        """Only live-blog entries or recalls report it: a side item of someone else's story."""
        return self.main_reports == 0


def event_rows(ix: CorpusIndex, country_names: Mapping[str, str] | None = None) -> list[EventRow]:
    """Events, latest first; undated ones last."""
    rows = []
    for event in ix.events.values():
        links = ix.links_by_event.get(event.id, [])
        labels = place_labels(event.places, country_names)
        rows.append(
            EventRow(
                event=event,
                place_names=_unique(labels[p.name] for p in event.places),
                actor_names=_unique(a.name for a in event.actors),
                documents=len({link.document_id for link in links}),
                contradictions=len(ix.contradictions_by_event.get(event.id, [])),
                main_reports=len({link.document_id for link in links if link.role == EventRole.MAIN}),
            )
        )
    rows.sort(key=lambda r: (r.event.start is None, -(r.event.start or dt.date.min).toordinal(), fold(r.event.title)))
    return rows


def summary_row(summary: EventSummary, country_names: Mapping[str, str] | None = None) -> EventRow:
    """The row of an event the store listed (`Store.list_events`) with the counts it keeps."""
    event = summary.event
    labels = place_labels(event.places, country_names)
    return EventRow(
        event=event,
        place_names=_unique(labels[p.name] for p in event.places),
        actor_names=_unique(a.name for a in event.actors),
        documents=summary.documents,
        contradictions=summary.contradictions,
        main_reports=summary.main_reports,
    )


def split_briefs(rows: list[EventRow]) -> tuple[list[EventRow], list[EventRow]]:
    """(events some document leads with, briefs): a newsroom reads the stories first."""
    return [r for r in rows if not r.brief], [r for r in rows if r.brief]


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


# ---------------------------------------------------------------- event page


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A document as cited on an event page: its number in the page's document list."""

    number: int
    document: Document


@dataclass(frozen=True, slots=True)
class ClaimRow:
    claim: Claim
    document: Document | None
    stance: str  # "assert", "deny", "hedged": the mark shown next to the claim


@dataclass(frozen=True, slots=True)
class SpeakerGroup:
    speaker: str  # "" when unattributed
    kind: str  # SpeakerKind value, "" when unattributed
    rows: tuple[ClaimRow, ...]


@dataclass(frozen=True, slots=True)
class PropositionRow:
    proposition: Proposition
    text: str
    span: Span | None  # its first claim's, for the link
    asserted: tuple[Document, ...]
    denied: tuple[Document, ...]

    @property
    def cross_checked(self) -> bool:
        """Two independent documents or more take a side: what "recoupé" means."""
        return len({d.id for d in (*self.asserted, *self.denied)}) >= 2


@dataclass(frozen=True, slots=True)
class SideRow:
    """One side of a contradiction or one value of a figure's history, with the document stating it."""

    statement: Statement
    document: Document | None


@dataclass(frozen=True, slots=True)
class ContradictionPair:
    """One dispute: `left` and `right` stand for it; `sides` holds every position with every statement
    taking it, the standing one first. The reason is worded by the template in the page's language."""

    contradiction: Contradiction
    left: SideRow
    right: SideRow
    sides: tuple[tuple[SideRow, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class UpdateRow:
    """A count's history: each value as a report gave it, earliest first."""

    update: Update
    values: tuple[SideRow, ...]


@dataclass(frozen=True, slots=True)
class SourceFigures:
    document: Document
    figures: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class DocumentNode:
    """A document with the copies folded under it."""

    document: Document
    roles: tuple[str, ...]
    copies: tuple[tuple[Document, CopyLink], ...] = ()
    copy_of: CopyLink | None = None  # set when the original is not on the same list


@dataclass(frozen=True, slots=True)
class EventPage:
    event: Event
    sources: dict[str, SourceRef]  # document id -> number, for citation labels
    speakers: tuple[SpeakerGroup, ...]
    propositions: tuple[PropositionRow, ...]
    contradictions: tuple[ContradictionPair, ...]
    figures_by_source: tuple[SourceFigures, ...]
    documents: tuple[DocumentNode, ...]
    updates: tuple[UpdateRow, ...] = ()


def event_document_ids(ix: CorpusIndex, event_id: str) -> list[str]:
    """Documents reporting the event, main reports first, in corpus order."""
    order = {d.id: n for n, d in enumerate(ix.corpus.documents)}
    role_rank = {EventRole.MAIN: 0, EventRole.ENTRY: 1, EventRole.BACKGROUND: 2}
    best: dict[str, int] = {}
    for link in ix.links_by_event.get(event_id, []):
        if link.document_id in ix.documents:
            best[link.document_id] = min(best.get(link.document_id, 9), role_rank.get(link.role, 3))
    return sorted(best, key=lambda d: (best[d], order.get(d, 0)))


def event_claims(ix: CorpusIndex, event_id: str) -> list[Claim]:
    """The event's claims, each claim given to one event as every store does (`claims.claim_events`)."""
    return ix.claims_by_event.get(event_id, [])


def stance(claim: Claim) -> str:
    if claim.polarity == Polarity.DENY:
        return "deny"
    return "hedged" if claim.hedged else "assert"


def event_page(ix: CorpusIndex, event_id: str) -> EventPage | None:
    event = ix.events.get(event_id)
    if event is None:
        return None
    document_ids = event_document_ids(ix, event_id)
    sources = {d: SourceRef(n, ix.documents[d]) for n, d in enumerate(document_ids, start=1)}
    claims = event_claims(ix, event_id)
    return EventPage(
        event=event,
        sources=sources,
        speakers=_speaker_groups(ix, claims),
        propositions=_proposition_rows(ix, event_id),
        contradictions=_contradiction_pairs(ix, event_id),
        figures_by_source=_figures_by_source(ix, event_id, document_ids),
        documents=document_tree(ix, document_ids, event_id),
        updates=tuple(
            UpdateRow(u, tuple(SideRow(v, ix.documents.get(v.span.document_id)) for v in u.values))
            for u in ix.updates_by_event.get(event_id, [])
        ),
    )


def first_mentions(places: tuple[Place, ...]) -> list[Place]:
    """One place per name, its first mention, in order of appearance."""
    first: dict[str, Place] = {}
    for place in places:
        first.setdefault(place.name, place)
    return list(first.values())


def claim_row(ix: CorpusIndex, claim: Claim) -> ClaimRow:
    return ClaimRow(claim, ix.documents.get(claim.span.document_id), stance(claim))


def claim_text(ix: CorpusIndex, claim: Claim) -> str:
    return _span_text(ix, claim.span, claim.text)


def statement_text(ix: CorpusIndex, statement: Statement) -> str:
    """A contradiction side or a figure's value as the source words it: records may leave `text` empty."""
    return _span_text(ix, statement.span, statement.text)


def _span_text(ix: CorpusIndex, span: Span, text: str) -> str:
    if text:
        return text
    document = ix.documents.get(span.document_id)
    return span.text(document) if document else ""


def _speaker_groups(ix: CorpusIndex, claims: list[Claim]) -> tuple[SpeakerGroup, ...]:
    """Claims by speaker; "Ministère russe de la Défense" opening a sentence is the same speaker as mid-sentence."""
    groups: dict[str, list[Claim]] = {}
    kinds: dict[str, str] = {}
    spellings: dict[str, Counter] = {}
    for claim in claims:
        name = claim.speaker.name if claim.speaker else ""
        key = fold(name)
        groups.setdefault(key, []).append(claim)
        kinds.setdefault(key, claim.speaker.kind.value if claim.speaker else "")
        spellings.setdefault(key, Counter())[name] += 1
    ordered = sorted(groups, key=lambda key: (key == "", -len(groups[key]), key))
    return tuple(
        SpeakerGroup(_spelling(spellings[key]), kinds[key], tuple(claim_row(ix, c) for c in groups[key])) for key in ordered
    )


def _spelling(counter: Counter) -> str:
    """The most used spelling; on a tie the one in lower case, which is how a name reads mid-sentence."""
    return max(counter, key=lambda name: (counter[name], name[:1].islower()))


def _proposition_rows(ix: CorpusIndex, event_id: str) -> tuple[PropositionRow, ...]:
    rows = []
    for proposition in ix.propositions_by_event.get(event_id, []):
        claims = [ix.claims[c] for c in proposition.claim_ids if c in ix.claims]
        rows.append(
            PropositionRow(
                proposition=proposition,
                text=claim_text(ix, claims[0]) if claims else "",
                span=claims[0].span if claims else None,
                asserted=tuple(ix.documents[d] for d in proposition.asserted_by if d in ix.documents),
                denied=tuple(ix.documents[d] for d in proposition.denied_by if d in ix.documents),
            )
        )
    rows.sort(key=lambda r: -(len(r.asserted) + len(r.denied)))
    return tuple(rows)


def _contradiction_pairs(ix: CorpusIndex, event_id: str) -> tuple[ContradictionPair, ...]:
    def row(statement: Statement) -> SideRow:
        return SideRow(statement, ix.documents.get(statement.span.document_id))

    def side_rows(c: Contradiction) -> tuple[tuple[SideRow, ...], ...]:
        standing = (c.a, c.b)
        out = []
        for side in c.positions:
            lead = next((s for s in side.statements if s in standing), side.statements[0])
            out.append((row(lead), *(row(s) for s in side.statements if s is not lead)))
        return tuple(out)

    return tuple(
        ContradictionPair(c, row(c.a), row(c.b), side_rows(c))
        for c in ix.contradictions_by_event.get(event_id, [])
    )


def _figures_by_source(ix: CorpusIndex, event_id: str, document_ids: list[str]) -> tuple[SourceFigures, ...]:
    spans: dict[str, list[Span | None]] = {}
    for link in ix.links_by_event.get(event_id, []):
        spans.setdefault(link.document_id, []).append(link.span)
    out = []
    for document_id in document_ids:
        analysis = ix.analyses.get(document_id)
        figures = [
            f
            for f in (analysis.figures if analysis else ())
            if any(s is None or (s.start <= f.span.start and f.span.end <= s.end) for s in spans[document_id])
        ]
        if figures:
            out.append(SourceFigures(ix.documents[document_id], tuple(figures)))
    return tuple(out)


def document_tree(ix: CorpusIndex, document_ids: list[str], event_id: str | None = None) -> tuple[DocumentNode, ...]:
    """Originals with their copies folded under them; a copy whose original is absent stands alone."""
    listed = set(document_ids)
    roles: dict[str, list[str]] = {}
    for link in ix.links_by_event.get(event_id, []) if event_id else ():
        if link.role.value not in roles.setdefault(link.document_id, []):
            roles[link.document_id].append(link.role.value)
    nodes = []
    for document_id in document_ids:
        link = ix.original_of.get(document_id)
        if link and link.original in listed:
            continue
        copies = tuple(
            (ix.documents[c.copy], c)
            for c in ix.copies_of.get(document_id, [])
            if c.copy in ix.documents and (event_id is None or c.copy in listed)
        )
        nodes.append(DocumentNode(ix.documents[document_id], tuple(roles.get(document_id, ())), copies, link))
    return tuple(nodes)


# ---------------------------------------------------------------- source page


# Aligned passages shown under a copy notice: enough to check the link, not a diff.
EVIDENCE_SHOWN = 5


@dataclass(frozen=True, slots=True)
class SourcePage:
    document: Document
    analysis: Analysis | None
    events: tuple[Event, ...]
    copy_of: tuple[Document, CopyLink] | None
    copies: tuple[tuple[Document, CopyLink], ...]
    dispatches: tuple[tuple[Dispatch, tuple[Document, ...]], ...]  # each dispatch carried, with its other carriers
    evidence: tuple[tuple[str, str], ...]  # (passage here, its counterpart in the original), from copy_of's link
    claims: tuple[ClaimRow, ...]
    marks: tuple[tuple[Span, str], ...]  # every span linked to, with its CSS class


def source_page(ix: CorpusIndex, document_id: str) -> SourcePage | None:
    document = ix.documents.get(document_id)
    if document is None:
        return None
    analysis = ix.analyses.get(document_id)
    link = ix.original_of.get(document_id)
    copy_of = (ix.documents[link.original], link) if link and link.original in ix.documents else None
    copies = tuple((ix.documents[c.copy], c) for c in ix.copies_of.get(document_id, []) if c.copy in ix.documents)
    claims = tuple(claim_row(ix, c) for c in (analysis.claims if analysis else ()))
    dispatches = tuple(
        (d, tuple(ix.documents[i] for i in d.documents if i != document_id and i in ix.documents))
        for d in ix.dispatches_of.get(document_id, [])
    )
    evidence = tuple(
        (p.source.text(document), p.target.text(copy_of[0]))
        for p in (link.evidence[:EVIDENCE_SHOWN] if copy_of and link else ())
        if p.source.document_id == document_id and p.target.document_id == copy_of[0].id
    )
    return SourcePage(
        document=document,
        analysis=analysis,
        events=tuple(ix.events[e] for e in ix.events_by_document.get(document_id, []) if e in ix.events),
        copy_of=copy_of,
        copies=copies,
        dispatches=dispatches,
        evidence=evidence,
        claims=claims,
        marks=tuple(_marks(ix, document_id, analysis, claims)),
    )


def _marks(ix: CorpusIndex, document_id: str, analysis: Analysis | None, claims: tuple[ClaimRow, ...]):
    """Spans other pages link to: claims, figures, places and summary citations."""
    seen: set[tuple[int, int]] = set()

    def add(span: Span, css: str):
        if span.document_id == document_id and (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            yield span, css

    for row in claims:
        yield from add(row.claim.span, f"claim claim-{row.stance}")
    if analysis:
        for figure in analysis.figures:
            yield from add(figure.span, "figure")
        for place in analysis.places:
            yield from add(place.span, "place")
    for span, css in ix.cited.get(document_id, []):
        yield from add(span, css)
