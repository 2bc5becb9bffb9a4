"""Who speaks: the speaker of an attribution, read from the parse and narrowed to a name.

The speaker is read from the dependency parse (the verb's subject, including an
inverted one after the verb), then narrowed to a name: a person named in
apposition ("le porte-parole du Kremlin, Dmitri Peskov"), a name given by a
naming verb ("une unité baptisée « Légion ... »"), or the bare noun phrase.
Pronouns take the last speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from recoupe.model import ClaimKind, Document, EntityType, Mention, Span, Speaker, SpeakerKind
from recoupe.nlp.clauses import (
    MAX_SPEAKER_TOKENS,
    OBJECT_DEPS,
    SUBJECT_DEPS,
    complement_of,
    first_bare_noun,
    in_quotes,
    is_incise,
    is_participle_clause,
    line_start_index,
    phrase_extent,
    same_line,
    token_index,
    trim,
)
from recoupe.nlp.positions import DocIndex
from recoupe.nlp.quote_lexicon import QuoteLexicon

# A verb linked to its head this way shares the head's subject ("a confirmé ..., niant ...").
SHARED_SUBJECT_DEPS = frozenset({"conj", "advcl", "xcomp"})
RELATIVE_DEPS = frozenset({"acl:relcl", "relcl"})
POSSESSIVE_DEPS = frozenset({"poss", "nmod:poss"})
# Words after a medium's head noun that belong to its name ("télévision publique", "chaîne Gabon 24").
NAME_PART_DEPS = frozenset({"amod", "flat", "flat:name", "fixed", "compound", "nummod"})
# A naming verb's name follows it closely ("présenté à l'AFP en décembre comme « Caesar »": 7).
MAX_NAME_DISTANCE = 9


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
    channel: tuple[int, int] | None = None  # the medium relaying the speaker ("selon les agences ..., se référant à X")


@dataclass(frozen=True, slots=True)
class Said:
    """A speaker already met in the document, for pronouns and "l'unité"."""

    speaker: Speaker
    head: str
    gender: str = ""  # grammatical gender of the head noun, for "il" / "elle"


def resolve_speaker(
    attribution: Attribution, index: DocIndex, document: Document, said: list[Said], lexicon: QuoteLexicon
) -> tuple[Speaker, Token | None] | None:
    """The speaker of one attribution and its head word, or None when nobody can be named."""
    if attribution.named is not None:
        start, end = attribution.named
        name = index.text[start:end]
        return Speaker(name, speaker_kind(name, "", None, lexicon), Span(document.id, start, end)), None
    verb = attribution.verb
    after = verb is not None and attribution.cue[0] > attribution.content[0]
    subject = attribution.subject if verb is None else _subject_of(verb, list(index.quotes), lexicon, content_before=after)
    times = lexicon.time_words | lexicon.day_parts
    if subject is not None and subject.lemma_.lower() in times:
        # "le soir même les syndicats ont annoncé": the parse took the time for the subject; the noun it holds speaks
        subject = next((c for c in subject.children if c.pos_ in {"NOUN", "PROPN"} and c.lemma_.lower() not in times), subject)
    if subject is None:
        return None
    if after and subject.pos_ == "PRON" and subject.text.startswith("-"):
        # "X, le conseiller du président, a semblé se réjouir. « ... », a-t-il déclaré": the
        # person just named before the quote, when named after the last speaker.
        first = index.doc[token_index(index.doc, attribution.content[0])]
        recent = _recent_subject(first, index, lexicon, grammatical_gender(subject), _pronoun(subject) in lexicon.person_pronouns)
        if recent is not None and recent.idx > _last_named(said):
            subject = recent
    resolved = _speaker_from(subject, index, document, said, lexicon)
    if resolved is None:
        return None
    speaker, head = resolved
    channel = _channel(attribution, subject, index, lexicon)
    return (replace(speaker, channel=channel) if channel else speaker), head


def _channel(attribution: Attribution, subject: Token, index: DocIndex, lexicon: QuoteLexicon) -> str | None:
    """The medium relaying the speaker: named by the cue phrase, after "cité par", or as "à <media>" on the verb."""
    from recoupe.nlp.quotes import relay_after, relay_name

    if attribution.channel is not None:
        return index.text[attribution.channel[0] : attribution.channel[1]]
    if attribution.verb is None:
        return None
    _, end = phrase_extent(subject, lexicon)
    relay = relay_after(index, end, lexicon.relayed_by)  # "a déclaré le maire, cité par l'AFP"
    if relay is None:  # "a indiqué à RIA Novosti le responsable"
        relay = next((c for c in attribution.verb.children if _is_medium_addressed(c, lexicon)), None)
    if relay is None:
        return None
    mention = index.mention_at(relay.idx)
    if mention is not None:
        return mention.text
    last = relay.i + 1  # "à la télévision les militaires ...": the medium's own words, not the subject after it
    while last < len(index.doc) and index.doc[last].head.i == relay.i and index.doc[last].dep_ in NAME_PART_DEPS:
        last += 1
    start, end = relay_name(index, index.doc[relay.left_edge.i : last])
    return index.text[start:end]


def _is_medium_addressed(token: Token, lexicon: QuoteLexicon) -> bool:
    """"à RIA Novosti" on a reporting verb: the medium the speaker told."""
    if not token.dep_.startswith("obl") or not any(c.dep_ == "case" and c.lower_ in {"à", "au"} for c in token.children):
        return False
    return speaker_kind(token.text, token.lemma_, None, lexicon) is SpeakerKind.MEDIA


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
        if c.dep_ in SUBJECT_DEPS and same_line(c, verb) and not in_quotes(c.idx, quotes)
        and not any(d.dep_ == "case" and d.i < c.i for d in c.children)  # "dans la soirée": an adjunct, not a subject
    ]
    if content_before and "Fin" in verb.morph.get("VerbForm") and not any(s.i < verb.i for s in subjects):
        inverted = _inverted_subject(verb, lexicon)  # "« ... » raconte un riverain": no comma, still an incise
        if inverted is not None:
            return inverted
    if is_incise(verb, quotes, lexicon) and (content_before or complement_of(verb, lexicon) is None):
        if lexicon.incise_subject_first and any(s.i < verb.i for s in subjects):
            return subjects[0]  # "..., the national train operator said, adding ..."
        return _inverted_subject(verb, lexicon) or (subjects[0] if subjects else None)
    if subjects:
        return subjects[0]
    # French is SVO: a noun "object" before the verb is a misparsed subject ("Kiev ayant juré").
    fronted = [c for c in verb.lefts if c.dep_ in OBJECT_DEPS and c.pos_ in {"NOUN", "PROPN"}]
    if fronted:
        return fronted[-1]
    after_comma = verb.i > 0 and verb.doc[verb.i - 1].text == ","
    if verb.dep_ == "acl" and not after_comma and verb.head.pos_ in {"NOUN", "PROPN"}:
        if speaker_kind(verb.head.text, verb.head.lemma_, None, lexicon) is not SpeakerKind.UNKNOWN or verb.head.pos_ == "PROPN":
            return verb.head  # "le ministère des Transports précisant que"
        if complement_of(verb, lexicon) is None:
            return None  # "des résultats officiels annonçant la réélection de X": a thing announcing a noun, nobody speaks
        # "X s'est affiché devant le QG assurant que": a place cannot speak; the clause's subject does
        governor = verb.head.head
        if governor is not verb.head and governor.pos_ in {"VERB", "AUX"} and depth < 4:
            return next((c for c in governor.children if c.dep_ in SUBJECT_DEPS), None)
    if is_participle_clause(verb) and depth < 4:
        absolute = _absolute_subject(verb, lexicon)
        if absolute is not None:
            return absolute
        reporting = next((a for a in verb.ancestors if a.pos_ == "VERB" and a.lemma_ in lexicon.stances), None)
        if reporting is None:  # the parse hangs ", précisant" on the quote: take the reporting verb before it
            earlier = verb.doc[max(verb.sent.start, line_start_index(verb)) : verb.i]
            reporting = next((t for t in reversed(earlier) if t.pos_ == "VERB" and t.lemma_ in lexicon.stances), None)
        if reporting is not None:
            return _subject_of(reporting, quotes, lexicon, depth + 1)
    if not same_line(verb.head, verb):
        return first_bare_noun(verb.doc[line_start_index(verb) : verb.i], lexicon)
    if verb.dep_ in RELATIVE_DEPS or verb.dep_ == "acl":
        return publisher_of(verb.head, lexicon) or verb.head  # "l'OMS publie un rapport ..., expliquant que": the OMS
    if verb.dep_ in SHARED_SUBJECT_DEPS and verb.head is not verb and depth < 4:
        return _subject_of(verb.head, quotes, lexicon, depth + 1)
    return None


def publisher_of(noun: Token, lexicon: QuoteLexicon) -> Token | None:
    """Who put out a report or channel that is the object of their verb: "l'OMS publie un rapport" -> OMS."""
    if noun.pos_ != "NOUN" or noun.dep_ not in OBJECT_DEPS or noun.head.pos_ not in {"VERB", "AUX"}:
        return None
    if noun.lemma_.lower() not in lexicon.report_nouns and speaker_kind(noun.text, noun.lemma_, None, lexicon) is not SpeakerKind.CHANNEL:
        return None
    return next((c for c in noun.head.children if c.dep_ in SUBJECT_DEPS and c.pos_ in {"NOUN", "PROPN"}), None)


def _absolute_subject(verb: Token, lexicon: QuoteLexicon) -> Token | None:
    """"..., le porte-parole Andriy Yusov affirmant que": a noun phrase between the comma and the participle."""
    start = verb.i
    while start > verb.sent.start and verb.doc[start - 1].text != "," and verb.i - start < MAX_SPEAKER_TOKENS:
        start -= 1
    if start == verb.i or verb.doc[start - 1].text != ",":
        return None
    return first_bare_noun(verb.doc[start : verb.i], lexicon)


def _clitic(verb: Token, lexicon: QuoteLexicon) -> Token | None:
    """"a-t-elle indiqué", "ajoutait-on", "a-t-il ensuite appelé": a hyphenated subject pronoun around the verb."""
    start = verb.i
    while start > 0 and verb.doc[start - 1].pos_ in {"AUX", "PRON", "ADV"} and verb.doc[start - 1].text != ",":
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
    return first_bare_noun(verb.doc[verb.i + 1 : stop], lexicon)


def _speaker_from(
    head: Token, index: DocIndex, document: Document, said: list[Said], lexicon: QuoteLexicon
) -> tuple[Speaker, Token | None] | None:
    """Narrow a subject to a name: a pronoun's antecedent, a person in apposition, a given name, the phrase.

    Mentions are looked up by position in `index` (bisection), never scanned."""
    doc, text, quotes = index.doc, index.text, list(index.quotes)
    word = _pronoun(head)
    if head.pos_ == "PRON" and word in lexicon.relative_pronouns:
        antecedent = head.head.head if head.head.dep_ in RELATIVE_DEPS else None
        adjacent = _word_before(head)
        person = adjacent is not None and (mention := index.mention_at(adjacent.idx)) is not None and mention.type is EntityType.PERSON
        if person or (antecedent is None and adjacent is not None and adjacent.pos_ in {"NOUN", "PROPN"}):
            antecedent = adjacent  # "notamment Aurélien Pradié qui a confirmé": the name right before "qui"
        if antecedent is None or antecedent.pos_ not in {"NOUN", "PROPN"}:
            return None
        return _speaker_from(antecedent, index, document, said, lexicon)
    # "où il affirmait": a pronoun before its verb may take the subject just named. An
    # inverted one ("a-t-elle indiqué") follows the content, whose subjects are not candidates.
    if head.pos_ == "PRON" and not head.text.startswith("-") and word not in lexicon.indefinite_pronouns:
        recent = _recent_subject(head, index, lexicon, grammatical_gender(head), word in lexicon.person_pronouns)
        if recent is not None and recent.idx > _last_named(said):
            return _speaker_from(recent, index, document, said, lexicon)
    if head.pos_ == "PRON" and word in lexicon.indefinite_pronouns and not head.text.startswith("-"):
        return None  # "On soulignera que ...": the writer's own remark ("ajoutait-on" is an incise)
    if head.pos_ == "PRON":
        return _antecedent(word, grammatical_gender(head), said, lexicon)
    if any(c.lower_ in lexicon.writer_determiners for c in head.children if c.i < head.i):
        return None  # "nos envoyés spéciaux vous racontent": the outlet's own coverage
    publisher = publisher_of(head, lexicon)
    if publisher is not None:  # "l'OMS publie un rapport sur l'épidémie qui ..., expliquant que": the OMS speaks
        return _speaker_from(publisher, index, document, said, lexicon)
    start, end = phrase_extent(head, lexicon)
    cut = index.mention_at(doc[end - 1].idx)
    if cut is not None and cut.span.end > doc[end - 1].idx + len(doc[end - 1].text) and same_line(head, doc[token_index(doc, cut.span.end - 1)]):
        end = token_index(doc, cut.span.end - 1) + 1  # a name the parse cut: "le président Emmanuel | Macron" (an adverb)
    agent = _agent(doc, end, lexicon) if speaker_kind(head.text, head.lemma_, None, lexicon) is SpeakerKind.CHANNEL else None
    if agent is not None:  # "un communiqué rendu public par le Comité d'enquête" -> the Comité
        return _speaker_from(agent, index, document, said, lexicon)
    tokens = doc[start:end]
    if _is_bare_definite(tokens, head) and speaker_kind(head.text, head.lemma_, None, lexicon) is SpeakerKind.CHANNEL:
        # "précise le communiqué": the subject of "X a déclaré dans un communiqué"; a channel alone names nobody
        author = channel_author(tokens, head)
        return _speaker_from(author, index, document, said, lexicon) if author is not None else None
    earlier = _referred_back(tokens, head, said, lexicon)
    if earlier is not None:
        return Speaker(earlier.name, earlier.kind, None, earlier.entity_id), None
    named_before = _epithet_antecedent(tokens, head, index, lexicon)
    if named_before is not None:  # "regrette l'élu", "a indiqué l'institut météorologique": the one named before
        kind = speaker_kind(named_before.text, "", named_before.type, lexicon)
        return _speaker(document, named_before.span.start, named_before.span.end, text, kind), head
    inside = index.mentions_within(tokens.start_char, tokens.end_char)
    people = [m for m in inside if m.type is EntityType.PERSON and not _after_genitive(doc, m.span.start, lexicon, head)]
    # "Kherson Oblast Governor Oleksandr Prokudin": the person the head names, before a place tagged as one
    person = next((m for m in people if m.span.start <= head.idx < m.span.end), people[0] if people else None)
    if person is None:  # "Dmitri Peskov, le porte-parole de ..., a jugé": the name before its title
        person = _person_before_comma(index, tokens.start_char)
    if person is None and speaker_kind(head.text, head.lemma_, None, lexicon) is SpeakerKind.PERSON:
        person = _person_after_comma(index, end)  # "l'ambassadeur adjoint russe à l'ONU, Dmitri Polianskiï"
    if person is None and not inside:
        # "l'avocat du policier placé en détention, maître X, souligne", "l'autorité en charge du scrutin, le Centre
        # gabonais des élections, a annoncé": the name in apposition to a description naming nobody
        apposed = _apposed_name(head, index, lexicon)
        if apposed is not None:
            kind = SpeakerKind.PERSON if apposed.type is EntityType.PERSON else speaker_kind(apposed.text, "", apposed.type, lexicon)
            return _speaker(document, apposed.span.start, apposed.span.end, text, kind), head
    named = _given_name(index, end, lexicon)
    if person is not None:
        return _speaker(document, person.span.start, person.span.end, text, SpeakerKind.PERSON), head
    if named is not None:
        name = text[named[0] : named[1]]
        return _speaker(document, *named, text, speaker_kind(name, head.lemma_, None, lexicon)), head
    first = next((t for t in tokens if t.pos_ not in {"DET", "PUNCT"}), head)
    core = trim(text, first.idx, _core_end(tokens, head))
    own = index.mention_at(head.idx)
    if own is not None and own.span.start <= core[0] and core[1] <= own.span.end:
        core = (own.span.start, own.span.end)  # the mention is the whole name: "Légion de la liberté de la Russie"
    elif own is not None and core[0] <= own.span.start and core[1] < own.span.end and same_line(head, doc[token_index(doc, own.span.end - 1)]):
        core = (core[0], own.span.end)  # a name the phrase cut: "Légion Liberté pour la Russie"
    elif own is None:
        apposed = next((m for m in inside if m.span.start > head.idx and not _after_genitive(doc, m.span.start, lexicon)), None)
        if apposed is not None:
            core = (apposed.span.start, apposed.span.end)  # "l'agence de presse TASS" -> TASS
    elif own.span.end < core[1]:
        holder = next((m for m in inside if m.span.start >= own.span.end and m.type is EntityType.PERSON), None)
        if holder is not None:  # "le ministre de l'Intérieur Gérald Darmanin" -> the person holding the office
            return _speaker(document, holder.span.start, holder.span.end, text, SpeakerKind.PERSON), head
    name = text[core[0] : core[1]]
    entity_type = next((m.type for m in (*inside, *([own] if own else ())) if m.span.start <= core[0] and core[1] <= m.span.end), None)
    return _speaker(document, *core, text, speaker_kind(name, head.lemma_, entity_type, lexicon)), head


def _word_before(token: Token) -> Token | None:
    """The word a relative pronoun follows (past one comma), climbed to the head of a name ("Pradié" -> "Aurélien")."""
    index = token.i - 1
    if index >= 0 and token.doc[index].text == ",":
        index -= 1
    if index < 0 or not same_line(token.doc[index], token):
        return None
    word = token.doc[index]
    while word.dep_.startswith("flat") and word.head.i < word.i:
        word = word.head
    return word


def _person_before_comma(index: DocIndex, start: int) -> Mention | None:
    """A person named just before a phrase and a comma: "Dmitri Peskov, le porte-parole de ..."."""
    window_start = max(0, start - 200)  # a bounded look back over spaces, one comma, spaces
    before = index.text[window_start:start].rstrip()
    if not before.endswith(","):
        return None
    name_end = window_start + len(before[:-1].rstrip())
    candidates = index.mentions_ending_between(name_end, name_end)
    person = next((m for m in candidates if m.type is EntityType.PERSON), None)
    if person is None:
        return None
    # "après la réélection de X, un groupe de militaires a annoncé": a name in a complement is no subject
    first = index.doc[token_index(index.doc, person.span.start)]
    governed = any(c.dep_ == "case" for c in first.children) or (first.i > 0 and first.doc[first.i - 1].pos_ == "ADP")
    return None if governed else person


# A title's complement before the comma and the holder's name is short ("à l'ONU": 2 tokens).
MAX_TITLE_COMPLEMENT = 6


def _person_after_comma(index: DocIndex, end: int) -> Mention | None:
    """A person named right after a title, its short complement and a comma: "l'ambassadeur adjoint à l'ONU, X"."""
    doc = index.doc
    for token in doc[end : min(len(doc), end + MAX_TITLE_COMPLEMENT)]:
        if token.text == ",":
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            mention = index.mention_at(following.idx) if following is not None else None
            if mention is not None and mention.type is EntityType.PERSON and mention.span.start == following.idx:
                return mention
            return None
        if token.pos_ in {"VERB", "AUX"} or token.text in {".", ";", ":", "!", "?"} or "\n" in token.text:
            return None
    return None


def _apposed_name(head: Token, index: DocIndex, lexicon: QuoteLexicon) -> Mention | None:
    """A person's or organisation's name in apposition after a comma to a speaker's description (or a second subject
    of the same verb the parser made of it)."""
    doc = head.doc
    apposed = [c for c in head.rights if c.dep_ == "appos"]
    if head.dep_ in SUBJECT_DEPS:
        apposed += [c for c in head.head.children if c.dep_ in SUBJECT_DEPS and c.i > head.i]
    for child in sorted(apposed, key=lambda c: c.i):
        first = child.left_edge.i + (doc[child.left_edge.i].text == ",")  # the parse may hang the comma on it
        if first == 0 or doc[first - 1].text != "," or not same_line(head, child):
            continue
        last = child.right_edge
        names = [
            m for m in index.mentions_within(doc[first].idx, last.idx + len(last.text))
            if m.type in {EntityType.PERSON, EntityType.ORGANISATION}
        ]
        return names[0] if names else None
    return None


def _core_end(tokens, head: Token) -> int:
    """The noun phrase up to its first comma: "le gouverneur régional, X" -> "gouverneur régional"."""
    comma = next((t for t in tokens if t.text == "," and t.i > head.i), None)
    return comma.idx if comma is not None else tokens.end_char


def grammatical_gender(token: Token | None) -> str:
    return next(iter(token.morph.get("Gender")), "") if token is not None else ""


def _last_named(said: list[Said]) -> int:
    return max((s.speaker.span.start for s in said if s.speaker.span), default=-1)


def _recent_subject(pronoun: Token, index: DocIndex, lexicon: QuoteLexicon, gender: str, for_person: bool) -> Token | None:
    """The nearest subject before a pronoun that can speak, in its sentence or the one before, agreeing in gender.

    A thing ("l'incendie est dû à ...", "his appearance was in a video") is no antecedent of
    a speaker; a person's possessive is one ("Prigozhin's appearance ... in which he announced")."""
    start = max(0, pronoun.sent.start - 1)
    start = pronoun.doc[start].sent.start
    quotes = index.quotes
    for token in reversed(pronoun.doc[start : pronoun.i]):
        if token.pos_ not in {"NOUN", "PROPN"} or in_quotes(token.idx, quotes):
            continue
        mention = index.mention_at(token.idx)
        person = mention is not None and mention.type is EntityType.PERSON
        if mention is None and token.pos_ == "PROPN" and token.dep_ in POSSESSIVE_DEPS:
            person = for_person  # "Prigozhin’s most recent appearance ..., in which he announced": an untagged name
        if token.dep_ not in SUBJECT_DEPS and not (person and token.dep_ in POSSESSIVE_DEPS):
            continue
        if not person and mention is None and speaker_kind(token.text, token.lemma_, None, lexicon) is SpeakerKind.UNKNOWN:
            continue
        if not gender or not grammatical_gender(token) or grammatical_gender(token) == gender:
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


def _given_name(index: DocIndex, end: int, lexicon: QuoteLexicon) -> tuple[int, int] | None:
    """The name a naming verb gives the speaker: "une unité baptisée « Légion ... »" -> Légion ..."""
    doc, text, quotes = index.doc, index.text, index.quotes
    window = [t for t in doc[end : min(len(doc), end + 5)] if t.text != ","]
    if window and window[0].lower_ in lexicon.relative_pronouns:
        window = window[1:]
    verb = next((t for t in window if t.pos_ not in {"AUX", "ADV"}), None)
    if verb is None or verb.pos_ != "VERB" or verb.lemma_ not in lexicon.naming_verbs:
        return None
    limit = verb.i + MAX_NAME_DISTANCE
    following = bisect_right(quotes, (verb.idx, len(text)))  # the first quote opening after the verb
    if following < len(quotes) and token_index(doc, quotes[following][0]) <= limit:
        open_, close = quotes[following]
        return trim(text, open_ + 1, close)
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


def _referred_back(tokens, head: Token, said: list[Said], lexicon: QuoteLexicon) -> Speaker | None:
    """The earlier speaker a phrase names again: "l'unité" (same head noun), "la même source", "cet organisme"
    (a generic noun: the last speaker of its kind, person or not)."""
    same_head = next((s.speaker for s in reversed(said) if s.head == head.lemma_.lower()), None)
    if _is_bare_definite(tokens, head) and same_head is not None:
        return same_head
    before = head.doc[head.i - 1] if head.i > tokens.start else None
    anaphoric = before is not None and before.lower_ in lexicon.anaphors
    demonstrative = (
        len(tokens) == 2 and "Dem" in tokens[0].morph.get("PronType") and head.lemma_.lower() in lexicon.anaphoric_nouns
    )  # "cet organisme", not "ces assaillants" (who may never have spoken)
    definite = _is_bare_definite(tokens, head) and head.lemma_.lower() in lexicon.anaphoric_nouns  # "ajoute l'organisme"
    if not (anaphoric or demonstrative or definite) or not said:
        return None
    if same_head is not None:
        return same_head
    kind = speaker_kind(head.text, head.lemma_, None, lexicon)
    if kind is SpeakerKind.UNKNOWN:  # "ces derniers": whoever spoke last
        return said[-1].speaker
    person = kind is SpeakerKind.PERSON
    # "la compagnie" never names back a person, nor "le porte-parole" an institution: else the phrase names itself
    return next((s.speaker for s in reversed(said) if (s.speaker.kind is SpeakerKind.PERSON) == person), None)


# How far back a definite description looks for the entity it names again: its sentence and the four before
# (dev2: "l'institut météorologique" names Météo-France four sentences back, with no organisation between).
EPITHET_SENTENCES = 5


def _epithet_antecedent(tokens, head: Token, index: DocIndex, lexicon: QuoteLexicon) -> Mention | None:
    """The entity a definite description names again ("l'élu", "l'institut météorologique", "le député LR"): the
    nearest name of its kind (a person for a person's title, else an organisation) in its sentence or the two before,
    outside quotes. A description holding a name or a complement ("le groupe de militaires") is no epithet."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in lexicon.epithet_nouns or tokens[0].i == head.i:
        return None
    if "Plur" in head.morph.get("Number"):
        return None  # "les syndicats": a group, not the one named before
    first = tokens[0]
    if not ("Def" in first.morph.get("Definite") or "Dem" in first.morph.get("PronType")):
        return None
    rest = [t for t in tokens[1:] if t.i != head.i]
    if any(not (t.pos_ == "ADJ" or (t.pos_ == "PROPN" and t.text.isupper() and len(t.text) <= 4)) for t in rest):
        return None
    if index.mentions_within(tokens.start_char, tokens.end_char):
        return None
    person = speaker_kind(head.text, head.lemma_, None, lexicon) is SpeakerKind.PERSON
    wanted = {EntityType.PERSON} if person else {EntityType.ORGANISATION}
    sentence = head.sent
    for _ in range(EPITHET_SENTENCES - 1):
        if sentence.start == 0:
            break
        sentence = head.doc[sentence.start - 1].sent
    candidates = [
        m for m in index.mentions_within(sentence.start_char, tokens.start_char)
        if m.type in wanted and not index.in_quotes(m.span.start) and (not person or _looks_like_a_name(m.text))
    ]
    return candidates[-1] if candidates else None


def channel_author(tokens, head: Token) -> Token | None:
    """The author of the channel a bare definite names again ("précise le communiqué"): the subject of the verb the
    same noun hung on before ("X a déclaré dans un communiqué"), in its sentence or the four before."""
    sentence = head.sent
    for _ in range(EPITHET_SENTENCES - 1):
        if sentence.start == 0:
            break
        sentence = head.doc[sentence.start - 1].sent
    for token in reversed(head.doc[sentence.start : tokens.start]):
        if token.lemma_ != head.lemma_ or token.head.pos_ not in {"VERB", "AUX"}:
            continue
        subject = next((c for c in token.head.children if c.dep_ in SUBJECT_DEPS and c.pos_ in {"NOUN", "PROPN"}), None)
        if subject is not None:
            return subject
    return None


def _looks_like_a_name(text: str) -> bool:
    """A person's name has a lower-case letter: "LR" or "NDLR" tagged as a person is an acronym."""
    return any(c.islower() for c in text)


def _is_bare_definite(tokens, head: Token) -> bool:
    """"l'unité": a definite article and its noun only, which refers back."""
    if len(tokens) != 2 or tokens[1].i != head.i or head.pos_ != "NOUN":
        return False
    return "Def" in tokens[0].morph.get("Definite") or "Dem" in tokens[0].morph.get("PronType")


def _after_genitive(doc: Doc, char: int, lexicon: QuoteLexicon, head: Token | None = None) -> bool:
    """"le porte-parole du Kremlin": a name inside a "de" complement is not the speaker, nor is one in
    apposition to it ("le conseiller du président ukrainien Volodymyr Zelensky": the parse path to the head)."""
    index = token_index(doc, char) - 1
    while index >= 0 and doc[index].pos_ == "DET":
        index -= 1
    if index >= 0 and doc[index].lower_ in lexicon.genitives:
        return True
    if head is None:
        return False
    token = doc[token_index(doc, char)]
    for _ in range(MAX_SPEAKER_TOKENS):
        if token.i == head.i or token.head.i == token.i:
            return False
        if any(c.dep_ == "case" and c.lower_ in lexicon.genitives for c in token.children):
            return True
        token = token.head
    return False


def speaker_kind(name: str, head: str, entity_type: EntityType | None, lexicon: QuoteLexicon) -> SpeakerKind:
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
