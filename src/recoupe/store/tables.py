"""The SQL stores' tables as SQLAlchemy Core sees them, for queries.

The schema itself is created and changed only by the Alembic migrations in
`migrations/versions/`; tests/store/test_contract.py checks that a migrated
file has every column declared here.
"""

from __future__ import annotations

import sqlalchemy as sa

from recoupe.model import Contradiction, Entity, Event, EventLink, Proposition

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
results_other_table = sa.Table("results_other", metadata, sa.Column("name", sa.Text), sa.Column("payload", sa.Text))
# FTS5 on SQLite (stems and variants as text), tsvector columns on PostgreSQL (store/postgres.py).
search_table = sa.Table(
    "search", metadata,
    sa.Column("kind", sa.Text), sa.Column("document_id", sa.Text), sa.Column("claim_id", sa.Text),
    sa.Column("language", sa.Text), sa.Column("title", sa.Text), sa.Column("body", sa.Text),
    sa.Column("stems", sa.Text), sa.Column("variants", sa.Text),
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
