"""The bounded load script (benchmarks/load_server.py) against a tiny SQLite store: a small burst
over loopback, every request answered (no error, no timeout); latency is printed, not judged."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from recoupe.model import DocumentBatch
from recoupe.store import open_store

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "load_server.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("_recoupe_load_server", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_load_script_small_burst_has_no_errors(sample, tmp_path, capsys):
    db = tmp_path / "tiny.sqlite"
    store = open_store(str(db))
    store.save_batch(DocumentBatch(sample.documents, sample.analyses, sample.copies))
    store.save_results(sample.results)
    store.close()
    status = _load_script().main(["--db", str(db), "--requests", "300", "--concurrency", "20", "--max-seconds", "300"])
    out = capsys.readouterr().out
    assert re.search(r"^requests 300/300 ", out, re.M), out
    assert re.search(r"^errors 0$", out, re.M), out
    assert re.search(r"^latency p50 \d+ ms, p99 \d+ ms", out, re.M) and re.search(r"^RSS \d+ MB", out, re.M), out
    assert status == 0
