"""`recoupe eval PATH`: run the whole pipeline on a gold corpus in memory, then score every stage.

A corpus folder holds `articles/` and either `gold.json` (seeds: full gold) or
`labels.json` (dev: events and copies only).
"""

from __future__ import annotations

import json
from contextlib import closing
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from recoupe.errors import GoldError
from recoupe.ingest import read_contents, with_url
from recoupe.model import Analysis, Corpus, Document, DocumentBatch, RawDocument
from recoupe.pipeline import Tools, run
from recoupe.settings import Settings
from recoupe.store import Store, open_store


class Scores(Protocol):
    def lines(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Every stage's scores on one corpus, in pipeline order."""

    corpus: str
    sections: tuple[tuple[str, Scores], ...] = field(default_factory=tuple)

    def lines(self) -> list[str]:
        out = [f"# {self.corpus}"]
        for title, scores in self.sections:
            out.append(f"## {title}")
            out.extend(f"  {line}" for line in scores.lines())
        return out

    def get(self, title: str) -> Scores:
        return dict(self.sections)[title]


@dataclass(frozen=True, slots=True)
class Processed:
    """A corpus through `recoupe run`: the store at the end, and the documents and analyses
    as first stored (before relative dates move to inferred days), which is what the
    event stage clustered."""

    corpus: Corpus
    documents: tuple[Document, ...]
    analyses: tuple[Analysis, ...]


class _Recording:
    """A store that keeps each batch as first saved, and passes everything on."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.saved: list[DocumentBatch] = []

    def save_batch(self, batch: DocumentBatch) -> int:
        self.saved.append(batch)
        return self._store.save_batch(batch)

    def __getattr__(self, name: str):
        return getattr(self._store, name)


def read_corpus(path: Path, *, tools: Tools, settings: Settings, crawled: bool = True) -> Processed:
    """The pipeline's output on `path/articles`, from a throw-away in-memory store.

    With `crawled`, where `labels.json` records each page's URL and outlet, they are
    attached as a crawler would (the URL's date refines a month-only publication
    date); the labels' own answers (`published`, `event`, `copy_of`) are never read here."""
    articles = path / "articles"
    if not articles.is_dir():
        raise GoldError(f"{path}: no articles/ folder")
    sources: list[str | RawDocument] = [str(articles)]
    if crawled and (path / "labels.json").exists():
        sources = list(_crawled(articles, read_json(path / "labels.json"), settings))
    with closing(open_store("memory://")) as store:
        recording = _Recording(store)
        run(sources, tools=tools, store=recording, settings=settings)  # type: ignore[arg-type]
        documents = tuple(d for batch in recording.saved for d in batch.documents)
        analyses = tuple(a for batch in recording.saved for a in batch.analyses)
        return Processed(store.load(), documents, analyses)


def process_corpus(path: Path, *, tools: Tools, settings: Settings, crawled: bool = True) -> Corpus:
    """The pipeline's output on `path/articles` (see `read_corpus`)."""
    return read_corpus(path, tools=tools, settings=settings, crawled=crawled).corpus


def _crawled(articles: Path, labels: list, settings: Settings) -> Iterator[str | RawDocument]:
    """Each article with the URL and outlet its crawl recorded; files without a record as they are."""
    pages = {record["file"]: record for record in labels}
    for file in sorted(articles.iterdir()):
        record = pages.get(file.name)
        if record is None or not record.get("url"):
            yield str(file)
            continue
        for raw in read_contents(str(file), settings.ingest).documents:
            yield with_url(replace(raw, outlet=raw.outlet or record.get("outlet")), record["url"])


def evaluate_corpus(path: Path, *, tools: Tools, settings: Settings) -> Evaluation:
    corpus = process_corpus(path, tools=tools, settings=settings)
    return score_corpus(path, corpus)


def score_corpus(path: Path, corpus: Corpus) -> Evaluation:
    """Score a processed corpus against whichever gold files the folder holds."""
    sections: list[tuple[str, Scores]] = []
    if (path / "gold.json").exists():
        sections = _seed_sections(corpus, read_json(path / "gold.json"))
    elif (path / "labels.json").exists():
        sections = _dev_sections(corpus, read_json(path / "labels.json"), path.name)
        if (labelled := claim_labels(path)) is not None:
            language = labelled.get("language", "")
            sections.append((f"claims ({language} labels)", _labelled_claims(corpus, labelled)))
            for batch, about in labelled.get("batches", {}).items():  # e.g. the fit set apart from claims read later
                subset = dict(labelled, claims=[c for c in labelled["claims"] if str(c.get("batch")) == batch])
                sections.append((f"claims ({language} labels, batch {batch}: {about})", _labelled_claims(corpus, subset)))
    if (path / "contradictions.json").exists():
        sections.append(_contradiction_section(corpus, read_json(path / "contradictions.json")))
    if not sections:
        raise GoldError(f"{path}: no gold.json, labels.json or contradictions.json")
    return Evaluation(str(path), tuple(sections))


def _contradiction_section(corpus: Corpus, gold: dict) -> tuple[str, Scores]:
    from recoupe.evaluate.contradictions import score_contradictions

    results = corpus.results
    return "contradictions", score_contradictions(list(corpus.documents), results.contradictions, results.updates, gold)


def _seed_sections(corpus: Corpus, gold: dict) -> list[tuple[str, Scores]]:
    from recoupe.evaluate.analysis import score_entities_places
    from recoupe.evaluate.claims import score_claims
    from recoupe.evaluate.cleaning import score_cleaning
    from recoupe.evaluate.dates import score_dates
    from recoupe.evaluate.events import score_events

    documents = list(corpus.documents)
    analyses = list(corpus.analyses)
    results = corpus.results
    return [
        ("cleaning", score_cleaning(documents, gold)),
        ("entities and places", score_entities_places(documents, analyses, list(results.entities), gold)),
        ("dates", score_dates(documents, analyses, gold)),
        ("claims", score_claims(documents, analyses, list(results.contradictions), gold, entities=list(results.entities))),
        ("events", score_events(documents, list(results.event_links), gold, inferred=list(results.inferred_dates))),
    ]


def _dev_sections(corpus: Corpus, labels: list, name: str) -> list[tuple[str, Scores]]:
    from recoupe.evaluate.claims import LABELS, load_labels, score_hedges, score_read
    from recoupe.evaluate.copies import score_copy_groups
    from recoupe.evaluate.events import look_alike_families, score_events

    from recoupe.evaluate.reading import read_corpus

    documents = list(corpus.documents)
    sections: list[tuple[str, Scores]] = [
        ("copies", score_copy_groups(documents, list(corpus.copies), list(corpus.results.dispatches), labels)),
        (
            "events",
            score_events(
                documents, list(corpus.results.event_links), labels, hard_negatives=look_alike_families(name)
            ),
        ),
    ]
    hedges = score_hedges(documents, list(corpus.analyses), load_labels("dev_hedges.json"))
    if hedges.items:  # the labels name this corpus's documents and anchors
        sections.append(("hedges (labelled claims)", hedges))
    for record in sorted(LABELS.glob(f"{name}_claims_read*.json")):  # samples of this corpus's claims read by hand
        read = score_read(documents, list(corpus.analyses), load_labels(record.name))
        sections.append((f"claims read by hand ({record.stem})", read))
    sections.append(("to read", read_corpus(documents, list(corpus.analyses), corpus.results)))
    return sections


CLAIM_LABELS = Path(__file__).parent / "claim_labels"


def claim_labels(path: Path) -> dict | None:
    """The claims labelled for this corpus in `evaluate/claim_labels/<folder name>.json`, if its files are here."""
    file = CLAIM_LABELS / f"{path.name}.json"
    if not file.exists():
        return None
    labels = read_json(file)
    missing = sorted({c["doc"] for c in labels["claims"]} - {p.name for p in (path / "articles").iterdir()})
    if missing:
        raise GoldError(f"{file.name}: labels files {missing[:3]} that {path} does not hold")
    return labels


def evaluate_claim_labels(path: Path, *, tools: Tools, settings: Settings) -> Scores:
    """The labelled claims of `path` scored on a run over the labelled files alone (the quality gate's shortcut)."""
    labels = claim_labels(path)
    if labels is None:
        raise GoldError(f"{path}: no claim labels in {CLAIM_LABELS.name}/")
    files = {c["doc"] for c in labels["claims"]}
    records = read_json(path / "labels.json") if (path / "labels.json").exists() else []
    sources = [s for s in _crawled(path / "articles", records, settings) if Path(s if isinstance(s, str) else s.source).name in files]
    with closing(open_store("memory://")) as store:
        run(sources, tools=tools, store=store, settings=settings)
        return _labelled_claims(store.load(), labels)


def _labelled_claims(corpus: Corpus, labels: dict) -> Scores:
    from recoupe.evaluate.claims import score_claims

    documents = list(corpus.documents)
    labelled = {c["doc"] for c in labels["claims"]}
    scores = score_claims(documents, list(corpus.analyses), (), labels, entities=list(corpus.results.entities))
    # Only the labelled files were read whole: other files' claims are not "unmatched".
    return replace(scores, unmatched=tuple(u for u in scores.unmatched if any(u.startswith(d[:3]) for d in labelled)))


def read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise GoldError(f"{path}: {error}") from error
