"""Text folding shared by every store's full-text search, so all of them match the same words.

Exact search ignores case and accents ("region" finds "région"), like SQLite's
FTS5 tokenizer "unicode61 remove_diacritics 2". Stores then add the hits found
on consonant skeletons, which absorb the spellings that romanisations of
Russian and Ukrainian names disagree on: "Tiotkino", "Tëtkino", "Tyotkino" give
"tkn"; French "Prigojine" and English "Prigozhin" give "prgjn".
Exact hits come first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from unidecode import unidecode

from recoupe.model import Claim, Document, HitKind, SearchHit

# Letters and digits, as FTS5's unicode61 tokenizer cuts words (underscore separates).
_WORD = re.compile(r"[^\W_]+")
_VOWELS = re.compile(r"[aeiouyh]")
# Romanisations of Cyrillic disagree on these letters (French, English, German
# usage): ж j/zh, ш ch/sh, ч tch/ch, щ chtch/shch. Applied in order.
SKELETON_SPELLINGS = (("tch", "ch"), ("sch", "ch"), ("sh", "ch"), ("zh", "j"), ("dj", "j"), ("ph", "f"), ("w", "v"))
# Skeletons of short words collide everywhere ("le", "la", "les" -> "l"); names
# that transliterations disagree on are longer than this. Skeletons shorter
# than MIN_SKELETON_SIZE collide too ("Chechnya" and "Chine" both give "cn").
MIN_SKELETON_LETTERS = 5
MIN_SKELETON_SIZE = 3
# Words of context kept before and after the first match in a snippet.
SNIPPET_BEFORE, SNIPPET_AFTER = 8, 16


@dataclass(frozen=True, slots=True)
class Query:
    """A user query: the folded words every hit must contain, exactly or by skeleton."""

    words: tuple[str, ...]

    @property
    def exact_words(self) -> tuple[str, ...]:
        """Words without a skeleton: the variant search still matches them exactly."""
        return tuple(w for w in self.words if variant(w) is None)

    @property
    def skeletons(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for w in self.words if (v := variant(w)) is not None))

    def matches(self, folded_word: str, by_skeleton: bool) -> bool:
        if folded_word in self.words:
            return True
        return by_skeleton and variant(folded_word) in self.skeletons


def fold(text: str) -> str:
    """Lower-case, accents removed: the form exact search compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def skeleton(word: str) -> str:
    """First letter (any vowel as "a"), then consonants without h, doubled letters
    collapsed, after unifying spellings: "Tëtkino" -> "tkn", "Outkine" -> "atkn"."""
    latin = unidecode(word).lower()
    for spelling, common in SKELETON_SPELLINGS:
        latin = latin.replace(spelling, common)
    if not latin:
        return ""
    first = "a" if latin[0] in "aeiouy" else latin[0]
    return re.sub(r"(.)\1+", r"\1", first + _VOWELS.sub("", latin[1:]))


def variant(word: str) -> str | None:
    """The skeleton a folded word is searched by, or None when it is too short to be safe."""
    if len(word) < MIN_SKELETON_LETTERS:
        return None
    found = skeleton(word)
    return found if len(found) >= MIN_SKELETON_SIZE else None


def skeleton_words(text: str) -> list[str]:
    """The skeletons of the text's long words, as indexed for the variant search."""
    return [v for w in words(text) if (v := variant(w)) is not None]


def parse_query(query: str) -> Query:
    return Query(tuple(dict.fromkeys(words(query))))


@dataclass(frozen=True, slots=True)
class Searchable:
    """One unit of the search index: a document (title, cleaned text) or a claim (its text)."""

    kind: HitKind
    document_id: str
    claim_id: str | None
    title: str
    body: str

    @property
    def variants(self) -> list[str]:
        return skeleton_words(f"{self.title}\n{self.body}")

    def snippet(self, query: Query, by_skeleton: bool) -> str:
        """Around the match in the body, or in the title when only the title matches."""
        in_body = any(query.matches(w, by_skeleton) for w in words(self.body))
        return snippet(self.body if in_body or not self.title else self.title, query, by_skeleton)

    def hit(self, query: Query, by_skeleton: bool) -> SearchHit:
        return SearchHit(self.kind, self.document_id, self.claim_id, self.snippet(query, by_skeleton))


def searchable_document(document: Document) -> Searchable:
    return Searchable(HitKind.DOCUMENT, document.id, None, document.title or "", document.cleaned_text)


def searchable_claim(claim: Claim, document: Document) -> Searchable:
    return Searchable(HitKind.CLAIM, document.id, claim.id, "", claim.text or claim.span.text(document))


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


def merge_hits(exact: list[SearchHit], variants: list[SearchHit], limit: int) -> list[SearchHit]:
    """Exact hits first, then the variant hits they do not already hold, up to `limit`."""
    seen = {(h.kind, h.document_id, h.claim_id) for h in exact}
    extra = [h for h in variants if (h.kind, h.document_id, h.claim_id) not in seen]
    return (exact + extra)[:limit]


@dataclass(frozen=True, slots=True)
class SearchScores:
    """Document-level quality of a store's search over queries whose relevant documents are known."""

    queries: int
    precision: float  # mean over queries with at least one hit
    recall: float  # mean over all queries


def evaluate_search(store: Any, relevant: Mapping[str, set[str]], limit: int = 200) -> SearchScores:
    """Score `store.search` (any Store) on queries mapped to the ids of the documents they should find."""
    precisions, recalls = [], []
    for query, wanted in relevant.items():
        found = {hit.document_id for hit in store.search(query, limit=limit)}
        if found:
            precisions.append(len(found & wanted) / len(found))
        recalls.append(len(found & wanted) / len(wanted) if wanted else 1.0)
    mean = lambda values: sum(values) / len(values) if values else 0.0  # noqa: E731
    return SearchScores(len(relevant), mean(precisions), mean(recalls))
