"""The main job end to end: bad input is reported and skipped, reruns change nothing, a crash loses nothing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from recoupe.model import Corpus, DocumentBatch
from recoupe.pipeline import run
from recoupe.settings import AnalysisSettings, IngestSettings, Settings
from recoupe.store import open_store

pytestmark = pytest.mark.model

CRUE = """Crue : Sommières évacue ses quais
 date 2024-10-15

Le Vidourle est sorti de son lit mardi à Sommières, dans le Gard. La préfecture a annoncé l'évacuation de 120 habitants des quais.
« L'eau monte encore, nous fermons le pont », a déclaré le maire, Pierre Fabre.
Selon les pompiers, au moins 150 personnes auraient été mises à l'abri.
"""

GREVE = """Marseille : les dockers en grève contre la réforme portuaire
 date 2024-11-12

Environ 1 500 dockers ont manifesté mardi sur le port de Marseille, selon la CGT. La police a compté 300 manifestants.
« Nous ne lâcherons rien », a affirmé le secrétaire du syndicat, Karim Benali.
"""


@pytest.fixture
def sources(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "articles"
    good.mkdir()
    (good / "crue.txt").write_text(CRUE, encoding="utf-8")
    (good / "greve.txt").write_text(GREVE, encoding="utf-8")
    bad = {
        "binary.txt": b"\x00\x01\x02\xff" * 64,
        "utf16.txt": "Crue à Sommières".encode("utf-16")[:-1],  # truncated mid code unit
        "empty.txt": b"",
    }
    for name, data in bad.items():
        (good / name).write_bytes(data)
    return {"dir": good, **{name: good / name for name in bad}}


def _settings(**ingest) -> Settings:
    return dataclasses.replace(Settings(), ingest=dataclasses.replace(IngestSettings(), **ingest))


def test_pipeline_reports_each_bad_file_and_stores_the_others(tools, sources):
    store = open_store("memory://")
    report = run([str(sources["dir"])], tools=tools, store=store, settings=Settings())
    failed = {Path(f.source).name: f.reason for f in report.failures}
    assert set(failed) == {"binary.txt", "utf16.txt", "empty.txt"}
    assert all(reason for reason in failed.values())
    assert report.stored == 2
    assert {Path(d.source).name for d in store.documents()} == {"crue.txt", "greve.txt"}


def test_pipeline_refuses_a_50_mb_text_by_name(tools, sources):
    big = sources["dir"] / "big.txt"
    big.write_text("Le Vidourle monte encore. " * 2_000_000, encoding="utf-8")  # 52 MB of text
    report = run([str(sources["dir"])], tools=tools, store=open_store("memory://"), settings=Settings())
    assert "too large" in {Path(f.source).name: f.reason for f in report.failures}["big.txt"]
    assert report.stored == 2


def test_pipeline_size_cap_is_a_setting(tools, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(CRUE, encoding="utf-8")
    report = run([str(page)], tools=tools, store=open_store("memory://"), settings=_settings(max_bytes=100))
    assert [Path(f.source).name for f in report.failures] == ["page.txt"]


def test_pipeline_second_run_changes_nothing(tools, sources, tmp_path):
    store = open_store(str(tmp_path / "recoupe.sqlite"))
    first = run([str(sources["dir"])], tools=tools, store=store, settings=Settings())
    before = store.load()
    second = run([str(sources["dir"])], tools=tools, store=store, settings=Settings())
    assert (first.stored, second.stored, second.skipped) == (2, 0, 2)
    assert (second.events, second.claims) == (first.events, first.claims)
    assert store.load() == before
    store.close()


class _CountingReads:
    """A store that counts the whole-store reads a run makes."""

    def __init__(self, store) -> None:
        self._store = store
        self.reads = {"documents": 0, "load": 0}

    def documents(self):
        self.reads["documents"] += 1
        return self._store.documents()

    def load(self):
        self.reads["load"] += 1
        return self._store.load()

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_pipeline_rerun_with_nothing_new_reads_no_stored_document(tools, sources, tmp_path):
    store = open_store(str(tmp_path / "recoupe.sqlite"))
    first = _CountingReads(store)
    run([str(sources["dir"])], tools=tools, store=first, settings=Settings())
    assert first.reads == {"documents": 0, "load": 1}  # copies looked up in the store's index; the cross-document stages
    again = _CountingReads(store)
    report = run([str(sources["dir"])], tools=tools, store=again, settings=Settings())
    assert (report.stored, report.skipped) == (0, 2) and again.reads == {"documents": 0, "load": 0}
    store.close()


class _FailingSecondBatch:
    """A store whose second batch of documents fails to save, as a crash mid-run would (the copy
    index's own saves, which carry no document, are not counted)."""

    def __init__(self, store) -> None:
        self._store = store
        self._batches = 0

    def save_batch(self, batch: DocumentBatch) -> int:
        self._batches += bool(batch.documents)
        if self._batches == 2:
            raise RuntimeError("disk full")
        return self._store.save_batch(batch)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_pipeline_crash_keeps_earlier_batches_and_rerun_completes(tools, sources, tmp_path):
    settings = dataclasses.replace(Settings(), analysis=AnalysisSettings(batch_size=1))
    store = open_store(str(tmp_path / "recoupe.sqlite"))
    with pytest.raises(RuntimeError, match="disk full"):
        run([str(sources["dir"])], tools=tools, store=_FailingSecondBatch(store), settings=settings)
    assert len(list(store.documents())) == 1
    report = run([str(sources["dir"])], tools=tools, store=store, settings=settings)
    assert (report.stored, report.skipped) == (1, 1)
    corpus: Corpus = store.load()
    assert len(corpus.documents) == len(corpus.analyses) == 2
    store.close()


def test_pipeline_derives_events_and_claims(tools, sources):
    store = open_store("memory://")
    report = run([str(sources["dir"])], tools=tools, store=store, settings=Settings())
    corpus = store.load()
    assert report.events == len(corpus.results.events) == 2
    assert report.claims >= 2
    assert {link.document_id for link in corpus.results.event_links} == {d.id for d in corpus.documents}


# Two dated reports of a flood and a third stating no day: its event infers one (Thursday 17 October).
FLOOD = {
    "f1.txt": """ date 2024-10-15 Crue : Sommières évacue ses quais

Le Vidourle est sorti de son lit mardi à Sommières, dans le Gard. La préfecture a annoncé l'évacuation de 120 habitants des quais.
« L'eau monte encore, nous fermons le pont », a déclaré le maire, Pierre Fabre.
""",
    "f2.txt": """ date 2024-10-15 Inondations dans le Gard : le pont de Sommières fermé

La crue du Vidourle a contraint la mairie de Sommières à fermer le pont mardi. Le maire Pierre Fabre a affirmé que 200 habitants avaient été évacués.
""",
    "f3.txt": """Sommières : la décrue attendue demain
Jeudi, le Vidourle a commencé à baisser à Sommières, dans le Gard, après la crue qui avait obligé la préfecture à évacuer les quais mardi.
« Nous rouvrirons le pont dès que possible », a indiqué le maire Pierre Fabre.
""",
}


def _counting_parses(monkeypatch) -> list[str]:
    """Ids of the documents whose parse is read (`analyse_doc`), one entry per reading."""
    import recoupe.nlp.analyse as analysis

    read: list[str] = []
    original = analysis.analyse_doc

    def counted(doc, document, *args, **kwargs):
        read.append(document.id)
        return original(doc, document, *args, **kwargs)

    monkeypatch.setattr(analysis, "analyse_doc", counted)
    return read


def test_pipeline_redates_from_the_kept_phrases_without_parsing_again(tools, tmp_path, monkeypatch):
    from recoupe.nlp.analyse import analyse

    folder = tmp_path / "flood"
    folder.mkdir()
    for name, text in FLOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    parsed = _counting_parses(monkeypatch)
    store = open_store("memory://")
    run([str(folder)], tools=tools, store=store, settings=Settings())
    corpus = store.load()
    [inferred] = corpus.results.inferred_dates
    assert inferred.date.isoformat() == "2024-10-17"
    assert sorted(parsed) == sorted(d.id for d in corpus.documents)  # each document parsed once, re-dated without a parse
    undated = next(d for d in corpus.documents if d.id == inferred.document_id)
    stored = next(a for a in corpus.analyses if a.document_id == undated.id)
    assert stored.reference_day == inferred.date and {t.text for t in stored.times} >= {"Jeudi", "mardi", "demain"}
    [expected] = analyse([undated], tools.toolkit, Settings().analysis, references={undated.id: inferred.date})
    assert stored == expected

    # An analysis stored before phrases were kept is analysed again against the day; the rest is unchanged.
    older = open_store("memory://")
    kept = tuple(dataclasses.replace(a, time_phrases=None, times=(), reference_day=None) if a.document_id == undated.id else a
                 for a in analyse(corpus.documents, tools.toolkit, Settings().analysis))
    older.save_batch(DocumentBatch(corpus.documents, kept, corpus.copies))
    parsed.clear()
    run([], tools=tools, store=older, settings=Settings())
    assert parsed == [undated.id]
    again = older.load()
    assert again.analyses == corpus.analyses and again.results == corpus.results


FIRE = {
    "i1.txt": """ date 2024-09-03 Incendie dans un entrepôt de Vénissieux

Un incendie a ravagé mardi un entrepôt de Vénissieux, près de Lyon. Selon les pompiers, 40 salariés ont été évacués.
« Le feu est maîtrisé », a déclaré le commandant des pompiers, Julien Morel.
""",
    "i2.txt": """ date 2024-09-03 Vénissieux : un entrepôt en feu, 60 salariés évacués

L'incendie d'un entrepôt de Vénissieux a mobilisé les pompiers mardi. La direction affirme que 60 salariés ont été évacués.
""",
}


class _SideBySide:
    """An executor that says it runs two tasks side by side (it runs them here, and counts them)."""

    parallelism = 2

    def __init__(self, tools) -> None:
        self.tools = tools
        self.tasks = 0

    def map(self, task, items):
        for item in items:
            self.tasks += 1
            yield task(self.tools, item)


def test_pipeline_compares_runs_of_events_side_by_side_as_one_task_does(tools, sources, tmp_path):
    from recoupe.pipeline import compare_events, derive, place_events

    folder = sources["dir"]
    for name, text in {**FLOOD, **FIRE}.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = open_store("memory://")
    run([str(folder)], tools=tools, store=store, settings=Settings())
    corpus = store.load()
    assert len(corpus.results.events) >= 3 and corpus.results.contradictions and corpus.results.propositions
    executor = _SideBySide(tools)
    placed = place_events(corpus, tools, Settings(), links=corpus.results.event_links)
    side_by_side = compare_events(corpus, tools, Settings(), placed, executor)
    assert executor.tasks >= 3  # one run of events per task
    assert side_by_side == derive(corpus, tools, Settings(), links=corpus.results.event_links)
    assert side_by_side == dataclasses.replace(corpus.results, documents=0)  # what the run stored



def test_pipeline_event_records_do_not_depend_on_the_order_of_their_links(tools, tmp_path):
    """Arrival order must not show in an event: places named as often (Sommières and the Gard, in
    another order by f2), actors, title and figures come out the same whatever order its links are in."""
    from recoupe.summary import EventContext, events_from_links

    folder = tmp_path / "flood"
    folder.mkdir()
    for name, text in FLOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = open_store("memory://")
    run([str(folder)], tools=tools, store=store, settings=Settings())
    corpus = store.load()
    links = list(corpus.results.event_links)
    context = EventContext({d.id: d for d in corpus.documents}, {a.document_id: a for a in corpus.analyses}, tools.toolkit.languages)
    settings = Settings().events
    [event] = events_from_links(links, context, settings)
    assert len(event.places) >= 2  # an order that could differ
    for order in (links[::-1], links[1:] + links[:1]):
        assert events_from_links(order, context, settings) == [event]
