from __future__ import annotations

from array import array

import pytest

from recoupe.alignment import anchor_alignment, longest_increasing, parallel_pairs, sentence_alignment, shared_passages


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


def test_alignment_parallel_pairs_follow_a_translation_sentence_for_sentence():
    """French about 15% longer than English, sentence for sentence: the two anchor matches
    (0, 0) and (4, 4) carry the sentences between them and after, at one length ratio."""
    english = [80, 120, 60, 150, 90, 70]
    french = [round(n * 1.15) for n in english]
    assert parallel_pairs(french, english, [(0, 0), (4, 4)], 0.3) == {(k, k) for k in range(6)}


def test_alignment_parallel_pairs_keep_no_sentence_of_another_shape():
    """Two reports matching two sentences: the sentences between them differ in number
    (gaps of 2 and 3) and the ones after differ in length, so only the matches count."""
    a = [100, 40, 200, 100, 30, 300]
    b = [105, 220, 50, 90, 98, 150]
    assert parallel_pairs(a, b, [(0, 0), (3, 4)], 0.3) == {(0, 0), (3, 4)}


def test_alignment_parallel_pairs_need_two_matches():
    assert parallel_pairs([10, 20], [10, 20], [(0, 0)], 0.3) == set()
