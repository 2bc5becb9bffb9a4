"""Where a speaker or a writer keeps a distance from what they report.

A hedge is uncertainty: the journalistic conditional ("serait", "auraient
annulé"), an epistemic modal ("pourrait dépasser"), a statement that the claim
is unverified ("pas vérifiables de source indépendante") or a hedging word
("apparemment", "présumé"). Not every conditional is one: the future in the past
of reported speech ("a ajouté que les écoles resteraient fermées"), a hypothesis
("s'il refuse, il marcherait") and a wish ("voudrait") are not. Attribution
("selon X") is found too, as a cue of its own kind, but hedges nothing by itself.
The mood comes from spaCy's morphology, with a stem check for the verbs the
tagger misses; the words are data in `lang/<code>/hedges.yaml`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Token

from recoupe.lang import LanguageResources
from recoupe.lang.records import Conditional
from recoupe.model import Document, Hedge, HedgeKind, Span
from recoupe.nlp.positions import doc_text
from recoupe.nlp.quotes import find_quotes

# Overlapping cues keep the most telling: "pas vérifiables de source indépendante" is an
# unverified claim, not an attribution to "source indépendante".
_PRIORITY = (HedgeKind.UNVERIFIED, HedgeKind.CONDITIONAL, HedgeKind.ATTRIBUTION, HedgeKind.LEXICAL)
# Words between a conditional auxiliary and its participle that the cue spans ("auraient déjà annulé").
_MAX_AUX_GAP = 3
_VERBAL = frozenset({"VERB", "AUX"})


def find_hedges(doc: Doc, document: Document, resources: LanguageResources) -> list[Hedge]:
    """Every hedging cue with the sentence it hedges, in text order."""
    table = resources.hedges
    text = doc_text(doc)
    quotes = find_quotes(text, dict(resources.quote_marks.pairs))
    cues = list(_conditional_cues(doc, table.conditional, quotes))
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
    if token.pos_ not in _VERBAL:
        return False
    form, lemma = token.text.lower(), token.lemma_.lower()
    endings = conditional.endings
    if "Cnd" in token.morph.get("Mood"):
        # The tagger's mood, unless the form cannot be one: "démentons" tagged conditional has no conditional ending.
        return not endings or form.endswith(tuple(endings))
    stems = {lemma[: len(lemma) - len(strip)] for strip in conditional.strip_from_lemma if lemma.endswith(strip)}
    stems.update(conditional.irregular_stems.get(lemma, ()))
    return any(form == stem + ending for stem in stems if stem for ending in endings)


def conditional_hedges(token: Token, conditional: Conditional, quotes: Sequence[tuple[int, int]] = ()) -> bool:
    """Whether a conditional verb form marks uncertainty rather than tense, hypothesis or wish."""
    compound = token.dep_ == "aux:tense" and token.head.pos_ in _VERBAL  # "aurait visé", not "serait reconduite"
    verb = token.head if token.dep_.startswith("aux") and token.head.pos_ in _VERBAL else token
    lemmas = {token.lemma_.lower(), verb.lemma_.lower()}
    if lemmas & set(conditional.not_hedging):
        return False  # "voudrait", "il aurait fallu"
    if _has_condition(verb, conditional.conditions):
        return False  # "s'il refuse, il marcherait"
    if lemmas & set(conditional.modals):
        return True  # "pourrait dépasser", "devraient faiblir"
    if compound:
        return True  # "aurait visé": the journalistic conditional of a past fact
    return not _governed_by_past(verb, quotes)


def _conditional_cues(
    doc: Doc, conditional: Conditional, quotes: Sequence[tuple[int, int]]
) -> Iterable[tuple[int, int, HedgeKind]]:
    if not doc.has_annotation("POS"):
        return  # a conditional is a tagged verb: none in an untagged (lightly parsed) text
    for token in doc:
        if not is_conditional(token, conditional) or not conditional_hedges(token, conditional, quotes):
            continue
        last = token
        if token.dep_.startswith("aux") and 0 < token.head.i - token.i <= _MAX_AUX_GAP:
            last = token.head
        yield token.idx, last.idx + len(last.text), HedgeKind.CONDITIONAL


def _has_condition(verb: Token, conditions: Iterable[str]) -> bool:
    """A condition clause on the verb: "si" / "s'" marking one of its adverbial clauses."""
    words = {c.lower() for c in conditions}
    return any(
        child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in words for m in child.children)
        for child in verb.children
    )


def _governed_by_past(verb: Token, quotes: Sequence[tuple[int, int]]) -> bool:
    """The first tensed verb above the conditional is in a past tense: the concordance of reported speech.

    Conditionals, infinitives, present participles and bare participles above it take
    their tense from further up ("précisant que", "une mobilisation qui prendrait").
    Direct speech keeps its own tenses: a verb outside the quote the conditional
    stands in does not govern it."""
    quote = _enclosing(verb.idx, quotes)
    token = verb
    while token.head.i != token.i:
        token = token.head
        if quote is not None and _enclosing(token.idx, quotes) != quote:
            return False
        if token.pos_ not in _VERBAL:
            continue
        tense = _tense(token)
        if tense is not None:
            return tense == "past"
    return False


def _tense(verb: Token) -> str | None:
    """"past", "present" (or future), or None for a form that takes its tense from its governor."""
    forms = set(verb.morph.get("VerbForm"))
    tenses = set(verb.morph.get("Tense"))
    if "Cnd" in verb.morph.get("Mood") or "Inf" in forms or ("Part" in forms and "Pres" in tenses):
        return None
    if "Part" in forms:
        auxiliaries = [c for c in verb.children if c.dep_.startswith("aux")]
        if not auxiliaries:
            return None  # "le communiqué publié mardi"
        if any(c.dep_ != "aux:pass" for c in auxiliaries):
            return "past"  # "a annoncé", "avait indiqué"
        return "past" if any(_tense(c) == "past" for c in auxiliaries) else "present"  # "était annoncé"
    if tenses & {"Past", "Imp"}:
        return "past"
    return "present" if tenses else None


def _enclosing(char: int, quotes: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The outermost quote (sorted, non-overlapping) around a character, by bisection."""
    index = bisect.bisect_left(quotes, (char, char)) - 1
    if index >= 0 and quotes[index][0] < char < quotes[index][1]:
        return quotes[index]
    return None


def _pattern_cues(text: str, patterns: Iterable[re.Pattern[str]]) -> Iterable[tuple[int, int]]:
    """Matches of hedges.yaml patterns, compiled at load (case-insensitive, whole words, "'" or "’")."""
    for pattern in patterns:
        for match in pattern.finditer(text):
            yield match.span()


def _without_overlaps(cues: list[tuple[int, int, HedgeKind]]) -> list[tuple[int, int, HedgeKind]]:
    """Keep cues by priority, then length, dropping any that overlaps one kept.

    The kept cues never overlap, so a bisection over their sorted starts finds the only
    two neighbours a new cue could overlap (the list insert is a memmove, not a scan)."""
    kept: list[tuple[int, int, HedgeKind]] = []
    for cue in sorted(cues, key=lambda c: (_PRIORITY.index(c[2]), c[0] - c[1], c[0])):
        start, end, _ = cue
        index = bisect.bisect_left(kept, start, key=lambda c: c[0])
        if index > 0 and kept[index - 1][1] > start:
            continue  # overlaps the kept cue starting before it
        if index < len(kept) and kept[index][0] < end:
            continue  # overlaps the kept cue starting at or after it
        kept.insert(index, cue)
    return kept


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
