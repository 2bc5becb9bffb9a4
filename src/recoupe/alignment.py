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
