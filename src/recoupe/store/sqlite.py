"""The SQLite store: the default, one file; full-text search by FTS5.

Opening a file creates it if needed and migrates it to the newest revision.
The search index is an FTS5 table: the title and text folded by the
"unicode61 remove_diacritics 2" tokenizer (exact tier), their Snowball stem
forms computed here with PyStemmer (stem tier), and consonant skeletons
(variant tier); see `store/search.py`.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from recoupe.errors import StoreError
from recoupe.model import HitKind, SearchHit
from recoupe.store import search as text_search
from recoupe.store.sql import SearchIndex, SqlStore, open_schema, rebuild_rows, refresh_search_keys

# Execution option marking a connection that writes (see `_on_begin`).
WRITE_OPTION = "recoupe_write"


def database_path(url: str) -> Path:
    """The file behind "sqlite:///path" or a bare path."""
    path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else url
    if not path or path == ":memory:" or url.startswith("sqlite://") and not url.startswith("sqlite:///"):
        raise StoreError(f"{url!r}: give a file path (sqlite:///path/to/recoupe.db); use memory:// for a throwaway store")
    return Path(path).expanduser()


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 would open transactions itself, late (at the first write)
    # and never for DDL; SQLAlchemy's recipe: let `_on_begin` issue BEGIN instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets the web UI read while a run writes; the timeout waits out the writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_begin(connection: Connection) -> None:
    # A writer takes the write lock at BEGIN, so two processes saving batches
    # queue up (busy_timeout) instead of both reading the same next `seq`.
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine(path: Path) -> Engine:
    engine = sa.create_engine(f"sqlite:///{path}")
    sa.event.listen(engine, "connect", _on_connect)
    sa.event.listen(engine, "begin", _on_begin)
    return engine


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction, committed on exit, rolled back on any exception."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            yield connection


class SqliteStore(SqlStore):
    """A SQLite file; "<file>.lock" beside it holds the run lock."""

    def __init__(self, engine: Engine, index: SearchIndex, stemmers: text_search.Stemmers, path: Path) -> None:
        super().__init__(engine, index, stemmers)
        self._path = path
        self._watcher: sqlite3.Connection | None = None
        self._version_lock = threading.Lock()

    @classmethod
    def open(cls, url: str) -> SqliteStore:
        path = database_path(url)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(path)
            stemmers = text_search.Stemmers.load()
            index = Fts5Index(stemmers)
            with writing(engine) as connection:
                open_schema(connection)
                refresh_search_keys(connection, index)
        except StoreError:
            raise
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"cannot open the store {str(path)!r}: {exc}") from exc
        return cls(engine, index, stemmers, path)

    def _writing(self) -> Iterator[Connection]:
        return writing(self._engine)

    def version(self) -> str:
        """SQLite's data_version, which changes on every commit by another connection (of any
        process), with the size and time of the file and its write-ahead log."""
        with self._version_lock:
            if self._watcher is None:
                self._watcher = sqlite3.connect(self._path, check_same_thread=False)
            parts = [str(self._watcher.execute("PRAGMA data_version").fetchone()[0])]
        for path in (self._path, self._path.with_name(self._path.name + "-wal")):
            try:
                status = path.stat()
            except OSError:
                parts.append("-")
                continue
            parts.append(f"{status.st_size}:{status.st_mtime_ns}")
        return "/".join(parts)

    @contextmanager
    def lock(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """An exclusive flock on "<file>.lock": the kernel frees it when its holder dies, even by kill -9."""
        with file_lock(self._path.with_name(self._path.name + ".lock"), str(self._path), on_wait):
            yield

    def close(self) -> None:
        with self._version_lock:
            if self._watcher is not None:
                self._watcher.close()
                self._watcher = None
        super().close()


@contextmanager
def file_lock(lock_path: Path, name: str, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """Hold `lock_path` exclusively; tell `on_wait` who holds it before blocking on it."""
    try:
        handle = open(lock_path, "a+")
    except OSError as exc:
        raise StoreError(f"cannot lock the store {name!r}: {exc.strerror or exc}") from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            if on_wait:
                on_wait(f"waiting for the other writer of {name} ({holder}) to finish…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


class Fts5Index:
    """The FTS5 table `search` (created by the migrations)."""

    def __init__(self, stemmers: text_search.Stemmers) -> None:
        self._stemmers = stemmers

    def add(self, connection: Connection, units: Sequence[text_search.Searchable]) -> None:
        if units:
            connection.execute(_INSERT, [search_row(unit, self._stemmers) for unit in units])

    def drop_claims(self, connection: Connection, document_id: str) -> None:
        connection.execute(sa.text("DELETE FROM search WHERE document_id = :id AND claim_id IS NOT NULL"), {"id": document_id})

    def rebuild_variants(self, connection: Connection) -> None:
        for batch in rebuild_rows(connection, "rowid"):
            connection.execute(sa.text("UPDATE search SET variants = :variants WHERE rowid = :key"), batch)

    def find(self, connection: Connection, query: text_search.Query, match: text_search.Match, limit: int) -> list[SearchHit]:
        expression = match_expression(query, match, self._stemmers.languages)
        if expression is None:
            return []
        rows = connection.execute(_FIND, {"match": expression, "limit": limit})
        return [
            text_search.Searchable(HitKind(kind), document_id, claim_id, title, body, language or None).hit(query, match)
            for kind, document_id, claim_id, title, body, language in rows
        ]


_INSERT = sa.text(
    "INSERT INTO search (kind, document_id, claim_id, language, title, body, stems, variants) "
    "VALUES (:kind, :document_id, :claim_id, :language, :title, :body, :stems, :variants)"
)
_FIND = sa.text(
    "SELECT kind, document_id, claim_id, title, body, language FROM search "
    "WHERE search MATCH :match ORDER BY rank LIMIT :limit"
)


def search_row(unit: text_search.Searchable, stemmers: text_search.Stemmers) -> dict[str, Any]:
    return {
        "kind": unit.kind.value, "document_id": unit.document_id, "claim_id": unit.claim_id,
        "language": unit.language or "", "title": unit.title, "body": unit.body,
        "stems": " ".join(stemmers.stems(unit.text, unit.language)), "variants": " ".join(unit.variants),
    }


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def match_expression(query: text_search.Query, match: text_search.Match, languages: Sequence[str]) -> str | None:
    """An FTS5 MATCH string: every word quoted (no operator injection), all required; None when the tier has nothing to ask."""
    if match is text_search.Match.EXACT:
        return "{title body} : (" + " AND ".join(map(_quoted, query.words)) + ")"
    if match is text_search.Match.STEM:
        # Only languages with a stemmer: in the others a word's one form is the exact tier's.
        per_language = []
        for language in languages:
            words = " AND ".join("(" + " OR ".join(map(_quoted, sorted(forms))) + ")" for forms in query.stems(language))
            per_language.append(f"(language : {_quoted(language)} AND stems : ({words}))")
        return " OR ".join(per_language) or None
    parts = [f"{{title body}} : {_quoted(w)}" for w in query.exact_words]
    parts += [f"variants : {_quoted(s)}" for s in query.skeletons]
    return " AND ".join(parts)
