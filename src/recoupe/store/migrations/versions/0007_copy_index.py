"""The copy index kept in the store: copy candidates by lookup, whatever the store's size.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

A run's copy detector (`copies.CopyDetector` over `store.copy_index.StoredCopies`)
asks the store, for each new document, what it used to hold in memory for every
stored document:

- `copy_held`: the documents held (the last `CopySettings.max_documents` given),
  with their arrival number and, for the first held with a text's word signature,
  that signature (exact copies find it).
- `copy_keys` (from 0005): each held document's LSH band keys.
- `copy_pairs`: the postings of anchor pairs, a document under each pair not yet
  common when it came (`max_posting`), with its arrival.
- `copy_anchors`: how many held documents have each anchor (the rarity of names
  and figures).

`store_meta` holds `copy_fingerprint` (what the keys were computed with),
`copy_seen` (the stored documents the index was given) and `copy_arrivals`. A
store migrated here has an empty index and `copy_seen` 0: the next run that has
a new document to compare builds it once from the stored documents. Rows of
`copy_keys` written before (by a benchmark only) are dropped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM copy_keys")
    op.create_table(
        "copy_held",
        sa.Column("document_id", sa.Text, primary_key=True),
        sa.Column("arrival", sa.BigInteger, nullable=False),
        sa.Column("signature", sa.Text, nullable=True),
    )
    op.create_index("ix_copy_held_arrival", "copy_held", ["arrival"])
    op.create_index("ix_copy_held_signature", "copy_held", ["signature"])
    op.create_table(
        "copy_pairs",
        sa.Column("pair", sa.BigInteger, nullable=False),
        sa.Column("document_id", sa.Text, nullable=False),
        sa.Column("arrival", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_copy_pairs_pair", "copy_pairs", ["pair", "arrival"])
    op.create_index("ix_copy_pairs_document_id", "copy_pairs", ["document_id"])
    op.create_table(
        "copy_anchors",
        sa.Column("anchor", sa.BigInteger, primary_key=True),
        sa.Column("documents", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for name in ("copy_anchors", "copy_pairs", "copy_held"):
        op.drop_table(name)
    op.execute("DELETE FROM store_meta WHERE name IN ('copy_fingerprint', 'copy_seen', 'copy_arrivals')")
