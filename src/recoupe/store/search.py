"""Text folding and stemming shared by every store's full-text search, so all of them match the same words.

A query is matched in three tiers, best first:
- exact: the folded words themselves, ignoring case and accents ("region"
  finds "région"), like SQLite's FTS5 tokenizer "unicode61 remove_diacritics 2";
- stem: words of the same Snowball stem in the unit's language ("évacuation"
  finds "évacuées"), the stemmer named in `lang/<code>/search.yaml`;
- variant: consonant skeletons, which absorb the spellings that romanisations
  of Russian and Ukrainian names disagree on: "Tiotkino", "Tëtkino",
  "Tyotkino" give "tkn"; French "Prigojine", English "Prigozhin", German
  "Prigoschin" and Polish "Prigożyn" give "prgxn". They are the skeletons of
  the one name-folding engine (`recoupe.folding`) that entity linking and copies
  use, computed from the words as written (a Polish "ż" is not a "z"); a store
  rebuilds its indexed skeletons when `folding.FOLDING_VERSION` changes.
A word's stem forms are its stem with accents folded and the stem of its folded
spelling ("évacuées" -> "evacu", "evacue"): a query typed with or without
accents then meets the text. PostgreSQL computes the same two forms with its
text search configuration of the stemmer's name and `unaccent`.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import Stemmer

from recoupe.folding import fold, name_folder
from recoupe.model import Claim, Document, HitKind, SearchHit

# Letters and digits, as FTS5's unicode61 tokenizer cuts words (underscore separates).
_WORD = re.compile(r"[^\W_]+")
# Skeletons of short words collide everywhere ("le", "la", "les" -> "l"); names
# that transliterations disagree on are longer than this. Skeletons shorter
# than MIN_SKELETON_SIZE collide too ("Chechnya" and "Chine" both give "cn").
MIN_SKELETON_LETTERS = 5
MIN_SKELETON_SIZE = 3
# Words whose stem forms and skeleton are remembered (a language's running vocabulary).
FORMS_REMEMBERED = 200_000
# Words of context kept before and after the first match in a snippet.
SNIPPET_BEFORE, SNIPPET_AFTER = 8, 16


class Match(enum.Enum):
    """How a unit's word meets a query word; the tiers a search runs, best first."""

    EXACT = "exact"
    STEM = "stem"
    VARIANT = "variant"


def stemmer_names() -> dict[str, str]:
    """Language code -> Snowball stemmer name, from each language folder's `search.yaml`."""
    from recoupe.lang import load_field, supported_languages

    stemmers = {code: load_field(code, "search").stemmer for code in supported_languages()}
    return {code: name for code, name in stemmers.items() if name}


class Stemmers:
    """One Snowball stemmer per language, built once per store (PyStemmer objects are not shared)."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = dict(names)
        self._stemmers = {code: Stemmer.Stemmer(name) for code, name in self.names.items()}
        self._forms: dict[tuple[str, str | None], frozenset[str]] = {}

    @classmethod
    def load(cls) -> Stemmers:
        return cls(stemmer_names())

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._stemmers)

    def forms(self, word: str, language: str | None) -> frozenset[str]:
        """The stem forms of one word: its stem with accents folded, the stem of its folded spelling.

        A language without a stemmer keeps the folded word. Remembered per word: indexing a
        document meets the same few thousand words again and again."""
        key = (word, language)
        found = self._forms.get(key)
        if found is None:
            if len(self._forms) >= FORMS_REMEMBERED:
                self._forms.clear()
            found = self._forms[key] = self._compute_forms(word, language)
        return found

    def _compute_forms(self, word: str, language: str | None) -> frozenset[str]:
        lowered = unicodedata.normalize("NFC", word).casefold()
        stemmer = self._stemmers.get(language or "")
        if stemmer is None:
            return frozenset((fold(lowered),))
        return frozenset((fold(stemmer.stemWord(lowered)), stemmer.stemWord(fold(lowered))))

    def stems(self, text: str, language: str | None) -> list[str]:
        """The stem forms of every word of the text, in order, as indexed for the stem tier."""
        return [form for word in raw_words(text) for form in sorted(self.forms(word, language))]


@dataclass(frozen=True, slots=True)
class Query:
    """A user query: the words every hit must contain, exactly, by stem or by skeleton."""

    words: tuple[str, ...]  # folded, unique
    terms: tuple[str, ...] = ()  # the same words lower-cased with their accents: what stemmers read
    stemmers: Stemmers | None = field(default=None, compare=False)

    @property
    def exact_words(self) -> tuple[str, ...]:
        """Words without a skeleton: the variant search still matches them exactly."""
        return tuple(w for w, term in zip(self.words, self.terms or self.words) if variant(term) is None)

    @property
    def skeletons(self) -> tuple[str, ...]:
        """The skeletons of the words as typed (accents kept: "ż" is not "z")."""
        return tuple(dict.fromkeys(v for term in self.terms or self.words if (v := variant(term)) is not None))

    def stems(self, language: str | None) -> tuple[frozenset[str], ...]:
        """Per query word, the stem forms a unit in `language` must hold one of."""
        if self.stemmers is None:
            return tuple(frozenset((w,)) for w in self.words)
        return tuple(self.stemmers.forms(term, language) for term in self.terms or self.words)

    def matcher(self, match: Match, language: str | None = None) -> Callable[[str], bool]:
        """Whether one word of a unit (as written, in `language`) meets a query word in this tier."""
        words, skeletons = set(self.words), set(self.skeletons)
        wanted = frozenset().union(*self.stems(language)) if match is Match.STEM and self.stemmers else frozenset()

        def matches(word: str) -> bool:
            folded = fold(word)
            if folded in words:
                return True
            if match is Match.VARIANT:
                return variant(word) in skeletons
            if wanted and self.stemmers is not None:
                return bool(self.stemmers.forms(word, language) & wanted)
            return False

        return matches


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def raw_words(text: str) -> list[str]:
    """The words as written, lower-cased (accents kept, for stemmers)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def skeleton(word: str) -> str:
    """The word's consonant skeleton from the one name-folding engine: "Tëtkino" -> "tkn", "Outkine" -> "atkn"."""
    return name_folder().skeleton(word)


@functools.lru_cache(maxsize=FORMS_REMEMBERED)
def variant(word: str) -> str | None:
    """The skeleton a word (as written, any case) is searched by, or None when it is too short to be safe."""
    if len(word) < MIN_SKELETON_LETTERS:
        return None
    found = skeleton(word)
    return found if len(found) >= MIN_SKELETON_SIZE else None


def skeleton_words(text: str) -> list[str]:
    """The skeletons of the text's long words, as indexed for the variant search."""
    return [v for w in raw_words(text) if (v := variant(w)) is not None]


def folding_version() -> str:
    """What the indexed skeletons were computed with: a store whose index holds another rebuilds them."""
    return name_folder().version


def parse_query(query: str, stemmers: Stemmers | None = None) -> Query:
    by_fold: dict[str, str] = {}
    for term in raw_words(query):
        by_fold.setdefault(fold(term), term)
    return Query(tuple(by_fold), tuple(by_fold.values()), stemmers)


@dataclass(frozen=True, slots=True)
class Searchable:
    """One unit of the search index: a document (title, cleaned text) or a claim (its text)."""

    kind: HitKind
    document_id: str
    claim_id: str | None
    title: str
    body: str
    language: str | None = None  # the document's: picks the stemmer

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}"

    @property
    def variants(self) -> list[str]:
        return skeleton_words(self.text)

    def snippet(self, query: Query, match: Match) -> str:
        """Around the match in the body, or in the title when only the title matches."""
        matches = query.matcher(match, self.language)
        in_body = any(matches(w) for w in _WORD.findall(self.body))
        return snippet(self.body if in_body or not self.title else self.title, query, match, self.language)

    def hit(self, query: Query, match: Match) -> SearchHit:
        return SearchHit(self.kind, self.document_id, self.claim_id, self.snippet(query, match))


def searchable_document(document: Document) -> Searchable:
    return Searchable(HitKind.DOCUMENT, document.id, None, document.title or "", document.cleaned_text, document.language)


def searchable_claim(claim: Claim, document: Document) -> Searchable:
    return Searchable(HitKind.CLAIM, document.id, claim.id, "", claim.text or claim.span.text(document), document.language)


def snippet(text: str, query: Query, match: Match = Match.EXACT, language: str | None = None) -> str:
    """Plain text around the first word matching the query (the start of the text if none does)."""
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return ""
    first = 0
    matches = query.matcher(match, language)
    for i, token in enumerate(tokens):
        if matches(token.group()):
            first = i
            break
    low, high = max(0, first - SNIPPET_BEFORE), min(len(tokens) - 1, first + SNIPPET_AFTER)
    piece = " ".join(text[tokens[low].start() : tokens[high].end()].split())
    return ("…" if low > 0 else "") + piece + ("…" if high < len(tokens) - 1 else "")


def merge_hits(tiers: Sequence[Sequence[SearchHit]], limit: int) -> list[SearchHit]:
    """Each tier's hits after the earlier tiers', without repeating a unit, up to `limit`."""
    seen: set[tuple[HitKind, str, str | None]] = set()
    merged: list[SearchHit] = []
    for hits in tiers:
        for hit in hits:
            key = (hit.kind, hit.document_id, hit.claim_id)
            if key not in seen:
                seen.add(key)
                merged.append(hit)
    return merged[:limit]


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
