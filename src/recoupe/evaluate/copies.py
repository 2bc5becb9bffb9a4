"""Score copy links against dev labels.json (`copy_of`: file -> file it copies).

A found link is a labelled pair in either direction; a pointed-the-wrong-way link
counts as found and is also reported as a direction error. A link between two
documents that copy the same labelled original (siblings) is counted apart: it
is no independent-source error, but no labelled pair either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from recoupe.model import CopyLink, Document


@dataclass(frozen=True, slots=True)
class CopyScores:
    expected: tuple[tuple[str, str], ...]  # (copy file, original file) from the labels
    found: tuple[tuple[str, str], ...]  # labelled pairs linked, as labelled
    missed: tuple[tuple[str, str], ...]
    false: tuple[tuple[str, str], ...]  # (copy, original) as linked, unrelated in the labels
    reversed: tuple[tuple[str, str], ...]  # labelled pairs linked the wrong way, as labelled
    siblings: tuple[tuple[str, str], ...]  # linked copies of one labelled original

    @property
    def precision(self) -> float:
        judged = len(self.found) + len(self.false)
        return len(self.found) / judged if judged else 1.0

    @property
    def recall(self) -> float:
        return len(self.found) / len(self.expected) if self.expected else 1.0

    @property
    def direction(self) -> float:
        """Share of found pairs pointing from the copy to the original."""
        return 1 - len(self.reversed) / len(self.found) if self.found else 1.0

    def lines(self) -> list[str]:
        return [
            f"copies: precision {self.precision:.3f}  recall {self.recall:.3f}  direction {self.direction:.3f}",
            f"  found {len(self.found)}/{len(self.expected)}: {_pairs(self.found)}",
            f"  missed {len(self.missed)}: {_pairs(self.missed)}",
            f"  false {len(self.false)}: {_pairs(self.false)}",
            f"  reversed {len(self.reversed)}: {_pairs(self.reversed)}",
            f"  siblings {len(self.siblings)}: {_pairs(self.siblings)}",
        ]


def _pairs(items: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{copy}->{original}" for copy, original in items) or "-"


def score_copies(documents: Sequence[Document], links: Sequence[CopyLink], labels: Sequence[dict]) -> CopyScores:
    """Compare links with labels; documents map ids to file names (Path(source).name)."""
    names = {d.id: Path(d.source).name for d in documents}
    expected = {(r["file"], r["copy_of"]) for r in labels if r.get("copy_of")}
    original_of = dict(expected)
    found: set[tuple[str, str]] = set()
    reversed_: set[tuple[str, str]] = set()
    false: list[tuple[str, str]] = []
    siblings: list[tuple[str, str]] = []
    for link in links:
        copy, original = names.get(link.copy, link.copy), names.get(link.original, link.original)
        if (copy, original) in expected:
            found.add((copy, original))
        elif (original, copy) in expected:
            found.add((original, copy))
            reversed_.add((original, copy))
        elif original_of.get(copy) is not None and original_of.get(copy) == original_of.get(original):
            siblings.append((copy, original))
        else:
            false.append((copy, original))
    return CopyScores(
        expected=tuple(sorted(expected)),
        found=tuple(sorted(found)),
        missed=tuple(sorted(expected - found)),
        false=tuple(sorted(false)),
        reversed=tuple(sorted(reversed_)),
        siblings=tuple(sorted(siblings)),
    )
