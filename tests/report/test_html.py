"""The static report: pages written, text escaped, every link and span anchor resolving, empty corpus."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report.sample_corpus import build_sample_corpus, foreign_phrases, visible_text

from recoupe.errors import UnsupportedLanguageError
from recoupe.model import Corpus, EventLink, EventRole, Proposition, Span
from recoupe.report.basemap import load_basemap
from recoupe.report.html import SHOWN_CONTRADICTIONS, load_messages, page_id, supported_languages, write_report
from recoupe.store.sample import sample_corpus


class _PageParser(HTMLParser):
    """Collects ids, links and the text inside each <mark data-span=...> of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.marked: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values:
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name])
        if tag == "mark":
            self._open.append(values.get("data-span"))

    def handle_endtag(self, tag):
        if tag == "mark":
            self._open.pop()

    def handle_data(self, data):
        for anchor in self._open:
            if anchor:
                self.marked[anchor] = self.marked.get(anchor, "") + data


def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


CORPORA = {"report-sample": build_sample_corpus, "store-sample": sample_corpus}


@pytest.fixture(scope="module")
def basemap():
    return load_basemap()


@pytest.fixture(scope="module", params=sorted(CORPORA))
def report(request, tmp_path_factory, basemap) -> tuple[Corpus, Path]:
    corpus = CORPORA[request.param]()
    index = write_report(corpus, tmp_path_factory.mktemp(request.param), basemap=basemap)
    return corpus, index


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory, basemap) -> Path:
    """The report of the hand-made corpus, in French; read-only for the tests."""
    return write_report(build_sample_corpus(), tmp_path_factory.mktemp("sample"), basemap=basemap).parent


def test_report_writes_index_documents_events_and_sources(report):
    corpus, index = report
    out = index.parent
    assert index.name == "index.html" and index.exists()
    assert (out / "documents.html").exists()
    for event in corpus.results.events:
        assert (out / f"event-{page_id(event.id)}.html").exists()
    for document in corpus.documents:
        assert (out / f"doc-{page_id(document.id)}.html").exists()
    assert (out / "assets" / "report.css").exists() and (out / "assets" / "report.js").exists()


def test_report_links_and_span_anchors_resolve(report):
    _, index = report
    out = index.parent
    checked = 0
    for page in out.glob("*.html"):
        for link in _parse(page).links:
            if link.startswith(("http://", "https://", "data:")):
                continue
            target, _, fragment = link.partition("#")
            target_path = out / target if target else page
            assert target_path.exists(), f"{page.name} links to missing {link}"
            if fragment and target_path.suffix == ".html":
                assert fragment in _parse(target_path).ids, f"{page.name}: no id {fragment!r} in {target}"
            checked += 1
    assert checked > 20


def test_report_marks_hold_exactly_the_claim_text(report):
    corpus, index = report
    documents = {d.id: d for d in corpus.documents}
    for analysis in corpus.analyses:
        if not analysis.claims:
            continue
        marked = _parse(index.parent / f"doc-{page_id(analysis.document_id)}.html").marked
        for claim in analysis.claims:
            anchor = f"s-{claim.span.start}-{claim.span.end}"
            assert marked[anchor] == claim.span.text(documents[analysis.document_id])


def test_report_escapes_markup_from_titles(sample_report):
    html = (sample_report / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; suite" in html
    source = (sample_report / "doc-doc-d.html").read_text(encoding="utf-8")
    assert "<script>alert" not in source and "&lt;script&gt;" in source


def test_report_event_page_shows_claims_contradiction_map_and_folded_copy(sample_report):
    html = (sample_report / "event-ev-soumy.html").read_text(encoding="utf-8")
    # Soumy (two mentions) and Kharkiv are towns, the region of Koursk a ring.
    assert html.count('class="marker marker-locality"') == 2 and html.count('class="marker marker-region"') == 1
    assert 'class="land focus"' in html and 'class="country"' in html
    # The reason is worded from the structured contradiction in the page's language.
    assert "Morts : «\u202fau moins trois morts\u202f» selon Oleh Hryhorov, «\u202fcinq morts\u202f» selon police nationale." in html
    assert 'href="doc-doc-b.html#s-' in html
    assert '<details class="copies">' in html and "doc-doc-c.html" in html
    assert "2 sources indépendantes" in html
    assert "stance-deny" in html and "stance-hedged" in html


def test_report_of_empty_corpus_says_there_are_no_events(tmp_path, basemap):
    index = write_report(Corpus(documents=()), tmp_path, basemap=basemap)
    html = index.read_text(encoding="utf-8")
    assert "Aucun événement pour l’instant." in html
    assert "Aucun document." in (tmp_path / "documents.html").read_text(encoding="utf-8")


def test_report_event_without_places_summary_or_claims_degrades(sample_report):
    html = (sample_report / "event-ev-meeting.html").read_text(encoding="utf-8")
    for message in ("Aucun lieu localisé.", "Pas encore de résumé pour cet événement.", "Aucune contradiction relevée."):
        assert message in html
    assert "<svg" not in html


def test_report_in_english(tmp_path, basemap):
    index = write_report(build_sample_corpus(), tmp_path, language="en", basemap=basemap)
    assert '<html lang="en">' in index.read_text(encoding="utf-8")
    assert "2 independent sources" in (tmp_path / "event-ev-soumy.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_report_pages_speak_only_the_readers_language(tmp_path, basemap, language):
    write_report(build_sample_corpus(), tmp_path, language=language, basemap=basemap)
    foreign = foreign_phrases(language)
    assert {"Aucune contradiction relevée", "Air/drone strike"} & foreign  # the check has something to find
    for page in sorted(tmp_path.glob("*.html")):
        text = visible_text(page.read_text(encoding="utf-8"))
        assert not {p for p in foreign if p in text}, page.name
    event = visible_text((tmp_path / "event-ev-soumy.html").read_text(encoding="utf-8"))
    shown = {"en": "Explosions/Remote violence — Air/drone strike", "fr": "Explosions et violences à distance — Frappe aérienne ou de drone"}
    assert shown[language] in event


def test_messages_name_every_event_type_in_every_language():
    import yaml

    from recoupe.lang import LANG_DIR, supported_languages as data_languages

    names: set[str] = set()  # ACLED's names, as every language's event_types.yaml gives them
    for code in data_languages():
        path = LANG_DIR / code / "event_types.yaml"
        if path.exists():
            types = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            names |= {n for kind, subs in types.items() for n in (kind, *subs)}
    assert names
    for code in set(supported_languages()) - {"en"}:  # English shows ACLED's names as they are
        missing = names - set(load_messages(code)["event_types"])
        assert not missing, (code, sorted(missing))


def test_report_unknown_language_lists_supported(tmp_path):
    with pytest.raises(UnsupportedLanguageError) as error:
        write_report(build_sample_corpus(), tmp_path, language="xx")
    assert error.value.supported == ["en", "fr"]


def test_messages_every_language_has_the_same_keys():
    keys = {code: set(load_messages(code)) for code in supported_languages()}
    assert keys["fr"] == keys["en"]
    assert len(load_messages("fr")["months"]) == 12


@pytest.mark.parametrize(("identifier", "safe"), [("doc-a", True), ("a/b", False), ("..", False), ("x" * 90, False)])
def test_page_id_keeps_safe_ids_and_hashes_others(identifier, safe):
    assert (page_id(identifier) == identifier) is safe
    assert "/" not in page_id(identifier) and not page_id(identifier).startswith(".")


def test_report_event_page_folds_single_source_propositions_and_extra_contradictions(tmp_path):
    corpus = build_sample_corpus()
    extra = SHOWN_CONTRADICTIONS + 2
    results = replace(
        corpus.results,
        propositions=(*corpus.results.propositions, Proposition("prop-one", "ev-soumy", ("claim-a1",), ("doc-a",))),
        contradictions=corpus.results.contradictions * extra,
    )
    write_report(replace(corpus, results=results), tmp_path, basemap=load_basemap())
    html = (tmp_path / "event-ev-soumy.html").read_text(encoding="utf-8")
    folded_propositions = html[html.index('<details class="single-source">') :]
    assert "1 proposition d’une seule source" in folded_propositions
    assert html.count('class="source-ref compact"') == 3  # doc-a and doc-b cross-checked; doc-a alone, folded
    folded = html[html.index('<details class="more-contradictions">') :]
    assert "2 autres contradictions" in folded and folded.count('class="pair"') == 2
    assert html.count('class="pair"') == extra


def test_report_index_lists_briefs_after_the_lead_events(tmp_path):
    corpus = build_sample_corpus()
    # The meeting now only appears as one entry of doc-d: a brief.
    links = tuple(
        EventLink(link.event_id, link.document_id, EventRole.ENTRY, Span("doc-d", 0, 10)) if link.event_id == "ev-meeting" else link
        for link in corpus.results.event_links
    )
    index = write_report(replace(corpus, results=replace(corpus.results, event_links=links)), tmp_path, basemap=load_basemap())
    html = index.read_text(encoding="utf-8")
    assert html.index('href="event-ev-soumy.html"') < html.index('id="h-briefs"') < html.index('href="event-ev-meeting.html"')
    assert 'class="event-card brief"' in html and "Brèves" in html


def test_report_event_page_shows_every_side_of_one_dispute_with_its_sources(tmp_path):
    """A dispute grouped from several pairs is one pair block: each side leads with its standing
    statement, the others taking the same side folded under it with their links."""
    from recoupe.model import Side

    corpus = build_sample_corpus()
    pair = corpus.results.contradictions[0]
    again = replace(pair.a, span=replace(pair.a.span, start=pair.a.span.start + 1), speaker="Seconde source")
    dispute = replace(pair, sides=(Side((pair.a, again)), Side((pair.b,))))
    write_report(replace(corpus, results=replace(corpus.results, contradictions=(dispute,))), tmp_path, basemap=load_basemap())
    html = (tmp_path / "event-ev-soumy.html").read_text(encoding="utf-8")
    assert html.count('class="pair"') == 1 and html.count('class="side-group"') == 2
    folded = html[html.index('<details class="also">') :]
    assert "Du même côté : 1 autre passage" in folded and "Seconde source" in folded


def test_report_shows_a_wire_dispatch_on_the_index_and_on_each_carrier(tmp_path, basemap):
    """A dispatch group is counted on the index and named, with the other carriers linked,
    on each of its documents' pages; a document outside it carries no notice."""
    from recoupe.model import Dispatch

    corpus = build_sample_corpus()
    carriers = ("doc-a", "doc-b")
    results = replace(corpus.results, dispatches=(Dispatch("dispatch-1", "AFP", carriers),))
    out = write_report(replace(corpus, results=results), tmp_path, basemap=basemap).parent
    assert "1 dépêche reprise par plusieurs médias" in (out / "index.html").read_text(encoding="utf-8")
    for page, other in (("doc-a", "doc-b"), ("doc-b", "doc-a")):
        html = (out / f"doc-{page_id(page)}.html").read_text(encoding="utf-8")
        assert "dispatch-notice" in html and "Reprend la dépêche AFP" in html
        notice = html[html.index("dispatch-notice") :].split("</p>", 1)[0]
        assert f"doc-{page_id(other)}.html" in notice
    assert "dispatch-notice" not in (out / "doc-doc-d.html").read_text(encoding="utf-8")
