"""`recoupe eval DEV DEV2`: every corpus scored with what was fitted on the others, three ways.

For each labelled corpus, the pair model fitted on the other corpora alone
(`recoupe/models/event_pairs.<others>.json`) is put in the settings, then the
whole pipeline runs on it (`run.read_corpus`): from the text alone, and with
each page's crawled URL and outlet. Arrival order replays the documents, as
first analysed by that pipeline run, into one event store one at a time and in
batches of 10, in three seeded random orders; the event stage is the one the
pipeline calls, and one batch of the same analyses is the reference.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from recoupe.evaluate.events import EventScores, look_alike_families, score_events
from recoupe.evaluate.fit import model_file_name
from recoupe.evaluate.run import read_corpus, read_json
from recoupe.events import EventClusterer
from recoupe.model import Analysis, Document, EventLink
from recoupe.pipeline import Tools
from recoupe.settings import Settings

ORDERS = (1, 2, 3)  # seeds of the random arrival orders
BATCHES = (1, 10)


@dataclass(frozen=True, slots=True)
class Row:
    corpus: str
    fitted_on: str
    reading: str
    events: tuple[EventScores, ...]  # one per order; one alone for a single batch
    reference_f1: float | None = None  # one batch of the same analyses, for arrival rows

    @property
    def f1(self) -> float:
        return min(e.f1 for e in self.events)

    @property
    def merged_look_alikes(self) -> int:
        return max(sum(not c.passed for c in e.checks if c.name.endswith("kept apart")) for e in self.events)

    @property
    def drift(self) -> float:
        """Largest F1 difference from one batch over the orders (arrival rows)."""
        if self.reference_f1 is None:
            return 0.0
        return max(abs(e.f1 - self.reference_f1) for e in self.events)

    def line(self) -> str:
        if len(self.events) == 1:
            e = self.events[0]
            scores = f"P {e.precision:.3f}  R {e.recall:.3f}  F1 {e.f1:.3f}"
        else:
            f1s = sorted(e.f1 for e in self.events)
            scores = f"F1 {' '.join(f'{f:.3f}' for f in f1s)}  max drift {self.drift:.3f}"
        return f"{self.corpus:6s} {self.fitted_on:10s} {self.reading:26s} {scores}  look-alikes merged {self.merged_look_alikes}"


@dataclass(frozen=True, slots=True)
class Protocol:
    rows: tuple[Row, ...] = field(default_factory=tuple)

    def lines(self) -> list[str]:
        header = f"{'corpus':6s} {'fitted on':10s} {'reading':26s} events (B-cubed)"
        return ["# across corpora: each scored with what was fitted on the others", header, *(r.line() for r in self.rows)]

    def row(self, corpus: str, reading: str) -> Row:
        return next(r for r in self.rows if r.corpus == corpus and r.reading == reading)


READINGS = ("text alone", "with URL and outlet", "1 at a time", "batches of 10")


def evaluate_across(paths: Sequence[Path], *, tools: Tools, settings: Settings) -> Protocol:
    """The table for labelled corpora `paths`: each with the models fitted on the others."""
    names = [p.name for p in paths]
    rows: list[Row] = []
    for path in paths:
        others = [n for n in names if n != path.name]
        fitted = replace(settings, events=replace(settings.events, model=model_file_name(others)))
        labels = read_json(path / "labels.json")
        families = look_alike_families(path.name)
        label = "+".join(others)
        for crawled, reading in ((False, READINGS[0]), (True, READINGS[1])):
            processed = read_corpus(path, tools=tools, settings=fitted, crawled=crawled)
            corpus = processed.corpus
            documents = list(corpus.documents)
            events = score_events(documents, list(corpus.results.event_links), labels, hard_negatives=families)
            rows.append(Row(path.name, label, reading, (events,)))
            if crawled:
                continue
            first = processed.analyses
            reference = score_events(documents, _arrive(documents, first, tools, fitted, len(documents), None), labels, hard_negatives=families)
            for size, reading_order in zip(BATCHES, READINGS[2:]):
                scores = tuple(
                    score_events(documents, _arrive(documents, first, tools, fitted, size, seed), labels, hard_negatives=families)
                    for seed in ORDERS
                )
                rows.append(Row(path.name, label, reading_order, scores, reference_f1=reference.f1))
    order = {reading: i for i, reading in enumerate(READINGS)}
    return Protocol(tuple(sorted(rows, key=lambda r: (r.corpus, order[r.reading]))))


def _arrive(
    documents: Sequence[Document], analyses: Sequence[Analysis], tools: Tools, settings: Settings, size: int, seed: int | None
) -> list[EventLink]:
    """Links after the documents arrive in batches of `size`, shuffled by `seed` (None: as stored)."""
    order = list(documents) if seed is None else random.Random(seed).sample(list(documents), len(documents))
    by_id = {a.document_id: a for a in analyses}
    clusterer = EventClusterer(settings.events, tools.toolkit.languages)
    links: list[EventLink] = []
    for start in range(0, len(order), size):
        batch = order[start : start + size]
        links = clusterer.add(batch, [by_id[d.id] for d in batch if d.id in by_id])
    return links


def models_needed(paths: Sequence[Path]) -> Mapping[str, str]:
    """Corpus name -> the model file its figures use."""
    names = [p.name for p in paths]
    return {n: model_file_name([o for o in names if o != n]) for n in names}
