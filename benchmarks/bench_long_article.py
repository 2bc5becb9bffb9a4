"""Storing one long article against storing the whole dev corpus, measured in one run (issue 13).

    .venv/bin/python benchmarks/bench_long_article.py                 # 0.1, 1 and 2 MB
    .venv/bin/python benchmarks/bench_long_article.py --sizes 1000000 # the 1 MB article only

Each figure is one `pipeline.run` (one process, analysis in it) into a fresh
SQLite store, with the models loaded once before any clock starts; the ratios
are of CPU time, which other processes on a shared machine disturb less than
wall time (both are printed): first the dev corpus (ingest, cleaning,
analysis, copies, events, claims, stored), then one article of each size. An
article is made of dev's article paragraphs, end to end; past the first round
each paragraph is marked "(suite N)", so that cleaning keeps it (a repeated line
is boilerplate) and every character is analysed. Lines cleaning would end an
article on (agency signatures, "lire aussi") are left out. Last comes the
issue's own reproduction: dev article 005 repeated to 1.1 MB (cleaning keeps one
copy as article and blanks the rest, which spaCy still reads). The target: a 1 MB
article stored at a cost of at most 3x the dev corpus. "spaCy alone" is the CPU
time of the bare pipeline over the same analysed text in the same pieces, with
none of Recoupe's stages (a long text parsed fully for its first
`analysis.full_parse_chars`, lightly after, as analysis does): the floor of any
analysis with these models.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from contextlib import closing
from pathlib import Path

from recoupe.api import load_tools
from recoupe.clean import NoiseRules, clean, masked_text
from recoupe.ingest import iter_sources, read_source
from recoupe.model import SegmentKind
from recoupe.nlp.analyse import light_parse, long_pieces
from recoupe.pipeline import Tools, run
from recoupe.settings import Settings
from recoupe.store import open_store

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev" / "articles"
SIZES = (100_000, 1_000_000, 2_000_000)
TARGET = 3.0  # issue 13: a 1 MB article at most 3x the dev corpus


def paragraphs(tools: Tools, settings: Settings) -> list[str]:
    """The body lines of dev's French articles, as cleaning keeps them, minus lines that end an article."""
    rules = tools.noise["fr"]
    kept = []
    for source in iter_sources([str(DEV)]):
        for raw in read_source(source, settings.ingest):
            document = clean(raw, rules, tools.detector, settings.clean)
            if (document.language or "fr") != "fr":
                continue
            for segment in document.segments:
                if segment.kind is SegmentKind.BODY:
                    kept.extend(line for line in document.text[segment.start : segment.end].split("\n") if _plain(line, rules))
    return kept


def _plain(line: str, rules: NoiseRules) -> bool:
    patterns = (*rules.end_markers, *rules.closing_signatures, *rules.line_patterns, *rules.credits)
    return bool(line.strip()) and not any(p.search(line) for p in patterns)


def long_article(lines: list[str], size: int) -> str:
    """A title, then dev paragraphs end to end up to `size` characters; later rounds are marked "(suite N)"."""
    out = ["Un très long article sur plusieurs événements\n\n"]
    length = len(out[0])
    round_ = 0
    while length < size:
        for line in lines:
            paragraph = (f"{line} (suite {round_})" if round_ else line) + "\n\n"
            out.append(paragraph)
            length += len(paragraph)
            if length >= size:
                break
        round_ += 1
    return "".join(out)


def stored_run(tools: Tools, settings: Settings, paths: list[str], db: Path) -> tuple[float, float, int, int]:
    """CPU and wall seconds of one run into a fresh store, documents stored, characters analysed (article segments)."""
    with closing(open_store(str(db))) as store:
        started, cpu = time.perf_counter(), time.process_time()
        report = run(paths, tools=tools, store=store, settings=settings)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        documents = list(store.documents())
    if report.failures:
        raise SystemExit(f"failures: {report.failures}")
    body = sum(s.end - s.start for d in documents for s in d.segments)
    return cpu, seconds, report.stored, body


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def parse_cpu(tools: Tools, settings: Settings, path: Path) -> float:
    """CPU seconds of spaCy alone over the article's analysed text, in the pieces analysis uses,
    each parsed as analysis parses it (fully, or lightly past `full_parse_chars`): the floor."""
    raw = read_source(str(path), settings.ingest)[0]
    text = masked_text(clean(raw, tools.noise["fr"], tools.detector, settings.clean))
    nlp = tools.toolkit.pipelines["fr"]
    started = time.process_time()
    if len(text) <= settings.analysis.piece_chars:
        nlp(text)
    else:
        for start, end, full in long_pieces(text, settings.analysis):
            nlp(text[start:end]) if full else light_parse(nlp, text[start:end])
    return time.process_time() - started


def repeated_article(size: int) -> str:
    """The issue's reproduction: one dev article repeated to `size` characters (cleaning keeps one copy)."""
    article = (DEV / "005.txt").read_text(encoding="utf-8")
    return (article + "\n") * (size // (len(article) + 1) + 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="article sizes in characters")
    parser.add_argument("--no-floor", action="store_true", help="skip timing spaCy alone on each article")
    args = parser.parse_args()
    settings = Settings()
    tools = load_tools(settings)
    lines = paragraphs(tools, settings)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dev_cpu, dev_wall, dev_stored, dev_body = stored_run(tools, settings, [str(DEV)], folder / "dev.sqlite")
        print(f"dev corpus: {dev_stored} documents, {dev_body:,} article characters, "
              f"{dev_cpu:.1f} CPU s ({dev_wall:.1f} s wall), peak RSS {peak_mb()} MB")
        print(f"{'article':>22} {'analysed':>10} {'CPU s':>7} {'wall s':>7} {'x dev':>6} {'x dev per char':>15} "
              f"{'spaCy alone x dev':>18} {'peak RSS MB':>12}")
        verdicts = []
        articles = [(f"{size:,} distinct", size, long_article(lines, size)) for size in args.sizes]
        articles.append(("1,100,000 repeated", 1_100_000, repeated_article(1_100_000)))
        for label, size, text in articles:
            path = folder / f"long{size}.txt"
            path.write_text(text, encoding="utf-8")
            cpu, wall, stored, body = stored_run(tools, settings, [str(path)], folder / f"long{size}{label[-3:]}.sqlite")
            if stored != 1:
                raise SystemExit(f"the {label} article was not stored")
            floor = "-" if args.no_floor else f"{parse_cpu(tools, settings, path) / dev_cpu:.2f}"
            ratio = cpu / dev_cpu
            print(f"{label:>22} {body:>10,} {cpu:>7.1f} {wall:>7.1f} {ratio:>6.2f} {ratio / (body / dev_body):>15.2f} "
                  f"{floor:>18} {peak_mb():>12}")
            if size >= 1_000_000 and size < 2_000_000:
                verdicts.append(f"{label} article: {ratio:.2f}x the dev corpus (target <= {TARGET:g}x): {'met' if ratio <= TARGET else 'NOT met'}")
        print(*verdicts, sep="\n")


if __name__ == "__main__":
    main()
