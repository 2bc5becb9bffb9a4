"""One row per dispute: pairs grouped with their sides (no model)."""

from __future__ import annotations

from recoupe.disputes import group_disputes, opposed_statements
from recoupe.model import Contradiction, ContradictionKind, Figure, FigureCategory, Polarity, Span, Statement


def said(doc: str, value: float | None = None, start: int = 0, polarity: Polarity = Polarity.ASSERT) -> Statement:
    figure = None if value is None else Figure(Span(doc, start, start + 3), str(value), value, "personne", FigureCategory.DEMONSTRATORS)
    return Statement(Span(doc, start, start + 10), f"{doc}:{start}", speaker=doc, figure=figure, polarity=polarity)


def figure_pair(a: Statement, b: Statement, event: str = "E", subject: str = "demonstrators") -> Contradiction:
    return Contradiction(event, ContradictionKind.FIGURE, a, b, subject)


def test_disputes_pairs_sharing_a_statement_are_one_dispute_with_one_side_per_value():
    police = said("police", 4000)
    unions = [said("cgt", 12000), said("fo", 12000), said("sud", 15000)]
    rival_unions = [figure_pair(unions[0], unions[2]), figure_pair(unions[1], unions[2])]
    rows = group_disputes([*(figure_pair(police, u) for u in unions), *rival_unions])
    assert len(rows) == 1
    row = rows[0]
    assert (row.a, row.b) == (police, unions[0])
    assert [[s.figure.value for s in side.statements] for side in row.positions] == [[4000], [12000, 12000], [15000]]
    assert len(opposed_statements(row)) == 5  # 4000 against each of three, 12000 against 15000 twice


def test_disputes_values_never_opposed_stand_together():
    """1,089 million and "1,1 million" (one ministry, rounded) are one side against the union's 3,5 million."""
    ministry, rounded, union = said("ministere", 1.089e6), said("interieur", 1.1e6), said("cgt", 3.5e6)
    rows = group_disputes([figure_pair(ministry, union), figure_pair(union, rounded)])
    assert [[s.speaker for s in side.statements] for side in rows[0].positions] == [["ministere", "interieur"], ["cgt"]]


def test_disputes_of_other_subjects_places_or_events_stay_apart():
    paris = figure_pair(said("police", 80000), said("cgt", 500000))
    lyon = figure_pair(said("prefecture", 20000, 50), said("intersyndicale", 40000, 50))
    dead = figure_pair(said("police", 3, 90), said("cgt", 5, 90), subject="dead")
    other_event = figure_pair(said("police", 80000), said("cgt", 500000), event="F")
    assert len(group_disputes([paris, lyon, dead, other_event])) == 4


def test_disputes_one_documents_value_joins_its_pairs():
    """The police figure told in two sentences of one report is one side."""
    first = figure_pair(said("police", 4000, 0), said("cgt", 12000))
    second = figure_pair(said("police", 4000, 200), said("fo", 15000))
    rows = group_disputes([first, second])
    assert len(rows) == 1
    assert [len(side.statements) for side in rows[0].positions] == [2, 2]


def test_disputes_a_figure_joins_the_side_giving_its_value():
    """A headline's "magnitude 5", paired only with the 4.8 of one report, stands with its body's 5 (paired
    with another 4.8), not with the 4.8 it was never opposed to."""
    local, body, headline, wire = said("local", 4.8), said("reseau", 5, 200), said("reseau", 5, 0), said("wire", 4.8)
    rows = group_disputes([figure_pair(local, body, subject="magnitude"), figure_pair(headline, wire, subject="magnitude")])
    assert len(rows) == 1
    assert [[(s.speaker, s.figure.value) for s in side.statements] for side in rows[0].positions] == [
        [("local", 4.8), ("wire", 4.8)], [("reseau", 5), ("reseau", 5)]
    ]


def test_disputes_denials_form_two_camps():
    rumours = [said("voisins", start=0), said("radio", start=0)]
    denials = [said("prefecture", start=0, polarity=Polarity.DENY), said("mairie", start=0, polarity=Polarity.DENY)]
    pairs = [Contradiction("E", ContradictionKind.DENIAL, r, d, "missing") for r in rumours for d in denials]
    rows = group_disputes(pairs)
    assert len(rows) == 1
    camps = [{s.speaker for s in side.statements} for side in rows[0].positions]
    assert camps == [{"voisins", "radio"}, {"prefecture", "mairie"}]


def test_disputes_a_lone_pair_stays_as_it_was():
    pair = figure_pair(said("police", 4000), said("cgt", 12000))
    assert group_disputes([pair]) == [pair]
    assert [side.statements for side in pair.positions] == [(pair.a,), (pair.b,)]


def test_disputes_frames_of_one_happening_join_through_shared_statements_blame_stays_apart():
    """ "Nous avons traversé la frontière" against a denied breakthrough and against "l'attaque a été
    repoussée" is one dispute; who did it is another, even sharing a statement."""
    crossed, denied, repelled = said("legion"), said("gouverneur", polarity=Polarity.DENY), said("ministere")
    captured = said("milices")
    pairs = [
        Contradiction("E", ContradictionKind.DENIAL, crossed, denied, "breakthrough"),
        Contradiction("E", ContradictionKind.STATUS, crossed, repelled, "breakthrough:repelled"),
        Contradiction("E", ContradictionKind.STATUS, repelled, captured, "repelled:control"),
        Contradiction("E", ContradictionKind.DENIAL, crossed, said("kremlin"), "blame"),
    ]
    rows = group_disputes(pairs)
    assert [r.subject for r in rows] == ["breakthrough", "blame"]
    camps = [{s.speaker for s in side.statements} for side in rows[0].positions]
    assert camps == [{"legion", "milices"}, {"gouverneur", "ministere"}]
