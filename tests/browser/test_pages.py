"""Pages in a real browser: no console errors, map markers, claim links that highlight their span."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TARGET_BACKGROUND = "rgb(255, 194, 71)"  # --target in report.css


def _url(kind: str, base, name: str) -> str:
    """The same page in the static report (file://) or the served UI (http://)."""
    if kind == "report":
        return (base / name).as_uri()
    routes = {"index.html": "/", "documents.html": "/documents", "event-ev-soumy.html": "/events/ev-soumy",
              "event-ev-meeting.html": "/events/ev-meeting", "doc-doc-a.html": "/documents/doc-a",
              "doc-doc-b.html": "/documents/doc-b", "doc-doc-d.html": "/documents/doc-d"}
    return base + routes[name]


@pytest.fixture(params=["report", "served"])
def site(request):
    kind = request.param
    base = request.getfixturevalue("report_dir" if kind == "report" else "server_url")
    return kind, base


@pytest.mark.parametrize(
    "name", ["index.html", "documents.html", "event-ev-soumy.html", "event-ev-meeting.html", "doc-doc-a.html", "doc-doc-d.html"]
)
def test_browser_pages_load_without_console_errors(page, site, name):
    kind, base = site
    response = page.goto(_url(kind, base, name))
    assert response is None or response.ok
    page.wait_for_load_state("load")
    assert page.locator("h1").count() == 1
    assert page.errors == []


def test_browser_map_shows_a_marker_per_place_inside_the_map(page, site):
    kind, base = site
    page.goto(_url(kind, base, "event-ev-soumy.html"))
    svg = page.locator("figure.map svg").bounding_box()
    markers = page.locator("figure.map a.marker circle")
    assert markers.count() == 3
    for index in range(markers.count()):
        box = markers.nth(index).bounding_box()
        assert box and svg["x"] <= box["x"] <= svg["x"] + svg["width"] and svg["y"] <= box["y"] <= svg["y"] + svg["height"]
    assert page.locator("figure.map path.land").count() >= 2


def test_browser_clicking_a_claim_highlights_its_span_in_the_source(page, site):
    kind, base = site
    page.goto(_url(kind, base, "event-ev-soumy.html"))
    link = page.locator("table.claims a.claim-link").filter(has_text="centrale électrique")
    anchor = link.get_attribute("data-span")
    link.click()
    page.wait_for_url(f"**#{anchor}")
    mark = page.locator(f"mark#{anchor}")
    assert mark.inner_text() == "que la centrale électrique ait été touchée"
    assert mark.evaluate("el => el.matches(':target') && el.classList.contains('hl')")
    page.wait_for_timeout(50)
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") == TARGET_BACKGROUND
    assert page.errors == []


def test_browser_map_marker_opens_the_place_mention(page, site):
    kind, base = site
    page.goto(_url(kind, base, "event-ev-soumy.html"))
    page.locator("figure.map a.marker", has_text="Kharkiv").click()
    page.wait_for_url("**#s-*")
    target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    assert page.locator(f"mark#{target}").inner_text() == "Kharkiv"


def test_browser_keyboard_reaches_the_skip_link_first(page, site):
    kind, base = site
    page.goto(_url(kind, base, "event-ev-soumy.html"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-999px"


def test_browser_report_quick_filter_hides_other_events(page, report_dir):
    page.goto((report_dir / "index.html").as_uri())
    page.fill("#quick-filter", "KHARKÎV")
    assert page.locator(".event-card:visible").count() == 1
    assert "Soumy" in page.locator(".event-card:visible h2").inner_text()


def test_browser_served_search_and_filters(page, server_url):
    page.goto(server_url + "/")
    page.fill("#site-search", "décombres")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator(".hits li").count() >= 1
    page.goto(server_url + "/")
    page.fill("#f-place", "Kharkiv")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**place=Kharkiv*")
    assert page.locator(".event-card").count() == 1
    assert page.errors == []


@pytest.mark.parametrize(("width", "label"), [(1280, "laptop"), (390, "phone")])
def test_browser_screenshots_of_event_pages(browser, site, artifacts, corpus, width, label):
    kind, base = site
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(_url(kind, base, "event-ev-soumy.html"))
    page.screenshot(path=str(artifacts / f"event-{kind}-{label}.png"), full_page=True)
    denial = next(c for a in corpus.analyses for c in a.claims if c.id == "claim-b2")
    page.goto(_url(kind, base, "doc-doc-b.html") + f"#s-{denial.span.start}-{denial.span.end}")
    page.screenshot(path=str(artifacts / f"source-{kind}-{label}.png"))
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    context.close()
    assert not overflow, f"horizontal scrolling at {width}px"
