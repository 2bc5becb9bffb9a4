"""Search hits joined to the events they report (recoupe.web.search), on hand-made documents."""

from __future__ import annotations

import datetime as dt

import pytest

from recoupe.model import (
    Analysis,
    Claim,
    ClaimKind,
    Corpus,
    CorpusResults,
    Document,
    Event,
    EventLink,
    EventRole,
    HitKind,
    SearchHit,
    Segment,
    SegmentKind,
    SourceFormat,
    Span,
)
from recoupe.report.views import index_corpus
from recoupe.web.search import events_of_hits

ARTICLE = "Des combattants entrent à Tiotkino.\nLe village est sous contrôle, affirment-ils."
BLOG = "Direct.\n11:58 Raid près de Tiotkino.\n12:30 Des pilotes formés en Pologne."


def _doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, doc_id, f"{doc_id}.txt", text, SourceFormat.TEXT, (Segment(0, len(text), SegmentKind.BODY),))


def _entry(needle: str) -> Span:
    start = BLOG.index(needle)
    return Span("blog", start, BLOG.index("\n", start) if "\n" in BLOG[start:] else len(BLOG))


@pytest.fixture(scope="module")
def ix():
    claim = Claim("c1", Span("article", ARTICLE.index("Le village"), ARTICLE.index(", affirment")), ClaimKind.REPORTED)
    results = CorpusResults(
        events=(
            Event("raid-2024", "Raid de 2024", start=dt.date(2024, 3, 12)),
            Event("raid-2023", "Raid de 2023", start=dt.date(2023, 5, 22)),
            Event("training", "Formation de pilotes", start=dt.date(2023, 5, 23)),
        ),
        event_links=(
            EventLink("raid-2024", "article", EventRole.MAIN),
            EventLink("raid-2023", "blog", EventRole.ENTRY, _entry("11:58")),
            EventLink("training", "blog", EventRole.ENTRY, _entry("12:30")),
        ),
    )
    corpus = Corpus((_doc("article", ARTICLE), _doc("blog", BLOG)), (Analysis("article", claims=(claim,)),), results=results)
    return index_corpus(corpus)


def _hit(document_id: str, claim_id: str | None = None) -> SearchHit:
    return SearchHit(HitKind.CLAIM if claim_id else HitKind.DOCUMENT, document_id, claim_id, "")


def test_search_events_rank_the_event_with_most_hits_first(ix):
    found = events_of_hits(ix, [_hit("blog"), _hit("article"), _hit("article", "c1")], "tiotkino")
    assert [(f.event.id, f.document_ids, f.hits) for f in found] == [
        ("raid-2024", ("article",), 2),
        ("raid-2023", ("blog",), 1),
    ]


def test_search_events_skip_live_blog_entries_without_the_words(ix):
    # The blog matches "Tiotkino" in its 11:58 entry, not in the training one.
    assert [f.event.id for f in events_of_hits(ix, [_hit("blog")], "TIOTKINO")] == ["raid-2023"]
    assert [f.event.id for f in events_of_hits(ix, [_hit("blog")], "pologne")] == ["training"]


def test_search_events_of_a_claim_hit_are_its_event_only(ix):
    assert [f.event.id for f in events_of_hits(ix, [_hit("article", "c1")], "village")] == ["raid-2024"]


def test_search_events_empty_without_hits(ix):
    assert events_of_hits(ix, [], "tiotkino") == []
