"""Per-language resources as data: one folder per language, the same files in each.

A rule is written once, in its stage; a language supplies words and patterns.
`load_language("fr")` reads `lang/fr/` and `lang/shared/` (data every language
shares: agencies, calendars, transliteration, quote marks). Every `NAME.txt` (one entry a
line, `#` comments) or `NAME.yaml` becomes the field `NAME` of
`LanguageResources`, a typed record (`lang/records.py`) validated at load: an
unknown key, a wrong type or a broken pattern raises `ConfigError` naming the
file and the key. A second language adds a folder, not code.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

import yaml

from recoupe.errors import ConfigError, UnsupportedLanguageError
from recoupe.lang.records import (
    Agencies,
    Calendars,
    ContradictionFrames,
    EntityFixes,
    EventCues,
    EventTypes,
    Figures,
    Hedges,
    Meta,
    Noise,
    Numbers,
    PlaceContext,
    QuoteMarks,
    RelativeDates,
    ReportingVerbs,
    Search,
    Speakers,
    Tallies,
    Transliteration,
    Words,
)
from recoupe.lang.schema import build

LANG_DIR = Path(__file__).parent
SHARED_DIR = LANG_DIR / "shared"
# Fields read from lang/shared/ only: one copy for every language.
SHARED_FIELDS = frozenset({"agencies", "calendars", "transliteration", "quote_marks"})


@dataclass(frozen=True, slots=True)
class LanguageResources:
    code: str
    meta: Meta = Meta(name="")  # model name, display name
    noise: Noise = Noise()  # boilerplate line patterns, end markers, live-blog times
    numbers: Numbers = Numbers()  # number words, multipliers, separators
    relative_dates: RelativeDates = RelativeDates()  # weekdays, months, offsets, date patterns
    figures: Figures = Figures()  # counted nouns -> category, qualifiers, units
    hedges: Hedges = Hedges()  # attribution, unverified, lexical cues
    event_types: EventTypes = field(default_factory=dict)  # ACLED type -> sub-type -> cue words
    event_cues: EventCues = EventCues()  # weekdays, reporting media
    event_stopwords: Words = ()  # words that never tell events apart
    transliteration: Transliteration = Transliteration()  # shared: Cyrillic tables per convention, name-key folds
    entity_fixes: EntityFixes = EntityFixes()  # NER repairs: titles, non-entities, org heads
    place_context: PlaceContext = PlaceContext()  # region words, demonyms, country names, regions
    reporting_verbs: ReportingVerbs = ReportingVerbs()  # verb lemma -> stance, blockers, negations
    speakers: Speakers = Speakers()  # attribution cues, naming verbs, pronouns, speaker kinds
    quote_marks: QuoteMarks = QuoteMarks()  # shared: opening -> closing quotation mark
    claim_hedges: Words = ()  # words that hedge a claim besides the conditional mood
    contradiction_frames: ContradictionFrames = ContradictionFrames()  # control / repelled / ... patterns, conflicts
    agencies: Agencies = Agencies()  # shared: wire agencies -> patterns showing a text carries their dispatch
    calendars: Calendars = Calendars()  # shared: month and weekday names of other languages, clock times
    search: Search = Search()  # full-text search: the Snowball stemmer's name
    tallies: Tallies = Tallies()  # comparable counted nouns, provisional tolls, measures (tallies.py)


def supported_languages() -> list[str]:
    """Every folder of data under lang/ but shared/ (one without meta.yaml fails at load, saying so)."""
    return sorted(p.name for p in LANG_DIR.iterdir() if p.is_dir() and p != SHARED_DIR and any(p.glob("*.yaml")))


def load_language(code: str) -> LanguageResources:
    """Read and validate every resource file of one language; an unknown code lists the supported ones."""
    if code not in supported_languages():
        raise UnsupportedLanguageError(code, supported_languages())
    hints = get_type_hints(LanguageResources)
    known = {f.name for f in fields(LanguageResources)} - {"code"}
    values: dict[str, Any] = {}
    for folder in (SHARED_DIR, LANG_DIR / code):
        for path in sorted(folder.iterdir()):
            if path.suffix not in {".txt", ".yaml"}:
                continue
            where = f"lang/{folder.name}/{path.name}"
            if path.stem not in known:
                raise ConfigError(f"{where}: no LanguageResources field named {path.stem!r}")
            if (path.stem in SHARED_FIELDS) != (folder == SHARED_DIR):
                home = "lang/shared/" if path.stem in SHARED_FIELDS else f"lang/<code>/"
                raise ConfigError(f"{where}: {path.stem} belongs in {home}")
            data = list(_read_list(path)) if path.suffix == ".txt" else _read_yaml(path, where)
            values[path.stem] = build(hints[path.stem], data, where)
    if "meta" not in values:
        raise ConfigError(f"lang/{code}/meta.yaml: required file missing")
    return LanguageResources(code=code, **values)


def load_field(code: str, name: str) -> Any:
    """One resource of one language, validated as `load_language` does, without reading the others
    (a store needs only `search`; reading everything costs seconds)."""
    if code not in supported_languages():
        raise UnsupportedLanguageError(code, supported_languages())
    folder = SHARED_DIR if name in SHARED_FIELDS else LANG_DIR / code
    hints = get_type_hints(LanguageResources)
    if name not in hints or name == "code":
        raise ConfigError(f"no LanguageResources field named {name!r}")
    for suffix in (".yaml", ".txt"):
        path = folder / f"{name}{suffix}"
        if path.exists():
            where = f"lang/{folder.name}/{path.name}"
            data = list(_read_list(path)) if suffix == ".txt" else _read_yaml(path, where)
            return build(hints[name], data, where)
    spec = next(f for f in fields(LanguageResources) if f.name == name)
    return spec.default_factory() if spec.default is MISSING else spec.default


def load_shared_field(name: str) -> Any:
    """One resource of `lang/shared/` (agencies, transliteration, quote marks), validated as at load."""
    if name not in SHARED_FIELDS:
        raise ConfigError(f"{name!r} is not a shared resource; shared ones: {sorted(SHARED_FIELDS)}")
    return load_field("fr", name)


def _read_list(path: Path) -> tuple[str, ...]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line)


def _read_yaml(path: Path, where: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"{where}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping at the top level")
    return data
