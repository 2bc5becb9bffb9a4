"""Paged reads, run against every Store: the events list and the records of a page equal what a
whole load would give, and the pages built from them equal the pages of the static report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import sqlite3
from pathlib import Path

import pytest

from recoupe.model import (
    CopyKind,
    CopyLink,
    Corpus,
    Dispatch,
    DocumentBatch,
    EventLink,
    EventOrder,
    EventQuery,
    EventRole,
    Span,
    Statement,
    Update,
)
from recoupe.report.basemap import load_basemap
from recoupe.report.filters import EventFilters, filter_rows
from recoupe.report.html import make_environment, render_event, render_source
from recoupe.report.views import event_rows, index_corpus
from recoupe.store import open_store
from recoupe.store.listing import slice_corpus

from factories import body_document


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'recoupe.db'}"


def _report_sample() -> Corpus:
    path = Path(__file__).parents[1] / "report" / "sample_corpus.py"
    spec = importlib.util.spec_from_file_location("_recoupe_pages_sample_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_sample_corpus()


def rich_corpus() -> Corpus:
    """The report's sample with what its pages can also show: a brief (a live-blog entry of doc-d), a
    figure history, a wire dispatch, a document linked to nothing, and a title made of LIKE wildcards."""
    corpus = _report_sample()
    a, b, c, d = corpus.documents
    lone = body_document("Un article sans rapport avec ces événements, sur la pêche au thon en Bretagne.", id="doc-lone")
    lone = dataclasses.replace(lone, title="100% _pêche_", outlet="Le Marin")
    entry = Span("doc-d", 0, min(40, len(d.text)))
    results = corpus.results
    brief = dataclasses.replace(results.events[1], id="ev-brief", title="Brève : 100% des vols annulés", start=None, end=None)
    claim = corpus.analyses[0].claims[0]
    update = Update("ev-soumy", "dead", (Statement.of_claim(claim), Statement(Span("doc-b", 0, 10), "")))
    results = dataclasses.replace(
        results,
        events=(*results.events, brief),
        event_links=(*results.event_links, EventLink("ev-brief", "doc-d", EventRole.ENTRY, span=entry)),
        updates=(update,),
        dispatches=(Dispatch("dispatch-1", "AFP", ("doc-a", "doc-c")),),
        documents=5,
    )
    return dataclasses.replace(
        corpus,
        documents=(*corpus.documents, lone),
        copies=(*corpus.copies, CopyLink("doc-lone", "doc-b", CopyKind.REWRITE, 0.6)),
        results=results,
    )


@pytest.fixture
def corpus() -> Corpus:
    return rich_corpus()


@pytest.fixture
def store(store_url, corpus):
    opened = open_store(store_url)
    opened.save_batch(DocumentBatch(corpus.documents, corpus.analyses, corpus.copies))
    opened.save_results(corpus.results)
    yield opened
    opened.close()


def _ids(listing) -> list[str]:
    return [summary.event.id for summary in listing.events]


def test_pages_records_equal_the_slice_of_a_whole_load(store):
    whole = store.load()
    cases = [((), (e.id,)) for e in whole.results.events]
    cases += [((d.id,), ()) for d in whole.documents]
    cases += [(("doc-a", "doc-lone"), ("ev-brief",)), ((), ()), (("nope",), ("nope",))]
    for documents, events in cases:
        assert store.records(documents, events) == slice_corpus(whole, documents, events), (documents, events)


def test_pages_event_links_are_every_link_of_the_events_asked_in_storage_order(store):
    whole = store.load()
    for event in whole.results.events:
        assert store.event_links([event.id]) == [l for l in whole.results.event_links if l.event_id == event.id]
    both = {"ev-meeting", "ev-brief"}
    assert store.event_links(sorted(both)) == [l for l in whole.results.event_links if l.event_id in both]
    assert store.event_links(["nope"]) == [] and store.event_links([]) == []


def test_pages_slice_holds_no_unrelated_record(store):
    records = store.records(event_ids=["ev-meeting"])
    assert {d.id for d in records.documents} == {"doc-d"}
    assert {e.id for e in records.results.events} == {"ev-meeting", "ev-brief"}  # doc-d reports both
    assert records.copies == () and records.results.dispatches == () and records.results.contradictions == ()


def test_pages_event_and_source_pages_from_records_equal_the_report(store, corpus):
    env, basemap = make_environment("fr"), load_basemap()
    full = index_corpus(corpus)
    for event in corpus.results.events:
        sliced = index_corpus(store.records(event_ids=[event.id]))
        assert render_event(env, sliced, _Links(), basemap, event.id) == render_event(env, full, _Links(), basemap, event.id)
    for document in corpus.documents:
        sliced = index_corpus(store.records(document_ids=[document.id]))
        assert render_source(env, sliced, _Links(), document.id) == render_source(env, full, _Links(), document.id)


class _Links:
    def index(self): return "/"
    def documents(self): return "/documents"
    def event(self, event_id): return f"/events/{event_id}"
    def document(self, document_id): return f"/documents/{document_id}"
    def span(self, span): return f"/documents/{span.document_id}#s-{span.start}-{span.end}"
    def asset(self, name): return f"/static/{name}"


@pytest.mark.parametrize(
    "filters",
    [
        EventFilters(),
        EventFilters(place="kharkiv"),
        EventFilters(place="KOURSK"),
        EventFilters(actor="hryhorov"),
        EventFilters(actor="diplomate"),
        EventFilters(source="radio est"),
        EventFilters(source="echo copie"),
        EventFilters(date_from=dt.date(2025, 3, 16)),
        EventFilters(date_to=dt.date(2025, 3, 14)),
        EventFilters(date_from=dt.date(2025, 3, 15), date_to=dt.date(2025, 3, 15)),
        EventFilters(place="Paris"),
        EventFilters(text="drones soumy"),
        EventFilters(text="frappe"),
        EventFilters(text="100%"),
        EventFilters(text="%"),
        EventFilters(text="_"),
        EventFilters(source="le marin"),
    ],
)
def test_pages_list_events_filters_as_the_report_does(store, corpus, filters):
    ix = index_corpus(corpus)
    expected = [row.event.id for row in filter_rows(ix, event_rows(ix), filters)]
    expected.sort(key=lambda i: i == "ev-brief")  # lead events first, then briefs, as the list shows them
    query = EventQuery(filters.date_from, filters.date_to, filters.place, filters.actor, filters.source, filters.text)
    listing = store.list_events(query)
    assert _ids(listing) == expected and listing.total == len(expected)


def test_pages_list_events_ignores_a_nul_in_a_filter(store):
    assert _ids(store.list_events(EventQuery(place="Khar\x00kiv", text="\x00"))) == ["ev-soumy"]


def test_pages_list_events_orders_and_counts(store):
    latest = store.list_events(EventQuery())
    assert _ids(latest) == ["ev-meeting", "ev-soumy", "ev-brief"]  # the brief after the lead events
    assert _ids(store.list_events(EventQuery(order=EventOrder.EARLIEST))) == ["ev-soumy", "ev-meeting", "ev-brief"]
    assert _ids(store.list_events(EventQuery(order=EventOrder.DOCUMENTS))) == ["ev-soumy", "ev-meeting", "ev-brief"]
    soumy = next(s for s in latest.events if s.event.id == "ev-soumy")
    brief = next(s for s in latest.events if s.event.id == "ev-brief")
    assert (soumy.documents, soumy.main_reports, soumy.contradictions) == (3, 3, 1)
    assert (brief.documents, brief.main_reports) == (1, 0)


def test_pages_list_events_pages_cover_the_list_once(store):
    whole = _ids(store.list_events(EventQuery(limit=50)))
    pages = [store.list_events(EventQuery(offset=i, limit=1)) for i in range(4)]
    assert [i for page in pages for i in _ids(page)] == whole
    assert all(page.total == 3 for page in pages) and pages[3].events == ()
    assert store.list_events(EventQuery(offset=-5, limit=10**9)).events == store.list_events(EventQuery(limit=50)).events


def test_pages_counts_and_document_ids(store):
    counts = store.counts()
    assert (counts.documents, counts.events, counts.copies, counts.dispatches) == (5, 3, 2, 1)
    claims = sum(len({c.id for c in a.claims}) for a in store.load().analyses)
    assert claims > 0 and (counts.claims, counts.contradictions, counts.derived_from) == (claims, 1, 5)
    assert store.document_ids(1, 2) == ["doc-b", "doc-c"]
    assert store.document_ids(4, 10) == ["doc-lone"] and store.document_ids(9, 10) == []


def test_pages_list_is_rebuilt_with_the_results(store):
    store.save_results(dataclasses.replace(rich_corpus().results, events=(), event_links=(), propositions=(), contradictions=(), updates=()))
    assert store.list_events(EventQuery()).total == 0 and store.counts().events == 0


def test_sqlite_upgrade_to_paged_reads_fills_the_new_tables(tmp_path, corpus):
    from alembic import command
    from alembic.config import Config

    from recoupe.store.sql import MIGRATIONS
    from recoupe.store.sqlite import create_engine, writing

    path = tmp_path / "recoupe.db"
    store = open_store(str(path))
    store.save_batch(DocumentBatch(corpus.documents, corpus.analyses, corpus.copies))
    store.save_results(corpus.results)
    before = store.load()
    listed = store.list_events(EventQuery())
    store.close()
    engine = create_engine(path)
    with writing(engine) as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    engine.dispose()
    with sqlite3.connect(path) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM results_other")}
        assert {"updates", "dispatches"} <= names
    reopened = open_store(str(path))
    assert reopened.revision() == "0007"
    assert reopened.load() == before
    assert reopened.list_events(EventQuery()) == listed
    assert reopened.records(event_ids=["ev-soumy"]) == slice_corpus(before, (), ["ev-soumy"])
    reopened.close()


def test_pages_window_holds_documents_of_stated_days_in_range(store, corpus):
    from recoupe.model import PartialDate
    from recoupe.store.listing import window_corpus

    days = {d.id: d.published for d in corpus.documents}
    assert any(p is not None and p.day is not None for p in days.values())
    whole = store.load()
    for start, end in [(dt.date(2025, 3, 14), dt.date(2025, 3, 14)), (dt.date(2025, 3, 1), dt.date(2025, 3, 31)), (dt.date(2030, 1, 1), dt.date(2030, 1, 2))]:
        window = store.window(start, end)
        assert window == window_corpus(whole, start, end)
        for document in window.documents:
            assert document.published.day is not None and start <= document.published.date <= end
        assert {a.document_id for a in window.analyses} <= {d.id for d in window.documents}
    assert len(store.window(dt.date(2025, 3, 1), dt.date(2025, 3, 31)).documents) == 4  # doc-lone is of 2024
    store.save_batch(DocumentBatch((body_document("Un texte du mois de mars seulement.", PartialDate(2025, 3), id="doc-month"),)))
    assert "doc-month" not in {d.id for d in store.window(dt.date(2025, 3, 1), dt.date(2025, 3, 31)).documents}
