"""Initial schema: documents, analyses, claims, copies, the cross-document results and the search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Payloads are `recoupe.codec.to_data` JSON: a field added to a model class needs
no migration (old rows load with the field's default). Columns beside the
payload exist only for lookups and ordering.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("content_hash", sa.Text, nullable=False, index=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_table(
        "analyses",
        sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_table(
        "claims",
        sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("id", sa.Text, primary_key=True),
    )
    op.create_index("ix_claims_id", "claims", ["id"])
    op.create_table(
        "copies",
        sa.Column("copy", sa.Text, sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("original", sa.Text, sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
    )
    for name in ("entities", "events"):
        op.create_table(
            name,
            sa.Column("id", sa.Text, primary_key=True),
            sa.Column("seq", sa.Integer, nullable=False, unique=True),
            sa.Column("payload", sa.Text, nullable=False),
        )
    op.create_table(
        "propositions",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("event_id", sa.Text, nullable=False, index=True),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_table(
        "event_links",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Text, nullable=False, index=True),
        sa.Column("document_id", sa.Text, nullable=False, index=True),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_table(
        "contradictions",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Text, nullable=False, index=True),
        sa.Column("payload", sa.Text, nullable=False),
    )
    # CorpusResults fields without a table of their own: one row per field, the whole tuple as payload.
    op.create_table(
        "results_other",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("payload", sa.Text, nullable=False),
    )
    # One row per document (title, cleaned text) and per claim (its text);
    # `variants` holds consonant skeletons for the transliteration fallback.
    # PostgreSQL gets its search table from revision 0002.
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE search USING fts5("
        "kind UNINDEXED, document_id UNINDEXED, claim_id UNINDEXED, title, body, variants, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search")
    for name in ("results_other", "contradictions", "event_links", "propositions", "events", "entities", "copies", "claims", "analyses", "documents"):
        op.drop_table(name)
