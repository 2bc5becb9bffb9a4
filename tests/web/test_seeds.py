"""The served UI over the real seeds (../shared/corpus/seeds, skipped when absent): search answers with the event."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from recoupe.model import EventRole
from recoupe.report.basemap import load_basemap
from recoupe.web.app import create_app
from report.seeds_run import run_seeds, seed_document

pytestmark = pytest.mark.model

RAID_2024 = ("000", "001", "002")  # the March 2024 incursions near Tiotkino, reported as main story by all three


@pytest.fixture(scope="module")
def seeds_store(seeds_dir, tools):
    return run_seeds(seeds_dir, tools)


@pytest.fixture(scope="module")
def client(seeds_store) -> TestClient:
    return TestClient(create_app(seeds_store, basemap=load_basemap()))


@pytest.fixture(scope="module")
def raid(seeds_store):
    """The event documents 000-002 lead with, and those documents' ids."""
    corpus = seeds_store.load()
    ids = {seed_document(corpus.documents, n).id for n in RAID_2024}
    events = {link.event_id for link in corpus.results.event_links if link.document_id in ids and link.role == EventRole.MAIN}
    assert len(events) == 1, "documents 000-002 should lead with one event"
    return events.pop(), ids


def test_seeds_api_search_tiotkino_returns_the_raid_event_and_its_documents(client, raid):
    event_id, document_ids = raid
    answer = client.get("/api/search", params={"q": "Tiotkino"}).json()
    assert answer["events"][0]["event"]["id"] == event_id
    assert set(answer["events"][0]["hit_documents"]) == document_ids
    assert [e["event"]["id"] for e in answer["events"]] == [event_id]  # the May 2023 raid never names the village
    assert {hit["document"] for hit in answer["hits"]} == document_ids


def test_seeds_search_page_lists_the_raid_event_above_the_documents(client, raid):
    event_id, document_ids = raid
    html = client.get("/search", params={"q": "tiotkino"}).text
    event_link = f'href="/events/{event_id}"'
    assert event_link in html
    assert all(f'href="/documents/{d}' in html for d in document_ids)
    assert html.index(event_link) < min(html.index(f'href="/documents/{d}') for d in document_ids)


def test_seeds_index_shows_the_two_raids_before_the_briefs(client, seeds_store):
    corpus = seeds_store.load()
    mains = {link.event_id for link in corpus.results.event_links if link.role == EventRole.MAIN}
    briefs = {e.id for e in corpus.results.events} - mains
    html = client.get("/").text
    assert len(mains) == 2 and len(briefs) == 2
    last_main = max(html.index(f'href="/events/{e}"') for e in mains)
    assert last_main < html.index('id="h-briefs"') < min(html.index(f'href="/events/{e}"') for e in briefs)
    listed = client.get("/api/events").json()["events"]
    assert [e["brief"] for e in listed] == [False, False, True, True]


@pytest.mark.parametrize("place", ["Koursk", "Kursk", "tiotkino", "Tëtkino"])
def test_seeds_place_filter_finds_the_raid_by_any_spelling(client, raid, place):
    event_id, _ = raid
    listed = client.get("/api/events", params={"place": place}).json()["events"]
    assert event_id in [e["event"]["id"] for e in listed]
