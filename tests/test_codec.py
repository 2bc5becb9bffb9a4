from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from recoupe.codec import CodecError, from_data, to_data
from recoupe.model import (
    Claim,
    ClaimKind,
    Corpus,
    DateRange,
    Document,
    PartialDate,
    Polarity,
    Span,
    TimeExpression,
)
from recoupe.store.sample import sample_corpus


def _values_of_every_type() -> list[object]:
    corpus = sample_corpus()
    analysis = corpus.analyses[0]
    results = corpus.results
    return [
        corpus.documents[0], corpus.documents[3], analysis, *analysis.claims, *analysis.places,
        *corpus.analyses[2].times, corpus.copies[0], *results.entities, results.events[0],
        *results.event_links, *results.propositions, *results.contradictions, corpus,
    ]


@pytest.mark.parametrize("value", _values_of_every_type(), ids=lambda v: type(v).__name__)
def test_codec_round_trips_through_json(value):
    data = json.loads(json.dumps(to_data(value), ensure_ascii=False))
    assert from_data(type(value), data) == value


@pytest.mark.parametrize(
    ("value", "tag"),
    [(dt.date(2026, 3, 4), "date"), (DateRange(dt.date(2026, 3, 3), dt.date(2026, 3, 4)), "DateRange")],
)
def test_codec_tags_date_or_range_union(value, tag):
    expression = TimeExpression(Span("d", 0, 6), "4 mars", value)
    data = to_data(expression)
    assert data["value"]["type"] == tag
    assert from_data(TimeExpression, data).value == value


def test_codec_encodes_enums_dates_and_tuples_as_plain_json():
    claim = Claim("c", Span("d", 1, 5), ClaimKind.DIRECT, polarity=Polarity.DENY)
    data = to_data(claim)
    assert data["kind"] == "direct" and data["polarity"] == "deny"
    assert data["speaker"] is None
    assert to_data((PartialDate(2026, 3), dt.date(2026, 3, 1))) == [{"year": 2026, "month": 3, "day": None}, "2026-03-01"]


def test_codec_missing_keys_take_field_defaults():
    data = {"id": "c", "span": {"document_id": "d", "start": 0, "end": 3}, "kind": "reported"}
    claim = from_data(Claim, data)
    assert claim == Claim("c", Span("d", 0, 3), ClaimKind.REPORTED)


def test_codec_loads_data_written_before_a_field_was_added():
    @dataclasses.dataclass(frozen=True)
    class Old:
        name: str

    @dataclasses.dataclass(frozen=True)
    class New:
        name: str
        tags: tuple[str, ...] = ()
        score: float = 0.5

    assert from_data(New, to_data(Old("x"))) == New("x")


def test_codec_ignores_unknown_keys():
    data = to_data(Span("d", 0, 3)) | {"added_later": [1, 2]}
    assert from_data(Span, data) == Span("d", 0, 3)


def test_codec_decodes_hinted_collections():
    claims = (Claim("a", Span("d", 0, 1), ClaimKind.DIRECT), Claim("b", Span("d", 2, 3), ClaimKind.REPORTED))
    assert from_data(tuple[Claim, ...], to_data(claims)) == claims
    assert from_data(dict[str, int], {"a": 1}) == {"a": 1}


def test_codec_accepts_integers_for_floats():
    place = to_data(sample_corpus().analyses[0].places[0]) | {"lat": 50}
    assert from_data(type(sample_corpus().analyses[0].places[0]), place).lat == 50.0


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"id": "c", "span": {"document_id": "d", "start": 0, "end": 3}, "kind": "shouted"}, "Claim.kind"),
        ({"id": "c", "kind": "direct"}, "span"),
        ({"id": "c", "span": {"document_id": "d", "start": "0", "end": 3}, "kind": "direct"}, "Claim.span.start"),
        ({"id": "c", "span": None, "kind": "direct"}, "Claim.span"),
    ],
)
def test_codec_errors_name_the_path(data, path):
    with pytest.raises(CodecError, match=path.replace(".", r"\.")):
        from_data(Claim, data)


def test_codec_rejects_untagged_union():
    with pytest.raises(CodecError, match="tagged union"):
        from_data(TimeExpression, {"span": {"document_id": "d", "start": 0, "end": 1}, "text": "x", "value": "2026-03-04"})


def test_codec_document_keeps_original_text_and_segments():
    document = sample_corpus().documents[0]
    restored = from_data(Document, to_data(document))
    assert restored.cleaned_text == document.cleaned_text
    assert isinstance(restored.segments, tuple)


def test_codec_corpus_results_default_when_absent():
    corpus = from_data(Corpus, {"documents": []})
    assert corpus.results.events == ()
