"""Documents → Analyses: one `nlp.pipe` pass per language, then the extractors.

spaCy runs over `masked_text(document)`, the original with boilerplate blanked,
so every token offset is already an offset into `Document.text`.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from itertools import islice
from typing import TypeVar

from spacy.attrs import IDX, ORTH, SPACY
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from recoupe.clean import masked_text
from recoupe.lang import LanguageResources
from recoupe.model import Analysis, Document, Span
from recoupe.nlp.components import mark_line_starts
from recoupe.nlp.dates import DateRules, resolve_times, time_phrases
from recoupe.nlp.entities import Rules as EntityRules
from recoupe.nlp.entities import find_mentions
from recoupe.nlp.figures import FigureRules, find_figures
from recoupe.nlp.hedges import find_hedges
from recoupe.nlp.places import Gazetteer, find_places
from recoupe.nlp.quote_lexicon import QuoteLexicon
from recoupe.nlp.quotes import claim_id, find_claims
from recoupe.settings import AnalysisSettings

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LanguageRules:
    """One language's data compiled once for the per-document stages (never per document)."""

    resources: LanguageResources
    entities: EntityRules
    dates: DateRules
    figures: FigureRules
    quotes: QuoteLexicon

    @classmethod
    def from_resources(cls, resources: LanguageResources) -> LanguageRules:
        return cls(
            resources=resources,
            entities=EntityRules.from_resources(resources),
            dates=DateRules.from_resources(resources),
            figures=FigureRules.from_resources(resources),
            quotes=QuoteLexicon.from_resources(resources),
        )


@dataclass(frozen=True, slots=True)
class Toolkit:
    """What analysis needs, loaded once at the edge and passed down; `rules` are compiled here, once."""

    languages: Mapping[str, LanguageResources]
    pipelines: Mapping[str, Language]
    gazetteer: Gazetteer
    default_language: str = "fr"
    rules: Mapping[str, LanguageRules] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", {code: LanguageRules.from_resources(r) for code, r in self.languages.items()})

    def language_of(self, document: Document) -> str:
        code = document.language or self.default_language
        return code if code in self.pipelines else self.default_language


def analyse(
    documents: Iterable[Document],
    toolkit: Toolkit,
    settings: AnalysisSettings,
    references: Mapping[str, dt.date] | None = None,
) -> Iterator[Analysis]:
    """Analyses in the order of `documents`, batching `nlp.pipe` per language.

    `references` gives, by document id, the day to resolve relative dates against
    when a document states none of its own."""
    references = references or {}
    iterator = iter(documents)
    while batch := list(islice(iterator, settings.batch_size)):
        by_language: dict[str, list[int]] = {}
        for index, document in enumerate(batch):
            by_language.setdefault(toolkit.language_of(document), []).append(index)
        results: dict[int, Analysis] = {}
        for code, indexes in by_language.items():
            nlp, rules = toolkit.pipelines[code], toolkit.rules[code]
            texts = {i: masked_text(batch[i]) for i in indexes}
            short = [i for i in indexes if len(texts[i]) <= settings.piece_chars]
            docs = nlp.pipe((texts[i] for i in short), batch_size=settings.batch_size)
            for index, doc in zip(short, docs):
                document = batch[index]
                results[index] = analyse_doc(doc, document, rules, toolkit.gazetteer, references.get(document.id))
            for index in indexes:
                if index not in results:
                    document = batch[index]
                    results[index] = _analyse_long(
                        texts[index], document, nlp, rules, toolkit.gazetteer, settings, references.get(document.id)
                    )
        yield from (results[i] for i in range(len(batch)))


def _analyse_long(
    text: str,
    document: Document,
    nlp: Language,
    rules: LanguageRules,
    gazetteer: Gazetteer,
    settings: AnalysisSettings,
    reference: dt.date | None,
) -> Analysis:
    """A text over `piece_chars`, each bounded piece parsed as a spaCy doc of its own and read
    alone, its spans then shifted by the piece's offset into the whole text.

    The cost is linear in the length (no piece is parsed, scanned or indexed with
    the text before it); what spans two pieces (a quote cut in the middle) is read
    as two parts. Past its first `full_parse_chars` the text is parsed lightly
    (`light_parse`): names and sentences, no tags, lemmas or dependencies."""
    parts = []
    for start, end, full in long_pieces(text, settings):
        doc = nlp(text[start:end]) if full else light_parse(nlp, text[start:end])
        # The piece's own offsets index this text (the original from the piece on: a mention
        # ending a piece is not taken for an excerpt cut mid-word).
        piece = replace(document, text=document.text[start:]) if start else document
        parts.append(shifted(analyse_doc(doc, piece, rules, gazetteer, reference), start))
    return Analysis(
        document_id=document.id,
        **{name: tuple(item for part in parts for item in getattr(part, name)) for name in _LISTS},
        reference_day=reference,
    )


_LISTS = ("mentions", "places", "times", "figures", "hedges", "claims", "sentences", "time_phrases")
_SENTENCES = Sentencizer()
# Lines the named-entity model reads together: a transition model advances a batch's
# docs step by step together, a third faster than one long doc (64 lines: fastest measured).
_NER_BATCH = 64


def light_parse(nlp: Language, text: str) -> Doc:
    """`text` tokenised, its sentences cut at line starts and final punctuation, its named
    entities recognised line by line: the model's tagger, parser and lemmatizer do not run
    (they cost most of a parse). A pipeline without a parser is run whole (light already)."""
    if "parser" not in nlp.pipe_names:
        return nlp(text)
    doc = _SENTENCES(mark_line_starts(nlp.make_doc(text)))  # the sentencizer keeps the line starts
    if "ner" in nlp.pipe_names:
        lines = _lines(doc, text)
        words, spaces = _words_and_spaces(doc)  # (`Span.as_doc` copies the whole doc)
        parts = (Doc(doc.vocab, words=words[a:b], spaces=spaces[a:b]) for a, b in lines)
        found = nlp.get_pipe("ner").pipe(parts, batch_size=_NER_BATCH)
        doc.set_ents(
            [SpacySpan(doc, a + e.start, a + e.end, label=e.label) for (a, _), line in zip(lines, found) for e in line.ents],
            default="outside",
        )
    return doc


def _words_and_spaces(doc: Doc) -> tuple[list[str], list[bool]]:
    """Each token's text and whether a space follows, read from the doc's arrays: iterating the
    doc would build a Token object per word (a million of them in a 1 MB text, most of its cost)."""
    columns = doc.to_array([ORTH, SPACY])
    strings = doc.vocab.strings
    return [strings[orth] for orth in columns[:, 0].tolist()], [bool(space) for space in columns[:, 1].tolist()]


def _lines(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Token ranges of `doc`, each ending with a whitespace token that holds a line break (or the doc's end)."""
    starts = doc.to_array(IDX).tolist()
    ends = []
    line_end = text.find("\n")
    while line_end >= 0:
        i = bisect_right(starts, line_end) - 1
        if not ends or ends[-1] != i + 1:
            ends.append(i + 1)
        line_end = text.find("\n", line_end + 1)
    if not ends or ends[-1] != len(doc):
        ends.append(len(doc))
    return [(a, b) for a, b in zip([0, *ends], ends) if b > a]


def shifted(analysis: Analysis, offset: int) -> Analysis:
    """`analysis` of a piece starting at `offset`, with every span moved into the whole text
    (claim ids, which hash the span, made again)."""
    if not offset:
        return analysis
    moved = _shift(analysis, offset)
    claims = tuple(replace(c, id=claim_id(c.span.document_id, c.span.start, c.span.end)) for c in moved.claims)
    return replace(moved, claims=claims)


def _shift(value: T, offset: int) -> T:
    """`value` with every `Span` in it (in fields, tuples, nested records) moved by `offset`."""
    if isinstance(value, Span):
        return Span(value.document_id, value.start + offset, value.end + offset)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(_shift(item, offset) for item in value)  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if isinstance(item, (Span, tuple)) or (is_dataclass(item) and not isinstance(item, type)):
                changes[f.name] = _shift(item, offset)
        return replace(value, **changes) if changes else value
    return value


def long_pieces(text: str, settings: AnalysisSettings) -> list[tuple[int, int, bool]]:
    """(start, end, parsed fully) pieces covering a long text: those of its first
    `full_parse_chars` characters (cut after a line end), then those of the rest."""
    head = min(len(text), settings.full_parse_chars)
    if 0 < head < len(text):
        cut = text.rfind("\n", head // 2, head)
        head = cut + 1 if cut >= 0 else head
    pieces = [(start, end, True) for start, end in text_pieces(text[:head], settings.piece_chars)] if head else []
    if head < len(text):
        pieces += [(head + start, head + end, False) for start, end in text_pieces(text[head:], settings.piece_chars)]
    return pieces


def text_pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """[start, end) ranges covering `text`, each at most `limit` characters, cut after a line end
    (else a space) in the second half of the piece when there is one."""
    pieces = []
    start = 0
    while len(text) - start > limit:
        window = (start + limit // 2, start + limit)
        cut = text.rfind("\n", *window)
        if cut < 0:
            cut = text.rfind(" ", *window)
        end = cut + 1 if cut >= 0 else start + limit
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


def analyse_doc(
    doc: Doc, document: Document, rules: LanguageRules, gazetteer: Gazetteer, reference: dt.date | None = None
) -> Analysis:
    mentions = find_mentions(doc, document, rules.entities, gazetteer)
    hedges = find_hedges(doc, document, rules.resources)
    phrases = tuple(time_phrases(doc, document, rules.dates))
    return Analysis(
        document_id=document.id,
        mentions=tuple(mentions),
        places=tuple(find_places(mentions, doc, document, gazetteer, rules.resources)),
        times=tuple(resolve_times(phrases, document, rules.dates, reference=reference)),
        figures=tuple(find_figures(doc, document, rules.figures)),
        hedges=tuple(hedges),
        claims=tuple(find_claims(doc, document, mentions, hedges, rules.quotes)),
        sentences=tuple(_sentences(doc, document.id)),
        time_phrases=phrases,
        reference_day=reference,
    )


def redate(analysis: Analysis, document: Document, toolkit: Toolkit, reference: dt.date) -> Analysis:
    """`analysis` with the time phrases it keeps resolved against `reference` (the day its event
    infers for a document stating none): what `analyse` gives with that reference, without a parse."""
    if analysis.time_phrases is None:
        raise ValueError(f"analysis of {analysis.document_id!r} keeps no time phrases: analyse the document again")
    rules = toolkit.rules[toolkit.language_of(document)]
    times = resolve_times(analysis.time_phrases, document, rules.dates, reference=reference)
    return replace(analysis, times=tuple(times), reference_day=reference)


def _sentences(doc: Doc, document_id: str) -> Iterator[Span]:
    for sentence in doc.sents:
        text = sentence.text
        stripped = text.strip()
        if stripped:
            start = sentence.start_char + (len(text) - len(text.lstrip()))
            yield Span(document_id, start, start + len(stripped))
