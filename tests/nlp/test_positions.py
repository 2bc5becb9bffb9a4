"""Position indexes: every lookup by character is a bisection over offsets sorted once (no model)."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from recoupe.model import EntityType, Hedge, HedgeKind, Mention, Span
from recoupe.nlp.positions import DocIndex, quote_around, token_at

WORDS = ["«", "Nous", "tenons", "»", ",", "a", "dit", "Ivan", "Petrov", "selon", "Kiev", "."]
SPACES = [False, True, True, False, True, True, True, True, True, True, False, False]


def doc() -> Doc:
    return Doc(Vocab(), words=WORDS, spaces=SPACES)


def mention(d: Doc, first: int, last: int, kind: EntityType = EntityType.PERSON) -> Mention:
    span = d[first : last + 1]
    return Mention(Span("d", span.start_char, span.end_char), span.text, kind, span.text.lower())


def test_positions_token_at_finds_the_token_containing_or_following_a_character():
    d = doc()
    starts = [t.idx for t in d]
    for index, start in enumerate(starts):
        assert token_at(d, start) == index
        assert token_at(d, start + len(d[index].text) - 1) == index
    assert token_at(d, d[1].idx + len("Nous")) == 2  # the space after "Nous": the next token
    assert token_at(d, 10_000) == len(d) - 1


@pytest.mark.parametrize(("char", "inside"), [(0, None), (1, (0, 14)), (13, (0, 14)), (14, None), (30, (28, 40)), (45, None)])
def test_positions_quote_around_is_strictly_inside_one_quote(char, inside):
    assert quote_around([(0, 14), (28, 40)], char) == inside


def test_positions_mentions_within_and_ending_before_a_phrase():
    d = doc()
    ivan, kiev = mention(d, 7, 8), mention(d, 10, 10, EntityType.PLACE)
    index = DocIndex.build(d, [(0, d[3].idx)], [kiev, ivan])
    assert index.mentions_within(d[5].idx, len(d.text)) == [ivan, kiev]
    assert index.mentions_within(d[7].idx, d[8].idx) == []  # "Ivan Petrov" overruns the range
    assert index.mentions_ending_between(ivan.span.end, ivan.span.end) == [ivan]
    assert index.in_quotes(d[1].idx) and not index.in_quotes(d[6].idx)


def test_positions_hedges_touching_a_range_and_in_its_sentence():
    d = doc()
    said = Hedge(Span("d", d[5].idx, d[6].idx + 3), Span("d", 0, len(d.text)), HedgeKind.CONDITIONAL)
    selon = Hedge(Span("d", d[9].idx, d[9].idx + 5), Span("d", 0, len(d.text)), HedgeKind.ATTRIBUTION)
    index = DocIndex.build(d, [], [], [selon, said])
    assert index.hedges_touching(d[6].idx, d[6].idx + 1) == [said]  # a cue starting before the range reaches in
    assert index.hedges_touching(0, d[5].idx) == []
    assert index.hedges_touching(0, len(d.text)) == [said, selon]
    assert index.hedges_in_sentence(0, 3, HedgeKind.ATTRIBUTION) == [selon]
