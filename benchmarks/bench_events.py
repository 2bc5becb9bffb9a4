"""Incremental event clustering at scale: time per batch of 1,000 units as the store grows.

Synthetic documents replicate the shape of the real corpora: names and words are
drawn from the seeds and dev texts (../shared/corpus, when present), each
synthetic event has its own names, words and day, and its reports are perturbed
samples of them published over the next days. Analyses are built directly (no
spaCy): a mention per sampled name. The time per batch must stay roughly flat:
candidates come from capped postings, so a unit never meets the whole store.

    python benchmarks/bench_events.py                 # 100,000 units in batches of 1,000
    python benchmarks/bench_events.py --units 20000

Quality is `recoupe eval` (seeds; dev and dev2 across corpora, in arrival orders too).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import datetime as dt
import random
import re
import time
from pathlib import Path

from recoupe.evaluate.events import bcubed
from recoupe.events import EventClusterer
from recoupe.lang import load_language
from recoupe.model import Analysis, Document, EntityType, EventRole, Mention, PartialDate, Segment, SegmentKind, SourceFormat, Span
from recoupe.settings import EventSettings

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
NAME = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]{3,}\b")
WORD = re.compile(r"\b[a-zà-ÿ]{5,}\b")


def vocabulary(rng: random.Random) -> tuple[list[str], list[str]]:
    """Capitalised names and lower-case words of the real corpora, or made-up ones without them."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*/articles/*.txt"))]
    names = sorted({n for t in texts for n in NAME.findall(t)})
    words = sorted({w for t in texts for w in WORD.findall(t)})
    if len(names) < 500:
        names = ["".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3)).title() for _ in range(3000)]
        words = ["".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4)) for _ in range(8000)]
    return names, words


@dataclasses.dataclass
class SyntheticEvent:
    label: int
    day: dt.date
    names: list[str]
    words: list[str]


def make_unit(number: int, event: SyntheticEvent, rng: random.Random, names: list[str], words: list[str]) -> tuple[Document, Analysis]:
    """One report: a perturbed sample of its event's names and words, plus noise, published 0-2 days later."""
    own_names = rng.sample(event.names, 4) + rng.sample(names, 1)
    own_words = rng.sample(event.words, 18) + rng.sample(words, 8)
    rng.shuffle(own_words)
    pieces = own_names[:2] + own_words[:10] + own_names[2:] + own_words[10:]
    title = " ".join(pieces[:8])
    body = " ".join(pieces[8:]) + "."
    text = title + "\n\n" + body
    doc_id = f"d{number}"
    mentions = []
    for name in own_names:
        start = text.find(name)
        mentions.append(Mention(Span(doc_id, start, start + len(name)), name, EntityType.PERSON, name.lower()))
    day = event.day + dt.timedelta(days=rng.choice((0, 0, 1, 2)))
    segments = (Segment(0, len(title), SegmentKind.TITLE), Segment(len(title) + 2, len(text), SegmentKind.BODY))
    document = Document(doc_id, doc_id, f"{doc_id}.txt", text, SourceFormat.TEXT, segments, published=PartialDate(day.year, day.month, day.day), language="fr")
    return document, Analysis(doc_id, mentions=tuple(mentions))


def stream(total: int, rng: random.Random):
    """Units in arrival order: about 40 new events a day, each reported 2 to 20 times."""
    names, words = vocabulary(rng)
    day, label, live, made = dt.date(2022, 1, 1), 0, [], 0
    while made < total:
        for _ in range(40):
            live.append((SyntheticEvent(label, day, rng.sample(names, 8), rng.sample(words, 40)), rng.randint(2, 20)))
            label += 1
        for index, (event, left) in enumerate(live):
            for _ in range(min(left, rng.randint(1, 4))):
                if made < total:
                    yield event.label, make_unit(made, event, rng, names, words)
                    made += 1
                    left -= 1
            live[index] = (event, left)
        live = [(e, n) for e, n in live if n > 0 and (day - e.day).days < 3]
        day += dt.timedelta(days=1)


def bench(total: int, batch: int, seed: int) -> None:
    rng = random.Random(seed)
    resources = {code: load_language(code) for code in ("fr", "en")}
    clusterer = EventClusterer(EventSettings(), resources)
    gold: dict[str, int] = {}
    predicted: dict[str, str] = {}
    pending: list[tuple[Document, Analysis]] = []
    print(f"{'units':>8} {'events':>8} {'wall ms':>8} {'cpu ms':>8} {'cpu µs/unit':>12}")
    first = None
    for label, (document, analysis) in stream(total, rng):
        gold[document.id] = label
        pending.append((document, analysis))
        if len(pending) == batch:
            started, cpu = time.perf_counter(), time.process_time()
            links = clusterer.add([d for d, _ in pending], [a for _, a in pending])
            wall, elapsed = time.perf_counter() - started, time.process_time() - cpu
            predicted.update({l.document_id: l.event_id for l in links if l.role is EventRole.MAIN})
            # The store grows to millions of small objects the cyclic GC would rescan at
            # every full collection; freezing them measures the clustering, not the GC.
            gc.freeze()
            if len(gold) == 10 * batch:
                first = elapsed  # postings fill during the first batches; flat from here
            if len(gold) % (batch * 10) == 0 or len(gold) == batch:
                print(f"{len(gold):>8} {len({l.event_id for l in links}):>8} {wall * 1000:>8.0f} {elapsed * 1000:>8.0f} {elapsed / batch * 1e6:>12.0f}")
            pending = []
    precision, recall = bcubed(predicted, {k: str(v) for k, v in gold.items() if k in predicted})
    growth = f"last/10th batch CPU time: {elapsed / first:.2f}; " if first else ""
    print(f"{growth}synthetic B-cubed P {precision:.3f} R {recall:.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    bench(arguments.units, arguments.batch, arguments.seed)
