"""Documents → Analyses: one `nlp.pipe` pass per language, then the extractors.

spaCy runs over `masked_text(document)`, the original with boilerplate blanked,
so every token offset is already an offset into `Document.text`.
"""

from __future__ import annotations

import datetime as dt
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
            texts = (masked_text(batch[i]) for i in indexes)
            docs = toolkit.pipelines[code].pipe(texts, batch_size=settings.batch_size)
            for index, doc in zip(indexes, docs):
                document = batch[index]
                reference = references.get(document.id)
                results[index] = analyse_doc(doc, document, toolkit.rules[code], toolkit.gazetteer, reference)
        yield from (results[i] for i in range(len(batch)))


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
