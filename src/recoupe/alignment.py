"""Alignment measures between two documents' features: what survives copying, translating and spinning.

Pure functions over sequences of hashed shingles, anchors (names and numbers) and
sentences, shared by the copy detector and its dispatch grouping.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import Counter
from collections.abc import Callable, Sequence


def shared_passages(a: Sequence[int], b: Sequence[int], shingle_words: int) -> tuple[float, list[int]]:
    """Share of the shorter text's words inside shingles the other text has, and the shared runs' lengths in words."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    present = set(longer)
    covered = [False] * (len(shorter) + shingle_words - 1)
    runs, start = [], None
    for i, shingle in enumerate([*shorter, None]):
        if shingle is not None and shingle in present:
            covered[i : i + shingle_words] = [True] * shingle_words
            start = i if start is None else start
        elif start is not None:
            runs.append(i - start + shingle_words - 1)
            start = None
    return sum(covered) / max(1, len(covered)), runs


def anchor_alignment(a: Sequence[int], b: Sequence[int], weight: Callable[[int], float], min_common: int) -> float:
    """Weighted longest common subsequence of two anchor sequences over the lighter sequence's weight.

    The bit-parallel count (cheap) rejects pairs with fewer than min_common anchors in
    order before the O(len(a) * len(b)) weighted alignment runs.
    """
    if not a or not b or lcs_length(a, b) < min_common:
        return 0.0
    previous = [0.0] * (len(b) + 1)
    for item in a:
        gain, current = weight(item), [0.0]
        for j, other in enumerate(b):
            current.append(previous[j] + gain if item == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1] / min(sum(map(weight, a)), sum(map(weight, b)))


def idf_weight(a: Sequence[int], b: Sequence[int], df: Counter[int], others: int) -> Callable[[int], float]:
    """Inverse document frequency among the other documents: the names every report of
    an event repeats weigh little, a figure only the pair shares weighs much."""
    both = set(a) & set(b)
    return lambda anchor: math.log((others + 2) / (max(0, df.get(anchor, 0) - (2 if anchor in both else 1)) + 1))


def lcs_length(a: Sequence[int], b: Sequence[int]) -> int:
    """Longest common subsequence length, bit-parallel (Hyyrö 2004): O(len(a) * len(b) / word size)."""
    masks: dict[int, int] = {}
    for i, item in enumerate(a):
        masks[item] = masks.get(item, 0) | (1 << i)
    full = (1 << len(a)) - 1
    row = full
    for item in b:
        matched = row & masks.get(item, 0)
        row = ((row + matched) | (row - matched)) & full
    return len(a) - row.bit_count()


def sentence_alignment(a: Sequence[array], b: Sequence[array], overlap: float) -> float:
    """Share of the shorter text's sentences matched, in order, by a sentence of the other."""
    if not a or not b:
        return 0.0
    b_sets = [set(s) for s in b]
    matches: list[int] = []
    for sentence in a:
        words = set(sentence)
        best, best_score = -1, overlap
        for j, other in enumerate(b_sets):
            score = len(words & other) / min(len(words), len(other))
            if score >= best_score:
                best, best_score = j, score
        if best >= 0:
            matches.append(best)
    return longest_increasing(matches) / min(len(a), len(b))


def longest_increasing(values: list[int]) -> int:
    tails: list[int] = []
    for value in values:
        i = bisect.bisect_left(tails, value)
        tails[i : i + 1] = [value]
    return len(tails)


def sentence_matches(a: Sequence[array], b: Sequence[array], overlap: float) -> list[tuple[int, int]]:
    """Pairs (i, j) of sentences matched in order: each sentence of a with its best match in b
    (content-word overlap over the smaller sentence >= overlap), then the longest in-order chain.

    O(len(a) * len(b)) set intersections."""
    b_sets = [set(s) for s in b]
    candidates: list[tuple[int, int]] = []
    for i, sentence in enumerate(a):
        words = set(sentence)
        best, best_score = -1, overlap
        for j, other in enumerate(b_sets):
            if words and other:
                score = len(words & other) / min(len(words), len(other))
                if score >= best_score:
                    best, best_score = j, score
        if best >= 0:
            candidates.append((i, best))
    return increasing_chain(candidates)


def anchor_sentence_matches(
    a: Sequence[Sequence[int]], b: Sequence[Sequence[int]], weight: Callable[[int], float], overlap: float, min_shared: int
) -> list[tuple[int, int]]:
    """Sentences matched across languages by the anchors they hold (numbers, folded names, dates):
    the weighted share of the lighter sentence's anchors found in the other, then the longest in-order chain."""
    b_sets = [set(s) for s in b]
    candidates: list[tuple[int, int]] = []
    for i, sentence in enumerate(a):
        mine = set(sentence)
        if len(mine) < min_shared:
            continue
        best, best_score = -1, overlap
        for j, other in enumerate(b_sets):
            shared = mine & other
            if len(shared) >= min_shared:
                score = sum(map(weight, shared)) / max(1e-9, min(sum(map(weight, mine)), sum(map(weight, other))))
                if score >= best_score:
                    best, best_score = j, score
        if best >= 0:
            candidates.append((i, best))
    return increasing_chain(candidates)


def first_matched(
    a: Sequence[Sequence[int]],
    b: Sequence[Sequence[int]],
    overlap: float,
    weight: Callable[[int], float] | None = None,
    min_shared: int = 1,
    *,
    larger: bool = False,
) -> int:
    """Index of the first sentence of a that some sentence of b matches (len(a) when none does).

    The share is of the smaller sentence's items (content words, or anchors weighted
    by `weight`, `min_shared` of them at least), or of the larger one's (`larger`):
    then a sentence that only names what the other names, or wraps a shared clause
    in words of its own, is no match."""
    b_sets = [set(s) for s in b]
    weigh = weight or (lambda _: 1.0)
    pick = max if larger else min
    for i, sentence in enumerate(a):
        mine = set(sentence)
        if len(mine) < max(1, min_shared):
            continue
        mass = sum(map(weigh, mine))
        for other in b_sets:
            shared = mine & other
            if len(shared) >= max(1, min_shared) and sum(map(weigh, shared)) >= overlap * pick(mass, sum(map(weigh, other))):
                return i
    return len(a)


def increasing_chain(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of pairs (in their order) whose second items strictly increase."""
    tails: list[int] = []  # second item ending the best chain of each length
    ends: list[int] = []  # index in pairs of that chain's last pair
    previous = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        length = bisect.bisect_left(tails, j)
        tails[length : length + 1] = [j]
        ends[length : length + 1] = [k]
        previous[k] = ends[length - 1] if length else -1
    chain: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        chain.append(pairs[k])
        k = previous[k]
    return chain[::-1]


def chain_density(chain: Sequence[tuple[int, int]]) -> float:
    """Matched sentences over the sentences the chain spans, averaged over both texts:
    1.0 when one text is the other's passage sentence for sentence, low when the
    matches are scattered among sentences of each text's own (a shared wire paragraph).
    Fewer than 3 matches tell nothing (two sentences are next to each other by chance)."""
    if len(chain) < 3:
        return 0.0
    spans = (chain[-1][0] - chain[0][0] + 1) + (chain[-1][1] - chain[0][1] + 1)
    return 2 * len(chain) / spans


def lead_coverage(a: Sequence[int], b: Sequence[int], lead: int) -> float:
    """Share of the first `lead` shingles of either text found in the other (the larger):
    a syndicated or scraped text keeps the opening, or starts inside the other."""

    def share(x: Sequence[int], y: Sequence[int]) -> float:
        head, present = x[:lead], set(y)
        return sum(1 for s in head if s in present) / len(head) if head else 0.0

    return max(share(a, b), share(b, a))


def shared_runs(a: Sequence[int], b: Sequence[int]) -> list[tuple[int, int, int]]:
    """Runs of consecutive shingles of a found in b: (start in a, start in b, shingles), in a's order.

    A run continues while the next shingle of a is the next of b too; O(len(a) + len(b))."""
    first: dict[int, int] = {}
    for j, shingle in enumerate(b):
        first.setdefault(shingle, j)
    runs: list[tuple[int, int, int]] = []
    i = 0
    while i < len(a):
        j = first.get(a[i])
        if j is None:
            i += 1
            continue
        length = 1
        while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
            length += 1
        runs.append((i, j, length))
        i += length
    return runs



def parallel_pairs(a: Sequence[int], b: Sequence[int], chain: Sequence[tuple[int, int]], tolerance: float) -> set[tuple[int, int]]:
    """Sentence pairs aligned one to one with proportional lengths (Gale and Church's evidence, which
    needs no dictionary): a translation or a sentence-by-sentence rewrite keeps each sentence, so its
    sentence lengths follow the original's at one ratio (French runs about 15% longer than English);
    two reports on one event match a few sentences and no lengths.

    a and b are the sentence lengths (characters) of each text; chain holds sentence pairs matched in order
    (by content words or anchors). The pairs kept are the chain's and, along the chain's diagonals (between
    two matches with equal gaps in both texts, and before the first and after the last), the unmatched
    sentences of the same rank: each kept when its log length ratio is within `tolerance` of the chain's
    median ratio. Fewer than 2 matches keep nothing."""
    if len(chain) < 2 or not a or not b:
        return set()
    ratios = sorted(math.log(max(1, a[i]) / max(1, b[j])) for i, j in chain)
    middle = len(ratios) // 2
    median = ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2

    def proportional(i: int, j: int) -> bool:
        return 0 <= i < len(a) and 0 <= j < len(b) and abs(math.log(max(1, a[i]) / max(1, b[j])) - median) <= tolerance

    kept = {(i, j) for i, j in chain if proportional(i, j)}
    for (i1, j1), (i2, j2) in zip(chain, chain[1:]):
        if i2 - i1 == j2 - j1:
            kept.update((i1 + k, j1 + k) for k in range(1, i2 - i1) if proportional(i1 + k, j1 + k))
    for (i, j), step in ((chain[0], -1), (chain[-1], 1)):
        while proportional(i + step, j + step):
            i, j = i + step, j + step
            kept.add((i, j))
    return kept

