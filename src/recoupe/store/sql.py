"""What the SQL stores share (SQLAlchemy Core): SQLite (`sqlite.py`) and PostgreSQL (`postgres.py`).

Each record is kept as `codec.to_data` JSON in a `payload` column; the other
columns serve lookups and ordering only. Opening a store creates the schema if
needed and runs the migrations shipped in `store/migrations/` up to head, the
same revisions on both databases. Each database brings its own write lock and
its own full-text index (`SearchIndex`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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

from recoupe.claims import ClaimRef, event_claims
from recoupe.codec import Codec, CodecError
from recoupe.errors import StoreError
from recoupe.model import (
    AlignedPassage,
    Analysis,
    Claim,
    Contradiction,
    CopyEntry,
    CopyIndexState,
    CopyIndexUpdate,
    CopyKind,
    CopyLink,
    CopyMatches,
    Corpus,
    CorpusResults,
    Document,
    DocumentBatch,
    Dispatch,
    Entity,
    Event,
    EventLink,
    EventListing,
    EventOrder,
    EventQuery,
    EventSummary,
    Proposition,
    SearchHit,
    StoreCounts,
    Update,
)
from recoupe.events import event_documents
from recoupe.store import listing
from recoupe.store import search as text_search
from recoupe.store.tables import (
    DEDICATED,
    RESULT_TABLES,
    analyses_table,
    claims_table,
    contradictions_table,
    copies_table,
    copy_anchors_table,
    copy_held_table,
    copy_keys_table,
    copy_pairs_table,
    dispatch_documents_table,
    dispatches_table,
    documents_table,
    event_index_table,
    event_links_table,
    events_table,
    propositions_table,
    results_other_table,
    updates_table,
    store_meta_table,
)

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


def open_schema(connection: Connection) -> str:
    """Migrate to the newest revision, then fill the events list's index if it is behind the stored events."""
    head = migrate(connection)
    if index_behind(connection):
        refill_event_index(connection, Codec())
    return head


class SearchIndex(Protocol):
    """A database's full-text index over `Searchable` units (documents and claims)."""

    def add(self, connection: Connection, units: Sequence[text_search.Searchable]) -> None: ...

    def rebuild_variants(self, connection: Connection) -> None:
        """Compute every unit's skeletons again from its title and body (the folding changed)."""

    def drop_claims(self, connection: Connection, document_id: str) -> None:
        """Remove the claim units of one document (its analysis is being replaced)."""

    def find(self, connection: Connection, query: text_search.Query, match: text_search.Match, limit: int) -> list[SearchHit]:
        """Units matching every word of the query in this tier, best first."""


# Units whose skeletons are rebuilt per statement when the folding changed.
REBUILD_ROWS = 500
SEARCH_FOLDING = "search_folding"


def refresh_search_keys(connection: Connection, index: SearchIndex) -> bool:
    """Rebuild the index's skeletons when they were computed by another name folding
    (`folding.FOLDING_VERSION` differs from the one stored); True when it did."""
    current = text_search.folding_version()
    stored = connection.scalar(sa.select(store_meta_table.c.value).where(store_meta_table.c.name == SEARCH_FOLDING))
    if stored == current:
        return False
    index.rebuild_variants(connection)
    connection.execute(
        sa.text(
            "INSERT INTO store_meta (name, value) VALUES (:name, :value) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value"
        ),
        {"name": SEARCH_FOLDING, "value": current},
    )
    return True


def rebuild_rows(connection: Connection, key: str) -> Iterator[list[dict[str, Any]]]:
    """The search table's units in batches of REBUILD_ROWS, by `key` (rowid, seq), each with its new skeletons."""
    select = sa.text(f"SELECT {key}, title, body FROM search WHERE {key} > :after ORDER BY {key} LIMIT :limit")
    after = -1
    while True:
        rows = connection.execute(select, {"after": after, "limit": REBUILD_ROWS}).all()
        if not rows:
            return
        yield [{"key": k, "variants": " ".join(text_search.skeleton_words(f"{t}\n{b}"))} for k, t, b in rows]
        after = rows[-1][0]


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
                connection.execute(dispatch_documents_table.delete())
                members = [
                    {"dispatch_seq": seq, "document_id": document_id}
                    for seq, dispatch in enumerate(results.dispatches, 1) for document_id in dict.fromkeys(dispatch.documents)
                ]
                if members:
                    connection.execute(dispatch_documents_table.insert(), members)
                _index_events(connection, results)
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

    def counts(self) -> StoreCounts:
        with self._engine.connect() as connection:
            count = lambda table: connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0  # noqa: E731
            derived = connection.scalar(sa.select(results_other_table.c.payload).where(results_other_table.c.name == "documents"))
            return StoreCounts(
                count(documents_table), count(events_table), count(copies_table), count(dispatches_table),
                count(claims_table), count(contradictions_table), int(json.loads(derived)) if derived else 0,
            )

    def list_events(self, query: EventQuery) -> EventListing:
        t = event_index_table
        where = []
        if query.date_from:
            where.append(t.c.last >= query.date_from.isoformat())
        if query.date_to:
            where.append(t.c.start <= query.date_to.isoformat())
        for wanted, column in ((query.place, t.c.places), (query.actor, t.c.actors), (query.source, t.c.sources), (query.text, t.c.words)):
            if wanted.strip():
                where.append(column.like("%" + _like_escaped(listing.needle(wanted)) + "%", escape="\\"))
        rank = {EventOrder.LATEST: t.c.rank_latest, EventOrder.EARLIEST: t.c.rank_earliest, EventOrder.DOCUMENTS: t.c.rank_documents}[query.order]
        offset, limit = listing.page_window(query)
        with self._engine.connect() as connection:
            total = connection.scalar(sa.select(sa.func.count()).select_from(t).where(*where)) or 0
            page = connection.execute(
                sa.select(t.c.event_id, t.c.documents, t.c.main_reports, t.c.contradictions)
                .where(*where).order_by(rank).offset(offset).limit(limit)
            ).all()
            events = _by_id(connection, self._codec, events_table, Event, [row.event_id for row in page])
        return EventListing(total, tuple(
            EventSummary(events[row.event_id], row.documents, row.main_reports, row.contradictions) for row in page
        ))

    def document_ids(self, offset: int = 0, limit: int = 50) -> list[str]:
        query = sa.select(documents_table.c.id).order_by(documents_table.c.seq).offset(max(0, offset)).limit(max(0, limit))
        with self._engine.connect() as connection:
            return list(connection.scalars(query))

    def records(self, document_ids: Iterable[str] = (), event_ids: Iterable[str] = ()) -> Corpus:
        with self._engine.connect() as connection:
            return _records(connection, self._codec, list(dict.fromkeys(document_ids)), list(dict.fromkeys(event_ids)))

    def event_links(self, event_ids: Iterable[str]) -> list[EventLink]:
        with self._engine.connect() as connection:
            ids = sorted(set(event_ids))
            return _payloads_where(connection, self._codec, event_links_table, EventLink, event_links_table.c.event_id, ids)

    def window(self, start: dt.date, end: dt.date) -> Corpus:
        d = documents_table.c
        # A stated day is 10 characters ("2025-03-14"); a month or a year alone is shorter.
        query = (
            sa.select(d.payload)
            .where(d.published >= start.isoformat(), d.published <= end.isoformat(), sa.func.length(d.published) == 10)
            .order_by(d.seq)
        )
        with self._engine.connect() as connection:
            documents = tuple(_loads(self._codec, Document, p) for p in connection.scalars(query))
            ids = [doc.id for doc in documents]
            analyses = tuple(_analyses_of(connection, self._codec, ids))
            links = _payloads_where(connection, self._codec, event_links_table, EventLink, event_links_table.c.document_id, ids)
        return Corpus(documents=documents, analyses=analyses, results=CorpusResults(event_links=tuple(links)))

    def copy_index(self) -> CopyIndexState:
        with self._engine.connect() as connection:
            return _copy_state(connection)

    def copy_matches(self, signature: str, bands: Iterable[int], pairs: Iterable[int]) -> CopyMatches:
        held, p = copy_held_table.c, copy_pairs_table.c
        with self._engine.connect() as connection:
            arrivals: dict[str, int] = {}
            exact = None
            row = connection.execute(sa.select(held.document_id, held.arrival).where(held.signature == signature)).first()
            if row is not None:
                exact, arrivals[row[0]] = row[0], row[1]
            keys = sorted({int(k) for k in bands})
            banded: dict[str, None] = {}
            for chunk in _chunks(keys):
                query = sa.select(copy_keys_table.c.document_id).where(copy_keys_table.c.key.in_(chunk)).distinct()
                banded.update(dict.fromkeys(connection.scalars(query)))
            postings: dict[int, list[str]] = {}
            signed = sorted({_signed(pair) for pair in pairs})
            for chunk in _chunks(signed):
                query = sa.select(p.pair, p.document_id, p.arrival).where(p.pair.in_(chunk)).order_by(p.pair, p.arrival)
                for pair, document_id, arrival in connection.execute(query):
                    postings.setdefault(_unsigned(pair), []).append(document_id)
                    arrivals[document_id] = arrival
            unknown = sorted(set(banded) - arrivals.keys())
            for chunk in _chunks(unknown):
                arrivals.update(connection.execute(sa.select(held.document_id, held.arrival).where(held.document_id.in_(chunk))).all())
        return CopyMatches(exact, tuple(banded), {pair: tuple(ids) for pair, ids in postings.items()}, arrivals)

    def anchor_counts(self, anchors: Iterable[int]) -> dict[int, int]:
        c = copy_anchors_table.c
        found: dict[int, int] = {}
        with self._engine.connect() as connection:
            for chunk in _chunks(sorted({int(a) for a in anchors})):
                found.update(connection.execute(sa.select(c.anchor, c.documents).where(c.anchor.in_(chunk))).all())
        return found

    def oldest_copies(self, limit: int) -> list[CopyEntry]:
        c = copy_held_table.c
        query = sa.select(c.document_id, c.arrival, c.signature).order_by(c.arrival).limit(max(0, limit))
        with self._engine.connect() as connection:
            return [CopyEntry(i, a, s) for i, a, s in connection.execute(query)]

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
    if batch.copy_index is not None:
        _save_copy_index(connection, batch.copy_index, new)
    return len(new)


COPY_META = ("copy_fingerprint", "copy_seen", "copy_arrivals")


def _copy_state(connection: Connection) -> CopyIndexState:
    meta = dict(connection.execute(sa.select(store_meta_table.c.name, store_meta_table.c.value).where(store_meta_table.c.name.in_(COPY_META))).all())
    held = connection.scalar(sa.select(sa.func.count()).select_from(copy_held_table)) or 0
    return CopyIndexState(meta.get("copy_fingerprint", ""), int(meta.get("copy_seen", 0)), held, int(meta.get("copy_arrivals", 0)))


def _save_copy_index(connection: Connection, update: CopyIndexUpdate, new: Mapping[str, Document]) -> None:
    """Entries added, then entries forgotten; anchor counts moved by both; the index's facts in store_meta."""
    if update.reset:
        for table in (copy_held_table, copy_keys_table, copy_pairs_table, copy_anchors_table):
            connection.execute(table.delete())
    named = list(dict.fromkeys(e.document_id for e in update.added))
    unknown = set(named) - set(new) - _existing(connection, [i for i in named if i not in new])
    if unknown:
        raise StoreError(f"copy index entry of unknown document {sorted(unknown)[0]!r}")
    added = update.added
    if added:
        connection.execute(copy_held_table.insert(), [{"document_id": e.document_id, "arrival": e.arrival, "signature": e.signature} for e in added])
        _insert_rows(connection, copy_keys_table, [{"key": k, "document_id": e.document_id} for e in added for k in dict.fromkeys(e.bands)])
        _insert_rows(
            connection, copy_pairs_table,
            [{"pair": _signed(p), "document_id": e.document_id, "arrival": e.arrival} for e in added for p in dict.fromkeys(e.pairs)],
        )
    gone = list(dict.fromkeys(e.document_id for e in update.forgotten))
    for chunk in _chunks(gone):
        for table in (copy_held_table, copy_keys_table, copy_pairs_table):
            connection.execute(table.delete().where(table.c.document_id.in_(chunk)))
    moved: Counter[int] = Counter()
    for entry in added:
        moved.update(set(entry.anchors))
    for entry in update.forgotten:
        moved.subtract(set(entry.anchors))
    rows = [{"anchor": a, "documents": n} for a, n in sorted(moved.items()) if n]
    upsert = sa.text(
        "INSERT INTO copy_anchors (anchor, documents) VALUES (:anchor, :documents) "
        "ON CONFLICT (anchor) DO UPDATE SET documents = copy_anchors.documents + excluded.documents"
    )
    for i in range(0, len(rows), INSERT_ROWS):
        connection.execute(upsert, rows[i : i + INSERT_ROWS])
    fewer = sorted(a for a, n in moved.items() if n < 0)
    for chunk in _chunks(fewer):
        connection.execute(copy_anchors_table.delete().where(copy_anchors_table.c.anchor.in_(chunk), copy_anchors_table.c.documents <= 0))
    facts = {"copy_fingerprint": update.fingerprint, "copy_seen": str(update.seen), "copy_arrivals": str(update.arrivals)}
    connection.execute(
        sa.text("INSERT INTO store_meta (name, value) VALUES (:name, :value) ON CONFLICT (name) DO UPDATE SET value = excluded.value"),
        [{"name": name, "value": value} for name, value in facts.items()],
    )


# Rows per executemany statement.
INSERT_ROWS = 5000


def _insert_rows(connection: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), INSERT_ROWS):
        connection.execute(table.insert(), rows[i : i + INSERT_ROWS])


def _signed(value: int) -> int:
    """A 64-bit unsigned key as the signed BIGINT both databases keep."""
    return value - (1 << 64) if value >= 1 << 63 else value


def _unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


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
            connection.execute(claims_table.insert(), _claim_rows(analysis))
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
        connection.execute(claims_table.insert(), _claim_rows(analysis))
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
        "url": document.url,
    }


def _claim_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """One row per claim id (the first claim of an id), with what deciding its event needs."""
    rows: dict[str, dict[str, Any]] = {}
    for claim in analysis.claims:
        rows.setdefault(claim.id, {
            "document_id": analysis.document_id, "id": claim.id, "span_start": claim.span.start,
            "span_end": claim.span.end, "speaker": claim.speaker.name if claim.speaker else None,
        })
    return list(rows.values())


def _result_row(codec: Codec, value: Any, seq: int) -> dict[str, Any]:
    row: dict[str, Any] = {"seq": seq, "payload": _dumps(codec, value)}
    if isinstance(value, (Entity, Event, Proposition, Dispatch)):
        row["id"] = value.id
    if isinstance(value, (Proposition, EventLink, Contradiction, Update)):
        row["event_id"] = value.event_id
    if isinstance(value, EventLink):
        row["document_id"] = value.document_id
    return row


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _by_id(connection: Connection, codec: Codec, table: sa.Table, cls: type[T], ids: Sequence[str]) -> dict[str, T]:
    found: dict[str, T] = {}
    for chunk in _chunks(ids):
        for key, payload in connection.execute(sa.select(table.c.id, table.c.payload).where(table.c.id.in_(chunk))):
            found[key] = _loads(codec, cls, payload)
    return found


def _payloads_where(connection: Connection, codec: Codec, table: sa.Table, cls: type[T], column: sa.Column, values: Sequence[str]) -> list[T]:
    """Rows whose `column` is among `values`, in storage order."""
    found: list[tuple[int, T]] = []
    for chunk in _chunks(values):
        query = sa.select(table.c.seq, table.c.payload).where(column.in_(chunk))
        found.extend((seq, _loads(codec, cls, payload)) for seq, payload in connection.execute(query))
    found.sort(key=lambda item: item[0])
    return [value for _, value in found]


def _column_where(connection: Connection, select: sa.Column, column: sa.Column, values: Sequence[str]) -> set[Any]:
    out: set[Any] = set()
    for chunk in _chunks(values):
        out.update(connection.scalars(sa.select(select).where(column.in_(chunk))))
    return out


def _records(connection: Connection, codec: Codec, document_ids: list[str], event_ids: list[str]) -> Corpus:
    """`store.listing.slice_corpus` by indexed queries: each step reads the rows its keys name."""
    links_t, props_t = event_links_table, propositions_table
    proposed = [cid for p in _payloads_where(connection, codec, props_t, Proposition, props_t.c.event_id, event_ids) for cid in p.claim_ids]
    core = set(document_ids)
    core |= _column_where(connection, links_t.c.document_id, links_t.c.event_id, event_ids)
    core |= _column_where(connection, claims_table.c.document_id, claims_table.c.id, proposed)
    core = _existing(connection, sorted(core))
    core_ids = sorted(core)
    links = _payloads_where(connection, codec, links_t, EventLink, links_t.c.document_id, core_ids)
    events_ids = sorted(set(event_ids) | {link.event_id for link in links})
    events = _payloads_where(connection, codec, events_table, Event, events_table.c.id, events_ids)
    propositions = _payloads_where(connection, codec, props_t, Proposition, props_t.c.event_id, events_ids)
    contradictions = _payloads_where(connection, codec, contradictions_table, Contradiction, contradictions_table.c.event_id, events_ids)
    updates = _payloads_where(connection, codec, updates_table, Update, updates_table.c.event_id, events_ids)
    copies = _copies_touching(connection, codec, core_ids)
    dispatch_seqs = sorted(_column_where(connection, dispatch_documents_table.c.dispatch_seq, dispatch_documents_table.c.document_id, core_ids))
    dispatches: list[Dispatch] = []
    for i in range(0, len(dispatch_seqs), CHUNK):
        query = sa.select(dispatches_table.c.payload).where(dispatches_table.c.seq.in_(dispatch_seqs[i : i + CHUNK])).order_by(dispatches_table.c.seq)
        dispatches.extend(_loads(codec, Dispatch, payload) for payload in connection.scalars(query))
    named = listing.documents_named(core, events, propositions, contradictions, updates, copies, dispatches)
    documents = _payloads_where(connection, codec, documents_table, Document, documents_table.c.id, sorted(named))
    documents_count = 0
    stored = connection.scalar(sa.select(results_other_table.c.payload).where(results_other_table.c.name == "documents"))
    if stored is not None:
        documents_count = int(json.loads(stored))
    return Corpus(
        documents=tuple(documents),
        analyses=tuple(_analyses_of(connection, codec, core_ids)),
        copies=copies,
        results=CorpusResults(
            events=tuple(events),
            event_links=tuple(links),
            propositions=tuple(propositions),
            contradictions=tuple(contradictions),
            updates=tuple(updates),
            dispatches=tuple(dispatches),
            documents=documents_count,
        ),
    )


def _copies_touching(connection: Connection, codec: Codec, document_ids: Sequence[str]) -> tuple[CopyLink, ...]:
    """Copy links with either end among these documents, in storage order."""
    found: dict[int, CopyLink] = {}
    for chunk in _chunks(document_ids):
        query = sa.select(copies_table).where(copies_table.c.copy.in_(chunk) | copies_table.c.original.in_(chunk))
        for r in connection.execute(query):
            found[r.seq] = CopyLink(r.copy, r.original, CopyKind(r.kind), r.similarity, _evidence(codec, r.evidence))
    return tuple(found[seq] for seq in sorted(found))


def _index_events(connection: Connection, results: CorpusResults) -> None:
    """Fill `event_index` from these results and the stored documents and claims they link."""
    connection.execute(event_index_table.delete())
    if not results.events:
        return
    linked = sorted({link.document_id for link in results.event_links})
    documents: dict[str, listing.DocumentRef] = {}
    claims: list[ClaimRef] = []
    d, c = documents_table.c, claims_table.c
    for chunk in _chunks(linked):
        for row in connection.execute(sa.select(d.id, d.source, d.title, d.outlet, d.url).where(d.id.in_(chunk))):
            documents[row.id] = listing.DocumentRef(row.id, row.source, row.title, row.outlet, row.url)
        query = sa.select(c.document_id, c.id, c.span_start, c.span_end, c.speaker).where(c.document_id.in_(chunk))
        claims.extend(ClaimRef(r[0], r[1], r[2], r[3], r[4] or "") for r in connection.execute(query))
    facets = listing.event_facets(results, documents, claims, listing.label_languages())
    ranks = listing.ranks(facets)
    rows = [
        {
            "event_id": f.event_id, "seq": i + 1, "start": f.start.isoformat() if f.start else None,
            "last": f.last.isoformat() if f.last else None, "brief": int(f.brief), "documents": f.documents,
            "main_reports": f.main_reports, "contradictions": f.contradictions, "title_key": f.title_key,
            "places": f.places, "actors": f.actors, "sources": f.sources, "words": f.words,
            "rank_latest": ranks[EventOrder.LATEST][i], "rank_earliest": ranks[EventOrder.EARLIEST][i],
            "rank_documents": ranks[EventOrder.DOCUMENTS][i],
        }
        for i, f in enumerate(facets)
    ]
    for i in range(0, len(rows), 1000):
        connection.execute(event_index_table.insert(), rows[i : i + 1000])


def index_behind(connection: Connection) -> bool:
    """Whether `event_index` misses events (a store migrated from before it): `SqlStore` refills it."""
    count = lambda table: connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0  # noqa: E731
    return count(event_index_table) != count(events_table)


def refill_event_index(connection: Connection, codec: Codec) -> None:
    results = CorpusResults(
        events=tuple(_loads(codec, Event, p) for p in connection.scalars(sa.select(events_table.c.payload).order_by(events_table.c.seq))),
        event_links=tuple(_loads(codec, EventLink, p) for p in connection.scalars(sa.select(event_links_table.c.payload).order_by(event_links_table.c.seq))),
        propositions=tuple(_loads(codec, Proposition, p) for p in connection.scalars(sa.select(propositions_table.c.payload).order_by(propositions_table.c.seq))),
        contradictions=tuple(_loads(codec, Contradiction, p) for p in connection.scalars(sa.select(contradictions_table.c.payload).order_by(contradictions_table.c.seq))),
    )
    _index_events(connection, results)
