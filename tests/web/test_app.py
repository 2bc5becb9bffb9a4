"""The web app through FastAPI's TestClient: pages, JSON API, search, filters, token, injected store."""

from __future__ import annotations

import functools
import json

import jsonschema
import pytest
from fastapi.testclient import TestClient

from recoupe.export import export_json
from recoupe.model import Corpus, CorpusResults, DocumentBatch, Event, HitKind, SearchHit
from recoupe.report.basemap import load_basemap
from recoupe.store import open_store
from recoupe.store.listing import slice_corpus
from recoupe.store.memory import MemoryStore
from recoupe.web.app import create_app, get_store


@pytest.fixture(scope="module")
def basemap():
    return load_basemap()


@pytest.fixture
def app_factory(basemap):
    return functools.partial(create_app, basemap=basemap)


@pytest.fixture
def client(app_factory, store) -> TestClient:
    return TestClient(app_factory(store))


def test_app_index_lists_events_with_badges(client):
    html = client.get("/").text
    assert 'href="/events/ev-soumy"' in html and 'href="/events/ev-meeting"' in html
    assert "1 contradiction" in html and "2 sources indépendantes" in html
    assert 'role="search"' in html and 'name="place"' in html


def test_app_event_page_links_claims_to_source_spans(client):
    response = client.get("/events/ev-soumy")
    assert response.status_code == 200
    assert 'href="/documents/doc-b#s-' in response.text and 'class="marker marker-' in response.text


def test_app_source_page_marks_spans(client, sample):
    claim = sample.analyses[0].claims[0]
    html = client.get("/documents/doc-a").text
    assert f'id="s-{claim.span.start}-{claim.span.end}"' in html


def test_app_documents_page_folds_copies(client):
    html = client.get("/documents").text
    assert '<details class="copies">' in html and 'href="/documents/doc-c"' in html


@pytest.mark.parametrize("path", ["/events/nope", "/documents/nope"])
def test_app_unknown_page_is_404_html(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "Introuvable" in response.text


@pytest.mark.parametrize(("path", "status"), [("/api/events/nope", 404), ("/api/documents/nope", 404), ("/api/search", 422)])
def test_app_api_errors(client, path, status):
    assert client.get(path).status_code == status


def test_app_escapes_markup_in_titles(client):
    html = client.get("/").text
    assert "<script>alert" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("place=kharkiv", {"ev-soumy"}),
        ("actor=Hryhorov", {"ev-soumy"}),
        ("source=radio+est", {"ev-soumy"}),
        ("date_from=2025-03-16", {"ev-meeting"}),
        ("date_to=2025-03-15&place=soumy", {"ev-soumy"}),
        ("place=Paris", set()),
        ("", {"ev-soumy", "ev-meeting"}),
    ],
)
def test_app_filters_events_in_api_and_page(client, query, expected):
    data = client.get(f"/api/events?{query}").json()
    assert {e["event"]["id"] for e in data["events"]} == expected and data["count"] == len(expected)
    html = client.get(f"/?{query}").text
    assert {e for e in ("ev-soumy", "ev-meeting") if f'href="/events/{e}"' in html} == expected


def test_app_filter_with_bad_date_is_rejected(client):
    assert client.get("/api/events?date_from=mars").status_code == 422


def test_app_api_event_detail(client):
    data = client.get("/api/events/ev-soumy").json()
    assert data["event"]["title"] == "Frappe de drones sur Soumy"
    assert {c["id"] for c in data["claims"]} == {"claim-a1", "claim-a2", "claim-a3", "claim-b1", "claim-b2", "claim-b3"}
    assert data["contradictions"][0]["claims"] == ["claim-a1", "claim-b1"]
    assert [d["id"] for d in data["documents"]] == ["doc-a", "doc-b", "doc-c"]
    assert data["documents"][2]["copy_of"] == "doc-a"


def test_app_api_document_detail(client, sample):
    data = client.get("/api/documents/doc-c").json()
    assert data["document"]["original_text"] == sample.documents[2].text
    assert data["document"]["copy_of"] == "doc-a" and data["events"] == ["ev-soumy"]
    assert [c["original"] for c in data["copies"]] == ["doc-a"]
    assert len(client.get("/api/documents/doc-a").json()["claims"]) == 3


def test_app_search_finds_documents_and_claims_ignoring_accents(client):
    data = client.get("/api/search", params={"q": "decombres"}).json()
    kinds = {hit["kind"] for hit in data["hits"]}
    assert data["count"] >= 1 and kinds <= {"document", "claim"}
    assert {hit["document"] for hit in data["hits"]} >= {"doc-a"}
    claim_hits = [hit for hit in data["hits"] if hit["kind"] == "claim"]
    assert claim_hits and all(hit["url"].startswith("/documents/doc-a#s-") for hit in claim_hits)
    html = client.get("/search", params={"q": "centrale électrique"}).text
    assert 'href="/documents/doc-b#s-' in html  # the claim hit links to its span


def test_app_search_page_without_query_shows_only_the_form(client):
    response = client.get("/search")
    assert response.status_code == 200 and 'class="hits"' not in response.text


def test_app_openapi_describes_the_json_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{event_id}", "/api/documents/{document_id}", "/api/search"} <= set(paths)
    assert "/" not in paths


def test_app_serves_the_stylesheet(client):
    response = client.get("/static/report.css")
    assert response.status_code == 200 and "mark:target" in response.text


def test_app_switches_language_and_remembers_it(client):
    assert "2 independent sources" in client.get("/?lang=en").text
    assert "2 independent sources" in client.get("/").text  # cookie kept by the client
    french = client.get("/?lang=fr").text
    assert "2 sources indépendantes" in french and 'href="?lang=en"' in french


@pytest.mark.parametrize("path", ["/", "/api/events", "/static/report.css", "/openapi.json", "/events/ev-soumy"])
def test_app_token_refuses_requests_without_it(app_factory, store, path):
    client = TestClient(app_factory(store, token="s3cret"))
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get(path, headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_app_token_in_query_sets_a_cookie_for_later_requests(app_factory, store):
    client = TestClient(app_factory(store, token="s3cret"))
    assert client.get("/?token=wrong").status_code == 401
    assert client.get("/?token=s3cret").status_code == 200
    assert client.get("/events/ev-soumy").status_code == 200


class FakeStore(MemoryStore):
    """A memory store whose search answers a hit on a document it does not hold; it never loads whole."""

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.fill(corpus)
        self.queries: list[str] = []
        self.loads = 0

    def fill(self, corpus: Corpus) -> None:
        self.save_batch(DocumentBatch(corpus.documents, corpus.analyses, corpus.copies))
        self.save_results(corpus.results)

    def load(self) -> Corpus:
        self.loads += 1  # the app must never call it: every page reads by indexed queries
        return super().load()

    def records(self, document_ids=(), event_ids=()) -> Corpus:
        return slice_corpus(super().load(), document_ids, event_ids)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        self.queries.append(query)
        return [SearchHit(HitKind.DOCUMENT, "missing-doc", None, "…texte trouvé…")]


def test_app_store_is_injected_through_a_dependency(app_factory, store):
    fake = FakeStore(Corpus(documents=(), results=CorpusResults(events=(Event("ev-x", "Événement factice"),))))
    app = app_factory(store)
    app.dependency_overrides[get_store] = lambda: fake
    client = TestClient(app)
    assert "Événement factice" in client.get("/").text
    html = client.get("/search?q=trouve").text
    assert fake.queries == ["trouve"] and "…texte trouvé…" in html


def test_app_with_empty_store_degrades(app_factory):
    client = TestClient(app_factory(FakeStore(Corpus(documents=()))))
    assert "Aucun événement pour l’instant." in client.get("/").text
    assert client.get("/api/events").json() == {"count": 0, "offset": 0, "limit": 100, "events": []}


def test_app_filters_form_with_empty_fields_means_any(client):
    html = client.get("/?date_from=&date_to=&place=Kharkiv&actor=&source=").text
    assert 'href="/events/ev-soumy"' in html and 'href="/events/ev-meeting"' not in html


def test_app_over_a_sqlite_store(app_factory, sample, tmp_path):
    store = open_store(str(tmp_path / "recoupe.sqlite"))
    store.save_batch(DocumentBatch(sample.documents, sample.analyses, sample.copies))
    store.save_results(sample.results)
    client = TestClient(app_factory(store))
    assert client.get("/events/ev-soumy").status_code == 200
    hits = client.get("/api/search", params={"q": "centrale"}).json()["hits"]
    assert any(hit["url"].startswith("/documents/doc-b#s-") for hit in hits)
    store.close()


# --- hardening: Host allow-list, headers, error shapes, snapshot ---------------

from recoupe.web.app import SECURITY_HEADERS, allowed_hosts, is_loopback  # noqa: E402


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.4", False), ("example.org", False)])
def test_app_knows_which_addresses_are_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_app_allowed_hosts_for_loopback_and_exposed_servers():
    assert set(allowed_hosts("127.0.0.1", 8000)) >= {"127.0.0.1", "localhost", "[::1]"}
    assert allowed_hosts("0.0.0.0", 8000) is None  # the token guards an exposed server
    assert allowed_hosts("0.0.0.0", 8000, ["news.example.org"]) == ["news.example.org"]


@pytest.mark.parametrize(("host", "status"), [("127.0.0.1:8000", 200), ("localhost:8000", 200), ("[::1]:8000", 200), ("localhost", 200), ("evil.example:8000", 400), ("127.0.0.1.evil.example", 400)])
def test_app_host_allow_list_stops_dns_rebinding(app_factory, store, host, status):
    client = TestClient(app_factory(store, allowed_hosts=allowed_hosts("127.0.0.1", 8000)))
    for path in ("/", "/api/events"):
        assert client.get(path, headers={"Host": host}).status_code == status


@pytest.mark.parametrize("path", ["/", "/api/events", "/static/report.css", "/nope", "/api/events/nope"])
def test_app_sends_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["X-Content-Type-Options"] == "nosniff"


def test_app_security_headers_also_on_refusals(app_factory, store):
    client = TestClient(app_factory(store, token="s3cret"))
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


def test_app_unknown_path_is_an_html_page_and_unknown_api_path_json(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html") and "Introuvable" in page.text
    api = client.get("/api/no/such/thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_app_bad_filter_on_a_page_is_an_html_error(client):
    response = client.get("/?date_from=mars")
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert "date_from" in response.text and "{" not in response.text.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("query", ["date_from=mars", "date_from=2024-02-30", "date_to=2024-13-01"])
def test_app_bad_filter_on_the_api_is_a_validation_error_list(client, query):
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail[0]["loc"][0] == "query"


def test_app_openapi_documents_404s_and_date_formats(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/events/{event_id}", "/api/documents/{document_id}"):
        assert "404" in schema["paths"][path]["get"]["responses"]
    parameters = {p["name"]: p for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    for name in ("date_from", "date_to"):
        assert {"type": "string", "format": "date"} in parameters[name]["schema"]["anyOf"]


def test_app_citation_tooltips_are_escaped_once(client):
    html = client.get("/events/ev-soumy").text
    assert 'title="Voir le passage dans ' in html
    assert "&amp;#39;" not in html and "&amp;amp;" not in html


class CountingStore(FakeStore):
    def __init__(self, corpus: Corpus) -> None:
        super().__init__(corpus)
        self.reads = 0

    def list_events(self, query):
        self.reads += 1
        return super().list_events(query)


def test_app_renders_a_page_once_until_the_store_changes_and_never_loads_it_whole(app_factory, sample):
    store = CountingStore(sample)
    client = TestClient(app_factory(store))
    for path in ("/", "/api/events", "/events/ev-soumy", "/documents", "/api/events/ev-soumy", "/search?q=Soumy", "/documents/doc-a"):
        assert client.get(path).status_code == 200
    client.get("/")
    assert store.reads == 2 and store.loads == 0  # "/" and "/api/events", each once
    store.save_results(CorpusResults())
    assert client.get("/api/events").json() == {"count": 0, "offset": 0, "limit": 100, "events": []}
    assert store.reads == 3 and store.loads == 0



# --- paged lists ------------------------------------------------------------------


def test_app_api_events_pages_with_offset_and_limit(client):
    whole = client.get("/api/events").json()
    assert whole["count"] == 2 and [e["event"]["id"] for e in whole["events"]] == ["ev-meeting", "ev-soumy"]
    first, second = (client.get(f"/api/events?limit=1&offset={i}").json() for i in (0, 1))
    assert [first["events"][0]["event"]["id"], second["events"][0]["event"]["id"]] == ["ev-meeting", "ev-soumy"]
    assert first["count"] == second["count"] == 2 and (second["offset"], second["limit"]) == (1, 1)
    assert client.get("/api/events?order=earliest").json()["events"][0]["event"]["id"] == "ev-soumy"
    assert client.get("/api/events?limit=0").status_code == 422 and client.get("/api/events?order=random").status_code == 422


def test_app_api_events_filters_by_words(client):
    assert [e["event"]["id"] for e in client.get("/api/events?q=drones").json()["events"]] == ["ev-soumy"]
    assert client.get("/api/events?q=%25").json()["count"] == 0  # a LIKE wildcard is a character like any other


def test_app_index_pages_link_to_their_neighbours(app_factory, store, monkeypatch):
    import recoupe.web.app as web

    monkeypatch.setattr(web, "PAGE_EVENTS", 1)
    client = TestClient(app_factory(store))
    html = client.get("/?place=&q=").text
    assert 'href="/events/ev-meeting"' in html and 'href="/events/ev-soumy"' not in html
    assert 'rel="next" href="/?place=&amp;q=&amp;offset=1"' in html and 'rel="prev"' not in html
    html = client.get("/?offset=1").text
    assert 'href="/events/ev-soumy"' in html and 'rel="prev" href="/"' in html and 'rel="next"' not in html
    assert "2–2 sur 2" in html


def test_app_documents_page_is_paged(app_factory, store, monkeypatch):
    import recoupe.web.app as web

    monkeypatch.setattr(web, "PAGE_DOCUMENTS", 2)
    client = TestClient(app_factory(store))
    first, last = client.get("/documents").text, client.get("/documents?offset=2").text
    assert 'href="/documents/doc-a"' in first and 'href="/documents/doc-d"' not in first and 'rel="next"' in first
    assert 'href="/documents/doc-d"' in last and "4 documents" in last


@pytest.mark.parametrize("language", ["en", "fr"])
def test_app_pages_speak_only_the_readers_language(client, language):
    from report.sample_corpus import foreign_phrases, visible_text

    foreign = foreign_phrases(language)
    for path in ("/", "/events/ev-soumy", "/documents", "/documents/doc-a", "/search?q=Soumy", "/search?q=zzzz", "/nowhere"):
        text = visible_text(client.get(path, params={"lang": language}).text)
        assert not {p for p in foreign if p in text}, path
    shown = {"en": "Air/drone strike", "fr": "Frappe aérienne ou de drone"}
    assert shown[language] in visible_text(client.get("/", params={"lang": language}).text)


# --- one shape per record ----------------------------------------------------------


def test_app_an_event_has_the_export_shape_in_every_api_answer(client, sample):
    exported = {e["id"]: e for e in export_json(sample)["events"]}
    listed = client.get("/api/events").json()["events"]
    assert {row["event"]["id"] for row in listed} == set(exported)
    for row in listed:
        assert row["event"] == exported[row["event"]["id"]]
        assert client.get(row["url"].replace("/events/", "/api/events/", 1)).json()["event"] == exported[row["event"]["id"]]
    found = client.get("/api/search", params={"q": "Soumy"}).json()["events"]
    assert found and all(hit["event"] == exported[hit["event"]["id"]] for hit in found)


def test_app_claims_contradictions_and_copies_have_the_export_shape(client, sample):
    exported = export_json(sample)
    detail = client.get("/api/events/ev-soumy").json()
    claims = {c["id"]: c for c in exported["claims"]}
    assert detail["claims"] and all(c == claims[c["id"]] for c in detail["claims"])
    assert detail["contradictions"] == [c for c in exported["contradictions"] if c["event"] == "ev-soumy"]
    copy = client.get("/api/documents/doc-c").json()
    assert copy["copies"] == [c for c in exported["copies"] if "doc-c" in (c["copy"], c["original"])]
    assert copy["document"] == next(d for d in exported["documents"] if d["id"] == "doc-c")


def test_app_answers_follow_the_schemas_the_openapi_document_gives(client):
    components = client.get("/openapi.json").json()["components"]["schemas"]
    defs = json.loads(json.dumps(components).replace('"#/components/schemas/', '"#/$defs/'))
    answers = {
        "event_list": "/api/events", "event_page": "/api/events/ev-soumy", "document_page": "/api/documents/doc-a",
        "search_results": "/api/search?q=Soumy",
    }
    for name, path in answers.items():
        jsonschema.Draft202012Validator({"$defs": defs, "$ref": f"#/$defs/{name}"}).validate(client.get(path).json())
