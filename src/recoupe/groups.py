"""Union-find over 0..size-1, the one grouping engine: copy groups, dispatches, independent sources, disputes."""

from __future__ import annotations


class Groups:
    """Items joined pairwise; `sets()` gives the groups, each in item order, the groups in order of their first item."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)

    def sets(self) -> list[list[int]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())
