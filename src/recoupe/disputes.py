"""One row per dispute: the contradicting pairs of one event about one thing, grouped with their sides.

The comparing stages (`claims.compare_claims`, `tallies.compare_figures`) output
pairs: each pair of independent sources that disagree. A dispute often has many
(the police against each of five union reports). Pairs of one event join when
they share a statement (or, for figures, a document's value) and speak of one
thing: one count or measure; who did it (blame); or what happened, where the
frames' denials and conflicts meet ("nous avons traversé la frontière" against
"toute percée" denied, and against "l'attaque a été repoussée", is one dispute:
did the raid get through).
Each group becomes one `Contradiction` whose `sides` hold every position (a
figure's values; for denials, status and blame the two camps, found by
colouring the pairs' graph) with every statement taking it, each keeping its
document and span.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from recoupe.model import Contradiction, ContradictionKind, Side, Statement

StatementKey = tuple[str, int, int]


def statement_key(statement: Statement) -> StatementKey:
    return (statement.span.document_id, statement.span.start, statement.span.end)


def group_disputes(pairs: Sequence[Contradiction]) -> list[Contradiction]:
    """The disputes the pairs form, in the order of each dispute's first pair."""
    parent = list(range(len(pairs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[Hashable, int] = {}
    for index, pair in enumerate(pairs):
        topic = (pair.event_id, _topic(pair))
        for statement in pair.statements:
            for key in _join_keys(pair.kind, statement):
                first = owner.setdefault((topic, key), index)
                parent[root(index)] = root(first)
    groups: dict[int, list[Contradiction]] = {}
    for index, pair in enumerate(pairs):
        groups.setdefault(root(index), []).append(pair)
    return [_dispute(members) for _, members in sorted(groups.items())]


def _topic(pair: Contradiction) -> str:
    """What the pair speaks of, as disputes are grouped: a count, blame, or the frames of what happened."""
    if pair.kind is ContradictionKind.FIGURE:
        return f"figure:{pair.subject}"
    return "blame" if pair.subject == "blame" else "frames"


def _join_keys(kind: ContradictionKind, statement: Statement) -> list[Hashable]:
    keys: list[Hashable] = [statement_key(statement)]
    if kind is ContradictionKind.FIGURE and statement.figure is not None:
        keys.append((statement.span.document_id, "value", statement.figure.value))
    return keys


def _dispute(members: Sequence[Contradiction]) -> Contradiction:
    first = members[0]
    if len(members) == 1 and not first.sides:
        return first
    sides = _value_sides(members) if first.kind is ContradictionKind.FIGURE else _camps(members)
    return Contradiction(first.event_id, first.kind, first.a, first.b, first.subject, sides)


def _value_sides(members: Sequence[Contradiction]) -> tuple[Side, ...]:
    """A figure's sides: one per value, the first pair's two values first."""
    by_value: dict[float | None, dict[StatementKey, Statement]] = {}
    for pair in members:
        for statement in pair.statements:
            value = statement.figure.value if statement.figure is not None else None
            by_value.setdefault(value, {}).setdefault(statement_key(statement), statement)
    return tuple(Side(_ordered(statements.values())) for statements in by_value.values())


def _camps(members: Sequence[Contradiction]) -> tuple[Side, ...]:
    """Two camps: each pair's statements on opposite sides (a breadth-first colouring of the pairs'
    graph, from the first pair's `a`); a statement already placed stays where it was first put."""
    statements: dict[StatementKey, Statement] = {}
    edges: dict[StatementKey, list[StatementKey]] = {}
    for pair in members:
        for side in pair.positions:
            for statement in side.statements:
                statements.setdefault(statement_key(statement), statement)
        for left, right in _opposed(pair):
            edges.setdefault(left, []).append(right)
            edges.setdefault(right, []).append(left)
    colour: dict[StatementKey, int] = {}
    for start in statements:
        if start in colour:
            continue
        colour[start] = 0
        queue = [start]
        while queue:
            node = queue.pop(0)
            for other in edges.get(node, ()):
                if other not in colour:
                    colour[other] = 1 - colour[node]
                    queue.append(other)
    camps = ([], [])
    for key, statement in statements.items():
        camps[colour[key]].append(statement)
    return tuple(Side(_ordered(camp)) for camp in camps if camp)


def _opposed(pair: Contradiction) -> list[tuple[StatementKey, StatementKey]]:
    return [(statement_key(x), statement_key(y)) for x, y in opposed_statements(pair)]


def _ordered(statements) -> tuple[Statement, ...]:
    """First seen first: the statement standing for the pair leads its side."""
    return tuple(statements)


def opposed_statements(contradiction: Contradiction) -> list[tuple[Statement, Statement]]:
    """Every pair of statements on two different sides: what the dispute says cannot both hold."""
    sides = contradiction.positions
    return [(x, y) for i, side in enumerate(sides) for other in sides[i + 1 :] for x in side.statements for y in other.statements]
