"""The copy index kept in the store, on every Store: the contract of its rows, and a detector over it
(`store.copy_index.StoredCopies`) finding exactly the links of one holding every document in memory,
while reading only the documents it compares (counted, whatever the store's size)."""

from __future__ import annotations

import dataclasses
import random

import pytest

from recoupe.copies import CopyDetector
from recoupe.errors import StoreError
from recoupe.model import CopyEntry, CopyIndexUpdate, DocumentBatch, PartialDate
from recoupe.settings import CopySettings
from recoupe.store import open_store
from recoupe.store.copy_index import StoredCopies, open_copies

from factories import body_document

SETTINGS = CopySettings()


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'recoupe.db'}"
    opened = open_store(url)
    yield opened
    opened.close()


def _documents(*ids: str):
    return tuple(body_document(f"Texte {i}.", id=i) for i in ids)


# The contract of the rows


def test_copy_index_rows_are_found_by_signature_band_and_pair_in_arrival_order(store):
    big = (1 << 64) - 5  # anchor pairs are 64-bit: kept as signed BIGINT, given back as written
    assert store.copy_index().held == 0 and store.copy_index().fingerprint == ""
    update = CopyIndexUpdate(
        added=(
            CopyEntry("a", 0, "sig-a", bands=(1, 2), pairs=(big, 7), anchors=(10, 11)),
            CopyEntry("b", 1, None, bands=(2, 3), pairs=(7,), anchors=(11,)),
            CopyEntry("c", 2, "sig-c", bands=((1 << 63) - 1,), pairs=(big,), anchors=(12,)),
        ),
        seen=4, arrivals=3, fingerprint="f1",
    )
    store.save_batch(DocumentBatch(_documents("a", "b", "c", "short"), copy_index=update))
    state = store.copy_index()
    assert (state.fingerprint, state.seen, state.held, state.arrivals) == ("f1", 4, 3, 3)
    found = store.copy_matches("sig-a", [2, 99], [big, 7, 8])
    assert found.exact == "a"
    assert sorted(found.banded) == ["a", "b"]
    assert dict(found.postings) == {big: ("a", "c"), 7: ("a", "b")}
    assert dict(found.arrivals) == {"a": 0, "b": 1, "c": 2}
    assert store.copy_matches("sig-b", [(1 << 63) - 1], []).exact is None
    assert store.copy_matches("", [(1 << 63) - 1], []).banded == ("c",)
    assert store.anchor_counts([10, 11, 12, 13]) == {10: 1, 11: 2, 12: 1}
    assert [(e.document_id, e.arrival, e.signature) for e in store.oldest_copies(2)] == [("a", 0, "sig-a"), ("b", 1, None)]


def test_copy_index_forgets_the_oldest_and_uncounts_its_anchors(store):
    store.save_batch(DocumentBatch(_documents("a", "b"), copy_index=CopyIndexUpdate(
        added=(CopyEntry("a", 0, "sig", (1,), (5,), (10, 11)), CopyEntry("b", 1, None, (1,), (5,), (11,))),
        seen=2, arrivals=2, fingerprint="f",
    )))
    store.save_batch(DocumentBatch(_documents("c"), copy_index=CopyIndexUpdate(
        added=(CopyEntry("c", 2, None, (2,), (5,), (12,)),),
        forgotten=(CopyEntry("a", 0, "sig", anchors=(10, 11)),),
        seen=3, arrivals=3, fingerprint="f",
    )))
    found = store.copy_matches("sig", [1, 2], [5])
    assert found.exact is None and sorted(found.banded) == ["b", "c"] and dict(found.postings) == {5: ("b", "c")}
    assert store.anchor_counts([10, 11, 12]) == {11: 1, 12: 1}
    assert store.copy_index().held == 2 and [e.document_id for e in store.oldest_copies(5)] == ["b", "c"]


def test_copy_index_entry_of_an_unknown_document_rolls_the_batch_back(store):
    bad = CopyIndexUpdate(added=(CopyEntry("nope", 0, "s", (1,), (2,), (3,)),), seen=1, arrivals=1, fingerprint="f")
    with pytest.raises(StoreError):
        store.save_batch(DocumentBatch(_documents("a"), copy_index=bad))
    assert store.counts().documents == 0 and store.copy_index().held == 0
    assert store.copy_matches("s", [1], [2]).exact is None and store.anchor_counts([3]) == {}


def test_copy_index_reset_empties_it(store):
    store.save_batch(DocumentBatch(_documents("a"), copy_index=CopyIndexUpdate(
        added=(CopyEntry("a", 0, "s", (1,), (2,), (3,)),), seen=1, arrivals=1, fingerprint="f",
    )))
    store.save_batch(DocumentBatch((), copy_index=CopyIndexUpdate(fingerprint="g", reset=True)))
    state = store.copy_index()
    assert (state.fingerprint, state.seen, state.held, state.arrivals) == ("g", 0, 0, 0)
    assert store.copy_matches("s", [1], [2]) .banded == () and store.anchor_counts([3]) == {}


# A detector over the stored index


NAMES = ["Kharkiv", "Zaporijjia", "Odessa", "Dnipro", "Marioupol", "Kherson", "Bakhmout", "Soumy", "Lviv", "Poltava"]
WORDS = (
    "les secours ont annoncé que plusieurs bâtiments avaient été touchés pendant la nuit dans le centre de la ville "
    "selon les autorités locales qui évoquent des dégâts importants sur le réseau électrique et des habitants évacués "
    "vers des abris tandis que la préfecture promet un bilan complet dans la journée après une réunion de crise"
).split()


def _article(rng: random.Random, sentences: int = 6) -> list[str]:
    out = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 16))]
        words.insert(rng.randint(2, 6), rng.choice(NAMES))
        words.insert(rng.randint(7, 9), str(rng.randint(2, 900)))
        out.append("Le " + " ".join(words) + ".")
    return out


def corpus(count: int, seed: int = 3):
    """Articles of one shared vocabulary and their near copies (a sentence dropped), exact copies
    and short briefs: every candidate path (signature, bands, anchor pairs) is taken."""
    rng = random.Random(seed)
    texts: list[list[str]] = []
    documents = []
    for index in range(count):
        roll = rng.random()
        if texts and roll < 0.25:
            source = rng.choice(texts)
            text = [s for k, s in enumerate(source) if k != rng.randrange(len(source))]
        elif texts and roll < 0.32:
            text = list(rng.choice(texts))
        elif roll < 0.38:
            text = ["Un bref communiqué sans plus de détails."]
        else:
            text = _article(rng)
        texts.append(text)
        day = PartialDate(2024, 3, 1 + index % 28) if index % 5 else None
        documents.append(body_document(" ".join(text), day, id=f"doc-{index:03d}"))
    return documents


def _memory_links(documents, settings: CopySettings, batch: int):
    detector = CopyDetector(settings, ())
    return [link for i in range(0, len(documents), batch) for link in detector.add(documents[i : i + batch])]


def _stored_links(store, documents, settings: CopySettings, batch: int, counter=None):
    links = []
    for i in range(0, len(documents), batch):
        page = documents[i : i + batch]
        detector = CopyDetector(settings, ())  # a run opens its detector anew
        index = open_copies(counter or store, detector)
        found = detector.add(page)
        index.given(len(page))
        store.save_batch(DocumentBatch(tuple(page), copies=tuple(found), copy_index=index.update()))
        index.saved()
        links += found
    return links


@pytest.mark.parametrize("max_documents", [50_000, 7])
def test_stored_index_finds_the_links_of_one_held_in_memory(store, max_documents):
    settings = dataclasses.replace(SETTINGS, max_documents=max_documents)
    documents = corpus(60)
    expected = _memory_links(documents, settings, batch=9)
    assert len(expected) >= 10  # the corpus has copies to find, some of them exact
    assert _stored_links(store, documents, settings, batch=9) == expected
    assert store.copy_index().held == min(max_documents, len({d.id for d in documents if len(d.text.split()) >= 25}))


def _links_after(earlier, later, settings: CopySettings):
    detector = CopyDetector(settings, ())
    detector.add(earlier)
    return detector.add(later)


def test_a_store_filled_without_the_index_rebuilds_it_once(store):
    documents = corpus(40, seed=5)
    store.save_batch(DocumentBatch(tuple(documents[:30])))  # stored by another path: no index
    counted = Counting(store)
    assert _stored_links(store, documents[30:], SETTINGS, batch=10, counter=counted) == _links_after(documents[:30], documents[30:], SETTINGS)
    assert counted.calls["documents"] == 1  # one rebuild, then look-ups only
    state = store.copy_index()
    assert state.seen == 40 and state.held == store.copy_index().held > 0


def test_other_copy_settings_rebuild_the_index(store):
    documents = corpus(30, seed=8)
    _stored_links(store, documents[:20], SETTINGS, batch=20)
    other = dataclasses.replace(SETTINGS, max_posting=3)
    assert _stored_links(store, documents[20:], other, batch=10) == _links_after(documents[:20], documents[20:], other)


class Counting:
    """A store that counts the calls made to it."""

    def __init__(self, store) -> None:
        self._store = store
        self.calls: dict[str, int] = {"documents": 0, "document": 0, "copy_matches": 0}

    def __getattr__(self, name):
        value = getattr(self._store, name)
        if name in self.calls:
            def counted(*args, **kwargs):
                self.calls[name] += 1
                return value(*args, **kwargs)
            return counted
        return value


def test_a_new_document_reads_its_candidates_only_whatever_the_store_holds(store):
    """Documents read to add one repost (a paragraph added), with 40 and with 200 other documents held:
    the same few (its original and other candidates), never the whole store."""
    reads = []
    for count in (40, 160):
        rng = random.Random(count)
        held = [body_document(" ".join(_article(rng)), id=f"held-{count}-{i:03d}") for i in range(count)]
        _stored_links(store, held, SETTINGS, batch=40)
        copy = body_document(held[-1].text + " Les secours restent mobilisés toute la nuit.", id=f"copy-{count}")
        counted = Counting(store)
        links = _stored_links(store, [copy], SETTINGS, batch=1, counter=counted)
        assert [(l.copy, l.original) for l in links] == [(copy.id, held[-1].id)]
        assert counted.calls["documents"] == 0 and counted.calls["copy_matches"] >= 1
        reads.append(counted.calls["document"])
    assert reads[0] == reads[1] and reads[1] <= SETTINGS.max_candidates
