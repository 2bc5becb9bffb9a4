"""Paged reads at scale: a batch's cross-document working set, peak RSS and web latency as the store grows.

    python benchmarks/bench_scale.py --db sqlite:///big.db --sizes 10000 100000 [--templates sqlite:///run.db]
    python benchmarks/bench_scale.py --db postgresql://user@host/db --sizes 10000 100000 1000000

The store is synthetic and no NLP runs: the documents, analyses, copy links and
results of a template store (the output of `recoupe run` over a corpus, e.g.
../shared/corpus/dev2; without one, the package's sample corpus) are replicated.
Replica r of a record gets every id prefixed with "r<r>-", every stated day moved
onto one week starting r days after 2000-01-01 (the template's days squeezed in
order, so a day holds about one replica's worth of documents), and a few letters of each text changed (same length, so every span
stays valid). Replicas are no copies of each other: each document gets 16 LSH band
keys of its own, shared only with the documents its template is linked to by a
copy link (as the copy detector's MinHash bands would be). The store grows from
one size to the next on the same database; at each size:

- fill: seconds to save the new documents in batches of 1,000 (`save_batch`, with the
  search index), and to save the results of the whole store (`save_results`: the
  cross-document results are still replaced as a whole, so this grows with the store).
- batch: for 1,000 documents among the newest, the reads a paged cross-document
  driver makes: copy candidates by band keys (`copy_matches`), the batch's days ±3
  (`window`), and the records of every event the batch reports (`records`: entity
  linking and contradictions per event). `recoupe run` does not page yet: it still
  calls `store.load()` before deriving, timed too up to --load-max documents.
- web: p50/p99 of the events list (random pages and filters), an event page (random
  events) and a search (random words of the titles), each request distinct so no
  memoised body answers it; in process (ASGI TestClient), no network.
- peak RSS of this process.

Wall times count waiting for a busy machine; CPU times (this process only: SQLite
runs in it, a PostgreSQL server does not) are printed beside them.

Prints one line per size and the ratios of the largest size to the smallest.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import re
import resource
import statistics
import sys
import time
import zlib
from typing import Any

from recoupe.codec import Codec
from recoupe.model import Analysis, Corpus, CorpusResults, CopyEntry, CopyIndexUpdate, CopyLink, Document, DocumentBatch
from recoupe.store import Store, open_store
from recoupe.store.listing import KEY_MASK

BATCH = 1000
BANDS = 16
WINDOW_DAYS = 3
BASE = dt.date(2000, 1, 1)
SQUEEZED_DAYS = 7
MAX_OFFSET = 3650
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Replicator:
    """Records of the template store, replica by replica, as JSON data (the codec's form)."""

    def __init__(self, corpus: Corpus, seed: int = 7) -> None:
        codec = Codec()
        self.codec = codec
        self.documents = [codec.to_data(d) for d in corpus.documents]
        self.analyses = {a.document_id: codec.to_data(a) for a in corpus.analyses}
        self.copies = [codec.to_data(c) for c in corpus.copies]
        self.results = codec.to_data(dataclasses.replace(corpus.results, documents=0))
        results = corpus.results
        self.ids = {d.id for d in corpus.documents} | {c.id for a in corpus.analyses for c in a.claims}
        self.ids |= {e.id for e in results.events} | {p.id for p in results.propositions}
        self.ids |= {e.id for e in results.entities} | {d.id for d in results.dispatches}
        self.rng = random.Random(seed)
        days = [d.published.date for d in corpus.documents if d.published is not None and d.published.day is not None]
        self.first_day = min(days, default=BASE)
        self.span = max(1, (max(days, default=BASE) - self.first_day).days)
        self.template_days = {
            d.id: self._day_offset(d.published.date) for d in corpus.documents if d.published is not None and d.published.day is not None
        }
        partners: dict[str, set[str]] = {}
        for link in corpus.copies:
            partners.setdefault(link.copy, set()).add(link.original)
            partners.setdefault(link.original, set()).add(link.copy)
        self.partners = partners

    def _day_offset(self, day: dt.date) -> int:
        offset = (day - self.first_day).days * SQUEEZED_DAYS // self.span
        return max(-MAX_OFFSET, min(MAX_OFFSET, offset))

    def day(self, day: dt.date, replica: int) -> dt.date:
        return BASE + dt.timedelta(days=replica + self._day_offset(day))

    def published(self, replica: int, template_id: str) -> dt.date | None:
        offset = self.template_days.get(template_id)
        return None if offset is None else BASE + dt.timedelta(days=replica + offset)

    def _map(self, value: Any, prefix: str, days: int) -> Any:
        if isinstance(value, str):
            if value in self.ids:
                return prefix + value
            if ISO_DAY.match(value):
                return self.day(dt.date.fromisoformat(value), days).isoformat()
            return value
        if isinstance(value, list):
            return [self._map(v, prefix, days) for v in value]
        if isinstance(value, dict):
            if set(value) == {"year", "month", "day"} and value["day"] is not None:
                day = self.day(dt.date(value["year"], value["month"], value["day"]), days)
                return {"year": day.year, "month": day.month, "day": day.day}
            return {k: self._map(v, prefix, days) for k, v in value.items()}
        return value

    def _perturb(self, text: str) -> str:
        chars = list(text)
        for _ in range(max(1, len(chars) // 400)):
            i = self.rng.randrange(len(chars)) if chars else 0
            if chars and chars[i].isalpha():
                chars[i] = self.rng.choice(LETTERS)
        return "".join(chars)

    def replica(self, r: int) -> tuple[list[Document], list[Analysis], list[CopyLink]]:
        prefix, days = f"r{r}-", r
        documents, analyses = [], []
        for data in self.documents:
            mapped = self._map(data, prefix, days)
            mapped["text"] = self._perturb(mapped["text"])
            mapped["content_hash"] = prefix + mapped["content_hash"]
            documents.append(self.codec.from_data(Document, mapped))
            if data["id"] in self.analyses:
                analyses.append(self.codec.from_data(Analysis, self._map(self.analyses[data["id"]], prefix, days)))
        copies = [self.codec.from_data(CopyLink, self._map(c, prefix, days)) for c in self.copies]
        return documents, analyses, copies

    def replica_results(self, r: int) -> dict[str, Any]:
        return self._map(self.results, f"r{r}-", r)

    def band_keys(self, r: int, template_id: str) -> list[int]:
        """12 keys of its own and 4 shared with its copy partners of the same replica (see the module text)."""
        own = [zlib.crc32(f"{r}/{template_id}/{b}".encode()) << 20 | b for b in range(BANDS - 4)]
        group = min({template_id} | self.partners.get(template_id, set()))
        shared = [zlib.crc32(f"{r}/{group}/shared/{b}".encode()) << 20 | b for b in range(4)]
        return [k & KEY_MASK for k in own + shared]


def fill(store: Store, rep: Replicator, start: int, end: int) -> tuple[float, float]:
    """Replicas [start, end) saved in batches of about 1,000 documents, then the whole results; seconds each."""
    began = time.perf_counter()
    pending: tuple[list, list, list, list] = ([], [], [], [])
    arrival = start * len(rep.documents)
    for r in range(start, end):
        documents, analyses, copies = rep.replica(r)
        pending[0].extend(documents)
        pending[1].extend(analyses)
        pending[2].extend(copies)
        for template in rep.documents:
            pending[3].append(CopyEntry(f"r{r}-{template['id']}", arrival, bands=tuple(rep.band_keys(r, template["id"]))))
            arrival += 1
        if len(pending[0]) >= BATCH or r == end - 1:
            index = CopyIndexUpdate(added=tuple(pending[3]), seen=arrival, arrivals=arrival)
            store.save_batch(DocumentBatch(tuple(pending[0]), tuple(pending[1]), tuple(pending[2]), copy_index=index))
            pending = ([], [], [], [])
    saved = time.perf_counter() - began
    began = time.perf_counter()
    store.save_results(whole_results(rep, end))
    return saved, time.perf_counter() - began


def whole_results(rep: Replicator, replicas: int) -> CorpusResults:
    merged: dict[str, list] = {}
    for r in range(replicas):
        for name, values in rep.replica_results(r).items():
            if isinstance(values, list):
                merged.setdefault(name, []).extend(values)
    merged["documents"] = replicas * len(rep.documents)
    return rep.codec.from_data(CorpusResults, merged)


def batch_reads(store: Store, rep: Replicator, replicas: int, rng: random.Random) -> dict[str, float]:
    """Seconds for the reads a paged driver makes for 1,000 of the newest documents."""
    per = len(rep.documents)
    chosen = list(range(max(0, replicas - max(1, BATCH // per) - 1), replicas))
    ids = [f"r{r}-{d['id']}" for r in chosen for d in rep.documents][:BATCH]
    out = {"documents": float(len(ids))}
    began_cpu = time.process_time()
    began = time.perf_counter()
    candidates = 0
    for document_id in ids:
        r, template = document_id[1:].split("-", 1)
        candidates += len(store.copy_matches("", rep.band_keys(int(r), template), ()).banded)
    out["copies"] = time.perf_counter() - began
    began = time.perf_counter()
    days = [day for i in ids if (day := rep.published(int(i[1:].split("-", 1)[0]), i.split("-", 1)[1])) is not None]
    window = store.window(min(days) - dt.timedelta(days=WINDOW_DAYS), max(days) + dt.timedelta(days=WINDOW_DAYS)) if days else Corpus(())
    out["window"] = time.perf_counter() - began
    out["window_documents"] = float(len(window.documents))
    began = time.perf_counter()
    events = {link.event_id for link in window.results.event_links if link.document_id in set(ids)}
    claims = 0
    for event_id in sorted(events):
        records = store.records(event_ids=[event_id])
        claims += sum(len(a.claims) for a in records.analyses)
    out["events"] = time.perf_counter() - began
    out["events_count"] = float(len(events))
    out["total"] = out["copies"] + out["window"] + out["events"]
    out["cpu"] = time.process_time() - began_cpu
    return out


def web_latency(store: Store, requests: int, rng: random.Random) -> dict[str, tuple[float, float]]:
    from fastapi.testclient import TestClient

    from recoupe.web.app import create_app

    client = TestClient(create_app(store))
    counts = store.counts()
    sample = store.list_events(_query(limit=200)).events
    words = sorted({w for s in sample for w in re.findall(r"[^\W\d_]{5,}", s.event.title)}) or ["guerre"]
    filters = ["", "place=a", "q=e", "date_from=2020-01-01", "source=fr"]
    timings: dict[str, list[float]] = {"events list": [], "event page": [], "search": []}
    cpu: dict[str, list[float]] = {name: [] for name in timings}
    event_ids = [s.event.id for s in sample]
    for i in range(requests):
        offset = rng.randrange(0, max(1, counts.events - 50))
        paths = {
            "events list": f"/?offset={offset}&{filters[i % len(filters)]}",
            "event page": f"/events/{_random_event(store, rng, counts.events, event_ids)}",
            "search": f"/search?q={rng.choice(words)}%20{rng.choice(words)}" if i % 2 else f"/search?q={rng.choice(words)}",
        }
        for name, path in paths.items():
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            timings[name].append(time.perf_counter() - began)
            cpu[name].append(time.process_time() - began_cpu)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
    return {name: (statistics.median(values), _p99(values), _p99(cpu[name])) for name, values in timings.items()}


def _random_event(store: Store, rng: random.Random, total: int, fallback: list[str]) -> str:
    listing = store.list_events(_query(offset=rng.randrange(0, max(1, total)), limit=1))
    return listing.events[0].event.id if listing.events else rng.choice(fallback)


def _query(**values):
    from recoupe.model import EventQuery

    return EventQuery(**values)


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def _templates(url: str | None) -> Corpus:
    if not url:
        from recoupe.store.sample import sample_corpus

        return sample_corpus()
    store = open_store(url)
    try:
        return store.load()
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", required=True, help="an empty store to fill (sqlite:///path or postgresql://…)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--templates", help="a store from `recoupe run` to replicate (default: the sample corpus)")
    parser.add_argument("--requests", type=int, default=200, help="requests per page kind and size")
    parser.add_argument("--load-max", type=int, default=20_000, help="time store.load() up to this many documents")
    args = parser.parse_args(argv)
    rep = Replicator(_templates(args.templates))
    per = len(rep.documents)
    store = open_store(args.db)
    if store.counts().documents:
        raise SystemExit(f"{args.db} is not empty: the benchmark fills a store of its own")
    rng = random.Random(11)
    rows = []
    replicas = 0
    print(f"templates: {per} documents, {len(rep.results['events'])} events per replica", flush=True)
    for size in sorted(args.sizes):
        target = -(-size // per)
        saved, results = fill(store, rep, replicas, target)
        replicas = target
        counts = store.counts()
        reads = batch_reads(store, rep, replicas, rng)
        load = None
        if counts.documents <= args.load_max:
            began = time.perf_counter()
            store.load()
            load = time.perf_counter() - began
        web = web_latency(store, args.requests, rng)
        row = {
            "documents": counts.documents, "events": counts.events, "fill_s": saved, "save_results_s": results,
            "batch_s": reads["total"], "copies_s": reads["copies"], "window_s": reads["window"], "events_s": reads["events"],
            "window_documents": reads["window_documents"], "batch_events": reads["events_count"], "load_s": load,
            "rss_mib": rss_mib(), **{f"{name} p50_ms": p50 * 1000 for name, (p50, _, _) in web.items()},
            **{f"{name} p99_ms": p99 * 1000 for name, (_, p99, _) in web.items()},
            **{f"{name} cpu_p99_ms": cpu * 1000 for name, (_, _, cpu) in web.items()},
            "batch_cpu_s": reads["cpu"],
        }
        rows.append(row)
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}, ensure_ascii=False), flush=True)
    store.close()
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(f"ratios {last['documents']:,} / {first['documents']:,} documents:")
        for key in ("batch_s", "batch_cpu_s", "copies_s", "window_s", "events_s", "save_results_s", "events list p99_ms", "event page p99_ms", "search p99_ms", "events list cpu_p99_ms", "event page cpu_p99_ms", "search cpu_p99_ms"):
            if first[key]:
                print(f"  {key}: {last[key] / first[key]:.2f}")
    print(f"peak RSS: {rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
