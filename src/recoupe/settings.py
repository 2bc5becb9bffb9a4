"""Every threshold Recoupe uses, with where its value came from.

Settings are frozen dataclasses with no logic; `validate` checks them once
against the declared `CONSTRAINTS` table, so messages name the parameter and
its allowed range. Each stage reads only its own block.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass

from recoupe.errors import ConfigError


@dataclass(frozen=True, slots=True)
class IngestSettings:
    # 20 MB: the longest real article pages we met are under 2 MB; a 50 MB
    # "article" is a dump or a mistake, refused with a clear error.
    max_bytes: int = 20_000_000
    # Fetching feeds and pages given as URLs; tests never use the network.
    timeout_seconds: float = 20.0


@dataclass(frozen=True, slots=True)
class CleanSettings:
    # Language detection below this many letters is a guess; such segments
    # inherit the document's language.
    min_letters_for_language: int = 40


@dataclass(frozen=True, slots=True)
class CopySettings:
    # 5-word shingles and 128 permutations: the datasketch defaults for near
    # duplicates of news text; verbatim republications in dev score >= 0.8.
    shingle_words: int = 5
    num_perm: int = 128
    near_threshold: float = 0.5


@dataclass(frozen=True, slots=True)
class AnalysisSettings:
    batch_size: int = 32


@dataclass(frozen=True, slots=True)
class EventSettings:
    pass


@dataclass(frozen=True, slots=True)
class ClaimSettings:
    pass


@dataclass(frozen=True, slots=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    copies: CopySettings = field(default_factory=CopySettings)
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    events: EventSettings = field(default_factory=EventSettings)
    claims: ClaimSettings = field(default_factory=ClaimSettings)
    language: str = "fr"  # default when detection cannot tell


# "block.name": (low, high), both included.
CONSTRAINTS: dict[str, tuple[float, float]] = {
    "ingest.max_bytes": (1, 2**40),
    "ingest.timeout_seconds": (0.1, 600),
    "clean.min_letters_for_language": (0, 10_000),
    "copies.shingle_words": (1, 50),
    "copies.num_perm": (16, 1024),
    "copies.near_threshold": (0.0, 1.0),
    "analysis.batch_size": (1, 10_000),
}


def validate(settings: Settings) -> Settings:
    """Check every constrained value once; return the settings unchanged."""
    for dotted, (low, high) in CONSTRAINTS.items():
        value = _lookup(settings, dotted)
        if not low <= value <= high:
            raise ConfigError(f"{dotted} must be in [{low}, {high}], got {value!r}")
    return settings


def _lookup(settings: Settings, dotted: str) -> float:
    value: object = settings
    for name in dotted.split("."):
        value = getattr(value, name)
    return value  # type: ignore[return-value]


def flatten(settings: object, prefix: str = "") -> dict[str, object]:
    """Settings as "block.name" -> value, for reports and the CLI."""
    out: dict[str, object] = {}
    for f in fields(settings):  # type: ignore[arg-type]
        value = getattr(settings, f.name)
        if is_dataclass(value):
            out.update(flatten(value, f"{prefix}{f.name}."))
        else:
            out[f"{prefix}{f.name}"] = value
    return out
