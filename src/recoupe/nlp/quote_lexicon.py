"""The language data quote attribution reads, from `lang/<code>/` (reporting_verbs.yaml,
speakers.yaml, quote_marks.yaml, claim_hedges.txt, relative_dates.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from recoupe.lang import LanguageResources
from recoupe.model import SpeakerKind

KIND_NAMES = ("anonymous", "media", "channel", "institution", "organisation", "person")


@dataclass(frozen=True, slots=True)
class QuoteLexicon:
    """The language data of `lang/<code>/` that attribution reads, compiled once per call."""

    stances: dict[str, str]
    expressions: dict[str, frozenset[str]]
    blockers: frozenset[str]
    complementisers: frozenset[str]
    question_marks: frozenset[str]
    negations: frozenset[str]
    negative_determiners: frozenset[str]
    attribution_cues: tuple[str, ...]
    naming_verbs: frozenset[str]
    genitives: frozenset[str]
    personal_pronouns: frozenset[str]
    person_pronouns: frozenset[str]
    indefinite_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    agent_markers: frozenset[str]
    kinds: tuple[tuple[SpeakerKind, frozenset[str]], ...]
    quote_pairs: dict[str, str]
    hedge_cues: tuple[re.Pattern[str], ...]
    time_words: frozenset[str]  # weekdays and months (relative_dates.yaml): "a annoncé vendredi le service"

    @classmethod
    def from_resources(cls, resources: LanguageResources) -> QuoteLexicon:
        verbs, speakers = resources.reporting_verbs, resources.speakers
        kinds = speakers.get("kinds", {})
        return cls(
            stances={str(k): str(v) for k, v in (verbs.get("verbs") or {}).items()},
            expressions={str(k): _lowered(v) for k, v in (verbs.get("expressions") or {}).items()},
            blockers=_lowered(verbs.get("blockers")),
            complementisers=_lowered(verbs.get("complementisers")),
            question_marks=_lowered(verbs.get("question_marks")),
            negations=_lowered(verbs.get("negations")),
            negative_determiners=_lowered(verbs.get("negative_determiners")),
            attribution_cues=tuple(sorted(_lowered(speakers.get("attribution_cues")), key=len, reverse=True)),
            naming_verbs=_lowered(speakers.get("naming_verbs")),
            genitives=_lowered(speakers.get("genitives")),
            personal_pronouns=_lowered(speakers.get("personal_pronouns")),
            person_pronouns=_lowered(speakers.get("person_pronouns")),
            indefinite_pronouns=_lowered(speakers.get("indefinite_pronouns")),
            relative_pronouns=_lowered(speakers.get("relative_pronouns")),
            agent_markers=_lowered(speakers.get("agent_markers")),
            kinds=tuple((SpeakerKind(name), _lowered(kinds.get(name))) for name in KIND_NAMES),
            quote_pairs=dict((resources.quote_marks or {}).get("pairs") or {}),
            hedge_cues=tuple(_word_pattern(c) for c in resources.claim_hedges),
            time_words=_lowered(_words(resources.relative_dates.get("weekdays")) + _words(resources.relative_dates.get("months"))),
        )


def _lowered(values: object) -> frozenset[str]:
    """A data list as a set of lower-case words."""
    return frozenset(str(v).lower() for v in values or ())  # type: ignore[union-attr]


def _words(table: object) -> list[str]:
    """The words of a list, or the keys of a mapping, from another stage's data file."""
    if isinstance(table, dict):
        return [str(k) for k in table]
    return [str(v) for v in table or ()]


def _word_pattern(cue: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(cue.lower()) + r"(?!\w)")
