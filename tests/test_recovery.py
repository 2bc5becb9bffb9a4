"""Results independent of history: kills, re-runs, concurrent writers and path spellings all end
in the store one clean run gives (compared record by record, `Store.load()`)."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from recoupe.pipeline import run
from recoupe.settings import AnalysisSettings, Settings
from recoupe.store import open_store

pytestmark = pytest.mark.model

# Batches of two: a six-article run commits three batches before the cross-document stages.
SETTINGS = dataclasses.replace(Settings(), analysis=dataclasses.replace(AnalysisSettings(), batch_size=2))

ARTICLES = {
    "a1.txt": """ date 2024-10-15 Crue : Sommières évacue ses quais

Le Vidourle est sorti de son lit mardi à Sommières, dans le Gard. La préfecture a annoncé l'évacuation de 120 habitants des quais.
« L'eau monte encore, nous fermons le pont », a déclaré le maire, Pierre Fabre.
""",
    "a2.txt": """ date 2024-10-15 Inondations dans le Gard : le pont de Sommières fermé

La crue du Vidourle a contraint la mairie de Sommières à fermer le pont mardi. Le maire Pierre Fabre a affirmé que 200 habitants avaient été évacués.
La préfecture du Gard a démenti ce chiffre et parle de 120 personnes.
""",
    "a3.txt": """Sommières : la décrue attendue demain
Jeudi, le Vidourle a commencé à baisser à Sommières, dans le Gard, après la crue qui avait obligé la préfecture à évacuer les quais.
« Nous rouvrirons le pont dès que possible », a indiqué le maire Pierre Fabre.
""",
    "b1.txt": """ date 2024-11-12 Marseille : les dockers en grève contre la réforme portuaire

Environ 1 500 dockers ont manifesté mardi sur le port de Marseille, selon la CGT. La police a compté 300 manifestants.
« Nous ne lâcherons rien », a affirmé le secrétaire du syndicat, Karim Benali.
""",
    "b2.txt": """ date 2024-11-12 Grève au port de Marseille : la police compte 300 manifestants

La police a compté 300 manifestants mardi sur le port de Marseille, où les dockers protestent contre la réforme portuaire. La CGT en revendique 1 500.
""",
    "b3.txt": """ date 2024-11-13 Marseille : les dockers en grève contre la réforme portuaire

Environ 1 500 dockers ont manifesté mardi sur le port de Marseille, selon la CGT. La police a compté 300 manifestants.
« Nous ne lâcherons rien », a affirmé le secrétaire du syndicat, Karim Benali.
Le mouvement doit reprendre jeudi.
""",
}


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("recovery") / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _run(tools, paths, db: Path):
    store = open_store(str(db))
    try:
        report = run([str(p) for p in paths], tools=tools, store=store, settings=SETTINGS)
        return report, store.load()
    finally:
        store.close()


@pytest.fixture(scope="module")
def clean(tools, articles, tmp_path_factory):
    """What one clean run stores."""
    report, corpus = _run(tools, [articles], tmp_path_factory.mktemp("clean") / "s.sqlite")
    assert report.stored == len(ARTICLES) and report.failures == []
    assert corpus.copies and corpus.results.events and corpus.results.contradictions  # the comparison has substance
    # a3 states no day: its event dates it (Thursday 17 October) and its analysis is redone against that day
    assert [(d.date.isoformat(),) for d in corpus.results.inferred_dates] == [("2024-10-17",)]
    assert [a.reference_day for a in corpus.analyses if a.reference_day] == [corpus.results.inferred_dates[0].date]
    return corpus


# Each point: (module, attribute, when to die). The wrapper kills its own process with SIGKILL, as `kill -9` does;
# a run that never reaches its point prints "survived" and exits 0, which fails the test.
KILL_POINTS = {
    # while the models load (the store is already open, nothing written)
    "loading models": ("recoupe.nlp", "load_pipelines", "before"),
    # right after the first batch committed
    "after a committed batch": ("recoupe.store.sql", "SqlStore.save_batch", "after"),
    # during clustering
    "during clustering": ("recoupe.pipeline", "cluster_corpus", "before"),
    # re-dated analyses computed, results not yet written (two transactions before: the re-run clustered again)
    "between re-dating and results": ("recoupe.pipeline", "_reanchor", "after"),
    # inside the one transaction that writes re-dated analyses and results
    "inside the results transaction": ("recoupe.store.sql", "_result_row", "before"),
    # after the results committed, before the run returns
    "after the results": ("recoupe.store.sql", "SqlStore.save_results", "after"),
}

CRASHING_RUN = """
import dataclasses, importlib, os, signal, sys
from recoupe.api import load_tools
from recoupe.pipeline import run
from recoupe.settings import AnalysisSettings, Settings
from recoupe.store import open_store

module, attribute, when, db, folder = sys.argv[1:6]
owner = importlib.import_module(module)
*parents, name = attribute.split(".")
for parent in parents:
    owner = getattr(owner, parent)
original = getattr(owner, name)

def die(*args, **kwargs):
    if when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    if result == []:  # a point that did nothing (no analysis re-dated) tests nothing
        sys.exit(3)
    os.kill(os.getpid(), signal.SIGKILL)
    return result

setattr(owner, name, die)
settings = dataclasses.replace(Settings(), analysis=dataclasses.replace(AnalysisSettings(), batch_size=2))
store = open_store(db)
tools = load_tools(settings)
run([folder], tools=tools, store=store, settings=settings)
print("survived")
"""


def _python(script: str, *args: str, wait: bool = True):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    command = [sys.executable, "-c", textwrap.dedent(script), *args]
    if not wait:
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_kill_9_then_rerun_equals_one_clean_run(tools, articles, clean, tmp_path, point):
    module, attribute, when = KILL_POINTS[point]
    db = tmp_path / "s.sqlite"
    crashed = _python(CRASHING_RUN, module, attribute, when, str(db), str(articles))
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr[-2000:]
    report, corpus = _run(tools, [articles], db)
    assert report.failures == []
    assert corpus == clean
    _, again = _run(tools, [articles], db)  # and a later run changes nothing
    assert again == clean


CONCURRENT_RUN = """
import sys, dataclasses
from recoupe.api import load_tools
from recoupe.pipeline import run
from recoupe.store import open_store
from recoupe.settings import AnalysisSettings, Settings

settings = dataclasses.replace(Settings(), analysis=dataclasses.replace(AnalysisSettings(), batch_size=2))
tools = load_tools(settings)
store = open_store(sys.argv[1])
run(sys.argv[2:], tools=tools, store=store, settings=settings, on_wait=lambda line: print(line, flush=True))
print("done", flush=True)
"""


def test_two_concurrent_writers_equal_one_sequential_run(tools, articles, tmp_path):
    halves = ([str(articles / n) for n in ("a1.txt", "b1.txt", "a3.txt")], [str(articles / n) for n in ("a2.txt", "b2.txt", "b3.txt")])
    db = tmp_path / "shared.sqlite"
    processes = [_python(CONCURRENT_RUN, str(db), *half, wait=False) for half in halves]
    outputs = [p.communicate(timeout=600) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], [err[-2000:] for _, err in outputs]
    together = open_store(str(db))
    try:
        concurrent = together.load()
    finally:
        together.close()
    sequential = []
    for order in (halves, halves[::-1]):
        db_order = tmp_path / f"seq-{len(sequential)}.sqlite"
        _run(tools, order[0], db_order)
        sequential.append(_run(tools, order[1], db_order)[1])
    assert concurrent in sequential
    assert len(concurrent.copies) == len(sequential[0].copies)  # no copy link lost to a stale index


def test_path_spellings_name_one_document(tools, articles, clean, tmp_path, monkeypatch):
    monkeypatch.chdir(articles.parent)
    db = tmp_path / "s.sqlite"
    for spelling in ("in", "./in/", str(articles.resolve()), str(articles) + "/../in"):
        report, corpus = _run(tools, [spelling], db)
    assert report.stored == 0 and report.skipped == len(ARTICLES)
    assert [d.id for d in corpus.documents] == [d.id for d in clean.documents]
    assert corpus.results == clean.results and corpus.copies == clean.copies


def test_a_store_made_when_ids_hashed_the_path_opens_with_one_document_per_text(tools, articles, clean, tmp_path, monkeypatch):
    """Migration 0004 on a real run: two spellings of the input stored under the old ids (12 documents
    for 6 texts), then a run on the migrated store stores nothing and derives what one clean run does."""
    import hashlib

    from alembic import command
    from alembic.config import Config

    import recoupe.clean
    from recoupe.store.sql import MIGRATIONS
    from recoupe.store.sqlite import create_engine, writing

    db = tmp_path / "old.sqlite"
    with monkeypatch.context() as old:
        old.setattr(recoupe.clean, "document_id", lambda raw: hashlib.sha256(f"{raw.source}\0{raw.text}".encode()).hexdigest()[:16])
        old.chdir(articles.parent)
        for spelling in ("in", "./in/"):
            _run(tools, [spelling], db)
    engine = create_engine(db)
    with writing(engine) as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    engine.dispose()
    store = open_store(str(db))
    try:
        assert len(list(store.documents())) == len(ARTICLES)  # one document per text once opened
    finally:
        store.close()
    report, corpus = _run(tools, [articles], db)
    assert report.stored == 0 and report.skipped == len(ARTICLES) and report.failures == []
    assert [d.id for d in corpus.documents] == [d.id for d in clean.documents]

    def events(c):
        members: dict[str, set[str]] = {}
        for link in c.results.event_links:
            members.setdefault(link.event_id, set()).add(link.document_id)
        return sorted(sorted(m) for m in members.values())

    assert events(corpus) == events(clean)
    assert {(l.copy, l.original) for l in corpus.copies} == {(l.copy, l.original) for l in clean.copies}
    assert len(corpus.results.contradictions) == len(clean.results.contradictions)
