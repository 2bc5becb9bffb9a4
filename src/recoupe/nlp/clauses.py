"""Where reported clauses and noun phrases begin and end in a dependency parse.

Shared by quote finding (`quotes.py`) and speaker resolution (`speakers.py`).
Offsets are (start, end) characters of `doc.text`; `quotes` are the (opening
mark, closing mark) pairs `quotes.find_quotes` returns.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from recoupe.nlp.positions import quote_around, token_at
from recoupe.nlp.quote_lexicon import QuoteLexicon

# Dependency labels of both schemes the models use: Universal Dependencies
# (fr_core_news_md) and ClearNLP (en_core_web_sm).
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "nsubjpass"})
OBJECT_DEPS = frozenset({"obj", "dobj"})
PASSIVE_DEPS = frozenset({"aux:pass", "nsubj:pass", "auxpass", "nsubjpass"})
# Tokens allowed between a closing quote (or a comma) and its reporting verb:
# ", a pour sa part indiqué", ", a-t-elle indiqué".
INCISE_POS = frozenset({"AUX", "ADV", "ADP", "DET", "PART", "PUNCT", "PRON"})
# An incise verb sits at most this many tokens after the closing quote (", a pour sa part indiqué": 5).
MAX_INCISE_GAP = 6
# A speaker phrase longer than this is a parse running away, not a name.
MAX_SPEAKER_TOKENS = 16
PHRASE_STOPS = frozenset({".", ";", ":", "!", "?", "–", "—", "-", "(", ")", "[", "]"})
# Right dependents of a reporting verb that start another clause, not more of the content.
CLAUSE_BREAK_DEPS = frozenset({"punct", "cc", "parataxis", "advcl", "acl", "nsubj", "expl:subj"})


def complement_of(verb: Token, lexicon: QuoteLexicon) -> tuple[int, int] | None:
    """The clause or infinitive a reporting verb introduces: "que ...", "avoir abattu ..."."""
    for child in verb.rights:
        # "d'avoir trahi": the mark may hang on the infinitive's auxiliary
        governors = [child, *(c for c in child.children if c.dep_.startswith("aux") and c.i < child.i)]
        marks = [m for g in governors for m in g.children if m.dep_ == "mark" and m.i < child.i]
        if any(m.lower_ in lexicon.question_marks for m in marks):
            return None
        if any(m.lower_ in lexicon.purpose_marks for m in marks):
            continue  # "a annoncé le recours au 49-3 pour faire passer le texte": an aim, not what is said
        clausal = child.dep_ == "ccomp" or any(_is_complementiser(m, lexicon) for m in marks)
        # "souligne l'incertitude concernant ...": a participle is no infinitive complement
        infinitive = child.dep_ == "xcomp" and _is_infinitival(child) and not is_predicate(child)
        accused = _object_before(verb, child, marks, lexicon) if child.dep_ in {"xcomp", "advcl"} else None
        # "accuse le chef d'avoir trahi": the parse may take the "de" infinitive for an adverbial clause.
        infinitive = infinitive or (accused is not None and _is_infinitival(child))
        if (clausal or infinitive) and same_line(verb, child):
            first = next((t for t in child.subtree if t not in marks and t.dep_ != "mark"), child)
            start = accused.left_edge.i if accused is not None else first.i
            return trim_tokens(verb.doc, start, clause_end(verb, child, runs_on=clausal, lexicon=lexicon))
    return None


def _object_before(verb: Token, infinitive: Token, marks: list[Token], lexicon: QuoteLexicon) -> Token | None:
    """"accuse le chef de Wagner d'avoir trahi": the object an infinitive "de" clause is said of."""
    if not any(m.lower_ in lexicon.genitives for m in marks):
        return None
    return next(
        (c for c in verb.rights if c.dep_ in OBJECT_DEPS and c.pos_ in {"NOUN", "PROPN"} and c.i < infinitive.i and same_line(verb, c)),
        None,
    )


def is_predicate(token: Token) -> bool:
    """A past participle or adjective said of an object, not a content: "a déclaré les Jeux ouverts"."""
    if token.pos_ == "ADJ":
        return True
    forms, tenses = token.morph.get("VerbForm"), token.morph.get("Tense")
    return "Part" in forms and "Past" in tenses and not any(c.dep_.startswith("aux") for c in token.children)


def _is_infinitival(verb: Token) -> bool:
    """"détruire", "avoir trahi": an infinitive or a participle under an infinitive auxiliary."""
    forms = [verb, *(c for c in verb.children if c.dep_.startswith("aux"))]
    return verb.pos_ in {"VERB", "AUX"} and any("Inf" in t.morph.get("VerbForm") for t in forms)


def _is_complementiser(mark: Token, lexicon: QuoteLexicon) -> bool:
    """"que" introducing what is said, not the "que" of "après que", "tandis que" (a word before it)."""
    if mark.lower_ not in lexicon.complementisers:
        return False
    previous = mark.doc[mark.i - 1] if mark.i > 0 else None
    return previous is None or previous.pos_ not in {"ADP", "ADV", "SCONJ", "CCONJ"}


def clause_end(verb: Token, complement: Token, runs_on: bool, lexicon: QuoteLexicon) -> int:
    """Where a reported clause ends: past the verb's later complements and a coordinated verb sharing
    its subject ("a confirmé l'attaque et fait état d'un blessé"), before ", assurant ..." or the sentence end.

    A "que" clause runs on to the end of its sentence whatever the parse says:
    its subtree is often cut short by a misattached conjunct.
    """
    doc = verb.doc
    end = verb.sent.end if runs_on else complement.right_edge.i + 1
    # A reporting verb in a relative or subordinate clause ("X qui a confirmé que ...", "alors que X affirme ...")
    # leaves the rest of the sentence to the writer's main clause.
    relative = verb.dep_ in {"acl:relcl", "relcl"} or any(
        (c.dep_ in SUBJECT_DEPS and "Rel" in c.morph.get("PronType")) or (c.dep_ == "mark" and c.i < verb.i and c.pos_ == "SCONJ")
        for c in verb.children
    )
    for sibling in verb.rights:
        new_clause = sibling.dep_ in CLAUSE_BREAK_DEPS or (sibling.dep_ == "conj" and sibling.pos_ in {"VERB", "AUX"})
        if sibling.i > complement.i and (not new_clause or _shares_content(sibling, lexicon)):
            end = max(end, sibling.right_edge.i + 1)
        elif runs_on and sibling.i > complement.i and _own_clause(sibling):
            end = min(end, _before_conjunction(doc, sibling.left_edge.i))  # "... et a appelé à l'unité"
    for token in doc[complement.i : end]:
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if token.text == "," and following is not None and is_participle_clause(following):
            return token.i
        if token.text == "," and following is not None and _opens_break(following, lexicon):
            return token.i
        if token.text == "," and following is not None and relative and _opens_subject(following):
            return token.i  # "X qui a confirmé qu'il voterait la motion, l'assemblée accorde ...": the writer's main clause
        if runs_on and token.i > complement.i and _own_clause(token) and token.lemma_ in lexicon.stances:
            # "que le pont ne risquait rien, mais elle a menacé Kiev de ...": a report of its own, the writer's
            return _before_conjunction(doc, token.left_edge.i)
        if runs_on and _own_clause(token) and "Inf" in token.head.morph.get("VerbForm"):
            # "qu'il ne laissera pas une guerre se produire et a appelé à ...": a finite conjunct
            # cannot coordinate with the infinitive it hangs on; it goes with the reporting verb.
            return _before_conjunction(doc, token.left_edge.i)
        if "\n" in token.text:
            return token.i
    return min(end, verb.sent.end)


def _opens_subject(token: Token) -> bool:
    """A subject noun phrase of a finite verb starts here ("l'assemblée accorde ...")."""
    noun = token.head if token.pos_ == "DET" else token
    if noun.dep_ not in SUBJECT_DEPS or noun.left_edge.i != token.i or noun.head.i < noun.i:
        return False
    verb = noun.head
    return any("Fin" in t.morph.get("VerbForm") for t in (verb, *(c for c in verb.children if c.dep_.startswith("aux"))))


def _own_clause(conj: Token) -> bool:
    """A verb coordinated with the reporting verb, with its own auxiliary or subject: the writer's next clause."""
    return conj.dep_ == "conj" and conj.pos_ == "VERB" and any(
        c.dep_ in SUBJECT_DEPS or c.dep_.startswith("aux") for c in conj.children
    )


def _before_conjunction(doc: Doc, index: int) -> int:
    while index > 0 and (doc[index - 1].pos_ == "CCONJ" or doc[index - 1].text == ","):
        index -= 1
    return index


def _opens_break(token: Token, lexicon: QuoteLexicon) -> bool:
    """"alors que", "tandis que" after a comma (content_breaks in reporting_verbs.yaml)."""
    text = token.doc[token.i : token.i + 3].text.lower()
    return any(text.startswith(words) and (len(text) == len(words) or not text[len(words)].isalnum()) for words in lexicon.content_breaks)


def _shares_content(conj: Token, lexicon: QuoteLexicon) -> bool:
    """A coordinated verb without a subject or auxiliary of its own says more of the same content, unless it reports
    a claim of its own ("et a démenti ..."); a participle ("..., niant") is cut off at its comma."""
    if conj.dep_ != "conj" or conj.pos_ != "VERB":
        return False
    if any(c.dep_ in SUBJECT_DEPS or c.dep_.startswith("aux") for c in conj.children):
        return False  # "qui accusent l'Ukraine et ont ouvert une enquête": a clause of its own
    return conj.lemma_ not in lexicon.stances or is_participle_clause(conj)


def is_participle_clause(token: Token) -> bool:
    """"assurant ...", "niant ...": a present participle opening a new clause."""
    return token.pos_ == "VERB" and "Part" in token.morph.get("VerbForm") and "Pres" in token.morph.get("Tense")


def is_incise(verb: Token, quotes: list[tuple[int, int]], lexicon: QuoteLexicon) -> bool:
    """", a déclaré X": a finite verb after a comma, with no subject of its own before that comma.

    A subject parsed before the comma still allows an incise when a finite verb
    stands between them: "Des attaques ont visé ..., ont indiqué les autorités".
    Where the language puts an incise's subject first (`incise_subject_first`),
    "..., Aksyonov said." is one too: the verb's subject fills the gap after the
    comma, and nothing but adverbials follows the verb in its sentence.
    """
    if is_participle_clause(verb) or "Inf" in verb.morph.get("VerbForm"):
        return False
    subject_first = lexicon.incise_subject_first and _closes_sentence(verb, lexicon)
    comma = None
    for token in reversed(verb.doc[max(verb.sent.start, verb.i - MAX_INCISE_GAP * (1 + subject_first)) : verb.i]):
        if token.text == ",":
            comma = token
            break
        if subject_first and _in_subject(token, verb):
            continue
        if token.pos_ not in INCISE_POS and not (token.pos_ == "NOUN" and any(c.dep_ == "case" for c in token.children)):
            return False
    # A subject parsed before the comma needs a finite verb of its own between them
    # ("Des vidéos, authentifiées, confirment ..." is a subject phrase, not a clause).
    subjects = [s for s in _subjects_before(verb, quotes) if comma is not None and s.i < comma.i]
    first = max(subjects).left_edge if subjects else verb.doc[line_start_index(verb)]
    if comma is None or not _finite_between(first, comma):
        return False  # "Une autre unité, appelée ..., a évoqué": a subject phrase, not a clause, before the comma
    return subject_first or not any(s.i > comma.i for s in _subjects_before(verb, quotes))


def _in_subject(token: Token, verb: Token) -> bool:
    """Part of one of `verb`'s subjects ("the Russian prison service" before "says")."""
    return any(s.dep_ in SUBJECT_DEPS and s.i < verb.i and token in s.subtree for s in verb.children)


def _closes_sentence(verb: Token, lexicon: QuoteLexicon) -> bool:
    """Nothing but punctuation, adverbials ("on Telegram") or an audience ("told reporters") after the verb."""
    objects = set() if verb.lemma_ in lexicon.addressed else OBJECT_DEPS
    return not any(c.dep_ in {"ccomp", "xcomp", *objects} for c in verb.rights)


def _subjects_before(verb: Token, quotes: list[tuple[int, int]]) -> list[Token]:
    """The verb's subjects before it on its line, outside quotes (a quote's own subject is not the speaker)."""
    return [
        c for c in verb.children
        if c.dep_ in SUBJECT_DEPS and c.i < verb.i and not c.text.startswith("-")
        and same_line(c, verb) and not in_quotes(c.idx, quotes)
    ]


def _finite_between(first: Token, comma: Token) -> bool:
    """A finite verb outside relative clauses: what stands before the comma is a clause."""
    return any(
        "Fin" in t.morph.get("VerbForm") and not _has_relative_pronoun(t) and not _has_relative_pronoun(t.head)
        for t in first.doc[first.i : comma.i]
    )


def _has_relative_pronoun(verb: Token) -> bool:
    return any("Rel" in c.morph.get("PronType") for c in verb.children)


def same_line(a: Token, b: Token) -> bool:
    """The parser runs across paragraphs; a subject on another line is a parse error."""
    low, high = sorted((a.i, b.i))
    return not any("\n" in t.text for t in a.doc[low:high])


def line_start_index(token: Token) -> int:
    index = token.i
    while index > 0 and "\n" not in token.doc[index - 1].text:
        index -= 1
    return index


def first_bare_noun(tokens, lexicon: QuoteLexicon) -> Token | None:
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


def phrase_extent(head: Token, lexicon: QuoteLexicon) -> tuple[int, int]:
    """Token range of the noun phrase around `head`, stopping at verbs, relatives and non-genitive complements."""
    doc = head.doc
    start = head.i
    while start > head.sent.start and _left_modifier(doc[start - 1], head):
        start -= 1
    end = head.i + 1
    limit = min(head.sent.end, head.i + MAX_SPEAKER_TOKENS)
    while end < limit:
        token = doc[end]
        following = doc[end + 1] if end + 1 < len(doc) else None
        if token.dep_.startswith("flat") and token.head.i in range(start, end):
            end += 1  # a name's last part, whatever its tag ("Emmanuel Macron" with Macron an adverb)
            continue
        if _inside_word(token):
            end += 1  # "joueuse de beach-volley": a hyphen inside a word stops nothing
            continue
        if token.pos_ in {"VERB", "AUX", "ADV", "SCONJ"} or "\n" in token.text or token.text in PHRASE_STOPS:
            break
        if token.i == head.head.i and head.dep_ in SUBJECT_DEPS:
            break  # the verb the phrase is the subject of, tagged a noun: "L'intersyndicale demande «...»"
        if token.lower_ in lexicon.time_words:  # "les services pénitentiaires ce vendredi"
            break
        if token.pos_ == "ADP" and token.lower_ not in lexicon.genitives:
            break
        if token.pos_ == "PRON" or (token.dep_ == "case" and token.pos_ == "PART"):
            break  # a pronoun, or the possessive after the name ("Prigozhin’s appearance")
        if token.text == "," and not (following is not None and following.text[:1].isupper()):
            break
        if token.pos_ == "DET" and following is not None and following.pos_ == "NUM":
            break  # "selon les syndicats le 19 janvier": a date, not part of the name
        if token.pos_ == "CCONJ" and following is not None and following.pos_ == "NUM":
            break  # "selon le ministère et 3,5 millions selon la CGT": a figure, not a second source
        end += 1
    while end > head.i + 1 and (doc[end - 1].text == "," or doc[end - 1].is_space or doc[end - 1].pos_ in {"ADP", "DET", "CCONJ"}):
        end -= 1
    return start, end


def _inside_word(token: Token) -> bool:
    """Part of a hyphenated word after its first part: the hyphen ("beach" "-" "volley"), the part after it, or a
    part tokenized with its hyphen ("-volley")."""
    doc = token.doc
    previous = doc[token.i - 1] if token.i > 0 else None
    if previous is None or previous.whitespace_:
        return False
    if token.text in {"-", "‐"}:
        return previous.text[-1:].isalnum() and not token.whitespace_ and token.i + 1 < len(doc) and doc[token.i + 1].text[:1].isalnum()
    if token.text[:1] in {"-", "‐"}:
        return previous.text[-1:].isalnum() and token.text[1:2].isalnum()
    return previous.text in {"-", "‐"} and token.i > 1 and not doc[token.i - 2].whitespace_ and token.text[:1].isalnum()


# Left dependents inside a noun phrase in head-final languages ("the Interior Ministry",
# "Ukraine's security services", "Gaza's Hamas-run government").
_LEFT_NOUN_DEPS = frozenset({"compound", "poss", "amod", "nmod", "npadvmod", "nummod"})


def _left_modifier(token: Token, head: Token) -> bool:
    """Whether `token`, just left of the phrase so far, belongs to the noun phrase of `head`."""
    if token.pos_ in {"DET", "NUM", "ADJ"} and token.head.i == head.i:
        return True
    if token.i > 0 and token.text in {"-", "–"} and not token.whitespace_ and not token.doc[token.i - 1].whitespace_:
        return True  # a hyphen inside a word ("Hamas-run")
    inside = head in token.ancestors and token.head.i <= head.i
    possessive = token.dep_ == "case" and token.pos_ == "PART"  # "'s"
    return inside and (possessive or (token.dep_ in _LEFT_NOUN_DEPS and token.pos_ in {"NOUN", "PROPN", "ADJ", "VERB", "NUM"}))


def in_quotes(char: int, quotes: Sequence[tuple[int, int]]) -> bool:
    """Inside a quote; `quotes` sorted and never overlapping (`find_quotes`), searched by bisection."""
    return quote_around(quotes, char) is not None


def token_index(doc: Doc, char: int) -> int:
    """Index of the token containing or following `char` (a bisection, not a scan)."""
    return token_at(doc, char)


def token_range(token: Token) -> tuple[int, int]:
    return token.idx, token.idx + len(token.text)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past spaces and edge punctuation other than quotes."""
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:."):
        end -= 1
    return start, end


def trim_tokens(doc: Doc, first: int, stop: int) -> tuple[int, int]:
    """Characters of tokens [first, stop) trimmed; reads only their own text (`doc.text` is O(n))."""
    span = doc[first:stop]
    start, end = trim(span.text, 0, len(span.text))
    return span.start_char + start, span.start_char + end
