"""Storage behind one small interface: stages never touch a database.

`open_store(url)` picks the implementation: "memory://" for tests, a file path
or "sqlite:///path" for SQLite (the default), "postgresql://user@host/db" for PostgreSQL.
Every implementation passes the same contract suite (tests/store/test_contract.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Protocol

from recoupe.errors import StoreError
from recoupe.model import (
    Analysis,
    Claim,
    CopyEntry,
    CopyIndexState,
    CopyMatches,
    Corpus,
    CorpusResults,
    Document,
    DocumentBatch,
    EventLink,
    EventListing,
    EventQuery,
    SearchHit,
    StoreCounts,
)


class Store(Protocol):
    def existing(self, document_ids: Iterable[str]) -> set[str]:
        """The ids among these that are already stored."""

    def save_batch(self, batch: DocumentBatch) -> int:
        """Store new documents with their analyses and copy links in one transaction.

        Documents already stored are skipped (with their analyses); returns how
        many were new. An analysis or copy link naming a document neither stored
        nor in the batch raises StoreError and the whole batch is rolled back. The batch's
        change to the copy index (`copy_index`) is applied in the same transaction."""

    def replace_analyses(self, analyses: Iterable[Analysis]) -> None:
        """Overwrite the stored analyses of already stored documents, in one transaction.

        Used when a later stage knows more than the first pass did (a publication
        day inferred from other reports re-anchors relative dates)."""

    def save_results(self, results: CorpusResults, reanalysed: Iterable[Analysis] = ()) -> None:
        """Replace the cross-document results (entities, events, claims' groups) in one transaction,
        with the stored analyses of `reanalysed` documents (re-dated by those results): a crash
        leaves both old or both new, never new analyses beside old results."""

    def version(self) -> str:
        """A value that changes whenever the store is written, by this process or another; cheap
        to call, so readers (the web app) can keep a snapshot until it changes."""

    def lock(self, on_wait: Callable[[str], None] | None = None) -> AbstractContextManager[None]:
        """Hold the store for one writer (a run) until exit; another writer waits for it.

        When the store is held, `on_wait` is told with a line naming the holder,
        then the call blocks until it is free. A killed holder frees it."""

    def documents(self) -> Iterator[Document]:
        """Every stored document, streamed in insertion order."""

    def analyses(self) -> Iterator[Analysis]:
        """Every stored analysis, streamed in insertion order."""

    def document(self, document_id: str) -> Document | None:
        """One stored document, or None."""

    def analysis(self, document_id: str) -> Analysis | None:
        """One document's analysis, or None."""

    def results(self) -> CorpusResults:
        """The cross-document results last saved (empty before the first save)."""

    def claims(self, event_id: str) -> list[Claim]:
        """The claims of an event: in its propositions or in the linked documents
        (within the link's span when it has one), ordered by document then offset."""

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Documents (title, cleaned text) and claims matching every word of `query`,
        ignoring case and accents; transliteration variants ("Tiotkino", "Tëtkino")
        match when the exact words find nothing. Best matches first."""

    def counts(self) -> StoreCounts:
        """How many documents, events, copy links and wire dispatches are stored."""

    def list_events(self, query: EventQuery) -> EventListing:
        """One page of the events list, filtered and sorted as `query` asks (`store.listing` defines
        both), from an index kept beside the results: no store-wide read."""

    def document_ids(self, offset: int = 0, limit: int = 50) -> list[str]:
        """Ids of stored documents in insertion order, a page at a time."""

    def records(self, document_ids: Iterable[str] = (), event_ids: Iterable[str] = ()) -> Corpus:
        """What pages over these documents and events read, by indexed lookups:
        `store.listing.slice_corpus` of everything stored (and equal to it)."""

    def event_links(self, event_ids: Iterable[str]) -> list[EventLink]:
        """Every link of these events, in storage order, by the index on the event id: what an
        event's record lists (`export.records.event_record`) without reading its documents."""

    def window(self, start: dt.date, end: dt.date) -> Corpus:
        """Documents published on a stated day from `start` to `end`, with their analyses and
        event links, by the index on the publication day (`store.listing.window_corpus`)."""

    def copy_index(self) -> CopyIndexState:
        """What the copy index kept in the store is (saved with each batch: `DocumentBatch.copy_index`)."""

    def copy_matches(self, signature: str, bands: Iterable[int], pairs: Iterable[int]) -> CopyMatches:
        """For one new document, by indexed lookups: the held document first held with its signature,
        those sharing a band key, each anchor pair's posting, and the arrival of each document named."""

    def anchor_counts(self, anchors: Iterable[int]) -> dict[int, int]:
        """How many held documents have each of these anchors (absent: none)."""

    def oldest_copies(self, limit: int) -> list[CopyEntry]:
        """The `limit` held documents of lowest arrival, oldest first (id, arrival and signature only)."""

    def load(self) -> Corpus:
        """Everything stored, for exports and the static report (the web UI reads pages, never this)."""

    def close(self) -> None: ...


def open_store(url: str) -> Store:
    """Open (creating and migrating if needed) the store at `url`.

    "memory://" -> in-memory store; "sqlite:///path/to.db" or a bare path -> SQLite;
    "postgresql://user:password@host:port/database" (or "postgres://") -> PostgreSQL."""
    if url == "memory://" or url.startswith("memory:"):
        from recoupe.store.memory import MemoryStore

        return MemoryStore()
    if url.startswith(("postgresql:", "postgres:", "postgresql+psycopg:")):
        from recoupe.store.postgres import PostgresStore

        return PostgresStore.open(url)
    if "://" in url and not url.startswith("sqlite:"):
        raise StoreError(f"unknown store URL {url.split('://', 1)[0]}://…: use memory://, a path, sqlite:///path or postgresql://…")
    from recoupe.store.sqlite import SqliteStore

    return SqliteStore.open(url)


__all__ = ["Store", "StoreError", "open_store"]
