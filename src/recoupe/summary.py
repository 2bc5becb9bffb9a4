"""Event records: what reports of one event say together, with their sources.

`events_from_links` turns the clusterer's links into `Event`s: ACLED type and
sub-type from cue words (lang/*/event_types.yaml), days, places, actors with
roles, figures citing every span that gives them, the number of independent
sources (copies and shared wire dispatches count once), a title, a cited
summary and a timeline.

The summary is extractive: every sentence is a source's sentence and cites every
span carrying the same fact (near-identical sentences of other documents).
Sentences are picked by maximal marginal relevance (Carbonell & Goldstein, 1998):
central to the event, not redundant with those already picked.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from recoupe.units import (
    LEAD_CHARS,
    EventPart,
    Unit,
    UnitBuilder,
    jaccard,
    normalise_words,
    paragraphs,
    part_sentences,
    reference_day,
    sorted_spans,
    stem_set,
)
from recoupe.lang import LanguageResources
from recoupe.model import (
    Actor,
    Analysis,
    CitedSentence,
    CopyLink,
    Document,
    Entity,
    EntityType,
    Event,
    EventFigure,
    EventLink,
    EventRole,
    FigureCategory,
    InferredDate,
    Place,
    Qualifier,
    Span,
)
from recoupe.settings import EventSettings
from recoupe.timeline import MAX_CHARS, MIN_CHARS, infer_publication_days, timeline
from recoupe.units import within_ranges

# Only the first sentences of a part report the event; later ones give context.
_LEAD_SENTENCES = 6


@dataclass(frozen=True, slots=True)
class EventContext:
    """What building event records reads besides the links; everything optional has a default."""

    documents: Mapping[str, Document]
    analyses: Mapping[str, Analysis]
    resources: Mapping[str, LanguageResources]
    copies: Sequence[CopyLink] = ()
    same_source: Sequence[Collection[str]] = ()  # ids carrying one wire dispatch: copies.find_dispatches
    entities: Sequence[Entity] = ()
    inferred: Sequence[InferredDate] = ()
    # Units already cut, by document id, with what they were cut from: events described again
    # (with their inferred days, after re-dating) cut only the documents whose analysis changed.
    units: UnitCache = field(default_factory=dict, compare=False, repr=False)


# Document id -> (event settings, document, analysis, its units).
UnitCache = dict[str, tuple[EventSettings, Document, Analysis, list[Unit]]]


def events_from_links(links: Sequence[EventLink], context: EventContext, settings: EventSettings) -> list[Event]:
    """One record per event: ACLED type, days, places, actors, figures, sources, title, summary, timeline."""
    builder = UnitBuilder.from_resources(settings, context.resources)
    by_event: dict[str, list[EventLink]] = {}
    for link in links:
        by_event.setdefault(link.event_id, []).append(link)
    units = _units_by_place(builder, links, context)
    days = {d.document_id: d.date for d in context.inferred}
    events = []
    for event_id, members in sorted(by_event.items()):
        # In document order, not arrival order: ties among places, actors and title candidates are then
        # broken the same way whether the reports came in one run or several.
        reporting = sorted(
            (l for l in members if l.role is not EventRole.BACKGROUND and l.document_id in context.documents),
            key=_link_order,
        )
        if not reporting:
            continue
        parts = [_part(l, units, context, days) for l in reporting]
        events.append(_record(event_id, parts, [units.get(_place(l)) for l in reporting], builder, context, settings))
    return events


def describe_events(links: Sequence[EventLink], context: EventContext, settings: EventSettings) -> tuple[list[Event], list[InferredDate]]:
    """Event records and the publication days inferred from them; live-blog entries of
    a report stating no day are placed on its inferred day in the timeline."""
    events = events_from_links(links, context, settings)
    documents = [context.documents[i] for i in dict.fromkeys(l.document_id for l in links) if i in context.documents]
    inferred = infer_publication_days(documents, links, events, context.resources)
    if inferred:
        events = events_from_links(links, replace(context, inferred=tuple(inferred)), settings)
    return events, inferred


def _link_order(link: EventLink) -> tuple[str, int]:
    return link.document_id, link.span.start if link.span is not None else -1


def _record(
    event_id: str, parts: list[EventPart], units: list[Unit | None], builder: UnitBuilder, context: EventContext, settings: EventSettings
) -> Event:
    exact = [u.window for u in units if u is not None and u.window is not None and u.window.exact]
    start = min((w.start for w in exact), default=None)
    end = max((w.end for w in exact), default=None)
    event_type, subtype = classify(parts, builder)
    stop = builder.stopwords
    return Event(
        id=event_id,
        title=event_title(parts, stop),
        type=event_type,
        subtype=subtype,
        start=start,
        end=end,
        places=event_places(parts),
        actors=event_actors(parts, context.entities, _reporters(context.resources)),
        figures=event_figures(parts),
        independent_sources=independent_sources([p.document.id for p in parts], context),
        summary=summarise(parts, settings, stop),
        timeline=timeline(parts, (start, end) if start and end else None, settings, stop),
    )


def _reporters(resources: Mapping[str, LanguageResources]) -> set[str]:
    return {name for r in resources.values() for name in r.event_cues.reporters}


def _place(link: EventLink) -> tuple[str, int | None]:
    return (link.document_id, link.span.start if link.span else None)


def _units_by_place(builder: UnitBuilder, links: Sequence[EventLink], context: EventContext) -> dict[tuple[str, int | None], Unit]:
    out = {}
    for document_id in {l.document_id for l in links}:
        document = context.documents.get(document_id)
        if document is None:
            continue
        for unit in _units(builder, document, context.analyses.get(document_id, Analysis(document_id)), context.units):
            out[(document_id, None if unit.whole else unit.start)] = unit
    return out


def _units(builder: UnitBuilder, document: Document, analysis: Analysis, cache: UnitCache) -> list[Unit]:
    """The document's units, cut once for one document, analysis and settings."""
    cached = cache.get(document.id)
    if cached is not None and cached[0] == builder.settings and cached[1] is document and cached[2] is analysis:
        return cached[3]
    units = builder.units(document, analysis)
    cache[document.id] = (builder.settings, document, analysis, units)
    return units


def _part(link: EventLink, units: Mapping[tuple[str, int | None], Unit], context: EventContext, days: Mapping[str, dt.date]) -> EventPart:
    document = context.documents[link.document_id]
    unit = units.get(_place(link))
    if unit is not None:
        ranges = tuple((p.start, p.end) for p in paragraphs(document) if unit.start <= p.start and p.end <= unit.end)
    else:
        ranges = ((link.span.start, link.span.end),) if link.span else tuple((s.start, s.end) for s in document.segments)
    if unit is not None and unit.whole:
        ranges = tuple((p.start, p.end) for p in paragraphs(document) if within_ranges(p.start, p.end, ranges))
    day = reference_day(document) or days.get(document.id)
    analysis = context.analyses.get(document.id, Analysis(document.id))
    return EventPart(document, analysis, ranges, link.role, day)


def classify(parts: Sequence[EventPart], builder: UnitBuilder) -> tuple[str, str]:
    """ACLED type and sub-type with the most cue hits in the parts' leads (lang/*/event_types.yaml);
    ties go to the first in the file. Without any cue: Strategic developments / Other."""
    hits: Counter[tuple[str, str]] = Counter()
    order: dict[tuple[str, str], int] = {}
    for part in parts:
        patterns = builder.cues.get(part.document.language or builder.default_language) or builder.cues.get(builder.default_language, {})
        lead = normalise_words(_lead_text(part))
        for rank, (name, pattern) in enumerate(patterns.items()):
            order.setdefault(name, rank)
            hits[name] += len(pattern.findall(lead))
    if not hits or max(hits.values()) == 0:
        return ("Strategic developments", "Other")
    return max(hits, key=lambda name: (hits[name], -order[name]))


def _lead_text(part: EventPart) -> str:
    start = part.ranges[0][0]
    pieces = [part.document.title or ""] if part.role is EventRole.MAIN else []
    pieces += [part.document.text[a:b] for a, b in part.ranges if a - start <= LEAD_CHARS]
    return "\n".join(pieces)


def event_title(parts: Sequence[EventPart], stopwords: frozenset[str]) -> str:
    """The headline closest to the words all reports share; a first sentence when none has a title."""
    shared: Counter[str] = Counter()
    for part in parts:
        shared.update(stem_set(_lead_text(part), stopwords))
    candidates = [p.document.title.strip() for p in parts if p.role is EventRole.MAIN and p.document.title]
    if not candidates:
        candidates = [" ".join(part.document.text[a:b].split()) for part in parts for a, b in part.ranges[:1]]
    candidates = [c for c in candidates if c]
    if not candidates:
        return ""
    best = max(candidates, key=lambda c: sum(shared[s] for s in stem_set(c, stopwords)) / math.sqrt(1 + len(c)))
    return best if len(best) <= _TITLE_CHARS else best[: _TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


_TITLE_CHARS = 140
_COUNTED = {FigureCategory.DEAD, FigureCategory.INJURED, FigureCategory.MISSING, FigureCategory.EVACUATED, FigureCategory.DRONES, FigureCategory.MATERIEL}
_MAX_PLACES, _MAX_ACTORS = 12, 12


def event_places(parts: Sequence[EventPart]) -> tuple[Place, ...]:
    """Places named in the reports, the most cited first, one per GeoNames id."""
    counts: Counter[object] = Counter()
    first: dict[object, Place] = {}
    for part in parts:
        for place in part.analysis.places:
            if part.contains(place.span):
                key = place.geonameid if place.geonameid is not None else place.name
                counts[key] += 1
                first.setdefault(key, place)
    return tuple(first[k] for k, _ in counts.most_common(_MAX_PLACES))


def event_actors(parts: Sequence[EventPart], entities: Sequence[Entity], reporters: Collection[str] = ()) -> tuple[Actor, ...]:
    """People and organisations by mentions; the two most mentioned non-speakers are actor1/actor2,
    those quoted are sources, the rest associated. Agencies and media (`reporters`) report, not act."""
    entity_of = {key: e.id for e in entities for key in e.keys}
    skip = {normalise_words(r) for r in reporters}
    counts: Counter[str] = Counter()
    names: dict[str, Counter[str]] = {}
    speakers: set[str] = set()
    for part in parts:
        speaking = [c.speaker.span for c in part.analysis.claims if c.speaker and c.speaker.span and part.contains(c.speaker.span)]
        for mention in part.analysis.mentions:
            if normalise_words(mention.text) in skip:
                continue
            if mention.type in (EntityType.PERSON, EntityType.ORGANISATION) and part.contains(mention.span):
                counts[mention.key] += 1
                names.setdefault(mention.key, Counter())[mention.text] += 1
                if any(s.start <= mention.span.start and mention.span.end <= s.end for s in speaking):
                    speakers.add(mention.key)
    actors = []
    principal = 0
    for key, _ in counts.most_common(_MAX_ACTORS):
        if key in speakers:
            role = "source"
        elif principal < 2:
            principal += 1
            role = f"actor{principal}"
        else:
            role = "associated"
        actors.append(Actor(entity_of.get(key), names[key].most_common(1)[0][0], role))
    return tuple(actors)


def event_figures(parts: Sequence[EventPart]) -> tuple[EventFigure, ...]:
    """Tolls and counts, one record per distinct (category, value, qualifier), citing every source span."""
    sources: dict[tuple[FigureCategory, float, Qualifier], list[Span]] = {}
    for part in parts:
        for figure in part.analysis.figures:
            if figure.category in _COUNTED and part.contains(figure.span):
                sources.setdefault((figure.category, figure.value, figure.qualifier), []).append(figure.span)
    return tuple(
        EventFigure(category, value, qualifier, tuple(spans))
        for (category, value, qualifier), spans in sorted(sources.items(), key=lambda kv: (kv[0][0].value, kv[0][1]))
    )


def independent_sources(document_ids: Iterable[str], context: EventContext) -> int:
    """Distinct sources: copies join their original, documents carrying one wire dispatch count once."""
    ids = sorted(set(document_ids))
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: str, b: str) -> None:
        if a in parent and b in parent:
            parent[root(a)] = root(b)

    for link in context.copies:
        join(link.copy, link.original)
    for group in context.same_source:
        members = [i for i in group if i in parent]
        for other in members[1:]:
            join(members[0], other)
    return len({root(i) for i in ids})



@dataclass(frozen=True, slots=True)
class _Fact:
    """One sentence and the near-identical sentences of other parts."""

    text: str
    spans: tuple[Span, ...]
    stems: frozenset[str]
    rank: int  # position of the earliest occurrence within its part


def group_facts(parts: Sequence[EventPart], settings: EventSettings, stopwords: frozenset[str] = frozenset()) -> list[_Fact]:
    """Sentences of all parts, near-identical ones merged into one fact citing all their spans.

    Pairwise over the first _LEAD_SENTENCES of each part: O((6 x parts)²) per event."""
    facts: list[_Fact] = []
    for part in parts:
        for rank, span in enumerate(part_sentences(part)[:_LEAD_SENTENCES]):
            text = " ".join(part.document.text[span.start : span.end].split())
            if not MIN_CHARS <= len(text) <= MAX_CHARS:
                continue
            stems = stem_set(text, stopwords)
            if not stems:
                continue
            for index, fact in enumerate(facts):
                if jaccard(stems, fact.stems) >= settings.same_sentence_jaccard:
                    facts[index] = _Fact(fact.text, fact.spans + (span,), fact.stems, min(fact.rank, rank))
                    break
            else:
                facts.append(_Fact(text, (span,), stems, rank))
    return facts


def summarise(parts: Sequence[EventPart], settings: EventSettings, stopwords: frozenset[str] = frozenset()) -> tuple[CitedSentence, ...]:
    """A few sentences central to the event and different from each other, each citing its sources."""
    facts = [f for f in group_facts(parts, settings, stopwords) if _is_report(f)]
    if not facts:
        return ()
    weight = Counter(stem for fact in facts for stem in fact.stems for _ in fact.spans)
    centre = math.sqrt(sum(v * v for v in weight.values()))

    def relevance(fact: _Fact) -> float:
        support = len({s.document_id for s in fact.spans})
        overlap = sum(weight[s] for s in fact.stems) / (centre * math.sqrt(len(fact.stems)))
        return overlap * (1 + math.log(support)) / (1 + 0.2 * fact.rank)

    chosen: list[_Fact] = []
    remaining = list(facts)
    diversity = settings.summary_diversity
    while remaining and len(chosen) < settings.summary_sentences:
        best = max(
            remaining,
            key=lambda f: (1 - diversity) * relevance(f) - diversity * max((jaccard(f.stems, c.stems) for c in chosen), default=0.0),
        )
        chosen.append(best)
        remaining.remove(best)
    return tuple(CitedSentence(f.text, sorted_spans(f.spans)) for f in chosen)


def _is_report(fact: _Fact) -> bool:
    """A whole statement: not a question, not a fragment cut from its sentence."""
    first = fact.text.lstrip("-–— ")[:1]
    return not fact.text.rstrip().endswith("?") and bool(first) and (first.isupper() or first.isdigit() or first in "«\"“")
