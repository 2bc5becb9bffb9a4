"""Position indexes over one parsed document, built once so that attribution never scans it.

Finding who says what asks, for every claim, which quote a character stands in,
which token starts at it, which mentions lie inside a phrase and which hedges
touch a content. Each answer is a bisection over offsets sorted once (O(log n)),
so a document's claims cost time linear in its length. `doc.text` is read once
too (`doc_text`): spaCy rebuilds it from the tokens at each access.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from recoupe.model import Hedge, HedgeKind, Mention


@dataclass(frozen=True, slots=True)
class DocIndex:
    """One parsed document, its text and its quotes, mentions and hedges sorted by position."""

    doc: Doc
    text: str
    quotes: tuple[tuple[int, int], ...]  # (opening mark, closing mark), sorted, never overlapping
    mentions: tuple[Mention, ...] = ()  # sorted by start
    mention_starts: tuple[int, ...] = ()
    mention_ends: tuple[tuple[int, int], ...] = ()  # (end, position in `mentions`), sorted
    hedges: tuple[Hedge, ...] = ()  # sorted by start, never overlapping
    hedge_starts: tuple[int, ...] = ()

    @classmethod
    def build(
        cls, doc: Doc, quotes: Sequence[tuple[int, int]], mentions: Sequence[Mention] = (), hedges: Sequence[Hedge] = ()
    ) -> DocIndex:
        ordered = tuple(sorted(mentions, key=lambda m: (m.span.start, m.span.end)))
        cues = tuple(sorted(hedges, key=lambda h: h.span.start))
        return cls(
            doc=doc,
            text=doc_text(doc),
            quotes=tuple(sorted(quotes)),
            mentions=ordered,
            mention_starts=tuple(m.span.start for m in ordered),
            mention_ends=tuple(sorted((m.span.end, i) for i, m in enumerate(ordered))),
            hedges=cues,
            hedge_starts=tuple(h.span.start for h in cues),
        )

    def in_quotes(self, char: int) -> bool:
        return quote_around(self.quotes, char) is not None

    def mentions_within(self, start: int, end: int) -> list[Mention]:
        """Mentions lying inside [start, end), in text order."""
        first = bisect_left(self.mention_starts, start)
        last = bisect_left(self.mention_starts, end)
        return [m for m in self.mentions[first:last] if m.span.end <= end]

    def mention_at(self, char: int) -> Mention | None:
        """The mention covering a character (the latest starting one when mentions nest)."""
        index = bisect_right(self.mention_starts, char) - 1
        for mention in reversed(self.mentions[max(0, index - 3) : index + 1]):
            if mention.span.start <= char < mention.span.end:
                return mention
        return None

    def mentions_ending_between(self, start: int, end: int) -> list[Mention]:
        """Mentions whose last character ends in [start, end], in text order of their ends."""
        first = bisect_left(self.mention_ends, (start, -1))
        last = bisect_right(self.mention_ends, (end, len(self.mentions)))
        return [self.mentions[i] for _, i in self.mention_ends[first:last]]

    def hedges_touching(self, start: int, end: int) -> list[Hedge]:
        """Hedge cues overlapping [start, end). Cues never overlap each other, so the one
        starting before `start` is the only earlier cue that can reach into the range."""
        first = max(bisect_right(self.hedge_starts, start) - 1, 0)
        last = bisect_left(self.hedge_starts, end)
        return [h for h in self.hedges[first:last] if h.span.end > start and h.span.start < end]

    def hedges_in_sentence(self, start: int, end: int, kind: HedgeKind) -> list[Hedge]:
        """Hedge cues of one kind whose sentence overlaps [start, end) (a sentence is at most a line)."""
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line_end = len(self.text) if line_end < 0 else line_end
        return [
            h for h in self.hedges_touching(line_start, line_end)
            if h.kind is kind and h.sentence.start < end and start < h.sentence.end
        ]


_TEXT = ("recoupe", "text")


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per document and kept in `doc.user_data`: spaCy joins every
    token's text again at each access, and each extractor reads it."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def quote_around(quotes: Sequence[tuple[int, int]], char: int) -> tuple[int, int] | None:
    """The quote (sorted, never overlapping) a character stands strictly inside, by bisection."""
    index = bisect_left(quotes, (char, char)) - 1
    if index >= 0 and quotes[index][0] < char < quotes[index][1]:
        return quotes[index]
    return None


def token_at(doc: Doc, char: int) -> int:
    """Index of the token containing or following `char`, by bisection over token offsets."""
    if not len(doc):
        return 0
    index = bisect_right(range(len(doc)), char, key=lambda i: doc[i].idx) - 1
    if index >= 0 and char >= doc[index].idx + len(doc[index].text):
        index += 1
    return max(0, min(index, len(doc) - 1))
