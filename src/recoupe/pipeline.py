"""The main job: sources → stored documents, analyses, copies, then events and claims.

Per-document stages run on bounded batches (memory does not grow with the
corpus) and each batch is saved in one transaction, so a crash loses nothing
already stored and a rerun skips what is there. Cross-document stages then
derive entities, events, propositions and contradictions from the store.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol
from itertools import islice

from recoupe.clean import NoiseRules, clean_in_language
from recoupe.claims import claim_events, compare_claims
from recoupe.disputes import group_disputes
from recoupe.tallies import EventText, compare_figures, event_texts, reporter_statements
from recoupe.copies import CopyDetector, calendar_anchors, find_dispatches, wire_agencies
from recoupe.copy_model import CopyModel, load_copy_model
from recoupe.errors import InputError
from recoupe.execute import Executor, SerialExecutor
from recoupe.ingest import read_contents, scan_sources
from recoupe.events import EventClusterer, cluster_corpus
from recoupe.model import (
    Analysis,
    Claim,
    Contradiction,
    CopyLink,
    Corpus,
    CorpusResults,
    Dispatch,
    Document,
    DocumentBatch,
    Entity,
    Event,
    EventLink,
    InferredDate,
    InputFailure,
    Place,
    Proposition,
    RawDocument,
    RunReport,
    Update,
)
from recoupe.nlp.linking import link_entities
from recoupe.nlp.analyse import Toolkit, analyse, redate
from recoupe.settings import AnalysisSettings, Settings
from recoupe.store import Store
from recoupe.store.copy_index import StoredCopies, open_copies
from recoupe.summary import EventContext, UnitCache, describe_events

log = logging.getLogger(__name__)


class Progress(Protocol):
    """Told (stage, units done since the last call, units known in all); the CLI draws bars from it."""

    def __call__(self, stage: str, done: int, total: int | None = None) -> None: ...


def _silent(stage: str, done: int, total: int | None = None) -> None:
    pass


# Cross-document steps, one progress unit each.
DERIVE_STEPS = 3


@dataclass(frozen=True, slots=True)
class Tools:
    """Everything loaded once for a run: NLP toolkit, the language detector, the copy model, each language's noise rules."""

    toolkit: Toolkit
    detector: object  # lingua LanguageDetector
    copy_model: CopyModel = field(default_factory=load_copy_model)
    noise: Mapping[str, NoiseRules] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "noise", {code: NoiseRules.from_resources(r) for code, r in self.toolkit.languages.items()})


@dataclass(frozen=True, slots=True)
class AnalyseTask:
    """The analyses of one batch of documents, wherever an executor runs it (a Dask worker, this process)."""

    settings: AnalysisSettings
    references: Mapping[str, dt.date] = field(default_factory=dict)  # inferred publication days, by document id

    def __call__(self, tools: Tools, documents: Sequence[Document]) -> tuple[tuple[Analysis, ...], tuple[InputFailure, ...]]:
        """The analyses, and the documents that failed: when the batch fails, each is analysed alone."""
        try:
            return tuple(analyse(documents, tools.toolkit, self.settings, references=self.references)), ()
        except Exception:  # noqa: BLE001 - find the document at fault, keep the others
            log.debug("analysis of a batch failed; retrying document by document", exc_info=True)
        analyses: list[Analysis] = []
        failures: list[InputFailure] = []
        for document in documents:
            try:
                analyses.extend(analyse([document], tools.toolkit, self.settings, references=self.references))
            except Exception as error:  # noqa: BLE001
                failures.append(InputFailure(document.source, f"analysis failed ({_describe(error)})"))
        return tuple(analyses), tuple(failures)


def run(
    sources: Iterable[str | RawDocument],
    *,
    tools: Tools,
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
    executor: Executor | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> RunReport:
    """Ingest, clean, analyse and store new documents, then derive events and claims.

    `sources` are paths, directories or URLs to read, or documents already read
    (a crawler that knows each page's URL and outlet passes `RawDocument`s).
    Cleaning, copies and storing run here; analysis runs on `executor` (this
    process by default), batch by batch, and each batch is stored in one
    transaction, in input order, as its analyses come back. One writer at a
    time holds the store (`on_wait` is told when another does), so concurrent
    runs end as if run one after the other; a failing document is reported in
    `RunReport.failures` and the others go on."""
    report = RunReport()
    notify = progress or _silent
    executor = executor or SerialExecutor(tools)
    given = list(sources)
    listing = scan_sources([s for s in given if not isinstance(s, RawDocument)], settings.ingest)
    report.left_out.extend(listing.skipped)
    documents = [s for s in given if isinstance(s, RawDocument)]
    with store.lock(on_wait):
        copies: tuple[CopyDetector, StoredCopies] | None = None  # opened when a first new document is analysed
        raw = _read_all(documents, listing.sources, settings, report, notify)
        batches = _new_documents(raw, tools, store, settings, report, notify)
        analysing: deque[list[Document]] = deque()

        def submitted() -> Iterator[list[Document]]:
            for batch in batches:
                analysing.append(batch)
                yield batch

        analysed = 0
        for analyses, failures in executor.map(AnalyseTask(settings.analysis), submitted()):
            batch = analysing.popleft()
            report.failures.extend(failures)
            done = {a.document_id for a in analyses}
            kept = tuple(d for d in batch if d.id in done)
            if kept:
                if copies is None:
                    copies = _copy_detector(store, tools, settings)
                detector, index = copies
                links = tuple(detector.add(list(kept)))
                index.given(len(kept))
                report.stored += store.save_batch(DocumentBatch(kept, analyses, links, copy_index=index.update()))
                index.saved()
                report.copies += len(links)
            analysed += len(batch)
            notify("analyse", len(batch), analysed)
        stored = store.counts().documents
        if store.counts().derived_from != stored:
            _derive_and_save(store, tools, settings, notify, stored, executor)
        return _count_results(report, store, stored)


def _copy_detector(store: Store, tools: Tools, settings: Settings) -> tuple[CopyDetector, StoredCopies]:
    """The copy detector over the copy index kept in the store, opened under the run's lock (so it
    holds what every earlier writer stored) when the run first has a new document to compare: each
    new document looks its candidates up by key and reads only those, never every stored document."""
    languages = tools.toolkit.languages.values()
    detector = CopyDetector(settings.copies, wire_agencies(languages), model=tools.copy_model, calendar=calendar_anchors(languages))
    return detector, open_copies(store, detector)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _derive_and_save(store: Store, tools: Tools, settings: Settings, notify: Progress, stored: int, executor: Executor) -> None:
    corpus = store.load()
    notify("derive", 0, DERIVE_STEPS)
    placed = place_events(corpus, tools, settings)
    notify("derive", 1, DERIVE_STEPS)
    reanchored = _reanchor(corpus, placed.inferred, tools, executor, settings)
    if reanchored:
        # Relative dates of documents stating no day move to the day their event infers;
        # the events keep their documents, their records are made again from the new dates.
        redated = {a.document_id: a for a in reanchored}
        corpus = replace(corpus, analyses=tuple(redated.get(a.document_id, a) for a in corpus.analyses))
        placed = place_events(corpus, tools, settings, links=placed.links, units=placed.context.units)
    results = compare_events(corpus, tools, settings, placed, executor)
    notify("derive", 1, DERIVE_STEPS)
    # One transaction: a crash leaves either the old results and analyses or the new ones.
    store.save_results(replace(results, documents=stored), reanalysed=reanchored)
    notify("derive", 1, DERIVE_STEPS)


def _count_results(report: RunReport, store: Store, stored: int) -> RunReport:
    counts = store.counts()  # counted by the database: no record is read
    report.documents = stored
    report.events = counts.events
    report.claims = counts.claims
    report.contradictions = counts.contradictions
    return report


def _read_all(
    documents: list[RawDocument], sources: Sequence[str], settings: Settings, report: RunReport, notify: Progress
) -> Iterator[RawDocument]:
    total = len(documents) + len(sources)
    for raw in documents:
        notify("read", 1, total)
        yield raw
    for source in sources:
        try:
            contents = read_contents(source, settings.ingest)
        except InputError as error:
            report.failures.append(InputFailure(error.source, error.reason))
            notify("read", 1, total)
            continue
        except Exception as error:  # noqa: BLE001 - a reader bug costs one file, not the batch
            log.debug("reading %s failed", source, exc_info=True)
            report.failures.append(InputFailure(source, f"cannot read ({_describe(error)})"))
            notify("read", 1, total)
            continue
        report.failures.extend(contents.failures)
        notify("read", 1, total)
        yield from contents.documents


def _new_documents(
    raw: Iterator[RawDocument], tools: Tools, store: Store, settings: Settings, report: RunReport, notify: Progress
) -> Iterator[list[Document]]:
    """Batches of cleaned documents neither stored nor met earlier in this run (an executor
    may ask for the next batch before the previous ones are stored)."""
    seen: set[str] = set()
    while chunk := list(islice(raw, settings.analysis.batch_size)):
        documents = _clean_new(chunk, tools, store, settings, report, seen)
        seen.update(d.id for d in documents)
        notify("clean", len(chunk))
        if documents:
            yield documents


def _clean_new(
    chunk: list[RawDocument], tools: Tools, store: Store, settings: Settings, report: RunReport, seen: set[str]
) -> list[Document]:
    documents: dict[str, Document] = {}
    for raw in chunk:
        try:
            # Noise rules are per language: detected before cleaning when the container declares none.
            document = clean_in_language(raw, tools.noise, settings.language, tools.detector, settings.clean)
        except Exception as error:  # noqa: BLE001 - one document fails alone
            log.debug("cleaning %s failed", raw.source, exc_info=True)
            report.failures.append(InputFailure(raw.source, f"cleaning failed ({_describe(error)})"))
            continue
        documents.setdefault(document.id, document)
    known = store.existing(documents) | (seen & documents.keys())
    report.skipped += len(known)
    return [d for i, d in documents.items() if i not in known]


def derive(corpus: Corpus, tools: Tools, settings: Settings, links: Sequence[EventLink] | None = None) -> CorpusResults:
    """Entities, events, propositions and contradictions over everything stored.

    Event links already stored are kept: only documents without one are clustered.
    Given `links`, clustering is skipped and only the records are rebuilt."""
    return compare_events(corpus, tools, settings, place_events(corpus, tools, settings, links))


@dataclass(frozen=True, slots=True)
class PlacedEvents:
    """The first half of `derive`: documents grouped into events and the events described
    (with the days they infer for documents stating none), nothing compared yet."""

    entities: tuple[Entity, ...]
    links: tuple[EventLink, ...]
    dispatches: tuple[Dispatch, ...]
    context: EventContext
    events: tuple[Event, ...]
    inferred: tuple[InferredDate, ...]


def place_events(
    corpus: Corpus, tools: Tools, settings: Settings, links: Sequence[EventLink] | None = None, units: UnitCache | None = None
) -> PlacedEvents:
    """Entities linked, documents clustered into events (only those without a stored link; none
    given `links`), events described (reusing the `units` of documents cut before, when given)."""
    languages = tools.toolkit.languages
    documents = list(corpus.documents)
    analyses = list(corpus.analyses)
    entities = tuple(link_entities(analyses))
    if links is None:
        clusterer = EventClusterer(settings.events, languages)
        links = cluster_corpus(clusterer, documents, analyses, corpus.results.event_links)
    links = tuple(links)
    dispatches = tuple(find_dispatches(documents, corpus.copies, wire_agencies(languages.values())))
    context = EventContext(
        documents={d.id: d for d in documents},
        analyses={a.document_id: a for a in analyses},
        resources=languages,
        copies=corpus.copies,
        same_source=[d.documents for d in dispatches],
        entities=entities,
        units={} if units is None else units,
    )
    events, inferred = describe_events(links, context, settings.events)
    return PlacedEvents(entities, links, dispatches, context, tuple(events), tuple(inferred))


def compare_events(
    corpus: Corpus, tools: Tools, settings: Settings, placed: PlacedEvents, executor: Executor | None = None
) -> CorpusResults:
    """The second half of `derive`: claims and figures of each event compared, disputes grouped.

    Events are compared one by one, so on an `executor` running tasks side by side they are
    split into runs of consecutive events (in id order), one task each, and the results joined
    in that order: what one task over every event gives."""
    analyses = list(corpus.analyses)
    context, events, inferred, links = placed.context, placed.events, placed.inferred, placed.links
    linked = CorpusResults(entities=placed.entities, events=events, event_links=links, inferred_dates=inferred)
    owners = claim_events(analyses, linked)
    claims_by_event: dict[str, list[Claim]] = {}
    for analysis in analyses:
        for claim in analysis.claims:
            if claim.id in owners:
                claims_by_event.setdefault(owners[claim.id], []).append(claim)
    texts = event_texts(links, context.documents, context.analyses, {d.document_id: d.date for d in inferred})
    days = {e.id: (e.start, e.end) for e in events}
    languages = {d.id: d.language or "" for d in corpus.documents}
    executor = executor or SerialExecutor(tools)
    parts = []
    for ids in _event_runs(claims_by_event, texts, executor.parallelism):
        documents = sorted(_documents_of(ids, claims_by_event, texts) & context.documents.keys())
        parts.append(EventsToCompare(
            claims_by_event={e: claims_by_event[e] for e in ids if e in claims_by_event},
            texts={e: texts[e] for e in ids if e in texts},
            event_days={e: days[e] for e in ids if e in days},
            document_texts={i: context.documents[i].text for i in documents},
            document_places={i: context.analyses[i].places for i in documents if i in context.analyses},
            copies=corpus.copies,
            same_source=context.same_source,
            document_languages=languages,
        ))
    compared = list(executor.map(CompareTask(settings), parts))
    return CorpusResults(
        entities=placed.entities,
        events=events,
        event_links=links,
        propositions=tuple(p for c in compared for p in c.propositions),
        contradictions=tuple(group_disputes([*(x for c in compared for x in c.claims), *(x for c in compared for x in c.figures)])),
        updates=tuple(u for c in compared for u in c.updates),
        inferred_dates=inferred,
        dispatches=placed.dispatches,
    )


@dataclass(frozen=True, slots=True)
class EventsToCompare:
    """What comparing some events reads: their claims and texts, and the corpus-wide copies."""

    claims_by_event: Mapping[str, Sequence[Claim]]
    texts: Mapping[str, Sequence[EventText]]
    event_days: Mapping[str, tuple[dt.date | None, dt.date | None]]
    document_texts: Mapping[str, str]  # of the documents of these claims and texts
    document_places: Mapping[str, Sequence[Place]]  # of the same documents
    copies: Sequence[CopyLink]
    same_source: Sequence[Collection[str]]
    document_languages: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Compared:
    propositions: tuple[Proposition, ...]
    claims: tuple[Contradiction, ...]  # between claims and reporters' statements
    figures: tuple[Contradiction, ...]  # between figures
    updates: tuple[Update, ...]


@dataclass(frozen=True, slots=True)
class CompareTask:
    """The claims and figures of some events compared, wherever an executor runs it."""

    settings: Settings

    def __call__(self, tools: Tools, part: EventsToCompare) -> Compared:
        settings, languages = self.settings, tools.toolkit.languages
        reported = {event_id: reporter_statements(texts) for event_id, texts in part.texts.items()}
        propositions, contradictions = compare_claims(
            part.claims_by_event, part.copies, {settings.language: languages[settings.language], **languages}, settings.claims,
            reported=reported, same_source=part.same_source, document_languages=part.document_languages,
            texts=part.document_texts, places=part.document_places,
        )
        figures, updates = compare_figures(
            part.texts, part.copies, part.same_source, languages, settings.language, settings.claims, event_days=part.event_days,
        )
        return Compared(tuple(propositions), tuple(contradictions), tuple(figures), tuple(updates))


# Runs of events per task running side by side: a few more than tasks, so that one long event
# does not keep the others waiting.
RUNS_PER_TASK = 2


def _event_runs(claims_by_event: Mapping[str, Sequence[Claim]], texts: Mapping[str, Sequence[EventText]], parallelism: int) -> list[list[str]]:
    """Every event to compare, in id order, cut into runs of about equal work (claims and sentences
    read): one run when tasks run one at a time."""
    events = sorted(claims_by_event.keys() | texts.keys())
    count = 1 if parallelism <= 1 else parallelism * RUNS_PER_TASK
    work = [1 + len(claims_by_event.get(e, ())) + sum(len(t.analysis.sentences) for t in texts.get(e, ())) for e in events]
    share = sum(work) / count
    runs: list[list[str]] = [[]]
    done = 0
    for event, cost in zip(events, work):
        if runs[-1] and done >= share * len(runs) and len(runs) < count:
            runs.append([])
        runs[-1].append(event)
        done += cost
    return runs


def _documents_of(events: Sequence[str], claims_by_event: Mapping[str, Sequence[Claim]], texts: Mapping[str, Sequence[EventText]]) -> set[str]:
    return {c.span.document_id for e in events for c in claims_by_event.get(e, ())} | {t.document.id for e in events for t in texts.get(e, ())}


def _reanchor(
    corpus: Corpus, inferred_dates: Sequence[InferredDate], tools: Tools, executor: Executor, settings: Settings
) -> list[Analysis]:
    """Analyses of documents whose inferred publication day they were not resolved against, resolved
    against it: from the time phrases each keeps (no parse), or, for an analysis stored before
    phrases were kept, analysed again on `executor`. In the order of the stored documents."""
    inferred = {d.document_id: d.date for d in inferred_dates}
    analyses = {a.document_id: a for a in corpus.analyses}
    stale = [d for d in corpus.documents if d.id in inferred and d.id in analyses and analyses[d.id].reference_day != inferred[d.id]]
    redated = {d.id: redate(analyses[d.id], d, tools.toolkit, inferred[d.id]) for d in stale if analyses[d.id].time_phrases is not None}
    unkept = iter([d for d in stale if d.id not in redated])
    batches = iter(lambda: list(islice(unkept, settings.analysis.batch_size)), [])
    task = AnalyseTask(settings.analysis, references={d.id: inferred[d.id] for d in stale})
    for analysed, failures in executor.map(task, batches):
        if failures:
            raise RuntimeError(f"re-dating failed: {failures[0]}")
        redated.update((a.document_id, a) for a in analysed)
    return [redated[d.id] for d in stale]
