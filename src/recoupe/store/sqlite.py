"""The SQLite store (SQLAlchemy Core): the default, one file, schema kept by Alembic.

Each record is kept as `codec.to_data` JSON in a `payload` column; the other
columns serve lookups and ordering only. Opening a file creates it if needed
and runs the migrations shipped in `store/migrations/` up to head.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from recoupe.codec import CodecError, from_data, to_data
from recoupe.errors import StoreError
from recoupe.model import (
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
    HitKind,
    Proposition,
    SearchHit,
)
from recoupe.store import search as text_search
from recoupe.store.views import event_claims, event_documents

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
# Rows decoded per fetch while streaming: bounds memory on large stores, and
# a few hundred documents are ~1 MB of JSON.
STREAM_ROWS = 200
# Ids per IN (...) clause, well under SQLite's bound-parameter limit.
CHUNK = 500

metadata = sa.MetaData()
documents_table = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("seq", sa.Integer), sa.Column("content_hash", sa.Text), sa.Column("source", sa.Text),
    sa.Column("title", sa.Text), sa.Column("outlet", sa.Text), sa.Column("language", sa.Text),
    sa.Column("published", sa.Text), sa.Column("payload", sa.Text),
)
analyses_table = sa.Table(
    "analyses", metadata,
    sa.Column("document_id", sa.Text, primary_key=True), sa.Column("seq", sa.Integer), sa.Column("payload", sa.Text),
)
claims_table = sa.Table("claims", metadata, sa.Column("document_id", sa.Text), sa.Column("id", sa.Text))
copies_table = sa.Table(
    "copies", metadata,
    sa.Column("copy", sa.Text), sa.Column("original", sa.Text), sa.Column("seq", sa.Integer),
    sa.Column("kind", sa.Text), sa.Column("similarity", sa.Float),
)
entities_table = sa.Table("entities", metadata, sa.Column("id", sa.Text), sa.Column("seq", sa.Integer), sa.Column("payload", sa.Text))
events_table = sa.Table("events", metadata, sa.Column("id", sa.Text), sa.Column("seq", sa.Integer), sa.Column("payload", sa.Text))
propositions_table = sa.Table(
    "propositions", metadata,
    sa.Column("id", sa.Text), sa.Column("seq", sa.Integer), sa.Column("event_id", sa.Text), sa.Column("payload", sa.Text),
)
event_links_table = sa.Table(
    "event_links", metadata,
    sa.Column("seq", sa.Integer), sa.Column("event_id", sa.Text), sa.Column("document_id", sa.Text), sa.Column("payload", sa.Text),
)
contradictions_table = sa.Table(
    "contradictions", metadata, sa.Column("seq", sa.Integer), sa.Column("event_id", sa.Text), sa.Column("payload", sa.Text),
)
results_other_table = sa.Table("results_other", metadata, sa.Column("name", sa.Text), sa.Column("payload", sa.Text))
search_table = sa.Table(
    "search", metadata,
    sa.Column("kind", sa.Text), sa.Column("document_id", sa.Text), sa.Column("claim_id", sa.Text),
    sa.Column("title", sa.Text), sa.Column("body", sa.Text), sa.Column("variants", sa.Text),
)
# save_results replaces these as a whole: (CorpusResults field, table, record class).
RESULT_TABLES: tuple[tuple[str, sa.Table, type], ...] = (
    ("entities", entities_table, Entity),
    ("events", events_table, Event),
    ("event_links", event_links_table, EventLink),
    ("propositions", propositions_table, Proposition),
    ("contradictions", contradictions_table, Contradiction),
)

DEDICATED = {name for name, _, _ in RESULT_TABLES}


def _dumps(value: object) -> str:
    return json.dumps(to_data(value), ensure_ascii=False, separators=(",", ":"))


def _loads(cls: type[T], payload: str) -> T:
    try:
        return from_data(cls, json.loads(payload))
    except (CodecError, ValueError) as exc:
        raise StoreError(f"stored {cls.__name__} cannot be read: {exc}") from exc


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def database_path(url: str) -> Path:
    """The file behind "sqlite:///path" or a bare path."""
    path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else url
    if not path or path == ":memory:" or url.startswith("sqlite://") and not url.startswith("sqlite:///"):
        raise StoreError(f"{url!r}: give a file path (sqlite:///path/to/recoupe.db); use memory:// for a throwaway store")
    return Path(path)


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


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web UI read while a run writes; the timeout waits out the writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class SqliteStore:
    """A SQLite file; every write is one transaction, every read streams or looks up by key."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @classmethod
    def open(cls, url: str) -> SqliteStore:
        path = database_path(url)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(f"sqlite:///{path}")
            sa.event.listen(engine, "connect", _on_connect)
            with engine.begin() as connection:
                migrate(connection)
        except StoreError:
            raise
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"cannot open the store {str(path)!r}: {exc}") from exc
        return cls(engine)

    def revision(self) -> str | None:
        """The schema revision the file is at (Alembic's)."""
        with self._engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def existing(self, document_ids: Iterable[str]) -> set[str]:
        with self._engine.connect() as connection:
            return _existing(connection, list(document_ids))

    def save_batch(self, batch: DocumentBatch) -> int:
        try:
            with self._engine.begin() as connection:
                return _save_batch(connection, batch)
        except SQLAlchemyError as exc:
            raise StoreError(f"batch not saved (rolled back): {exc}") from exc

    def save_results(self, results: CorpusResults) -> None:
        try:
            with self._engine.begin() as connection:
                for name, table, _ in RESULT_TABLES:
                    connection.execute(table.delete())
                    rows = [_result_row(value, seq) for seq, value in enumerate(getattr(results, name), 1)]
                    if rows:
                        connection.execute(table.insert(), rows)
                connection.execute(results_other_table.delete())
                encoded = to_data(results)
                others = [
                    {"name": name, "payload": json.dumps(encoded[name], ensure_ascii=False, separators=(",", ":"))}
                    for name in encoded if name not in DEDICATED
                ]
                if others:
                    connection.execute(results_other_table.insert(), others)
        except SQLAlchemyError as exc:
            raise StoreError(f"results not saved (rolled back): {exc}") from exc

    def documents(self) -> Iterator[Document]:
        query = sa.select(documents_table.c.payload).order_by(documents_table.c.seq)
        for payload in self._stream(query):
            yield _loads(Document, payload)

    def analyses(self) -> Iterator[Analysis]:
        query = sa.select(analyses_table.c.payload).order_by(analyses_table.c.seq)
        for payload in self._stream(query):
            yield _loads(Analysis, payload)

    def _stream(self, query: sa.Select) -> Iterator[str]:
        with self._engine.connect() as connection:
            result = connection.execution_options(yield_per=STREAM_ROWS).execute(query)
            for (payload,) in result:
                yield payload

    def document(self, document_id: str) -> Document | None:
        query = sa.select(documents_table.c.payload).where(documents_table.c.id == document_id)
        with self._engine.connect() as connection:
            payload = connection.scalar(query)
        return None if payload is None else _loads(Document, payload)

    def analysis(self, document_id: str) -> Analysis | None:
        with self._engine.connect() as connection:
            found = _analyses_of(connection, [document_id])
        return found[0] if found else None

    def results(self) -> CorpusResults:
        values = {}
        with self._engine.connect() as connection:
            for name, table, cls in RESULT_TABLES:
                rows = connection.execute(sa.select(table.c.payload).order_by(table.c.seq))
                values[name] = tuple(_loads(cls, payload) for (payload,) in rows)
            others = {name: json.loads(payload) for name, payload in connection.execute(sa.select(results_other_table))}
        try:
            rest = from_data(CorpusResults, others)
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
            analyses = _analyses_of(connection, sorted(event_documents(event_id, results) | holders))
        return event_claims(event_id, analyses, results)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        parsed = text_search.parse_query(query)
        if not parsed.words or limit <= 0:
            return []
        with self._engine.connect() as connection:
            hits = _search(connection, parsed, limit, by_skeleton=False)
            if not hits:
                hits = _search(connection, parsed, limit, by_skeleton=True)
        return hits

    def load(self) -> Corpus:
        with self._engine.connect() as connection:
            rows = connection.execute(sa.select(copies_table).order_by(copies_table.c.seq))
            copies = tuple(CopyLink(r.copy, r.original, CopyKind(r.kind), r.similarity) for r in rows)
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


def _analyses_of(connection: Connection, document_ids: Sequence[str]) -> list[Analysis]:
    found: list[tuple[int, Analysis]] = []
    for chunk in _chunks(document_ids):
        query = sa.select(analyses_table.c.seq, analyses_table.c.payload).where(analyses_table.c.document_id.in_(chunk))
        found.extend((seq, _loads(Analysis, payload)) for seq, payload in connection.execute(query))
    return [analysis for _, analysis in sorted(found, key=lambda item: item[0])]


def _next_seq(connection: Connection, table: sa.Table) -> int:
    return (connection.scalar(sa.select(sa.func.max(table.c.seq))) or 0) + 1


def _save_batch(connection: Connection, batch: DocumentBatch) -> int:
    """Insert what is new; raise StoreError (rolling back) on a record naming an unknown document."""
    stored = _existing(connection, [d.id for d in batch.documents])
    new: dict[str, Document] = {}
    for document in batch.documents:
        if document.id not in stored:
            new.setdefault(document.id, document)
    seq = _next_seq(connection, documents_table)
    if new:
        connection.execute(documents_table.insert(), [_document_row(d, seq + i) for i, d in enumerate(new.values())])
        connection.execute(search_table.insert(), [_document_search_row(d) for d in new.values()])
    _save_analyses(connection, batch.analyses, new)
    _save_copies(connection, batch.copies, new)
    return len(new)


def _save_analyses(connection: Connection, analyses: Sequence[Analysis], new: dict[str, Document]) -> None:
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
        connection.execute(analyses_table.insert(), {"document_id": analysis.document_id, "seq": seq, "payload": _dumps(analysis)})
        seq += 1
        if analysis.claims:
            connection.execute(claims_table.insert(), [{"document_id": analysis.document_id, "id": c.id} for c in analysis.claims])
            document = new.get(analysis.document_id) or _document(connection, analysis.document_id)
            connection.execute(search_table.insert(), [_claim_search_row(c, document) for c in analysis.claims])


def _save_copies(connection: Connection, copies: Sequence[CopyLink], new: dict[str, Document]) -> None:
    ends = list(dict.fromkeys(end for link in copies for end in (link.copy, link.original)))
    known = set(new) | _existing(connection, [e for e in ends if e not in new])
    seq = _next_seq(connection, copies_table)
    for link in copies:
        for end in (link.copy, link.original):
            if end not in known:
                raise StoreError(f"copy link names unknown document {end!r}")
        key = (copies_table.c.copy == link.copy) & (copies_table.c.original == link.original)
        if connection.scalar(sa.select(sa.func.count()).where(key)):
            continue
        row = {"copy": link.copy, "original": link.original, "seq": seq, "kind": link.kind.value, "similarity": link.similarity}
        connection.execute(copies_table.insert(), row)
        seq += 1


def _document(connection: Connection, document_id: str) -> Document:
    payload = connection.scalar(sa.select(documents_table.c.payload).where(documents_table.c.id == document_id))
    return _loads(Document, payload)


def _document_row(document: Document, seq: int) -> dict[str, Any]:
    return {
        "id": document.id, "seq": seq, "content_hash": document.content_hash, "source": document.source,
        "title": document.title, "outlet": document.outlet, "language": document.language,
        "published": document.published.iso() if document.published else None, "payload": _dumps(document),
    }


def _document_search_row(document: Document) -> dict[str, Any]:
    title, body = text_search.document_fields(document)
    variants = " ".join(text_search.skeleton_words(f"{title}\n{body}"))
    return {"kind": HitKind.DOCUMENT.value, "document_id": document.id, "claim_id": None, "title": title, "body": body, "variants": variants}


def _claim_search_row(claim: Claim, document: Document) -> dict[str, Any]:
    text = text_search.claim_text(claim, document)
    variants = " ".join(text_search.skeleton_words(text))
    return {"kind": HitKind.CLAIM.value, "document_id": document.id, "claim_id": claim.id, "title": "", "body": text, "variants": variants}


def _result_row(value: Any, seq: int) -> dict[str, Any]:
    row: dict[str, Any] = {"seq": seq, "payload": _dumps(value)}
    if isinstance(value, (Entity, Event, Proposition)):
        row["id"] = value.id
    if isinstance(value, (Proposition, EventLink, Contradiction)):
        row["event_id"] = value.event_id
    if isinstance(value, EventLink):
        row["document_id"] = value.document_id
    return row


def _match_expression(query: text_search.Query, by_skeleton: bool) -> str:
    """An FTS5 MATCH string: every word quoted (no operator injection), all required."""
    if not by_skeleton:
        return "{title body} : (" + " AND ".join(f'"{w}"' for w in query.words) + ")"
    parts = [f'{{title body}} : "{w}"' for w in query.short_words]
    parts += [f'variants : "{s}"' for s in query.skeletons]
    return " AND ".join(parts)


def _search(connection: Connection, query: text_search.Query, limit: int, by_skeleton: bool) -> list[SearchHit]:
    sql = sa.text(
        "SELECT kind, document_id, claim_id, title, body FROM search WHERE search MATCH :match ORDER BY rank LIMIT :limit"
    )
    hits = []
    for kind, document_id, claim_id, title, body in connection.execute(sql, {"match": _match_expression(query, by_skeleton), "limit": limit}):
        in_body = any(query.matches(w, by_skeleton) for w in text_search.words(body))
        text = body if in_body or not title else title
        hits.append(SearchHit(HitKind(kind), document_id, claim_id, text_search.snippet(text, query, by_skeleton)))
    return hits
