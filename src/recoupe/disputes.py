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
colouring the pairs' graph: statements never opposed stand together) with
every statement taking it, each keeping its document and span.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from recoupe.groups import Groups
from recoupe.model import Contradiction, ContradictionKind, Side, Statement

StatementKey = tuple[str, int, int]


def statement_key(statement: Statement) -> StatementKey:
    return (statement.span.document_id, statement.span.start, statement.span.end)


def group_disputes(pairs: Sequence[Contradiction]) -> list[Contradiction]:
    """The disputes the pairs form, in the order of each dispute's first pair."""
    groups = Groups(len(pairs))
    owner: dict[Hashable, int] = {}
    for index, pair in enumerate(pairs):
        topic = (pair.event_id, _topic(pair))
        for statement in pair.statements:
            for key in _join_keys(pair.kind, statement):
                groups.union(index, owner.setdefault((topic, key), index))
    return [_dispute([pairs[i] for i in members]) for members in groups.sets()]


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
    return Contradiction(first.event_id, first.kind, first.a, first.b, first.subject, _sides(members))


def _sides(members: Sequence[Contradiction]) -> tuple[Side, ...]:
    """The positions: each statement, in the order met (the first pair's `a`, then its `b`), joins the first
    side holding nothing it was opposed to, else opens a side. Statements on two sides were opposed or
    stand with ones that were: a figure's values (1,089 million and "1,1 million" of one ministry,
    never opposed, stand together against the union's 3,5 million), the asserting and the denying camp."""
    statements: dict[StatementKey, Statement] = {}
    opposed: dict[StatementKey, set[StatementKey]] = {}
    for pair in members:
        for statement in pair.statements:
            statements.setdefault(statement_key(statement), statement)
        for left, right in _opposed(pair):
            opposed.setdefault(left, set()).add(right)
            opposed.setdefault(right, set()).add(left)
    sides: list[list[StatementKey]] = []
    for key in statements:
        against = opposed.get(key, set())
        free = [side for side in sides if not against.intersection(side)]
        # A figure joins the side giving its value first ("magnitude 5" in a headline stands with its body's 5,
        # not with the 4.8 its body was never paired with).
        home = next((side for side in free if _same_value(statements[key], [statements[k] for k in side])), None)
        home = home if home is not None else next(iter(free), None)
        if home is None:
            sides.append([key])
        else:
            home.append(key)
    return tuple(Side(tuple(statements[k] for k in side)) for side in sides)


def _same_value(statement: Statement, side: Sequence[Statement]) -> bool:
    value = statement.figure.value if statement.figure is not None else None
    return value is not None and any(s.figure is not None and s.figure.value == value for s in side)


def _opposed(pair: Contradiction) -> list[tuple[StatementKey, StatementKey]]:
    return [(statement_key(x), statement_key(y)) for x, y in opposed_statements(pair)]


def opposed_statements(contradiction: Contradiction) -> list[tuple[Statement, Statement]]:
    """Every pair of statements on two different sides: what the dispute says cannot both hold."""
    sides = contradiction.positions
    return [(x, y) for i, side in enumerate(sides) for other in sides[i + 1 :] for x in side.statements for y in other.statements]
