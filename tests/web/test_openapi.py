"""The JSON API against its own OpenAPI schema, by schemathesis: generated requests, every check."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from recoupe.model import DocumentBatch
from recoupe.report.basemap import load_basemap
from recoupe.store.memory import MemoryStore
from recoupe.web.app import create_app


@pytest.fixture(scope="module")
def api_schema(sample):
    store = MemoryStore()
    store.save_batch(DocumentBatch(sample.documents, sample.analyses, sample.copies))
    store.save_results(sample.results)
    app = create_app(store, basemap=load_basemap())
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def test_api_answers_as_its_schema_says(api_schema):
    """Every operation, with generated valid and invalid inputs: 0 failures (schemathesis, all checks)."""
    operations = _operations(api_schema)
    assert {op.path for op in operations} == {"/api/events", "/api/events/{event_id}", "/api/documents/{document_id}", "/api/search"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        check()
