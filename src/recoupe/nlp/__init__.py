"""The only place a spaCy model is loaded; callers load once and pass `nlp` down."""

from __future__ import annotations

import spacy
from spacy.language import Language

from recoupe.errors import ConfigError
from recoupe.lang import LanguageResources


def load_pipeline(resources: LanguageResources) -> Language:
    """Load the language's model, installed as a package (never downloaded at run time)."""
    name = resources.meta.get("model")
    if not name:
        raise ConfigError(f"lang/{resources.code}/meta.yaml names no spaCy model")
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {name!r} for {resources.code!r} is not installed: pip install the project"
        ) from exc
