"""Per-language resources as data: one folder per language, the same files in each.

A rule is written once, in its stage; a language supplies words and patterns.
`load_language("fr")` reads `lang/fr/`: every `NAME.txt` (one entry a line, `#`
comments) becomes a tuple field `NAME`, every `NAME.yaml` a mapping field `NAME`.
A second language adds a folder, not code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from recoupe.errors import ConfigError, UnsupportedLanguageError

LANG_DIR = Path(__file__).parent


@dataclass(frozen=True, slots=True)
class LanguageResources:
    code: str
    meta: dict[str, Any] = field(default_factory=dict)  # meta.yaml: model name, display name
    noise: dict[str, Any] = field(default_factory=dict)  # boilerplate line patterns, end markers, live-blog times
    numbers: dict[str, Any] = field(default_factory=dict)  # number words, multipliers, separators
    relative_dates: dict[str, Any] = field(default_factory=dict)  # weekdays, months, offsets, date patterns
    figures: dict[str, Any] = field(default_factory=dict)  # counted nouns -> category, qualifiers, units
    hedges: dict[str, Any] = field(default_factory=dict)  # attribution, unverified, lexical cues
    event_types: dict[str, Any] = field(default_factory=dict)  # ACLED type -> sub-type -> cue words
    event_cues: dict[str, Any] = field(default_factory=dict)  # weekdays, reporting media
    event_stopwords: tuple[str, ...] = ()  # words that never tell events apart
    transliteration: dict[str, Any] = field(default_factory=dict)  # Cyrillic tables per convention, name-key folds
    entity_fixes: dict[str, Any] = field(default_factory=dict)  # NER repairs: titles, non-entities, org heads
    place_context: dict[str, Any] = field(default_factory=dict)  # region words, demonyms, country names, regions
    reporting_verbs: dict[str, Any] = field(default_factory=dict)  # verb lemma -> stance, blockers, negations
    speakers: dict[str, Any] = field(default_factory=dict)  # attribution cues, naming verbs, pronouns, speaker kinds
    quote_marks: dict[str, Any] = field(default_factory=dict)  # opening -> closing quotation mark
    claim_hedges: tuple[str, ...] = ()  # words that hedge a claim besides the conditional mood
    contradiction_frames: dict[str, Any] = field(default_factory=dict)  # control / repelled / ... patterns, conflicts
    agencies: dict[str, Any] = field(default_factory=dict)  # wire agencies -> patterns showing a text carries their dispatch
    search: dict[str, Any] = field(default_factory=dict)  # full-text search: the Snowball stemmer's name


def supported_languages() -> list[str]:
    return sorted(p.name for p in LANG_DIR.iterdir() if p.is_dir() and (p / "meta.yaml").exists())


def load_language(code: str) -> LanguageResources:
    """Read every resource file of one language; an unknown code lists the supported ones."""
    folder = LANG_DIR / code
    if code not in supported_languages():
        raise UnsupportedLanguageError(code, supported_languages())
    known = {f.name for f in fields(LanguageResources)} - {"code"}
    values: dict[str, Any] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in {".txt", ".yaml"}:
            continue
        if path.stem not in known:
            raise ConfigError(f"{path}: no LanguageResources field named {path.stem!r}")
        values[path.stem] = _read_list(path) if path.suffix == ".txt" else _read_yaml(path)
    return LanguageResources(code=code, **values)


def _read_list(path: Path) -> tuple[str, ...]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line)


def _read_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data
