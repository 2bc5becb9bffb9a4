"""Throwaway databases for the tests that run over every store."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def postgres_database() -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL schema on the database RECOUPE_TEST_POSTGRES_URL names, dropped afterwards.

    A schema (first on the URL's search path, before `public` which holds the
    `unaccent` extension) costs a few milliseconds where a database costs a
    second. .ci/run starts a throwaway server and sets the variable: in CI
    (CI=true) a missing server is a failure, never a skip."""
    server = os.environ.get("RECOUPE_TEST_POSTGRES_URL")
    if not server:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("RECOUPE_TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL and sets it")
        pytest.skip("RECOUPE_TEST_POSTGRES_URL is not set (bash .ci/run starts a PostgreSQL server)")
    import psycopg
    from sqlalchemy import make_url

    schema = f"recoupe_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
        connection.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(server)
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema},public"}).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
