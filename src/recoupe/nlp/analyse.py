"""Documents → Analyses: one `nlp.pipe` pass per language, then the extractors.

spaCy runs over `masked_text(document)`, the original with boilerplate blanked,
so every token offset is already an offset into `Document.text`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from recoupe.clean import masked_text
from recoupe.lang import LanguageResources
from recoupe.model import Analysis, Document, Span
from recoupe.nlp.dates import DateRules, find_times
from recoupe.nlp.entities import Rules as EntityRules
from recoupe.nlp.entities import find_mentions
from recoupe.nlp.figures import FigureRules, find_figures
from recoupe.nlp.hedges import find_hedges
from recoupe.nlp.places import Gazetteer, find_places
from recoupe.nlp.quote_lexicon import QuoteLexicon
from recoupe.nlp.quotes import find_claims
from recoupe.settings import AnalysisSettings


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
    """A text over `piece_chars`, parsed piece by piece; each piece sits at its offset behind blank padding.

    The cost is linear in the length (each piece is parsed and read alone);
    what spans two pieces (a quote cut in the middle) is read as two parts."""
    parts = []
    for start, end in text_pieces(text, settings.piece_chars):
        piece = nlp(text[start:end])
        doc = Doc.from_docs([_padding(nlp, text[:start], piece), piece], ensure_whitespace=False, exclude=["tensor"]) if start else piece
        parts.append(analyse_doc(doc, document, rules, gazetteer, reference))
    return Analysis(
        document_id=document.id,
        **{name: tuple(item for part in parts for item in getattr(part, name)) for name in _LISTS},
        reference_day=reference,
    )


_NOT_NEWLINE = re.compile(r"[^\n]")
_LISTS = ("mentions", "places", "times", "figures", "hedges", "claims", "sentences")


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


def _padding(nlp: Language, before: str, piece: Doc) -> Doc:
    """One blank token standing for the text before a piece (line ends kept), annotated like the piece."""
    annotations: dict[str, list] = {"sent_starts": [True]}
    if piece.has_annotation("DEP"):
        annotations.update(heads=[0], deps=["ROOT"])
    if piece.has_annotation("POS"):
        annotations["pos"] = ["SPACE"]
    return Doc(nlp.vocab, words=[_NOT_NEWLINE.sub(" ", before)], spaces=[False], **annotations)


def analyse_doc(
    doc: Doc, document: Document, rules: LanguageRules, gazetteer: Gazetteer, reference: dt.date | None = None
) -> Analysis:
    mentions = find_mentions(doc, document, rules.entities, gazetteer)
    hedges = find_hedges(doc, document, rules.resources)
    return Analysis(
        document_id=document.id,
        mentions=tuple(mentions),
        places=tuple(find_places(mentions, doc, document, gazetteer, rules.resources)),
        times=tuple(find_times(doc, document, rules.dates, reference=reference)),
        figures=tuple(find_figures(doc, document, rules.figures)),
        hedges=tuple(hedges),
        claims=tuple(find_claims(doc, document, mentions, hedges, rules.quotes)),
        sentences=tuple(_sentences(doc, document.id)),
        reference_day=reference,
    )


def _sentences(doc: Doc, document_id: str) -> Iterator[Span]:
    for sentence in doc.sents:
        text = sentence.text
        stripped = text.strip()
        if stripped:
            start = sentence.start_char + (len(text) - len(text.lstrip()))
            yield Span(document_id, start, start + len(stripped))
