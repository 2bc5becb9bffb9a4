"""Stemmed full-text search: French and English Snowball stems beside the folded words.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

SQLite: the FTS5 table gains `language` and `stems` (stem forms computed by
PyStemmer); FTS5 tables cannot gain columns, so it is rebuilt and refilled from
the stored documents and analyses. PostgreSQL: the `unaccent` extension and a
`search` table with tsvector columns under GIN indexes.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FTS5_0001 = (
    "CREATE VIRTUAL TABLE search USING fts5("
    "kind UNINDEXED, document_id UNINDEXED, claim_id UNINDEXED, title, body, variants, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)
FTS5_0002 = (
    "CREATE VIRTUAL TABLE search USING fts5("
    "kind UNINDEXED, document_id UNINDEXED, claim_id UNINDEXED, language, title, body, stems, variants, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search")
        op.execute(FTS5_0002)
        _refill(with_stems=True)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.create_table(
        "search",
        sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id"), nullable=False, index=True),
        sa.Column("claim_id", sa.Text),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("words", sa.dialects.postgresql.TSVECTOR, nullable=False),
        sa.Column("stems", sa.dialects.postgresql.TSVECTOR, nullable=False),
        sa.Column("variants", sa.dialects.postgresql.TSVECTOR, nullable=False),
    )
    for column in ("words", "stems", "variants"):
        op.create_index(f"ix_search_{column}", "search", [column], postgresql_using="gin")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search")
        op.execute(FTS5_0001)
        _refill(with_stems=False)
        return
    op.drop_table("search")


def _refill(with_stems: bool) -> None:
    """Index every stored document and claim again, in storage order."""
    from recoupe.codec import Codec
    from recoupe.model import Analysis, Document
    from recoupe.store import search as text_search
    from recoupe.store.sqlite import search_row

    connection = op.get_bind()
    codec = Codec()
    stemmers = text_search.Stemmers.load()
    columns = ["kind", "document_id", "claim_id", "title", "body", "variants"] + (["language", "stems"] if with_stems else [])
    insert = sa.text(f"INSERT INTO search ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})")
    one_document = sa.text("SELECT payload FROM documents WHERE id = :id")
    for (payload,) in connection.execute(sa.text("SELECT payload FROM documents ORDER BY seq")).fetchall():
        document = codec.from_data(Document, json.loads(payload))
        connection.execute(insert, _row(text_search.searchable_document(document), stemmers, columns, search_row))
    for (payload,) in connection.execute(sa.text("SELECT payload FROM analyses ORDER BY seq")).fetchall():
        analysis = codec.from_data(Analysis, json.loads(payload))
        if not analysis.claims:
            continue
        document = codec.from_data(Document, json.loads(connection.scalar(one_document, {"id": analysis.document_id})))
        for claim in analysis.claims:
            connection.execute(insert, _row(text_search.searchable_claim(claim, document), stemmers, columns, search_row))


def _row(unit, stemmers, columns, search_row) -> dict:
    row = search_row(unit, stemmers)
    return {c: row[c] for c in columns}
