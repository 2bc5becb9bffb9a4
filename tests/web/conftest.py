"""Fixtures for the web app: the report's hand-made corpus in a memory store."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from recoupe.model import Corpus, DocumentBatch
from recoupe.store.memory import MemoryStore


def _sample_corpus() -> Corpus:
    path = Path(__file__).parents[1] / "report" / "sample_corpus.py"
    spec = importlib.util.spec_from_file_location("_recoupe_report_sample_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_sample_corpus()


def filled_store(corpus: Corpus) -> MemoryStore:
    store = MemoryStore()
    store.save_batch(DocumentBatch(corpus.documents, corpus.analyses, corpus.copies))
    store.save_results(corpus.results)
    return store


@pytest.fixture(scope="session")
def sample() -> Corpus:
    return _sample_corpus()


@pytest.fixture
def store(sample) -> MemoryStore:
    return filled_store(sample)
