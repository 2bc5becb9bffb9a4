"""Storage behind one small interface: stages never touch a database.

`open_store(url)` picks the implementation: "memory://" for tests, a file path
or "sqlite:///path" for SQLite (the default), "postgresql://..." later.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from recoupe.model import Analysis, Corpus, CorpusResults, Document, DocumentBatch


class Store(Protocol):
    def existing(self, document_ids: Iterable[str]) -> set[str]:
        """The ids among these that are already stored."""

    def save_batch(self, batch: DocumentBatch) -> int:
        """Store new documents with their analyses and copy links in one transaction.

        Documents already stored are skipped; returns how many were new."""

    def save_results(self, results: CorpusResults) -> None:
        """Replace the cross-document results (entities, events, claims' groups) in one transaction."""

    def documents(self) -> Iterator[Document]:
        """Every stored document, streamed in insertion order."""

    def analyses(self) -> Iterator[Analysis]:
        """Every stored analysis, streamed in insertion order."""

    def load(self) -> Corpus:
        """Everything stored, for exports, the report and the web UI."""

    def close(self) -> None: ...
