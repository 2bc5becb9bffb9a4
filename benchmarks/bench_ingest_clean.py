"""Throughput of ingest + clean on ~10,000 documents, against bare read + decode of the same files.

The seeds and dev texts (read from ../shared, never copied into the project) are
replicated into a temporary directory, each copy changed a little so that its
hashes differ. Prints documents/second, peak memory (getrusage), and the ratio to the baseline.

    .venv/bin/python benchmarks/bench_ingest_clean.py [--documents 10000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from recoupe.clean import NoiseRules, build_language_detector, clean
from recoupe.ingest import iter_sources, read_source
from recoupe.lang import load_language
from recoupe.settings import CleanSettings, IngestSettings

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


def baseline(directory: Path) -> tuple[int, float]:
    start = time.perf_counter()
    count = 0
    for source in iter_sources([str(directory)]):
        Path(source).read_bytes().decode("utf-8")
        count += 1
    return count, time.perf_counter() - start


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def ingest_and_clean(directory: Path) -> tuple[int, int, float, float, float]:
    rules = NoiseRules.from_resources(load_language("fr"))
    detector = build_language_detector()
    ingest, cleaning = IngestSettings(), CleanSettings()
    detector.detect_language_of("Texte de chauffe pour charger les modèles de langue.")
    rss_before = _rss_mb()
    start = time.perf_counter()
    count = segments = 0
    for source in iter_sources([str(directory)]):
        for raw in read_source(source, ingest):
            segments += len(clean(raw, rules, detector, cleaning).segments)
            count += 1
    elapsed = time.perf_counter() - start
    return count, segments, elapsed, rss_before, _rss_mb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        size = replicate(directory, args.documents)
        base_count, base_seconds = baseline(directory)
        count, segments, seconds, rss_before, rss_after = ingest_and_clean(directory)
    print(f"documents            {count} ({size / 1e6:.1f} MB), {segments} segments")
    print(f"baseline read+decode {base_count / base_seconds:,.0f} docs/s ({base_seconds:.2f} s)")
    print(f"ingest+clean         {count / seconds:,.0f} docs/s ({seconds:.2f} s)")
    print(f"ratio                {seconds / base_seconds:.0f}x the baseline time")
    print(f"peak RSS             {rss_before:.0f} MB before the run (models loaded), {rss_after:.0f} MB after: streaming keeps it flat")


if __name__ == "__main__":
    main()
