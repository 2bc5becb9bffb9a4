"""Typed records shared by every stage.

Every fact points back to the document it came from with a `Span`: characters
[start, end) of `Document.text`, the decoded original (mojibake repaired, line
ends normalised). Cleaning never rewrites that text: it only marks which ranges
are article (`Segment`), so offsets found on the cleaned text stay valid.

This module imports nothing from recoupe. Changes here are additive: new
fields get defaults, existing names are never renamed.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """Characters [start, end) of one document's original text."""

    document_id: str
    start: int
    end: int

    def text(self, document: Document) -> str:
        return document.text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day: never more precise than its source."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def from_iso(cls, value: str) -> PartialDate:
        parts = [int(p) for p in value.split("-")]
        return cls(*parts)

    @property
    def date(self) -> dt.date | None:
        """The calendar day, when the day is known."""
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)


@dataclass(frozen=True, slots=True)
class DateRange:
    """An interval of days, both ends included ("des 15-16-17 mars")."""

    start: dt.date
    end: dt.date

    def iso(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


class SourceFormat(enum.Enum):
    TEXT = "text"
    HTML = "html"
    JSONL = "jsonl"
    WARC = "warc"
    FEED = "feed"


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A decoded document before cleaning; `text` is the original every span points into."""

    source: str  # file path or URL; "path#n" for the n-th document of a container
    text: str
    format: SourceFormat
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: PartialDate | None = None
    updated: PartialDate | None = None
    language: str | None = None  # declared by the container (HTML lang, JSONL field)


class SegmentKind(enum.Enum):
    TITLE = "title"
    LEAD = "lead"  # live blog: the summary before the first timestamped entry
    BODY = "body"
    ENTRY = "entry"  # one timestamped live-blog entry


@dataclass(frozen=True, slots=True)
class Segment:
    """A range of the original text that is article, not boilerplate."""

    start: int
    end: int
    kind: SegmentKind
    time: str | None = None  # "11:58" for a live-blog entry
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned document: the original text plus the segments that are article."""

    id: str  # hash of (URL when known, text): stable across runs and path spellings
    content_hash: str  # hash of text alone: equal for verbatim copies
    source: str
    text: str
    format: SourceFormat
    segments: tuple[Segment, ...]
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: PartialDate | None = None
    updated: PartialDate | None = None
    language: str | None = None

    def segment_text(self, segment: Segment) -> str:
        return self.text[segment.start : segment.end]

    @property
    def cleaned_text(self) -> str:
        """The article text without boilerplate, segments separated by blank lines."""
        return "\n\n".join(self.segment_text(s) for s in self.segments)


class CopyKind(enum.Enum):
    EXACT = "exact"
    NEAR = "near"  # same language, near-verbatim
    TRANSLATION = "translation"
    REWRITE = "rewrite"  # spun paraphrase
    DIGEST = "digest"  # republishes items of the original among others


@dataclass(frozen=True, slots=True)
class AlignedPassage:
    """One passage of a document and its counterpart in another: shared words, or a sentence translated or spun."""

    source: Span  # in the copy (for a dispatch: in one carrier)
    target: Span  # in the original (for a dispatch: in another carrier)


@dataclass(frozen=True, slots=True)
class CopyLink:
    """`copy` reproduces `original` (the earlier one): it is no independent source."""

    copy: str  # document id
    original: str  # document id
    kind: CopyKind
    similarity: float  # the pair model's probability (1.0 for an exact copy)
    evidence: tuple[AlignedPassage, ...] = ()  # aligned passages, in the copy's order


@dataclass(frozen=True, slots=True)
class Dispatch:
    """Documents carrying one wire agency's dispatch: one source however many outlets print it."""

    id: str
    agency: str  # the wire credited by its carriers ("AFP")
    documents: tuple[str, ...]  # document ids, earliest first
    evidence: tuple[AlignedPassage, ...] = ()  # passages the carriers share, from their copy links


class EntityType(enum.Enum):
    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Mention:
    """A named mention; `key` is the language-neutral linking key shared by its variants."""

    span: Span
    text: str
    type: EntityType
    key: str


@dataclass(frozen=True, slots=True)
class Entity:
    """Mentions across documents linked into one thing."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()  # the `Mention.key`s linked into this entity


class PlaceKind(enum.Enum):
    LOCALITY = "locality"
    REGION = "region"  # first-level admin area: oblast, région, province
    COUNTRY = "country"


@dataclass(frozen=True, slots=True)
class Place:
    span: Span
    mention: str  # as written
    name: str  # GeoNames name
    lat: float
    lon: float
    kind: PlaceKind = PlaceKind.LOCALITY
    geonameid: int | None = None
    admin1: str | None = None  # name of the first-level area ("Occitanie", "Belgorod"), never a code
    country: str | None = None  # ISO 3166 alpha-2
    admin2: str | None = None  # name of the second-level area ("Departement du Gard"), when known


@dataclass(frozen=True, slots=True)
class TimeExpression:
    span: Span
    text: str
    value: dt.date | DateRange
    # Where the phrase sits in its sentence's parse (None without a parser): how many
    # clauses down from the main verb (0: the main clause), and whether it modifies a
    # verb ("a annoncé mardi") rather than a noun ("l'attaque du 12 mars").
    depth: int | None = None
    on_verb: bool = False


@dataclass(frozen=True, slots=True)
class TimePhrase:
    """A time phrase as the text and its parse give it, before it is resolved against a day.

    Kept with the analysis so that re-dating a document against another day (one its
    event infers) resolves these again without parsing the text a second time."""

    span: Span
    kind: str  # the kind of the pattern that matched (lang/<code>/relative_dates.yaml)
    text: str  # the words matched, as spaCy read them
    groups: tuple[tuple[str, str], ...] = ()  # (name, words) of the pattern's named groups that matched
    sign: int = 1  # the pattern's direction (count_units: "il y a" -1, "dans" +1)
    depth: int | None = None  # as TimeExpression.depth
    on_verb: bool = False
    # The tense ("past", "future") of the clause governing a weekday phrase with no
    # direction or lead word of its own; None when the parse gives none.
    tense: str | None = None

    def group(self, name: str) -> str | None:
        return next((words for key, words in self.groups if key == name), None)


class Qualifier(enum.Enum):
    EXACT = "exact"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    ABOUT = "about"


class FigureCategory(enum.Enum):
    DEAD = "dead"
    INJURED = "injured"
    MISSING = "missing"
    EVACUATED = "evacuated"
    DRONES = "drones"
    MATERIEL = "materiel"
    DISTANCE = "distance"
    DEMONSTRATORS = "demonstrators"
    AT_RISK = "at_risk"  # people exposed to a danger: "16 000 personnes menacées", "people at risk"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Figure:
    """A number attached to what it counts: "au moins 26 véhicules sans pilote"."""

    span: Span
    text: str
    value: float
    counted: str  # lemma of the counted noun, or unit ("km")
    category: FigureCategory
    qualifier: Qualifier = Qualifier.EXACT


class HedgeKind(enum.Enum):
    CONDITIONAL = "conditional"  # "serait", "auraient annulé"
    ATTRIBUTION = "attribution"  # "selon X", "d'après X"
    UNVERIFIED = "unverified"  # "non vérifiable"
    LEXICAL = "lexical"  # "prétendre", "apparemment"


@dataclass(frozen=True, slots=True)
class Hedge:
    span: Span  # the cue
    sentence: Span
    kind: HedgeKind


class ClaimKind(enum.Enum):
    DIRECT = "direct"
    REPORTED = "reported"


class Polarity(enum.Enum):
    ASSERT = "assert"
    DENY = "deny"


class SpeakerKind(enum.Enum):
    PERSON = "person"
    ORGANISATION = "organisation"
    INSTITUTION = "institution"
    CHANNEL = "channel"  # "sur Telegram"
    MEDIA = "media"  # "selon TASS", "le New York Times"
    ANONYMOUS = "anonymous"  # "deux sources industrielles"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    kind: SpeakerKind = SpeakerKind.UNKNOWN
    span: Span | None = None  # where the speaker is named; None for a resolved pronoun's antecedent elsewhere
    entity_id: str | None = None
    channel: str | None = None  # who relays the speaker's words ("cité par l'agence RIA Novosti" -> RIA Novosti)


@dataclass(frozen=True, slots=True)
class Claim:
    """Who says what, as one document reports it: the outlet reports, the speaker says."""

    id: str
    span: Span  # the content of the quote or reported proposition
    kind: ClaimKind
    speaker: Speaker | None = None  # None: unattributed, never ""
    cue: Span | None = None  # reporting verb, "selon", the quote marks' attribution
    hedged: bool = False
    polarity: Polarity = Polarity.ASSERT
    text: str = ""


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the language stages found in one document."""

    document_id: str
    mentions: tuple[Mention, ...] = ()
    places: tuple[Place, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    figures: tuple[Figure, ...] = ()
    hedges: tuple[Hedge, ...] = ()
    claims: tuple[Claim, ...] = ()
    sentences: tuple[Span, ...] = ()
    # Every time phrase with what the parse said of it, resolved or not: `times` again
    # against another day without a parse. None: analysed before phrases were kept.
    time_phrases: tuple[TimePhrase, ...] | None = None
    # The day relative dates were resolved against when the document states none
    # (inferred from the other reports of its event); None: its own publication day.
    reference_day: dt.date | None = None


class EventRole(enum.Enum):
    MAIN = "main"  # the event the document's lead reports
    ENTRY = "entry"  # a live-blog entry reporting it
    BACKGROUND = "background"  # a paragraph recalling it


@dataclass(frozen=True, slots=True)
class EventLink:
    """A document (or one of its segments) reports or recalls an event."""

    event_id: str
    document_id: str
    role: EventRole
    span: Span | None = None  # the segment or paragraph; None for the whole document


@dataclass(frozen=True, slots=True)
class Actor:
    entity_id: str | None
    name: str
    role: str  # "actor1", "actor2", "associated", "source"


@dataclass(frozen=True, slots=True)
class EventFigure:
    category: FigureCategory
    value: float
    qualifier: Qualifier
    sources: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class CitedSentence:
    """A summary or timeline sentence and every span that carries it."""

    text: str
    citations: tuple[Span, ...]
    when: dt.date | None = None
    time: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    title: str
    type: str = ""  # ACLED event type: "Battles", "Explosions/Remote violence", ...
    subtype: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    places: tuple[Place, ...] = ()
    actors: tuple[Actor, ...] = ()
    figures: tuple[EventFigure, ...] = ()
    independent_sources: int = 0
    summary: tuple[CitedSentence, ...] = ()
    timeline: tuple[CitedSentence, ...] = ()


@dataclass(frozen=True, slots=True)
class Proposition:
    """Claims about the same thing across documents; copies never count as sources."""

    id: str
    event_id: str
    claim_ids: tuple[str, ...]
    asserted_by: tuple[str, ...] = ()  # independent document ids
    denied_by: tuple[str, ...] = ()


class ContradictionKind(enum.Enum):
    FIGURE = "figure"  # the same count or measure, two values that cannot both hold
    DENIAL = "denial"  # one source asserts what another denies
    STATUS = "status"  # two incompatible states of one thing at one time (controlled / attack repelled)


@dataclass(frozen=True, slots=True)
class Statement:
    """What one source states, where: a side of a contradiction, or one value in a figure's history.

    `span` is the sentence (or the claim) that states it; `figure` the number
    it gives, when it gives one. The speaker is the credited source; None: the
    outlet states it in its own voice."""

    span: Span
    text: str
    speaker: str | None = None
    claim_id: str | None = None
    figure: Figure | None = None
    polarity: Polarity = Polarity.ASSERT
    published: PartialDate | None = None  # the report's day (stated or inferred)
    time: str | None = None  # "11:30": the live-blog entry it belongs to

    @classmethod
    def of_claim(cls, claim: Claim, **values) -> Statement:
        """What an attributed claim states: its content, speaker and polarity."""
        speaker = claim.speaker.name if claim.speaker is not None else None
        return cls(claim.span, claim.text, speaker, claim.id, polarity=claim.polarity, **values)


@dataclass(frozen=True, slots=True)
class Side:
    """One position in a dispute (a value, asserting or denying) and every statement holding it, each
    with its document, span and speaker: the provenance of that position."""

    statements: tuple[Statement, ...]


@dataclass(frozen=True, slots=True)
class Contradiction:
    """One dispute: independent sources that cannot all be right about one thing at one time.

    `a` and `b` are the two statements that stand for it (for `denial`, `a`
    asserts and `b` denies); `sides` holds every position with every statement
    taking it (a figure's values, the asserting and the denying sources). No
    sentence is stored: its reason is written at display time, in the reader's
    language, from `kind`, `subject` and the statements."""

    event_id: str
    kind: ContradictionKind
    a: Statement
    b: Statement
    subject: str = ""  # what both speak of: a FigureCategory or Measure value, or a frame name
    sides: tuple[Side, ...] = ()  # every position, `a`'s first and `b`'s second; empty: `a` against `b`

    @property
    def claims(self) -> tuple[str | None, str | None]:
        return (self.a.claim_id, self.b.claim_id)

    @property
    def positions(self) -> tuple[Side, ...]:
        """Every side of the dispute; a pair stored before sides existed has two of one statement each."""
        return self.sides or (Side((self.a,)), Side((self.b,)))

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for side in self.positions for s in side.statements)


@dataclass(frozen=True, slots=True)
class Update:
    """One count of an event as it changed between reports: its values, earliest first."""

    event_id: str
    subject: str  # a FigureCategory or Measure value
    values: tuple[Statement, ...]


@dataclass(frozen=True, slots=True)
class InputFailure:
    """One file that could not be read; the batch went on without it."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceList:
    """The files and URLs a run will read, and the files it leaves out, each with its reason."""

    sources: tuple[str, ...]
    skipped: tuple[InputFailure, ...] = ()


@dataclass(slots=True)
class RunReport:
    """What one run did: counts for the user, failures with their reasons."""

    stored: int = 0
    skipped: int = 0  # already in the store
    failures: list[InputFailure] = field(default_factory=list)
    left_out: list[InputFailure] = field(default_factory=list)  # files of input folders not read, with why
    copies: int = 0  # new copy links
    # What the store holds after the run (totals, not what this run added).
    documents: int = 0
    events: int = 0
    claims: int = 0
    contradictions: int = 0
    outputs: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CopyEntry:
    """One document the store's copy index holds (`copies.CopyDetector` over `store.copy_index.StoredCopies`):
    the keys that find it as a copy candidate, and its anchors, counted for their rarity."""

    document_id: str
    arrival: int  # order among the documents the index was given (the detector's `Profile.arrival`)
    signature: str | None = None  # its word signature when it is the first held with it: exact copies find it
    bands: tuple[int, ...] = ()  # LSH band keys of its MinHash, 63-bit
    pairs: tuple[int, ...] = ()  # anchor pairs it is posted under (64-bit): those not yet common when it came
    anchors: tuple[int, ...] = ()  # its distinct anchors (crc32)


@dataclass(frozen=True, slots=True)
class CopyIndexUpdate:
    """A batch's change to the store's copy index, saved in the batch's transaction: entries added,
    then entries forgotten (the oldest, beyond `CopySettings.max_documents`: their keys removed, their
    anchors uncounted)."""

    added: tuple[CopyEntry, ...] = ()
    forgotten: tuple[CopyEntry, ...] = ()
    seen: int = 0  # stored documents the index has been given, this batch's included
    arrivals: int = 0  # arrival number the next held document gets
    fingerprint: str = ""  # what the keys were computed with (settings, name folding, calendars)
    reset: bool = False  # drop every entry first (the index is rebuilt)


@dataclass(frozen=True, slots=True)
class CopyIndexState:
    """What a store's copy index is: a fresh store's is empty, at fingerprint ""."""

    fingerprint: str = ""
    seen: int = 0
    held: int = 0
    arrivals: int = 0


@dataclass(frozen=True, slots=True)
class CopyMatches:
    """What the copy index holds for one new document: the held document of its signature, those
    sharing a band key, each anchor pair's posting (held documents in arrival order), and the
    arrival of every document named."""

    exact: str | None = None
    banded: tuple[str, ...] = ()
    postings: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    arrivals: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DocumentBatch:
    """What the per-document stages produce for one batch: saved in one transaction."""

    documents: tuple[Document, ...]
    analyses: tuple[Analysis, ...] = ()
    copies: tuple[CopyLink, ...] = ()
    copy_index: CopyIndexUpdate | None = None


@dataclass(frozen=True, slots=True)
class CorpusResults:
    """What the cross-document stages derive from everything stored; replaced as a whole."""

    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    event_links: tuple[EventLink, ...] = ()
    propositions: tuple[Proposition, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()
    inferred_dates: tuple[InferredDate, ...] = ()
    updates: tuple[Update, ...] = ()
    dispatches: tuple[Dispatch, ...] = ()
    # How many stored documents these were derived from: documents are only ever
    # added, so a store holding more has results to bring up to date.
    documents: int = 0


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything a store holds: what exports, the report and the web UI read."""

    documents: tuple[Document, ...]
    analyses: tuple[Analysis, ...] = ()
    copies: tuple[CopyLink, ...] = ()
    results: CorpusResults = CorpusResults()


class HitKind(enum.Enum):
    DOCUMENT = "document"
    CLAIM = "claim"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result: a document (title or text) or one of its claims."""

    kind: HitKind
    document_id: str
    claim_id: str | None
    snippet: str  # plain text around the match, no markup


@dataclass(frozen=True, slots=True)
class SourceContents:
    """What one source yielded: its documents, and the parts (JSONL lines, WARC records) that failed."""

    documents: tuple[RawDocument, ...]
    failures: tuple[InputFailure, ...] = ()


@dataclass(frozen=True, slots=True)
class InferredDate:
    """A publication day a document does not state, inferred from the other reports of its event."""

    document_id: str
    date: dt.date
    event_id: str = ""


class EventOrder(enum.Enum):
    """How a page of the events list is sorted; events some document leads with always come before briefs."""

    LATEST = "latest"  # latest start first, undated last, then by title
    EARLIEST = "earliest"  # earliest start first, undated last, then by title
    DOCUMENTS = "documents"  # most documents first, then latest


@dataclass(frozen=True, slots=True)
class EventQuery:
    """One page of the events list: filters (empty strings and None mean "any"), an order, a window.

    Dates keep events overlapping them; `place`, `actor`, `source` and `text` match
    parts of names ignoring case and accents (`text`: title, type, places or actors)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    place: str = ""
    actor: str = ""
    source: str = ""
    text: str = ""
    order: EventOrder = EventOrder.LATEST
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True, slots=True)
class EventSummary:
    """An event as the events list shows it, with the counts the store keeps beside it."""

    event: Event
    documents: int = 0  # documents linked to it, whatever the role
    main_reports: int = 0  # documents whose lead reports it (EventRole.MAIN)
    contradictions: int = 0


@dataclass(frozen=True, slots=True)
class EventListing:
    """A page of events and how many match the query in all."""

    total: int
    events: tuple[EventSummary, ...] = ()


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """What a store holds, counted by the database."""

    documents: int = 0
    events: int = 0
    copies: int = 0
    dispatches: int = 0
    claims: int = 0  # claim ids of the stored analyses (one per id and document)
    contradictions: int = 0
    derived_from: int = 0  # documents the saved results were derived from (`CorpusResults.documents`)
