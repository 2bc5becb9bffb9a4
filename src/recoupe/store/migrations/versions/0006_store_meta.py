"""Store facts beside the data: `store_meta` (name -> value).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

It holds `search_folding`: the name-folding version (`recoupe.folding`) the
search index's skeletons were computed with. A store that opens with another
version rebuilds them (`sql.refresh_search_keys`), so a change of the
transliteration table never leaves an index that folds names otherwise than
its queries. A store migrated here has no version yet: its skeletons, made by
the folding before it, are rebuilt at that first opening.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_meta",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("store_meta")
