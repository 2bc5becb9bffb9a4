"""The main job: sources → stored documents, analyses, copies, then events and claims.

Per-document stages run on bounded batches (memory does not grow with the
corpus) and each batch is saved in one transaction, so a crash loses nothing
already stored and a rerun skips what is there. Cross-document stages then
derive entities, events, propositions and contradictions from the store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from recoupe.clean import clean
from recoupe.copies import CopyDetector
from recoupe.errors import InputError
from recoupe.ingest import iter_sources, read_source
from recoupe.model import Document, DocumentBatch, InputFailure, RawDocument, RunReport
from recoupe.nlp.analyse import Toolkit, analyse
from recoupe.settings import Settings
from recoupe.store import Store

log = logging.getLogger(__name__)

# Called with (stage, units done); the CLI draws progress bars from it.
Progress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class Tools:
    """Everything loaded once for a run: NLP toolkit and the language detector."""

    toolkit: Toolkit
    detector: object  # lingua LanguageDetector


def run(
    sources: Iterable[str],
    *,
    tools: Tools,
    store: Store,
    settings: Settings,
    progress: Progress | None = None,
) -> RunReport:
    """Ingest, clean, analyse and store new documents, then derive events and claims."""
    report = RunReport()
    notify = progress or (lambda stage, done: None)
    copies = CopyDetector(settings.copies)
    copies.add(list(store.documents()))
    raw = _read_all(sources, settings, report, notify)
    while chunk := list(islice(raw, settings.analysis.batch_size)):
        documents = _clean_new(chunk, tools, store, settings, report)
        if documents:
            analyses = tuple(analyse(documents, tools.toolkit, settings.analysis))
            links = tuple(copies.add(documents))
            report.stored += store.save_batch(DocumentBatch(tuple(documents), analyses, links))
            report.copies += len(links)
        notify("analyse", len(chunk))
    results = derive(store, tools, settings)
    store.save_results(results)
    report.events = len(results.events)
    report.contradictions = len(results.contradictions)
    return report


def _read_all(sources: Iterable[str], settings: Settings, report: RunReport, notify: Progress) -> Iterator[RawDocument]:
    for source in iter_sources(sources):
        try:
            documents = read_source(source, settings.ingest)
        except InputError as error:
            log.warning("%s", error)
            report.failures.append(InputFailure(error.source, error.reason))
            continue
        notify("read", 1)
        yield from documents


def _clean_new(chunk: list[RawDocument], tools: Tools, store: Store, settings: Settings, report: RunReport) -> list[Document]:
    documents: dict[str, Document] = {}
    for raw in chunk:
        resources = tools.toolkit.languages.get(raw.language or "", tools.toolkit.languages[settings.language])
        document = clean(raw, resources, tools.detector, settings.clean)
        documents.setdefault(document.id, document)
    known = store.existing(documents)
    report.skipped += len(known)
    return [d for i, d in documents.items() if i not in known]
