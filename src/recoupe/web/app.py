"""The web UI and JSON API over a store: the report's pages, live, plus search and filters.

`create_app(store)` serves the same templates as the static report, with links
to routes instead of files. The store is reached through the `get_store`
dependency so tests can swap it (`app.dependency_overrides[get_store]`).
Every request reads only what its page shows, by indexed queries: the events
list a page of `store.list_events`, an event, a document or search hits the
records `store.records` gives for them; the whole store is never loaded.
Rendered bodies are memoised until `store.version()` changes (a run wrote to it).

Hardening: an optional token guards every route; a Host allow-list stops DNS
rebinding; every response carries CSP, nosniff and frame-ancestors headers;
pages answer errors in HTML, the API in JSON (FastAPI's error shape).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import secrets
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader

from recoupe.export.records import (
    Records,
    copy_record,
    dispatch_record,
    event_record,
    proposition_record,
    record_schemas,
    update_record,
)
from recoupe.model import Corpus, EventLink, EventOrder, EventQuery, SearchHit, Span
from recoupe.report.basemap import Basemap, load_basemap
from recoupe.report.html import (
    STATIC,
    Counts,
    make_environment,
    render_documents,
    render_event,
    render_index,
    render_source,
    supported_languages,
)
from recoupe.report.filters import EventFilters
from recoupe.report.names import document_title
from recoupe.report.views import (
    CorpusIndex,
    event_document_ids,
    event_claims,
    index_corpus,
    span_anchor,
    summary_row,
)
from recoupe.web.search import events_of_hits
from recoupe.store import Store
from recoupe.store.listing import MAX_LIMIT, page_window

T = TypeVar("T")
TEMPLATES = Path(__file__).parent / "templates"
# Everything the pages load comes from this server; no page may be framed (clickjacking).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")

TOKEN_COOKIE = "recoupe_token"
LANGUAGE_COOKIE = "recoupe_lang"
SEARCH_LIMIT = 50
# Rows per page of the events list (web page, API default) and of the documents list.
PAGE_EVENTS = 50
API_EVENTS = 100
PAGE_DOCUMENTS = 100
EMPTY = index_corpus(Corpus(documents=()))


@dataclass(frozen=True, slots=True)
class WebLinks:
    """Links between the app's routes; ids are URL-quoted."""

    def index(self) -> str:
        return "/"

    def documents(self) -> str:
        return "/documents"

    def event(self, event_id: str) -> str:
        return f"/events/{quote(event_id, safe='')}"

    def document(self, document_id: str) -> str:
        return f"/documents/{quote(document_id, safe='')}"

    def span(self, span: Span) -> str:
        return f"{self.document(span.document_id)}#{span_anchor(span)}"

    def asset(self, name: str) -> str:
        return f"/static/{name}"


LINKS = WebLinks()


def get_store(request: Request) -> Store:
    return request.app.state.store


class Snapshot:
    """What was rendered from one version of the store (pages are a function of both)."""

    # Rendered bodies kept per version: a burst rotating over a few hundred pages hits them.
    MEMO_ENTRIES = 512

    def __init__(self, memoise: bool) -> None:
        self._memoise = memoise
        self._memo: dict[tuple, Any] = {}
        self._lock = threading.Lock()

    def memo(self, key: tuple, compute: Callable[[], T]) -> T:
        if not self._memoise:
            return compute()
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            if len(self._memo) >= self.MEMO_ENTRIES:
                self._memo.clear()
            self._memo[key] = value
        return value


class Snapshots:
    """The memo of the store's current version; a new version starts an empty one.
    A store without `version()` is rendered afresh on every request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[int, str] | None = None
        self._snapshot: Snapshot | None = None

    def current(self, store: Store) -> Snapshot:
        version = _version(store)
        if version is None:
            return Snapshot(memoise=False)
        key = (id(store), version)
        with self._lock:
            if self._key != key or self._snapshot is None:
                self._snapshot = Snapshot(memoise=True)
                self._key = key
            return self._snapshot


def _version(store: Store) -> str | None:
    version = getattr(store, "version", None)  # stores swapped in by tests may not keep one
    return version() if callable(version) else None


def get_snapshot(request: Request, store: Annotated[Store, Depends(get_store)]) -> Snapshot:
    return request.app.state.snapshots.current(store)


StoreDep = Annotated[Store, Depends(get_store)]
SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]


def _environment(request: Request) -> Environment:
    """The page language: ?lang= (remembered in a cookie), else the cookie, else the app's default."""
    environments: dict[str, Environment] = request.app.state.environments
    chosen = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return environments.get(chosen or "", environments[request.app.state.language])


EnvDep = Annotated[Environment, Depends(_environment)]


def _html(request: Request, body: str, status_code: int = 200) -> HTMLResponse:
    response = HTMLResponse(body, status_code=status_code)
    language = request.query_params.get("lang")
    if language in request.app.state.environments:
        response.set_cookie(LANGUAGE_COOKIE, language, samesite="lax")
    return response


def _filters(
    date_from: Annotated[dt.date | Literal[""] | None, Query(description="Events ending on or after this day; empty: any")] = None,
    date_to: Annotated[dt.date | Literal[""] | None, Query(description="Events starting on or before this day; empty: any")] = None,
    place: str = "",
    actor: str = "",
    source: str = "",
    q: Annotated[str, Query(description="Words of the title, type, places or actors")] = "",
) -> EventFilters:
    """The filters form sends every field, empty ones as "": those mean "any"."""
    return EventFilters(date_from or None, date_to or None, place.strip(), actor.strip(), source.strip(), q.strip())


FiltersDep = Annotated[EventFilters, Depends(_filters)]
OffsetQuery = Annotated[int, Query(ge=0, le=10_000_000, description="Rows skipped: the page starts after them")]


def _query(filters: EventFilters, order: EventOrder, offset: int, limit: int) -> EventQuery:
    return EventQuery(
        filters.date_from, filters.date_to, filters.place, filters.actor, filters.source, filters.text, order, offset, limit
    )


class ErrorBody(BaseModel):
    """The JSON body of an API error."""

    detail: str


NOT_FOUND = {404: {"model": ErrorBody, "description": "No such record"}}

# The API's answers, in OpenAPI: records are the export schema's `$defs` (one shape per record,
# `export.records`); these wrap them in the pages each route answers.
SCHEMAS = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": SCHEMAS + name}


def _object(properties: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object", "description": description, "additionalProperties": False,
        "required": list(properties), "properties": properties,
    }


def _list_of(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


_TEXT, _COUNT, _URL = {"type": "string"}, {"type": "integer", "minimum": 0}, {"type": "string", "description": "this record's page"}
_MAYBE = {"type": ["string", "null"]}
PAGE_SCHEMAS: dict[str, dict[str, Any]] = {
    "event_row": _object(
        {"event": _ref("event"), "contradiction_count": _COUNT, "brief": {"type": "boolean", "description": "no document leads with it"}, "url": _URL},
        "one event of the list, with what the list shows beside it",
    ),
    "event_list": _object(
        {"count": {**_COUNT, "description": "events matching in all"}, "offset": _COUNT, "limit": _COUNT, "events": _list_of("event_row")},
        "a page of the events list",
    ),
    "document_summary": _object(
        {"id": _TEXT, "title": _MAYBE, "outlet": _MAYBE, "published": _MAYBE, "copy_of": _MAYBE, "url": _URL},
        "a document as an event page lists it",
    ),
    "event_page": _object(
        {
            "event": _ref("event"), "claims": _list_of("claim"), "propositions": _list_of("proposition"),
            "contradictions": _list_of("contradiction"), "updates": _list_of("update"), "documents": _list_of("document_summary"),
            "url": _URL,
        },
        "one event with its claims, propositions, contradictions, figure histories and documents",
    ),
    "document_page": _object(
        {
            "document": _ref("document"), "claims": _list_of("claim"), "copies": _list_of("copy"), "dispatches": _list_of("dispatch"),
            "events": {"type": "array", "items": _TEXT}, "url": _URL,
        },
        "one document with its claims, the copy links and wire dispatches touching it, and its events",
    ),
    "search_hit": _object(
        {"kind": {"enum": ["document", "claim"]}, "document": _TEXT, "claim": _MAYBE, "snippet": _TEXT, "url": _URL},
        "a document or a claim matching the query",
    ),
    "event_hit": _object(
        {"event": _ref("event"), "hit_documents": {"type": "array", "items": _TEXT}, "hits": _COUNT, "url": _URL},
        "an event the hits report, with the hit documents reporting it",
    ),
    "search_results": _object(
        {"query": _TEXT, "count": _COUNT, "hits": _list_of("search_hit"), "events": _list_of("event_hit")},
        "search hits, best first, and the events they report",
    ),
}
ANSWERS = {
    "/api/events": "event_list", "/api/events/{event_id}": "event_page",
    "/api/documents/{document_id}": "document_page", "/api/search": "search_results",
}


def _describe_answers(app: FastAPI) -> None:
    """Each API route's 200 answer in the OpenAPI schema: its page, made of the export's records."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(record_schemas(SCHEMAS))
        components.update(PAGE_SCHEMAS)
        for path, name in ANSWERS.items():
            schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = _ref(name)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    store: Store,
    *,
    token: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
    language: str = "fr",
    basemap: Basemap | None = None,
) -> FastAPI:
    """The FastAPI app over `store`; with `token`, every request must carry it; with
    `allowed_hosts`, a request naming another Host is refused (DNS rebinding).

    `basemap` defaults to the shipped Natural Earth outlines, loaded here once."""
    app = FastAPI(
        title="Recoupe",
        description="Events, claims, contradictions and copies found in the news, every fact linked to its source span.",
        version="1.0",
    )
    app.state.store = store
    app.state.language = language
    app.state.snapshots = Snapshots()
    app.state.basemap = basemap if basemap is not None else load_basemap()
    app.state.environments = {code: _web_environment(code) for code in supported_languages()}
    if language not in app.state.environments:
        make_environment(language)  # raises UnsupportedLanguageError listing the supported ones
    if token:
        _require_token(app, token)
    if allowed_hosts is not None:
        _require_host(app, allowed_hosts)
    _add_headers(app)
    _add_error_pages(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_pages(app)
    _add_api(app)
    _describe_answers(app)
    return app


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> list[str] | None:
    """Host names a request may carry: the loopback names when bound to loopback, plus `extra`;
    None (any) when exposed with no names given, the token then guarding every route."""
    names = list(extra)
    if is_loopback(host):
        return [*LOOPBACK_NAMES, host, *names]
    if host not in ("0.0.0.0", "::"):
        names.append(host)
    return names or None


def _require_host(app: FastAPI, hosts: Sequence[str]) -> None:
    allowed = {h.lower() for h in hosts}

    @app.middleware("http")
    async def check_host(request: Request, call_next):
        host = request.headers.get("host", "").lower()
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 or host.startswith("[") and "]:" in host else host
        if name not in allowed:
            return _error(request, 400, "unknown Host header: this server answers only for " + ", ".join(sorted(allowed)))
        return await call_next(request)


def _add_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _error(request: Request, status: int, detail: str) -> Response:
    """JSON ({"detail": ...}) for the API, an HTML page for everything else."""
    if _is_api(request):
        return JSONResponse({"detail": detail}, status_code=status)
    env = _environment(request)
    if status == 404:
        return _not_found(request, env)
    body = env.get_template("error.html").render(links=LINKS, nav="", status=status, detail=detail)
    return _html(request, body, status_code=status)


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        response = _error(request, exc.status_code, str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        if _is_api(request):
            return JSONResponse({"detail": jsonable(exc.errors())}, status_code=422)
        return _error(request, 422, "; ".join(_field_message(e) for e in exc.errors()))


def _field_message(error: dict[str, Any]) -> str:
    """"date_from: must be a date as YYYY-MM-DD, got 'mars'": what a reader of the page can act on."""
    loc = [part for part in error.get("loc", ["value"]) if isinstance(part, str) and part not in ("query", "path")]
    field = loc[0] if loc else "value"
    if field in ("date_from", "date_to"):
        return f"{field}: must be a date as YYYY-MM-DD, got {error.get('input')!r}"
    message = str(error.get("msg", "invalid value"))
    return message if message.startswith(field) else f"{field}: {message}"


def jsonable(value: Any) -> Any:
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(value)


def _web_environment(language: str) -> Environment:
    env = make_environment(language, extra=[FileSystemLoader(TEMPLATES)])
    env.globals["search_url"] = "/search"
    return env


def _require_token(app: FastAPI, token: str) -> None:
    """Bearer header, ?token= or the cookie set after a first valid use; else 401."""

    @app.middleware("http")
    async def check_token(request: Request, call_next):
        header = request.headers.get("authorization", "")
        given = header[7:].strip() if header.lower().startswith("bearer ") else ""
        from_query = request.query_params.get("token", "")
        candidates = [given, from_query, request.cookies.get(TOKEN_COOKIE, "")]
        if not any(c and secrets.compare_digest(c.encode(), token.encode()) for c in candidates):
            return JSONResponse(
                {"detail": "missing or wrong token: send 'Authorization: Bearer TOKEN' or ?token=TOKEN"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        response: Response = await call_next(request)
        if from_query:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response


def _add_pages(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(
        request: Request, store: StoreDep, snap: SnapshotDep, env: EnvDep, filters: FiltersDep,
        order: EventOrder = EventOrder.LATEST, offset: OffsetQuery = 0,
    ):
        def page() -> str:
            listing = store.list_events(_query(filters, order, offset, PAGE_EVENTS))
            rows = [summary_row(s, env.globals["country_names"]) for s in listing.events]
            paging = Paging.of(request, offset, PAGE_EVENTS, listing.total)
            return render_index(env, EMPTY, LINKS, rows=rows, filters=filters, counts=_counts(store), paging=paging)

        return _html(request, snap.memo(("index", id(env), filters, order, offset), page))

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents(request: Request, store: StoreDep, snap: SnapshotDep, env: EnvDep, offset: OffsetQuery = 0):
        def page() -> str:
            ids = store.document_ids(offset, PAGE_DOCUMENTS)
            counts = _counts(store)
            paging = Paging.of(request, offset, PAGE_DOCUMENTS, counts.documents)
            ix = index_corpus(store.records(document_ids=ids))
            return render_documents(env, ix, LINKS, document_ids=ids, counts=counts, paging=paging)

        return _html(request, snap.memo(("documents", id(env), offset), page))

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event(request: Request, event_id: str, store: StoreDep, snap: SnapshotDep, env: EnvDep):
        basemap = request.app.state.basemap

        def page() -> str | None:
            return render_event(env, index_corpus(store.records(event_ids=[event_id])), LINKS, basemap, event_id)

        html = snap.memo(("event", id(env), event_id), page)
        return _html(request, html) if html else _not_found(request, env)

    @app.get("/documents/{document_id}", response_class=HTMLResponse, include_in_schema=False)
    def document(request: Request, document_id: str, store: StoreDep, snap: SnapshotDep, env: EnvDep):
        def page() -> str | None:
            return render_source(env, index_corpus(store.records(document_ids=[document_id])), LINKS, document_id)

        html = snap.memo(("document", id(env), document_id), page)
        return _html(request, html) if html else _not_found(request, env)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request, store: StoreDep, snap: SnapshotDep, env: EnvDep, q: str = ""):
        def page() -> str:
            found = store.search(q, limit=SEARCH_LIMIT) if q.strip() else []
            ix = _hits_index(store, found)
            return env.get_template("search.html").render(
                links=LINKS, nav="search", query=q, hits=_hit_views(ix, found), events=events_of_hits(ix, found, q)
            )

        return _html(request, snap.memo(("search", id(env), q), page))


@dataclass(frozen=True, slots=True)
class Paging:
    """Where a page of a list starts and ends, with links to its neighbours (None at either end)."""

    first: int  # 1-based, 0 when the list is empty
    last: int
    total: int
    previous: str | None
    next: str | None

    @classmethod
    def of(cls, request: Request, offset: int, size: int, total: int) -> Paging:
        def link(start: int) -> str:
            params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "token")]
            if start:
                params.append(("offset", str(start)))
            return request.url.path + ("?" + urlencode(params) if params else "")

        last = min(total, offset + size)
        return cls(
            first=offset + 1 if last > offset else 0,
            last=last,
            total=total,
            previous=link(max(0, offset - size)) if offset > 0 else None,
            next=link(offset + size) if offset + size < total else None,
        )


def _counts(store: Store) -> Counts:
    counts = store.counts()
    return Counts(counts.documents, counts.events, counts.copies, counts.dispatches)


def _hits_index(store: Store, hits: list[SearchHit]) -> CorpusIndex:
    """The records of the hit documents: enough to name them, find their claims and the events they report."""
    return index_corpus(store.records(document_ids=dict.fromkeys(hit.document_id for hit in hits)))


def _not_found(request: Request, env: Environment) -> HTMLResponse:
    return _html(request, env.get_template("not_found.html").render(links=LINKS, nav=""), status_code=404)


@dataclass(frozen=True, slots=True)
class HitView:
    kind: str
    url: str
    title: str
    snippet: str
    document_id: str
    claim_id: str | None


def _hit_views(ix: CorpusIndex, hits: list[SearchHit]) -> list[HitView]:
    """Store hits with a link to the document, or to the claim's span."""
    views = []
    for hit in hits:
        document = ix.documents.get(hit.document_id)
        claim = ix.claims.get(hit.claim_id) if hit.claim_id else None
        url = LINKS.span(claim.span) if claim else LINKS.document(hit.document_id)
        title = document_title(document) if document else hit.document_id
        views.append(HitView(hit.kind.value, url, title, hit.snippet, hit.document_id, hit.claim_id))
    return views


def _add_api(app: FastAPI) -> None:
    @app.get("/api/events", tags=["events"])
    def list_events(
        store: StoreDep,
        snap: SnapshotDep,
        filters: FiltersDep,
        order: EventOrder = EventOrder.LATEST,
        offset: OffsetQuery = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = API_EVENTS,
    ) -> dict[str, Any]:
        """A page of events: lead events before briefs, then latest first (or as `order` asks), filtered by
        dates (overlap), place, actor, source and words (accent-insensitive); `count` is how many match in all."""
        query = _query(filters, order, offset, limit)
        return _json(snap.memo(("api events", query), lambda: _encoded(_events_list(store, query))))

    @app.get("/api/events/{event_id}", tags=["events"], responses=NOT_FOUND)
    def get_event(event_id: str, store: StoreDep, snap: SnapshotDep) -> dict[str, Any]:
        """One event with its claims, propositions, contradictions (structured: kind, subject, two statements),
        figure histories (updates) and documents."""

        def body() -> bytes | None:
            corpus = store.records(event_ids=[event_id])
            return _encoded(_event_detail(corpus, event_id)) if any(e.id == event_id for e in corpus.results.events) else None

        found = snap.memo(("api event", event_id), body)
        if found is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return _json(found)

    @app.get("/api/documents/{document_id}", tags=["documents"], responses=NOT_FOUND)
    def get_document(document_id: str, store: StoreDep, snap: SnapshotDep) -> dict[str, Any]:
        """One document (original text, segments, metadata) with its analysis, copies and events."""

        def body() -> bytes | None:
            corpus = store.records(document_ids=[document_id])
            return _encoded(_document_detail(corpus, document_id)) if any(d.id == document_id for d in corpus.documents) else None

        found = snap.memo(("api document", document_id), body)
        if found is None:
            raise HTTPException(404, f"no document {document_id!r}")
        return _json(found)

    @app.get("/api/search", tags=["search"])
    def search(
        store: StoreDep,
        snap: SnapshotDep,
        q: Annotated[str, Query(min_length=1)],
        limit: Annotated[int, Query(ge=1, le=500)] = SEARCH_LIMIT,
    ) -> dict[str, Any]:
        """Full-text search over documents and claims, ignoring case and accents, with the events the hits report."""
        return _json(snap.memo(("api search", q, limit), lambda: _encoded(_search_results(store, q, limit))))


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


def _encoded(data: dict[str, Any]) -> bytes:
    return json.dumps(jsonable(data), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _events_list(store: Store, query: EventQuery) -> dict[str, Any]:
    listing = store.list_events(query)
    offset, limit = page_window(query)
    links = _links_by_event(store, [summary.event.id for summary in listing.events])
    return {
        "count": listing.total,
        "offset": offset,
        "limit": limit,
        "events": [
            {
                "event": event_record(summary.event, links.get(summary.event.id, [])),
                "contradiction_count": summary.contradictions,
                "brief": summary_row(summary).brief,
                "url": LINKS.event(summary.event.id),
            }
            for summary in listing.events
        ],
    }


def _links_by_event(store: Store, event_ids: Sequence[str]) -> dict[str, list[EventLink]]:
    """Every link of these events, by one indexed read: an event's record lists all its documents."""
    out: dict[str, list[EventLink]] = {}
    for link in store.event_links(event_ids) if event_ids else ():
        out.setdefault(link.event_id, []).append(link)
    return out


def _event_detail(corpus: Corpus, event_id: str) -> dict[str, Any]:
    ix = index_corpus(corpus)
    records = Records.of(corpus)
    return {
        "event": records.event(ix.events[event_id]),
        "claims": [records.claim(c, ix.analyses[c.span.document_id]) for c in event_claims(ix, event_id)],
        "propositions": [proposition_record(p) for p in ix.propositions_by_event.get(event_id, [])],
        "contradictions": [records.contradiction(c) for c in ix.contradictions_by_event.get(event_id, [])],
        "updates": [update_record(u) for u in ix.updates_by_event.get(event_id, [])],
        "documents": [_document_summary(ix, d) for d in event_document_ids(ix, event_id)],
        "url": LINKS.event(event_id),
    }


def _document_detail(corpus: Corpus, document_id: str) -> dict[str, Any]:
    records = Records.of(corpus)
    analyses = [a for a in corpus.analyses if a.document_id == document_id]
    return {
        "document": records.document(records.documents[document_id]),
        "claims": records.claims(analyses),
        "copies": [copy_record(c) for c in corpus.copies if document_id in (c.copy, c.original)],
        "dispatches": [dispatch_record(d) for d in corpus.results.dispatches if document_id in d.documents],
        "events": list(dict.fromkeys(link.event_id for link in corpus.results.event_links if link.document_id == document_id)),
        "url": LINKS.document(document_id),
    }


def _search_results(store: Store, q: str, limit: int) -> dict[str, Any]:
    hits = store.search(q, limit=limit)
    ix = _hits_index(store, hits)
    events = events_of_hits(ix, hits, q) if hits else []
    links = _links_by_event(store, [found.event.id for found in events])
    return {
        "query": q,
        "count": len(hits),
        "hits": [_hit_record(ix, hit) for hit in hits],
        "events": [
            {
                "event": event_record(found.event, links.get(found.event.id, [])),
                "hit_documents": list(found.document_ids),
                "hits": found.hits,
                "url": LINKS.event(found.event.id),
            }
            for found in events
        ],
    }


def _hit_record(ix: CorpusIndex, hit: SearchHit) -> dict[str, Any]:
    """A search hit; a claim hit links to its span on the source page, a document hit to the page."""
    claim = ix.claims.get(hit.claim_id) if hit.claim_id else None
    url = LINKS.span(claim.span) if claim and claim.span.document_id == hit.document_id else LINKS.document(hit.document_id)
    return {"kind": hit.kind.value, "document": hit.document_id, "claim": hit.claim_id, "snippet": hit.snippet, "url": url}


def _document_summary(ix: CorpusIndex, document_id: str) -> dict[str, Any]:
    document = ix.documents[document_id]
    link = ix.original_of.get(document_id)
    return {
        "id": document.id,
        "title": document.title,
        "outlet": document.outlet,
        "published": document.published.iso() if document.published else None,
        "copy_of": link.original if link else None,
        "url": LINKS.document(document_id),
    }
