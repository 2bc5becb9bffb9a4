"""Copy detection at scale: 10,000+ documents derived from dev, added in batches.

    .venv/bin/python benchmarks/bench_copies.py [--documents 10000] [--batch 500]

Each dev article is replicated with a per-replica vocabulary shift (names,
numbers and most long words change), so replicas are distinct documents of the
same shape; every tenth document is instead a near copy of an earlier one (one
paragraph dropped). Prints docs/s and peak memory per batch: a flat rate shows
that adding does not grow with the number of documents already held.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import time
import zlib
from pathlib import Path

from recoupe.clean import NoiseRules, build_language_detector, clean
from recoupe.copies import CopyDetector, source_groups, wire_agencies
from recoupe.ingest import iter_sources, read_source
from recoupe.lang import load_language, supported_languages
from recoupe.model import CopyKind, CopyLink, Document, Segment, SegmentKind, SourceFormat
from recoupe.settings import Settings

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"
_TOKEN = re.compile(r"\d{1,3}(?:[ ,.]\d{3})+(?!\d)|\d+|[^\W\d_]{4,}")
# One consonant set per position, disjoint and kept by the name folder's skeletons
# (no "j", which folds to a vowel), so the suffixes of two replicas never fold to one name key.
_CONSONANTS = ("bdfg", "lmnp", "rstv", "xzkc")
MAX_REPLICAS = 4 ** len(_CONSONANTS)


def read_dev(settings: Settings) -> tuple[list[str], list[tuple[int, int]]]:
    """Cleaned dev texts in file order, and the labelled copy pairs as positions."""
    detector = build_language_detector()
    languages = {code: load_language(code) for code in supported_languages()}
    texts, names = [], []
    for source in iter_sources([str(DEV / "articles")]):
        for raw in read_source(source, settings.ingest):
            texts.append(clean(raw, NoiseRules.from_resources(languages.get(raw.language or "", languages[settings.language])), detector, settings.clean).cleaned_text)
            names.append(Path(source).name)
    labels = json.loads((DEV / "labels.json").read_text(encoding="utf-8"))
    position = {name: i for i, name in enumerate(names)}
    pairs = [(position[r["file"]], position[r["copy_of"]]) for r in labels if r.get("copy_of") in position]
    return texts, pairs


def replica_suffix(replica: int) -> str:
    """"ba", "da", ... then "bala", ...: a syllable per base-4 digit of the replica."""
    digits = []
    for consonants in _CONSONANTS:
        replica, digit = divmod(replica, 4)
        digits.append(consonants[digit] + "a")
        if not replica:
            break
    return "".join(digits)


def shift(text: str, replica: int) -> str:
    """A distinct article of the same shape: numbers, names and most long words changed.

    The change depends on the replica and the word only, so the copy relations
    between dev articles hold inside each replica.
    """
    suffix = replica_suffix(replica)

    def replace(match: re.Match[str]) -> str:
        word = match.group()
        if word[0].isdigit():
            return str(int(re.sub(r"\D", "", word)) * 7 + replica)
        return word + suffix if word[0].isupper() or zlib.crc32(f"{replica}:{word}".encode()) % 10 < 7 else word

    return _TOKEN.sub(replace, text)


def near_copy(text: str, rng: random.Random) -> str:
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 2:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    return "\n\n".join(paragraphs)


def document(index: int, text: str) -> Document:
    return Document(
        id=f"bench-{index}",
        content_hash=f"bench-{index}",
        source=f"bench/{index}.txt",
        text=text,
        format=SourceFormat.TEXT,
        segments=(Segment(0, len(text), SegmentKind.BODY),),
    )


def generate(base: list[str], dev_pairs: list[tuple[int, int]], count: int) -> tuple[list[Document], set[tuple[str, str]], set[tuple[str, str]]]:
    """Documents, the near copies injected, and the dev copy pairs each replica keeps."""
    if count > MAX_REPLICAS * len(base):
        raise SystemExit(f"at most {MAX_REPLICAS * len(base)} documents")
    rng = random.Random(0)
    texts: list[str] = []
    injected: set[tuple[str, str]] = set()
    replicated = {
        (f"bench-{r * len(base) + a}", f"bench-{r * len(base) + b}")
        for r in range(count // len(base) + 1)
        for a, b in dev_pairs
        if r * len(base) + max(a, b) < count and (r * len(base) + a) % 10 != 9 and (r * len(base) + b) % 10 != 9
    }
    for index in range(count):
        if index % 10 == 9:
            source = rng.randrange(index)
            texts.append(near_copy(texts[source], rng))
            injected.add((f"bench-{index}", f"bench-{source}"))
        else:
            replica, position = divmod(index, len(base))
            texts.append(shift(base[position], replica) if replica else base[position])
    return [document(i, t) for i, t in enumerate(texts)], injected, replicated


def resident_mb() -> float:
    """Current resident memory (Linux), to show what the detector itself holds."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    settings = Settings()
    documents, injected, replicated = generate(*read_dev(settings), args.documents)
    detector = CopyDetector(settings.copies, wire_agencies(load_language(c) for c in supported_languages()))
    links = []
    rates = []
    baseline = resident_mb()
    print(f"resident before adding: {baseline:.0f} MB (dev reading and the language detector)")
    print(f"{'held':>7} {'docs/s':>8} {'cpu d/s':>8} {'+MB':>6} {'peak MB':>8} {'links':>6}")
    for start in range(0, len(documents), args.batch):
        batch = documents[start : start + args.batch]
        began, began_cpu = time.perf_counter(), time.process_time()
        links.extend(detector.add(batch))
        wall = len(batch) / (time.perf_counter() - began)
        rates.append(len(batch) / (time.process_time() - began_cpu))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{start + len(batch):>7} {wall:>8.0f} {rates[-1]:>8.0f} {resident_mb() - baseline:>6.0f} {peak:>8.0f} {len(links):>6}")
    # Copy families: a near copy of a near copy may rightly name the first original.
    families = source_groups((d.id for d in documents), [CopyLink(c, o, CopyKind.NEAR, 1.0) for c, o in injected | replicated], [])
    family = {member: i for i, group in enumerate(families) for member in group}
    linked = {frozenset((link.copy, link.original)) for link in links}
    inside = sum(family[link.copy] == family[link.original] for link in links)
    print(f"injected near copies linked: {sum(frozenset(p) in linked for p in injected)}/{len(injected)}")
    print(f"dev copy pairs kept by replicas, linked: {sum(frozenset(p) in linked for p in replicated)}/{len(replicated)}")
    print(f"links inside a copy family: {inside}/{len(links)}")
    print(f"cpu rate last/first batch: {rates[-1] / rates[0]:.2f} (1.0 = constant cost per document; quadratic would fall as 1/n)")


if __name__ == "__main__":
    main()
