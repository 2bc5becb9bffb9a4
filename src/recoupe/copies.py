"""Copies: documents that reproduce another and are therefore no independent source.

Every document is profiled on its article segments with text features only (no
spaCy: this stage runs on every document and must stay cheap), and compared with
the earlier documents that share rare shingles or rare pairs of anchors. A fitted
model (`copy_model.py`) decides each pair from language-neutral evidence:

- shared word shingles, as containment of the shorter text (a repost with
  paragraphs added, an aggregator scrape starting mid-article) and over the
  opening (a syndicated article sharing its first paragraphs);
- sentences matched in order (a sentence-by-sentence spun paraphrase);
- names (folded by the one name-folding engine, `recoupe.folding`), numbers and
  dates in the same order, over the text and sentence by sentence (a machine or
  agency translation), and sentence lengths that keep one ratio along the matched
  sentences (a translation or a spin keeps each sentence).

The kind of a linked pair (exact, near-verbatim, rewrite, translation, digest) only
describes it. Each link carries its evidence: the aligned passages with their
spans in both documents. Linked documents that credit a wire agency form a
`Dispatch`: the outlets carrying one agency's text (`find_dispatches`).

Which of two related texts is the copy (`orient`) rests on dates first, then on
marks of republication: a leaked rewriting prompt, leftover mojibake or markup,
a vaguer date, a dropped dateline credit.

Word keys keep ASCII letters and digits only: mojibake garbles only non-ASCII
characters, so "écrasé" and "Ă©crasĂ©" both key as "cras" and a badly re-encoded
republication still matches its original.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import sys
import unicodedata
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from datasketch import MinHash, MinHashLSH

from recoupe.alignment import (
    anchor_alignment,
    anchor_sentence_matches,
    chain_density,
    first_matched,
    idf_weight,
    lead_coverage,
    parallel_pairs,
    sentence_matches,
    shared_passages,
    shared_runs,
)
from recoupe.copy_model import CopyModel, PairFeatures, load_copy_model
from recoupe.folding import NameFolder, name_folder
from recoupe.groups import Groups
from recoupe.lang import LanguageResources
from recoupe.model import AlignedPassage, CopyKind, CopyLink, CopyMatches, Dispatch, Document, PartialDate, Span
from recoupe.settings import CopySettings

_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?")
_NAME = re.compile(r"(?<![\w\-])[A-ZÀ-ÖØ-Þ][\w\-]*")
_CALENDAR_WORD = re.compile(r"[^\W\d_]{3,}\.?")
_SENTENCE_END = re.compile(r"(?<=[.!?»\"”])\s+|\n+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«\"“”(\[—–•*]|\n)\s*$")
# An item headline inside a page: a line of 6+ words alone between blank lines,
# capitalised, not shouted, with no closing punctuation.
_HEADLINE = re.compile(r"(?<=\n\n)[ \t]*(?=[A-ZÀ-Þ][a-zà-ÿ])(?:[^\s.!?:;]+[ \t]+){5,}[^\s.!?:;]*[^\s.!?:;,\"»”…)][ \t]*(?=\n\n)")
# UTF-8 read as Latin-1 or cp1250 and left so: "Ã©", "Ă©", "Â°".
_MOJIBAKE = re.compile("[ÂÃÄÅĂ][\u00a0-\u00bf]")
# Markup a careless scrape left unrendered: "**" (markdown bold; dev 013), HTML
# entities and tags.
_MARKUP = re.compile(r"\w\*\*|\*\*\w|&(?:[a-z]{2,8}|#\d{2,5});|</?(?:p|br|div|span|strong|em|b|i|a)\b[^>]{0,80}>")
# A dateline credit opening a paragraph, the author's own signature: "(CNN) —",
# "KYIV (Reuters) -", "LONDRES, 19 février (Reuters) -".
_DATELINE = re.compile(r"\W{0,3}(?:[A-ZÀ-Þ][^()\n]{0,60})?\((?:[A-Z][\w./]{1,15})\)\s*[-—–]")
# Datelines are looked for in the first paragraphs only (a title may come first).
_DATELINE_PARAGRAPHS = 3
# A weekday opening a longer word is a compound ("Dienstagabend", "Mittwochmorgen"):
# words of 9 letters and more are looked up so, names of 5 and more.
_COMPOUND_DAY = 9
# What ends a written sentence (a title or a caption line has none of it).
_CLOSING = frozenset(".!?…»\"”)]")


@dataclass(frozen=True, slots=True)
class Agency:
    """An agency whose text outlets publish, and the pattern showing a text is its.

    A wire's dispatch is news many outlets carry; a rewriting service's text
    (`rewrites`) is a machine rewrite of another outlet's article, so a copy.
    """

    name: str
    pattern: re.Pattern[str]
    rewrites: bool = False


def wire_agencies(resources: Iterable[LanguageResources]) -> tuple[Agency, ...]:
    """The wires and rewriting services (`lang/shared/agencies.yaml`, compiled at load), patterns merged by name."""
    patterns: dict[tuple[bool, str], dict[str, None]] = {}
    for language in resources:
        for table, rewrites in ((language.agencies.wires, False), (language.agencies.rewriters, True)):
            for name, written in table.items():
                patterns.setdefault((rewrites, name), {}).update(dict.fromkeys(p.pattern for p in written))
    return tuple(Agency(name, re.compile("|".join(p)), rewrites) for (rewrites, name), p in sorted(patterns.items()))


@dataclass(frozen=True, slots=True)
class CalendarAnchors:
    """Month and weekday names of every language known, and clock-time patterns: dates and
    times as anchors that align across languages like numbers ("juillet", "Juli", "July" -> "@m7")."""

    words: Mapping[str, str] = dataclasses.field(default_factory=dict)  # lower-cased name -> "@m7" or "@d4"
    weekdays: tuple[tuple[str, str], ...] = ()  # weekday names opening a compound ("Dienstagabend"), longest first
    clock: tuple[re.Pattern[str], ...] = ()  # groups hour and minute

    def anchor(self, word: str) -> str | None:
        """The anchor of a word as written: an abbreviation needs its dot ("sept." is September, "sept" seven)."""
        word = word.lower()
        found = self.words.get(word)
        if found is None and word.endswith("."):
            word = word[:-1]
            found = self.words.get(word)
        if found is None and len(word) >= _COMPOUND_DAY:
            found = next((a for name, a in self.weekdays if word.startswith(name) and len(word) - len(name) >= 4), None)
        return found


def calendar_anchors(resources: Iterable[LanguageResources]) -> CalendarAnchors:
    """The month and weekday names of every given language and of `lang/shared/calendars.yaml`
    (languages without a folder), and its clock-time patterns."""
    words: dict[str, str] = {}
    clock: dict[str, re.Pattern[str]] = {}
    for language in resources:
        named = [(language.relative_dates.months, language.relative_dates.weekdays)]
        named += [(c.months, c.weekdays) for c in language.calendars.languages.values()]
        for months, weekdays in named:
            for word, month in months.items():
                words[str(word).lower()] = f"@m{month}"
            for word, day in weekdays.items():
                words[str(word).lower()] = f"@d{day}"
        clock.update((p.pattern, p) for p in language.calendars.clock)
    weekdays = sorted(((w, a) for w, a in words.items() if a.startswith("@d") and len(w) >= _COMPOUND_DAY - 4), key=lambda x: -len(x[0]))
    return CalendarAnchors(words, tuple(weekdays), tuple(clock.values()))


@dataclass(frozen=True, slots=True)
class Profile:
    """What the detector keeps of one document: a few kilobytes of hashes and offsets, never its text."""

    document_id: str
    arrival: int
    published: PartialDate | None
    language: str | None
    signature: str  # hash of the word keys: equal for exact copies
    words: int
    shingles: array  # crc32 of each word shingle, in text order
    word_spans: array  # start, end of each word in Document.text, interleaved
    anchors: array  # crc32 of numbers, dates and folded names, first occurrences, in text order
    sentences: tuple[array, ...]  # crc32 of each sentence's content words, sorted
    sentence_anchors: tuple[array, ...]  # crc32 of each sentence's anchors
    sentence_spans: array  # start, end of each sentence in Document.text, interleaved
    sentence_closed: array  # 1 for a sentence ending in closing punctuation, 0 for a title or caption line
    function_words: tuple[str, ...]  # frequent short words, interned: tells languages apart without a model
    agencies: frozenset[str] | None  # wires whose dispatch the text carries; None: not looked for
    items: int  # headed items on the page: a digest has several
    rewritten: bool  # a rewriting service's prompt shows: a machine rewrite
    garbled: bool  # mojibake or markup left in: a careless republication
    credited: bool  # opens with a dateline credit ("(CNN) —")


class CopyIndex(Protocol):
    """What a `CopyDetector` holds of the documents added before: `HeldCopies` in memory, or
    `store.copy_index.StoredCopies` in a store (looked up by key, never read whole)."""

    def holds(self, document_id: str) -> bool:
        """Whether the document is held (added and not forgotten)."""

    def held(self) -> int:
        """How many documents are held."""

    def arrivals(self) -> int:
        """The arrival number the next held document gets."""

    def matches(self, signature: str, bands: Sequence[int], pairs: Iterable[int]) -> CopyMatches:
        """The held document first held with this signature, those sharing a band key, the posting of each pair."""

    def anchor_counts(self, anchors: Iterable[int]) -> Mapping[int, int]:
        """How many held documents have each anchor (absent: none)."""

    def profiles(self, arrivals: Mapping[str, int]) -> dict[str, Profile]:
        """The profiles of these held documents (by id, with their arrivals)."""

    def add(self, profile: Profile, bands: Sequence[int], pairs: Sequence[int]) -> None:
        """Hold a document: under its band keys, its signature if none is held with it, the given pairs' postings."""

    def forget_oldest(self) -> None:
        """Drop the oldest held document from every key."""


class HeldCopies:
    """A `CopyIndex` in memory: one `Profile` (about 20 KB) per held document."""

    def __init__(self) -> None:
        self._profiles: dict[str, Profile] = {}  # by id, in arrival order
        self._arrivals = 0
        self._by_signature: dict[str, str] = {}
        self._bands: dict[int, dict[str, None]] = {}
        self._bands_of: dict[str, Sequence[int]] = {}
        self._postings: dict[int, list[str]] = {}
        self._pairs_of: dict[str, Sequence[int]] = {}
        self._anchor_df: Counter[int] = Counter()

    def holds(self, document_id: str) -> bool:
        return document_id in self._profiles

    def held(self) -> int:
        return len(self._profiles)

    def arrivals(self) -> int:
        return self._arrivals

    def matches(self, signature: str, bands: Sequence[int], pairs: Iterable[int]) -> CopyMatches:
        banded = {i: None for key in bands for i in self._bands.get(key, ())}
        postings = {pair: tuple(self._postings[pair]) for pair in pairs if pair in self._postings}
        exact = self._by_signature.get(signature)
        named = {*banded, *(i for p in postings.values() for i in p), *([exact] if exact else [])}
        return CopyMatches(exact, tuple(banded), postings, {i: self._profiles[i].arrival for i in named})

    def anchor_counts(self, anchors: Iterable[int]) -> Mapping[int, int]:
        return {a: self._anchor_df[a] for a in anchors if a in self._anchor_df}

    def profiles(self, arrivals: Mapping[str, int]) -> dict[str, Profile]:
        return {i: self._profiles[i] for i in arrivals}

    def add(self, profile: Profile, bands: Sequence[int], pairs: Sequence[int]) -> None:
        key = profile.document_id
        self._arrivals = profile.arrival + 1
        self._profiles[key] = profile
        self._by_signature.setdefault(profile.signature, key)
        for band in bands:
            self._bands.setdefault(band, {})[key] = None
        self._bands_of[key] = bands
        for pair in pairs:
            self._postings.setdefault(pair, []).append(key)
        self._pairs_of[key] = pairs
        self._anchor_df.update(set(profile.anchors))

    def forget_oldest(self) -> None:
        key = next(iter(self._profiles))
        profile = self._profiles.pop(key)
        if self._by_signature.get(profile.signature) == key:
            del self._by_signature[profile.signature]
        for band in self._bands_of.pop(key):
            del self._bands[band][key]
            if not self._bands[band]:
                del self._bands[band]
        for pair in self._pairs_of.pop(key):
            posting = self._postings[pair]
            posting.remove(key)
            if not posting:
                del self._postings[pair]
        self._anchor_df.subtract(set(profile.anchors))
        for anchor in set(profile.anchors):
            if self._anchor_df[anchor] <= 0:
                del self._anchor_df[anchor]


class CopyDetector:
    """Incremental copy detection: each added document is compared with all added before it.

    Its `CopyIndex` holds the last max_documents documents, dropping the oldest
    beyond (in memory by default; a run keeps it in its store, so the documents
    stored before are looked up by key, never read whole); each comparison touches
    only LSH band mates and the postings of rare anchor pairs, so adding stays
    sub-quadratic and its cost does not grow with what is held.
    """

    def __init__(
        self,
        settings: CopySettings,
        agencies: Sequence[Agency] | None = None,
        *,
        model: CopyModel | None = None,
        calendar: CalendarAnchors | None = None,
        names: NameFolder | None = None,
        index: CopyIndex | None = None,
    ) -> None:
        self.settings = settings
        self.agencies = agencies  # None: unknown
        self.model = model or load_copy_model()
        self.calendar = calendar or CalendarAnchors()
        self.names = names or name_folder()
        self.index: CopyIndex = index if index is not None else HeldCopies()
        # MinHash bands as datasketch's MinHashLSH cuts them for this threshold; a band key is
        # a 63-bit hash of the band's number and values (two documents share a key when they
        # would share an LSH bucket).
        lsh = MinHashLSH(threshold=settings.lsh_threshold, num_perm=settings.num_perm)
        self._ranges = tuple(lsh.hashranges)
        template = MinHash(num_perm=settings.num_perm)
        self._permutations, self._scheme = template.permutations, template.scheme

    def profile(self, document: Document, arrival: int) -> Profile:
        return profile_document(document, arrival, self.settings, self.agencies, self.calendar, self.names)

    def add(self, documents: Sequence[Document]) -> list[CopyLink]:
        """Profile, compare and index each document in turn; return the links found."""
        links: list[CopyLink] = []
        for document in documents:
            profile = self.profile(document, self.index.arrivals())
            # Held already, or too short to tell a copy from a stock phrase.
            if profile.words < self.settings.min_words or self.index.holds(profile.document_id):
                continue
            bands = self.band_keys(profile)
            pairs = set(_anchor_pairs(profile.anchors))
            found = self.index.matches(profile.signature, bands, pairs)
            links.extend(self._links(profile, found, pairs))
            # A pair seen in max_posting documents is common, not evidence: its posting stops growing.
            cap = self.settings.max_posting
            self.index.add(profile, bands, [p for p in pairs if len(found.postings.get(p, ())) < cap])
            if self.index.held() > self.settings.max_documents:
                self.index.forget_oldest()
        return links

    def band_keys(self, profile: Profile) -> list[int]:
        """The LSH band keys of a profile's shingle MinHash."""
        minhash = MinHash(self.settings.num_perm, hashfunc=_crc_value, permutations=self._permutations, scheme=self._scheme)
        minhash.update_batch([h.to_bytes(4, "little") for h in set(profile.shingles)])
        values = minhash.hashvalues
        return [band_key(i, values[start:end].tobytes()) for i, (start, end) in enumerate(self._ranges)]

    def _links(self, profile: Profile, found: CopyMatches, pairs: set[int]) -> list[CopyLink]:
        """Links with the earlier documents the new one copies or is copied by.

        Not the best match alone: a copy that arrives after its original and a
        sibling copy must still name the original (dev 052 -> 053 beside 050 -> 053),
        and an original that arrives after its copies is the original of each.
        A digest, which the pair model has no feature for, is found by its rule.
        Two texts that each open with sentences of their own before the first
        they share are never copies (`_own_opening`), whatever the model says.
        """
        if found.exact is not None:
            old = self.index.profiles({found.exact: found.arrivals[found.exact]})[found.exact]
            return [orient(profile, old, CopyKind.EXACT, 1.0, passages(profile, old, self.settings))]
        held = self.index.profiles({i: found.arrivals[i] for i in self._candidates(found, pairs)})
        candidates = sorted(held.values(), key=lambda p: p.arrival)
        # Anchors counted over the held documents and the new one.
        df = Counter(self.index.anchor_counts({a for p in (profile, *candidates) for a in p.anchors}))
        df.update(set(profile.anchors))
        others = self.index.held() - 1
        originals: list[CopyLink] = []
        translated: list[CopyLink] = []
        copies: list[CopyLink] = []
        for old in candidates:
            features = pair_features(profile, old, self.settings, df, others)
            if is_copy_pair(self.model, features):
                kind = copy_kind(profile, old, features, self.settings)
            elif is_digest(profile, old, self.settings):
                kind = CopyKind.DIGEST
            else:
                continue
            link = orient(profile, old, kind, self.model.probability(features), passages(profile, old, self.settings))
            if link.original == profile.document_id:
                copies.append(link)
            else:
                (translated if kind is CopyKind.TRANSLATION else originals).append(link)
        # Same-language evidence outranks anchors alone: a copy with a same-language
        # original keeps no translation link, and otherwise only its best one (a
        # rewrite and a translation of one article relate too).
        if not originals and translated:
            originals.append(max(translated, key=lambda link: link.similarity))
        return self._one_per_language(profile, originals + copies, held)

    def _one_per_language(self, profile: Profile, links: list[CopyLink], held: Mapping[str, Profile]) -> list[CopyLink]:
        """Of a new document's translation links, the best with each other language: two texts
        of one language that both translate it, or that it translates and is translated by, would
        relate to each other too, so the weaker is another article on the same events (a
        look-alike sharing its names and figures)."""
        kept: list[CopyLink] = []
        languages: list[Profile] = []
        for link in sorted(links, key=lambda link: -link.similarity):
            if link.kind is CopyKind.TRANSLATION:
                other = held[link.original if link.copy == profile.document_id else link.copy]
                if any(same_language(other, p, self.settings) for p in languages):
                    continue
                languages.append(other)
            kept.append(link)
        return sorted(kept, key=links.index)

    def _candidates(self, found: CopyMatches, pairs: set[int]) -> list[str]:
        """LSH band mates plus the documents sharing the most rare anchor pairs."""
        candidates = dict.fromkeys(found.banded)
        shared: Counter[str] = Counter()
        for pair in pairs:
            posting = found.postings.get(pair)
            if posting is not None and len(posting) < self.settings.max_posting:
                shared.update(posting)
        candidates.update(dict.fromkeys(i for i, n in shared.most_common(self.settings.max_candidates) if n >= self.settings.min_shared_pairs))
        return list(candidates)


def band_key(band: int, values: bytes) -> int:
    """A band's 63-bit key: its number and its MinHash values, hashed."""
    digest = hashlib.blake2b(band.to_bytes(2, "little") + values, digest_size=8).digest()
    return int.from_bytes(digest, "little") & _KEY_MASK


_KEY_MASK = (1 << 63) - 1


def find_dispatches(documents: Sequence[Document], links: Iterable[CopyLink], agencies: Sequence[Agency]) -> list[Dispatch]:
    """Linked documents that credit a wire agency: the outlets carrying one agency's dispatch.

    A group is a connected set of copy links; it is a dispatch when one of its
    documents credits a wire, and its agency is the wire most of them credit. Its
    documents run earliest first (publication, then arrival), and its evidence is
    its links' passages.
    """
    order = {d.id: i for i, d in enumerate(documents)}
    by_id = {d.id: d for d in documents}
    links = [link for link in links if link.copy in order and link.original in order]
    groups = Groups(len(documents))
    for link in links:
        groups.union(order[link.copy], order[link.original])
    wires = [a for a in agencies if not a.rewrites]
    dispatches: list[Dispatch] = []
    for members in groups.sets():
        if len(members) < 2:
            continue
        ids = [documents[i].id for i in members]
        credits = Counter(a.name for i in ids for a in wires if a.pattern.search(by_id[i].text))
        if not credits:
            continue
        agency = min(credits, key=lambda name: (-credits[name], name))
        ids.sort(key=lambda i: (_date_key(by_id[i].published), order[i]))
        member_set = set(ids)
        evidence = tuple(p for link in links if link.copy in member_set for p in link.evidence)
        digest = hashlib.blake2b("\0".join(sorted(ids)).encode(), digest_size=8).hexdigest()
        dispatches.append(Dispatch(id=f"dispatch-{digest}", agency=agency, documents=tuple(ids), evidence=evidence))
    return sorted(dispatches, key=lambda d: order[d.documents[0]])


def source_groups(document_ids: Iterable[str], links: Iterable[CopyLink], dispatches: Iterable[Dispatch | Iterable[str]]) -> list[frozenset[str]]:
    """Independent sources among document_ids: copies join their original, dispatch carriers each other."""
    ids = list(dict.fromkeys(document_ids))
    position = {d: i for i, d in enumerate(ids)}
    groups = Groups(len(ids))
    related = [(link.copy, link.original) for link in links]
    for group in dispatches:
        members = sorted(group.documents if isinstance(group, Dispatch) else group)
        related += list(zip(members, members[1:]))
    for a, b in related:
        if a in position and b in position:
            groups.union(position[a], position[b])
    return [frozenset(ids[i] for i in members) for members in groups.sets()]


def profile_document(
    document: Document,
    arrival: int,
    settings: CopySettings,
    agencies: Sequence[Agency] | None,
    calendar: CalendarAnchors | None = None,
    names: NameFolder | None = None,
) -> Profile:
    """The features of one document that survive copying, translating or spinning it."""
    text = document.text
    keys: list[str] = []
    word_spans = array("L")
    sentences: list[array] = []
    sentence_anchors: list[array] = []
    sentence_spans = array("L")
    sentence_closed = array("B")
    found_anchors: list[str] = []
    for segment in document.segments:
        for match in _WORD.finditer(text, segment.start, segment.end):
            key = word_key(match.group())
            if key:
                keys.append(key)
                word_spans.extend((match.start(), match.end()))
        for start, end in _sentence_spans(text, segment.start, segment.end):
            sentence = text[start:end]
            content = _sentence_key(sentence)
            held = anchors(sentence, calendar, names)
            found_anchors.extend(held)
            if len(content) >= settings.min_sentence_words:
                sentences.append(content)
                sentence_anchors.append(array("L", (zlib.crc32(a.encode()) for a in dict.fromkeys(held))))
                sentence_spans.extend((start, end))
                sentence_closed.append(text[end - 1] in _CLOSING)
    size = settings.shingle_words
    shingles = array("L", (zlib.crc32(" ".join(keys[i : i + size]).encode()) for i in range(max(1, len(keys) - size + 1))))
    short = Counter(w for w in keys if len(w) <= 3)
    cleaned = document.cleaned_text
    opening = [line.strip() for line in cleaned.split("\n") if line.strip()][:_DATELINE_PARAGRAPHS]
    return Profile(
        document_id=document.id,
        arrival=arrival,
        published=document.published,
        language=document.language,
        signature=hashlib.blake2b(" ".join(keys).encode(), digest_size=16).hexdigest(),
        words=len(keys),
        shingles=shingles,
        word_spans=word_spans,
        # First occurrences only: the names an event repeats in every report would
        # otherwise align any two reports of it.
        anchors=array("L", (zlib.crc32(a.encode()) for a in dict.fromkeys(found_anchors))),
        sentences=tuple(sentences),
        sentence_anchors=tuple(sentence_anchors),
        sentence_spans=sentence_spans,
        sentence_closed=sentence_closed,
        function_words=tuple(sorted(sys.intern(w) for w, _ in short.most_common(settings.function_words))),
        # The whole text: credits ("AFP", "(Reuters)") sit in lines cleaning drops.
        agencies=None if agencies is None else frozenset(a.name for a in agencies if not a.rewrites and a.pattern.search(text)),
        items=1 + len(_HEADLINE.findall(cleaned.strip())),
        rewritten=any(a.rewrites and a.pattern.search(text) for a in agencies or ()),
        garbled=_MOJIBAKE.search(cleaned) is not None or _MARKUP.search(cleaned) is not None,
        credited=any(_DATELINE.match(paragraph) for paragraph in opening),
    )


def word_key(word: str) -> str:
    """A word lower-cased and reduced to its ASCII letters and digits (see the module docstring)."""
    return unicodedata.normalize("NFKC", word).lower().encode("ascii", "ignore").decode()


def skeleton_words(text: str) -> list[str]:
    """The word keys of a text, in order."""
    return [k for k in map(word_key, _WORD.findall(text)) if k]


def anchors(text: str, calendar: CalendarAnchors | None = None, names: NameFolder | None = None) -> list[str]:
    """Numbers, clock times, month and weekday names and proper names, in text order, in forms that survive translation.

    Names are capitalised words not opening a sentence, as their skeleton in the one
    name-folding engine (`NameFolder.skeleton`: "Prigojine", "Prigozhin" -> "prgxn");
    calendar words ("juillet", "Friday", "Dienstagabend") become one anchor per
    month or day, clock times ("19h30", "19:30", "19.30 Uhr") one per time."""
    found: list[tuple[int, str]] = []
    timed: list[tuple[int, int]] = []
    for pattern in calendar.clock if calendar else ():
        for match in pattern.finditer(text):
            found.append((match.start(), f"@t{int(match['hour'])}:{match['minute']}"))
            timed.append(match.span())
    found += [
        (m.start(), "#" + normalise_number(m.group()))
        for m in _NUMBER.finditer(text)
        if not any(start <= m.start() < end for start, end in timed)
    ]
    names = names or name_folder()
    dated: set[int] = set()
    if calendar:
        for match in _CALENDAR_WORD.finditer(text):
            anchor = calendar.anchor(match.group())
            if anchor:
                found.append((match.start(), anchor))
                dated.add(match.start())
    for match in _NAME.finditer(text):
        if match.start() in dated or any(start <= match.start() < end for start, end in timed):
            continue
        if _SENTENCE_START.search(text, max(0, match.start() - 4), match.start()) is None:
            key = names.skeleton(match.group())
            # Two consonants at least ("État" -> "at" is too little to tell a name by).
            if len(key.removeprefix("a")) >= 2:
                found.append((match.start(), key))
    return [key for _, key in sorted(found)]


def normalise_number(written: str) -> str:
    """ "1 000", "1,000" and "1.000" -> "1000"; "6,8" and "6.8" -> "6.8"."""
    groups = re.split(r"[.,]", re.sub(r"\s", "", written))
    if len(groups) > 1 and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return "".join(groups)
    if len(groups) > 1:
        return "".join(groups[:-1]) + "." + groups[-1]
    return groups[0]


def pair_features(new: Profile, old: Profile, settings: CopySettings, df: Counter[int], others: int) -> PairFeatures:
    """The evidence the copy model weighs. df counts the documents holding each anchor,
    the pair included; others is the number of documents besides the pair."""
    weight = idf_weight(new.anchors, old.anchors, df, others)
    same = same_language(new, old, settings)
    shorter = min(len(new.sentences), len(old.sentences)) + settings.sentence_prior
    if same:
        containment, _ = shared_passages(new.shingles, old.shingles, settings.shingle_words)
        chain = sentence_matches(new.sentences, old.sentences, settings.sentence_overlap)
        verbatim = sentence_matches(new.sentences, old.sentences, settings.verbatim_overlap)
        lead = lead_coverage(new.shingles, old.shingles, settings.lead_shingles)
    else:
        containment, chain, verbatim, lead = 0.0, [], [], 0.0
    own_opening = _own_opening(new, old, weight, settings) if same else 0
    by_anchors = anchor_sentence_matches(
        new.sentence_anchors, old.sentence_anchors, weight, settings.sentence_overlap, settings.min_sentence_anchors
    )
    with_anchors = min(sum(len(s) >= settings.min_sentence_anchors for s in p.sentence_anchors) for p in (new, old)) + settings.sentence_prior
    lengths = _sentence_lengths(new), _sentence_lengths(old)
    shorter_sentences = min(map(len, lengths)) + settings.sentence_prior
    aligned = [parallel_pairs(*lengths, found, settings.parallel_tolerance) for found in (chain, by_anchors)]
    return PairFeatures(
        same_language=same,
        containment=containment,
        lead=lead,
        anchors=anchor_alignment(new.anchors, old.anchors, weight, settings.min_common_anchors),
        sentences=len(chain) / shorter,
        sentence_count=math.log1p(len(chain)),
        verbatim_sentences=len(verbatim) / shorter,
        density=chain_density(chain),
        anchor_sentences=len(by_anchors) / with_anchors,
        anchor_sentence_count=math.log1p(len(by_anchors)),
        parallel=max(map(len, aligned)) / shorter_sentences,
        own_opening=own_opening,
    )


def _own_opening(a: Profile, b: Profile, weight, settings: CopySettings) -> int:
    """Closing sentences each text opens with before the first one the other shares, the fewer of the two.

    A copy starts where its original starts (a repost, a syndicated text, a
    translation) or inside it (a scrape starting mid-article); its added
    paragraphs come before or after the original's, which then opens the shared
    part. Two articles that each open with sentences of their own before the
    first they share are two outlets writing from common material (a wire),
    not one reproducing the other. Shared sentences count by their content words
    or, for a spun paraphrase, by their anchors."""

    def opening(x: Profile, y: Profile) -> int:
        by_words = first_matched(x.sentences, y.sentences, settings.opening_words, larger=True)
        by_anchors = first_matched(
            x.sentence_anchors, y.sentence_anchors, settings.opening_anchors, weight, settings.min_sentence_anchors, larger=True
        )
        return sum(x.sentence_closed[: min(by_words, by_anchors)])

    return min(opening(a, b), opening(b, a))


def is_copy_pair(model: CopyModel, features: PairFeatures) -> bool:
    """The model's decision, for pairs where one text opens where the other starts or inside it."""
    return features.own_opening == 0 and model.links(features)


def copy_kind(new: Profile, old: Profile, features: PairFeatures, settings: CopySettings) -> CopyKind:
    """What a linked pair is, for the reader: the model decides that it is a copy, not how."""
    if not features.same_language:
        return CopyKind.TRANSLATION
    if max(new.items, old.items) > 1 and features.containment < settings.near_threshold:
        return CopyKind.DIGEST
    return CopyKind.NEAR if features.containment >= settings.near_threshold else CopyKind.REWRITE


def is_digest(a: Profile, b: Profile, settings: CopySettings) -> bool:
    """A multi-item page sharing several long verbatim passages with an article that no wire explains (dev 022)."""
    if max(a.items, b.items) < 2 or not same_language(a, b, settings) or (a.agencies is None or b.agencies is None or a.agencies | b.agencies):
        return False
    _, runs = shared_passages(a.shingles, b.shingles, settings.shingle_words)
    return sum(n >= settings.digest_passage_words for n in runs) >= settings.digest_passages


def same_language(a: Profile, b: Profile, settings: CopySettings) -> bool:
    """The overlap of their frequent short words: declared languages come from a
    detector that knows a few languages only (Spanish pages are detected as French
    or English), and the overlap needs none."""
    mine, theirs = set(a.function_words), set(b.function_words)
    union = mine | theirs
    return bool(union) and len(mine & theirs) / len(union) >= settings.same_language_overlap


def passages(copy: Profile, original: Profile, settings: CopySettings) -> tuple[AlignedPassage, ...]:
    """The evidence of a link, in `copy`'s order (call with the profiles either way round; spans
    name their documents): passages of shared words, or else sentences matched in order."""
    found: list[AlignedPassage] = []
    size = settings.shingle_words
    for i, j, length in shared_runs(copy.shingles, original.shingles):
        if length + size - 1 >= settings.evidence_words:
            found.append(AlignedPassage(_words_span(copy, i, i + length + size - 1), _words_span(original, j, j + length + size - 1)))
    if not found:
        chain = sentence_matches(copy.sentences, original.sentences, settings.sentence_overlap) if same_language(
            copy, original, settings
        ) else []
        if not chain:
            weight = lambda _: 1.0  # noqa: E731 - evidence shows the match, the decision weighed it
            chain = anchor_sentence_matches(
                copy.sentence_anchors, original.sentence_anchors, weight, settings.sentence_overlap, settings.min_sentence_anchors
            )
        found = [AlignedPassage(_sentence_span(copy, i), _sentence_span(original, j)) for i, j in chain]
    return tuple(found[: settings.evidence_passages])


def orient(new: Profile, old: Profile, kind: CopyKind, similarity: float, evidence: Sequence[AlignedPassage] = ()) -> CopyLink:
    """Which of two related documents is the copy: the first rule that tells them apart decides.

    1. A digest is the copy of the article it republishes.
    2. The later published, when the dates differ at the precision both share (an
       earlier month decides; a day inside a month-only date does not).
    3. A machine rewrite (a rewriting service's prompt left in).
    4. A careless republication (mojibake or markup left in).
    5. In one month, the one dated only to the month: outlets state the day of their
       own articles, republications drop it (dev: 3 of 3 such pairs).
    6. The one without the dateline credit the other opens with: the author signs
       its dispatch, a copy strips the signature (dev 050, 052 -> 053).
    7. The undated one, when the other states a date: outlets date their articles,
       scrapers and mirrors drop the date (dev 017, 022, 043; dev2 003, 031, 063).
    8. The later arrival.
    Rules 1-6 were set on dev, 7 reading dev and dev2: no held-out figure backs
    it yet. A wire credit decides nothing: republications keep "(AFP)" as often
    as they drop it (dev 013 keeps it, dev2 005 drops it).
    """
    rules = (
        (new.items, old.items) if kind is CopyKind.DIGEST else (0, 0),
        (_before(old.published, new.published), _before(new.published, old.published)),
        (new.rewritten, old.rewritten),
        (new.garbled, old.garbled),
        (_vaguer(new.published, old.published), _vaguer(old.published, new.published)),
        (old.credited, new.credited),
        (new.published is None and old.published is not None, old.published is None and new.published is not None),
        (new.arrival, old.arrival),
    )
    mine, theirs = next(((a, b) for a, b in rules if a != b), (1, 0))
    copy, original = (new, old) if mine > theirs else (old, new)
    if evidence and evidence[0].source.document_id != copy.document_id:
        evidence = sorted((AlignedPassage(p.target, p.source) for p in evidence), key=lambda p: p.source.start)
    return CopyLink(copy=copy.document_id, original=original.document_id, kind=kind, similarity=round(similarity, 3), evidence=tuple(evidence))


def _words_span(profile: Profile, first: int, end: int) -> Span:
    """The span from word `first` to word `end` - 1 (clipped to the text's words)."""
    last = min(end, profile.words) - 1
    return Span(profile.document_id, profile.word_spans[2 * first], profile.word_spans[2 * last + 1])


def _sentence_lengths(profile: Profile) -> list[int]:
    spans = profile.sentence_spans
    return [spans[k + 1] - spans[k] for k in range(0, len(spans), 2)]


def _sentence_span(profile: Profile, index: int) -> Span:
    return Span(profile.document_id, profile.sentence_spans[2 * index], profile.sentence_spans[2 * index + 1])


def _sentence_spans(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Sentences of text[start:end], trimmed, as offsets in text."""
    position = start
    for boundary in [*_SENTENCE_END.finditer(text, start, end), None]:
        stop = boundary.start() if boundary else end
        left, right = position, stop
        while left < right and text[left].isspace():
            left += 1
        while right > left and text[right - 1].isspace():
            right -= 1
        if right > left:
            yield left, right
        if boundary:
            position = boundary.end()


def _before(a: PartialDate | None, b: PartialDate | None) -> bool:
    """a is strictly earlier than b at the precision both share."""
    if a is None or b is None:
        return False
    for x, y in ((a.year, b.year), (a.month, b.month), (a.day, b.day)):
        if x is None or y is None or x != y:
            return x is not None and y is not None and x < y
    return False


def _vaguer(a: PartialDate | None, b: PartialDate | None) -> bool:
    """a is known to the month only and b to a day of that month."""
    return a is not None and b is not None and a.day is None and b.day is not None and (a.year, a.month) == (b.year, b.month)


def _date_key(date: PartialDate | None) -> tuple[int, int, int]:
    if date is None:
        return (9999, 13, 32)
    return (date.year, date.month or 13, date.day or 32)


def _sentence_key(sentence: str) -> array:
    return array("L", sorted({zlib.crc32(w.encode()) for w in skeleton_words(sentence) if len(w) >= 4}))


def _crc_value(data: bytes) -> int:
    """Shingles are crc32 values already: MinHash needs no second hash."""
    return int.from_bytes(data, "little")


def _anchor_pairs(sequence: Sequence[int]) -> Iterable[int]:
    return (sequence[i] << 32 | sequence[i + 1] for i in range(len(sequence) - 1))


def originals(copies: Iterable[CopyLink]) -> dict[str, CopyLink]:
    """Copy document id -> the link to the original it reproduces (one per copy).

    A document that copies both an original and another copy of it shows the
    original: the most similar link among those whose original copies nothing."""
    links = list(copies)
    is_copy = {link.copy for link in links}
    out: dict[str, CopyLink] = {}
    for link in links:
        best = out.get(link.copy)
        rank = (link.original not in is_copy, link.similarity)
        if best is None or rank > (best.original not in is_copy, best.similarity):
            out[link.copy] = link
    return out
