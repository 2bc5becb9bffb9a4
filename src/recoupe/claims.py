"""Claims of one event compared: propositions (who asserts, who denies) and contradictions.

A claim is read into frames, language data saying what it reports happened
(`lang/<code>/contradiction_frames.yaml`: control taken, attack repelled,
fighting, border crossed), keywords and figures. Claims sharing a frame, or
enough keywords, form a proposition; a copy never counts as an independent
source. Two claims contradict when one asserts what the other denies, when their
frames conflict (control claimed vs attack repelled), or when they give
different numbers for the same count.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from unidecode import unidecode

from recoupe.lang import LanguageResources
from recoupe.model import Claim, Contradiction, CopyLink, Figure, FigureCategory, Polarity, Proposition, Qualifier
from recoupe.settings import ClaimSettings

# Keywords are compared on their first letters, a crude stem that also joins
# French and English spellings of a name ("Tiotkino", "Tyotkino" stay apart).
STEM_LENGTH = 6
MIN_KEYWORD_LENGTH = 4
EXCERPT_CHARS = 60


@dataclass(frozen=True, slots=True)
class Frame:
    name: str
    label: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class FrameBook:
    """The frames of `contradiction_frames.yaml`, compiled once per call."""

    frames: tuple[Frame, ...]
    overrides: Mapping[str, frozenset[str]]
    conflicts: frozenset[tuple[str, str]]
    stopwords: frozenset[str]
    nested: tuple[re.Pattern[str], ...]  # "selon lesquelles ...": someone else's claim inside this one
    reasons: Mapping[str, str]  # sentence templates explaining a contradiction, in the language's words

    @classmethod
    def from_resources(cls, resources: LanguageResources) -> FrameBook:
        data = resources.contradiction_frames  # patterns compiled at load
        frames = tuple(Frame(name, spec.label, spec.patterns) for name, spec in data.frames.items())
        conflicts = set(data.conflicts)
        return cls(
            frames=frames,
            overrides={k: frozenset(v) for k, v in data.overrides.items()},
            conflicts=frozenset(conflicts | {(b, a) for a, b in conflicts}),
            stopwords=frozenset(data.stopwords),
            nested=data.nested_attribution,
            reasons=dict(data.reasons),
        )

    def label(self, name: str) -> str:
        return next(f.label for f in self.frames if f.name == name)


@dataclass(frozen=True, slots=True)
class Reading:
    """What one claim says, in comparable terms."""

    claim: Claim
    source: str  # the independent document: the original of a copy
    frames: frozenset[str]
    keywords: frozenset[str]
    figures: tuple[Figure, ...]


_STRAIGHT_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"'})


def normalise(text: str) -> str:
    """NFKC, lower case, straight quotes, collapsed spaces: the form frames are matched on."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_STRAIGHT_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


def compare_claims(
    claims_by_event: Mapping[str, Sequence[Claim]],
    copies: Sequence[CopyLink],
    resources: LanguageResources,
    figures: Sequence[Figure] = (),
    settings: ClaimSettings = ClaimSettings(),
) -> tuple[list[Proposition], list[Contradiction]]:
    """Propositions and contradictions within each event; attributed claims only.

    `figures` are every document's figures (`Analysis.figures`); those inside a
    claim's span are the numbers it states.
    """
    book = FrameBook.from_resources(resources)
    originals = independent_sources(copies)
    propositions: list[Proposition] = []
    contradictions: list[Contradiction] = []
    for event_id in sorted(claims_by_event):
        claims = [c for c in claims_by_event[event_id] if c.speaker is not None]
        readings = [read_claim(c, originals, figures, book) for c in claims]
        propositions.extend(group_propositions(event_id, readings, settings))
        contradictions.extend(find_contradictions(event_id, readings, book))
    return propositions, contradictions


def independent_sources(copies: Sequence[CopyLink]) -> dict[str, str]:
    """Copy id -> the original it ultimately reproduces."""
    parent = {link.copy: link.original for link in copies}
    roots: dict[str, str] = {}
    for copy in parent:
        root, seen = copy, {copy}
        while root in parent and parent[root] not in seen:
            root = parent[root]
            seen.add(root)
        roots[copy] = root
    return roots


def read_claim(claim: Claim, originals: Mapping[str, str], figures: Sequence[Figure], book: FrameBook) -> Reading:
    text = normalise(claim.text)
    own_text = text[: min((m.start() for p in book.nested for m in [p.search(text)] if m), default=len(text))]
    frames = {f.name for f in book.frames if any(p.search(own_text) for p in f.patterns)}
    for frame, cancelled in book.overrides.items():
        if frame in frames:
            frames -= cancelled
    words = re.findall(r"\w+", unidecode(text))
    keywords = {w[:STEM_LENGTH] for w in words if len(w) >= MIN_KEYWORD_LENGTH and w not in book.stopwords}
    own = tuple(
        f for f in figures
        if f.span.document_id == claim.span.document_id and claim.span.start <= f.span.start and f.span.end <= claim.span.end
    )
    document = claim.span.document_id
    return Reading(claim, originals.get(document, document), frozenset(frames), frozenset(keywords), own)


def group_propositions(event_id: str, readings: Sequence[Reading], settings: ClaimSettings) -> list[Proposition]:
    """One proposition per frame, then frameless claims clustered by shared keywords."""
    groups: dict[str, list[Reading]] = {}
    for reading in readings:
        for frame in sorted(reading.frames):
            groups.setdefault(f"frame:{frame}", []).append(reading)
    clusters: list[list[Reading]] = []
    for reading in (r for r in readings if not r.frames):
        home = next((c for c in clusters if _same_topic(c[0], reading, settings)), None)
        if home is None:
            clusters.append([reading])
        else:
            home.append(reading)
    for cluster in clusters:
        groups[f"claim:{cluster[0].claim.id}"] = cluster
    return [_proposition(event_id, key, members) for key, members in sorted(groups.items())]


def _same_topic(a: Reading, b: Reading, settings: ClaimSettings) -> bool:
    shared = a.keywords & b.keywords
    union = a.keywords | b.keywords
    return len(shared) >= settings.min_shared_keywords and len(shared) / len(union) >= settings.keyword_jaccard


def _proposition(event_id: str, key: str, members: Sequence[Reading]) -> Proposition:
    asserted = {r.source for r in members if r.claim.polarity is Polarity.ASSERT}
    denied = {r.source for r in members if r.claim.polarity is Polarity.DENY}
    return Proposition(
        id=_digest(f"{event_id}:{key}"),
        event_id=event_id,
        claim_ids=tuple(r.claim.id for r in members),
        asserted_by=tuple(sorted(asserted)),
        denied_by=tuple(sorted(denied)),
    )


def find_contradictions(event_id: str, readings: Sequence[Reading], book: FrameBook) -> list[Contradiction]:
    """Pairs of claims by different speakers that cannot both be true. O(n²) in the claims of one event.

    One contradiction per pair of speakers and reason kind: the first pair of
    claims in text order stands for the others (the same two sides repeating
    themselves across reports).
    """
    ordered = sorted(readings, key=lambda r: (r.claim.span.document_id, r.claim.span.start))
    found: list[Contradiction] = []
    seen: set[tuple[str, ...]] = set()
    for a, b in combinations(ordered, 2):
        speakers = (_speaker_key(a.claim), _speaker_key(b.claim))
        if speakers[0] == speakers[1]:
            continue
        reason = _reason(a, b, book)
        if reason is None:
            continue
        key = (*sorted(speakers), reason[1])
        if key not in seen:
            seen.add(key)
            found.append(Contradiction(event_id, (a.claim.id, b.claim.id), reason[0]))
    return found


def _reason(a: Reading, b: Reading, book: FrameBook) -> tuple[str, str] | None:
    """Why two claims contradict, in one sentence naming the speakers, and the kind of clash."""
    for frame in sorted(a.frames & b.frames):
        if a.claim.polarity is not b.claim.polarity:
            asserting, denying = (a, b) if a.claim.polarity is Polarity.ASSERT else (b, a)
            return _explain(book, "denied", asserting, denying, label_a=book.label(frame)), f"deny:{frame}"
    if a.claim.polarity is Polarity.ASSERT and b.claim.polarity is Polarity.ASSERT:
        for frame_a in sorted(a.frames):
            for frame_b in sorted(b.frames):
                if (frame_a, frame_b) in book.conflicts:
                    labels = {"label_a": book.label(frame_a), "label_b": book.label(frame_b)}
                    return _explain(book, "conflict", a, b, **labels), ":".join(sorted((frame_a, frame_b)))
    clash = _figure_clash(a.figures, b.figures)
    if clash is not None:
        fa, fb = clash
        return _explain(book, "figures", a, b, figure_a=fa.text, figure_b=fb.text), f"figure:{fa.category.value}"
    return None


def _explain(book: FrameBook, kind: str, a: Reading, b: Reading, **values: str) -> str:
    unnamed = book.reasons.get("unnamed", "?")
    return book.reasons[kind].format(
        a=_who(a, unnamed), b=_who(b, unnamed), quote_a=_excerpt(a), quote_b=_excerpt(b), **values
    )


def _figure_clash(left: Sequence[Figure], right: Sequence[Figure]) -> tuple[Figure, Figure] | None:
    """The same count given two incompatible values: "26 drones" vs "25 drones"."""
    for fa in left:
        for fb in right:
            same_count = fa.category is fb.category and fa.category is not FigureCategory.OTHER
            if (same_count or fa.counted == fb.counted) and not _compatible(fa, fb):
                return fa, fb
    return None


def _compatible(a: Figure, b: Figure) -> bool:
    """Whether one number can satisfy both figures, given "au moins", "au plus", "environ"."""
    if a.qualifier is Qualifier.ABOUT or b.qualifier is Qualifier.ABOUT:
        return True
    low = max(_bound(a, low=True), _bound(b, low=True))
    high = min(_bound(a, low=False), _bound(b, low=False))
    return low <= high


def _bound(figure: Figure, low: bool) -> float:
    if figure.qualifier is Qualifier.AT_LEAST:
        return figure.value if low else float("inf")
    if figure.qualifier is Qualifier.AT_MOST:
        return float("-inf") if low else figure.value
    return figure.value


def _speaker_key(claim: Claim) -> str:
    speaker = claim.speaker
    if speaker is None:
        return ""
    return speaker.entity_id or normalise(speaker.name)


def _who(reading: Reading, unnamed: str) -> str:
    return reading.claim.speaker.name if reading.claim.speaker else unnamed


def _excerpt(reading: Reading) -> str:
    text = re.sub(r"\s+", " ", reading.claim.text).strip()
    short = text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"
    return f"\u201c{short}\u201d"


def _digest(value: str) -> str:
    return hashlib.sha1(value.encode()).hexdigest()[:16]
