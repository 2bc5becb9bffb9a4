"""One typed record per language data file: the schema `lang/schema.py` validates against.

A field's name is the file's key; its type hint is what the key must hold.
Pattern fields are compiled at load, with the options the file's header states.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from recoupe.lang.schema import pattern, regex_source
from recoupe.model import EntityType

Words = tuple[str, ...]
Patterns = tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class Meta:
    """meta.yaml: display name and the spaCy pipeline (an installed model, or `blank: CODE`)."""

    name: str
    model: str | None = None
    blank: str | None = None
    # A model installed from a re-upload is checked at load against what it must be.
    model_version: str | None = None  # meta.json "version"
    model_sha256: str | None = None  # sha256 of the model's meta.json as packaged


@dataclass(frozen=True, slots=True)
class Noise:
    """noise.yaml: what is not article; patterns match one stripped line, case-insensitively."""

    line_patterns: Mapping[str, Patterns] = pattern(default_factory=dict, flags=re.IGNORECASE)
    end_markers: Patterns = pattern((), flags=re.IGNORECASE)
    closing_signatures: Patterns = pattern((), flags=re.IGNORECASE)
    credits: Patterns = pattern((), flags=re.IGNORECASE)
    byline: re.Pattern[str] | None = pattern(None, flags=re.IGNORECASE)
    name_connectors: Words = ()
    line_prefixes: Patterns = pattern((), flags=re.IGNORECASE)
    sections: Words = ()
    entry_time: re.Pattern[str] | None = pattern(None, flags=re.IGNORECASE)
    min_entries: int = 2
    post_credit: re.Pattern[str] | None = pattern(None, flags=re.IGNORECASE)
    months: Mapping[str, int] = field(default_factory=dict)
    weekdays: Words = ()
    dateline: re.Pattern[str] | None = pattern(None, flags=re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Numbers:
    """numbers.yaml: number words, multipliers, separators, approximate counts."""

    words: Mapping[str, int] = field(default_factory=dict)
    multipliers: Mapping[str, int] = field(default_factory=dict)
    joiners: Words = ()
    thousands_separators: Words = ()
    decimal_separator: str = "."
    approximate_nouns: Mapping[str, int] = field(default_factory=dict)


PeriodUnit = Literal["week", "weekend", "month", "year"]


@dataclass(frozen=True, slots=True)
class DatePattern:
    kind: str  # a resolver of nlp/dates.py, checked when its DateRules are built
    regex: str = regex_source()  # placeholders ({weekday}, ...) expanded by nlp/dates.py
    sign: int = 1


@dataclass(frozen=True, slots=True)
class RelativeDates:
    """relative_dates.yaml: time expressions and the words they are made of."""

    date_order: Literal["DMY", "MDY", "YMD"] = "DMY"
    patterns: tuple[DatePattern, ...] = ()
    weekdays: Mapping[str, int] = field(default_factory=dict)  # Monday = 0
    months: Mapping[str, int] = field(default_factory=dict)
    offsets: Mapping[str, int] = field(default_factory=dict)
    periods: Mapping[str, tuple[PeriodUnit, int]] = field(default_factory=dict)
    directions: Mapping[str, Literal["past", "future"]] = field(default_factory=dict)
    leads: Mapping[str, Literal["past", "future"]] = field(default_factory=dict)
    parts_of_day: Words = ()
    units: Mapping[str, Literal["day", "week", "month", "year"]] = field(default_factory=dict)
    future_auxiliaries: Words = ()


FigureCategoryName = Literal["dead", "injured", "missing", "evacuated", "drones", "materiel", "demonstrators", "at_risk"]


@dataclass(frozen=True, slots=True)
class Figures:
    """figures.yaml: counted nouns and what happened to them, qualifiers, units."""

    categories: Mapping[str, FigureCategoryName] = field(default_factory=dict)
    verbs: Mapping[str, FigureCategoryName] = field(default_factory=dict)
    object_verbs: Words = ()
    units: Mapping[str, str] = field(default_factory=dict)
    qualifiers: Mapping[str, Literal["at_least", "about", "at_most"]] = field(default_factory=dict)
    linkers: Words = ()
    plural_determiners: Words = ()
    not_counted: Words = ()
    not_after: Words = ()
    excluded: Patterns = pattern(())


@dataclass(frozen=True, slots=True)
class Conditional:
    endings: Words = ()
    strip_from_lemma: Words = ()
    irregular_stems: Mapping[str, Words] = field(default_factory=dict)
    modals: Words = ()  # lemmas whose conditional always hedges ("pourrait dépasser")
    not_hedging: Words = ()  # lemmas whose conditional never does ("voudrait", "il faudrait")
    conditions: Words = ()  # marks of a condition clause that makes a conditional a hypothesis ("si")


@dataclass(frozen=True, slots=True)
class Hedges:
    """hedges.yaml: patterns matched case-insensitively, whole words, "'" matching "’" too."""

    attribution: Patterns = pattern((), flags=re.IGNORECASE, whole_words=True, apostrophes=True)
    unverified: Patterns = pattern((), flags=re.IGNORECASE, whole_words=True, apostrophes=True)
    lexical: Patterns = pattern((), flags=re.IGNORECASE, whole_words=True, apostrophes=True)
    conditional: Conditional = Conditional()


@dataclass(frozen=True, slots=True)
class EventCues:
    """event_cues.yaml: weekday names (Monday first), media that report events."""

    weekdays: Words = ()
    reporters: Words = ()


@dataclass(frozen=True, slots=True)
class Transliteration:
    """transliteration.yaml (shared): Cyrillic tables per convention, folds and rules of name keys."""

    cyrillic: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    letters: Mapping[str, str] = field(default_factory=dict)  # accented letters spelt out before accents go
    folds: Mapping[str, str] = field(default_factory=dict)
    rules: tuple[tuple[re.Pattern[str], str], ...] = pattern(())


@dataclass(frozen=True, slots=True)
class NamedGroup:
    """A group spelt many ways, lower-case ones included ("bataillon sibérien"); `name` is what links them."""

    name: str
    aliases: Words = ()


@dataclass(frozen=True, slots=True)
class EntityFixes:
    """entity_fixes.yaml: repairs to the tagger's entities."""

    titles: Words = ()
    not_entities: Words = ()
    organisation_heads: Words = ()
    organisations: Words = ()
    product_nouns: Words = ()
    determiners: Words = ()
    key_stopwords: Words = ()
    named_groups: tuple[NamedGroup, ...] = ()
    # The tagger's entity labels -> entity type; null drops the label (dates, numbers).
    # A label not listed is an OTHER entity.
    labels: Mapping[str, EntityType | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Region:
    names: Words
    country: str
    admin1: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class PlaceContext:
    """place_context.yaml: what the text around a place name says about it."""

    region_words: Words = ()
    locality_words: Words = ()
    linkers: Words = ()
    place_prepositions: Words = ()
    vague_places: Words = ()
    demonyms: Mapping[str, Words] = field(default_factory=dict)
    country_names: Mapping[str, Words] = field(default_factory=dict)
    regions: tuple[Region, ...] = ()


Stance = Literal["assert", "deny", "hedge"]


@dataclass(frozen=True, slots=True)
class ReportingVerbs:
    """reporting_verbs.yaml: verb lemma -> stance, and the words around them."""

    verbs: Mapping[str, Stance] = field(default_factory=dict)
    expressions: Mapping[str, Words] = field(default_factory=dict)
    blockers: Words = ()
    complementisers: Words = ()
    question_marks: Words = ()
    negations: Words = ()
    negative_determiners: Words = ()
    # Verbs whose object is the one spoken to, not what is said ("told reporters").
    addressed: Words = ()
    content_breaks: Words = ()  # after a comma, words that open a clause of the writer's ("alors que")
    # Marks before an infinitive that make it an aim, not speech ("un prétexte pour annoncer ...").
    purpose_marks: Words = ()
    # Verb lemma -> object nouns that make it an act, not speech ("déclarer l'état d'urgence").
    acts: Mapping[str, Words] = field(default_factory=dict)
    # Verbs that report only a clause or a quote: a noun object is what they provide or do, not what is said
    # ("assurer une grande élégance", "juger un accusé").
    clause_only: Words = ()


SpeakerKindName = Literal["anonymous", "media", "channel", "institution", "organisation", "person"]


@dataclass(frozen=True, slots=True)
class Speakers:
    """speakers.yaml: attribution cues, pronouns, speaker kinds."""

    attribution_cues: Words = ()
    naming_verbs: Words = ()
    genitives: Words = ()
    personal_pronouns: Words = ()
    person_pronouns: Words = ()
    indefinite_pronouns: Words = ()
    relative_pronouns: Words = ()
    agent_markers: Words = ()
    anaphors: Words = ()  # a word before the noun that makes a phrase refer back ("la même source")
    anaphoric_nouns: Words = ()  # generic nouns a demonstrative makes refer back ("cet organisme")
    relayed_by: Words = ()  # after a speaker, words naming the medium that relays it ("cité par")
    relaying: Words = ()  # after a medium, words naming the speaker it relays ("se référant à", "citant")
    # Nouns for what a source put out: the source in their complement speaks ("selon un bilan du ministère").
    report_nouns: Words = ()
    # First-person determiners: a phrase they open is the writer's own outlet ("nos envoyés spéciaux"), no source.
    writer_determiners: Words = ()
    # Nouns after an attribution cue that name no source ("selon la tradition", "selon les régions": depending on).
    non_sources: Words = ()
    # Class nouns a definite description uses to name again an entity named just before ("l'élu", "l'institut
    # météorologique", "le groupe islamiste"): the description is that entity, when one of its kind was named.
    epithet_nouns: Words = ()
    kinds: Mapping[SpeakerKindName, Words] = field(default_factory=dict)
    # An incise may put its subject first ("..., Aksyonov said"), not only after the verb (", a dit X").
    incise_subject_first: bool = False


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    """quote_marks.yaml (shared): opening mark -> closing mark."""

    pairs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FrameSpec:
    patterns: Patterns = pattern(())
    reporter: bool = False  # also read in the reporters' own sentences
    same_subject: bool = False  # both sides must share a word besides the frame's own
    dated: bool = False  # a state that changes over time (confirmed, then not): compared within one report day only


@dataclass(frozen=True, slots=True)
class ContradictionFrames:
    """contradiction_frames.yaml: patterns over a claim's normalised text (lower case)."""

    frames: Mapping[str, FrameSpec] = field(default_factory=dict)
    nested_attribution: Patterns = pattern(())
    overrides: Mapping[str, Words] = field(default_factory=dict)
    conflicts: tuple[tuple[str, str], ...] = ()
    stopwords: Words = ()
    negations: Patterns = pattern(())  # matched on the clause up to a reporter frame's words
    frame_words: Words = ()  # the frames' own words: sharing them is no shared subject
    # Who did it: patterns naming the author of the event's act (group `agent`: "une frappe israélienne",
    # "imputé la frappe à Israël"), and patterns by which a speaker disowns it ("dément toute implication").
    blame: Patterns = pattern(())
    disown: Patterns = pattern(())
    uncertain: Patterns = pattern(())  # a statement weighing hypotheses blames no one
    relayed: Patterns = pattern(())  # in a reporter's sentence: someone else's blame is relayed, not asserted
    # In a reporter's sentence, one party accusing another in the outlet's words ("la mairie accuse
    # l'entreprise d'avoir ..."): groups `speaker` and `agent`; the party is its speaker.
    accusations: Patterns = pattern(())
    both_sides: Patterns = pattern(())  # a sentence relaying both sides ("qui a démenti", "se renvoient"): no one accuses
    # What an act struck, by a key shared across languages (hospital: [hôpital, clinique]): two reports whose
    # texts are mainly about different targets tell different acts, and their blame is never compared.
    targets: Mapping[str, Words] = field(default_factory=dict)
    agent_stopwords: Words = ()  # words of an agent's name that tell no side apart ("armée", "forces")
    agent_aliases: Mapping[str, str] = field(default_factory=dict)  # another name of a side ("tsahal": israël)
    # Words of a person's office ("président", "porte-parole", "spokesman"): the words of a speaker's first
    # mention up to such a word ("le président ukrainien Volodymyr Zelensky", "Kremlin spokesman Dmitry Peskov",
    # "le porte-parole du ministère russe de la Défense, Igor Konachenkov") tell the side the person speaks for.
    titles: Words = ()


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    patterns: Patterns = pattern(())  # groups `number` and `unit`, over lower-cased text
    units: Mapping[str, float] = field(default_factory=dict)  # unit as written -> base unit
    # What is measured, when a pattern names it in a group `what` ("le barrage, haut de 30 mètres"): key ->
    # words, keys shared across languages (dam: [barrage, dam]). Only measures of one thing are compared;
    # a match naming no known thing is no measure.
    objects: Mapping[str, Words] = field(default_factory=dict)
    # The finest step the measure is given in ("magnitude": 0.1): a value written without it is exact to it
    # ("magnitude 7" is 7.0, a rival of 6.8), never a rounding of a whole unit. 0: half the last digit written.
    resolution: float = 0.0
    # How far either side an "about" value reaches, in the base unit ("vers 2h": half an hour); 0: the
    # counts' relative tolerance (settings.claims.about_tolerance), meaningless for a clock time.
    about: float = 0.0
    # A clock time ("2h50", "2:50 a.m."): written to the minute it allows that minute, written to the hour
    # ("à 2h") that half hour either side.
    clock: bool = False
    # A clock's 12-hour units and what they add ("pm": 12): the hour is read modulo 12, then the offset added.
    offsets: Mapping[str, float] = field(default_factory=dict)
    # Time zones named after a clock time (a group `zone`): key -> words ("utc": [gmt, utc]); a time naming
    # none is the event's local time, as one naming the key `local`. Only times of one zone are compared (23h11
    # local is 22h11 GMT).
    zones: Mapping[str, Words] = field(default_factory=dict)
    # One value per document at most: a document giving two (two blasts, two attacks) tells several acts,
    # and none of its values is compared.
    single: bool = False


@dataclass(frozen=True, slots=True)
class Tallies:
    """tallies.yaml: how figures of one event are compared (patterns over normalised text)."""

    generic: Mapping[FigureCategoryName, Words] = field(default_factory=dict)
    provisional: Patterns = pattern(())
    increment: Patterns = pattern(())
    broad: Patterns = pattern(())
    phrases: Mapping[FigureCategoryName, Patterns] = pattern(default_factory=dict)
    credit: Patterns = pattern((), flags=re.IGNORECASE)
    # Who gives a count, named right after it in its clause ("40 000 manifestants, selon les autorités",
    # "1,089 million (ministère de l'Intérieur)"): anchored at the count's end, group `speaker`.
    credit_after: Patterns = pattern((), flags=re.IGNORECASE)
    # A count over the whole country ("à travers le pays", "nationwide"), read in its clause.
    national: Patterns = pattern(())
    # Words before a time phrase saying it dates another count ("contre 400 000 le 19", "than on").
    compared: Patterns = pattern(())
    # The low end of a range written before a count ("entre 18 200 et 110 000 personnes"), group `number`.
    range_before: Patterns = pattern(())
    # Words after a count that open a part of it ("3,5 millions, dont 700 000 à Paris").
    part_of: Patterns = pattern(())
    # Words right before a count that make it a sub-count, never a total ("les corps de deux victimes").
    sub_before: Patterns = pattern(())
    # Words in a count's clause telling it is a past day's, recalled ("Après avoir rassemblé deux millions",
    # "avaient alors battu le pavé"): never compared with the day's counts.
    recalled: Patterns = pattern(())
    # Words right before a measure's number making it approximate ("environ", "vers 2h", "around").
    about_before: Patterns = pattern(())
    measures: Mapping[str, MeasureSpec] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Agencies:
    """agencies.yaml (shared): case-sensitive patterns showing a text carries an agency's dispatch."""

    wires: Mapping[str, Patterns] = pattern(default_factory=dict)
    rewriters: Mapping[str, Patterns] = pattern(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Calendar:
    """One language's month and weekday names (Monday = 0), lower-cased."""

    months: Mapping[str, int] = field(default_factory=dict)
    weekdays: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Calendars:
    """calendars.yaml (shared): month and weekday names of languages without a folder, and clock-time
    patterns (groups `hour` and `minute`): dates and times that align a dispatch with its translation."""

    languages: Mapping[str, Calendar] = field(default_factory=dict)
    clock: Patterns = pattern(())


@dataclass(frozen=True, slots=True)
class Search:
    """search.yaml: the Snowball stemmer of this language's words (None: words as they are)."""

    stemmer: str | None = None


# event_types.yaml: ACLED type -> sub-type -> cue words (the keys are data).
EventTypes = Mapping[str, Mapping[str, Words]]
