"""One folding engine: accents, and names across romanisations, folded alike for linking, copies and search."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
import spacy

from recoupe.folding import NameFolder, fold, folding_version, latin, name_folder
from recoupe.lang import load_language
from recoupe.nlp.entities import Rules, find_mentions
from recoupe.store import search

from factories import body_document

PRIGOZHIN = ("Prigojine", "Prigozhin", "Prigoschin", "Prigożyn", "Prigožin", "Пригожин")


@pytest.fixture(scope="module")
def rules():
    return {code: Rules.from_resources(load_language(code)) for code in ("fr", "en")}


# -- accents -----------------------------------------------------------------


WORDS = ["Région", "TËTKINO", "Łódź", "Straße", "cœur", "İstanbul", "ﬁn", "Ørsted", "Москва", "naïve"]


def test_folding_fold_meets_the_words_sqlite_fts5_meets():
    # The memory store's exact tier and SQLite's FTS5 tokenizer must agree on every word.
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(b, tokenize = 'unicode61 remove_diacritics 2')")
    connection.executemany("INSERT INTO t VALUES (?)", [(w,) for w in WORDS])
    for word in WORDS:
        found = connection.execute("SELECT b FROM t WHERE t MATCH ?", ('"' + fold(word) + '"',)).fetchall()
        assert found == [(word,)], word


def test_folding_fold_is_the_report_filter_scripts_fold():
    # report.js folds: NFD, marks U+0300-036F dropped, lower case; the server's filters must agree.
    assert [fold(w) for w in WORDS] == ["region", "tetkino", "łodz", "straße", "cœur", "istanbul", "ﬁn", "ørsted", "москва", "naive"]


def test_folding_latin_spells_any_script_in_ascii():
    assert latin("Тёткино Région") == "tiotkino region"


# -- names -------------------------------------------------------------------


def test_folding_names_key_alike_across_romanisations():
    folder = name_folder()
    assert {folder.key(s) for s in PRIGOZHIN} == {"prigošin"}
    assert {folder.skeleton(s) for s in PRIGOZHIN} == {"prgxn"}


@pytest.mark.parametrize(("a", "b"), [("Kherson", "Kharkiv"), ("Gladkov", "Glazkov"), ("Navalny", "Nikolaev"), ("Prigojine", "Pirogov")])
def test_folding_names_keep_different_names_apart(a, b):
    folder = name_folder()
    assert folder.key(a) != folder.key(b) and folder.skeleton(a) != folder.skeleton(b)


@pytest.mark.parametrize("code", ["fr", "en"])
def test_folding_linking_keys_prigozhin_alike(rules, code):
    keys = set()
    for spelling in PRIGOZHIN[:4]:
        text = f"Le chef Evguéni {spelling} a parlé." if code == "fr" else f"The chief Yevgeny {spelling} spoke."
        nlp = spacy.blank(code)
        doc = nlp.make_doc(text)
        start = text.index(spelling)
        doc.ents = [doc.char_span(text.index("Ev" if code == "fr" else "Ye"), start + len(spelling), label="PER")]
        (mention,) = find_mentions(doc, body_document(text), rules[code])
        keys.add(mention.key)
    assert len(keys) == 1, keys


def test_folding_search_variants_prigozhin_alike():
    assert {search.variant(s) for s in PRIGOZHIN} == {"prgxn"}
    assert {search.parse_query(s).skeletons for s in PRIGOZHIN} == {("prgxn",)}
    # accents count: the Polish "ż" is no "z"
    assert search.variant("Prigozyn") != search.variant("Prigożyn")


def test_folding_version_follows_the_table():
    table = load_language("fr").transliteration
    changed = dataclasses.replace(table, folds={**table.folds, "zh": "ž"})
    assert folding_version(table) == name_folder().version
    assert folding_version(changed) != folding_version(table)
    assert NameFolder(changed).key("Prigozhin") != NameFolder(table).key("Prigozhin")


def test_folding_latin_spells_every_character_as_unidecode_does():
    from unidecode import unidecode

    text = "Тёткино, Ἀθῆναι, 北京, ﬁn, Straße, œuvre, Łódź, Ørsted, Ğ, x\u0301, 𝔘 ☃ — « ok »"
    assert latin(text) == unidecode(text).lower()
    assert latin("Graïvoron") == "graivoron" and latin("PLAIN ascii") == "plain ascii"
