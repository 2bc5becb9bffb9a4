"""Throughput of ingest + clean on ~10,000 documents, against bare read + decode of the same files.

The seeds, dev and dev2 texts (read from ../shared, never copied into the project)
are replicated into a temporary directory, each copy changed a little so that its
hashes differ. Ingest + clean is the run's own path (`pipeline._clean_new`): read
and repair each file, detect its language on its opening, clean it with that
language's noise rules. Prints documents/second per core (CPU time of this
process, steady when other programs share the cores) and wall clock, the share of
language detection, peak memory (getrusage), the ratio to the baseline and the
load average.

    .venv/bin/python benchmarks/bench_ingest_clean.py [--documents 10000]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from recoupe.clean import LANGUAGE_SAMPLE_CHARS, NoiseRules, build_language_detector, clean_in_language, detect_language
from recoupe.ingest import iter_sources, read_source
from recoupe.lang import load_language, supported_languages
from recoupe.settings import CleanSettings, IngestSettings, Settings

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def replicate(target: Path, count: int) -> int:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*/articles/*.txt"))]
    if not texts:
        sys.exit(f"no texts under {CORPUS}: the benchmark needs ../shared/corpus")
    for n in range(count):
        text = texts[n % len(texts)]
        variant = text.rstrip("\n") + f"\n\nCopie n° {n} de l'article pour le banc d'essai."
        (target / f"{n:05d}.txt").write_text(variant, encoding="utf-8")
    return sum(p.stat().st_size for p in target.iterdir())


def _clocks() -> tuple[float, float]:
    return time.process_time(), time.perf_counter()


def _since(started: tuple[float, float]) -> tuple[float, float]:
    cpu, wall = _clocks()
    return cpu - started[0], wall - started[1]


def baseline(directory: Path) -> tuple[int, tuple[float, float]]:
    started = _clocks()
    count = 0
    for source in iter_sources([str(directory)]):
        Path(source).read_bytes().decode("utf-8")
        count += 1
    return count, _since(started)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def ingest_and_clean(directory: Path) -> tuple[int, int, tuple[float, float], float, float]:
    noise = {code: NoiseRules.from_resources(load_language(code)) for code in supported_languages()}
    default = Settings().language
    detector = build_language_detector()
    ingest, cleaning = IngestSettings(), CleanSettings()
    detector.detect_language_of("Texte de chauffe pour charger les modèles de langue.")
    rss_before = _rss_mb()
    started = _clocks()
    count = segments = 0
    for source in iter_sources([str(directory)]):
        for raw in read_source(source, ingest):
            segments += len(clean_in_language(raw, noise, default, detector, cleaning).segments)
            count += 1
    return count, segments, _since(started), rss_before, _rss_mb()


def detection_only(directory: Path) -> tuple[float, float]:
    """The language detection of the path above alone, on the same texts (read beforehand)."""
    detector = build_language_detector()
    detector.detect_language_of("Texte de chauffe pour charger les modèles de langue.")
    ingest = IngestSettings()
    openings = [raw.text[:LANGUAGE_SAMPLE_CHARS] for s in iter_sources([str(directory)]) for raw in read_source(s, ingest)]
    started = _clocks()
    for opening in openings:
        detect_language(detector, opening)
    return _since(started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        size = replicate(directory, args.documents)
        base_count, (base_cpu, base_wall) = baseline(directory)
        count, segments, (cpu, wall), rss_before, rss_after = ingest_and_clean(directory)
        detect_cpu, _ = detection_only(directory)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"documents            {count} ({size / 1e6:.1f} MB), {segments} segments")
    print(f"baseline read+decode {base_count / base_cpu:,.0f} docs/s CPU ({base_cpu:.2f} s; wall {base_wall:.2f} s)")
    print(f"ingest+clean         {count / cpu:,.0f} docs/s per core, CPU ({cpu:.2f} s; wall {wall:.2f} s, {count / wall:,.0f} docs/s)")
    print(f"  language detection {detect_cpu / cpu:.0%} of it ({1000 * detect_cpu / count:.2f} ms/doc on the first {LANGUAGE_SAMPLE_CHARS} characters)")
    print(f"ratio                {cpu / base_cpu:.0f}x the baseline CPU time")
    print(f"peak RSS             {rss_before:.0f} MB before the run (models loaded), {rss_after:.0f} MB after: streaming keeps it flat")
    print(f"load average         {load}")


if __name__ == "__main__":
    main()
