"""One contract suite, run against every Store implementation."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest

from recoupe.errors import StoreError
from recoupe.model import (
    Analysis,
    CopyKind,
    CopyLink,
    CorpusResults,
    DocumentBatch,
    HitKind,
    Mention,
    EntityType,
)
from recoupe.store import open_store
from recoupe.store.sample import sample_corpus, sample_documents, span
from recoupe.store.sqlite import SqliteStore

from factories import body_document


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'recoupe.db'}"


@pytest.fixture
def store(store_url):
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def corpus():
    return sample_corpus()


def _save_all(store, corpus) -> None:
    store.save_batch(DocumentBatch(corpus.documents, corpus.analyses, corpus.copies))
    store.save_results(corpus.results)


def test_store_round_trips_every_model_type(store, corpus):
    _save_all(store, corpus)
    assert store.load() == corpus


def test_store_streams_in_insertion_order_across_batches(store, corpus):
    a, b, c, d = corpus.documents
    store.save_batch(DocumentBatch((c, a), corpus.analyses[2:3]))
    store.save_batch(DocumentBatch((d, b), (corpus.analyses[3], corpus.analyses[0])))
    assert [doc.id for doc in store.documents()] == ["doc-c", "doc-a", "doc-d", "doc-b"]
    assert [an.document_id for an in store.analyses()] == ["doc-c", "doc-d", "doc-a"]


def test_store_resaving_a_document_changes_nothing(store, corpus):
    _save_all(store, corpus)
    before = store.load()
    changed = dataclasses.replace(corpus.documents[0], title="Autre titre")
    other_analysis = Analysis(changed.id)
    assert store.save_batch(DocumentBatch((changed,), (other_analysis,), corpus.copies)) == 0
    assert store.load() == before
    assert store.document("doc-a").title == corpus.documents[0].title


def test_store_counts_new_documents_and_reports_existing(store, corpus):
    a, b, c, _ = corpus.documents
    assert store.save_batch(DocumentBatch((a, b))) == 2
    assert store.save_batch(DocumentBatch((a, c, c))) == 1
    assert store.existing(["doc-a", "doc-c", "doc-d"]) == {"doc-a", "doc-c"}


def test_store_adds_the_analysis_of_a_document_stored_earlier(store, corpus):
    store.save_batch(DocumentBatch(corpus.documents[:1]))
    assert store.analysis("doc-a") is None
    store.save_batch(DocumentBatch((), corpus.analyses[:1]))
    assert store.analysis("doc-a") == corpus.analyses[0]


@pytest.mark.parametrize("failure", ["analysis", "copy"])
def test_store_rolls_back_a_failing_batch_and_keeps_earlier_ones(store, corpus, failure):
    a, b, c, d = corpus.documents
    store.save_batch(DocumentBatch((a, b), corpus.analyses[:2], corpus.copies))
    stray = Analysis("doc-unknown")
    bad_copy = CopyLink(c.id, "doc-unknown", CopyKind.NEAR, 0.7)
    # The new documents come first in the batch: the failure happens mid-way.
    batch = DocumentBatch(
        (c, d),
        (corpus.analyses[2], stray) if failure == "analysis" else corpus.analyses[2:3],
        (bad_copy,) if failure == "copy" else (),
    )
    with pytest.raises(StoreError, match="doc-unknown"):
        store.save_batch(batch)
    assert [doc.id for doc in store.documents()] == ["doc-a", "doc-b"]
    assert [an.document_id for an in store.analyses()] == ["doc-a", "doc-b"]
    assert store.load().copies == corpus.copies
    assert store.search("ukrainienne") == []
    assert store.save_batch(DocumentBatch((c, d), corpus.analyses[2:])) == 2


def test_store_replaces_results_as_a_whole(store, corpus):
    _save_all(store, corpus)
    smaller = CorpusResults(entities=corpus.results.entities[:1], events=corpus.results.events)
    store.save_results(smaller)
    assert store.results() == smaller
    store.save_results(CorpusResults())
    assert store.results() == CorpusResults()


def test_store_refuses_results_with_duplicate_ids_and_keeps_the_previous(store, corpus):
    _save_all(store, corpus)
    event = corpus.results.events[0]
    with pytest.raises(StoreError, match="results not saved"):
        store.save_results(CorpusResults(events=(event, dataclasses.replace(event, title="Autre"))))
    assert store.results() == corpus.results


def test_store_results_are_empty_before_the_first_save(store):
    assert store.results() == CorpusResults()


def test_store_looks_documents_and_analyses_up_by_id(store, corpus):
    _save_all(store, corpus)
    assert store.document("doc-c") == corpus.documents[2]
    assert store.analysis("doc-c") == corpus.analyses[2]
    assert store.document("nope") is None
    assert store.analysis("nope") is None


def test_store_replace_analyses_overwrites_and_reindexes_claims(store, corpus):
    _save_all(store, corpus)
    first = corpus.analyses[0]
    replaced = dataclasses.replace(first, claims=first.claims[:1], times=())
    store.replace_analyses([replaced])
    assert store.analysis(first.document_id) == replaced
    dropped = {c.id for c in first.claims[1:]}
    assert not {h.claim_id for h in store.search("Tetkino")} & dropped
    assert [a.document_id for a in store.analyses()] == [a.document_id for a in corpus.analyses]


def test_store_replace_analyses_of_an_unknown_document_changes_nothing(store, corpus):
    _save_all(store, corpus)
    before = store.load()
    with pytest.raises(StoreError, match="nope"):
        store.replace_analyses([dataclasses.replace(corpus.analyses[0], times=()), Analysis("nope")])
    assert store.load() == before


def test_store_claims_of_an_event(store, corpus):
    _save_all(store, corpus)
    assert [c.id for c in store.claims("evt-1")] == ["claim-a2", "claim-a1", "claim-a3", "claim-c1"]
    assert store.claims("evt-unknown") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region Belgorod", {("document", "doc-a", None), ("document", "doc-b", None), ("document", "doc-c", None), ("claim", "doc-a", "claim-a2")}),
        ("RÉGION de belgorod", {("document", "doc-a", None), ("document", "doc-b", None), ("document", "doc-c", None), ("claim", "doc-a", "claim-a2")}),
        ("victime", {("document", "doc-a", None), ("document", "doc-b", None), ("claim", "doc-a", "claim-a1")}),
        ("Tetkino", {("document", d, None) for d in ("doc-a", "doc-b", "doc-c")} | {("claim", "doc-a", "claim-a3"), ("claim", "doc-c", "claim-c1")}),
        ("Tyotkino", {("document", d, None) for d in ("doc-a", "doc-b", "doc-c")} | {("claim", "doc-a", "claim-a3"), ("claim", "doc-c", "claim-c1")}),
        ("habitants de Tyotkino", {("document", "doc-a", None), ("document", "doc-b", None), ("claim", "doc-a", "claim-a3")}),
        ("dernières informations", {("document", "doc-d", None)}),
        ("manifestation Belgorod", set()),
        ('" AND OR NEAR( *', set()),
        ("", set()),
    ],
)
def test_store_search_ignores_case_accents_and_transliteration(store, corpus, query, expected):
    _save_all(store, corpus)
    hits = store.search(query)
    assert {(h.kind.value, h.document_id, h.claim_id) for h in hits} == expected


PRIGOZHIN = ("Prigojine", "Prigozhin", "Prigoschin", "Prigożyn")


def _spellings_saved(store) -> None:
    texts = [f"Le chef de Wagner, Evguéni {s}, a parlé." for s in PRIGOZHIN] + ["Le général Pirogov a parlé."]
    store.save_batch(DocumentBatch(tuple(body_document(t, id=f"doc-{i}") for i, t in enumerate(texts))))


@pytest.mark.parametrize("query", PRIGOZHIN)
def test_store_search_finds_a_name_in_every_romanisation(store, query):
    _spellings_saved(store)
    hits = store.search(query)
    assert {h.document_id for h in hits} == {"doc-0", "doc-1", "doc-2", "doc-3"}
    assert hits[0].document_id == f"doc-{PRIGOZHIN.index(query)}"  # the exact spelling first


def _sql_store_with_stale_keys(store_url: str) -> None:
    """A store whose indexed skeletons were computed by another folding: written as an older version would have."""
    import sqlalchemy as sa

    store = open_store(store_url)
    _spellings_saved(store)
    with store._writing() as connection:
        connection.execute(sa.text("UPDATE search SET variants = " + ("'stale'" if store_url.startswith("sqlite") else "to_tsvector('simple', 'stale')")))
        connection.execute(sa.text("UPDATE store_meta SET value = 'an-older-folding'"))
    assert {h.document_id for h in store.search("Prigozhin")} == {"doc-1"}
    store.close()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_store_rebuilds_indexed_skeletons_when_the_folding_changed(request, tmp_path, database):
    url = request.getfixturevalue("postgres_url") if database == "postgresql" else f"sqlite:///{tmp_path / 'recoupe.db'}"
    _sql_store_with_stale_keys(url)
    reopened = open_store(url)
    assert {h.document_id for h in reopened.search("Prigozhin")} == {"doc-0", "doc-1", "doc-2", "doc-3"}
    reopened.close()


def test_store_keeps_its_skeletons_while_the_folding_is_the_same(tmp_path):
    import sqlalchemy as sa

    from recoupe.store.search import folding_version

    url = f"sqlite:///{tmp_path / 'recoupe.db'}"
    _sql_store_with_stale_keys(url)
    store = open_store(url)
    with store._writing() as connection:  # stale keys, but stamped with today's version: no rebuild at opening
        connection.execute(sa.text("UPDATE search SET variants = 'stale'"))
        connection.execute(sa.text("UPDATE store_meta SET value = :v"), {"v": folding_version()})
    store.close()
    reopened = open_store(url)
    assert {h.document_id for h in reopened.search("Prigozhin")} == {"doc-1"}
    reopened.close()


def test_store_search_ranks_exact_spellings_before_variants(store, corpus):
    _save_all(store, corpus)
    hits = store.search("Tëtkino")
    assert {h.document_id for h in hits[:2]} == {"doc-c"}
    assert {h.document_id for h in hits[2:]} == {"doc-a", "doc-b"}
    assert "Tiotkino" in hits[-1].snippet


def test_store_search_snippets_show_the_match(store, corpus):
    _save_all(store, corpus)
    hits = {(h.kind, h.document_id): h for h in store.search("victime")}
    assert hits[HitKind.CLAIM, "doc-a"].snippet == "Aucune victime n'est à déplorer"
    assert "Aucune victime" in hits[HitKind.DOCUMENT, "doc-a"].snippet
    assert "Menu" not in hits[HitKind.DOCUMENT, "doc-a"].snippet  # boilerplate is not indexed


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("évacuées", "l'évacuation de 200 habitants"),
        ("evacuer", "l'évacuation de 200 habitants"),
        ("Évacuations", "l'évacuation de 200 habitants"),
        ("évacuation", "Des familles évacuées cette nuit"),
        ("evacuees", "Des familles évacuées cette nuit"),
        ("evacuated", "Residents were evacuated"),
        ("evacuation", "Residents were evacuated"),
    ],
)
def test_store_search_finds_words_of_the_same_stem(store, corpus, query, found):
    _save_all(store, corpus)
    french = body_document("Des familles évacuées cette nuit près de Koursk.", id="doc-fr")
    english = dataclasses.replace(body_document("Residents were evacuated overnight near Kursk.", id="doc-en"), language="en")
    store.save_batch(DocumentBatch((dataclasses.replace(french, language="fr"), english)))
    hits = store.search(query)
    assert any(found in h.snippet for h in hits), [h.snippet for h in hits]


def test_store_search_lists_exact_spellings_before_other_words_of_the_stem(store):
    store.save_batch(DocumentBatch((
        dataclasses.replace(body_document("Les habitants évacués reviennent.", id="doc-1"), language="fr"),
        dataclasses.replace(body_document("L'évacuation continue.", id="doc-2"), language="fr"),
    )))
    assert [h.document_id for h in store.search("évacuation")] == ["doc-2", "doc-1"]


def test_store_search_respects_the_limit(store, corpus):
    _save_all(store, corpus)
    assert len(store.search("Belgorod", limit=2)) == 2
    assert store.search("Belgorod", limit=0) == []


def test_store_reading_while_writing(store, corpus):
    a, b, c, d = corpus.documents
    store.save_batch(DocumentBatch((a, b)))
    stream = store.documents()
    assert next(stream).id == "doc-a"
    store.save_batch(DocumentBatch((c,)))
    rest = [doc.id for doc in stream]
    assert rest[0] == "doc-b"
    assert [doc.id for doc in store.documents()] == ["doc-a", "doc-b", "doc-c"]


# SQLite only: migrations, files, URLs.


def _sqlite_tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_sqlite_migrates_a_fresh_file_and_keeps_data_on_reopen(tmp_path, corpus):
    path = tmp_path / "sub" / "recoupe.db"
    store = open_store(str(path))
    assert isinstance(store, SqliteStore)
    assert store.revision() == "0007"
    assert {"documents", "analyses", "claims", "copies", "events", "event_links", "search", "store_meta", "alembic_version"} <= _sqlite_tables(path)
    _save_all(store, corpus)
    store.close()
    reopened = open_store(f"sqlite:///{path}")
    assert reopened.revision() == "0007"
    assert reopened.load() == corpus
    reopened.close()


def test_sqlite_upgrade_to_stemmed_search_reindexes_what_is_stored(tmp_path, corpus):
    from alembic import command
    from alembic.config import Config

    from recoupe.store.sql import MIGRATIONS
    from recoupe.store.sqlite import create_engine, writing

    path = tmp_path / "recoupe.db"
    store = open_store(str(path))
    _save_all(store, corpus)
    store.close()
    engine = create_engine(path)
    with writing(engine) as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    engine.dispose()
    with sqlite3.connect(path) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(search)")}
        assert "stems" not in columns
        assert connection.execute("SELECT count(*) FROM search").fetchone() == (8,)  # 4 documents, 4 claims
    reopened = open_store(str(path))
    assert reopened.revision() == "0007"
    assert {(h.document_id, h.claim_id) for h in reopened.search("évacuées")} == {("doc-a", None), ("doc-b", None), ("doc-a", "claim-a3")}
    reopened.close()


def test_sqlite_upgrade_to_copy_evidence_keeps_old_links_and_fills_their_evidence(tmp_path, corpus):
    from alembic import command
    from alembic.config import Config

    from recoupe.store.sql import MIGRATIONS
    from recoupe.store.sqlite import create_engine, writing

    path = tmp_path / "recoupe.db"
    store = open_store(str(path))
    _save_all(store, corpus)
    store.close()
    engine = create_engine(path)
    with writing(engine) as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    engine.dispose()
    with sqlite3.connect(path) as connection:
        assert "evidence" not in {row[1] for row in connection.execute("PRAGMA table_info(copies)")}
    reopened = open_store(str(path))
    assert reopened.revision() == "0007"
    (link,) = corpus.copies
    assert link.evidence
    # Stored before evidence was kept: read back with none, then the next run's link fills it.
    assert reopened.load().copies == (dataclasses.replace(link, evidence=()),)
    reopened.save_batch(DocumentBatch((), (), corpus.copies))
    assert reopened.load().copies == corpus.copies
    # Evidence once stored is not rewritten by a later sighting of the link.
    reopened.save_batch(DocumentBatch((), (), (dataclasses.replace(link, evidence=()),)))
    assert reopened.load().copies == corpus.copies
    reopened.close()


def test_sqlite_migrated_file_has_every_declared_column(tmp_path):
    from recoupe.store.tables import metadata

    path = tmp_path / "recoupe.db"
    open_store(str(path)).close()
    with sqlite3.connect(path) as connection:
        for table in metadata.tables.values():
            columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table.name})")}
            assert {c.name for c in table.columns} <= columns, table.name


def test_sqlite_loads_rows_written_before_a_field_existed(tmp_path, corpus):
    path = tmp_path / "recoupe.db"
    store = open_store(str(path))
    _save_all(store, corpus)
    store.close()
    with sqlite3.connect(path) as connection:
        (payload,) = connection.execute("SELECT payload FROM analyses WHERE document_id = 'doc-a'").fetchone()
        data = json.loads(payload)
        for claim in data["claims"]:
            del claim["hedged"], claim["polarity"]
        del data["sentences"]
        connection.execute("UPDATE analyses SET payload = ? WHERE document_id = 'doc-a'", (json.dumps(data),))
    reopened = open_store(str(path))
    analysis = reopened.analysis("doc-a")
    reopened.close()
    assert analysis.sentences == ()
    assert [c.hedged for c in analysis.claims] == [False, False, False]


def test_sqlite_refuses_a_file_that_is_no_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("ceci n'est pas une base de données " * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="notes.db"):
        open_store(str(path))


def test_sqlite_refuses_a_schema_newer_than_the_code(tmp_path):
    path = tmp_path / "recoupe.db"
    open_store(str(path)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="9999"):
        open_store(str(path))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("redis://localhost", "unknown store URL"),
        ("sqlite://", "give a file path"),
    ],
)
def test_open_store_rejects_unsupported_urls(url, message):
    with pytest.raises(StoreError, match=message):
        open_store(url)


def test_sample_corpus_spans_match_their_text():
    documents = {d.id: d for d in sample_documents()}
    corpus = sample_corpus()
    for analysis in corpus.analyses:
        document = documents[analysis.document_id]
        for item in (*analysis.mentions, *analysis.places, *analysis.times, *analysis.figures):
            expected = item.mention if hasattr(item, "mention") else item.text
            assert item.span.document_id == document.id
            assert item.span.text(document) == expected
        for claim in analysis.claims:
            assert claim.span.text(document) == claim.text
    assert span(documents["doc-a"], "Belgorod", 1).start > documents["doc-a"].text.index("Belgorod")
    assert Mention(span(documents["doc-c"], "Kiev"), "Kiev", EntityType.PLACE, "kiev") in corpus.analyses[2].mentions


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_sql_two_writers_on_one_database_queue_up(request, tmp_path, corpus, database):
    import threading

    url = request.getfixturevalue("postgres_url") if database == "postgresql" else str(tmp_path / "recoupe.db")
    stores = [open_store(url), open_store(url)]
    documents = [dataclasses.replace(corpus.documents[0], id=f"doc-{i}") for i in range(40)]
    errors: list[Exception] = []

    def save(store, part):
        try:
            for document in part:
                store.save_batch(DocumentBatch((document,)))
        except Exception as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(s, documents[i::2])) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(d.id for d in stores[0].documents()) == sorted(d.id for d in documents)
    for store in stores:
        store.close()


# PostgreSQL only: migrations, URLs.


def test_postgres_migrates_a_fresh_database_and_keeps_data_on_reopen(postgres_url, corpus):
    from recoupe.store.postgres import PostgresStore

    store = open_store(postgres_url)
    assert isinstance(store, PostgresStore)
    assert store.revision() == "0007"
    _save_all(store, corpus)
    store.close()
    reopened = open_store(postgres_url.replace("postgresql://", "postgres://", 1))
    assert reopened.revision() == "0007"
    assert reopened.load() == corpus
    reopened.close()


def test_postgres_migrated_database_has_every_declared_column(postgres_url):
    import sqlalchemy as sa

    from recoupe.store.postgres import engine_url
    from recoupe.store.tables import metadata

    open_store(postgres_url).close()
    engine = sa.create_engine(engine_url(postgres_url))
    inspector = sa.inspect(engine)
    for table in metadata.tables.values():
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert {c.name for c in table.columns} <= columns, table.name
    engine.dispose()


def test_postgres_unreachable_server_names_it_without_the_password():
    with pytest.raises(StoreError, match="127.0.0.1:1/recoupe") as raised:
        open_store("postgresql://reader:s3cret@127.0.0.1:1/recoupe")
    assert "s3cret" not in str(raised.value)


def test_store_saves_results_with_reanalysed_documents_in_one_transaction(store, corpus):
    _save_all(store, corpus)
    redated = dataclasses.replace(corpus.analyses[0], times=())
    results = dataclasses.replace(corpus.results, documents=4)
    store.save_results(results, reanalysed=[redated])
    assert store.analysis(redated.document_id) == redated and store.results() == results


def test_store_keeps_old_results_and_analyses_when_one_reanalysed_document_is_unknown(store, corpus):
    _save_all(store, corpus)
    before = store.load()
    with pytest.raises(StoreError):
        store.save_results(CorpusResults(), reanalysed=[dataclasses.replace(corpus.analyses[0], times=()), Analysis("nope")])
    assert store.load() == before


def test_store_version_changes_with_every_write(store, corpus):
    seen = [store.version()]
    store.save_batch(DocumentBatch(corpus.documents[:1]))
    seen.append(store.version())
    store.save_batch(DocumentBatch(corpus.documents[1:], corpus.analyses))
    seen.append(store.version())
    store.save_results(corpus.results)
    seen.append(store.version())
    assert len(set(seen)) == len(seen)
    assert store.version() == seen[-1]  # reading changes nothing


def test_store_lock_lets_one_writer_at_a_time_and_says_who_waits(store):
    import threading

    waits: list[str] = []
    order: list[str] = []
    holding = threading.Event()
    release = threading.Event()

    def first():
        with store.lock():
            holding.set()
            order.append("first in")
            release.wait(10)
            order.append("first out")

    def second():
        holding.wait(10)
        with store.lock(waits.append):
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    import time

    deadline = time.monotonic() + 10
    while not waits and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(10)
    assert order == ["first in", "first out", "second in"]
    assert len(waits) == 1 and "waiting" in waits[0]


def test_sqlite_lock_is_held_across_processes_and_freed_when_its_holder_is_killed(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "recoupe.db"
    open_store(str(path)).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from recoupe.store import open_store
            store = open_store({str(path)!r})
            with store.lock():
                print("held", flush=True)
                time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        waits: list[str] = []
        store = open_store(str(path))
        import threading

        entered = threading.Event()

        def take():
            with store.lock(waits.append):
                entered.set()

        taker = threading.Thread(target=take)
        taker.start()
        assert not entered.wait(1.0)
        assert waits and f"pid {holder.pid}" in waits[0]
        holder.send_signal(signal.SIGKILL)
        assert entered.wait(10)
        taker.join(10)
        store.close()
    finally:
        holder.kill()
        holder.wait()


def test_store_keeps_every_side_of_a_dispute(store, corpus):
    """One row per dispute: its sides and their statements' spans come back as saved."""
    from recoupe.model import Side

    _save_all(store, corpus)
    pair = corpus.results.contradictions[0]
    again = dataclasses.replace(pair.a, span=dataclasses.replace(pair.a.span, start=pair.a.span.start + 1), speaker="Seconde source")
    dispute = dataclasses.replace(pair, sides=(Side((pair.a, again)), Side((pair.b,))))
    results = dataclasses.replace(corpus.results, contradictions=(dispute,))
    store.save_results(results)
    assert store.results().contradictions == (dispute,)
