"""Alembic environment for Recoupe's store: run programmatically by `store.sqlite`, never from an ini file.

The caller passes an open SQLAlchemy connection in `config.attributes["connection"]`.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
