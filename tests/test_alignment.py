from __future__ import annotations

from array import array

import pytest

from recoupe.alignment import anchor_alignment, longest_increasing, sentence_alignment, shared_passages


def test_alignment_shared_passages_counts_covered_words_and_runs():
    coverage, runs = shared_passages([1, 2, 3, 9], [1, 2, 3, 4, 5], shingle_words=2)
    assert runs == [4]  # shingles 1-2-3 overlap into one run of 4 words
    assert coverage == pytest.approx(4 / 5)


def test_alignment_anchor_alignment_rewards_the_same_order():
    def weight(_: int) -> float:
        return 1.0

    assert anchor_alignment([1, 2, 3, 4], [1, 2, 3, 4], weight, min_common=2) == 1.0
    assert anchor_alignment([1, 2, 3, 4], [4, 3, 2, 1], weight, min_common=2) == 0.0  # below min_common in order
    assert anchor_alignment([1, 2, 3, 4], [1, 9, 3, 4], weight, min_common=2) == pytest.approx(0.75)


def test_alignment_sentence_alignment_needs_matches_in_order():
    a = [array("L", [1, 2, 3]), array("L", [4, 5, 6])]
    assert sentence_alignment(a, a, overlap=0.6) == 1.0
    assert sentence_alignment(a, list(reversed(a)), overlap=0.6) == 0.5


@pytest.mark.parametrize(("values", "length"), [([], 0), ([3, 1, 2], 2), ([1, 2, 3], 3), ([2, 2, 2], 1)])
def test_alignment_longest_increasing(values, length):
    assert longest_increasing(values) == length
