"""Headless Chromium (Debian's) over the static report and the served UI.

Every check runs twice: over a hand-made corpus, and over the real pipeline's
output on ../shared/corpus/seeds (skipped when absent; models loaded once).
"""

from __future__ import annotations

import importlib.util
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from recoupe.model import Corpus, DocumentBatch
from recoupe.report.basemap import load_basemap
from recoupe.report.html import write_report
from recoupe.store.memory import MemoryStore

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SERVER_START_SECONDS = 15


def _sample_corpus() -> Corpus:
    path = Path(__file__).parents[1] / "report" / "sample_corpus.py"
    spec = importlib.util.spec_from_file_location("_recoupe_report_sample_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_sample_corpus()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", params=["sample", "seeds"])
def corpus_case(request) -> tuple[str, Corpus]:
    """(name, corpus): the hand-made one, then the real run on the seeds."""
    if request.param == "sample":
        return "sample", _sample_corpus()
    from report.seeds_run import run_seeds

    seeds_dir = request.getfixturevalue("seeds_dir")
    return "seeds", run_seeds(seeds_dir, request.getfixturevalue("tools")).load()


@pytest.fixture(scope="session")
def corpus(corpus_case) -> Corpus:
    return corpus_case[1]


@pytest.fixture(scope="session")
def corpus_name(corpus_case) -> str:
    return corpus_case[0]


@pytest.fixture(scope="session")
def basemap():
    return load_basemap()


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory, corpus, basemap) -> Path:
    return write_report(corpus, tmp_path_factory.mktemp("report"), basemap=basemap).parent


@pytest.fixture(scope="session")
def server_url(corpus, basemap):
    """The web app on a free loopback port, in a thread, stopped at the end of the session."""
    import uvicorn

    from recoupe.web.app import create_app

    store = MemoryStore()
    store.save_batch(DocumentBatch(corpus.documents, corpus.analyses, corpus.copies))
    store.save_results(corpus.results)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(store, basemap=basemap), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=SERVER_START_SECONDS)


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
