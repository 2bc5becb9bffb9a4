"""The only place a spaCy model is loaded; callers load once and pass `nlp` down."""

from __future__ import annotations

import spacy
from spacy.language import Language

from recoupe.errors import ConfigError
from recoupe.lang import LanguageResources


def load_pipeline(resources: LanguageResources) -> Language:
    """Load the language's model, installed as a package (never downloaded at run time).

    A language whose meta.yaml names no model but `blank: CODE` gets a blank
    pipeline with a sentencizer: no tagger, parser or NER, so stages fall back
    to their rule-based paths for it.
    """
    name = resources.meta.get("model")
    if not name:
        blank = resources.meta.get("blank")
        if not blank:
            raise ConfigError(f"lang/{resources.code}/meta.yaml names no spaCy model and no blank language")
        nlp = spacy.blank(blank)
        nlp.add_pipe("sentencizer")
        return nlp
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {name!r} for {resources.code!r} is not installed: pip install the project"
        ) from exc


def load_pipelines(languages: dict[str, LanguageResources]) -> dict[str, Language]:
    """One pipeline per language, loaded once at the edge (CLI, web, tests)."""
    return {code: load_pipeline(resources) for code, resources in languages.items()}
