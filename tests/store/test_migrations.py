"""Migration 0004: a store made when document ids hashed the path as typed opens with content ids.

The old store is the sample corpus saved under the old ids (sha256(path, NUL, text)),
plus a second path spelling of one text; the schema is taken back to 0003 and the
store reopened, which upgrades it."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import pytest

from recoupe.clean import document_id
from recoupe.codec import from_data, to_data
from recoupe.model import CopyKind, CopyLink, Corpus, DocumentBatch, RawDocument, SourceFormat
from recoupe.store import open_store
from recoupe.store.sample import sample_corpus


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def old_id(source: str, text: str) -> str:
    return _digest(f"{source}\0{text}")


def new_id(url: str | None, text: str) -> str:
    return _digest(f"{url or ''}\0{text}")


def _renamed(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, list):
        return [_renamed(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _renamed(v, ids) for k, v in value.items()}
    return value


def reid(record: Any, ids: dict[str, str]) -> Any:
    """The record (a corpus, an analysis) with every document id in it (spans, links, results) renamed."""
    return from_data(type(record), _renamed(to_data(record), ids))


def _before_0004(path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from recoupe.store.sql import MIGRATIONS
    from recoupe.store.sqlite import create_engine, writing

    engine = create_engine(path)
    with writing(engine) as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    engine.dispose()


def _old_store(path: Path, corpus: Corpus) -> None:
    store = open_store(str(path))
    store.save_batch(DocumentBatch(corpus.documents, corpus.analyses, corpus.copies))
    store.save_results(corpus.results)
    store.close()
    _before_0004(path)


@pytest.fixture
def sample() -> tuple[Corpus, dict[str, str], dict[str, str]]:
    """The sample corpus under old ids, with the old -> new and sample -> new id maps."""
    corpus = sample_corpus()
    to_old = {d.id: old_id(d.source, d.text) for d in corpus.documents}
    to_new = {d.id: new_id(d.url, d.text) for d in corpus.documents}
    return reid(corpus, to_old), {to_old[k]: to_new[k] for k in to_old}, to_new


def test_the_migration_hashes_ids_as_cleaning_does():
    raw = RawDocument(source="./in/a.txt", text="Un texte.\n", format=SourceFormat.TEXT, url="https://example.org/a")
    assert document_id(raw) == new_id(raw.url, raw.text)
    assert document_id(dataclasses.replace(raw, url=None)) == new_id(None, raw.text)


def test_old_ids_become_content_ids_in_every_record(tmp_path, sample):
    old, _, to_new = sample
    path = tmp_path / "old.sqlite"
    _old_store(path, old)
    store = open_store(str(path))
    try:
        assert store.revision() == "0007"
        assert store.load() == reid(sample_corpus(), to_new)  # documents, analyses, copies and results alike
        assert store.existing(to_new.values()) == set(to_new.values())
        hits = {(h.document_id, h.claim_id) for h in store.search("évacuation")}
        assert hits and {d for d, _ in hits} <= set(to_new.values())
    finally:
        store.close()


def test_spellings_of_one_text_become_one_document(tmp_path, sample):
    old, _, to_new = sample
    c = old.documents[2]
    spelling = dataclasses.replace(c, id=old_id("./articles/c.txt", c.text), source="./articles/c.txt")
    copy_of_c = CopyLink(spelling.id, c.id, CopyKind.EXACT, 1.0)
    doubled = dataclasses.replace(
        old,
        documents=(*old.documents, spelling),
        analyses=(*old.analyses, *(reid(a, {c.id: spelling.id}) for a in old.analyses if a.document_id == c.id)),
        copies=(*old.copies, copy_of_c, CopyLink(old.documents[0].id, spelling.id, CopyKind.NEAR, 0.5)),
    )
    path = tmp_path / "old.sqlite"
    _old_store(path, doubled)
    store = open_store(str(path))
    try:
        migrated = store.load()
    finally:
        store.close()
    expected = reid(sample_corpus(), to_new)
    assert [d.id for d in migrated.documents] == [d.id for d in expected.documents]  # the first spelling stays
    assert migrated.analyses == expected.analyses
    # the link between the two spellings goes; the one to the second spelling now names the first
    assert migrated.copies == (*expected.copies, CopyLink(to_new["doc-a"], to_new["doc-c"], CopyKind.NEAR, 0.5))
    # results named the spelling that went: cleared, and marked as derived from no document
    assert migrated.results.events == () and migrated.results.contradictions == () and migrated.results.documents == 0
    assert migrated.results.event_links == expected.results.event_links  # kept: the next run derives from them


def test_a_store_of_content_ids_is_left_as_it_is(tmp_path):
    corpus = sample_corpus()
    path = tmp_path / "new.sqlite"
    _old_store(path, corpus)  # ids given by hand: no old rule made them
    store = open_store(str(path))
    try:
        assert store.load() == corpus
    finally:
        store.close()


def test_results_keep_counting_documents(tmp_path, sample):
    old, _, to_new = sample
    path = tmp_path / "old.sqlite"
    _old_store(path, dataclasses.replace(old, results=dataclasses.replace(old.results, documents=4)))
    store = open_store(str(path))
    try:
        assert store.results().documents == 4
        assert store.results() == dataclasses.replace(reid(sample_corpus(), to_new).results, documents=4)
    finally:
        store.close()
