"""Folding: the one owner of how text is compared regardless of case, accents and romanisation.

Three ways of folding, each used everywhere its question is asked:
- `fold(text)`: lower case, accents removed, script kept ("Région" -> "region",
  "Łódź" -> "łodz"). It is what SQLite's FTS5 tokenizer ("unicode61
  remove_diacritics 2") and the report's filter script (NFD, marks dropped,
  lower case) compare, so the memory store, the SQLite store, the web filters
  and the static report's filter box all agree on which words meet.
- `latin(text)`: any script spelt in lower-case ASCII ("Москва" -> "moskva"):
  word stems compared across languages (events, contradiction words, copies' shingles).
- `NameFolder`: romanisation-blind name keys for entity linking, copies' name
  anchors and search. "Prigojine" (French), "Prigozhin" (English), "Prigoschin" (German),
  "Prigożyn" (Polish) and "Пригожин" all have the key "prigošin" and the
  consonant skeleton "prgxn" (ASCII: search indexes fold "š" to "s"). Its tables are data: `lang/shared/transliteration.yaml`.

`FOLDING_VERSION` changes whenever the name folding could give other keys (the
table or this module's rules); stores that keep folded keys (the search index's
variants) rebuild them when theirs differs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping

from unidecode import unidecode

from recoupe.errors import ConfigError
from recoupe.lang.records import Transliteration

# Bump when the code below would give other keys from the same table.
ENGINE_VERSION = 2

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_NON_WORD = re.compile(r"[^\w]+|_")
_MARKS = re.compile(r"[\u0300-\u036f]")
# A skeleton keeps a word's first letter (any vowel as "a") and its consonants; "h" is silent.
_SKELETON_DROPS = re.compile(r"[aeiouh]")
_DOUBLES = re.compile(r"(.)\1+")
# Skeletons are indexed by SQLite's FTS5 and PostgreSQL, whose tokenizers would fold
# a key's "š" to "s": a skeleton writes it "x", a letter no key holds (the folds spell x "ks").
_SKELETON_ASCII = str.maketrans({"š": "x"})
# Letters NFD does not decompose, given their usual Latin spelling before a key drops what is not ASCII.
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
# Words a skeleton cache keeps before starting afresh (a corpus's distinct long words fit).
_CACHE_WORDS = 200_000


def fold(text: str) -> str:
    """Lower case, combining accents removed, script kept: the form exact matching compares."""
    return _MARKS.sub("", unicodedata.normalize("NFD", text)).lower()


class _LatinLetters(dict[int, str]):
    """unidecode's spelling of each character, looked up once: `str.translate` then folds a
    whole text in C. unidecode spells each character alone, so this equals unidecode(text);
    on news text it is about ten times faster, and the event stage folds every unit's text."""

    def __missing__(self, code: int) -> str:
        spelt = self[code] = unidecode(chr(code))
        return spelt


_LATIN_LETTERS = _LatinLetters()


def latin(text: str) -> str:
    """Any script in lower-case ASCII letters, accents removed ("Тёткино" -> "tiotkino")."""
    if text.isascii():
        return text.lower()
    return text.translate(_LATIN_LETTERS).lower()


class NameFolder:
    """The compiled tables of `transliteration.yaml`, built once: name keys and skeletons.

    `key` is the linking key (words kept apart, vowels kept); `skeleton` is the
    looser consonant skeleton of one word or name, for copies' anchors and the
    search's variant tier. A key holds lower-case ASCII letters, digits and "š"."""

    def __init__(self, data: Transliteration) -> None:
        tables = data.cyrillic
        if "en" not in tables:
            raise ConfigError("lang/shared/transliteration.yaml: cyrillic: the tables need an 'en' base table")
        base = {**tables["en"], **{k.upper(): v.capitalize() for k, v in tables["en"].items()}}
        conventions = []
        for name, table in tables.items():
            merged = {**base, **table, **{k.upper(): v.capitalize() for k, v in table.items()}}
            conventions.append((name, str.maketrans(merged)))
        self.conventions: tuple[tuple[str, Mapping[int, str]], ...] = tuple(conventions)
        self.letters = str.maketrans(dict(data.letters))
        self.folds = dict(data.folds)
        alternation = "|".join(re.escape(k) for k in sorted(self.folds, key=len, reverse=True))
        self.fold_pattern = re.compile(alternation or r"(?!)")
        self.rules = data.rules
        self.version = folding_version(data)
        self._skeletons: dict[str, str] = {}

    def key(self, text: str) -> str:
        """The skeleton of a name: accents, punctuation and romanisation differences removed."""
        return " ".join(self.word_key(word) for word in self.key_words(text))

    def key_words(self, text: str) -> list[str]:
        """The words of a name before folding: lower case, no accents, no punctuation."""
        if _CYRILLIC.search(text):
            text = text.translate(self.conventions[0][1])
        text = text.lower().translate(self.letters).translate(_SPECIAL)
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return _NON_WORD.sub(" ", ascii_text).split()

    def word_key(self, word: str) -> str:
        word = self.fold_pattern.sub(lambda m: self.folds[m.group()], word)
        for pattern, replacement in self.rules:
            word = pattern.sub(replacement, word)
        return word

    def skeleton(self, text: str) -> str:
        """First letter (any vowel as "a"), then the consonants of the key, doubled ones once:
        "Prigojine", "Prigozhin", "Prigoschin" -> "prgxn"; a name of several words is joined."""
        found = self._skeletons.get(text)
        if found is None:
            joined = "".join(self.word_key(word) for word in self.key_words(text))
            first = "a" if joined[:1] in ("a", "e", "i", "o", "u") else joined[:1]
            found = _DOUBLES.sub(r"\1", first + _SKELETON_DROPS.sub("", joined[1:])).translate(_SKELETON_ASCII)
            if len(self._skeletons) >= _CACHE_WORDS:
                self._skeletons.clear()
            self._skeletons[text] = found
        return found

    def romanise(self, text: str) -> tuple[str, ...]:
        """The spellings of a Cyrillic name, one per convention; a Latin name is its own."""
        if not _CYRILLIC.search(text):
            return (text,)
        return tuple(dict.fromkeys(text.translate(table) for _, table in self.conventions))

    def keys(self, names: Iterable[str]) -> set[str]:
        """Every key under which these names (Latin or Cyrillic) should be found."""
        out: set[str] = set()
        for name in names:
            for spelling in self.romanise(name):
                key = self.key(spelling)
                if key:
                    out.add(key)
        return out


def folding_version(data: Transliteration) -> str:
    """A digest of the tables and of ENGINE_VERSION: equal versions give equal keys."""
    table = {
        "engine": ENGINE_VERSION, "cyrillic": data.cyrillic, "letters": data.letters, "folds": data.folds,
        "rules": [[p.pattern, r] for p, r in data.rules],
    }
    return hashlib.sha256(json.dumps(table, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


@functools.cache
def name_folder() -> NameFolder:
    """The folder of the shared table, read and compiled once per process (it is data every
    language shares, like the quote marks; stages holding a language's resources build the same)."""
    from recoupe.lang import load_shared_field

    return NameFolder(load_shared_field("transliteration"))
