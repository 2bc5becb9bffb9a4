"""A bounded burst of requests against the web app, on loopback only: latency, errors, memory.

    python benchmarks/load_server.py --db recoupe.sqlite [--requests 2000] [--concurrency 20] [--max-seconds 120]

The server runs in this process (uvicorn on 127.0.0.1, a free port); the
requests go over real HTTP from `--concurrency` threads, rotating over the
pages and API routes of events and documents found in the store. Bounded:
at most `--requests` requests (10,000 at most) and `--max-seconds` seconds.
Prints p50/p99 latency, requests per second, the error count (any status
>= 400 or connection error) and the resident memory (RSS) of the process.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import socket
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from urllib.parse import quote

MAX_REQUESTS = 10_000
MAX_CONCURRENCY = 64
MAX_SECONDS = 600


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="the store to serve (a path, sqlite:///path or postgresql://...)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= MAX_REQUESTS or not 1 <= args.concurrency <= MAX_CONCURRENCY or not 0 < args.max_seconds <= MAX_SECONDS:
        parser.error(f"--requests in [1, {MAX_REQUESTS}], --concurrency in [1, {MAX_CONCURRENCY}], --max-seconds in (0, {MAX_SECONDS}]")

    import httpx
    import uvicorn

    from recoupe.api import open_store
    from recoupe.web.app import allowed_hosts, create_app

    store = open_store(args.db)
    results = store.results()
    paths = _paths([e.id for e in results.events][:20], [d.id for d in itertools.islice(store.documents(), 20)])
    port = _free_port()
    config = uvicorn.Config(
        create_app(store, allowed_hosts=allowed_hosts("127.0.0.1", port)), host="127.0.0.1", port=port,
        access_log=False, log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(base)

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.max_seconds
    chosen = list(itertools.islice(itertools.cycle(paths), args.requests))

    with httpx.Client(base_url=base, timeout=30.0, limits=httpx.Limits(max_connections=args.concurrency)) as client:

        def fetch(path: str) -> None:
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            try:
                status = client.get(path).status_code
                problem = f"{status} {path}" if status >= 400 else None
            except httpx.HTTPError as error:
                problem = f"{type(error).__name__} {path}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if problem:
                    errors.append(problem)

        began = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(fetch, chosen))
        wall = time.perf_counter() - began

    server.should_exit = True
    thread.join(10)
    with closing(store):
        pass
    done = len(latencies)
    quantiles = statistics.quantiles(latencies, n=100) if done >= 2 else [latencies[0]] * 99 if done else [0.0] * 99
    print(f"requests {done}/{args.requests} in {wall:.1f} s ({done / wall:.1f}/s), concurrency {args.concurrency}")
    print(f"latency p50 {quantiles[49] * 1000:.0f} ms, p99 {quantiles[98] * 1000:.0f} ms, max {max(latencies, default=0) * 1000:.0f} ms")
    print(f"errors {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"RSS {_rss_mb():.0f} MB now, {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB peak")
    return 1 if errors or done < args.requests else 0


def _paths(event_ids: list[str], document_ids: list[str]) -> list[str]:
    paths = ["/", "/api/events", "/documents", "/api/search?q=police", "/search?q=maire"]
    paths += [f"/events/{quote(i, safe='')}" for i in event_ids[:5]] + [f"/api/events/{quote(i, safe='')}" for i in event_ids[:5]]
    paths += [f"/documents/{quote(i, safe='')}" for i in document_ids[:5]]
    paths += [f"/api/documents/{quote(i, safe='')}" for i in document_ids[:5]]
    return paths


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(base: str) -> None:
    import httpx

    for _ in range(200):
        try:
            httpx.get(base + "/api/events", timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise SystemExit("the server did not start")


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    sys.exit(main())
