"""Sentences whose writer keeps a distance from what they report.

Four kinds of cue: the conditional mood ("serait", "auraient annulé"), an
attribution ("selon X"), a statement that the claim is unverified ("pas
vérifiables de source indépendante") and hedging words ("apparemment",
"présumé"). The mood comes from spaCy's morphology, with a stem check for the
verbs the tagger misses; the other cues are patterns in `lang/<code>/hedges.yaml`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from spacy.tokens import Doc, Token

from recoupe.lang import LanguageResources
from recoupe.lang.records import Conditional
from recoupe.model import Document, Hedge, HedgeKind, Span

# Overlapping cues keep the most telling: "pas vérifiables de source indépendante" is an
# unverified claim, not an attribution to "source indépendante".
_PRIORITY = (HedgeKind.UNVERIFIED, HedgeKind.CONDITIONAL, HedgeKind.ATTRIBUTION, HedgeKind.LEXICAL)
# Words between a conditional auxiliary and its participle that the cue spans ("auraient déjà annulé").
_MAX_AUX_GAP = 3


def find_hedges(doc: Doc, document: Document, resources: LanguageResources) -> list[Hedge]:
    """Every hedging cue with the sentence it hedges, in text order."""
    table = resources.hedges
    text = doc.text  # built from the tokens at each access
    cues = list(_conditional_cues(doc, table.conditional))
    for kind, patterns in ((HedgeKind.ATTRIBUTION, table.attribution), (HedgeKind.UNVERIFIED, table.unverified), (HedgeKind.LEXICAL, table.lexical)):
        cues.extend((start, end, kind) for start, end in _pattern_cues(text, patterns))
    sentences = _sentences(doc, text)
    sentence_starts = [start for start, _ in sentences]
    hedges = []
    for start, end, kind in _without_overlaps(cues):
        sentence = sentences[max(bisect.bisect_right(sentence_starts, start) - 1, 0)] if sentences else (start, end)
        hedges.append(Hedge(Span(document.id, start, end), Span(document.id, *sentence), kind))
    return hedges


def is_conditional(token: Token, conditional: Conditional) -> bool:
    """Conditional mood by the tagger, or by form: a future stem of the lemma plus a conditional ending."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    if "Cnd" in token.morph.get("Mood"):
        return True
    form, lemma = token.text.lower(), token.lemma_.lower()
    stems = {lemma[: len(lemma) - len(strip)] for strip in conditional.strip_from_lemma if lemma.endswith(strip)}
    stems.update(conditional.irregular_stems.get(lemma, ()))
    endings = conditional.endings
    return any(form == stem + ending for stem in stems if stem for ending in endings)


def _conditional_cues(doc: Doc, conditional: Conditional) -> Iterable[tuple[int, int, HedgeKind]]:
    for token in doc:
        if not is_conditional(token, conditional):
            continue
        last = token
        if token.dep_.startswith("aux") and 0 < token.head.i - token.i <= _MAX_AUX_GAP:
            last = token.head
        yield token.idx, last.idx + len(last.text), HedgeKind.CONDITIONAL


def _pattern_cues(text: str, patterns: Iterable[re.Pattern[str]]) -> Iterable[tuple[int, int]]:
    """Matches of hedges.yaml patterns, compiled at load (case-insensitive, whole words, "'" or "’")."""
    for pattern in patterns:
        for match in pattern.finditer(text):
            yield match.span()


def _without_overlaps(cues: list[tuple[int, int, HedgeKind]]) -> list[tuple[int, int, HedgeKind]]:
    kept: list[tuple[int, int, HedgeKind]] = []
    for start, end, kind in sorted(cues, key=lambda c: (_PRIORITY.index(c[2]), c[0] - c[1], c[0])):
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, kind))
    return sorted(kept, key=lambda c: c[0])


def _sentences(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Sentence character ranges, cut at line breaks too (the parser runs a title into the lead)."""
    if not len(doc):
        return []
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        blocks = [(sentence.start_char, sentence.end_char) for sentence in doc.sents]
    else:
        blocks = [(0, len(text))]
    return [
        (start + line.start(), start + line.end())
        for start, end in blocks
        for line in re.finditer(r"\S(?:[^\n]*\S)?", text[start:end])
    ]
