"""Language-neutral name keys: one skeleton for the French, English and German spellings.

"Viatcheslav", "Vyacheslav" and "Wjatscheslaw" are three romanisations of one
Cyrillic name; `NameKeys.key` folds each to the same skeleton ("viašeslav"), and
`NameKeys.romanise` turns a Cyrillic name into its spellings per convention so
the gazetteer can index it under their keys. The tables are data
(`lang/shared/transliteration.yaml`); this module only applies them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from recoupe.errors import ConfigError
from recoupe.lang.records import Transliteration

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_NON_WORD = re.compile(r"[^\w]+|_")
# Accents go (NFKD, then everything outside ASCII), after "ß", "æ", "œ", "ø"...
# get their usual spelling: a key holds lower-case ASCII letters, digits and "š".
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The compiled transliteration tables of `transliteration.yaml`, built once."""

    conventions: tuple[tuple[str, Mapping[int, str]], ...]
    fold_pattern: re.Pattern[str]
    folds: Mapping[str, str]
    rules: tuple[tuple[re.Pattern[str], str], ...]

    @classmethod
    def from_data(cls, data: Transliteration) -> NameKeys:
        tables = data.cyrillic
        if "en" not in tables:
            raise ConfigError("transliteration.yaml: cyrillic: the tables need an 'en' base table")
        base = {**tables["en"], **{k.upper(): v.capitalize() for k, v in tables["en"].items()}}
        conventions = []
        for name, table in tables.items():
            merged = {**base, **table, **{k.upper(): v.capitalize() for k, v in table.items()}}
            conventions.append((name, str.maketrans(merged)))
        folds = dict(data.folds)
        alternation = "|".join(re.escape(k) for k in sorted(folds, key=len, reverse=True))
        return cls(tuple(conventions), re.compile(alternation or r"(?!)"), folds, data.rules)

    def key(self, text: str) -> str:
        """The skeleton of a name: accents, punctuation and romanisation differences removed."""
        return " ".join(self.word_key(word) for word in self.key_words(text))

    def key_words(self, text: str) -> list[str]:
        """The words of a name before folding: lower case, no accents, no punctuation."""
        if _CYRILLIC.search(text):
            text = text.translate(self.conventions[0][1])
        return _NON_WORD.sub(" ", _strip_accents(text.lower())).split()

    def word_key(self, word: str) -> str:
        word = self.fold_pattern.sub(lambda m: self.folds[m.group()], word)
        for pattern, replacement in self.rules:
            word = pattern.sub(replacement, word)
        return word

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


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return decomposed.encode("ascii", "ignore").decode("ascii")
