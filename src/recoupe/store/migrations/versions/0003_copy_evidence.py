"""Copy evidence: each stored copy link keeps its aligned passages.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

`copies.evidence` holds the link's `AlignedPassage`s as JSON (the codec's form:
spans in the copy and in the original). Links stored before this revision have
none recorded: NULL reads back as no evidence, and the next run that finds the
link again does not rewrite it, so their evidence stays empty until the store
is rebuilt.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("copies") as table:
        table.add_column(sa.Column("evidence", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("copies") as table:
        table.drop_column("evidence")
