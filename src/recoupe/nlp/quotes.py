"""Who says what: direct quotes and reported speech, each attributed to its speaker.

Three cues attribute a content to a speaker: a reporting verb ("a déclaré que",
"« ... », a-t-elle indiqué"), an attribution phrase ("selon TASS") and, for a
quote standing on its own line, the short line naming its author below it. The
speaker is read from the dependency parse (the verb's subject, including an
inverted one after the verb), then narrowed to a name: a person named in
apposition ("le porte-parole du Kremlin, Dmitri Peskov"), a name given by a
naming verb ("une unité baptisée « Légion ... »"), or the bare noun phrase.
Pronouns take the last speaker. All the words are data (`lang/<code>/`).

This module finds the contents and their cues; `speakers.py` resolves who
speaks, `clauses.py` holds the parse helpers both use.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from recoupe.model import Claim, ClaimKind, Document, Hedge, HedgeKind, Mention, Polarity, Span, Speaker, SpeakerKind
from recoupe.nlp.clauses import (
    INCISE_POS,
    MAX_INCISE_GAP,
    OBJECT_DEPS,
    PASSIVE_DEPS,
    SUBJECT_DEPS,
    clause_end,
    complement_of,
    in_quotes,
    is_incise,
    is_participle_clause,
    is_predicate,
    phrase_extent,
    same_line,
    token_index,
    token_range,
    trim,
    trim_tokens,
)
from recoupe.nlp.positions import DocIndex, doc_text, quote_around
from recoupe.nlp.quote_lexicon import QuoteLexicon
from recoupe.nlp.speakers import Attribution, Said, channel_author, grammatical_gender, resolve_speaker, speaker_kind

# Heads of a clause inside a sentence: a "selon X" phrase under one attributes that clause, not the sentence.
CLAUSE_DEPS = frozenset({"acl:relcl", "relcl", "ccomp", "advcl", "csubj", "parataxis"})
# A line naming a quote's author (seed 001: "Légion Liberté de la Russie") is short.
MAX_NAME_LINE_WORDS = 8
STANCE_POLARITY = {"assert": Polarity.ASSERT, "hedge": Polarity.ASSERT, "deny": Polarity.DENY}


def claim_id(document_id: str, start: int, end: int) -> str:
    return hashlib.sha1(f"{document_id}:{start}:{end}".encode()).hexdigest()[:16]


def find_claims(
    doc: Doc, document: Document, mentions: Sequence[Mention], hedges: Sequence[Hedge], lexicon: QuoteLexicon
) -> list[Claim]:
    """Attributed claims of one document, in text order; unattributed quotes are left out.

    `lexicon` is the language's `QuoteLexicon`, built once per language."""
    text = doc_text(doc)
    index = DocIndex.build(doc, find_quotes(text, lexicon.quote_pairs), mentions, hedges)
    direct = direct_quotes(index, lexicon)
    cued = attributed_by_cue(index, lexicon)
    # A verb after a quote that reports a clause of its own ("“...” Peskov added that ...") says both.
    taken = {a.verb.i for a in direct if a.verb is not None and not _reports_clause(a.verb, lexicon)}
    taken |= {i for a in cued for i in range(token_index(doc, a.cue[0]), token_index(doc, a.cue[1]))}  # "à en croire X": a cue
    found = direct + reported_speech(index, taken, lexicon) + cued
    claims: list[Claim] = []
    said: list[Said] = []
    seen: set[tuple[int, int]] = set()
    for attribution in sorted(found, key=lambda a: (a.cue[0], a.content[0])):
        resolved = resolve_speaker(attribution, index, document, said, lexicon)
        if resolved is None or attribution.content in seen:
            continue
        seen.add(attribution.content)
        speaker, head = resolved
        if speaker.span is not None:
            said.append(Said(speaker, head.lemma_.lower() if head else "", grammatical_gender(head)))
        claims.append(_claim(attribution, speaker, index, document, lexicon))
    return sorted(claims, key=lambda c: (c.span.start, c.span.end))


def find_quotes(text: str, pairs: dict[str, str]) -> list[tuple[int, int]]:
    """Outermost quotation pairs as (opening mark, closing mark) offsets; none crosses a line."""
    closers = {close: open_ for open_, close in pairs.items() if open_ != close}
    symmetric = {m for m, close in pairs.items() if m == close}
    found: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for match in _marks_pattern("".join(sorted({*pairs, *pairs.values()}))).finditer(text):
        i, char = match.start(), match.group()  # every other character leaves the stack alone
        if char == "\n":
            stack.clear()
        elif char in symmetric and stack and stack[-1][0] == char:
            _close(stack, found, i)
        elif char in closers and stack and stack[-1][0] == closers[char]:
            _close(stack, found, i)
        elif char in pairs:
            stack.append((char, i))
    return sorted(found)


@functools.lru_cache(maxsize=16)
def _marks_pattern(marks: str) -> re.Pattern[str]:
    """Line ends and the given quote marks, one character each."""
    return re.compile("[\n" + "".join(re.escape(mark) for mark in marks) + "]")


def _close(stack: list[tuple[str, int]], found: list[tuple[int, int]], end: int) -> None:
    _, start = stack.pop()
    if not stack:
        found.append((start, end))


def direct_quotes(index: DocIndex, lexicon: QuoteLexicon) -> list[Attribution]:
    """Quotes attributed by an incise after them, a verb and a colon before them, or a name line below."""
    doc, text = index.doc, index.text
    found: list[Attribution] = []
    for open_, close in index.quotes:
        inner = trim(text, open_ + 1, close)
        quoted = doc.char_span(inner[0], inner[1], alignment_mode="expand") if inner[1] > inner[0] else None
        if quoted is None or not any(t.pos_ in {"VERB", "AUX"} for t in quoted):
            continue  # a name or a scare quote ("bataillon «Sibir»", "toute «percée»"), not speech
        verb = _incise_after(doc, open_, close, lexicon) or _verb_before_colon(doc, open_, lexicon)
        if verb is not None:
            content = _partial_quote_content(index, open_, close, lexicon) or inner
            stance = lexicon.stances.get(verb.lemma_, "assert")
            found.append(Attribution(content, ClaimKind.DIRECT, token_range(verb), stance, verb=verb))
            continue
        named = _name_line_below(text, open_, close)
        if named is not None:
            found.append(Attribution(inner, ClaimKind.DIRECT, named, named=named))
    return found


def reported_speech(index: DocIndex, taken: set[int], lexicon: QuoteLexicon) -> list[Attribution]:
    """Reporting verbs with a clause, an infinitive or an object as content, or an incise after it."""
    if not index.doc.has_annotation("POS"):
        return []  # a reporting verb is tagged VERB: none in an untagged (lightly parsed) text
    quotes = index.quotes
    found: list[Attribution] = []
    for verb in index.doc:
        if verb.i in taken or not _is_reporting_verb(verb, quotes, lexicon):
            continue
        content = complement_of(verb, lexicon)
        if content is not None and not _has_verb(index.doc, content):
            continue  # "a estimé qu'«on ne": a clause cut short (the text ends) says nothing yet
        if content is not None and _object_extracted(verb, lexicon):
            continue  # "Charles III, que des syndicalistes disent avoir « dans le viseur »": the content lacks its object
        if content is None:
            content = _content_before_incise(index, verb) if is_incise(verb, quotes, lexicon) else _object_content(verb, lexicon)
        if content is None or content[1] <= content[0]:
            continue
        content, clausal = _past_complementiser(index.text, content, lexicon)
        if clausal and not _has_verb(index.doc, content):
            continue  # "qu'«on ne" (the text ends): a clause cut short says nothing yet
        content = _before_gloss(index, content, lexicon)
        content = through_quotes(index, *balance_quotes(index.text, *content, lexicon.quote_pairs))
        stance = lexicon.stances[verb.lemma_]
        found.append(Attribution(content, ClaimKind.REPORTED, token_range(verb), stance, verb=verb))
    return found


def _object_extracted(verb: Token, lexicon: QuoteLexicon) -> bool:
    """A relative "que" before the verb whose infinitive complement has no object of its own: the object is the
    noun the relative clause qualifies ("la visite, que des syndicalistes disent avoir dans le viseur")."""
    if not any(c.i < verb.i and c.lower_ in lexicon.complementisers for c in verb.children):
        return False
    infinitives = [c for c in verb.rights if c.dep_ == "xcomp" and "Inf" in c.morph.get("VerbForm")]
    return bool(infinitives) and not any(
        d.dep_ in OBJECT_DEPS and d.pos_ in {"NOUN", "PROPN", "PRON"} for i in infinitives for d in i.children
    ) and not any(c.dep_ == "ccomp" for c in verb.children)


def _before_gloss(index: DocIndex, content: tuple[int, int], lexicon: QuoteLexicon) -> tuple[int, int]:
    """A content up to the comma before another source's gloss on a noun inside it: "150 interpellations, des
    « chiffres provisoires » selon X, qui pourraient augmenter" -> "150 interpellations"."""
    doc, lowered = index.doc, index.text.lower()
    tokens = doc.char_span(content[0], content[1], alignment_mode="expand")
    if tokens is None:
        return content
    for token in tokens[1:]:
        if index.in_quotes(token.idx) or not any(lowered.startswith(c, token.idx) for c in lexicon.attribution_cues):
            continue
        source = next((t for t in doc[token.i + 1 : token.i + 6] if t.pos_ in {"NOUN", "PROPN", "PRON"}), None)
        clause = next((a for a in source.ancestors if a.dep_ in CLAUSE_DEPS and a.i > tokens.start), None) if source else None
        if clause is not None and clause.left_edge.i > tokens.start:
            return trim_tokens(doc, tokens.start, clause.left_edge.i)  # "la peine, qui selon la défense était ...": theirs
        if source is None or source.head.pos_ not in {"NOUN", "PROPN", "NUM"}:
            continue  # "selon X" on the verb: a channel, not a gloss on a noun
        comma = next((t for t in reversed(doc[tokens.start + 1 : token.i]) if t.text == ","), None)
        if comma is not None:
            return trim(index.text, content[0], comma.idx)
    return content


def _past_complementiser(text: str, content: tuple[int, int], lexicon: QuoteLexicon) -> tuple[tuple[int, int], bool]:
    """A content the tokenizer began with its complementiser ("qu'«on ne peut pas»", "’« aucune victime »"): the
    clause after it, and whether there was one."""
    start, end = content
    head = text[start : start + 8].lower()
    mark = next((m for m in sorted(lexicon.complementisers, key=len, reverse=True)
                 if head.startswith(m) and (m[-1] in "'’" or not head[len(m) : len(m) + 1].isalnum())), None)
    if mark is None and head[:1] in "'’" and start > 0 and text[start - 1].isalpha():
        mark = head[:1]  # "qu" left with the verb, the apostrophe with the content
    if mark is None:
        return content, False
    return trim(text, start + len(mark), end), True


def balance_quotes(text: str, start: int, end: int, pairs: dict[str, str]) -> tuple[int, int]:
    """Take in the partner of a quote mark left alone at a content's edge: "«le régime de Kyïv» d'avoir ..."
    (the parse hangs the opening mark on another word)."""
    for open_, close in pairs.items():
        inner = text[start:end]
        if open_ == close:
            unpaired = inner.count(open_) % 2 == 1
            opens, closes = unpaired and inner.startswith(open_), unpaired and not inner.startswith(open_)
        else:
            opens, closes = inner.count(open_) > inner.count(close), inner.count(close) > inner.count(open_)
        after = end + len(text[end : end + 3]) - len(text[end : end + 3].lstrip(" \u00a0\u202f"))  # "insupportables »"
        before = start - len(text[max(0, start - 3) : start]) + len(text[max(0, start - 3) : start].rstrip(" \u00a0\u202f"))
        if opens and after < len(text) and text[after] == close:
            end = after + 1
        elif closes and before > 0 and text[before - 1] == open_:
            start = before - 1
    return start, end


def through_quotes(index: DocIndex, start: int, end: int) -> tuple[int, int]:
    """A content that opens a quote runs to its closing mark: "que « aucun train ne circulera sur ... Bordeaux-Le
    Verdon de samedi à dimanche »" (the parser ended its sentence inside the quote)."""
    text = index.text
    for open_, close in index.quotes:
        if open_ >= end:
            break
        if start <= open_ < end <= close:
            if not any(c.isalnum() for c in text[open_ + 1 : end]):
                return trim(text, start, open_)  # "... au nord-ouest de Moscou. «": the next sentence's quote opens
            end = close + 1
    return start, end


def attributed_by_cue(index: DocIndex, lexicon: QuoteLexicon) -> list[Attribution]:
    """"selon X, ..." and "..., d'après X": the rest of the sentence is X's claim (no hedge by itself)."""
    doc, text = index.doc, index.text
    found: list[Attribution] = []
    lowered = text.lower()
    for token in doc:
        cue = next((c for c in lexicon.attribution_cues if lowered.startswith(c, token.idx)), None)
        if cue is None or index.in_quotes(token.idx):
            continue
        cue_end = token.idx + len(cue)
        if cue_end < len(text) and text[cue_end].isalnum():
            continue  # "selonX" is not the cue
        head = next((t for t in doc[token.i : token.i + 6] if t.idx >= cue_end and t.pos_ in {"NOUN", "PROPN", "PRON"}), None)
        following = doc[head.i + 1] if head is not None and head.i + 1 < len(doc) else None
        free_relative = head is not None and head.pos_ == "PRON" and following is not None and (
            following.lower_ in lexicon.relative_pronouns or following.lower_ in lexicon.complementisers
        )  # "ce qui", "ce que", the tagger missing its demonstrative
        if head is None or head.lower_ in lexicon.relative_pronouns or "Dem" in head.morph.get("PronType") or free_relative:
            continue  # "selon ce qui a été révélé": no source named
        while head.dep_ in {"poss", "compound"} and head.head.i > head.i and head.head.pos_ in {"NOUN", "PROPN"}:
            head = head.head  # "according to Ukraine’s state power company": the company speaks
        if head.pos_ == "NOUN" and head.lemma_.lower() in lexicon.non_sources:
            continue  # "selon la tradition", "selon les régions": no source named
        if _under_reporting_verb(head, token, index.quotes, lexicon):
            continue  # "a évoqué 150 interpellations, des chiffres provisoires selon X": the verb's speaker says it
        head = _source_of_report(head, lexicon) or head
        start, end = phrase_extent(head, lexicon)
        channel = None
        relayed = relay_after(index, end, lexicon.relaying)
        if relayed is not None:  # "selon les agences TASS et Interfax, se référant à Rossaviatsia": the source speaks
            channel, head = relay_name(index, doc[start:end]), relayed
            start, end = phrase_extent(head, lexicon)
        end = _past_apposition(doc, head, end)  # "selon Colin Champion, président du syndicat, 200 lycées ..."
        medium = relay_after(index, end, lexicon.relayed_by)
        if medium is not None:  # "selon un responsable, cité par l'agence RIA Novosti, ...": the content follows
            medium_end = next((t.i for t in doc[medium.i : medium.right_edge.i + 1] if t.text == ","), medium.right_edge.i + 1)
            channel = relay_name(index, doc[medium.left_edge.i : medium_end])
            end = max(end, medium_end)
        content = _rest_of_sentence(index, token, doc[end - 1], lexicon, source=head)
        if content is not None and channel is None and _names_channel(head, lexicon):
            # "..., selon un communiqué publié sur son site": a channel naming no author is the clause's subject's
            author = channel_author(doc[start:end], head) or _speaking_subject(index, content, lexicon)
            if author is None:
                continue  # a channel alone names nobody
            channel = relay_name(index, doc[start:end])
            head = author
        if content is not None:
            content = through_quotes(index, *balance_quotes(text, *content, lexicon.quote_pairs))
            found.append(Attribution(content, ClaimKind.REPORTED, (token.idx, cue_end), "assert", subject=head, channel=channel))
    return found


def _under_reporting_verb(head: Token, cue: Token, quotes: list[tuple[int, int]], lexicon: QuoteLexicon) -> bool:
    """A "selon X" phrase inside what a reporting verb before it, with its own subject, says ("X a évoqué 150
    interpellations, des chiffres provisoires selon Y"; "X a déclaré, selon l'AFP, que ..."): that verb's claim
    carries the content. The cue's own verb ("à en croire") is not that verb, and a clause of its own between them
    ("la peine, qui selon la défense était disproportionnée") keeps the phrase its own claim."""
    verb = None
    for ancestor in head.ancestors:
        if cue.i <= ancestor.i < head.i:
            continue
        if ancestor.pos_ in {"VERB", "AUX"}:
            verb = ancestor
            break
        if ancestor.dep_ in CLAUSE_DEPS:
            return False
    return (
        verb is not None and verb.i < cue.i and _is_reporting_verb(verb, quotes, lexicon)
        and any(c.dep_ in SUBJECT_DEPS for g in (verb, *(c for c in verb.children if c.dep_.startswith("aux"))) for c in g.children)
    )


def _names_channel(head: Token, lexicon: QuoteLexicon) -> bool:
    """A channel noun ("communiqué", "message") with no author in its phrase."""
    return head.pos_ == "NOUN" and speaker_kind(head.text, head.lemma_, None, lexicon) is SpeakerKind.CHANNEL


def _speaking_subject(index: DocIndex, content: tuple[int, int], lexicon: QuoteLexicon) -> Token | None:
    """The subject of the content's main verb, when it names someone who can speak (a name, a known kind)."""
    doc = index.doc
    tokens = doc.char_span(content[0], content[1], alignment_mode="expand")
    if tokens is None:
        return None
    inside = range(tokens.start, tokens.end)
    roots = [t for t in tokens if t.pos_ in {"VERB", "AUX"} and (t.head.i not in inside or t.head.i == t.i)]
    for root in roots:
        subject = next((c for c in root.children if c.dep_ in SUBJECT_DEPS and c.i in inside and c.pos_ in {"NOUN", "PROPN"}), None)
        if subject is None:
            continue
        named = index.mention_at(subject.idx) is not None
        if named or speaker_kind(subject.text, subject.lemma_, None, lexicon) is not SpeakerKind.UNKNOWN:
            return subject
    return None


def _past_apposition(doc: Doc, head: Token, end: int) -> int:
    """The end of a title in apposition after a source's name and a comma, up to its own comma."""
    if end >= len(doc) or doc[end].text != ",":
        return end
    apposed = next((c for c in head.children if c.dep_ == "appos" and c.i > end), None)
    if apposed is None or apposed.left_edge.i != end + 1:
        return end
    return next((t.i for t in doc[apposed.i : apposed.right_edge.i + 1] if t.text == ","), apposed.right_edge.i + 1)


def _source_of_report(head: Token, lexicon: QuoteLexicon) -> Token | None:
    """The source named in a report noun's complement: "selon un dernier bilan du ministère", "selon les
    premiers éléments avancés par le Comité", "according to figures from the ministry"."""
    if head.lemma_.lower() not in lexicon.report_nouns:
        return None
    markers = lexicon.genitives | lexicon.agent_markers
    own = next(
        (
            c for c in head.rights
            if c.pos_ in {"NOUN", "PROPN"} and c.dep_.startswith(("nmod", "obl", "pobj"))
            and any(m.dep_ == "case" and m.lower_ in markers for m in c.children)
        ),
        None,
    )
    if own is not None:
        return own
    # "selon les chiffres communiqués par les préfectures": the agent of a participle qualifying the report
    participles = [c for c in head.rights if c.pos_ == "VERB" and "Part" in c.morph.get("VerbForm") and c.dep_ in {"acl", "nmod", "amod"}]
    return next(
        (
            a for p in participles[:1] for a in p.rights
            if a.pos_ in {"NOUN", "PROPN"} and any(m.dep_ == "case" and m.lower_ in lexicon.agent_markers for m in a.children)
        ),
        None,
    )


def relay_name(index: DocIndex, tokens) -> tuple[int, int]:
    """A relaying medium's name: its phrase without the leading preposition and determiner."""
    first = next((t for t in tokens if t.dep_ not in {"case", "det"} and t.pos_ not in {"ADP", "DET", "PUNCT"}), tokens[0])
    last = tokens[-1]
    return trim(index.text, first.idx, last.idx + len(last.text))


def relay_after(index: DocIndex, end: int, cues: tuple[str, ...]) -> Token | None:
    """The head noun after ", cité par" / ", se référant à" right behind a phrase ending at token `end`."""
    doc = index.doc
    if end >= len(doc) or doc[end].text != ",":
        end_char = doc[end - 1].idx + len(doc[end - 1].text) if end else 0
    else:
        end_char = doc[end].idx + 1
    rest = index.text[end_char : end_char + 40].lstrip().lower()
    cue = next((c for c in cues if rest.startswith(c) and not rest[len(c) : len(c) + 1].isalnum()), None)
    if cue is None:
        return None
    after = token_index(doc, index.text.lower().index(cue, end_char) + len(cue))
    return next((t for t in doc[after : after + 5] if t.pos_ in {"NOUN", "PROPN"}), None)


def _reports_clause(verb: Token, lexicon: QuoteLexicon) -> bool:
    """A clause after the verb opened by a complementiser: "added that ...", "a ajouté que ..."."""
    return any(
        m.dep_ == "mark" and m.lower_ in lexicon.complementisers and m.i > verb.i
        for child in verb.rights for m in child.children
    )


def _is_reporting_verb(verb: Token, quotes: list[tuple[int, int]], lexicon: QuoteLexicon) -> bool:
    if verb.pos_ != "VERB" or verb.lemma_ not in lexicon.stances or in_quotes(verb.idx, quotes):
        return False
    if any(c.dep_ in PASSIVE_DEPS for c in verb.children):
        return False  # "a été annoncé": the subject is the content, not the speaker
    if verb.dep_ == "acl" and "Past" in verb.morph.get("Tense"):
        return False  # "considéré comme le chef": a participle qualifying a noun
    if _bare_past_participle(verb):
        return False  # "la très contestée réforme": a participle as an adjective, nobody speaks
    if any("Yes" in c.morph.get("Reflex") for c in verb.children):
        return False  # "se disant composées de Russes": a self-description, not a claim
    if verb.dep_ == "xcomp" and verb.head.lemma_ in lexicon.blockers:
        return False  # "a refusé de dire si"
    if "Inf" in verb.morph.get("VerbForm") and any(c.dep_ == "mark" and c.lower_ in lexicon.purpose_marks for c in verb.children):
        return False  # "un prétexte pour annoncer ...": an aim, nothing said yet
    # "n'a pas, pour l'instant, expliqué": the negation may hang on the auxiliary
    governors = [verb, *(c for c in verb.children if c.dep_.startswith("aux"))]
    return not any(c.lower_ in lexicon.negations for g in governors for c in g.children)


def _bare_past_participle(verb: Token) -> bool:
    """A past participle with no auxiliary nor subject of its own, that is not a conjunct sharing them ("a affirmé ...
    et démenti"): an adjective ("la très contestée réforme"). "le maire dit être choqué" has its subject."""
    forms = verb.morph.get("VerbForm")
    return (
        "Part" in forms and "Past" in verb.morph.get("Tense") and verb.dep_ not in {"conj", "ROOT"}
        and not any(c.dep_.startswith("aux") or c.dep_ in SUBJECT_DEPS for c in verb.children)
    )


def _object_content(verb: Token, lexicon: QuoteLexicon) -> tuple[int, int] | None:
    """A noun object as content ("a nié l'existence d'affrontements"), or "faire état de X"; never the audience
    ("told reporters"), nor what a verb reporting only clauses provides ("a assuré une grande élégance")."""
    if verb.lemma_ in lexicon.addressed or verb.lemma_ in lexicon.clause_only:
        return None
    conjunct = next((c for c in verb.rights if c.dep_ == "conj" and c.pos_ == "VERB" and c.lemma_ in lexicon.stances), None)
    objects = [
        c for c in verb.rights
        if c.pos_ in {"NOUN", "PROPN"} and same_line(verb, c) and _is_object(c) and c.lower_ not in lexicon.time_words
        and (conjunct is None or c.i < conjunct.i)  # "qui a démenti et accusé X, un autre groupe, d'...": the accusation's
    ]  # "a annoncé ce mercredi 30 août, ..., l'annulation": a day is no content
    if not objects:
        return None
    obj = objects[0]
    predicates = [  # "a déclaré les Jeux ouverts": the predicate hangs on the verb or on its object
        c.lemma_.lower() for c in (*verb.children, *obj.rights)
        if c.dep_ in {"xcomp", "acl", "amod"} and is_predicate(c) and c.i > obj.i
    ]
    if {obj.lemma_.lower(), *predicates} & lexicon.acts.get(verb.lemma_, frozenset()):
        return None  # "ont déclaré l'état d'urgence", "a déclaré les Jeux ouverts": an act, not a statement
    if obj.lemma_.lower() in lexicon.expressions.get(verb.lemma_, frozenset()):
        rest = [c for c in verb.rights if c.i > obj.i and c.dep_.startswith(("obl", "nmod"))]
        if not rest:
            return None
        first = next((t for t in rest[0].subtree if t.dep_ != "case"), rest[0])
        return trim_tokens(verb.doc, first.i, rest[0].right_edge.i + 1)
    # "a annoncé que l'explosion ... avait déclenché": a "que" clause the parser took for an object runs on
    runs_on = any(t.lower_ in lexicon.complementisers for t in verb.doc[verb.i + 1 : obj.left_edge.i])
    end = clause_end(verb, obj, runs_on=runs_on, lexicon=lexicon)
    if verb.dep_ == "conj" and verb.head.lemma_ in lexicon.stances:
        # "a démenti et accusé le Jihad, un autre groupe, d'être à l'origine du tir": words the parse hung on the
        # first verb after this one complete this one's object
        orphans = [c for c in verb.head.rights if c.i > verb.i and c.dep_ not in {"punct", "cc", "conj"} and same_line(verb, c)]
        end = max([end, *(min(o.right_edge.i + 1, verb.sent.end) for o in orphans)])
    return trim_tokens(verb.doc, obj.left_edge.i, end)


def _is_object(token: Token) -> bool:
    """An object, or a bare noun phrase with its determiner that the parser took for an adjunct
    ("a démenti, comme elle le fait, toute implication")."""
    if token.dep_ in OBJECT_DEPS:
        return True
    bare = token.dep_.startswith(("obl", "nmod")) and not any(c.dep_ == "case" for c in token.children)
    after_comma = token.left_edge.i > 0 and token.doc[token.left_edge.i - 1].text == ","
    return bare and not after_comma and any(c.dep_ == "det" for c in token.children)


def _incise_after(doc: Doc, open_: int, close: int, lexicon: QuoteLexicon) -> Token | None:
    """The reporting verb of ", a déclaré X" right after a closing quote, whose subject is not before the quote."""
    index = token_index(doc, close + 1)
    # Subject first ("“...,” Crimea’s rail service said"): the subject's words may stand before the verb.
    gap = MAX_INCISE_GAP * (1 + lexicon.incise_subject_first)
    for token in doc[index : index + gap]:
        if "\n" in token.text or token.text in {".", "!", "?", ";"} or token.idx - close > 40 * (1 + lexicon.incise_subject_first):
            return None
        if token.pos_ == "VERB":
            if is_participle_clause(token) and _reports_clause(token, lexicon):
                return None  # "« ... », soulignant que ...": a claim of its own, not the quote's incise
            subject_before = any(c.dep_ in SUBJECT_DEPS and c.idx < open_ for c in token.children)
            return token if token.lemma_ in lexicon.stances and not subject_before else None
        subject_word = lexicon.incise_subject_first and token.pos_ in {"PROPN", "NOUN", "ADJ", "PART"}
        if token.pos_ not in INCISE_POS and not (token.pos_ == "NOUN" and token.i > index) and not subject_word:
            return None
    return None


def _verb_before_colon(doc: Doc, open_: int, lexicon: QuoteLexicon) -> Token | None:
    """"X a déclaré : « ... »"."""
    index = token_index(doc, open_)
    before = [t for t in doc[max(0, index - 2) : index] if not t.is_space]
    if not before or before[-1].text != ":":
        return None
    for token in reversed(doc[max(0, index - MAX_INCISE_GAP) : index]):
        if token.pos_ == "VERB":
            return token if token.lemma_ in lexicon.stances else None
    return None


def _partial_quote_content(index: DocIndex, open_: int, close: int, lexicon: QuoteLexicon) -> tuple[int, int] | None:
    """A quote completing a sentence begun outside it ("La bourgade serait « ... »"): the whole of it, or
    from its complementiser on ("la présidence a tweeté que, « ... »": the writer's words before it are no content)."""
    text = index.text
    start = sentence_start(index, open_)
    marks = [t for t in index.doc[token_index(index.doc, start) : token_index(index.doc, open_)] if t.lower_ in lexicon.complementisers]
    if marks:
        start = marks[-1].idx + len(marks[-1].text)
    lead = text[start:open_]
    if len(re.findall(r"\w+", lead)) < 2:
        return None
    return trim(text, start, close + 1)


# A sentence stop the parser may run over: after a word of two letters or more ("M. Dupont" is no stop), a closing
# quote mark or bracket ("« ... ». « Ce ...", "(SBU). «L'attaque").
_STOP = re.compile(r"(?:(?<=\w\w)|(?<=[)\]»”\"]))\s?[.!?…][»”\"]?\s+(?=[«“\"\w])")


def sentence_start(index: DocIndex, char: int) -> int:
    """Where the sentence holding `char` starts, on its line: the parser's sentence, moved back when the parser split
    it mid-sentence (the text before it ends with no stop: "de SNCF | Réseau "sont ..."), then past the last stop the
    parser ran over ("... Farandou. Huit cent mille voyageurs")."""
    doc, text = index.doc, index.text
    line_start = text.rfind("\n", 0, char) + 1
    sentence = doc[token_index(doc, char)].sent
    start = max(sentence.start_char, line_start)
    for _ in range(3):
        before = text[line_start:start].rstrip()
        lower_start = text[start : start + 1].islower()  # "des Palestiniens. déplacés par la guerre": a stray stop
        if not before or (before[-1] in ".!?…" and not lower_start) or sentence.start == 0:
            break
        sentence = doc[sentence.start - 1].sent
        start = max(sentence.start_char, line_start)
    ends = [  # the next word may be `char`'s; a stop before a lower-case word ends no sentence
        m for m in _STOP.finditer(text, start, min(len(text), char + 1)) if m.end() <= char and not text[m.end()].islower()
    ]
    return ends[-1].end() if ends else start


def _name_line_below(text: str, open_: int, close: int) -> tuple[int, int] | None:
    """A quote alone on its line, followed by a short line naming its author."""
    line_start = text.rfind("\n", 0, open_) + 1
    line_end = text.find("\n", close)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:open_].strip() or text[close + 1 : line_end].strip(" .\t"):
        return None
    next_end = text.find("\n", line_end + 1)
    next_end = len(text) if next_end < 0 else next_end
    start, end = trim(text, line_end + 1, next_end)
    name = text[start:end]
    words = re.findall(r"\w+", name)
    if not words or len(words) > MAX_NAME_LINE_WORDS or not name[0].isupper() or name[-1] in ".!?:»”\"":
        return None
    return start, end


def _content_before_incise(index: DocIndex, verb: Token) -> tuple[int, int] | None:
    """The sentence up to the comma before an incise verb without quotes."""
    text = index.text
    comma = next((t for t in reversed(index.doc[verb.sent.start : verb.i]) if t.text == ","), None)
    if comma is None:
        return None
    start = max(sentence_start(index, comma.idx), text.rfind("\n", 0, comma.idx) + 1)
    content = trim(text, start, comma.idx)
    quote = quote_around(index.quotes, content[0] + 1) if content[1] > content[0] + 1 else None
    if quote is not None and quote[1] < comma.idx and text[quote[0]] != text[quote[1]]:
        # "«La circulation ... Krasnodar», situé dans le sud-ouest de la Russie, a indiqué X": the quote, not the gloss
        return trim(text, quote[0] + 1, quote[1])
    if len(re.findall(r"\w+", text[content[0] : content[1]])) < 3:
        return None
    # A clause, not a subject phrase: "Des vidéos, authentifiées, confirment la présence ..." has no incise.
    tokens = index.doc[token_index(index.doc, content[0]) : comma.i]
    return content if any("Fin" in t.morph.get("VerbForm") for t in tokens) else None


def _rest_of_sentence(index: DocIndex, cue: Token, last: Token, lexicon: QuoteLexicon, source: Token | None = None) -> tuple[int, int] | None:
    """What a "selon X" phrase attributes: the part of its sentence before it, else after it."""
    doc, text = index.doc, index.text
    sentence = cue.sent
    line_start = text.rfind("\n", 0, cue.idx) + 1
    line_end = text.find("\n", cue.idx)
    end = sentence.end_char if line_end < 0 else min(sentence.end_char, line_end)
    start = max(sentence_start(index, cue.idx), line_start)
    # "300 selon la police, 1 500 selon les organisateurs": a source's words start after the other source's phrase
    other = _after_other_cue(index, start, cue.idx, lexicon)
    before = trim(text, max(start, other), cue.idx)
    if text[before[0] : cue.idx].rstrip().endswith("("):  # "entre 1 et 2 millions de personnes (selon la police)"
        return _phrase_before(doc, token_index(doc, text.rindex("(", 0, cue.idx)))
    after_phrase = last.idx + len(last.text)
    following = _first_cue(index, after_phrase, end, lexicon)
    if following >= 0:  # "selon la police, 300 personnes ont manifesté, et selon les organisateurs, 1 500"
        end = _before_joiner(text, after_phrase, following)
        last_comma = text.rfind(",", after_phrase, end)
        if last_comma >= 0 and not _has_verb(doc, trim(text, last_comma + 1, end)):
            end = last_comma  # "..., 300 personnes ont manifesté, 1 500 selon les organisateurs": the other's figure
    comma = text.find(", ", after_phrase, end)
    # "Selon le verdict prononcé contre lui, l'opposant ...": the claim starts after the comma.
    after = trim(text, comma + 1 if comma >= 0 else after_phrase, end)
    if other > start:
        # "Selon A, X, et selon B, Y": what stands between the two phrases is A's; B says what follows it. "X selon A
        # et 2 millions selon B, ...": words of B's own before it, with no verb, are a figure B backs, no clause
        between = text[before[0] : before[1]]
        if _has_verb(doc, before) or not re.search(r"\w", _without_joiners(between)):
            return after if _has_verb(doc, after) else None
        return None
    if _has_finite_verb(doc, before):
        subject_relative = _subject_relative_before(doc, before[0], cue.i, lexicon)
        if subject_relative is not None:
            # "pour cette journée qui marque selon eux le début d'une nouvelle phase": the noun and its relative clause
            return subject_relative
        relative = _relative_before(doc, before[0], cue.i, lexicon) or _opener_just_before(doc, before[0], cue.i)
        if relative is not None and after[1] > after[0]:
            # "..., où cinq personnes, selon le Hamas, ont été tuées": the relative clause the phrase stands in,
            # not the writer's sentence around it
            return trim(text, relative.idx + len(relative.text), end)
        own_source = _cue_at(index, after[0], after[1], lexicon) >= 0  # "300 selon la police, 1 500 selon les organisateurs"
        between_commas = text[before[0] : cue.idx].rstrip().endswith(",")  # "..., selon X, ...", not "... selon X, <gloss>"
        if comma >= 0 and after[1] > after[0] and between_commas and not own_source and _continues(doc, after[0], before, lexicon):
            return trim(text, before[0], end)  # "Le séisme a fait, selon le ministère, 1.305 morts": one clause
        last_relative = _relative_clause_ending_at(doc, before, cue.i, lexicon)
        if last_relative is not None:
            return last_relative  # "non loin de l'hôpital où une frappe a fait 471 morts, selon X": X backs that clause
        return before
    if _has_verb(doc, before):
        return None  # "Après avoir rassemblé deux millions de manifestants selon X, ...": X backs the adjunct only
    if not _has_verb(doc, after):
        return None
    if before[1] > before[0] and _hangs_on(doc, before, after):
        return trim(text, before[0], end)  # "Entre un et deux millions de manifestants selon X, avaient défilé": one clause
    if source is not None and source.head.pos_ in {"NOUN", "PROPN", "NUM"} and before[0] <= source.head.idx < before[1]:
        return None  # "avec 1,1 million de manifestants selon X, la journée a été marquée": X backs the figure only
    return after


def _after_other_cue(index: DocIndex, start: int, end: int, lexicon: QuoteLexicon) -> int:
    """The end of the last attribution phrase in [start, end) ("selon la police"), else `start`."""
    at = _cue_at(index, start, end, lexicon)
    if at < 0:
        return start
    doc = index.doc
    first = token_index(doc, at)
    head = next((t for t in doc[first + 1 : first + 6] if t.pos_ in {"NOUN", "PROPN", "PRON"}), None)
    if head is None or head.idx >= end:
        return start
    last = doc[phrase_extent(head, lexicon)[1] - 1]
    return min(end, last.idx + len(last.text))


def _first_cue(index: DocIndex, start: int, end: int, lexicon: QuoteLexicon) -> int:
    """Where the first attribution cue in [start, end) outside quotes begins, or -1."""
    lowered = index.text.lower()
    found = [
        at for cue in lexicon.attribution_cues
        if (at := lowered.find(cue, start, end)) >= 0 and not (at > 0 and lowered[at - 1].isalnum()) and not index.in_quotes(at)
    ]
    return min(found, default=-1)


def _without_joiners(words: str) -> str:
    """The words left when coordinating conjunctions are taken out ("et", "and", "mais", "but")."""
    return re.sub(r"(?i)\b(?:et|and|mais|but)\b", " ", words)


def _before_joiner(text: str, start: int, end: int) -> int:
    """`end` moved back over spaces, commas and a coordinating "et" / "and" / "mais" before it."""
    head = text[start:end].rstrip(" ,")
    for joiner in (" et", " and", " mais", " but"):
        if head.lower().endswith(joiner):
            head = head[: -len(joiner)].rstrip(" ,")
    return start + len(head)


def _cue_at(index: DocIndex, start: int, end: int, lexicon: QuoteLexicon) -> int:
    """Where the last attribution cue in [start, end) outside quotes begins, or -1."""
    lowered = index.text.lower()
    found = -1
    for cue in lexicon.attribution_cues:
        at = lowered.rfind(cue, start, end)
        while at >= 0 and ((at > 0 and lowered[at - 1].isalnum()) or index.in_quotes(at)):
            at = lowered.rfind(cue, start, at)
        found = max(found, at)
    return found


def _has_finite_verb(doc: Doc, span: tuple[int, int]) -> bool:
    """A finite verb in the span: a clause, not an adjunct ("Après avoir rassemblé deux millions de manifestants")."""
    tokens = doc.char_span(span[0], span[1], alignment_mode="expand") if span[1] > span[0] else None
    return tokens is not None and any(t.pos_ in {"VERB", "AUX"} and "Fin" in t.morph.get("VerbForm") for t in tokens)


def _relative_clause_ending_at(doc: Doc, before: tuple[int, int], cue: int, lexicon: QuoteLexicon) -> tuple[int, int] | None:
    """A relative clause with a subject of its own ("où une frappe a fait 471 morts") that ends right before the cue:
    what the cue backs, without its relative word."""
    stop = cue - 1 if cue > 0 and doc[cue - 1].text == "," else cue
    tokens = doc.char_span(before[0], before[1], alignment_mode="expand")
    if tokens is None:
        return None
    for verb in tokens:
        if verb.pos_ not in {"VERB", "AUX"} or verb.right_edge.i + 1 != stop or verb.head.i == verb.i:
            continue  # the parser may take "où ..." for an adverbial clause: its relative word tells
        relative = verb.left_edge
        own_subject = any(
            c.dep_ in SUBJECT_DEPS and "Rel" not in c.morph.get("PronType") and c.lower_ not in lexicon.relative_pronouns
            for c in verb.children
        )
        if own_subject and "Rel" in relative.morph.get("PronType") and relative.i < verb.i:
            return trim_tokens(doc, relative.i + 1, stop)
    return None


def _hangs_on(doc: Doc, before: tuple[int, int], after: tuple[int, int]) -> bool:
    """Words before a "selon X" phrase holding the subject of the clause after it ("Entre un et deux millions de
    manifestants selon X, avaient défilé"); an adjunct alone ("avec 1,1 million selon X, la journée a été marquée")
    leaves the clause to the writer."""
    tokens = doc.char_span(before[0], before[1], alignment_mode="expand")
    return tokens is not None and any(
        t.head.i != t.i and after[0] <= t.head.idx < after[1] and (t.dep_ in SUBJECT_DEPS or _figure_subject(t))
        for t in tokens
    )


def _figure_subject(token: Token) -> bool:
    """"Entre un et deux millions ... avaient défilé": a figure the parser hung on the verb as an adjunct, with no
    subject of its own on that verb."""
    verb = token.head
    counted = (
        token.pos_ == "NUM" or bool(token.morph.get("NumType")) or any(c.dep_ == "nummod" for c in token.children)
        or (token.pos_ == "DET" and any(c.pos_ == "NUM" for c in token.subtree))
    )
    return counted and verb.i > token.i and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)


def _subject_relative_before(doc: Doc, start: int, cue: int, lexicon: QuoteLexicon) -> tuple[int, int] | None:
    """A subject relative clause the cue stands in ("cette journée qui marque selon eux le début de ..."): its
    antecedent noun phrase (without its preposition) and the clause, up to the clause's end."""
    for token in reversed(doc[token_index(doc, start) : cue]):
        if "Fin" in token.morph.get("VerbForm") and not _has_relative_subject(token, lexicon):
            return None
        if token.dep_ in SUBJECT_DEPS and token.lower_ in lexicon.relative_pronouns:
            clause = token.head
            noun = clause.head
            if clause.dep_ not in {"acl:relcl", "relcl"} or noun.pos_ not in {"NOUN", "PROPN"} or clause.right_edge.i < cue:
                return None
            first = next((t for t in noun.subtree if t.dep_ != "case" and not t.is_punct), noun)
            return trim_tokens(doc, max(first.i, token_index(doc, start)), clause.right_edge.i + 1)
    return None


def _has_relative_subject(verb: Token, lexicon: QuoteLexicon) -> bool:
    return any(c.dep_ in SUBJECT_DEPS and c.lower_ in lexicon.relative_pronouns for c in verb.children)


def _phrase_before(doc: Doc, paren: int) -> tuple[int, int] | None:
    """The noun phrase right before a parenthesis, up to its governing verb: "entre 1 et 2 millions de personnes"."""
    if paren == 0 or doc[paren - 1].pos_ not in {"NOUN", "PROPN", "NUM"}:
        return None
    root = doc[paren - 1]
    while root.head.i != root.i and root.head.i < paren and root.head.pos_ in {"NOUN", "PROPN", "NUM"}:
        root = root.head
    return trim_tokens(doc, min(root.left_edge.i, paren - 1), paren)


def _opener_just_before(doc: Doc, start: int, cue: int) -> Token | None:
    """A subordinating conjunction right before the cue ("lorsque, selon les autorités, un camion a explosé")."""
    index = cue - 1
    while index >= 0 and doc[index].text == ",":
        index -= 1
    opener = doc[index] if index >= 0 and doc[index].idx >= start else None
    return opener if opener is not None and opener.pos_ == "SCONJ" and opener.dep_ == "mark" else None


def _relative_before(doc: Doc, start: int, cue: int, lexicon: QuoteLexicon) -> Token | None:
    """A relative word opening the clause a mid-sentence "selon X" stands in: no finite verb between them."""
    for token in reversed(doc[token_index(doc, start) : cue]):
        if "Fin" in token.morph.get("VerbForm"):
            return None
        if "Rel" in token.morph.get("PronType") or token.lower_ in lexicon.relative_pronouns:
            return None if token.dep_ in SUBJECT_DEPS else token  # "l'homme qui, selon X, a tiré": the clause needs its subject
    return None


def _continues(doc: Doc, start: int, before: tuple[int, int], lexicon: QuoteLexicon) -> bool:
    """The words after a mid-sentence "selon X," hang on the clause before it (its object, its verb)."""
    first = doc[token_index(doc, start)]
    if "Rel" in first.morph.get("PronType") or first.lower_ in lexicon.relative_pronouns:
        return False  # "selon le ministre, qui dénonce ...": a clause about the source
    return any(before[0] <= a.idx < before[1] for a in first.ancestors)


def _has_verb(doc: Doc, span: tuple[int, int]) -> bool:
    tokens = doc.char_span(span[0], span[1], alignment_mode="expand") if span[1] > span[0] else None
    return tokens is not None and any(t.pos_ in {"VERB", "AUX"} for t in tokens)


def _claim(attribution: Attribution, speaker: Speaker, index: DocIndex, document: Document, lexicon: QuoteLexicon) -> Claim:
    start, end = attribution.content
    polarity = STANCE_POLARITY.get(attribution.stance, Polarity.ASSERT)
    first_word = re.match(r"\W*(\w+)", index.text[start:end])
    if first_word and first_word.group(1).lower() in lexicon.negative_determiners:
        polarity = Polarity.DENY  # "aucune percée"
    return Claim(
        id=claim_id(document.id, start, end),
        span=Span(document.id, start, end),
        kind=attribution.kind,
        speaker=speaker,
        cue=Span(document.id, *attribution.cue),
        hedged=is_hedged(attribution, index, lexicon),
        polarity=polarity,
        text=document.text[start:end],
    )


def is_hedged(attribution: Attribution, index: DocIndex, lexicon: QuoteLexicon) -> bool:
    """A hedging verb ("prétendre"), a hedge cue in the content or the cue (a hedging conditional,
    "probablement"; "selon" alone is none), or an "unverified" remark in the content's sentence."""
    if attribution.stance == "hedge":
        return True
    for start, end in (attribution.content, attribution.cue):
        lowered = index.text[start:end].lower()
        if any(not _on_a_noun_modifier(index.doc, start + m.start()) for p in lexicon.hedge_cues for m in p.finditer(lowered)):
            return True
        if any(
            h.kind is not HedgeKind.ATTRIBUTION and not (h.kind is HedgeKind.LEXICAL and _on_a_noun_modifier(index.doc, h.span.start))
            for h in index.hedges_touching(start, end)
        ):
            return True
    return bool(index.hedges_in_sentence(*attribution.content, HedgeKind.UNVERIFIED))


def _on_a_noun_modifier(doc: Doc, char: int) -> bool:
    """A hedging adverb on a participle that qualifies a noun ("a deal apparently brokered by X", "un accord
    apparemment négocié par X") hedges that description, not the claim."""
    token = doc[token_index(doc, char)]
    modified = token.head
    return (
        token.pos_ == "ADV" and modified.dep_ in {"acl", "amod"} and modified.pos_ in {"VERB", "ADJ"}
        and "Fin" not in modified.morph.get("VerbForm") and modified.head.pos_ in {"NOUN", "PROPN"} and modified.head.i < modified.i
    )
