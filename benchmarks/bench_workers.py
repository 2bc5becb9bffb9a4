"""The whole pipeline on 1 and 2 Dask workers, against bare one-process `nlp.pipe`, measured in one run.

Every article of seeds, dev and dev2 (read from ../shared, never copied into the
project) goes through `pipeline.run` into a new SQLite store: reading, cleaning,
analysis, copies, storing, events and claims. It runs in this process
(`--workers 1`) and on a local Dask cluster of 2 one-thread workers; models are
loaded (and the workers started) before the clock starts, as bare `nlp.pipe` is
timed without loading its models. The baseline is `nlp.pipe` alone, in this
process, over the same documents' masked texts with each one's language model.

Prints documents/second (wall clock) of each, and the ratios the issue asks for:
2 workers against 1 process (>= 1.6 on 2 cores) and against bare nlp.pipe (>= 1.0).
The machine's load average is printed with each figure: other programs on the
same cores take from both workers, so measure when the load is below the core count.

    .venv/bin/python benchmarks/bench_workers.py [--rounds 2] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from contextlib import closing
from pathlib import Path

from recoupe.api import load_tools
from recoupe.clean import masked_text
from recoupe.execute import open_executor
from recoupe.ingest import iter_sources, read_source
from recoupe.pipeline import Tools, run
from recoupe.settings import Settings
from recoupe.store import open_store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FOLDERS = ("seeds", "dev", "dev2")


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def whole_pipeline(tools: Tools, settings: Settings, workers: int, folder: Path) -> tuple[int, float]:
    """(documents stored, wall seconds) of one run into a new store; the executor is up before the clock starts."""
    with open_executor(tools, settings, workers) as executor, closing(open_store(str(folder / f"run-{workers}.sqlite"))) as store:
        started = time.perf_counter()
        report = run([str(CORPUS / name / "articles") for name in FOLDERS], tools=tools, store=store, settings=settings, executor=executor)
        return report.stored, time.perf_counter() - started


def bare_pipe(tools: Tools, settings: Settings) -> tuple[int, float]:
    """(documents, wall seconds) of nlp.pipe alone over the cleaned documents, each with its language's model."""
    from recoupe.clean import clean_in_language

    raws = [raw for name in FOLDERS for s in iter_sources([str(CORPUS / name / "articles")]) for raw in read_source(s, settings.ingest)]
    documents = [clean_in_language(raw, tools.noise, settings.language, tools.detector, settings.clean) for raw in raws]
    toolkit = tools.toolkit
    by_language: dict[str, list[str]] = {}
    for document in documents:
        by_language.setdefault(toolkit.language_of(document), []).append(masked_text(document))
    started = time.perf_counter()
    for code, texts in by_language.items():
        for _ in toolkit.pipelines[code].pipe(texts, batch_size=settings.analysis.batch_size):
            pass
    return len(documents), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="runs of each; the best counts")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    settings = Settings()
    tools = load_tools(settings)
    print(f"cores available: {len(os.sched_getaffinity(0))}; load average at start {_load()}")
    best: dict[str, float] = {}
    for round_ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for label, measure in (
                ("bare nlp.pipe", lambda: bare_pipe(tools, settings)),
                ("1 process", lambda: whole_pipeline(tools, settings, 1, folder)),
                (f"{args.workers} workers", lambda: whole_pipeline(tools, settings, args.workers, folder)),
            ):
                count, seconds = measure()
                rate = count / seconds
                best[label] = max(best.get(label, 0.0), rate)
                print(f"round {round_ + 1}: {label:14s} {count} docs in {seconds:6.1f} s: {rate:5.2f} docs/s (load average {_load()})")
    workers = best[f"{args.workers} workers"]
    print(
        f"best of {args.rounds}: {args.workers} workers {workers:.2f} docs/s = {workers / best['1 process']:.2f}x one process "
        f"({best['1 process']:.2f}) and {workers / best['bare nlp.pipe']:.2f}x bare one-process nlp.pipe "
        f"({best['bare nlp.pipe']:.2f}); load average {_load()}"
    )


if __name__ == "__main__":
    main()
