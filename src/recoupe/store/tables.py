"""The SQL stores' tables as SQLAlchemy Core sees them, for queries.

The schema itself is created and changed only by the Alembic migrations in
`migrations/versions/`; tests/store/test_contract.py checks that a migrated
file has every column declared here.
"""

from __future__ import annotations

import sqlalchemy as sa

from recoupe.model import Contradiction, Dispatch, Entity, Event, EventLink, Proposition, Update

metadata = sa.MetaData()
documents_table = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("seq", sa.Integer), sa.Column("content_hash", sa.Text), sa.Column("source", sa.Text),
    sa.Column("title", sa.Text), sa.Column("outlet", sa.Text), sa.Column("language", sa.Text),
    sa.Column("published", sa.Text), sa.Column("payload", sa.Text), sa.Column("url", sa.Text),
)
analyses_table = sa.Table(
    "analyses", metadata,
    sa.Column("document_id", sa.Text, primary_key=True), sa.Column("seq", sa.Integer), sa.Column("payload", sa.Text),
)
claims_table = sa.Table(
    "claims", metadata,
    sa.Column("document_id", sa.Text), sa.Column("id", sa.Text),
    sa.Column("span_start", sa.Integer), sa.Column("span_end", sa.Integer), sa.Column("speaker", sa.Text),
)
copies_table = sa.Table(
    "copies", metadata,
    sa.Column("copy", sa.Text), sa.Column("original", sa.Text), sa.Column("seq", sa.Integer),
    sa.Column("kind", sa.Text), sa.Column("similarity", sa.Float), sa.Column("evidence", sa.Text),
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
updates_table = sa.Table(
    "updates", metadata, sa.Column("seq", sa.Integer), sa.Column("event_id", sa.Text), sa.Column("payload", sa.Text),
)
dispatches_table = sa.Table(
    "dispatches", metadata, sa.Column("seq", sa.Integer), sa.Column("id", sa.Text), sa.Column("payload", sa.Text),
)
dispatch_documents_table = sa.Table(
    "dispatch_documents", metadata, sa.Column("dispatch_seq", sa.Integer), sa.Column("document_id", sa.Text),
)
# One row per event: what the events list filters and sorts by (store/listing.py EventFacets).
event_index_table = sa.Table(
    "event_index", metadata,
    sa.Column("event_id", sa.Text), sa.Column("seq", sa.Integer), sa.Column("start", sa.Text), sa.Column("last", sa.Text),
    sa.Column("brief", sa.Integer), sa.Column("documents", sa.Integer), sa.Column("main_reports", sa.Integer),
    sa.Column("contradictions", sa.Integer), sa.Column("title_key", sa.Text), sa.Column("places", sa.Text),
    sa.Column("actors", sa.Text), sa.Column("sources", sa.Text), sa.Column("words", sa.Text),
    sa.Column("rank_latest", sa.Integer), sa.Column("rank_earliest", sa.Integer), sa.Column("rank_documents", sa.Integer),
)
# LSH band keys of each document's MinHash: copy candidates by lookup, not by a rebuilt index.
copy_keys_table = sa.Table("copy_keys", metadata, sa.Column("key", sa.BigInteger), sa.Column("document_id", sa.Text))
# The rest of the copy index (migration 0007): held documents, anchor-pair postings, anchor counts.
copy_held_table = sa.Table(
    "copy_held", metadata,
    sa.Column("document_id", sa.Text, primary_key=True), sa.Column("arrival", sa.BigInteger), sa.Column("signature", sa.Text),
)
copy_pairs_table = sa.Table(
    "copy_pairs", metadata, sa.Column("pair", sa.BigInteger), sa.Column("document_id", sa.Text), sa.Column("arrival", sa.BigInteger),
)
copy_anchors_table = sa.Table("copy_anchors", metadata, sa.Column("anchor", sa.BigInteger, primary_key=True), sa.Column("documents", sa.Integer))
results_other_table = sa.Table("results_other", metadata, sa.Column("name", sa.Text), sa.Column("payload", sa.Text))
# FTS5 on SQLite (stems and variants as text), tsvector columns on PostgreSQL (store/postgres.py).
search_table = sa.Table(
    "search", metadata,
    sa.Column("kind", sa.Text), sa.Column("document_id", sa.Text), sa.Column("claim_id", sa.Text),
    sa.Column("language", sa.Text), sa.Column("title", sa.Text), sa.Column("body", sa.Text),
    sa.Column("stems", sa.Text), sa.Column("variants", sa.Text),
)
# Facts about the store itself: "search_folding", the name-folding version of the indexed skeletons.
store_meta_table = sa.Table("store_meta", metadata, sa.Column("name", sa.Text, primary_key=True), sa.Column("value", sa.Text))
# save_results replaces these as a whole: (CorpusResults field, table, record class).
RESULT_TABLES: tuple[tuple[str, sa.Table, type], ...] = (
    ("entities", entities_table, Entity),
    ("events", events_table, Event),
    ("event_links", event_links_table, EventLink),
    ("propositions", propositions_table, Proposition),
    ("contradictions", contradictions_table, Contradiction),
    ("updates", updates_table, Update),
    ("dispatches", dispatches_table, Dispatch),
)

DEDICATED = {name for name, _, _ in RESULT_TABLES}
