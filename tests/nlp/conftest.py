from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp_fr():
    """fr_core_news_md, loaded once per test session (integration tests only)."""
    from recoupe.lang import load_language
    from recoupe.nlp import load_pipeline

    return load_pipeline(load_language("fr"))
