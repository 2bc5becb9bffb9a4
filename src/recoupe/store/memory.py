"""The in-memory twin of the SQLite store: same contract, no database; tests use it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from recoupe.errors import StoreError
from recoupe.model import (
    Analysis,
    Claim,
    CopyLink,
    Corpus,
    CorpusResults,
    Document,
    DocumentBatch,
    HitKind,
    SearchHit,
)
from recoupe.store import search as text_search
from recoupe.store.views import event_claims, event_documents


class MemoryStore:
    """Dicts keep insertion order, which is the order `documents()` and `analyses()` stream."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}
        self._analyses: dict[str, Analysis] = {}
        self._copies: dict[tuple[str, str], CopyLink] = {}
        self._results = CorpusResults()

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
        self._documents, self._analyses, self._copies = documents, analyses, copies
        return new

    def save_results(self, results: CorpusResults) -> None:
        self._results = results

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
        parsed = text_search.parse_query(query)
        if not parsed.words or limit <= 0:
            return []
        hits = self._search(parsed, by_skeleton=False)
        if not hits:
            hits = self._search(parsed, by_skeleton=True)
        return hits[:limit]

    def _search(self, query: text_search.Query, by_skeleton: bool) -> list[SearchHit]:
        scored: list[tuple[int, int, SearchHit]] = []
        for document in self._documents.values():
            title, body = text_search.document_fields(document)
            score = _score(query, f"{title}\n{body}", by_skeleton)
            if score:
                in_body = any(query.matches(w, by_skeleton) for w in text_search.words(body))
                text = body if in_body or not title else title
                hit = SearchHit(HitKind.DOCUMENT, document.id, None, text_search.snippet(text, query, by_skeleton))
                scored.append((score, len(scored), hit))
            analysis = self._analyses.get(document.id)
            for claim in analysis.claims if analysis else ():
                text = text_search.claim_text(claim, document)
                score = _score(query, text, by_skeleton)
                if score:
                    hit = SearchHit(HitKind.CLAIM, document.id, claim.id, text_search.snippet(text, query, by_skeleton))
                    scored.append((score, len(scored), hit))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [hit for _, _, hit in scored]

    def load(self) -> Corpus:
        return Corpus(
            documents=tuple(self._documents.values()),
            analyses=tuple(self._analyses.values()),
            copies=tuple(self._copies.values()),
            results=self._results,
        )

    def close(self) -> None:
        pass


def _score(query: text_search.Query, text: str, by_skeleton: bool) -> int:
    """How many words of the text match the query; 0 unless every query word is among them."""
    found = [w for w in text_search.words(text) if query.matches(w, by_skeleton)]
    if not found:
        return 0
    if by_skeleton:
        present = {text_search.skeleton(w) if len(w) >= text_search.MIN_SKELETON_LETTERS else w for w in found}
        needed = set(query.skeletons) | set(query.short_words)
    else:
        present, needed = set(found), set(query.words)
    return len(found) if needed <= present else 0
