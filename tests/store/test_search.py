from __future__ import annotations

import pytest

from recoupe.model import HitKind, SearchHit
from recoupe.store.search import (
    Match,
    SearchScores,
    Stemmers,
    evaluate_search,
    fold,
    merge_hits,
    parse_query,
    skeleton,
    snippet,
    variant,
)


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Prigozhin", "Prigojine"),
        ("Kuzhenkino", "Koujenkino"),
        ("Zaporizhzhia", "Zaporijjia"),
        ("Lukashenko", "Loukachenko"),
        ("Utkin", "Outkine"),
        ("Gerasimov", "Guerassimov"),
        ("Tyotkino", "Tëtkino"),
        ("Yarmysh", "Iarmych"),
        ("Тёткино", "Tiotkino"),
    ],
)
def test_search_skeleton_joins_romanisations(english, french):
    assert skeleton(fold(english)) == skeleton(fold(french))


@pytest.mark.parametrize(("first", "second"), [("Kherson", "Kharkiv"), ("Navalny", "Nikolaev"), ("Moscou", "Minsk")])
def test_search_skeleton_keeps_different_names_apart(first, second):
    assert skeleton(fold(first)) != skeleton(fold(second))


@pytest.mark.parametrize("word", ["kiev", "chine", "chechnya", "le"])
def test_search_short_words_and_skeletons_have_no_variant(word):
    assert variant(word) is None


def test_search_fold_ignores_case_and_accents():
    assert fold("RÉGION Tëtkino") == "region tetkino"


def test_search_query_words_are_folded_and_unique():
    query = parse_query("Région, région ; Prigojine!")
    assert query.words == ("region", "prigojine")
    assert query.skeletons == ("rgn", "prgxn")


def test_search_snippet_centres_on_the_first_match():
    text = " ".join(f"mot{i}" for i in range(40)) + " Tëtkino " + " ".join(f"fin{i}" for i in range(40))
    found = snippet(text, parse_query("tetkino"))
    assert found.startswith("…mot32") and "Tëtkino" in found and found.endswith("…")
    assert snippet("court texte", parse_query("absent")) == "court texte"


def test_search_merge_puts_exact_hits_first_without_duplicates():
    a = SearchHit(HitKind.DOCUMENT, "a", None, "")
    b = SearchHit(HitKind.CLAIM, "a", "c1", "")
    c = SearchHit(HitKind.DOCUMENT, "c", None, "")
    assert merge_hits([[a, b], [c, a]], limit=10) == [a, b, c]
    assert merge_hits([[a, b], [c]], limit=2) == [a, b]
    assert merge_hits([[b], [], [a, b, c]], limit=10) == [b, a, c]


class _FixedStore:
    def __init__(self, hits: dict[str, list[str]]) -> None:
        self.hits = hits

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        return [SearchHit(HitKind.DOCUMENT, d, None, "") for d in self.hits.get(query, [])][:limit]


def test_search_evaluation_averages_precision_and_recall():
    store = _FixedStore({"a": ["1", "2"], "b": ["3"], "c": []})
    scores = evaluate_search(store, {"a": {"1"}, "b": {"3", "4"}, "c": {"5"}})
    assert scores == SearchScores(3, (0.5 + 1.0) / 2, (1.0 + 0.5 + 0.0) / 3)


@pytest.fixture(scope="module")
def stemmers():
    return Stemmers.load()


def test_search_every_language_names_a_snowball_stemmer(stemmers):
    assert stemmers.names == {"de": "german", "en": "english", "es": "spanish", "fr": "french", "it": "italian"}


@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("fr", "évacuation", "évacuées"),
        ("fr", "évacuées", "evacuees"),
        ("fr", "Régions", "région"),
        ("en", "evacuated", "evacuation"),
        ("en", "strikes", "striking"),
        ("es", "manifestaciones", "manifestación"),
        ("de", "Demonstrationen", "Demonstration"),
        ("it", "manifestazioni", "manifestazione"),
    ],
)
def test_search_stem_forms_meet_across_inflections_and_accents(stemmers, language, first, second):
    assert stemmers.forms(first, language) & stemmers.forms(second, language)


@pytest.mark.parametrize(("first", "second"), [("évacuation", "évaluation"), ("région", "religion"), ("mort", "mars")])
def test_search_stem_forms_keep_different_words_apart(stemmers, first, second):
    assert not stemmers.forms(first, "fr") & stemmers.forms(second, "fr")


def test_search_a_language_without_stemmer_keeps_folded_words(stemmers):
    assert stemmers.forms("Évacuées", None) == {"evacuees"}
    assert stemmers.forms("Évacuées", "ru") == {"evacuees"}  # no lang/ru folder


def test_search_snippet_centres_on_a_word_of_the_same_stem(stemmers):
    text = " ".join(f"mot{i}" for i in range(40)) + " familles évacuées " + " ".join(f"fin{i}" for i in range(40))
    query = parse_query("évacuation", stemmers)
    assert snippet(text, query, Match.EXACT, "fr").startswith("mot0")
    assert "évacuées" in snippet(text, query, Match.STEM, "fr")
