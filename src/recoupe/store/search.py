"""Text folding shared by every store's full-text search, so all of them match the same words.

Exact search ignores case and accents ("region" finds "région"), like SQLite's
FTS5 tokenizer "unicode61 remove_diacritics 2". When it finds nothing, stores
retry on consonant skeletons, which absorb the vowel spellings that
transliterations of Russian and Ukrainian names disagree on ("Tiotkino",
"Tëtkino", "Tyotkino" all give "tkn").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from unidecode import unidecode

from recoupe.model import Claim, Document

_WORD = re.compile(r"\w+")
_VOWELS = re.compile(r"[aeiouyh]")
# Skeletons of short words collide everywhere ("le", "la", "les" -> "l"); names
# that transliterations disagree on are longer than this.
MIN_SKELETON_LETTERS = 5
# Words of context kept before and after the first match in a snippet.
SNIPPET_BEFORE, SNIPPET_AFTER = 8, 16


@dataclass(frozen=True, slots=True)
class Query:
    """A user query: the folded words every hit must contain, exactly or (fallback) by skeleton."""

    words: tuple[str, ...]

    @property
    def short_words(self) -> tuple[str, ...]:
        """Words too short for a skeleton: the fallback still matches them exactly."""
        return tuple(w for w in self.words if len(w) < MIN_SKELETON_LETTERS)

    @property
    def skeletons(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(skeleton(w) for w in self.words if len(w) >= MIN_SKELETON_LETTERS))

    def matches(self, folded_word: str, by_skeleton: bool) -> bool:
        if not by_skeleton or len(folded_word) < MIN_SKELETON_LETTERS:
            return folded_word in self.words
        return skeleton(folded_word) in self.skeletons


def fold(text: str) -> str:
    """Lower-case, accents removed: the form exact search compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def skeleton(word: str) -> str:
    """First letter, then consonants without h, doubled letters collapsed: "Tëtkino" -> "tkn"."""
    latin = unidecode(word).lower()
    if not latin:
        return ""
    rest = _VOWELS.sub("", latin[1:])
    letters = latin[0] + rest
    return re.sub(r"(.)\1+", r"\1", letters)


def skeleton_words(text: str) -> list[str]:
    """The skeletons of the text's long words, as indexed for the fallback search."""
    return [skeleton(w) for w in words(text) if len(w) >= MIN_SKELETON_LETTERS]


def parse_query(query: str) -> Query:
    return Query(tuple(dict.fromkeys(words(query))))


def document_fields(document: Document) -> tuple[str, str]:
    """(title, body) as indexed for a document."""
    return document.title or "", document.cleaned_text


def claim_text(claim: Claim, document: Document) -> str:
    return claim.text or claim.span.text(document)


def snippet(text: str, query: Query, by_skeleton: bool = False) -> str:
    """Plain text around the first word matching the query (the start of the text if none does)."""
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return ""
    first = 0
    for i, token in enumerate(tokens):
        if query.matches(fold(token.group()), by_skeleton):
            first = i
            break
    low, high = max(0, first - SNIPPET_BEFORE), min(len(tokens) - 1, first + SNIPPET_AFTER)
    piece = " ".join(text[tokens[low].start() : tokens[high].end()].split())
    return ("…" if low > 0 else "") + piece + ("…" if high < len(tokens) - 1 else "")
