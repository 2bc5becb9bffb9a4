"""The language data quote attribution reads, from `lang/<code>/` (reporting_verbs.yaml,
speakers.yaml, quote_marks.yaml, claim_hedges.txt, relative_dates.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from recoupe.lang import LanguageResources
from recoupe.model import SpeakerKind

KIND_NAMES = ("anonymous", "media", "channel", "institution", "organisation", "person")


@dataclass(frozen=True, slots=True)
class QuoteLexicon:
    """The language data of `lang/<code>/` that attribution reads, compiled once per language (`nlp.analyse.LanguageRules`)."""

    stances: dict[str, str]
    expressions: dict[str, frozenset[str]]
    blockers: frozenset[str]
    complementisers: frozenset[str]
    question_marks: frozenset[str]
    negations: frozenset[str]
    negative_determiners: frozenset[str]
    content_breaks: tuple[str, ...]
    attribution_cues: tuple[str, ...]
    naming_verbs: frozenset[str]
    genitives: frozenset[str]
    personal_pronouns: frozenset[str]
    person_pronouns: frozenset[str]
    indefinite_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    agent_markers: frozenset[str]
    anaphors: frozenset[str]
    anaphoric_nouns: frozenset[str]
    relayed_by: tuple[str, ...]
    relaying: tuple[str, ...]
    kinds: tuple[tuple[SpeakerKind, frozenset[str]], ...]
    quote_pairs: dict[str, str]
    hedge_cues: tuple[re.Pattern[str], ...]
    time_words: frozenset[str]  # weekdays and months (relative_dates.yaml): "a annoncé vendredi le service"
    incise_subject_first: bool = False
    purpose_marks: frozenset[str] = frozenset()  # "pour annoncer": an aim, not speech (reporting_verbs.yaml)
    acts: dict[str, frozenset[str]] = field(default_factory=dict)  # "déclarer l'état d'urgence" is an act (reporting_verbs.yaml)
    report_nouns: frozenset[str] = frozenset()  # "selon un bilan du ministère": the ministère speaks (speakers.yaml)
    writer_determiners: frozenset[str] = frozenset()  # "nos envoyés spéciaux": the outlet itself (speakers.yaml)
    addressed: frozenset[str] = frozenset()  # "told reporters": the object is the audience (reporting_verbs.yaml)
    clause_only: frozenset[str] = frozenset()  # "assurer une grande élégance": a noun object is no content (reporting_verbs.yaml)
    non_sources: frozenset[str] = frozenset()  # "selon la tradition": no source (speakers.yaml)
    day_parts: frozenset[str] = frozenset()  # "le soir même les syndicats ont annoncé": no speaker (relative_dates.yaml)
    epithet_nouns: frozenset[str] = frozenset()  # "l'élu", "l'institut météorologique" name again (speakers.yaml)

    @classmethod
    def from_resources(cls, resources: LanguageResources) -> QuoteLexicon:
        verbs, speakers, dates = resources.reporting_verbs, resources.speakers, resources.relative_dates
        return cls(
            stances=dict(verbs.verbs),
            expressions={k: _lowered(v) for k, v in verbs.expressions.items()},
            blockers=_lowered(verbs.blockers),
            complementisers=_lowered(verbs.complementisers),
            question_marks=_lowered(verbs.question_marks),
            negations=_lowered(verbs.negations),
            negative_determiners=_lowered(verbs.negative_determiners),
            content_breaks=_longest_first(verbs.content_breaks),
            attribution_cues=_longest_first(speakers.attribution_cues),
            naming_verbs=_lowered(speakers.naming_verbs),
            genitives=_lowered(speakers.genitives),
            personal_pronouns=_lowered(speakers.personal_pronouns),
            person_pronouns=_lowered(speakers.person_pronouns),
            indefinite_pronouns=_lowered(speakers.indefinite_pronouns),
            relative_pronouns=_lowered(speakers.relative_pronouns),
            agent_markers=_lowered(speakers.agent_markers),
            anaphors=_lowered(speakers.anaphors),
            anaphoric_nouns=_lowered(speakers.anaphoric_nouns),
            relayed_by=_longest_first(speakers.relayed_by),
            relaying=_longest_first(speakers.relaying),
            kinds=tuple((SpeakerKind(name), _lowered(speakers.kinds.get(name, ()))) for name in KIND_NAMES),
            quote_pairs=dict(resources.quote_marks.pairs),
            hedge_cues=tuple(_word_pattern(c) for c in resources.claim_hedges),
            time_words=_lowered((*dates.weekdays, *dates.months)),
            day_parts=_lowered(p for p in dates.parts_of_day if " " not in p),
            incise_subject_first=speakers.incise_subject_first,
            addressed=_lowered(verbs.addressed),
            acts={k: _lowered(v) for k, v in verbs.acts.items()},
            purpose_marks=_lowered(verbs.purpose_marks),
            report_nouns=_lowered(speakers.report_nouns),
            writer_determiners=_lowered(speakers.writer_determiners),
            clause_only=_lowered(verbs.clause_only),
            non_sources=_lowered(speakers.non_sources),
            epithet_nouns=_lowered(speakers.epithet_nouns),
        )


def _longest_first(words) -> tuple[str, ...]:
    """Lowered, longest first: a cue matches its longest spelling ("selon des sources" before "selon")."""
    return tuple(sorted(_lowered(words), key=len, reverse=True))


def _lowered(values: Iterable[str]) -> frozenset[str]:
    """A data list as a set of lower-case words."""
    return frozenset(v.lower() for v in values)


def _word_pattern(cue: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(cue.lower()) + r"(?!\w)")
