"""Entities and places: quality on the seeds, places per dev document, throughput against bare nlp.pipe.

    .venv/bin/python benchmarks/bench_analysis.py            # scores + throughput
    .venv/bin/python benchmarks/bench_analysis.py --places   # places found per dev document
    .venv/bin/python benchmarks/bench_analysis.py --docs 300 # replicate seeds+dev to 300 documents

Throughput compares, in the same run, bare `nlp.pipe` over the masked texts
with the full analysis (`nlp/analyse.py`: nlp.pipe and every extractor), for
French (seeds + dev) and English (dev + dev2) documents; the ratio must stay
>= 0.7. Both are timed `--rounds` times, alternately, after a warm-up, and the
best round of each counts. The ratio is given in CPU time of this process
(steady when other programs share the cores) and in wall-clock time; the load
average is printed beside it: on a loaded machine only the CPU ratio means much.
"""

from __future__ import annotations

import argparse
import os
import time
from itertools import cycle, islice
from pathlib import Path

from recoupe.clean import NoiseRules, build_language_detector, clean, masked_text
from recoupe.ingest import iter_sources, read_source
from recoupe.lang import load_language
from recoupe.model import Analysis, Document
from recoupe.nlp import load_pipeline
from recoupe.nlp.entities import Rules as EntityRules
from recoupe.nlp.entities import find_mentions
from recoupe.nlp.linking import link_entities
from recoupe.nlp.places import Gazetteer, find_places
from recoupe.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def read_folder(folder: Path, settings: Settings, code: str | None = None) -> list[Document]:
    """The folder's documents cleaned with `code`'s noise rules, keeping those detected in `code` (all: None)."""
    rules = NoiseRules.from_resources(load_language(code or "fr"))
    detector = build_language_detector()
    raws = [raw for source in iter_sources([str(folder)]) for raw in read_source(source, settings.ingest)]
    documents = [clean(raw, rules, detector, settings.clean) for raw in raws]
    return [d for d in documents if code is None or (d.language or "fr") == code]


def analyse_places(documents, nlp, resources, gazetteer, others=None) -> list[Analysis]:
    """This part's extractors only: mentions and places. `others`: code -> (nlp, resources) by language."""
    out = []
    for document in documents:
        pipeline, language = (others or {}).get(document.language or "", (nlp, resources))
        doc = pipeline(masked_text(document))
        mentions = find_mentions(doc, document, EntityRules.from_resources(language), gazetteer)
        places = find_places(mentions, doc, document, gazetteer, language)
        out.append(Analysis(document.id, mentions=tuple(mentions), places=tuple(places)))
    return out


def _timed(work) -> tuple[float, float]:
    """(CPU seconds of this process, wall seconds) spent in `work()`."""
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return time.process_time() - cpu, time.perf_counter() - wall


def ratio(documents: list[Document], nlp, resources, gazetteer, settings: Settings, count: int, rounds: int) -> None:
    """Throughput of the whole analysis against bare `nlp.pipe` on the same texts, measured in the same run."""
    from recoupe.nlp.analyse import Toolkit, analyse

    documents = list(islice(cycle(documents), count))
    texts = [masked_text(d) for d in documents]
    # Built once, as a run builds it (rules compiled here, never per document).
    toolkit = Toolkit(languages={resources.code: resources}, pipelines={resources.code: nlp}, gazetteer=gazetteer,
                      default_language=resources.code)
    warm = settings.analysis.batch_size
    list(nlp.pipe(texts[:warm]))
    list(analyse(documents[:warm], toolkit, settings.analysis))
    bare, full = [], []
    for _ in range(rounds):
        bare.append(_timed(lambda: [None for _ in nlp.pipe(texts, batch_size=settings.analysis.batch_size)]))
        full.append(_timed(lambda: list(analyse(documents, toolkit, settings.analysis))))
    (bare_cpu, bare_wall), (full_cpu, full_wall) = (tuple(map(min, zip(*times))) for times in (bare, full))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"{resources.code}: {len(texts)} docs, best of {rounds}: bare nlp.pipe {len(texts) / bare_cpu:.1f} docs/s CPU, "
        f"full analysis (nlp/analyse.py) {len(texts) / full_cpu:.1f} docs/s CPU: ratio {bare_cpu / full_cpu:.2f} "
        f"(wall clock {bare_wall / full_wall:.2f}; load average {load})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", action="store_true", help="print the places of every dev document")
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--speed", action="store_true", help="throughput only (no quality scores)")
    args = parser.parse_args()
    settings = Settings()
    resources = load_language("fr")
    started = time.perf_counter()
    gazetteer = Gazetteer.load(resources)
    print(f"gazetteer loaded in {time.perf_counter() - started:.2f} s ({len(gazetteer.index)} keys)")
    nlp = load_pipeline(resources)
    seeds = read_folder(CORPUS / "seeds" / "articles", settings)
    dev = read_folder(CORPUS / "dev" / "articles", settings)
    if args.places:
        from recoupe.evaluate.analysis import place_summary

        english = load_language("en")
        others = {"en": (load_pipeline(english), english)}
        print("\n".join(place_summary(dev, analyse_places(dev, nlp, resources, gazetteer, others))))
        return
    if not args.speed:
        import json

        from recoupe.evaluate.analysis import score_entities_places

        analyses = analyse_places(seeds, nlp, resources, gazetteer)
        gold = json.loads((CORPUS / "seeds" / "gold.json").read_text(encoding="utf-8"))
        print("\n".join(score_entities_places(seeds, analyses, link_entities(analyses), gold).lines()))

    french = [d for d in seeds + dev if (d.language or "fr") == "fr"]
    ratio(french, nlp, resources, gazetteer, settings, args.docs, args.rounds)
    english = load_language("en")
    english_docs = [d for folder in ("dev", "dev2") for d in read_folder(CORPUS / folder / "articles", settings, "en")]
    ratio(english_docs, load_pipeline(english), english, gazetteer, settings, args.docs, args.rounds)


if __name__ == "__main__":
    main()
