"""Who says what: direct quotes and reported speech, each attributed to its speaker.

Three cues attribute a content to a speaker: a reporting verb ("a déclaré que",
"« ... », a-t-elle indiqué"), an attribution phrase ("selon TASS") and, for a
quote standing on its own line, the short line naming its author below it. The
speaker is read from the dependency parse (the verb's subject, including an
inverted one after the verb), then narrowed to a name: a person named in
apposition ("le porte-parole du Kremlin, Dmitri Peskov"), a name given by a
naming verb ("une unité baptisée « Légion ... »"), or the bare noun phrase.
Pronouns take the last speaker. All the words are data (`lang/<code>/`).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from recoupe.lang import LanguageResources
from recoupe.model import (
    Claim,
    ClaimKind,
    Document,
    EntityType,
    Hedge,
    HedgeKind,
    Mention,
    Polarity,
    Span,
    Speaker,
    SpeakerKind,
)

SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass"})
# A verb linked to its head this way shares the head's subject ("a confirmé ..., niant ...").
SHARED_SUBJECT_DEPS = frozenset({"conj", "advcl", "xcomp"})
RELATIVE_DEPS = frozenset({"acl:relcl", "relcl"})
# Tokens allowed between a closing quote (or a comma) and its reporting verb:
# ", a pour sa part indiqué", ", a-t-elle indiqué".
INCISE_POS = frozenset({"AUX", "ADV", "ADP", "DET", "PART", "PUNCT", "PRON"})
# An incise verb sits at most this many tokens after the closing quote (", a pour sa part indiqué": 5).
MAX_INCISE_GAP = 6
# A speaker phrase longer than this is a parse running away, not a name.
MAX_SPEAKER_TOKENS = 16
# A line naming a quote's author (seed 001: "Légion Liberté de la Russie") is short.
MAX_NAME_LINE_WORDS = 8
# A naming verb's name follows it closely ("présenté à l'AFP en décembre comme « Caesar »": 7).
MAX_NAME_DISTANCE = 9
PHRASE_STOPS = frozenset({".", ";", ":", "!", "?", "–", "—", "-", "(", ")", "[", "]"})
# Right dependents of a reporting verb that start another clause, not more of the content.
CLAUSE_BREAK_DEPS = frozenset({"punct", "cc", "parataxis", "advcl", "acl", "nsubj", "expl:subj"})
STANCE_POLARITY = {"assert": Polarity.ASSERT, "hedge": Polarity.ASSERT, "deny": Polarity.DENY}
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


@dataclass(frozen=True, slots=True)
class Attribution:
    """A content and the cue attributing it, before its speaker is resolved."""

    content: tuple[int, int]
    kind: ClaimKind
    cue: tuple[int, int]
    stance: str = "assert"
    verb: Token | None = None  # the reporting verb, whose subject is the speaker
    subject: Token | None = None  # the speaker's head when no verb carries it ("selon X")
    named: tuple[int, int] | None = None  # a line of its own naming the speaker


@dataclass(frozen=True, slots=True)
class Said:
    """A speaker already met in the document, for pronouns and "l'unité"."""

    speaker: Speaker
    head: str
    gender: str = ""  # grammatical gender of the head noun, for "il" / "elle"


def claim_id(document_id: str, start: int, end: int) -> str:
    return hashlib.sha1(f"{document_id}:{start}:{end}".encode()).hexdigest()[:16]


def find_claims(
    doc: Doc, document: Document, mentions: Sequence[Mention], hedges: Sequence[Hedge], resources: LanguageResources
) -> list[Claim]:
    """Attributed claims of one document, in text order; unattributed quotes are left out."""
    lexicon = QuoteLexicon.from_resources(resources)
    quotes = find_quotes(doc.text, lexicon.quote_pairs)
    direct = direct_quotes(doc, quotes, lexicon)
    taken = {a.verb.i for a in direct if a.verb is not None}
    found = direct + reported_speech(doc, quotes, taken, lexicon) + attributed_by_cue(doc, quotes, lexicon)
    claims: list[Claim] = []
    said: list[Said] = []
    seen: set[tuple[int, int]] = set()
    for attribution in sorted(found, key=lambda a: (a.cue[0], a.content[0])):
        resolved = resolve_speaker(attribution, doc, document, mentions, said, quotes, lexicon)
        if resolved is None or attribution.content in seen:
            continue
        seen.add(attribution.content)
        speaker, head = resolved
        if speaker.span is not None:
            said.append(Said(speaker, head.lemma_.lower() if head else "", _gender(head)))
        claims.append(_claim(attribution, speaker, doc, document, hedges, lexicon))
    return sorted(claims, key=lambda c: (c.span.start, c.span.end))


def find_quotes(text: str, pairs: dict[str, str]) -> list[tuple[int, int]]:
    """Outermost quotation pairs as (opening mark, closing mark) offsets; none crosses a line."""
    closers = {close: open_ for open_, close in pairs.items() if open_ != close}
    symmetric = {m for m, close in pairs.items() if m == close}
    found: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, char in enumerate(text):
        if char == "\n":
            stack.clear()
        elif char in symmetric and stack and stack[-1][0] == char:
            _close(stack, found, i)
        elif char in closers and stack and stack[-1][0] == closers[char]:
            _close(stack, found, i)
        elif char in pairs:
            stack.append((char, i))
    return sorted(found)


def _close(stack: list[tuple[str, int]], found: list[tuple[int, int]], end: int) -> None:
    _, start = stack.pop()
    if not stack:
        found.append((start, end))


def direct_quotes(doc: Doc, quotes: list[tuple[int, int]], lexicon: QuoteLexicon) -> list[Attribution]:
    """Quotes attributed by an incise after them, a verb and a colon before them, or a name line below."""
    found: list[Attribution] = []
    for open_, close in quotes:
        inner = _trim(doc.text, open_ + 1, close)
        quoted = doc.char_span(inner[0], inner[1], alignment_mode="expand") if inner[1] > inner[0] else None
        if quoted is None or not any(t.pos_ in {"VERB", "AUX"} for t in quoted):
            continue  # a name or a scare quote ("bataillon «Sibir»", "toute «percée»"), not speech
        verb = _incise_after(doc, open_, close, lexicon) or _verb_before_colon(doc, open_, lexicon)
        if verb is not None:
            content = _partial_quote_content(doc, open_, close) or inner
            stance = lexicon.stances.get(verb.lemma_, "assert")
            found.append(Attribution(content, ClaimKind.DIRECT, _token_range(verb), stance, verb=verb))
            continue
        named = _name_line_below(doc.text, open_, close)
        if named is not None:
            found.append(Attribution(inner, ClaimKind.DIRECT, named, named=named))
    return found


def reported_speech(
    doc: Doc, quotes: list[tuple[int, int]], taken: set[int], lexicon: QuoteLexicon
) -> list[Attribution]:
    """Reporting verbs with a clause, an infinitive or an object as content, or an incise after it."""
    found: list[Attribution] = []
    for verb in doc:
        if verb.i in taken or not _is_reporting_verb(verb, quotes, lexicon):
            continue
        content = _complement(verb, lexicon)
        if content is None:
            content = _content_before_incise(doc, verb) if _is_incise(verb, quotes) else _object_content(verb, lexicon)
        if content is None or content[1] <= content[0]:
            continue
        stance = lexicon.stances[verb.lemma_]
        found.append(Attribution(content, ClaimKind.REPORTED, _token_range(verb), stance, verb=verb))
    return found


def attributed_by_cue(doc: Doc, quotes: list[tuple[int, int]], lexicon: QuoteLexicon) -> list[Attribution]:
    """"selon X, ..." and "..., d'après X": the rest of the sentence is X's claim."""
    found: list[Attribution] = []
    lowered = doc.text.lower()
    for token in doc:
        cue = next((c for c in lexicon.attribution_cues if lowered.startswith(c, token.idx)), None)
        if cue is None or _inside(token.idx, quotes):
            continue
        cue_end = token.idx + len(cue)
        if cue_end < len(doc.text) and doc.text[cue_end].isalnum():
            continue  # "selonX" is not the cue
        head = next((t for t in doc[token.i : token.i + 6] if t.idx >= cue_end and t.pos_ in {"NOUN", "PROPN", "PRON"}), None)
        if head is None or head.lower_ in lexicon.relative_pronouns:
            continue
        start, end = _phrase_extent(head, lexicon)
        content = _rest_of_sentence(doc, token, doc[end - 1])
        if content is not None:
            found.append(Attribution(content, ClaimKind.REPORTED, (token.idx, cue_end), "hedge", subject=head))
    return found


def _is_reporting_verb(verb: Token, quotes: list[tuple[int, int]], lexicon: QuoteLexicon) -> bool:
    if verb.pos_ != "VERB" or verb.lemma_ not in lexicon.stances or _inside(verb.idx, quotes):
        return False
    if any(c.dep_ in {"aux:pass", "nsubj:pass"} for c in verb.children):
        return False  # "a été annoncé": the subject is the content, not the speaker
    if verb.dep_ == "acl" and "Past" in verb.morph.get("Tense"):
        return False  # "considéré comme le chef": a participle qualifying a noun
    if any("Yes" in c.morph.get("Reflex") for c in verb.children):
        return False  # "se disant composées de Russes": a self-description, not a claim
    if verb.dep_ == "xcomp" and verb.head.lemma_ in lexicon.blockers:
        return False  # "a refusé de dire si"
    return not any(c.lower_ in lexicon.negations for c in verb.children)


def _complement(verb: Token, lexicon: QuoteLexicon) -> tuple[int, int] | None:
    """The clause or infinitive a reporting verb introduces: "que ...", "avoir abattu ..."."""
    for child in verb.rights:
        marks = [m for m in child.children if m.dep_ == "mark" and m.i < child.i]
        if any(m.lower_ in lexicon.question_marks for m in marks):
            return None
        clausal = child.dep_ == "ccomp" or any(_is_complementiser(m, lexicon) for m in marks)
        infinitive = child.dep_ == "xcomp" and child.pos_ in {"VERB", "AUX"}
        if (clausal or infinitive) and _same_line(verb, child):
            first = next((t for t in child.subtree if t not in marks and t.dep_ != "mark"), child)
            return _trim_tokens(verb.doc, first.i, _clause_end(verb, child, runs_on=clausal))
    return None


def _is_complementiser(mark: Token, lexicon: QuoteLexicon) -> bool:
    """"que" introducing what is said, not the "que" of "après que", "tandis que" (a word before it)."""
    if mark.lower_ not in lexicon.complementisers:
        return False
    previous = mark.doc[mark.i - 1] if mark.i > 0 else None
    return previous is None or previous.pos_ not in {"ADP", "ADV", "SCONJ", "CCONJ"}


def _clause_end(verb: Token, complement: Token, runs_on: bool) -> int:
    """Where a reported clause ends: past the verb's later complements, before ", assurant ..." or the sentence end.

    A "que" clause runs on to the end of its sentence whatever the parse says:
    its subtree is often cut short by a misattached conjunct.
    """
    end = verb.sent.end if runs_on else complement.right_edge.i + 1
    for sibling in verb.rights:
        new_clause = sibling.dep_ in CLAUSE_BREAK_DEPS or (sibling.dep_ == "conj" and sibling.pos_ in {"VERB", "AUX"})
        if sibling.i > complement.i and not new_clause:
            end = max(end, sibling.right_edge.i + 1)
    for token in verb.doc[complement.i : end]:
        following = verb.doc[token.i + 1] if token.i + 1 < len(verb.doc) else None
        if token.text == "," and following is not None and _is_participle_clause(following):
            return token.i
        if "\n" in token.text:
            return token.i
    return min(end, verb.sent.end)


def _is_participle_clause(token: Token) -> bool:
    """"assurant ...", "niant ...": a present participle opening a new clause."""
    return token.pos_ == "VERB" and "Part" in token.morph.get("VerbForm") and "Pres" in token.morph.get("Tense")


def _object_content(verb: Token, lexicon: QuoteLexicon) -> tuple[int, int] | None:
    """A noun object as content ("a nié l'existence d'affrontements"), or "faire état de X"."""
    objects = [c for c in verb.rights if c.pos_ in {"NOUN", "PROPN"} and _same_line(verb, c) and _is_object(c)]
    if not objects:
        return None
    obj = objects[0]
    if obj.lemma_.lower() in lexicon.expressions.get(verb.lemma_, frozenset()):
        rest = [c for c in verb.rights if c.i > obj.i and c.dep_.startswith(("obl", "nmod"))]
        if not rest:
            return None
        first = next((t for t in rest[0].subtree if t.dep_ != "case"), rest[0])
        return _trim_tokens(verb.doc, first.i, rest[0].right_edge.i + 1)
    return _trim_tokens(verb.doc, obj.left_edge.i, _clause_end(verb, obj, runs_on=False))


def _is_object(token: Token) -> bool:
    """An object, or a bare noun phrase with its determiner that the parser took for an adjunct
    ("a démenti, comme elle le fait, toute implication")."""
    if token.dep_ == "obj":
        return True
    bare = token.dep_.startswith(("obl", "nmod")) and not any(c.dep_ == "case" for c in token.children)
    after_comma = token.left_edge.i > 0 and token.doc[token.left_edge.i - 1].text == ","
    return bare and not after_comma and any(c.dep_ == "det" for c in token.children)


def _incise_after(doc: Doc, open_: int, close: int, lexicon: QuoteLexicon) -> Token | None:
    """The reporting verb of ", a déclaré X" right after a closing quote, whose subject is not before the quote."""
    index = _token_index(doc, close + 1)
    for token in doc[index : index + MAX_INCISE_GAP]:
        if "\n" in token.text or token.text in {".", "!", "?", ";"} or token.idx - close > 40:
            return None
        if token.pos_ == "VERB":
            subject_before = any(c.dep_ in SUBJECT_DEPS and c.idx < open_ for c in token.children)
            return token if token.lemma_ in lexicon.stances and not subject_before else None
        if token.pos_ not in INCISE_POS and not (token.pos_ == "NOUN" and token.i > index):
            return None
    return None


def _verb_before_colon(doc: Doc, open_: int, lexicon: QuoteLexicon) -> Token | None:
    """"X a déclaré : « ... »"."""
    index = _token_index(doc, open_)
    before = [t for t in doc[max(0, index - 2) : index] if not t.is_space]
    if not before or before[-1].text != ":":
        return None
    for token in reversed(doc[max(0, index - MAX_INCISE_GAP) : index]):
        if token.pos_ == "VERB":
            return token if token.lemma_ in lexicon.stances else None
    return None


def _partial_quote_content(doc: Doc, open_: int, close: int) -> tuple[int, int] | None:
    """A quote completing a sentence begun outside it ("La bourgade serait « ... »"): the whole of it."""
    sentence = doc[_token_index(doc, open_)].sent
    line_start = doc.text.rfind("\n", 0, open_) + 1
    start = max(sentence.start_char, line_start)
    ends = list(re.finditer(r"[.!?…]\s", doc.text[start:open_]))
    if ends:  # the parser ran two sentences together
        start += ends[-1].end()
    lead = doc.text[start:open_]
    if len(re.findall(r"\w+", lead)) < 2:
        return None
    return _trim(doc.text, start, close + 1)


def _name_line_below(text: str, open_: int, close: int) -> tuple[int, int] | None:
    """A quote alone on its line, followed by a short line naming its author."""
    line_start = text.rfind("\n", 0, open_) + 1
    line_end = text.find("\n", close)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:open_].strip() or text[close + 1 : line_end].strip(" .\t"):
        return None
    next_end = text.find("\n", line_end + 1)
    next_end = len(text) if next_end < 0 else next_end
    start, end = _trim(text, line_end + 1, next_end)
    name = text[start:end]
    words = re.findall(r"\w+", name)
    if not words or len(words) > MAX_NAME_LINE_WORDS or not name[0].isupper() or name[-1] in ".!?:»”\"":
        return None
    return start, end


def _is_incise(verb: Token, quotes: list[tuple[int, int]]) -> bool:
    """", a déclaré X": a finite verb after a comma, with no subject of its own before that comma.

    A subject parsed before the comma still allows an incise when a finite verb
    stands between them: "Des attaques ont visé ..., ont indiqué les autorités".
    """
    if _is_participle_clause(verb) or "Inf" in verb.morph.get("VerbForm"):
        return False
    comma = None
    for token in reversed(verb.doc[max(verb.sent.start, verb.i - MAX_INCISE_GAP) : verb.i]):
        if token.text == ",":
            comma = token
            break
        if token.pos_ not in INCISE_POS and not (token.pos_ == "NOUN" and any(c.dep_ == "case" for c in token.children)):
            return False
    if comma is None or not _finite_between(verb.doc[_line_start(verb)], comma):
        return False  # "Une autre unité, appelée ..., a évoqué": a subject phrase, not a clause, before the comma
    return not any(s.i > comma.i for s in _subjects_before(verb, quotes))


def _subjects_before(verb: Token, quotes: list[tuple[int, int]]) -> list[Token]:
    """The verb's subjects before it on its line, outside quotes (a quote's own subject is not the speaker)."""
    return [
        c for c in verb.children
        if c.dep_ in SUBJECT_DEPS and c.i < verb.i and not c.text.startswith("-")
        and _same_line(c, verb) and not _inside(c.idx, quotes)
    ]


def _finite_between(first: Token, comma: Token) -> bool:
    """A finite verb outside relative clauses: what stands before the comma is a clause."""
    return any(
        "Fin" in t.morph.get("VerbForm") and not _has_relative_pronoun(t) and not _has_relative_pronoun(t.head)
        for t in first.doc[first.i : comma.i]
    )


def _has_relative_pronoun(verb: Token) -> bool:
    return any("Rel" in c.morph.get("PronType") for c in verb.children)


def _content_before_incise(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """The sentence up to the comma before an incise verb without quotes."""
    comma = next((t for t in reversed(doc[verb.sent.start : verb.i]) if t.text == ","), None)
    if comma is None:
        return None
    start = max(verb.sent.start_char, doc.text.rfind("\n", 0, comma.idx) + 1)
    content = _trim(doc.text, start, comma.idx)
    return content if len(re.findall(r"\w+", doc.text[content[0] : content[1]])) >= 3 else None


def _rest_of_sentence(doc: Doc, cue: Token, last: Token) -> tuple[int, int] | None:
    """What a "selon X" phrase attributes: the part of its sentence before it, else after it."""
    sentence = cue.sent
    line_start = doc.text.rfind("\n", 0, cue.idx) + 1
    line_end = doc.text.find("\n", cue.idx)
    end = sentence.end_char if line_end < 0 else min(sentence.end_char, line_end)
    before = _trim(doc.text, max(sentence.start_char, line_start), cue.idx)
    after_phrase = last.idx + len(last.text)
    comma = doc.text.find(", ", after_phrase, end)
    # "Selon le verdict prononcé contre lui, l'opposant ...": the claim starts after the comma.
    after = _trim(doc.text, comma + 1 if comma >= 0 else after_phrase, end)
    if _has_verb(doc, before):
        return before
    return after if _has_verb(doc, after) else None


def _has_verb(doc: Doc, span: tuple[int, int]) -> bool:
    tokens = doc.char_span(span[0], span[1], alignment_mode="expand") if span[1] > span[0] else None
    return tokens is not None and any(t.pos_ in {"VERB", "AUX"} for t in tokens)


def resolve_speaker(
    attribution: Attribution,
    doc: Doc,
    document: Document,
    mentions: Sequence[Mention],
    said: list[Said],
    quotes: list[tuple[int, int]],
    lexicon: QuoteLexicon,
) -> tuple[Speaker, Token | None] | None:
    """The speaker of one attribution and its head word, or None when nobody can be named."""
    if attribution.named is not None:
        start, end = attribution.named
        name = doc.text[start:end]
        return Speaker(name, _kind(name, "", None, lexicon), Span(document.id, start, end)), None
    verb = attribution.verb
    after = verb is not None and attribution.cue[0] > attribution.content[0]
    subject = attribution.subject if verb is None else _subject_of(verb, quotes, lexicon, content_before=after)
    if subject is None:
        return None
    return _speaker_from(subject, doc, document, mentions, said, quotes, lexicon)


def _subject_of(
    verb: Token, quotes: list[tuple[int, int]], lexicon: QuoteLexicon, depth: int = 0, content_before: bool = False
) -> Token | None:
    """The speaker's head: the subject, a clitic ("a-t-elle"), an inverted subject or the head verb's."""
    clitic = _clitic(verb, lexicon)
    if clitic is not None:
        return clitic
    # "L'Ukraine a démenti": the parser sometimes hangs the subject on the auxiliary.
    governors = [verb, *(c for c in verb.children if c.dep_.startswith("aux"))]
    subjects = [
        c for g in governors for c in g.children
        if c.dep_ in SUBJECT_DEPS and _same_line(c, verb) and not _inside(c.idx, quotes)
    ]
    if _is_incise(verb, quotes) and (content_before or _complement(verb, lexicon) is None):
        return _inverted_subject(verb, lexicon) or (subjects[0] if subjects else None)
    if subjects:
        return subjects[0]
    # French is SVO: a noun "object" before the verb is a misparsed subject ("Kiev ayant juré").
    fronted = [c for c in verb.lefts if c.dep_ == "obj" and c.pos_ in {"NOUN", "PROPN"}]
    if fronted:
        return fronted[-1]
    after_comma = verb.i > 0 and verb.doc[verb.i - 1].text == ","
    if verb.dep_ == "acl" and not after_comma and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head  # "le ministère des Transports précisant que"
    if _is_participle_clause(verb) and depth < 4:
        absolute = _absolute_subject(verb, lexicon)
        if absolute is not None:
            return absolute
        reporting = next((a for a in verb.ancestors if a.pos_ == "VERB" and a.lemma_ in lexicon.stances), None)
        if reporting is None:  # the parse hangs ", précisant" on the quote: take the reporting verb before it
            earlier = verb.doc[max(verb.sent.start, _line_start(verb)) : verb.i]
            reporting = next((t for t in reversed(earlier) if t.pos_ == "VERB" and t.lemma_ in lexicon.stances), None)
        if reporting is not None:
            return _subject_of(reporting, quotes, lexicon, depth + 1)
    if not _same_line(verb.head, verb):
        return _first_bare_noun(verb.doc[_line_start(verb) : verb.i], lexicon)
    if verb.dep_ in RELATIVE_DEPS or verb.dep_ == "acl":
        return verb.head
    if verb.dep_ in SHARED_SUBJECT_DEPS and verb.head is not verb and depth < 4:
        return _subject_of(verb.head, quotes, lexicon, depth + 1)
    return None


def _absolute_subject(verb: Token, lexicon: QuoteLexicon) -> Token | None:
    """"..., le porte-parole Andriy Yusov affirmant que": a noun phrase between the comma and the participle."""
    start = verb.i
    while start > verb.sent.start and verb.doc[start - 1].text != "," and verb.i - start < MAX_SPEAKER_TOKENS:
        start -= 1
    if start == verb.i or verb.doc[start - 1].text != ",":
        return None
    return _first_bare_noun(verb.doc[start : verb.i], lexicon)


def _same_line(a: Token, b: Token) -> bool:
    """The parser runs across paragraphs; a subject on another line is a parse error."""
    low, high = sorted((a.i, b.i))
    return not any("\n" in t.text for t in a.doc[low:high])


def _line_start(token: Token) -> int:
    index = token.i
    while index > 0 and "\n" not in token.doc[index - 1].text:
        index -= 1
    return index


def _first_bare_noun(tokens, lexicon: QuoteLexicon) -> Token | None:
    """The first noun not inside a prepositional phrase: a clause's subject when the parse has none."""
    in_phrase = False
    for token in tokens:
        if token.pos_ == "ADP":
            in_phrase = True
        elif token.lower_ in lexicon.time_words:
            continue
        elif token.pos_ in {"NOUN", "PROPN", "PRON"}:
            if not in_phrase:
                return token
            in_phrase = False
    return None


def _clitic(verb: Token, lexicon: QuoteLexicon) -> Token | None:
    """"a-t-elle indiqué", "ajoutait-on": a hyphenated subject pronoun around the verb."""
    start = verb.i
    while start > 0 and verb.doc[start - 1].pos_ in {"AUX", "PRON"} and verb.doc[start - 1].text != ",":
        start -= 1
    for token in verb.doc[start : verb.i + 2]:
        if token.text.startswith("-") and _pronoun(token) in lexicon.personal_pronouns:
            return token
    return None


def _pronoun(token: Token) -> str:
    return re.sub(r"^-?(t-)?", "", token.lower_)


def _inverted_subject(verb: Token, lexicon: QuoteLexicon) -> Token | None:
    """The first bare noun phrase after the verb, skipping complements ("à Reuters deux sources")."""
    rest = verb.doc[verb.i + 1 : verb.sent.end]
    stop = next(
        (t.i for t in rest if t.text in {".", ";", ":"} or "\n" in t.text or (t.pos_ == "VERB" and "Part" not in t.morph.get("VerbForm"))),
        verb.sent.end,
    )
    return _first_bare_noun(verb.doc[verb.i + 1 : stop], lexicon)


def _speaker_from(
    head: Token,
    doc: Doc,
    document: Document,
    mentions: Sequence[Mention],
    said: list[Said],
    quotes: list[tuple[int, int]],
    lexicon: QuoteLexicon,
) -> tuple[Speaker, Token | None] | None:
    """Narrow a subject to a name: a pronoun's antecedent, a person in apposition, a given name, the phrase."""
    word = _pronoun(head)
    if head.pos_ == "PRON" and word in lexicon.relative_pronouns:
        antecedent = head.head.head if head.head.dep_ in RELATIVE_DEPS else None
        if antecedent is None or antecedent.pos_ not in {"NOUN", "PROPN"}:
            return None
        return _speaker_from(antecedent, doc, document, mentions, said, quotes, lexicon)
    # "où il affirmait": a pronoun before its verb may take the subject just named. An
    # inverted one ("a-t-elle indiqué") follows the content, whose subjects are not candidates.
    if head.pos_ == "PRON" and not head.text.startswith("-") and word not in lexicon.indefinite_pronouns:
        recent = _recent_subject(head, quotes, lexicon)
        last_named = max((s.speaker.span.start for s in said if s.speaker.span), default=-1)
        if recent is not None and recent.idx > last_named:
            return _speaker_from(recent, doc, document, mentions, said, quotes, lexicon)
    if head.pos_ == "PRON":
        return _antecedent(word, _gender(head), said, lexicon)
    start, end = _phrase_extent(head, lexicon)
    agent = _agent(doc, end, lexicon) if _kind(head.text, head.lemma_, None, lexicon) is SpeakerKind.CHANNEL else None
    if agent is not None:  # "un communiqué rendu public par le Comité d'enquête" -> the Comité
        return _speaker_from(agent, doc, document, mentions, said, quotes, lexicon)
    tokens = doc[start:end]
    if _is_bare_definite(tokens, head):
        earlier = next((s for s in reversed(said) if s.head == head.lemma_.lower()), None)
        if earlier is not None:
            return Speaker(earlier.speaker.name, earlier.speaker.kind, None, earlier.speaker.entity_id), None
    inside = [m for m in mentions if tokens.start_char <= m.span.start and m.span.end <= tokens.end_char]
    person = next((m for m in inside if m.type is EntityType.PERSON and not _after_genitive(doc, m.span.start, lexicon)), None)
    if person is None:  # "Dmitri Peskov, le porte-parole de ..., a jugé": the name before its title
        person = next((m for m in mentions if m.type is EntityType.PERSON and doc.text[m.span.end : tokens.start_char].strip() == ","), None)
    named = _given_name(doc, end, quotes, lexicon)
    if person is not None:
        return _speaker(document, person.span.start, person.span.end, doc.text, SpeakerKind.PERSON), head
    if named is not None:
        name = doc.text[named[0] : named[1]]
        return _speaker(document, *named, doc.text, _kind(name, head.lemma_, None, lexicon)), head
    first = next((t for t in tokens if t.pos_ not in {"DET", "PUNCT"}), head)
    core = _trim(doc.text, first.idx, _core_end(tokens, head))
    own = next((m for m in inside if m.span.start <= head.idx < m.span.end), None)
    if own is not None and own.span.start <= core[0] and core[1] <= own.span.end:
        core = (own.span.start, own.span.end)  # the mention is the whole name: "Légion de la liberté de la Russie"
    elif own is None:
        apposed = next((m for m in inside if m.span.start > head.idx and not _after_genitive(doc, m.span.start, lexicon)), None)
        if apposed is not None:
            core = (apposed.span.start, apposed.span.end)  # "l'agence de presse TASS" -> TASS
    name = doc.text[core[0] : core[1]]
    entity_type = next((m.type for m in inside if m.span.start <= core[0] and core[1] <= m.span.end), None)
    return _speaker(document, *core, doc.text, _kind(name, head.lemma_, entity_type, lexicon)), head


def _core_end(tokens, head: Token) -> int:
    """The noun phrase up to its first comma: "le gouverneur régional, X" -> "gouverneur régional"."""
    comma = next((t for t in tokens if t.text == "," and t.i > head.i), None)
    return comma.idx if comma is not None else tokens.end_char


def _gender(token: Token | None) -> str:
    return next(iter(token.morph.get("Gender")), "") if token is not None else ""


def _recent_subject(pronoun: Token, quotes: list[tuple[int, int]], lexicon: QuoteLexicon) -> Token | None:
    """The nearest noun subject before a pronoun, in its sentence or the one before, agreeing in gender."""
    gender = _gender(pronoun)
    start = max(0, pronoun.sent.start - 1)
    start = pronoun.doc[start].sent.start
    for token in reversed(pronoun.doc[start : pronoun.i]):
        if token.dep_ not in SUBJECT_DEPS or token.pos_ not in {"NOUN", "PROPN"} or _inside(token.idx, quotes):
            continue
        if not gender or not _gender(token) or _gender(token) == gender:
            return token
    return None


def _antecedent(pronoun: str, gender: str, said: list[Said], lexicon: QuoteLexicon) -> tuple[Speaker, None] | None:
    """The last speaker of the pronoun's gender; "il" prefers the last person named."""
    agreeing = [s for s in said if not gender or not s.gender or s.gender == gender]
    if not agreeing:
        return None
    chosen = agreeing[-1]
    if pronoun in lexicon.person_pronouns:
        chosen = next((s for s in reversed(agreeing) if s.speaker.kind is SpeakerKind.PERSON), chosen)
    speaker = chosen.speaker
    return Speaker(speaker.name, speaker.kind, None, speaker.entity_id), None


def _phrase_extent(head: Token, lexicon: QuoteLexicon) -> tuple[int, int]:
    """Token range of the noun phrase around `head`, stopping at verbs, relatives and non-genitive complements."""
    doc = head.doc
    start = head.i
    while start > head.sent.start and doc[start - 1].pos_ in {"DET", "NUM", "ADJ"} and doc[start - 1].head.i == head.i:
        start -= 1
    end = head.i + 1
    limit = min(head.sent.end, head.i + MAX_SPEAKER_TOKENS)
    while end < limit:
        token = doc[end]
        following = doc[end + 1] if end + 1 < len(doc) else None
        if token.pos_ in {"VERB", "AUX", "ADV"} or "\n" in token.text or token.text in PHRASE_STOPS:
            break
        if token.lower_ in lexicon.time_words:  # "les services pénitentiaires ce vendredi"
            break
        if token.pos_ == "ADP" and token.lower_ not in lexicon.genitives:
            break
        if token.pos_ == "PRON":
            break
        if token.text == "," and not (following is not None and following.text[:1].isupper()):
            break
        end += 1
    while end > head.i + 1 and (doc[end - 1].text == "," or doc[end - 1].is_space or doc[end - 1].pos_ in {"ADP", "DET", "CCONJ"}):
        end -= 1
    return start, end


def _given_name(doc: Doc, end: int, quotes: list[tuple[int, int]], lexicon: QuoteLexicon) -> tuple[int, int] | None:
    """The name a naming verb gives the speaker: "une unité baptisée « Légion ... »" -> Légion ..."""
    window = [t for t in doc[end : min(len(doc), end + 5)] if t.text != ","]
    if window and window[0].lower_ in lexicon.relative_pronouns:
        window = window[1:]
    verb = next((t for t in window if t.pos_ not in {"AUX", "ADV"}), None)
    if verb is None or verb.pos_ != "VERB" or verb.lemma_ not in lexicon.naming_verbs:
        return None
    limit = verb.i + MAX_NAME_DISTANCE
    for open_, close in quotes:
        if verb.idx < open_ and _token_index(doc, open_) <= limit:
            return _trim(doc.text, open_ + 1, close)
    names = [t for t in doc[verb.i + 1 : limit] if t.pos_ == "PROPN"]
    if not names:
        return None
    last = names[0]
    while last.i + 1 < len(doc) and doc[last.i + 1].pos_ == "PROPN":
        last = doc[last.i + 1]
    return names[0].idx, last.idx + len(last.text)


def _agent(doc: Doc, end: int, lexicon: QuoteLexicon) -> Token | None:
    """The agent of a participle right after a channel: "(un communiqué) rendu public par X" -> X."""
    window = doc[end : min(len(doc), end + 4)]
    if not window or window[0].pos_ != "VERB" or "Part" not in window[0].morph.get("VerbForm"):
        return None
    marker = next((t for t in window if t.lower_ in lexicon.agent_markers), None)
    if marker is None:
        return None
    return next((t for t in doc[marker.i + 1 : marker.i + 4] if t.pos_ in {"NOUN", "PROPN"}), None)


def _is_bare_definite(tokens, head: Token) -> bool:
    """"l'unité": a definite article and its noun only, which refers back."""
    if len(tokens) != 2 or tokens[1].i != head.i or head.pos_ != "NOUN":
        return False
    return "Def" in tokens[0].morph.get("Definite") or "Dem" in tokens[0].morph.get("PronType")


def _after_genitive(doc: Doc, char: int, lexicon: QuoteLexicon) -> bool:
    """"le porte-parole du Kremlin": a name inside a "de" complement is not the speaker."""
    index = _token_index(doc, char) - 1
    while index >= 0 and doc[index].pos_ == "DET":
        index -= 1
    return index >= 0 and doc[index].lower_ in lexicon.genitives


def _kind(name: str, head: str, entity_type: EntityType | None, lexicon: QuoteLexicon) -> SpeakerKind:
    """Speaker kind from the data lists: the whole name, then its head word, then the mention type, then any word."""
    lowered = name.lower()
    words = re.findall(r"[\w-]+", lowered)
    first_noun = head.lower() or (words[0] if words else "")
    for test in (lambda entries: lowered in entries, lambda entries: first_noun in entries):
        kind = next((k for k, entries in lexicon.kinds if test(entries)), None)
        if kind is not None:
            return kind
    if entity_type is EntityType.PERSON:
        return SpeakerKind.PERSON
    if entity_type is EntityType.ORGANISATION:
        return SpeakerKind.ORGANISATION
    if entity_type is EntityType.PLACE:
        return SpeakerKind.INSTITUTION  # "Moscou a affirmé": a capital for its government
    for kind, entries in lexicon.kinds:
        if any(word in entries for word in words) or any(" " in e and e in lowered for e in entries):
            return kind
    return SpeakerKind.UNKNOWN


def _speaker(document: Document, start: int, end: int, text: str, kind: SpeakerKind) -> Speaker:
    return Speaker(text[start:end], kind, Span(document.id, start, end))


def _claim(
    attribution: Attribution, speaker: Speaker, doc: Doc, document: Document, hedges: Sequence[Hedge], lexicon: QuoteLexicon
) -> Claim:
    start, end = attribution.content
    polarity = STANCE_POLARITY.get(attribution.stance, Polarity.ASSERT)
    first_word = re.match(r"\W*(\w+)", doc.text[start:end])
    if first_word and first_word.group(1).lower() in lexicon.negative_determiners:
        polarity = Polarity.DENY  # "aucune percée"
    return Claim(
        id=claim_id(document.id, start, end),
        span=Span(document.id, start, end),
        kind=attribution.kind,
        speaker=speaker,
        cue=Span(document.id, *attribution.cue),
        hedged=_is_hedged(attribution, doc, hedges, lexicon),
        polarity=polarity,
        text=document.text[start:end],
    )


def _is_hedged(attribution: Attribution, doc: Doc, hedges: Sequence[Hedge], lexicon: QuoteLexicon) -> bool:
    """Conditional mood in the content or cue, a hedging verb or "selon", a hedge cue in the content,
    or an "unverified" remark in the same sentence."""
    if attribution.stance == "hedge":
        return True
    spans = [attribution.content, attribution.cue]
    for start, end in spans:
        tokens = doc.char_span(start, end, alignment_mode="expand")
        if tokens is not None and any("Cnd" in t.morph.get("Mood") for t in tokens):
            return True
        if any(p.search(doc.text[start:end].lower()) for p in lexicon.hedge_cues):
            return True
    sentence = doc[_token_index(doc, attribution.content[0])].sent
    for hedge in hedges:
        inside = any(s <= hedge.span.start and hedge.span.end <= e for s, e in spans)
        same_sentence = hedge.sentence.start < sentence.end_char and sentence.start_char < hedge.sentence.end
        if inside or (same_sentence and hedge.kind is HedgeKind.UNVERIFIED):
            return True
    return False


def _word_pattern(cue: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(cue.lower()) + r"(?!\w)")


def _inside(char: int, quotes: list[tuple[int, int]]) -> bool:
    return any(open_ < char < close for open_, close in quotes)


def _token_index(doc: Doc, char: int) -> int:
    """Index of the token containing or following `char`."""
    starts = [t.idx for t in doc]
    index = bisect_right(starts, char) - 1
    if index >= 0 and char >= doc[index].idx + len(doc[index].text):
        index += 1
    return max(0, min(index, len(doc) - 1))


def _token_range(token: Token) -> tuple[int, int]:
    return token.idx, token.idx + len(token.text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past spaces and edge punctuation other than quotes."""
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:."):
        end -= 1
    return start, end


def _trim_tokens(doc: Doc, first: int, stop: int) -> tuple[int, int]:
    last = doc[stop - 1]
    return _trim(doc.text, doc[first].idx, last.idx + len(last.text))
