"""Cost of hedges, claims and speakers on 0.1, 1 and 2 MB articles, relative to the whole dev corpus.

    .venv/bin/python benchmarks/bench_claims.py             # mentions from spaCy's NER
    .venv/bin/python benchmarks/bench_claims.py --mentions  # mentions from nlp/entities.py (loads the gazetteer)

The dev corpus is parsed once; each long article is its parsed documents joined
end to end (`Doc.from_docs`) until it reaches its size, so no text is parsed twice
and spaCy's 1,000,000-character limit does not apply. Every figure is measured in
this one run: the time of `find_hedges` + `find_claims` on an article over their
time on the dev corpus, and that ratio per character (about 1 when the cost is
linear; 143 s for 100,000 characters before position indexes, issue 13).
"""

from __future__ import annotations

import argparse
import time
from itertools import cycle
from pathlib import Path

from spacy.tokens import Doc

from recoupe.clean import NoiseRules, build_language_detector, clean, masked_text
from recoupe.ingest import iter_sources, read_source
from recoupe.lang import load_language
from recoupe.model import Document, EntityType, Mention, Segment, SegmentKind, SourceFormat, Span
from recoupe.nlp import load_pipeline
from recoupe.nlp.hedges import find_hedges
from recoupe.nlp.quote_lexicon import QuoteLexicon
from recoupe.nlp.quotes import find_claims
from recoupe.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev" / "articles"
SIZES = (100_000, 1_000_000, 2_000_000)
NER_TYPES = {"PER": EntityType.PERSON, "ORG": EntityType.ORGANISATION, "LOC": EntityType.PLACE}


def ner_mentions(doc: Doc, document: Document) -> list[Mention]:
    return [
        Mention(Span(document.id, e.start_char, e.end_char), e.text, NER_TYPES.get(e.label_, EntityType.OTHER), e.text.lower())
        for e in doc.ents
    ]


def article(doc: Doc, name: str) -> Document:
    text = doc.text
    return Document(name, name, f"{name}.txt", text, SourceFormat.TEXT, (Segment(0, len(text), SegmentKind.BODY),))


def long_article(parsed: list[tuple[Document, Doc]], size: int) -> tuple[Document, Doc]:
    """Dev documents joined end to end, each ending its paragraph, up to `size` characters."""
    docs: list[Doc] = []
    length = 0
    for _, doc in cycle(parsed):
        if length >= size:
            break
        docs.append(doc)
        length += len(doc.text) + 1
    joined = Doc.from_docs(docs, ensure_whitespace=True)
    return article(joined, f"long{size}"), joined


def claims_time(pairs: list[tuple[Document, Doc]], resources, mentions_of) -> tuple[float, int]:
    """Seconds spent in find_hedges + find_claims over `pairs` (mentions are found before the clock starts)."""
    mentions = [mentions_of(doc, document) for document, doc in pairs]
    lexicon = QuoteLexicon.from_resources(resources)
    started = time.perf_counter()
    count = 0
    for (document, doc), found in zip(pairs, mentions):
        hedges = find_hedges(doc, document, resources)
        count += len(find_claims(doc, document, found, hedges, lexicon))
    return time.perf_counter() - started, count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mentions", action="store_true", help="mentions from nlp/entities.py instead of spaCy's NER")
    args = parser.parse_args()
    settings = Settings()
    resources = load_language("fr")
    nlp = load_pipeline(resources)
    detector = build_language_detector()
    raws = [raw for source in iter_sources([str(DEV)]) for raw in read_source(source, settings.ingest)]
    documents = [d for d in (clean(raw, NoiseRules.from_resources(resources), detector, settings.clean) for raw in raws) if (d.language or "fr") == "fr"]
    parsed = list(zip(documents, nlp.pipe((masked_text(d) for d in documents), batch_size=settings.analysis.batch_size)))
    mentions_of = ner_mentions
    if args.mentions:
        from recoupe.nlp.entities import Rules, find_mentions
        from recoupe.nlp.places import Gazetteer

        gazetteer = Gazetteer.load(resources)
        rules = Rules.from_resources(resources)

        def mentions_of(doc: Doc, document: Document) -> list[Mention]:
            return find_mentions(doc, document, rules, gazetteer)

    dev_chars = sum(len(document.text) for document, _ in parsed)
    dev_seconds, dev_claims = claims_time(parsed, resources, mentions_of)
    print(f"dev corpus: {len(parsed)} French documents, {dev_chars:,} characters, {dev_claims} claims, {dev_seconds:.2f} s")
    print(f"{'article':>12} {'claims':>7} {'seconds':>8} {'x dev':>7} {'x dev per character':>20}")
    for size in SIZES:
        document, doc = long_article(parsed, size)
        seconds, count = claims_time([(document, doc)], resources, mentions_of)
        ratio = seconds / dev_seconds
        print(f"{len(document.text):>12,} {count:>7} {seconds:>8.2f} {ratio:>7.2f} {ratio / (len(document.text) / dev_chars):>20.2f}")


if __name__ == "__main__":
    main()
