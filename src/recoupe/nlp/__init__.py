"""The only place a spaCy model is loaded; callers load once and pass `nlp` down."""

from __future__ import annotations

import spacy
from spacy.language import Language

from recoupe.errors import ConfigError
from recoupe.lang import LanguageResources
from recoupe.nlp.components import JOIN_MARKS, LINE_STARTS


def load_pipeline(resources: LanguageResources) -> Language:
    """Load the language's model, installed as a package (never downloaded at run time).

    A language whose meta.yaml names no model but `blank: CODE` gets a blank
    pipeline with a sentencizer: no tagger, parser or NER, so stages fall back
    to their rule-based paths for it. Either way a line break starts a
    sentence (`components.mark_line_starts`), set before the parser or
    sentencizer, which both keep boundaries already set; after the parser,
    punctuation it left alone joins its sentence (`components.join_lone_marks`).
    """
    name = resources.meta.model
    if not name:
        blank = resources.meta.blank
        if not blank:
            raise ConfigError(f"lang/{resources.code}/meta.yaml names no spaCy model and no blank language")
        nlp = spacy.blank(blank)
        nlp.add_pipe(LINE_STARTS)
        nlp.add_pipe("sentencizer")
        return nlp
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {name!r} for {resources.code!r} is not installed: pip install the project"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_STARTS, before="parser")
        nlp.add_pipe(JOIN_MARKS, after="parser")
    return nlp


def load_pipelines(languages: dict[str, LanguageResources]) -> dict[str, Language]:
    """One pipeline per language, loaded once at the edge (CLI, web, tests)."""
    return {code: load_pipeline(resources) for code, resources in languages.items()}
