"""The copy model's fitting protocol: how a threshold is chosen from held-out probabilities."""

from __future__ import annotations

import numpy as np

from recoupe.evaluate.copy_fit import _best_threshold


def test_copy_fit_threshold_is_the_middle_of_the_range_that_separates_best():
    """Any cut above the strongest non-copy (0.24) and up to the weakest copy (0.96) gives the
    best F1: the threshold is the middle of that range, not one of its ends."""
    probabilities = np.array([0.01, 0.1, 0.2409, 0.2413, 0.96346, 0.99, 1.0])
    labels = np.array([False, False, False, False, True, True, True])
    assert abs(_best_threshold(probabilities, labels) - (0.2413 + 0.9635) / 2) < 1e-9


def test_copy_fit_threshold_compares_at_the_written_precision():
    """A copy at 0.96346 is kept by a threshold written 0.9635 (4 decimals): the range of best
    cuts is not cut short by rounding."""
    probabilities = np.array([0.5, 0.96346, 0.97])
    labels = np.array([False, True, True])
    threshold = _best_threshold(probabilities, labels)
    assert 0.5 < threshold <= 0.9635 and round(threshold, 4) <= probabilities[1].round(4)


def test_copy_fit_threshold_with_overlap_keeps_the_best_f1():
    probabilities = np.array([0.1, 0.6, 0.7, 0.8, 0.9])
    labels = np.array([False, True, False, True, True])
    threshold = _best_threshold(probabilities, labels)
    chosen = probabilities >= threshold
    assert chosen.tolist() == [False, True, True, True, True]
