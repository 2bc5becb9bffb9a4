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
    # Globs choosing the files read inside input folders: a pattern with a "/"
    # matches the path below the folder, one without the file name. With no
    # `include`, the known news formats are read and other files reported.
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # Symlinks inside input folders are followed only when they point inside an
    # input folder: a crawl must not pull /etc/passwd into a served store.
    follow_links: bool = False


@dataclass(frozen=True, slots=True)
class CleanSettings:
    # Language detection below this many letters is a guess; such segments
    # inherit the document's language.
    min_letters_for_language: int = 40
    # A line this similar to the title (difflib ratio on letters and digits) is a
    # repeated headline: punctuation variants score 1.0, a headline with two
    # words added 0.88; kept lines of seeds, dev and examples score <= 0.47.
    repeat_ratio: float = 0.8
    # A truncated repeat ("... depuis lUkraine sur le", seed 000) is a prefix of an
    # earlier line at least this long (in letters and digits); shorter prefixes
    # are common openings ("Selon le ministère").
    repeat_prefix_chars: int = 30


@dataclass(frozen=True, slots=True)
class CopySettings:
    # 8-word shingles: shorter ones match the stock phrases of one event's reports
    # ("au moins trois personnes sont mortes"); 128 permutations: datasketch default.
    shingle_words: int = 8
    # Shorter texts (teasers, captions, failed extractions) share wording by chance.
    min_words: int = 25
    # Copies appear within days of their original: 50,000 documents is weeks of
    # news at thousands a day, in about 600 MB (benchmarks/bench_copies.py).
    max_documents: int = 50_000
    # MinHash only proposes candidates (exact shingle sets decide): 32 permutations
    # at threshold 0.3 give 12 bands of 2 rows, so a pair with Jaccard 0.3 is
    # proposed 68% of the time and 0.43 (0.6 of one text in the other) 91%.
    num_perm: int = 32
    # Candidates: LSH at a low Jaccard (partial copies), plus rare anchor pairs.
    lsh_threshold: float = 0.3
    max_posting: int = 50
    max_candidates: int = 20
    min_shared_pairs: int = 2
    min_sentence_words: int = 4
    function_words: int = 20
    # Jaccard of the 20 most frequent short words, which picks the same- or
    # cross-language model: dev and dev2 same-language pairs >= 0.31, pairs of
    # two languages <= 0.18 (Spanish against French).
    same_language_overlap: float = 0.25
    # Anchors (numbers, names, dates) in the same order: fewer than 6 is chance.
    min_common_anchors: int = 6
    # Sentences match on half the smaller one's content words (or anchors, across
    # languages; 2 at least), nearly word for word on 0.8.
    sentence_overlap: float = 0.5
    verbatim_overlap: float = 0.8
    min_sentence_anchors: int = 2
    # A copy opens where the other text starts or inside it: its first shared sentence
    # shares half the content words, or 3/4 of the anchors (a spun sentence keeps names
    # and numbers), of the larger of the two sentences: a sentence that only names what
    # the other names, or wraps a shared clause in words of its own, opens nothing.
    opening_words: float = 0.5
    opening_anchors: float = 0.75
    # Shares of sentences count this many unmatched sentences more in the shorter text:
    # 3 of 3 sentences of a short piece (two outlets' one-paragraph briefs on one wire)
    # is weaker evidence than 12 of 12, and a share of 1 with nothing shared is no copy.
    sentence_prior: int = 2
    # Sentences aligned one to one keep lengths at one ratio, within e^0.3 (about 35%) of
    # the matched sentences' median ratio (alignment.parallel_share).
    parallel_tolerance: float = 0.3
    # The opening whose sharing marks syndication: 40 shingles, about two sentences.
    lead_shingles: int = 40
    # The decision is the fitted model's (copy_model.py); this only names a linked
    # pair near-verbatim rather than rewritten: half its words in shared passages.
    near_threshold: float = 0.5
    # A digest republishes items: several passages of 10+ words shared verbatim
    # with an article, on a page of several headed items, no wire credited (dev 022).
    digest_passage_words: int = 10
    digest_passages: int = 2
    # Evidence: shared passages of 12+ words, at most 20 passages a link.
    evidence_words: int = 12
    evidence_passages: int = 20


@dataclass(frozen=True, slots=True)
class AnalysisSettings:
    # Documents analysed, and stored in one transaction, together: one task of an executor.
    # Small enough that 2 workers share the last batches of a run evenly (spaCy's output and
    # throughput are the same at 8 as at 32, measured on seeds+dev+dev2).
    batch_size: int = 8
    # Longer texts are parsed in pieces of at most this many characters, cut at
    # line ends, offsets kept: spaCy refuses texts over 1,000,000 characters, and
    # the parser's memory grows with the text (about 1 GB per 100,000 characters).
    piece_chars: int = 100_000
    # A text over `piece_chars` is parsed fully for its first this many characters
    # (cut at a line end: the lead, and more), lightly after: sentences and named
    # entities, without the tagger, parser and lemmatizer, which cost most of a parse
    # (claims, figures and date attachment find less there). News articles are far
    # shorter; this keeps a megabyte text within a few times a corpus's cost.
    full_parse_chars: int = 20_000


@dataclass(frozen=True, slots=True)
class EventSettings:
    # The same-event pair model (recoupe/models/<file>): a logistic regression over
    # language-neutral evidence and the linkage threshold fitted with it, both
    # learned from labelled corpora by `recoupe fit events` (see recoupe.event_pairs).
    # "" is no model: every report its own event (how corpora are read to fit one).
    model: str = "event_pairs.json"
    # A paragraph recalling an older event links to it (BACKGROUND) when its mean
    # pair probability with that event's reports reaches this; its recalled
    # days must overlap theirs, which already filters most look-alikes.
    background_threshold: float = 0.3
    # Days between a unit's dated window and an event's span beyond which they
    # are different events whatever their words: follow-ups come within a day
    # or two (dev: Belga's day-after report); the hard negatives are months apart.
    max_gap_days: int = 3
    # An event spans at most this many days: two reports whose sure days (stated
    # to the day) are further apart never join, and no event grows past it.
    # dev2's longest events (the riots W9, tallied over a week of nights) fit.
    max_span_days: int = 10
    # Dates in a report older than publication minus this are history, not its
    # event: a paragraph made only of them is a BACKGROUND unit.
    background_days: int = 21
    # Dates up to this many days before publication can be the reported event's.
    report_lag_days: int = 7
    # Smoothed idf = ln((units + prior) / (1 + df)): as if this many unrelated
    # units had been seen, so that a first small batch (the five seeds) still
    # weighs shared names; negligible once thousands of units are stored.
    idf_prior_units: int = 10
    # Entity keys and GeoNames ids weigh this much more than word stems. Names
    # are what reports share across languages, but 1.5-3 lowered dev F1
    # (0.944 -> 0.917): variant keys of one name split its weight.
    entity_weight: float = 1.0
    # Title and lead words weigh this much more than body words.
    lead_weight: float = 2.0
    # Candidate units come from the postings of the unit's strongest features
    # only, in the weeks its event can span when it is dated, each list capped to
    # its most recent units: the cost per batch stays flat as the store grows.
    query_features: int = 24
    max_postings: int = 256
    # Each unit keeps this many neighbours at most (the most similar of those sharing
    # a strongest feature either way): dev2's largest event has 9 reports. Pairs are
    # judged when either side keeps the other; the lists bound a batch's cost.
    max_candidates: int = 32
    # Sentences in a summary and minimum MMR relevance/redundancy trade-off.
    summary_sentences: int = 4
    summary_diversity: float = 0.3
    # Two sentences whose word-stem sets overlap this much are one fact, cited twice.
    same_sentence_jaccard: float = 0.6


@dataclass(frozen=True, slots=True)
class ClaimSettings:
    # Two claims without a frame state the same thing when they share this share
    # of their keyword stems (Jaccard) and at least `min_shared_keywords` of them.
    # Seeds 000: the two reports of the NORSI refinery stop share 0.4 (6 stems),
    # unrelated claims of one event 0.0-0.1.
    keyword_jaccard: float = 0.3
    min_shared_keywords: int = 2
    # An approximate count ("environ 30", "une quarantaine") allows this share either
    # side of its value. Fitted on the adversarial set (tests/quality/contradictions):
    # "une quarantaine" / "une cinquantaine" of ships must agree (needs >= 0.12),
    # "environ 30 km" / "une soixantaine" must not (needs < 0.33).
    about_tolerance: float = 0.2
    # Two counts whose place is guessed from their document (their sentence names none)
    # are compared only when the larger value is at most this many times the smaller.
    # Fitted between the real disputes of the adversarial set (unions 10 000 against
    # 2 000: 5) and the look-alikes of the labelled dev2 pairs
    # (tests/quality/contradictions/dev2_pairs.json: 6.4, a war toll against one
    # strike's; 16, Paris against the whole country).
    guessed_scope_ratio: float = 5.5


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
    "clean.repeat_ratio": (0.5, 1.0),
    "clean.repeat_prefix_chars": (5, 1_000),
    "copies.shingle_words": (1, 50),
    "copies.min_words": (0, 100_000),
    "copies.max_documents": (1, 100_000_000),
    "copies.num_perm": (16, 1024),
    "copies.near_threshold": (0.0, 1.0),
    "copies.lsh_threshold": (0.0, 1.0),
    "copies.max_posting": (1, 1_000_000),
    "copies.max_candidates": (1, 10_000),
    "copies.min_shared_pairs": (1, 1000),
    "copies.min_sentence_words": (1, 100),
    "copies.function_words": (1, 1000),
    "copies.same_language_overlap": (0.0, 1.0),
    "copies.min_common_anchors": (1, 1000),
    "copies.sentence_overlap": (0.0, 1.0),
    "copies.verbatim_overlap": (0.0, 1.0),
    "copies.min_sentence_anchors": (1, 100),
    "copies.opening_words": (0.0, 1.0),
    "copies.opening_anchors": (0.0, 1.0),
    "copies.lead_shingles": (1, 10_000),
    "copies.sentence_prior": (0, 100),
    "copies.parallel_tolerance": (0.0, 5.0),
    "copies.digest_passage_words": (1, 1000),
    "copies.digest_passages": (1, 1000),
    "copies.evidence_words": (1, 10_000),
    "copies.evidence_passages": (0, 10_000),
    "analysis.batch_size": (1, 10_000),
    "analysis.piece_chars": (1_000, 1_000_000),
    "analysis.full_parse_chars": (0, 100_000_000),
    "events.background_threshold": (0.0, 1.0),
    "events.max_gap_days": (0, 365),
    "events.max_span_days": (1, 3650),
    "events.background_days": (1, 3650),
    "events.report_lag_days": (0, 365),
    "events.lead_weight": (1.0, 10.0),
    "events.entity_weight": (0.0, 10.0),
    "events.idf_prior_units": (0, 1_000_000),
    "events.query_features": (1, 1000),
    "events.max_postings": (1, 100_000),
    "events.max_candidates": (1, 10_000),
    "events.summary_sentences": (1, 50),
    "events.summary_diversity": (0.0, 1.0),
    "events.same_sentence_jaccard": (0.0, 1.0),
    "claims.keyword_jaccard": (0.0, 1.0),
    "claims.min_shared_keywords": (1, 100),
    "claims.about_tolerance": (0.0, 0.9),
    "claims.guessed_scope_ratio": (1.0, 1000.0),
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
