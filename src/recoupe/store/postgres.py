"""The PostgreSQL store: many writers and readers, one server; full-text search by tsvector.

`postgresql://user:password@host:port/database` (psycopg 3). Opening creates
the schema if needed (the same Alembic revisions as SQLite) and the `unaccent`
extension, which a database owner may create. Writers queue on a transaction
advisory lock, as SQLite writers queue on BEGIN IMMEDIATE, so batches get
consecutive `seq` numbers.

Search (see `store/search.py`): `words` holds the unaccented words (exact
tier), `stems` the stems of the document's language configuration (`french`,
`english`: Snowball, the stemmers PyStemmer runs for SQLite) in both forms,
stemmed-then-unaccented and unaccented-then-stemmed, and `variants` the
consonant skeletons.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from recoupe.errors import StoreError
from recoupe.model import HitKind, SearchHit
from recoupe.store import search as text_search
from recoupe.store.sql import SqlStore, open_schema, rebuild_rows, refresh_search_keys

# Key of the advisory lock every writer of a Recoupe database takes.
WRITE_LOCK = zlib.crc32(b"recoupe-store-writer")
# Key of the session lock a run holds from start to end (`PostgresStore.lock`).
RUN_LOCK = zlib.crc32(b"recoupe-store-run")
# Tables whose rows' creating transactions (xmin) and counts make the store's version.
VERSIONED_TABLES = ("documents", "analyses", "copies", "results_other", "events", "event_links")
# The text search configuration of languages without a stemmer: lower-cased words.
SIMPLE = "simple"


def engine_url(url: str) -> sa.URL:
    """The SQLAlchemy URL (psycopg 3 driver) of a postgresql:// or postgres:// URL."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in {"postgresql", "postgres", "postgresql+psycopg"}:
        raise StoreError(f"not a PostgreSQL URL: {scheme}://…")
    try:
        return sa.make_url(f"postgresql+psycopg://{rest}")
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"bad PostgreSQL URL: {exc}") from exc


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction under the writers' lock, committed on exit, rolled back on any exception."""
    with engine.connect() as connection, connection.begin():
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
        yield connection


class PostgresStore(SqlStore):
    """A PostgreSQL database."""

    @classmethod
    def open(cls, url: str) -> PostgresStore:
        target = engine_url(url)
        shown = target.render_as_string(hide_password=True)
        try:
            engine = sa.create_engine(target, pool_pre_ping=True)
            stemmers = text_search.Stemmers.load()
            index = TsvectorIndex(stemmers)
            with writing(engine) as connection:
                open_schema(connection)
                refresh_search_keys(connection, index)
        except StoreError:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the store {shown!r}: {exc}") from exc
        store = cls(engine, index, stemmers)
        store._shown = shown
        return store

    def _writing(self) -> Iterator[Connection]:
        return writing(self._engine)

    def version(self) -> str:
        """Each table's row count and newest creating transaction: every commit that writes changes one."""
        parts = " UNION ALL ".join(
            f"SELECT '{name}', count(*), coalesce(max(xmin::text::bigint), 0) FROM {name}" for name in VERSIONED_TABLES
        )
        with self._engine.connect() as connection:
            rows = connection.execute(sa.text(parts)).all()
        return "/".join(f"{count}:{newest}" for _, count, newest in rows)

    @contextmanager
    def lock(self, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """A session advisory lock on one connection: the server frees it when its holder's connection dies."""
        with self._engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            key = {"key": RUN_LOCK}
            if not connection.scalar(sa.text("SELECT pg_try_advisory_lock(:key)"), key):
                holder = connection.scalar(
                    sa.text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :key AND granted LIMIT 1"), key
                )
                if on_wait:
                    on_wait(f"waiting for the other writer of {getattr(self, '_shown', 'the store')} (server pid {holder}) to finish…")
                connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), key)
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), key)


class TsvectorIndex:
    """The table `search` with three tsvector columns, each under a GIN index (created by the migrations)."""

    def __init__(self, stemmers: text_search.Stemmers) -> None:
        self._stemmers = stemmers

    def add(self, connection: Connection, units: Sequence[text_search.Searchable]) -> None:
        if units:
            connection.execute(_INSERT, [self._row(unit) for unit in units])

    def _row(self, unit: text_search.Searchable) -> dict[str, Any]:
        return {
            "kind": unit.kind.value, "document_id": unit.document_id, "claim_id": unit.claim_id,
            "language": unit.language or "", "title": unit.title, "body": unit.body, "text": unit.text,
            "config": self._stemmers.names.get(unit.language or "", SIMPLE), "variants": " ".join(unit.variants),
        }

    def drop_claims(self, connection: Connection, document_id: str) -> None:
        connection.execute(sa.text("DELETE FROM search WHERE document_id = :id AND claim_id IS NOT NULL"), {"id": document_id})

    def rebuild_variants(self, connection: Connection) -> None:
        update = sa.text("UPDATE search SET variants = to_tsvector('simple', CAST(:variants AS text)) WHERE seq = :key")
        for batch in rebuild_rows(connection, "seq"):
            connection.execute(update, batch)

    def find(self, connection: Connection, query: text_search.Query, match: text_search.Match, limit: int) -> list[SearchHit]:
        found = self._statement(query, match)
        if found is None:
            return []
        sql, params = found
        rows = connection.execute(sa.text(sql), {**params, "limit": limit})
        return [
            text_search.Searchable(HitKind(kind), document_id, claim_id, title, body, language or None).hit(query, match)
            for kind, document_id, claim_id, title, body, language in rows
        ]

    def _statement(self, query: text_search.Query, match: text_search.Match) -> tuple[str, dict[str, Any]] | None:
        """SQL and parameters of one tier; every word is a bound parameter."""
        terms = dict(zip(query.words, query.terms or query.words))
        if match is text_search.Match.EXACT:
            where = "words @@ plainto_tsquery('simple', unaccent(CAST(:exact AS text)))"
            return _ranked(where, "words", "plainto_tsquery('simple', unaccent(CAST(:exact AS text)))"), {"exact": " ".join(terms.values())}
        if match is text_search.Match.VARIANT:
            params: dict[str, Any] = {"skeletons": " ".join(query.skeletons)}
            where = "variants @@ plainto_tsquery('simple', :skeletons)"
            exact = [terms[w] for w in query.exact_words]
            if exact:
                params["exact"] = " ".join(exact)
                where += " AND words @@ plainto_tsquery('simple', unaccent(CAST(:exact AS text)))"
            return _ranked(where, "variants", "plainto_tsquery('simple', :skeletons)"), params
        parts, params = [], {}
        for i, language in enumerate(self._stemmers.languages):
            params[f"language{i}"] = language
            params[f"config{i}"] = self._stemmers.names[language]
            tsquery = " && ".join(
                f"(unaccent(plainto_tsquery(CAST(:config{i} AS regconfig), CAST(:term{j} AS text))::text)::tsquery"
                f" || plainto_tsquery(CAST(:config{i} AS regconfig), unaccent(CAST(:term{j} AS text))))"
                for j in range(len(terms))
            )
            parts.append(
                "SELECT seq, kind, document_id, claim_id, title, body, language, ts_rank(stems, q) AS rank "
                f"FROM search, (SELECT {tsquery} AS q) AS query WHERE language = :language{i} AND stems @@ q"
            )
        if not parts:
            return None
        params.update({f"term{j}": term for j, term in enumerate(terms.values())})
        sql = (
            "SELECT kind, document_id, claim_id, title, body, language FROM ("
            + " UNION ALL ".join(parts)
            + ") AS found ORDER BY rank DESC, seq LIMIT :limit"
        )
        return sql, params


def _ranked(where: str, column: str, tsquery: str) -> str:
    return (
        f"SELECT kind, document_id, claim_id, title, body, language FROM search WHERE {where} "
        f"ORDER BY ts_rank({column}, {tsquery}) DESC, seq LIMIT :limit"
    )


_INSERT = sa.text(
    "INSERT INTO search (kind, document_id, claim_id, language, title, body, words, stems, variants) "
    "VALUES (:kind, :document_id, :claim_id, :language, :title, :body, "
    "to_tsvector('simple', unaccent(CAST(:text AS text))), "
    "unaccent(to_tsvector(CAST(:config AS regconfig), CAST(:text AS text))::text)::tsvector"
    " || to_tsvector(CAST(:config AS regconfig), unaccent(CAST(:text AS text))), "
    "to_tsvector('simple', CAST(:variants AS text)))"
)
