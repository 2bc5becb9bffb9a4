from __future__ import annotations

from recoupe.model import CopyKind, CopyLink
from recoupe.store.views import originals


def test_views_originals_prefers_the_original_over_a_more_similar_sibling_copy():
    links = [
        CopyLink("sibling", "original", CopyKind.NEAR, 0.9),
        CopyLink("copy", "sibling", CopyKind.NEAR, 0.7),  # closer wording, but itself a copy
        CopyLink("copy", "original", CopyKind.REWRITE, 0.6),
    ]
    assert originals(links)["copy"].original == "original"


def test_views_originals_keeps_the_most_similar_of_two_originals():
    links = [CopyLink("digest", "a", CopyKind.DIGEST, 0.5), CopyLink("digest", "b", CopyKind.DIGEST, 0.7)]
    assert originals(links)["digest"].original == "b"


def test_views_originals_follows_a_copy_of_a_copy_when_nothing_else_is_known():
    links = [CopyLink("b", "a", CopyKind.NEAR, 0.9), CopyLink("c", "b", CopyKind.NEAR, 0.9)]
    assert originals(links)["c"].original == "b"
