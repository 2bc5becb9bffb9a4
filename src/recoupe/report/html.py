"""The static HTML report: index, one page per event and per source, readable offline.

Pages link to each other by relative file names, and every claim, figure and
citation links to `doc-<id>.html#s-<start>-<end>`, where the source page wraps
that span in a <mark>. CSS and JS are copied next to the pages: no CDN.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml
from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from recoupe.errors import UnsupportedLanguageError
from recoupe.model import Contradiction, Corpus, Document, Event, PartialDate, Span
from recoupe.report import wording
from recoupe.report.basemap import Basemap, country_names, draw_map, load_basemap
from recoupe.report.highlight import source_blocks
from recoupe.report.names import document_label, document_origin, document_title, place_labels
from recoupe.report.views import (
    CorpusIndex,
    Links,
    claim_text,
    statement_text,
    document_tree,
    event_page,
    event_rows,
    first_mentions,
    index_corpus,
    source_page,
    span_anchor,
    split_briefs,
)

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
MESSAGES = HERE / "messages.yaml"
ASSETS = ("report.css", "report.js")
# An event page shows this many contradictions open and folds the rest: 17 on
# the 2024 raid of the seeds made a wall that hid the figures and documents below.
SHOWN_CONTRADICTIONS = 5

_SAFE_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,79}")


def supported_languages() -> list[str]:
    return sorted(yaml.safe_load(MESSAGES.read_text(encoding="utf-8")))


def load_messages(language: str) -> dict:
    """The interface text of one language; an unknown code lists the supported ones."""
    catalogue = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    if language not in catalogue:
        raise UnsupportedLanguageError(language, sorted(catalogue))
    return catalogue[language]


def page_id(identifier: str) -> str:
    """A file-name-safe form of an id: the id itself when safe, else a short hash."""
    if _SAFE_ID.fullmatch(identifier):
        return identifier
    return hashlib.sha1(identifier.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class StaticLinks:
    """Links between the report's files, all in one folder."""

    def index(self) -> str:
        return "index.html"

    def documents(self) -> str:
        return "documents.html"

    def event(self, event_id: str) -> str:
        return f"event-{page_id(event_id)}.html"

    def document(self, document_id: str) -> str:
        return f"doc-{page_id(document_id)}.html"

    def span(self, span: Span) -> str:
        return f"{self.document(span.document_id)}#{span_anchor(span)}"

    def asset(self, name: str) -> str:
        return f"assets/{name}"


def make_environment(language: str, extra: Iterable[BaseLoader] = ()) -> Environment:
    """A Jinja environment with autoescaping, the message catalogue and date formatting."""
    messages = load_messages(language)
    env = Environment(
        loader=ChoiceLoader([*extra, FileSystemLoader(TEMPLATES)]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def t(key: str, **values) -> str:
        return messages[key].format(**values)

    def tn(key: str, n: int) -> str:
        return t(f"{key}_one" if n == 1 else f"{key}_other", n=n)

    def day(value: dt.date) -> str:
        if language == "en":
            return f"{value.day} {messages['months'][value.month - 1]} {value.year}"
        return f"{'1er' if value.day == 1 else value.day} {messages['months'][value.month - 1]} {value.year}"

    def partial_date(value: PartialDate) -> str:
        if value.date is not None:
            return day(value.date)
        if value.month is not None:
            return f"{messages['months'][value.month - 1]} {value.year}"
        return str(value.year)

    def date_range(start: dt.date | None, end: dt.date | None) -> str:
        if start is None:
            return ""
        return day(start) if end is None or end == start else f"{day(start)} – {day(end)}"

    def number(value: float) -> str:
        return f"{value:,.0f}".replace(",", "\u202f") if value == int(value) else f"{value:g}"

    def contradiction_reason(contradiction: Contradiction, documents: Mapping[str, Document]) -> str:
        return wording.reason(contradiction, messages, documents)

    def event_type(event: Event) -> str:
        """ "Type — sub-type", ACLED's names in the page's language."""
        names = messages["event_types"]
        shown = [names.get(name, name) for name in (event.type, event.subtype) if name]
        return " — ".join(shown)

    env.globals.update(
        reason=contradiction_reason,
        event_type=event_type,
        subject_name=lambda subject: wording.subject_name(subject, messages),
        t=t,
        tn=tn,
        language=language,
        country_names=country_names(language),
        partial_date=partial_date,
        date_range=date_range,
        number=number,
        anchor=span_anchor,
        label=document_label,
        doc_title=document_title,
        origin=document_origin,
        search_url=None,
        query=None,
    )
    return env


@dataclass(frozen=True, slots=True)
class Counts:
    documents: int
    events: int
    copies: int
    dispatches: int = 0


def corpus_counts(corpus: Corpus) -> Counts:
    return Counts(len(corpus.documents), len(corpus.results.events), len(corpus.copies), len(corpus.results.dispatches))


def _context(ix: CorpusIndex, links: Links) -> dict:
    return {
        "links": links,
        "claim_text": lambda claim: claim_text(ix, claim),
        "statement_text": lambda statement: statement_text(ix, statement),
        "documents_by_id": ix.documents,
    }


def index_rows(env: Environment, ix: CorpusIndex):
    """The index's events, their places named in the environment's language."""
    return event_rows(ix, env.globals["country_names"])


def render_index(env: Environment, ix: CorpusIndex, links: Links, rows=None, filters=None, counts=None, paging=None) -> str:
    """Events some document leads with, then the briefs (live-blog side items) in a smaller list.

    The web app passes one page of rows with the store's counts and the links to the next pages."""
    rows = index_rows(env, ix) if rows is None else rows
    main, briefs = split_briefs(rows)
    return env.get_template("index.html").render(
        **_context(ix, links), nav="index", rows=rows, main_rows=main, brief_rows=briefs, filters=filters,
        counts=counts or corpus_counts(ix.corpus), paging=paging,
    )


def render_documents(env: Environment, ix: CorpusIndex, links: Links, document_ids=None, counts=None, paging=None) -> str:
    """Every document of `ix`, or those of `document_ids` (a page), copies folded under their originals."""
    ids = [d.id for d in ix.corpus.documents] if document_ids is None else [i for i in document_ids if i in ix.documents]
    nodes = document_tree(ix, ids)
    return env.get_template("documents.html").render(
        **_context(ix, links), nav="documents", nodes=nodes, counts=counts or corpus_counts(ix.corpus), paging=paging
    )


def render_event(env: Environment, ix: CorpusIndex, links: Links, basemap: Basemap, event_id: str) -> str | None:
    page = event_page(ix, event_id)
    if page is None:
        return None
    labels = place_labels(page.event.places, env.globals["country_names"])
    return env.get_template("event.html").render(
        **_context(ix, links),
        nav="event",
        page=page,
        event=page.event,
        place_names=list(dict.fromkeys(labels[p.name] for p in page.event.places)),
        place_labels=labels,
        shown_contradictions=SHOWN_CONTRADICTIONS,
        first_places=first_mentions(page.event.places),
        map=draw_map(basemap, page.event.places, country_names=env.globals["country_names"], place_labels=labels),
    )


def render_source(env: Environment, ix: CorpusIndex, links: Links, document_id: str) -> str | None:
    page = source_page(ix, document_id)
    if page is None:
        return None
    return env.get_template("source.html").render(
        **_context(ix, links),
        nav="source",
        document=page.document,
        copy_of=page.copy_of,
        copies=page.copies,
        dispatches=page.dispatches,
        evidence=page.evidence,
        events=page.events,
        claims=page.claims,
        blocks=source_blocks(page.document, page.marks),
    )


def copy_assets(out_dir: Path) -> None:
    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(STATIC / name, assets / name)


def write_report(corpus: Corpus, out_dir: Path, *, language: str = "fr", basemap: Basemap | None = None) -> Path:
    """Write the whole report into out_dir and return the path of index.html."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ix = index_corpus(corpus)
    env = make_environment(language)
    links = StaticLinks()
    basemap = basemap if basemap is not None else load_basemap()
    copy_assets(out_dir)
    (out_dir / "documents.html").write_text(render_documents(env, ix, links), encoding="utf-8")
    for event_id in ix.events:
        html = render_event(env, ix, links, basemap, event_id)
        (out_dir / links.event(event_id)).write_text(html, encoding="utf-8")
    for document_id in ix.documents:
        html = render_source(env, ix, links, document_id)
        (out_dir / links.document(document_id)).write_text(html, encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(render_index(env, ix, links), encoding="utf-8")
    return index
