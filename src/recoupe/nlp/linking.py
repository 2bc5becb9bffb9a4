"""Mentions across documents → entities.

Mentions already share `Mention.key` across spellings and languages
(`recoupe/folding.py`), and a surname alone already carries its document's full
name. Linking adds what only the corpus shows: a surname whose full name is in
another document, a misspelling beside the right spelling in one document
("Gaïvoron" next to "Graïvoron"), and a truncated organisation name ("Légion
Liberté") that starts exactly one longer one. `Entity.id` is derived from the
canonical key, so it is stable across runs.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from recoupe.model import Analysis, Entity, EntityType, Mention

# Below this many letters a one-letter difference is another name ("Orel"/"Orol").
MIN_TYPO_KEY_LENGTH = 6


@dataclass(slots=True)
class _Key:
    types: Counter[EntityType] = field(default_factory=Counter)
    texts: Counter[str] = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)

    @property
    def type(self) -> EntityType:
        """The commonest type, OTHER only when nothing else was said (blank pipelines type nothing)."""
        typed = Counter({t: n for t, n in self.types.items() if t is not EntityType.OTHER})
        return (typed or self.types).most_common(1)[0][0]

    @property
    def count(self) -> int:
        return sum(self.types.values())


def entity_id(key: str) -> str:
    """The stable id of the entity whose canonical key is `key`."""
    return "ent-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def link_entities(analyses: Iterable[Analysis]) -> list[Entity]:
    """One entity per canonical key, named by its most frequent full spelling."""
    keys = _collect(m for a in analyses for m in a.mentions)
    canonical = canonical_keys(keys)
    groups: dict[str, list[str]] = defaultdict(list)
    for key, target in canonical.items():
        groups[target].append(key)
    entities = []
    for target, members in sorted(groups.items()):
        texts: Counter[str] = Counter()
        for member in members:
            texts.update(keys[member].texts)
        entities.append(
            Entity(
                id=entity_id(target),
                name=_name(keys[target].texts, keys[target].type),
                type=keys[target].type,
                aliases=tuple(sorted(texts)),
                keys=tuple(sorted(members)),
            )
        )
    return entities


def mention_entities(analyses: Iterable[Analysis]) -> dict[str, str]:
    """Mention key → entity id, for stages that attach mentions (speakers, actors) to entities."""
    keys = _collect(m for a in analyses for m in a.mentions)
    return {key: entity_id(target) for key, target in canonical_keys(keys).items()}


def canonical_keys(keys: Mapping[str, _Key]) -> dict[str, str]:
    """Every key → the key of the entity it belongs to."""
    index = _Index.of(keys)
    target = {key: key for key in keys}
    for key, info in keys.items():
        merged = _full_name(key, info, index) or _typo_of(key, info, index) or _truncation_of(key, info, index)
        if merged:
            target[key] = merged
    return {key: _follow(target, key) for key in target}


@dataclass(frozen=True, slots=True)
class _Index:
    """Each key's type and count, computed once (a `_Key.type` is a Counter's most_common), and the keys
    grouped by what each rule compares, in the order of `keys`: the rules read their group, not every key
    (comparing every key with every other was most of a run's cross-document time)."""

    types: Mapping[str, EntityType]
    counts: Mapping[str, int]
    documents: Mapping[str, set[str]]
    by_last_word: Mapping[str, tuple[str, ...]]  # multi-word keys by their last word
    by_ends: Mapping[tuple[str, str, int], tuple[str, ...]]  # keys by (first letter, last letter, length)
    by_first_word: Mapping[str, tuple[str, ...]]  # multi-word keys by their first word
    position: Mapping[str, int]  # place in `keys`

    @classmethod
    def of(cls, keys: Mapping[str, _Key]) -> _Index:
        by_last: dict[str, list[str]] = defaultdict(list)
        by_ends: dict[tuple[str, str, int], list[str]] = defaultdict(list)
        by_first: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            if " " in key:
                by_last[key.rsplit(" ", 1)[1]].append(key)
                by_first[key.split(" ", 1)[0]].append(key)
            if key:
                by_ends[(key[0], key[-1], len(key))].append(key)
        return cls(
            types={k: i.type for k, i in keys.items()},
            counts={k: i.count for k, i in keys.items()},
            documents={k: i.documents for k, i in keys.items()},
            by_last_word={w: tuple(v) for w, v in by_last.items()},
            by_ends={e: tuple(v) for e, v in by_ends.items()},
            by_first_word={w: tuple(v) for w, v in by_first.items()},
            position={k: i for i, k in enumerate(keys)},
        )

    def near_in_length(self, key: str) -> list[str]:
        """Keys with `key`'s first and last letters and a length within one (all `one_interior_edit` can accept),
        in the order of `keys`."""
        found = [k for n in (len(key) - 1, len(key), len(key) + 1) for k in self.by_ends.get((key[0], key[-1], n), ())]
        return sorted(found, key=self.position.__getitem__)


def _collect(mentions: Iterable[Mention]) -> dict[str, _Key]:
    keys: dict[str, _Key] = defaultdict(_Key)
    for mention in mentions:
        info = keys[mention.key]
        info.types[mention.type] += 1
        info.texts[mention.text] += 1
        info.documents.add(mention.span.document_id)
    return dict(keys)


def _full_name(key: str, info: _Key, index: _Index) -> str | None:
    """A lone surname → the only multi-word person key of the corpus ending with it.

    An untyped word (OTHER: blank pipelines type nothing) counts as a surname too:
    "Peskov" in an English text joins "Dmitri Peskov" of a French one.
    """
    if index.types[key] not in (EntityType.PERSON, EntityType.OTHER) or " " in key:
        return None
    matches = [k for k in index.by_last_word.get(key, ()) if index.types[k] is EntityType.PERSON]
    return matches[0] if len(matches) == 1 else None


def _typo_of(key: str, info: _Key, index: _Index) -> str | None:
    """A rarer one-word key one interior letter away from a key of the same document."""
    if " " in key or len(key) < MIN_TYPO_KEY_LENGTH:
        return None
    kind, count = index.types[key], index.counts[key]
    for other in index.near_in_length(key):
        if (
            other != key
            and index.types[other] is kind
            and index.counts[other] > count
            and info.documents & index.documents[other]
            and one_interior_edit(key, other)
        ):
            return other
    return None


def _truncation_of(key: str, info: _Key, index: _Index) -> str | None:
    """A multi-word organisation key that is the first words of exactly one longer one."""
    if index.types[key] is not EntityType.ORGANISATION or " " not in key:
        return None
    first = key.split(" ", 1)[0]
    matches = [
        k for k in index.by_first_word.get(first, ()) if index.types[k] is EntityType.ORGANISATION and k.startswith(key + " ")
    ]
    return matches[0] if len(matches) == 1 else None


def one_interior_edit(a: str, b: str) -> bool:
    """One letter inserted, deleted or replaced, neither first nor last ("gaivoron"/"graivoron")."""
    if a[0] != b[0] or a[-1] != b[-1] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(1, len(long) - 1))


def _follow(target: Mapping[str, str], key: str) -> str:
    seen = {key}
    while target[key] != key and target[key] not in seen:
        key = target[key]
        seen.add(key)
    return key


def _name(texts: Counter[str], kind: EntityType) -> str:
    """A person or organisation by its fullest spelling ("Dmitri Peskov" over "Peskov"); a place by its commonest."""
    if kind in (EntityType.PERSON, EntityType.ORGANISATION):
        longest = max(len(t.split()) for t in texts)
        return max((t for t in texts if len(t.split()) == longest), key=lambda t: (texts[t], t))
    return max(texts, key=lambda t: (texts[t], -len(t), t))
