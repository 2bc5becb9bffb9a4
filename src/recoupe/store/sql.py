"""What the SQL stores share (SQLAlchemy Core): SQLite (`sqlite.py`) and PostgreSQL (`postgres.py`).

Each record is kept as `codec.to_data` JSON in a `payload` column; the other
columns serve lookups and ordering only. Opening a store creates the schema if
needed and runs the migrations shipped in `store/migrations/` up to head, the
same revisions on both databases. Each database brings its own write lock and
its own full-text index (`SearchIndex`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from recoupe.codec import Codec, CodecError
from recoupe.errors import StoreError
from recoupe.model import (
    AlignedPassage,
    Analysis,
    Claim,
    Contradiction,
    CopyKind,
    CopyLink,
    Corpus,
    CorpusResults,
    Document,
    DocumentBatch,
    Entity,
    Event,
    EventLink,
    Proposition,
    SearchHit,
)
from recoupe.store import search as text_search
from recoupe.store.tables import (
    DEDICATED,
    RESULT_TABLES,
    analyses_table,
    claims_table,
    copies_table,
    documents_table,
    results_other_table,
)
from recoupe.store.views import event_claims, event_documents

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
# Rows decoded per fetch while streaming: bounds memory on large stores, and
# a few hundred documents are ~1 MB of JSON.
STREAM_ROWS = 200
# Execution option marking a connection that writes (see `_on_begin`).
WRITE_OPTION = "recoupe_write"
# Ids per IN (...) clause, well under SQLite's bound-parameter limit.
CHUNK = 500


def _dumps(codec: Codec, value: object) -> str:
    return json.dumps(codec.to_data(value), ensure_ascii=False, separators=(",", ":"))


def _loads(codec: Codec, cls: type[T], payload: str) -> T:
    try:
        return codec.from_data(cls, json.loads(payload))
    except (CodecError, ValueError) as exc:
        raise StoreError(f"stored {cls.__name__} cannot be read: {exc}") from exc


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def migrate(connection: Connection) -> str:
    """Upgrade the schema to the newest shipped revision; returns it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    head = ScriptDirectory.from_config(config).get_current_head()
    current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        try:
            command.upgrade(config, "head")
        except Exception as exc:  # alembic raises CommandError and plain exceptions alike
            raise StoreError(f"cannot migrate the store from revision {current!r} to {head!r}: {exc}") from exc
    return head or ""


class SearchIndex(Protocol):
    """A database's full-text index over `Searchable` units (documents and claims)."""

    def add(self, connection: Connection, units: Sequence[text_search.Searchable]) -> None: ...

    def drop_claims(self, connection: Connection, document_id: str) -> None:
        """Remove the claim units of one document (its analysis is being replaced)."""

    def find(self, connection: Connection, query: text_search.Query, match: text_search.Match, limit: int) -> list[SearchHit]:
        """Units matching every word of the query in this tier, best first."""


class SqlStore:
    """A SQL database; every write is one transaction, every read streams or looks up by key.

    Subclasses open the engine and give `_writing` (one write transaction under
    the database's writer lock) and the search index."""

    def __init__(self, engine: Engine, index: SearchIndex, stemmers: text_search.Stemmers) -> None:
        self._engine = engine
        self._index = index
        self._stemmers = stemmers
        self._codec = Codec()

    def _writing(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def version(self) -> str:
        raise NotImplementedError

    def lock(self, on_wait: Callable[[str], None] | None = None) -> AbstractContextManager[None]:
        raise NotImplementedError

    def revision(self) -> str | None:
        """The schema revision the database is at (Alembic's)."""
        with self._engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def existing(self, document_ids: Iterable[str]) -> set[str]:
        with self._engine.connect() as connection:
            return _existing(connection, list(document_ids))

    def save_batch(self, batch: DocumentBatch) -> int:
        try:
            with self._writing() as connection:
                return _save_batch(connection, self._codec, self._index, batch)
        except (SQLAlchemyError, CodecError) as exc:
            raise StoreError(f"batch not saved (rolled back): {exc}") from exc

    def replace_analyses(self, analyses: Iterable[Analysis]) -> None:
        try:
            with self._writing() as connection:
                for analysis in analyses:
                    _replace_analysis(connection, self._codec, self._index, analysis)
        except (SQLAlchemyError, CodecError) as exc:
            raise StoreError(f"analyses not replaced (rolled back): {exc}") from exc

    def save_results(self, results: CorpusResults, reanalysed: Iterable[Analysis] = ()) -> None:
        try:
            with self._writing() as connection:
                for analysis in reanalysed:
                    _replace_analysis(connection, self._codec, self._index, analysis)
                for name, table, _ in RESULT_TABLES:
                    connection.execute(table.delete())
                    rows = [_result_row(self._codec, value, seq) for seq, value in enumerate(getattr(results, name), 1)]
                    if rows:
                        connection.execute(table.insert(), rows)
                connection.execute(results_other_table.delete())
                encoded = self._codec.to_data(results)
                others = [
                    {"name": name, "payload": json.dumps(encoded[name], ensure_ascii=False, separators=(",", ":"))}
                    for name in encoded if name not in DEDICATED
                ]
                if others:
                    connection.execute(results_other_table.insert(), others)
        except (SQLAlchemyError, CodecError) as exc:
            raise StoreError(f"results not saved (rolled back): {exc}") from exc

    def documents(self) -> Iterator[Document]:
        query = sa.select(documents_table.c.payload).order_by(documents_table.c.seq)
        for payload in self._stream(query):
            yield _loads(self._codec, Document, payload)

    def analyses(self) -> Iterator[Analysis]:
        query = sa.select(analyses_table.c.payload).order_by(analyses_table.c.seq)
        for payload in self._stream(query):
            yield _loads(self._codec, Analysis, payload)

    def _stream(self, query: sa.Select) -> Iterator[str]:
        with self._engine.connect() as connection:
            result = connection.execution_options(yield_per=STREAM_ROWS).execute(query)
            for (payload,) in result:
                yield payload

    def document(self, document_id: str) -> Document | None:
        query = sa.select(documents_table.c.payload).where(documents_table.c.id == document_id)
        with self._engine.connect() as connection:
            payload = connection.scalar(query)
        return None if payload is None else _loads(self._codec, Document, payload)

    def analysis(self, document_id: str) -> Analysis | None:
        with self._engine.connect() as connection:
            found = _analyses_of(connection, self._codec, [document_id])
        return found[0] if found else None

    def results(self) -> CorpusResults:
        values = {}
        with self._engine.connect() as connection:
            for name, table, cls in RESULT_TABLES:
                rows = connection.execute(sa.select(table.c.payload).order_by(table.c.seq))
                values[name] = tuple(_loads(self._codec, cls, payload) for (payload,) in rows)
            others = {name: json.loads(payload) for name, payload in connection.execute(sa.select(results_other_table))}
        try:
            rest = self._codec.from_data(CorpusResults, others)
        except CodecError as exc:
            raise StoreError(f"stored results cannot be read: {exc}") from exc
        return dataclasses.replace(rest, **values)

    def claims(self, event_id: str) -> list[Claim]:
        results = self.results()
        proposed = [cid for p in results.propositions if p.event_id == event_id for cid in p.claim_ids]
        with self._engine.connect() as connection:
            holders: set[str] = set()
            for chunk in _chunks(proposed):
                query = sa.select(claims_table.c.document_id).where(claims_table.c.id.in_(chunk))
                holders.update(connection.scalars(query))
            analyses = _analyses_of(connection, self._codec, sorted(event_documents(event_id, results) | holders))
        return event_claims(event_id, analyses, results)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        parsed = text_search.parse_query(query, self._stemmers)
        if not parsed.words or limit <= 0:
            return []
        tiers: list[list[SearchHit]] = []
        with self._engine.connect() as connection:
            for match in text_search.Match:
                # A later tier repeats the earlier tiers' hits: ask for enough to fill the limit.
                tiers.append(self._index.find(connection, parsed, match, limit + sum(map(len, tiers))))
        return text_search.merge_hits(tiers, limit)

    def load(self) -> Corpus:
        with self._engine.connect() as connection:
            rows = connection.execute(sa.select(copies_table).order_by(copies_table.c.seq))
            copies = tuple(
                CopyLink(r.copy, r.original, CopyKind(r.kind), r.similarity, _evidence(self._codec, r.evidence)) for r in rows
            )
        return Corpus(
            documents=tuple(self.documents()),
            analyses=tuple(self.analyses()),
            copies=copies,
            results=self.results(),
        )

    def close(self) -> None:
        self._engine.dispose()


def _existing(connection: Connection, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(connection.scalars(sa.select(documents_table.c.id).where(documents_table.c.id.in_(chunk))))
    return found


def _analyses_of(connection: Connection, codec: Codec, document_ids: Sequence[str]) -> list[Analysis]:
    found: list[tuple[int, Analysis]] = []
    for chunk in _chunks(document_ids):
        query = sa.select(analyses_table.c.seq, analyses_table.c.payload).where(analyses_table.c.document_id.in_(chunk))
        found.extend((seq, _loads(codec, Analysis, payload)) for seq, payload in connection.execute(query))
    return [analysis for _, analysis in sorted(found, key=lambda item: item[0])]


def _next_seq(connection: Connection, table: sa.Table) -> int:
    return (connection.scalar(sa.select(sa.func.max(table.c.seq))) or 0) + 1


def _save_batch(connection: Connection, codec: Codec, index: SearchIndex, batch: DocumentBatch) -> int:
    """Insert what is new; raise StoreError (rolling back) on a record naming an unknown document."""
    stored = _existing(connection, [d.id for d in batch.documents])
    new: dict[str, Document] = {}
    for document in batch.documents:
        if document.id not in stored:
            new.setdefault(document.id, document)
    seq = _next_seq(connection, documents_table)
    if new:
        connection.execute(documents_table.insert(), [_document_row(codec, d, seq + i) for i, d in enumerate(new.values())])
        index.add(connection, [text_search.searchable_document(d) for d in new.values()])
    _save_analyses(connection, codec, index, batch.analyses, new)
    _save_copies(connection, codec, batch.copies, new)
    return len(new)


def _save_analyses(
    connection: Connection, codec: Codec, index: SearchIndex, analyses: Sequence[Analysis], new: dict[str, Document]
) -> None:
    ids = list(dict.fromkeys(a.document_id for a in analyses))
    known = set(new) | _existing(connection, [i for i in ids if i not in new])
    analysed: set[str] = set()
    for chunk in _chunks(ids):
        query = sa.select(analyses_table.c.document_id).where(analyses_table.c.document_id.in_(chunk))
        analysed.update(connection.scalars(query))
    seq = _next_seq(connection, analyses_table)
    for analysis in analyses:
        if analysis.document_id not in known:
            raise StoreError(f"analysis of unknown document {analysis.document_id!r}")
        if analysis.document_id in analysed:
            continue
        analysed.add(analysis.document_id)
        connection.execute(analyses_table.insert(), {"document_id": analysis.document_id, "seq": seq, "payload": _dumps(codec, analysis)})
        seq += 1
        if analysis.claims:
            claim_ids = dict.fromkeys(c.id for c in analysis.claims)
            connection.execute(claims_table.insert(), [{"document_id": analysis.document_id, "id": i} for i in claim_ids])
            document = new.get(analysis.document_id) or _document(connection, codec, analysis.document_id)
            index.add(connection, [text_search.searchable_claim(c, document) for c in analysis.claims])


def _replace_analysis(connection: Connection, codec: Codec, index: SearchIndex, analysis: Analysis) -> None:
    table = analyses_table
    updated = connection.execute(
        table.update().where(table.c.document_id == analysis.document_id).values(payload=_dumps(codec, analysis))
    )
    if updated.rowcount == 0:
        raise StoreError(f"no stored analysis of document {analysis.document_id!r} to replace")
    connection.execute(claims_table.delete().where(claims_table.c.document_id == analysis.document_id))
    index.drop_claims(connection, analysis.document_id)
    if analysis.claims:
        claim_ids = dict.fromkeys(c.id for c in analysis.claims)
        connection.execute(claims_table.insert(), [{"document_id": analysis.document_id, "id": i} for i in claim_ids])
        document = _document(connection, codec, analysis.document_id)
        index.add(connection, [text_search.searchable_claim(c, document) for c in analysis.claims])


def _save_copies(connection: Connection, codec: Codec, copies: Sequence[CopyLink], new: dict[str, Document]) -> None:
    """New links, with their evidence; a link stored before evidence was kept (NULL) gains it, others are left as stored."""
    ends = list(dict.fromkeys(end for link in copies for end in (link.copy, link.original)))
    known = set(new) | _existing(connection, [e for e in ends if e not in new])
    seq = _next_seq(connection, copies_table)
    for link in copies:
        for end in (link.copy, link.original):
            if end not in known:
                raise StoreError(f"copy link names unknown document {end!r}")
        key = (copies_table.c.copy == link.copy) & (copies_table.c.original == link.original)
        evidence = _dumps(codec, link.evidence)
        if connection.scalar(sa.select(sa.func.count()).where(key)):
            connection.execute(copies_table.update().where(key & copies_table.c.evidence.is_(None)).values(evidence=evidence))
            continue
        row = {
            "copy": link.copy, "original": link.original, "seq": seq, "kind": link.kind.value, "similarity": link.similarity,
            "evidence": evidence,
        }
        connection.execute(copies_table.insert(), row)
        seq += 1


def _evidence(codec: Codec, payload: str | None) -> tuple[AlignedPassage, ...]:
    """A link's stored passages; NULL (a link stored before revision 0003) is none."""
    return () if payload is None else _loads(codec, tuple[AlignedPassage, ...], payload)


def _document(connection: Connection, codec: Codec, document_id: str) -> Document:
    payload = connection.scalar(sa.select(documents_table.c.payload).where(documents_table.c.id == document_id))
    return _loads(codec, Document, payload)


def _document_row(codec: Codec, document: Document, seq: int) -> dict[str, Any]:
    return {
        "id": document.id, "seq": seq, "content_hash": document.content_hash, "source": document.source,
        "title": document.title, "outlet": document.outlet, "language": document.language,
        "published": document.published.iso() if document.published else None, "payload": _dumps(codec, document),
    }


def _result_row(codec: Codec, value: Any, seq: int) -> dict[str, Any]:
    row: dict[str, Any] = {"seq": seq, "payload": _dumps(codec, value)}
    if isinstance(value, (Entity, Event, Proposition)):
        row["id"] = value.id
    if isinstance(value, (Proposition, EventLink, Contradiction)):
        row["event_id"] = value.event_id
    if isinstance(value, EventLink):
        row["document_id"] = value.document_id
    return row
