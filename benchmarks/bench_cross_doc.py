"""Cross-document cost per batch of 1,000 new documents as the store grows, and peak RSS.

    python benchmarks/bench_cross_doc.py --db sqlite:///big.db --templates sqlite:///run.db --sizes 10000 100000
    python benchmarks/bench_cross_doc.py --db postgresql://user@host/db --templates sqlite:///run.db --sizes 10000 100000

No NLP runs. The documents, analyses, copy links and results of a template store
(the output of `recoupe run` over a corpus; without one, the package's sample corpus)
are replicated and perturbed as `bench_scale.py` does (ids prefixed, days moved one
per replica, a few letters changed), and each replica's long words enciphered (`Replicas`). At each size the store is filled up to it,
then its copy index is written as a run would have left it: the newest
`CopySettings.max_documents` documents held, each under its template's anchors and
anchor pairs (postings capped at `max_posting`, counts kept) and band keys of its own.

Then batches of about 1,000 new documents (the next replicas, and for one in ten a
repost of a document of the batch before, a sentence added) go through what `recoupe run` does
with a batch once analysed, timed:

- copies: the copy detector over the store's index (`store.copy_index.StoredCopies`):
  each new document profiled, its candidates looked up by key, the few candidates
  read and compared, the oldest held forgotten beyond max_documents;
- save: the batch saved (documents, analyses, copy links, search index) with the
  index's update, in one transaction;
- window: what a paged events stage would read for the batch: the documents of its
  days +-20 with their analyses and event links (`Store.window`) and the records of
  every event they are linked to (`Store.records`). `recoupe run` does not page its
  events stage yet (it loads the whole store: timed as `load` up to --load-max).

The first batch at each size warms the caches and is not counted; the median of the
others is. Prints one line per size, the ratios of each size to the first, and the
peak RSS of this process (SQLite runs in it; a PostgreSQL server does not).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import re
import statistics
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import Replicator, _templates, fill, rss_mib  # noqa: E402

from recoupe.copies import CopyDetector, _anchor_pairs, calendar_anchors, wire_agencies  # noqa: E402
from recoupe.lang import load_language, supported_languages  # noqa: E402
from recoupe.model import CopyEntry, CopyIndexUpdate, Document, DocumentBatch, Segment, SegmentKind  # noqa: E402
from recoupe.settings import Settings  # noqa: E402
from recoupe.store import Store, open_store  # noqa: E402
from recoupe.store.copy_index import fingerprint, open_copies  # noqa: E402

BATCH = 1000
ASCII_WORD = re.compile(r"[A-Za-z]{4,}")
WINDOW_DAYS = 20
REPOST = " Les secours restent mobilisés toute la nuit, selon un dernier point."


class Replicas(Replicator):
    """Replicas whose words of four letters and more are enciphered, one letter substitution per
    replica (same lengths: every span stays valid): a replica's copy links stay copies, but two
    replicas share no wording, as two days' news would not (bench_scale's replicas differ by a
    few letters, so every replica would be a copy of every other)."""

    def replica(self, r: int):
        documents, analyses, copies = super().replica(r)
        rng = random.Random(r)
        letters = list(string.ascii_lowercase)
        rng.shuffle(letters)
        table = str.maketrans(string.ascii_letters, "".join(letters) + "".join(letters).upper())
        enciphered = [dataclasses.replace(d, text=ASCII_WORD.sub(lambda m: m.group().translate(table), d.text)) for d in documents]
        return enciphered, analyses, copies


def detector_of(settings: Settings) -> CopyDetector:
    languages = [load_language(code) for code in supported_languages()]
    return CopyDetector(settings.copies, wire_agencies(languages), calendar=calendar_anchors(languages))


def write_index(store: Store, rep: Replicator, detector: CopyDetector, replicas: int) -> int:
    """The index a run would hold over replicas [0, replicas): the newest max_documents held."""
    settings = detector.settings
    templates = [rep.codec.from_data(Document, data) for data in rep.documents]
    profiles = {t.id: detector.profile(t, 0) for t in templates}
    per = len(templates)
    total = replicas * per
    first = max(0, total - settings.max_documents)
    postings: dict[int, int] = {}
    added: list[CopyEntry] = []
    seen = store.counts().documents  # reposts of earlier timed batches are seen, not held
    store.save_batch(DocumentBatch((), copy_index=CopyIndexUpdate(fingerprint=fingerprint(detector), reset=True)))
    for arrival in range(first, total):
        r, position = divmod(arrival, per)
        template = templates[position]
        profile = profiles[template.id]
        if profile.words < settings.min_words:
            continue
        pairs = []
        for pair in set(_anchor_pairs(profile.anchors)):
            if postings.get(pair, 0) < settings.max_posting:
                postings[pair] = postings.get(pair, 0) + 1
                pairs.append(pair)
        added.append(CopyEntry(
            f"r{r}-{template.id}", arrival, None, tuple(rep.band_keys(r, template.id)), tuple(pairs), tuple(dict.fromkeys(profile.anchors)),
        ))
        if len(added) >= 5000 or arrival == total - 1:
            update = CopyIndexUpdate(tuple(added), seen=seen, arrivals=total, fingerprint=fingerprint(detector))
            store.save_batch(DocumentBatch((), copy_index=update))
            added = []
    if added:
        store.save_batch(DocumentBatch((), copy_index=CopyIndexUpdate(tuple(added), seen=seen, arrivals=total, fingerprint=fingerprint(detector))))
    return total


def new_batch(rep: Replicator, first_replica: int, previous: list[Document], rng: random.Random):
    """About 1,000 new documents: whole replicas, and reposts of documents of `previous` (a
    sentence added) for about one in ten."""
    documents, analyses = [], []
    r = first_replica
    share = 0.9 if previous else 1.0
    while len(documents) < BATCH * share:
        docs, found, _ = rep.replica(r)
        documents += docs
        analyses += found
        r += 1
    for i in range(BATCH - len(documents) if previous else 0):
        source = rng.choice(previous)
        text = source.text + REPOST
        key = f"repost-{r}-{i}"
        documents.append(Document(
            id=key, content_hash=key, source=f"{key}.txt", text=text, format=source.format,
            segments=(*source.segments, Segment(len(source.text), len(text), SegmentKind.BODY)),
            published=source.published, language=source.language, title=source.title, outlet=source.outlet,
        ))
    return documents, analyses, r


def timed_batch(store: Store, detector: CopyDetector, documents: list[Document], analyses) -> dict[str, float]:
    out: dict[str, float] = {}
    began_cpu = time.process_time()
    began = time.perf_counter()
    index = open_copies(store, detector)
    links = detector.add(documents)
    index.given(len(documents))
    out["copies"] = time.perf_counter() - began
    began = time.perf_counter()
    store.save_batch(DocumentBatch(tuple(documents), tuple(analyses), tuple(links), copy_index=index.update()))
    index.saved()
    out["save"] = time.perf_counter() - began
    began = time.perf_counter()
    days = [d.published.date for d in documents if d.published is not None and d.published.day is not None]
    window_documents = events = 0
    if days:
        window = store.window(min(days) - dt.timedelta(days=WINDOW_DAYS), max(days) + dt.timedelta(days=WINDOW_DAYS))
        window_documents = len(window.documents)
        linked = sorted({link.event_id for link in window.results.event_links})
        events = len(linked)
        for i in range(0, len(linked), 50):
            store.records(event_ids=linked[i : i + 50])
    out["window"] = time.perf_counter() - began
    out["total"] = out["copies"] + out["save"] + out["window"]
    out["cpu"] = time.process_time() - began_cpu
    out["links"] = float(len(links))
    out["window_documents"] = float(window_documents)
    out["events"] = float(events)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", required=True, help="an empty store to fill (sqlite:///path or postgresql://…)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--templates", help="a store from `recoupe run` to replicate (default: the sample corpus)")
    parser.add_argument("--batches", type=int, default=4, help="batches of 1,000 per size, the first not counted")
    parser.add_argument("--load-max", type=int, default=10_000, help="time store.load() up to this many documents")
    args = parser.parse_args(argv)
    rep = Replicas(_templates(args.templates))
    per = len(rep.documents)
    store = open_store(args.db)
    if store.counts().documents:
        raise SystemExit(f"{args.db} is not empty: the benchmark fills a store of its own")
    detector = detector_of(Settings())
    rng = random.Random(5)
    rows = []
    replicas = 0
    print(f"templates: {per} documents per replica; max_documents {detector.settings.max_documents}", flush=True)
    for size in sorted(args.sizes):
        target = max(replicas, -(-size // per))
        began = time.perf_counter()
        fill(store, rep, replicas, target)
        write_index(store, rep, detector, target)
        filled = time.perf_counter() - began
        replicas = target
        previous: list[Document] = []
        measured = []
        for _ in range(args.batches):
            documents, analyses, replicas = new_batch(rep, replicas, previous, rng)
            measured.append(timed_batch(store, detector, documents, analyses))
            previous = [d for d in documents if not d.id.startswith("repost-")]
        counted = measured[1:] or measured
        load = None
        documents = store.counts().documents
        if documents <= args.load_max:
            began_load = time.perf_counter()
            store.load()
            load = time.perf_counter() - began_load
        row = {"documents": documents, "fill_s": filled, "load_s": load, "rss_mib": rss_mib()}
        for key in ("total", "copies", "save", "window", "cpu", "links", "window_documents", "events"):
            row[f"batch_{key}"] = statistics.median(m[key] for m in counted)
        rows.append(row)
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}), flush=True)
    store.close()
    if len(rows) > 1:
        first = rows[0]
        for row in rows[1:]:
            print(f"ratios {row['documents']:,} / {first['documents']:,} documents (time per batch of {BATCH:,}):")
            for key in ("batch_total", "batch_cpu", "batch_copies", "batch_save", "batch_window"):
                if first[key]:
                    print(f"  {key}: {row[key] / first[key]:.2f}")
    print(f"peak RSS: {rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
