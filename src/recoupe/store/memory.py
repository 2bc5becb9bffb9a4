"""The in-memory twin of the SQLite store: same contract, no database; tests use it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from recoupe.claims import claim_refs, event_claims
from recoupe.errors import StoreError
from recoupe.model import (
    Analysis,
    Claim,
    CopyEntry,
    CopyIndexState,
    CopyIndexUpdate,
    CopyLink,
    CopyMatches,
    Corpus,
    CorpusResults,
    Document,
    DocumentBatch,
    EventListing,
    EventQuery,
    SearchHit,
    StoreCounts,
)
from recoupe.events import event_documents
from recoupe.store import listing
from recoupe.store import search as text_search


@dataclass(frozen=True, slots=True)
class _Tokens:
    """A unit's folded words, their stem forms and the skeletons of its long words, computed once on save."""

    words: list[str]
    stems: frozenset[str]
    variants: list[str]


class MemoryStore:
    """Dicts keep insertion order, which is the order `documents()` and `analyses()` stream."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}
        self._analyses: dict[str, Analysis] = {}
        self._copies: dict[tuple[str, str], CopyLink] = {}
        self._results = CorpusResults()
        self._index: list[tuple[text_search.Searchable, _Tokens]] = []
        self._stemmers = text_search.Stemmers.load()
        self._lock = threading.Lock()
        self._writes = 0
        # The copy index (see store.copy_index): held documents (arrival, signature), band keys and
        # anchor-pair postings (ids in arrival order), anchor counts.
        self._copy_held: dict[str, tuple[int, str | None]] = {}
        self._copy_signatures: dict[str, str] = {}
        self._copy_bands: dict[int, dict[str, None]] = {}
        self._copy_pairs: dict[int, dict[str, None]] = {}
        self._copy_anchors: Counter[int] = Counter()
        self._copy_state = CopyIndexState()
        self._facets: tuple[int, list[listing.EventFacets]] | None = None
        self._lock_facets = threading.Lock()

    def existing(self, document_ids: Iterable[str]) -> set[str]:
        return {i for i in document_ids if i in self._documents}

    def save_batch(self, batch: DocumentBatch) -> int:
        # Compute the whole new state first, then swap it in: a failing batch changes nothing.
        documents = dict(self._documents)
        for document in batch.documents:
            documents.setdefault(document.id, document)
        new = len(documents) - len(self._documents)
        analyses = dict(self._analyses)
        for analysis in batch.analyses:
            if analysis.document_id not in documents:
                raise StoreError(f"analysis of unknown document {analysis.document_id!r}")
            analyses.setdefault(analysis.document_id, analysis)
        copies = dict(self._copies)
        for link in batch.copies:
            for end in (link.copy, link.original):
                if end not in documents:
                    raise StoreError(f"copy link names unknown document {end!r}")
            copies.setdefault((link.copy, link.original), link)
        index = list(self._index)
        for document in list(documents.values())[len(self._documents):]:
            unit = text_search.searchable_document(document)
            index.append((unit, self._tokens(unit)))
        for analysis in list(analyses.values())[len(self._analyses):]:
            for claim in analysis.claims:
                unit = text_search.searchable_claim(claim, documents[analysis.document_id])
                index.append((unit, self._tokens(unit)))
        if batch.copy_index is not None:
            self._save_copy_index(batch.copy_index, documents)
        self._documents, self._analyses, self._copies, self._index = documents, analyses, copies, index
        self._writes += 1
        return new

    def replace_analyses(self, analyses: Iterable[Analysis]) -> None:
        self._analyses, self._index = self._replaced(analyses)
        self._writes += 1

    def _replaced(self, analyses: Iterable[Analysis]) -> tuple[dict[str, Analysis], list[tuple[text_search.Searchable, _Tokens]]]:
        replaced = dict(self._analyses)
        for analysis in analyses:
            if analysis.document_id not in replaced:
                raise StoreError(f"no stored analysis of document {analysis.document_id!r} to replace")
            replaced[analysis.document_id] = analysis
        index = [(unit, tokens) for unit, tokens in self._index if unit.claim_id is None]
        for analysis in replaced.values():
            for claim in analysis.claims:
                unit = text_search.searchable_claim(claim, self._documents[analysis.document_id])
                index.append((unit, self._tokens(unit)))
        return replaced, index

    def save_results(self, results: CorpusResults, reanalysed: Iterable[Analysis] = ()) -> None:
        for name in ("entities", "events", "propositions"):
            ids = [value.id for value in getattr(results, name)]
            if len(set(ids)) != len(ids):
                raise StoreError(f"results not saved: duplicate ids among {name}")
        reanalysed = list(reanalysed)
        if reanalysed:
            self._analyses, self._index = self._replaced(reanalysed)
        self._results = results
        self._writes += 1

    def version(self) -> str:
        return str(self._writes)

    @contextmanager
    def lock(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Writers of one process take turns (threads); the store lives in this process only."""
        if not self._lock.acquire(blocking=False):
            if on_wait:
                on_wait("waiting for another writer of this in-memory store")
            self._lock.acquire()
        try:
            yield
        finally:
            self._lock.release()

    def documents(self) -> Iterator[Document]:
        yield from list(self._documents.values())

    def analyses(self) -> Iterator[Analysis]:
        yield from list(self._analyses.values())

    def document(self, document_id: str) -> Document | None:
        return self._documents.get(document_id)

    def analysis(self, document_id: str) -> Analysis | None:
        return self._analyses.get(document_id)

    def results(self) -> CorpusResults:
        return self._results

    def claims(self, event_id: str) -> list[Claim]:
        linked = event_documents(event_id, self._results)
        proposed = {cid for p in self._results.propositions if p.event_id == event_id for cid in p.claim_ids}
        candidates = [
            a for a in self._analyses.values()
            if a.document_id in linked or any(c.id in proposed for c in a.claims)
        ]
        return event_claims(event_id, candidates, self._results)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        parsed = text_search.parse_query(query, self._stemmers)
        if not parsed.words or limit <= 0:
            return []
        return text_search.merge_hits([self._search(parsed, match) for match in text_search.Match], limit)

    def _search(self, query: text_search.Query, match: text_search.Match) -> list[SearchHit]:
        """Every indexed unit scored by its matching words; a stable sort keeps insertion order on ties."""
        scored = [(score, unit) for unit, tokens in self._index if (score := _score(query, unit, tokens, match))]
        scored.sort(key=lambda item: -item[0])
        return [unit.hit(query, match) for _, unit in scored]

    def _tokens(self, unit: text_search.Searchable) -> _Tokens:
        folded = text_search.words(unit.text)
        stems = frozenset(self._stemmers.stems(unit.text, unit.language))
        return _Tokens(folded, stems, unit.variants)

    def counts(self) -> StoreCounts:
        results = self._results
        claims = sum(len({c.id for c in a.claims}) for a in self._analyses.values())
        return StoreCounts(
            len(self._documents), len(results.events), len(self._copies), len(results.dispatches),
            claims, len(results.contradictions), results.documents,
        )

    def list_events(self, query: EventQuery) -> EventListing:
        with self._lock_facets:
            if self._facets is None or self._facets[0] != self._writes:
                facets = listing.event_facets(
                    self._results,
                    {i: listing.document_ref(d) for i, d in self._documents.items()},
                    claim_refs(self._analyses.values()),
                    listing.label_languages(),
                )
                self._facets = (self._writes, facets)
            facets = self._facets[1]
        return listing.list_events(self._results, facets, query)

    def document_ids(self, offset: int = 0, limit: int = 50) -> list[str]:
        return list(self._documents)[max(0, offset) : max(0, offset) + max(0, limit)]

    def records(self, document_ids: Iterable[str] = (), event_ids: Iterable[str] = ()) -> Corpus:
        return listing.slice_corpus(self.load(), document_ids, event_ids)

    def event_links(self, event_ids: Iterable[str]) -> list[EventLink]:
        wanted = set(event_ids)
        return [link for link in self._results.event_links if link.event_id in wanted]

    def window(self, start: dt.date, end: dt.date) -> Corpus:
        return listing.window_corpus(self.load(), start, end)

    def copy_index(self) -> CopyIndexState:
        return dataclasses.replace(self._copy_state, held=len(self._copy_held))

    def copy_matches(self, signature: str, bands: Iterable[int], pairs: Iterable[int]) -> CopyMatches:
        exact = self._copy_signatures.get(signature)
        banded = {i: None for key in sorted(set(bands)) for i in self._copy_bands.get(key, ())}
        postings = {pair: tuple(self._copy_pairs[pair]) for pair in set(pairs) if pair in self._copy_pairs}
        named = {*banded, *(i for p in postings.values() for i in p), *([exact] if exact else [])}
        return CopyMatches(exact, tuple(banded), postings, {i: self._copy_held[i][0] for i in named})

    def anchor_counts(self, anchors: Iterable[int]) -> dict[int, int]:
        return {a: self._copy_anchors[a] for a in set(anchors) if self._copy_anchors.get(a, 0) > 0}

    def oldest_copies(self, limit: int) -> list[CopyEntry]:
        ordered = sorted(self._copy_held.items(), key=lambda item: item[1][0])[: max(0, limit)]
        return [CopyEntry(i, arrival, signature) for i, (arrival, signature) in ordered]

    def _save_copy_index(self, update: CopyIndexUpdate, documents: Mapping[str, Document]) -> None:
        """Checked first, then applied: a failing update changes nothing."""
        for entry in update.added:
            if entry.document_id not in documents:
                raise StoreError(f"copy index entry of unknown document {entry.document_id!r}")
        held = {} if update.reset else self._copy_held
        if len({e.document_id for e in update.added}) != len(update.added) or any(e.document_id in held for e in update.added):
            raise StoreError("copy index entry of a document held already")
        if update.reset:
            self._copy_held, self._copy_bands, self._copy_pairs, self._copy_anchors = {}, {}, {}, Counter()
            self._copy_signatures = {}
        for entry in update.added:
            self._copy_held[entry.document_id] = (entry.arrival, entry.signature)
            if entry.signature is not None:
                self._copy_signatures[entry.signature] = entry.document_id
            for key in entry.bands:
                self._copy_bands.setdefault(key, {})[entry.document_id] = None
            for pair in entry.pairs:
                self._copy_pairs.setdefault(pair, {})[entry.document_id] = None
            self._copy_anchors.update(set(entry.anchors))
        for entry in update.forgotten:
            gone = entry.document_id
            _, signature = self._copy_held.pop(gone, (0, None))
            if signature is not None:
                self._copy_signatures.pop(signature, None)
            for table in (self._copy_bands, self._copy_pairs):
                for key in [k for k, ids in table.items() if gone in ids]:
                    del table[key][gone]
                    if not table[key]:
                        del table[key]
            self._copy_anchors.subtract(set(entry.anchors))
        self._copy_anchors = Counter({a: n for a, n in self._copy_anchors.items() if n > 0})
        self._copy_state = CopyIndexState(update.fingerprint, update.seen, 0, update.arrivals)

    def load(self) -> Corpus:
        return Corpus(
            documents=tuple(self._documents.values()),
            analyses=tuple(self._analyses.values()),
            copies=tuple(self._copies.values()),
            results=self._results,
        )

    def close(self) -> None:
        pass


def _score(query: text_search.Query, unit: text_search.Searchable, tokens: _Tokens, match: text_search.Match) -> int:
    """How many words of the unit match the query; 0 unless every query word is among them."""
    exact = [w for w in tokens.words if w in query.words]
    if match is text_search.Match.EXACT:
        return len(exact) if set(exact) >= set(query.words) else 0
    if match is text_search.Match.STEM:
        wanted = query.stems(unit.language)
        if not all(forms & tokens.stems for forms in wanted):
            return 0
        return len(tokens.stems & frozenset().union(*wanted))
    skeletons = set(query.skeletons)
    variants = [v for v in tokens.variants if v in skeletons]
    complete = set(exact) >= set(query.exact_words) and set(variants) >= skeletons
    return len(exact) + len(variants) if complete else 0
