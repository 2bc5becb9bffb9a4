"""The real pipeline over ../shared/corpus/seeds into a memory store: what the web and browser tests check pages against."""

from __future__ import annotations

from pathlib import Path

from recoupe.model import Document
from recoupe.pipeline import Tools, run
from recoupe.settings import Settings
from recoupe.store.memory import MemoryStore


def run_seeds(seeds_dir: Path, tools: Tools) -> MemoryStore:
    """Every seed article read, analysed and clustered, as `recoupe run` does (about a minute on 2 cores)."""
    store = MemoryStore()
    run([str(seeds_dir / "articles")], tools=tools, store=store, settings=Settings())
    return store


def seed_document(documents: tuple[Document, ...], number: str) -> Document:
    """The seed article whose file name starts with `number` ("000")."""
    return next(d for d in documents if Path(d.source).name.startswith(f"{number}_"))
