"""Paged reads: what pages and cross-document stages ask for, answered by indexes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

- `documents.url` (the source filter reads it without decoding the payload).
- `claims` gains the claim's span and speaker, so a claim's event is decided
  from the table (`claims.claim_owners`) without decoding analyses.
- `updates` and `dispatches` (with `dispatch_documents`) leave `results_other`
  for tables of their own: a page reads an event's updates, a document's dispatches.
- `event_index`: one row per event with what the events list filters and sorts
  by (`store.listing.EventFacets`); the store fills it from the stored results
  when it is behind them (`SqlStore` on open), so this revision leaves it empty.
- `copy_keys`: a document's LSH band keys, for copy candidates by lookup.
- `copies.original` and `documents.published` indexed: a page reads the copies of
  one document, the events stage the documents of a time window.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("url", sa.Text))
    op.add_column("claims", sa.Column("span_start", sa.Integer, nullable=False, server_default="0"))
    op.add_column("claims", sa.Column("span_end", sa.Integer, nullable=False, server_default="0"))
    op.add_column("claims", sa.Column("speaker", sa.Text))
    op.create_index("ix_copies_original", "copies", ["original"])
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_table(
        "updates",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Text, nullable=False, index=True),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_table(
        "dispatches",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_table(
        "dispatch_documents",
        sa.Column("dispatch_seq", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Text, primary_key=True),
    )
    op.create_index("ix_dispatch_documents_document_id", "dispatch_documents", ["document_id"])
    op.create_table(
        "event_index",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("start", sa.Text),
        sa.Column("last", sa.Text),
        sa.Column("brief", sa.Integer, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("main_reports", sa.Integer, nullable=False),
        sa.Column("contradictions", sa.Integer, nullable=False),
        sa.Column("title_key", sa.Text, nullable=False),
        sa.Column("places", sa.Text, nullable=False),
        sa.Column("actors", sa.Text, nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("words", sa.Text, nullable=False),
        # The event's position in each order of the list (store/listing.py `sort_key`): a page is an index range.
        sa.Column("rank_latest", sa.Integer, nullable=False),
        sa.Column("rank_earliest", sa.Integer, nullable=False),
        sa.Column("rank_documents", sa.Integer, nullable=False),
    )
    for order in ("latest", "earliest", "documents"):
        op.create_index(f"ix_event_index_rank_{order}", "event_index", [f"rank_{order}"])
    op.create_table(
        "copy_keys",
        sa.Column("key", sa.BigInteger, nullable=False),
        sa.Column("document_id", sa.Text, nullable=False),
    )
    op.create_index("ix_copy_keys_key", "copy_keys", ["key"])
    op.create_index("ix_copy_keys_document_id", "copy_keys", ["document_id"])
    _backfill()


def downgrade() -> None:
    connection = op.get_bind()
    moved = {}
    for name in ("updates", "dispatches"):
        rows = connection.execute(sa.text(f"SELECT payload FROM {name} ORDER BY seq")).scalars().all()
        if rows:
            moved[name] = "[" + ",".join(rows) + "]"
    for name in ("copy_keys", "event_index", "dispatch_documents", "dispatches", "updates"):
        op.drop_table(name)
    op.drop_index("ix_copies_original", "copies")
    op.drop_index("ix_documents_published", "documents")
    for column in ("speaker", "span_end", "span_start"):
        op.drop_column("claims", column)
    op.drop_column("documents", "url")
    for name, payload in moved.items():
        connection.execute(sa.text("INSERT INTO results_other (name, payload) VALUES (:name, :payload)"), {"name": name, "payload": payload})


def _backfill() -> None:
    """Fill the new columns and tables from the stored payloads (plain JSON: no recoupe code)."""
    connection = op.get_bind()
    for document_id, payload in connection.execute(sa.text("SELECT id, payload FROM documents")).fetchall():
        url = json.loads(payload).get("url")
        if url:
            connection.execute(sa.text("UPDATE documents SET url = :url WHERE id = :id"), {"url": url, "id": document_id})
    update_claim = sa.text(
        "UPDATE claims SET span_start = :start, span_end = :end, speaker = :speaker WHERE document_id = :document_id AND id = :id"
    )
    for document_id, payload in connection.execute(sa.text("SELECT document_id, payload FROM analyses")).fetchall():
        seen = set()
        for claim in json.loads(payload).get("claims") or ():
            if claim["id"] in seen:
                continue
            seen.add(claim["id"])
            speaker = (claim.get("speaker") or {}).get("name")
            connection.execute(
                update_claim,
                {"start": claim["span"]["start"], "end": claim["span"]["end"], "speaker": speaker, "document_id": document_id, "id": claim["id"]},
            )
    others = dict(connection.execute(sa.text("SELECT name, payload FROM results_other WHERE name IN ('updates', 'dispatches')")).fetchall())
    for seq, update in enumerate(json.loads(others.get("updates", "[]")), 1):
        connection.execute(
            sa.text("INSERT INTO updates (seq, event_id, payload) VALUES (:seq, :event_id, :payload)"),
            {"seq": seq, "event_id": update["event_id"], "payload": json.dumps(update, ensure_ascii=False, separators=(",", ":"))},
        )
    for seq, dispatch in enumerate(json.loads(others.get("dispatches", "[]")), 1):
        connection.execute(
            sa.text("INSERT INTO dispatches (seq, id, payload) VALUES (:seq, :id, :payload)"),
            {"seq": seq, "id": dispatch["id"], "payload": json.dumps(dispatch, ensure_ascii=False, separators=(",", ":"))},
        )
        for document_id in dict.fromkeys(dispatch["documents"]):
            connection.execute(
                sa.text("INSERT INTO dispatch_documents (dispatch_seq, document_id) VALUES (:seq, :document_id)"),
                {"seq": seq, "document_id": document_id},
            )
    connection.execute(sa.text("DELETE FROM results_other WHERE name IN ('updates', 'dispatches')"))
