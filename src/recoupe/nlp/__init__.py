"""The only place a spaCy model is loaded; callers load once and pass `nlp` down."""

from __future__ import annotations

import hashlib
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import is_compatible_version

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
    check_model(nlp, resources)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_STARTS, before="parser")
        nlp.add_pipe(JOIN_MARKS, after="parser")
    return nlp


def check_model(nlp: Language, resources: LanguageResources) -> None:
    """The installed model is the one `meta.yaml` pins: language, name, version, spaCy range, data digest.

    A model installed from a re-upload (English: not published on PyPI by its
    authors) must be byte for byte the one checked when it was pinned."""
    meta, pinned = nlp.meta, resources.meta
    where = f"lang/{resources.code}/meta.yaml"
    problems = []
    if meta.get("lang") != resources.code or f"{meta.get('lang')}_{meta.get('name')}" != pinned.model:
        problems.append(f"it is {meta.get('lang')}_{meta.get('name')}, not {pinned.model}")
    if pinned.model_version and meta.get("version") != pinned.model_version:
        problems.append(f"version {meta.get('version')}, not {pinned.model_version}")
    if not is_compatible_version(spacy.about.__version__, meta.get("spacy_version", "")):
        problems.append(f"it needs spaCy {meta.get('spacy_version')}, not {spacy.about.__version__}")
    if pinned.model_sha256 and (nlp.path is None or folder_digest(Path(nlp.path)) != pinned.model_sha256):
        problems.append("its data differs from the pinned sha256")
    if problems:
        raise ConfigError(f"{where}: the installed spaCy model {pinned.model!r} is not the pinned one: {'; '.join(problems)}")


def folder_digest(folder: Path) -> str:
    """sha256 over every file of a model's data folder (relative path, then bytes), in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_pipelines(languages: dict[str, LanguageResources]) -> dict[str, Language]:
    """One pipeline per language, loaded once at the edge (CLI, web, tests)."""
    return {code: load_pipeline(resources) for code, resources in languages.items()}
