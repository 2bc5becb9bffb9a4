"""What pages show: event order, filters, claims by speaker, copies folded under their original."""

from __future__ import annotations

import datetime as dt

import pytest
from report.sample_corpus import build_sample_corpus

from recoupe.model import Corpus
from recoupe.report.filters import EventFilters, filter_rows
from recoupe.report.views import (
    document_tree,
    event_page,
    event_rows,
    index_corpus,
    source_page,
)


@pytest.fixture(scope="module")
def ix():
    return index_corpus(build_sample_corpus())


def test_views_list_events_latest_first(ix):
    assert [row.event.id for row in event_rows(ix)] == ["ev-meeting", "ev-soumy"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (EventFilters(place="kharkiv"), ["ev-soumy"]),
        (EventFilters(place="KOURSK"), ["ev-soumy"]),
        (EventFilters(actor="hryhorov"), ["ev-soumy"]),
        (EventFilters(actor="diplomate"), ["ev-meeting"]),
        (EventFilters(source="radio est"), ["ev-soumy"]),
        (EventFilters(source="echo copie"), ["ev-soumy"]),  # accents ignored: "L'Écho copié"
        (EventFilters(date_from=dt.date(2025, 3, 16)), ["ev-meeting"]),
        (EventFilters(date_to=dt.date(2025, 3, 14)), ["ev-soumy"]),
        (EventFilters(date_from=dt.date(2025, 3, 15), date_to=dt.date(2025, 3, 15)), ["ev-soumy"]),
        (EventFilters(place="Paris"), []),
        (EventFilters(), ["ev-meeting", "ev-soumy"]),
    ],
)
def test_views_filter_events(ix, filters, expected):
    assert [row.event.id for row in filter_rows(ix, event_rows(ix), filters)] == expected


def test_views_event_page_groups_claims_by_speaker(ix):
    page = event_page(ix, "ev-soumy")
    speakers = [group.speaker for group in page.speakers]
    assert speakers[0] == "Oleh Hryhorov"  # the most quoted first
    stances = {row.claim.id: row.stance for group in page.speakers for row in group.rows}
    assert stances["claim-b2"] == "deny" and stances["claim-b1"] == "hedged" and stances["claim-a1"] == "assert"
    assert "claim-d1" not in stances


def test_views_event_page_folds_copies_under_their_original(ix):
    page = event_page(ix, "ev-soumy")
    assert [node.document.id for node in page.documents] == ["doc-a", "doc-b"]
    assert [copy.id for copy, _ in page.documents[0].copies] == ["doc-c"]
    assert [p.left.claim.id for p in page.contradictions] == ["claim-a1"]
    assert [group.document.id for group in page.figures_by_source] == ["doc-a", "doc-b"]


def test_views_copy_listed_without_its_original_says_what_it_copies(ix):
    nodes = document_tree(ix, ["doc-c"])
    assert nodes[0].copy_of.original == "doc-a"


def test_views_source_page_marks_claims_figures_places_and_citations(ix):
    page = source_page(ix, "doc-a")
    classes = {css.split()[0] for _, css in page.marks}
    assert classes == {"claim", "figure", "place", "cite"}
    assert page.copies[0][0].id == "doc-c"


def test_views_unknown_ids_give_none(ix):
    assert event_page(ix, "nope") is None and source_page(ix, "nope") is None


def test_views_empty_corpus():
    empty = index_corpus(Corpus(documents=()))
    assert event_rows(empty) == [] and document_tree(empty, []) == ()
