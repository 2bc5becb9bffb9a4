"""Score copy links and wire dispatches against labels.json (`copy_of`: file -> file it copies).

Pairs are counted within groups: two documents are one source when a chain of
copy links or one dispatch joins them, and the labels group them the same way
through `copy_of`. A labelled pair linked the wrong way is reported as a direction error.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from recoupe.model import CopyLink, Dispatch, Document


def _pairs(items: tuple[tuple[str, str], ...], arrow: str = "->") -> str:
    return ", ".join(f"{copy}{arrow}{original}" for copy, original in items) or "-"


@dataclass(frozen=True, slots=True)
class CopyGroupScores:
    """Pairs of documents in one copy-or-dispatch group, against pairs in one group of `copy_of` links.

    A copy of a copy, or two outlets carrying one dispatch, is a pair as much as a
    labelled link: each group counts once as a source, so each of its pairs counts.
    Direction is judged on labelled links the output links directly.
    """

    expected: tuple[tuple[str, str], ...]  # file pairs (sorted) in one labelled group
    found: tuple[tuple[str, str], ...]
    missed: tuple[tuple[str, str], ...]
    false: tuple[tuple[str, str], ...]
    directed: tuple[tuple[str, str], ...]  # labelled (copy, original) links found with a link of their own
    reversed: tuple[tuple[str, str], ...]  # those pointing the wrong way, as labelled
    dispatches: tuple[tuple[str, tuple[str, ...]], ...]  # (agency, files)

    @property
    def precision(self) -> float:
        judged = len(self.found) + len(self.false)
        return len(self.found) / judged if judged else 1.0

    @property
    def recall(self) -> float:
        return len(self.found) / len(self.expected) if self.expected else 1.0

    @property
    def direction(self) -> float:
        return 1 - len(self.reversed) / len(self.directed) if self.directed else 1.0

    def lines(self) -> list[str]:
        return [
            f"copy-or-dispatch pairs: precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"direction {self.direction:.3f} ({len(self.directed) - len(self.reversed)}/{len(self.directed)} linked pairs)",
            f"  found {len(self.found)}/{len(self.expected)}: {_pairs(self.found, '-')}",
            f"  missed {len(self.missed)}: {_pairs(self.missed, '-')}",
            f"  false {len(self.false)}: {_pairs(self.false, '-')}",
            f"  reversed {len(self.reversed)}: {_pairs(self.reversed)}",
            f"  dispatches {len(self.dispatches)}: " + ("; ".join(f"{a} {' '.join(files)}" for a, files in self.dispatches) or "-"),
        ]


def score_copy_groups(documents: Sequence[Document], links: Sequence[CopyLink], dispatches: Sequence[Dispatch], labels: Sequence[dict]) -> CopyGroupScores:
    """Group pairs of the output (links and dispatches joined) against group pairs of the labels."""
    names = {d.id: Path(d.source).name for d in documents}
    files = sorted(names.values())
    labelled = [(r["file"], r["copy_of"]) for r in labels if r.get("copy_of") and r["file"] in files and r["copy_of"] in files]
    output = [(names[link.copy], names[link.original]) for link in links if link.copy in names and link.original in names]
    output += [(names[a], names[b]) for d in dispatches for a, b in zip(d.documents, d.documents[1:]) if a in names and b in names]
    expected, predicted = _group_pairs(files, labelled), _group_pairs(files, output)
    linked = {(names.get(link.copy), names.get(link.original)) for link in links}
    directed = [pair for pair in labelled if pair in linked or pair[::-1] in linked]
    return CopyGroupScores(
        expected=tuple(sorted(expected)),
        found=tuple(sorted(expected & predicted)),
        missed=tuple(sorted(expected - predicted)),
        false=tuple(sorted(predicted - expected)),
        directed=tuple(sorted(directed)),
        reversed=tuple(sorted(pair for pair in directed if pair not in linked)),
        dispatches=tuple((d.agency, tuple(names.get(i, i) for i in d.documents)) for d in dispatches),
    )


def _group_pairs(items: Sequence[str], edges: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    parent = {item: item for item in items}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        parent[root(a)] = root(b)
    members: dict[str, list[str]] = {}
    for item in items:
        members.setdefault(root(item), []).append(item)
    return {(a, b) for group in members.values() for a, b in itertools.combinations(sorted(group), 2)}
