"""Pages in a real browser: no console errors, map markers, claim links that highlight their span.

Every check reads what to look for from the `corpus` fixture, so the same tests
run over the hand-made corpus or over a real run's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from recoupe.model import Corpus, PlaceKind, Span
from recoupe.report.html import StaticLinks
from recoupe.web.app import WebLinks

pytestmark = pytest.mark.browser

TARGET_BACKGROUND = "rgb(255, 194, 71)"  # --target in report.css


class Site:
    """The static report (file://) or the served UI (http://), with the links each uses."""

    def __init__(self, kind: str, base) -> None:
        self.kind = kind
        self.links = StaticLinks() if kind == "report" else WebLinks()
        self.base = base

    def url(self, link: str) -> str:
        if self.kind == "report":
            path, _, fragment = link.partition("#")
            return (self.base / path).as_uri() + (f"#{fragment}" if fragment else "")
        return self.base + link


@pytest.fixture(params=["report", "served"])
def site(request, corpus) -> Site:
    """`corpus` is asked for so that the report and server it builds are parametrized with it."""
    kind = request.param
    return Site(kind, request.getfixturevalue("report_dir" if kind == "report" else "server_url"))


def _mapped_event(corpus: Corpus):
    events = [e for e in corpus.results.events if e.places]
    if not events:
        pytest.skip("no event with places in this corpus")
    return events[0]


def _claimed_event(corpus: Corpus):
    for event in corpus.results.events:
        if any(p.event_id == event.id for p in corpus.results.propositions) or event.places:
            return event
    pytest.skip("no event with claims in this corpus")


def _span_text(corpus: Corpus, span: Span) -> str:
    return next(d for d in corpus.documents if d.id == span.document_id).text[span.start : span.end]


def _pages(corpus: Corpus, links) -> list[str]:
    events = [links.event(e.id) for e in corpus.results.events[:3]]
    documents = [links.document(d.id) for d in corpus.documents[:3]]
    return [links.index(), links.documents(), *events, *documents]


def test_browser_pages_load_without_console_errors(page, site, corpus):
    for link in _pages(corpus, site.links):
        response = page.goto(site.url(link))
        assert response is None or response.ok, link
        page.wait_for_load_state("load")
        assert page.locator("h1").count() == 1, link
        assert page.errors == [], link


def test_browser_map_shows_a_marker_per_place_inside_the_map(page, site, corpus):
    event = _mapped_event(corpus)
    page.goto(site.url(site.links.event(event.id)))
    svg = page.locator("figure.map svg").bounding_box()
    markers = page.locator("figure.map a.marker circle")
    # Towns and regions are dots; a country is drawn as its name, not a dot.
    dots = {(round(p.lat, 4), round(p.lon, 4)) for p in event.places if p.kind is not PlaceKind.COUNTRY}
    assert markers.count() == len(dots)
    for index in range(markers.count()):
        box = markers.nth(index).bounding_box()
        assert box and svg["x"] <= box["x"] <= svg["x"] + svg["width"] and svg["y"] <= box["y"] <= svg["y"] + svg["height"]
    assert page.locator("figure.map path.land").count() >= 1
    assert page.locator("figure.map a.marker-country circle").count() == 0  # a country is a name, not a dot


def test_browser_clicking_a_claim_highlights_its_span_in_the_source(page, site, corpus):
    event = _claimed_event(corpus)
    page.goto(site.url(site.links.event(event.id)))
    links = page.locator("table.claims a.claim-link")
    if links.count() == 0:
        pytest.skip("the event has no claims")
    link = links.last
    href = link.get_attribute("href")
    anchor = link.get_attribute("data-span")
    link.click()
    page.wait_for_url(f"**#{anchor}")
    document_id = next(d.id for d in corpus.documents if href.startswith(site.links.document(d.id) + "#"))
    start, end = (int(n) for n in anchor[2:].split("-"))
    mark = page.locator(f"mark#{anchor}")
    parts = page.locator(f'mark[data-span="{anchor}"]')
    text = "".join(parts.nth(i).inner_text() for i in range(parts.count()))
    assert " ".join(text.split()) == " ".join(_span_text(corpus, Span(document_id, start, end)).split())
    assert mark.evaluate("el => el.matches(':target') && el.classList.contains('hl')")
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") == TARGET_BACKGROUND
    assert page.errors == []


def test_browser_map_marker_opens_the_place_mention(page, site, corpus):
    event = _mapped_event(corpus)
    page.goto(site.url(site.links.event(event.id)))
    marker = page.locator("figure.map a.marker").first
    name = marker.get_attribute("data-place")  # the GeoNames name; the label is the documents' spelling
    marker.click()
    page.wait_for_url("**#s-*")
    target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    mentions = {p.mention for p in event.places if p.name == name}
    assert page.locator(f"mark#{target}").inner_text() in mentions


def test_browser_citation_split_around_a_claim_is_highlighted_whole(page, site, corpus):
    claims = [(c.span, d) for a in corpus.analyses for c in a.claims for d in [a.document_id]]
    crossing = [
        (event, span)
        for event in corpus.results.events
        for sentence in event.summary
        for span in sentence.citations
        if any(
            s.document_id == span.document_id and (s.start < span.start < s.end < span.end or span.start < s.start < span.end < s.end)
            for s, _ in claims
        )
    ]
    if not crossing:
        pytest.skip("no citation crosses a claim in this corpus")
    event, span = crossing[0]
    page.goto(site.url(site.links.span(span)))
    anchor = f"s-{span.start}-{span.end}"
    parts = page.locator(f'mark[data-span="{anchor}"]')
    assert parts.count() >= 2
    assert "".join(parts.nth(i).inner_text() for i in range(parts.count())) == _span_text(corpus, span)
    for i in range(parts.count()):
        assert parts.nth(i).evaluate("el => el.classList.contains('hl')")


def test_browser_keyboard_reaches_the_skip_link_first(page, site):
    page.goto(site.url(site.links.index()))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-999px"


def test_browser_report_quick_filter_hides_other_events(page, report_dir, corpus):
    if not corpus.results.events:
        pytest.skip("no events in this corpus")
    page.goto((report_dir / "index.html").as_uri())
    word = max(corpus.results.events[0].title.split(), key=len)
    page.fill("#quick-filter", word.upper())
    assert 1 <= page.locator(".event-card:visible").count() <= len(corpus.results.events)
    page.fill("#quick-filter", "zzzqqqxxx")
    assert page.locator(".event-card:visible").count() == 0


def test_browser_served_search_and_filters(page, server_url, corpus):
    claim = next((c for a in corpus.analyses for c in a.claims), None)
    if claim is None:
        pytest.skip("no claims in this corpus")
    page.goto(server_url + "/")
    page.fill("#site-search", max(_span_text(corpus, claim.span).split(), key=len))
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator(".hits li").count() >= 1
    event = _mapped_event(corpus)
    page.goto(server_url + "/")
    page.fill("#f-place", event.places[0].name)
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**place=*")
    assert page.locator(f'a[href="{WebLinks().event(event.id)}"]').count() == 1
    assert page.errors == []


@pytest.mark.parametrize(("width", "label"), [(1280, "laptop"), (390, "phone")])
def test_browser_screenshots_without_horizontal_scrolling(browser, site, artifacts, corpus, corpus_name, width, label):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    shots = [("index", site.links.index())]
    if corpus.results.events:
        event = _mapped_event(corpus) if any(e.places for e in corpus.results.events) else corpus.results.events[0]
        shots.append(("event", site.links.event(event.id)))
    claim = next((c for a in corpus.analyses for c in a.claims), None)
    if claim:
        shots.append(("source", site.links.span(claim.span)))
    overflowing = []
    for name, link in shots:
        page.goto(site.url(link))
        page.screenshot(path=str(artifacts / f"{name}-{corpus_name}-{site.kind}-{label}.png"), full_page=name != "source")
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
            overflowing.append(name)
    context.close()
    assert overflowing == [], f"horizontal scrolling at {width}px"


def test_browser_pages_pass_axe_accessibility_checks(page, site, corpus):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python not installed")
    axe = axe_module.Axe()
    for link in _pages(corpus, site.links):
        page.goto(site.url(link))
        results = axe.run(page)
        assert results.response["violations"] == [], f"{link}\n{results.generate_report()}"


def _lead_events(corpus: Corpus) -> list:
    """Events some document leads with: the stories, not the briefs."""
    leading = {link.event_id for link in corpus.results.event_links if link.role.value == "main"}
    return [e for e in corpus.results.events if e.id in leading]


def test_browser_event_pages_name_sources_not_files(browser, site, artifacts, corpus, corpus_name):
    """Screenshots of every lead event page, for a person to look at; no file path in a source column."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    files = {Path(d.source).name for d in corpus.documents if not d.outlet}
    for number, event in enumerate(sorted(_lead_events(corpus), key=lambda e: e.start or dt.date.min), start=1):
        page.goto(site.url(site.links.event(event.id)))
        page.screenshot(path=str(artifacts / f"event{number}-{corpus_name}-{site.kind}.png"), full_page=True)
        cells = page.locator("td.source-cell").all_inner_texts()
        assert cells and not [c for c in cells if any(f in c for f in files)], event.title
    context.close()


def test_browser_index_shows_briefs_below_the_lead_events(page, site, corpus):
    page.goto(site.url(site.links.index()))
    leads, briefs = page.locator("#events .event-card"), page.locator("#briefs .event-card")
    expected = len(_lead_events(corpus))
    assert leads.count() == expected and briefs.count() == len(corpus.results.events) - expected
    if briefs.count() == 0:
        pytest.skip("every event is some document's main story")
    lowest_lead = max(leads.nth(i).bounding_box()["y"] for i in range(leads.count()))
    assert briefs.first.bounding_box()["y"] > lowest_lead
    assert briefs.first.evaluate("el => parseFloat(getComputedStyle(el.querySelector('h3')).fontSize)") < leads.first.evaluate(
        "el => parseFloat(getComputedStyle(el.querySelector('h2')).fontSize)"
    )
