"""Claims of one event compared: propositions (who asserts, who denies) and contradictions.

A statement (an attributed claim, or a reporter's own sentence) is read into
frames, language data saying what it reports happened
(`lang/<code>/contradiction_frames.yaml`: control taken, attack repelled,
fighting, someone missing, ships blocked), each asserted or denied. Claims
sharing a frame, or enough keywords, form a proposition; a copy never counts as
an independent source. Two statements contradict when one asserts what the
other denies (a denial), or when their frames cannot both hold (a status:
control claimed vs attack repelled). Blame is read apart: who a statement says
did the act (`blame` patterns, agents compared on stems and aliases: "frappe
israélienne", "imputé à Israël", "Tsahal"); a speaker so named who disowns the act
or names someone else in an independent source contradicts it (a denial of
blame). Statements weighing hypotheses and reporters' sentences relaying who
blames whom blame no one. Figures are compared in `tallies.py`.

No reason is written here: a contradiction carries its kind and frame, and the
report and the web UI word it in the reader's language.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from itertools import combinations


from recoupe.folding import latin
from recoupe.lang import LanguageResources
from recoupe.model import (
    Analysis,
    Claim,
    Contradiction,
    ContradictionKind,
    CopyLink,
    CorpusResults,
    EventRole,
    PartialDate,
    Place,
    PlaceKind,
    Polarity,
    Proposition,
    Statement,
)
from recoupe.settings import ClaimSettings

# Keywords are compared on their first letters, a crude stem that also joins
# French and English spellings of a name ("Tiotkino", "Tyotkino" stay apart).
STEM_LENGTH = 6
MIN_KEYWORD_LENGTH = 4
# Agents are compared on their first letters: "israélienne", "Israël" and "Israeli" meet; "Tsahal" through
# `agent_aliases`.
AGENT_STEM_LENGTH = 4
# How far before a frame's words a negation may sit in its clause ("aucun navire n'est bloqué"), in characters;
# it may also sit inside them ("la ville n'a pas été évacuée").
NEGATION_WINDOW = 60
# How far before a claim's content its lead (speaker and reporting verb) is read, in characters.
LEAD_WINDOW = 120
# How far before a speaker's first mention its office is read ("le porte-parole du ministère russe de la
# Défense, Igor Konachenkov"), in characters.
DESCRIPTION_WINDOW = 90


@dataclass(frozen=True, slots=True)
class Frame:
    name: str
    patterns: tuple[re.Pattern[str], ...]
    reporter: bool = False  # also read in the reporters' own sentences
    same_subject: bool = False  # both sides must share a word besides the frame's ("navires")
    dated: bool = False  # a state that changes over time: statements of different report days never clash


@dataclass(frozen=True, slots=True)
class FrameBook:
    """The frames of `contradiction_frames.yaml`, compiled once per call."""

    frames: tuple[Frame, ...]
    overrides: Mapping[str, frozenset[str]]
    conflicts: frozenset[tuple[str, str]]
    stopwords: frozenset[str]
    nested: tuple[re.Pattern[str], ...]  # "selon lesquelles ...": someone else's claim inside this one
    negations: tuple[re.Pattern[str], ...]  # matched on the clause before a frame's words
    frame_words: frozenset[str]  # keyword stems of the frames' own words, never a shared subject
    blame: tuple[re.Pattern[str], ...] = ()  # group `agent`: who a statement says did it
    disown: tuple[re.Pattern[str], ...] = ()  # a speaker denying it did it
    uncertain: tuple[re.Pattern[str], ...] = ()  # "deux hypothèses": no one is blamed
    relayed: tuple[re.Pattern[str], ...] = ()  # "a imputé", "blamed": a reporter's sentence relaying blame
    agent_stopwords: frozenset[str] = frozenset()
    agent_aliases: Mapping[str, str] = dataclass_field(default_factory=dict)  # "tsahal" -> "israël"
    accusations: tuple[re.Pattern[str], ...] = ()  # a reporter's "X accuse Y d'avoir ...": groups `speaker`, `agent`
    both_sides: tuple[re.Pattern[str], ...] = ()  # a sentence relaying both sides accuses no one
    targets: tuple[tuple[str, re.Pattern[str]], ...] = ()  # (key, words): what an act struck
    titles: frozenset[str] = frozenset()  # words of a person's office: "président", "spokesman"

    @classmethod
    def from_resources(cls, resources: LanguageResources) -> FrameBook:
        data = resources.contradiction_frames  # patterns compiled at load
        frames = tuple(
            Frame(name, spec.patterns, reporter=spec.reporter, same_subject=spec.same_subject, dated=spec.dated)
            for name, spec in data.frames.items()
        )
        conflicts = set(data.conflicts)
        return cls(
            frames=frames,
            overrides={k: frozenset(v) for k, v in data.overrides.items()},
            conflicts=frozenset(conflicts | {(b, a) for a, b in conflicts}),
            stopwords=frozenset(data.stopwords),
            nested=data.nested_attribution,
            negations=data.negations,
            frame_words=frozenset(w[:STEM_LENGTH] for w in re.findall(r"\w+", latin(" ".join(data.frame_words)))),
            blame=data.blame,
            disown=data.disown,
            uncertain=data.uncertain,
            relayed=data.relayed,
            agent_stopwords=frozenset(_stems(" ".join(data.agent_stopwords))),
            agent_aliases={normalise(k): normalise(v) for k, v in data.agent_aliases.items()},
            accusations=data.accusations,
            both_sides=data.both_sides,
            targets=tuple(
                (key, re.compile(r"\b(?:" + "|".join(re.escape(normalise(w)) for w in words) + r")\b"))
                for key, words in data.targets.items() if words
            ),
            titles=frozenset(normalise(w) for w in data.titles),
        )

    @property
    def same_subject(self) -> frozenset[str]:
        return frozenset(f.name for f in self.frames if f.same_subject)

    @property
    def dated(self) -> frozenset[str]:
        return frozenset(f.name for f in self.frames if f.dated)


@dataclass(frozen=True, slots=True)
class Reading:
    """What one statement says, in comparable terms."""

    statement: Statement
    source: str  # the independent document: the original of a copy
    frames: Mapping[str, Polarity]  # each frame it reads, asserted or denied
    keywords: frozenset[str]
    blamed: tuple[frozenset[str], ...] = ()  # who it says did it, each agent as stems ("frappe israélienne": isra)
    disowns: bool = False  # its speaker denies having done it
    speaker_stems: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()  # what its document's act struck, mainly (`FrameBook.targets` keys)
    places: frozenset[str] = frozenset()  # the places it names where the act happened, parties' names left out
    elsewhere: bool = False  # it names a place but not its report's target: another act ("des frappes ont visé Koupiansk")


_STRAIGHT_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"'})


def normalise(text: str) -> str:
    """NFKC, lower case, straight quotes, collapsed spaces: the form frames are matched on."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_STRAIGHT_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


def compare_claims(
    claims_by_event: Mapping[str, Sequence[Claim]],
    copies: Sequence[CopyLink],
    languages: Mapping[str, LanguageResources],
    settings: ClaimSettings = ClaimSettings(),
    *,
    reported: Mapping[str, Sequence[Statement]] = {},
    same_source: Sequence[Collection[str]] = (),
    document_languages: Mapping[str, str] = {},
    texts: Mapping[str, str] = {},
    places: Mapping[str, Sequence[Place]] = {},
) -> tuple[list[Proposition], list[Contradiction]]:
    """Propositions and contradictions within each event.

    Propositions group attributed claims; contradictions also read `reported`,
    the reporters' own sentences of each event (`tallies.reporter_statements`).
    Each statement is read with the frames of its document's language
    (`document_languages`: document id -> code; the first of `languages` otherwise);
    statements of different languages meet through the frames' names.
    `texts` (document id -> text) gives each claim its lead, the words of its
    sentence before its content ("la mairie accuse", "n'ont pas confirmé"), and
    each speaker's first mention in it ("le président ukrainien Volodymyr Zelensky":
    the side a person speaks for). `places` (document id -> its places) tells
    the places each statement names: blame for acts at different places is never
    compared.
    """
    books = {code: FrameBook.from_resources(r) for code, r in languages.items()}
    default = books[next(iter(books))]
    neutral = replace(default, frame_words=frozenset().union(*(b.frame_words for b in books.values())))

    def book_of(document: str) -> FrameBook:
        return books.get(document_languages.get(document, ""), default)

    def book(statement: Claim | Statement) -> FrameBook:
        return book_of(statement.span.document_id)

    originals = independent_sources(copies, same_source)
    propositions: list[Proposition] = []
    contradictions: list[Contradiction] = []
    for event_id in sorted(claims_by_event.keys() | reported.keys()):
        claims = [c for c in claims_by_event.get(event_id, ()) if c.speaker is not None]
        days = {s.span.document_id: s.published for s in reported.get(event_id, ()) if s.published is not None}
        readings = [
            read_claim(c, originals, book(c), days.get(c.span.document_id), _lead(c, texts.get(c.span.document_id, "")))
            for c in claims
        ]
        statements = [r for s in reported.get(event_id, ()) if (r := read_statement(s, originals, book(s))) is not None]
        statements = _unrelayed(statements, readings)
        propositions.extend(group_propositions(event_id, readings, settings))
        targets = {d: main_targets(texts[d], book_of(d)) for d in {r.statement.span.document_id for r in (*readings, *statements)} if d in texts}
        readings = [
            _situated(replace(r, targets=targets.get(r.statement.span.document_id, frozenset()),
                              speaker_stems=r.speaker_stems | _described(r.statement.speaker or "", texts.get(r.statement.span.document_id, ""), book(r.statement))),
                      places.get(r.statement.span.document_id, ()), book(r.statement))
            for r in readings
        ]
        statements = [
            _situated(replace(r, targets=targets.get(r.statement.span.document_id, frozenset())),
                      places.get(r.statement.span.document_id, ()), book(r.statement))
            for r in statements
        ]
        contradictions.extend(find_contradictions(event_id, [*readings, *statements], neutral))
    return propositions, contradictions


def independent_sources(copies: Sequence[CopyLink], same_source: Sequence[Collection[str]] = ()) -> dict[str, str]:
    """Document id -> its independent source: the original a copy reproduces, one id per wire dispatch."""
    parent = {link.copy: link.original for link in copies}
    roots: dict[str, str] = {}
    for copy in parent:
        root, seen = copy, {copy}
        while root in parent and parent[root] not in seen:
            root = parent[root]
            seen.add(root)
        roots[copy] = root
    for group in same_source:
        members = sorted({roots.get(d, d) for d in group})
        for document in {*group, *members}:
            roots[document] = members[0]
    return {d: roots.get(r, r) for d, r in roots.items()}


def read_claim(
    claim: Claim, originals: Mapping[str, str], book: FrameBook, published: PartialDate | None = None, lead: str = ""
) -> Reading:
    """What a claim says. Its `lead` (its sentence's words before its content) is read only where the
    reporting verb is the fact itself: a death confirmed or not ("n'ont pas confirmé la mort de X", dated
    frames) and an accusation ("la mairie accuse l'entreprise d'avoir ...")."""
    text = normalise(claim.text)
    own_text = text[: min((m.start() for p in book.nested for m in [p.search(text)] if m), default=len(text))]
    polarities = _frame_polarities(own_text, book, reporter=False)
    if claim.polarity is Polarity.DENY:  # "le Kremlin nie l'existence d'affrontements": the verb denies
        polarities = {f: Polarity.DENY for f in polarities}
    whole = normalise(f"{lead} {own_text}") if lead else ""
    if whole:
        said = _frame_polarities(whole, book, reporter=True)
        polarities.update({f: p for f, p in said.items() if f in book.dated and f not in polarities})
    statement = Statement.of_claim(claim, published=published)
    document = claim.span.document_id
    blamed, disowns = _blame(own_text, book)
    disowns = disowns or (bool(whole) and any(p.search(whole) for p in book.disown))  # "X a rejeté les accusations"
    accused = _accusation(whole, book) if whole else None
    if accused is not None and accused[1] not in blamed:
        blamed = (*blamed, accused[1])
    blamed = () if claim.hedged else blamed  # "X serait responsable" blames no one; a hedged denial still denies
    return Reading(statement, originals.get(document, document), polarities, _keywords(text, book), blamed,
                   disowns, _agent(claim.speaker.name if claim.speaker else "", book))


def read_statement(statement: Statement, originals: Mapping[str, str], book: FrameBook) -> Reading | None:
    """A reporter's own sentence read for the frames it may carry; None when it carries none."""
    text = normalise(statement.text)
    polarities = _frame_polarities(text, book, reporter=True)
    # The outlet's own voice blames ("touchée par une frappe israélienne"); a sentence relaying who
    # blames whom ("le Hamas a imputé la frappe à Israël, tandis que l'armée ...") asserts nothing,
    # but one party accusing another in the outlet's words ("la mairie accuse l'entreprise d'avoir
    # bâclé les travaux") is that party's statement.
    document = statement.span.document_id
    accused = _accusation(text, book)
    if accused is not None:
        speaker, agent = accused
        return Reading(replace(statement, speaker=speaker), originals.get(document, document), polarities,
                       _keywords(text, book), (agent,), speaker_stems=_agent(speaker, book))
    blamed = () if any(p.search(text) for p in book.relayed) else _blame(text, book)[0]
    if not polarities and not blamed:
        return None
    return Reading(statement, originals.get(document, document), polarities, _keywords(text, book), blamed)


def main_targets(text: str, book: FrameBook) -> frozenset[str]:
    """The targets a document names most (ties kept): what its act struck ("hôpital" named six times, "église" once)."""
    lowered = normalise(text)
    counts = {key: len(pattern.findall(lowered)) for key, pattern in book.targets}
    most = max(counts.values(), default=0)
    return frozenset(k for k, n in counts.items() if n == most) if most else frozenset()


def _described(speaker: str, text: str, book: FrameBook) -> frozenset[str]:
    """The stems of a person's office at its first mention in its document: the words from up to two
    before an office word to the name ("Kremlin spokesman Dmitry Peskov", "le président ukrainien
    Volodymyr Zelensky"), or the clause before the name holding an office word ("le porte-parole du
    ministère russe de la Défense, Igor Konachenkov"). Nothing when no office word is there."""
    names = [w for w in re.findall(r"[\w-]+", speaker) if len(w) >= 3 and w[:1].isupper()]
    if not names or not text or not book.titles:
        return frozenset()
    mention = re.search(r"\b" + re.escape(names[-1]) + r"\b", text)
    if mention is None:
        return frozenset()
    clauses = re.split(r"[,;:.!?«»\"()\n]", text[max(0, mention.start() - DESCRIPTION_WINDOW) : mention.start()])
    words = normalise(clauses[-1]).split()
    titled = [i for i, w in enumerate(words) if w in book.titles]
    if titled and len(words) - titled[-1] <= 4:  # the office right before the name: "président ukrainien Volodymyr"
        return _agent(" ".join(words[max(0, titled[-1] - 2) :]), book)
    first_names = clauses[-1].split()
    if len(clauses) >= 2 and len(first_names) <= 2 and all(w[:1].isupper() for w in first_names):
        before = normalise(clauses[-2]).split()  # "Le porte-parole ..., Igor Konachenkov": an office opening the clause
        if len(before) <= 10 and any(w in book.titles for w in before[:3]):
            return _agent(" ".join(before), book)
    return frozenset()


def _situated(reading: Reading, places: Sequence[Place], book: FrameBook) -> Reading:
    """A reading with the places its statement names, but countries and the parties' own names
    ("le régime de Kiev" names a side, not where the act happened); placed elsewhere when it names a
    place but not its report's main target."""
    span = reading.statement.span
    parties = reading.speaker_stems.union(*reading.blamed)
    named = frozenset(
        p.name for p in places
        if span.start <= p.span.start and p.span.end <= span.end and p.kind is not PlaceKind.COUNTRY
        and not (_agent(p.mention, book) | _agent(p.name, book)) & parties
    )
    if not named:
        return reading
    text = normalise(reading.statement.text)
    about_target = any(pattern.search(text) for key, pattern in book.targets if key in reading.targets)
    return replace(reading, places=named, elsewhere=bool(reading.targets) and not about_target)


def _lead(claim: Claim, text: str) -> str:
    """The words of a claim's sentence before its content, when its cue comes first: speaker and verb."""
    if not text or claim.cue is None or claim.cue.start > claim.span.start:
        return ""
    before = text[max(0, claim.span.start - LEAD_WINDOW) : claim.span.start]
    return re.split(r"[.!?«»\"\n]", before)[-1]


def _accusation(text: str, book: FrameBook) -> tuple[str, frozenset[str]] | None:
    """The party a reporter's sentence shows accusing one other party, and that party's stems; None when
    the sentence relays both sides, weighs hypotheses, or accuses no one named."""
    if any(p.search(text) for p in (*book.both_sides, *book.disown, *book.uncertain)):
        return None
    found = [m for p in book.accusations for m in p.finditer(text)]
    if len(found) != 1:
        return None
    speaker, agent = (" ".join(found[0].group(g).split()) for g in ("speaker", "agent"))
    speaker_stems, agent_stems = _agent(speaker, book), _agent(agent, book)
    if not speaker_stems or not agent_stems or speaker_stems & agent_stems:
        return None
    return speaker, agent_stems


def _blame(text: str, book: FrameBook) -> tuple[tuple[frozenset[str], ...], bool]:
    """Who the text says did it (each agent's name as stems), and whether it disowns an act; nothing
    when it weighs hypotheses ("deux hypothèses sont vérifiées") or negates the attribution."""
    if any(p.search(text) for p in book.uncertain):
        return (), False
    blamed: list[frozenset[str]] = []
    for pattern in book.blame:
        for match in pattern.finditer(text):
            before = re.split(r"[,.;:!?\"]", text[max(0, match.start() - NEGATION_WINDOW) : match.start()])[-1]
            agent = _agent(match.group("agent"), book)
            if agent and agent not in blamed and not any(n.search(before) for n in book.negations):
                blamed.append(agent)
    return tuple(blamed), any(p.search(text) for p in book.disown)


def _agent(name: str, book: FrameBook) -> frozenset[str]:
    """A name as compared stems, its aliases read ("Tsahal" is Israel), words naming no side left out."""
    words = [book.agent_aliases.get(w, w) for w in re.findall(r"[\w-]+", normalise(name))]
    return frozenset(_stems(" ".join(words))) - book.agent_stopwords


def _stems(text: str) -> set[str]:
    """Crude stems of a name, across languages and adjectives: "israélienne", "Israël", "Israeli" -> "isra"."""
    return {w[:AGENT_STEM_LENGTH] for w in re.findall(r"\w+", latin(text).lower()) if len(w) >= MIN_KEYWORD_LENGTH}


def _unrelayed(statements: Sequence[Reading], claims: Sequence[Reading]) -> list[Reading]:
    """Reporters' sentences that do not relay a claim of their own document ("La préfecture
    dément toute disparition" above the prefecture's quote): the claim speaks for them."""
    said = {(r.statement.span.document_id, f, p) for r in claims for f, p in r.frames.items()}
    return [
        r for r in statements
        if r.blamed or not all((r.statement.span.document_id, f, p) in said for f, p in r.frames.items())
    ]


def _frame_polarities(text: str, book: FrameBook, *, reporter: bool) -> dict[str, Polarity]:
    """Each frame the text reads, denied when a negation precedes its words in their clause."""
    found: dict[str, Polarity] = {}
    for frame in book.frames:
        if reporter and not frame.reporter:
            continue
        match = next((m for p in frame.patterns for m in [p.search(text)] if m), None)
        if match is None:
            continue
        # Frames read in reporters' sentences are negated in their clause; the others by the claim's verb only.
        before = re.split(r"[,.;:!?\"]", text[max(0, match.start() - NEGATION_WINDOW) : match.end()])[-1]
        denied = frame.reporter and any(n.search(before) for n in book.negations)
        found[frame.name] = Polarity.DENY if denied else Polarity.ASSERT
    for frame, cancelled in book.overrides.items():
        if frame in found:
            for name in cancelled:
                found.pop(name, None)
    return found


def _keywords(text: str, book: FrameBook) -> frozenset[str]:
    words = re.findall(r"\w+", latin(text))
    return frozenset(w[:STEM_LENGTH] for w in words if len(w) >= MIN_KEYWORD_LENGTH and w not in book.stopwords)


def group_propositions(event_id: str, readings: Sequence[Reading], settings: ClaimSettings) -> list[Proposition]:
    """One proposition per frame, then frameless claims clustered by shared keywords."""
    groups: dict[str, list[Reading]] = {}
    for reading in readings:
        for frame in sorted(reading.frames):
            groups.setdefault(f"frame:{frame}", []).append(reading)
    clusters: list[list[Reading]] = []
    for reading in (r for r in readings if not r.frames):
        home = next((c for c in clusters if _same_topic(c[0], reading, settings)), None)
        if home is None:
            clusters.append([reading])
        else:
            home.append(reading)
    for cluster in clusters:
        groups[f"claim:{cluster[0].statement.claim_id}"] = cluster
    return [_proposition(event_id, key, members) for key, members in sorted(groups.items())]


def _same_topic(a: Reading, b: Reading, settings: ClaimSettings) -> bool:
    shared = a.keywords & b.keywords
    union = a.keywords | b.keywords
    return len(shared) >= settings.min_shared_keywords and len(shared) / len(union) >= settings.keyword_jaccard


def _proposition(event_id: str, key: str, members: Sequence[Reading]) -> Proposition:
    asserted = {r.source for r in members if r.statement.polarity is Polarity.ASSERT}
    denied = {r.source for r in members if r.statement.polarity is Polarity.DENY}
    return Proposition(
        id=_digest(f"{event_id}:{key}"),
        event_id=event_id,
        claim_ids=tuple(r.statement.claim_id or "" for r in members),
        asserted_by=tuple(sorted(asserted)),
        denied_by=tuple(sorted(denied)),
    )


def find_contradictions(event_id: str, readings: Sequence[Reading], book: FrameBook) -> list[Contradiction]:
    """Pairs of statements by independent sources that cannot both be true. O(n²) in the statements of one event.

    Attributed claims are read for every frame; the reporters' own sentences
    only for the frames marked `reporter: true` (a man reported missing, ships
    blocked), whose wording rarely carries someone else's claim.
    One contradiction per pair of speakers (of independent sources) and frame:
    the first pair of statements in text order stands for the others.
    """
    # The original of a copy speaks for it, and a credited statement for an unattributed one: they come first.
    # A statement reading no frame and blaming no one clashes with nothing: leaving it out first keeps the pairs few.
    ordered = sorted(
        (r for r in readings if r.frames or r.blamed or r.disowns),
        key=lambda r: (
            r.statement.span.document_id != r.source, not r.statement.speaker, r.statement.span.document_id,
            r.statement.span.start,
        ),
    )
    found: list[Contradiction] = []
    seen: set[tuple[str, ...]] = set()
    for a, b in combinations(ordered, 2):
        if not _independent(a, b):
            continue
        clash = _clash(a, b, book) or _blame_clash(a, b)
        if clash is None:
            continue
        kind, subject, first, second = clash
        key = (subject, *_pair_key(a, b))
        if key not in seen:
            seen.add(key)
            found.append(Contradiction(event_id, kind, first.statement, second.statement, subject))
    return found


def _independent(a: Reading, b: Reading) -> bool:
    """Different independent sources; inside one document, two different named speakers."""
    same_document = a.statement.span.document_id == b.statement.span.document_id
    if not same_document:
        return a.source != b.source and (not _speaker_key(a) or _speaker_key(a) != _speaker_key(b))
    return bool(_speaker_key(a) and _speaker_key(b) and _speaker_key(a) != _speaker_key(b))


def _clash(a: Reading, b: Reading, book: FrameBook) -> tuple[ContradictionKind, str, Reading, Reading] | None:
    """The kind of clash, its frame(s), and the statements in (asserting, denying) order."""
    for frame in sorted(a.frames.keys() & b.frames.keys()):
        if a.frames[frame] is b.frames[frame]:
            continue
        if frame in book.same_subject and not _shared_subject(a, b, book):
            continue
        if frame in book.dated and _different_days(a.statement, b.statement):
            continue  # not confirmed on one day, confirmed the next: the state changed
        asserting, denying = (a, b) if a.frames[frame] is Polarity.ASSERT else (b, a)
        return ContradictionKind.DENIAL, frame, asserting, denying
    asserted_a = sorted(f for f, p in a.frames.items() if p is Polarity.ASSERT)
    asserted_b = sorted(f for f, p in b.frames.items() if p is Polarity.ASSERT)
    for frame_a in asserted_a:
        for frame_b in asserted_b:
            if (frame_a, frame_b) in book.conflicts:
                return ContradictionKind.STATUS, f"{frame_a}:{frame_b}", a, b
    return None


def _blame_clash(a: Reading, b: Reading) -> tuple[ContradictionKind, str, Reading, Reading] | None:
    """One statement says X did it; X, speaking in the other, denies it or names someone else
    ("le Hamas a imputé la frappe à Israël" / "l'armée israélienne a attribué la frappe au Jihad islamique").
    The speaker is X when every word of X's name is in the speaker's ("l'armée israélienne" is Israel;
    "groupe islamiste palestinien" is not the Islamic Jihad)."""
    if a.targets and b.targets and not a.targets & b.targets:
        return None  # reports mainly about different targets tell different acts
    if a.places and b.places and not a.places & b.places:
        return None  # shelling at Valuyki and strikes on Kupiansk: two acts
    if a.elsewhere or b.elsewhere:
        return None  # strikes on Kupiansk in a report about a dam: another act
    for x, y in ((a, b), (b, a)):
        speaker = y.speaker_stems
        accused = next((agent for agent in x.blamed if speaker and agent <= speaker), None)
        if accused is None or any(agent <= x.speaker_stems for agent in x.blamed if x.speaker_stems):
            continue
        others = [agent for agent in y.blamed if not agent & accused and not agent <= speaker]
        if y.disowns or others:
            return ContradictionKind.DENIAL, "blame", x, y
    return None


def _different_days(a: Statement, b: Statement) -> bool:
    """Both statements' report days are known to the day, and differ."""
    days = [s.published for s in (a, b)]
    return all(d is not None and d.day is not None for d in days) and days[0] != days[1]


def _shared_subject(a: Reading, b: Reading, book: FrameBook) -> bool:
    """Both statements name what the frame is about with a common word ("navires")."""
    return bool((a.keywords & b.keywords) - book.frame_words)


def _pair_key(a: Reading, b: Reading) -> tuple[str, ...]:
    """One contradiction per pair of sources and speakers: the same two sides repeating themselves count once."""
    return tuple(sorted((f"{a.source}/{_speaker_key(a)}", f"{b.source}/{_speaker_key(b)}")))


def _speaker_key(reading: Reading) -> str:
    return normalise(reading.statement.speaker) if reading.statement.speaker else ""


def _digest(value: str) -> str:
    return hashlib.sha1(value.encode()).hexdigest()[:16]


# Which event a claim belongs to: every store, the export and the report decide it here.


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """What deciding a claim's event needs: where it is and who says it."""

    document_id: str
    claim_id: str
    start: int
    end: int
    speaker: str = ""


def claim_events(analyses: Iterable[Analysis], results: CorpusResults) -> dict[str, str]:
    """Claim id -> the one event it belongs to, for claims that belong to one.

    In order of precedence: the event of a proposition holding the claim; the
    event of a link whose span contains the claim (a live-blog entry, a
    background paragraph); the document's main event; any event it is linked to
    (`claim_owners`, which the SQL stores run on their claims table)."""
    return claim_owners(claim_refs(analyses), results)


def event_claims(event_id: str, analyses: Iterable[Analysis], results: CorpusResults) -> list[Claim]:
    """The claims `claim_events` gives to this event, by document order then offset."""
    analyses = list(analyses)
    owners = claim_events(analyses, results)
    return [claim for a in analyses for claim in sorted(a.claims, key=lambda c: c.span.start) if owners.get(claim.id) == event_id]


def claim_owners(claims: Iterable[ClaimRef], results: CorpusResults) -> dict[str, str]:
    """Claim id -> the one event it belongs to (see `claim_events`, which this decides for)."""
    by_proposition = {cid: p.event_id for p in results.propositions for cid in p.claim_ids}
    links: dict[str, list] = {}
    for link in results.event_links:
        links.setdefault(link.document_id, []).append(link)
    out: dict[str, str] = {}
    for claim in claims:
        event = by_proposition.get(claim.claim_id) or linked_event(claim.start, claim.end, links.get(claim.document_id, []))
        if event is not None:
            out[claim.claim_id] = event
    return out


def linked_event(start: int, end: int, links: Sequence) -> str | None:
    """The event of the narrowest link whose span holds [start, end); else the document's main
    event; else any event it is linked to as a whole; else any event it is linked to."""
    inside = [link for link in links if link.span is not None and link.span.start <= start and end <= link.span.end]
    if inside:
        return min(inside, key=lambda link: link.span.end - link.span.start).event_id
    whole = [link for link in links if link.span is None]
    for link in whole:
        if link.role is EventRole.MAIN:
            return link.event_id
    candidates = whole or links
    return candidates[0].event_id if candidates else None


def claim_refs(analyses: Iterable[Analysis]) -> list[ClaimRef]:
    return [
        ClaimRef(a.document_id, c.id, c.span.start, c.span.end, c.speaker.name if c.speaker else "")
        for a in analyses
        for c in a.claims
    ]
