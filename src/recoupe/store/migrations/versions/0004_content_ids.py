"""Document ids from content: a document is its text plus its URL, never the path as typed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

Before, an id hashed the path as typed with the text, so `dev`, `./dev/` and an
absolute path stored one text three times, and a store made then would take
every document again under its new id. This revision gives each document
stored under an old id, sha256(path, NUL, text)[:16], its new id,
sha256(URL or "", NUL, text)[:16] (`clean.document_id`, frozen here), and
rewrites every reference to it: the id columns and, in the JSON payloads, each
string equal to an old id (spans, links, results, copy evidence). Claim and event ids are
opaque and stay, so bookmarked `/events/<id>` links survive.

Documents that now share an id (one text stored under several path spellings)
become one: the first stored stays; the others go with their analyses, claims,
search rows and event links, and their copy links move to the one kept (links
between two spellings of one text go). The derived results (entities, events,
propositions, contradictions and the rest) named the spellings that went, so they
are cleared: the store then holds results of 0 documents, and the next run derives
them again from the event links kept.

There is no way back (the old ids hashed a path the store does not keep as
typed): the downgrade leaves the ids as they are.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Tables whose payload may name documents (results and analyses), and their key column.
PAYLOAD_TABLES = (
    ("analyses", "document_id"),
    ("entities", "id"),
    ("events", "id"),
    ("propositions", "id"),
    ("event_links", "seq"),
    ("contradictions", "seq"),
    ("results_other", "name"),
)


def content_id(url: str | None, text: str) -> str:
    return _digest(f"{url or ''}\0{text}")


def path_id(source: str, text: str) -> str:
    """The id before this revision: the path as typed, with the text."""
    return _digest(f"{source}\0{text}")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def upgrade() -> None:
    connection = op.get_bind()
    first_of: dict[str, str] = {}  # new id -> old id of the first document stored with it
    keeper: dict[str, str] = {}  # old id of a later spelling -> old id of the document kept for its text
    renamed: dict[str, str] = {}  # old id -> new id, for every kept document whose id changes
    for old, payload in connection.execute(sa.text("SELECT id, payload FROM documents ORDER BY seq")).fetchall():
        data = json.loads(payload)
        # Only ids the old rule made are changed: an id given some other way (a caller's own) stays.
        new = content_id(data.get("url"), data["text"]) if old == path_id(data["source"], data["text"]) else old
        if new in first_of:
            keeper[old] = first_of[new]
            continue
        first_of[new] = old
        if new != old:
            renamed[old] = new
    if keeper:
        _drop_documents(connection, keeper)
    if renamed:
        _rename_documents(connection, renamed)


def downgrade() -> None:
    """Ids stay content-based: the paths the old ids hashed are not kept as typed."""


def _drop_documents(connection: Any, keeper: dict[str, str]) -> None:
    """Remove later spellings of a stored text, their copy links moved to the one kept, and mark
    the results out of date: they are derived again, from one document per text, by the next run."""
    # The first link of each pair, once re-pointed, stays (with its evidence); a link between
    # two spellings of one text, or repeating a pair, goes.
    links = connection.execute(sa.text('SELECT "copy", original FROM copies ORDER BY seq')).fetchall()
    kept_pairs: set[tuple[str, str]] = set()
    moves: list[tuple[tuple[str, str], tuple[str, str]]] = []
    for copy, original in links:
        pair = (keeper.get(copy, copy), keeper.get(original, original))
        if pair[0] == pair[1] or pair in kept_pairs:
            connection.execute(sa.text('DELETE FROM copies WHERE "copy" = :c AND original = :o'), {"c": copy, "o": original})
            continue
        kept_pairs.add(pair)
        if pair != (copy, original):
            moves.append(((copy, original), pair))
    for (copy, original), (to_copy, to_original) in moves:  # after the deletions: no pair is taken twice
        connection.execute(
            sa.text('UPDATE copies SET "copy" = :nc, original = :no WHERE "copy" = :c AND original = :o'),
            {"c": copy, "o": original, "nc": to_copy, "no": to_original},
        )
    for old in keeper:
        for table in ("search", "claims", "analyses", "event_links"):
            connection.execute(sa.text(f"DELETE FROM {table} WHERE document_id = :id"), {"id": old})
        connection.execute(sa.text("DELETE FROM documents WHERE id = :id"), {"id": old})
    # Results name the spellings that went (contradictions between a text and itself): out of date.
    for table in ("entities", "events", "propositions", "contradictions", "results_other"):
        connection.execute(sa.text(f"DELETE FROM {table}"))


def _rename_documents(connection: Any, renamed: dict[str, str]) -> None:
    """New ids everywhere: rows under the new id are inserted before the old ones go (foreign keys hold throughout)."""
    offset = (connection.scalar(sa.text("SELECT max(seq) FROM documents")) or 0) + 1
    rows = connection.execute(
        sa.text("SELECT id, seq, content_hash, source, title, outlet, language, published, payload FROM documents")
    ).mappings().fetchall()
    for row in rows:
        if row["id"] not in renamed:
            continue
        values = {**row, "id": renamed[row["id"]], "seq": row["seq"] + offset, "payload": _rewrite(row["payload"], renamed)}
        connection.execute(
            sa.text(
                "INSERT INTO documents (id, seq, content_hash, source, title, outlet, language, published, payload) "
                "VALUES (:id, :seq, :content_hash, :source, :title, :outlet, :language, :published, :payload)"
            ),
            values,
        )
    for old, new in renamed.items():
        parameters = {"old": old, "new": new}
        for table, column in (("analyses", "document_id"), ("claims", "document_id"), ("search", "document_id"),
                              ("event_links", "document_id"), ("copies", '"copy"'), ("copies", "original")):
            connection.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old"), parameters)
        connection.execute(sa.text("DELETE FROM documents WHERE id = :old"), parameters)
    connection.execute(sa.text("UPDATE documents SET seq = seq - :offset WHERE seq >= :offset"), {"offset": offset})
    for table, key in PAYLOAD_TABLES:
        for value, payload in connection.execute(sa.text(f"SELECT {key}, payload FROM {table}")).fetchall():
            rewritten = _rewrite(payload, renamed)
            if rewritten != payload:
                connection.execute(sa.text(f"UPDATE {table} SET payload = :payload WHERE {key} = :key"), {"payload": rewritten, "key": value})
    # A copy link's evidence (revision 0003) holds spans in both documents.
    evidence = connection.execute(sa.text('SELECT "copy", original, evidence FROM copies WHERE evidence IS NOT NULL')).fetchall()
    for copy, original, payload in evidence:
        rewritten = _rewrite(payload, renamed)
        if rewritten != payload:
            connection.execute(
                sa.text('UPDATE copies SET evidence = :evidence WHERE "copy" = :c AND original = :o'),
                {"evidence": rewritten, "c": copy, "o": original},
            )


def _rewrite(payload: str, renamed: dict[str, str]) -> str:
    """The JSON payload with every string equal to an old id replaced by the new one."""
    data = json.loads(payload)
    changed = _replace(data, renamed)
    return payload if changed == data else json.dumps(changed, ensure_ascii=False, separators=(",", ":"))


def _replace(value: Any, renamed: dict[str, str]) -> Any:
    if isinstance(value, str):
        return renamed.get(value, value)
    if isinstance(value, list):
        return [_replace(v, renamed) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, renamed) for k, v in value.items()}
    return value
