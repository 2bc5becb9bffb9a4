"""What pages show: event order, filters, claims by speaker, copies folded under their original."""

from __future__ import annotations

import datetime as dt

import pytest
from report.sample_corpus import build_sample_corpus

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
    Segment,
    SegmentKind,
    SourceFormat,
    Span,
    Speaker,
    SpeakerKind,
)
from recoupe.report.filters import EventFilters, filter_rows
from recoupe.report.views import (
    document_tree,
    event_page,
    event_rows,
    index_corpus,
    source_page,
    split_briefs,
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
    assert [p.left.statement.claim_id for p in page.contradictions] == ["claim-a1"]
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


def _doc(doc_id: str, text: str = "Texte.", **fields) -> Document:
    return Document(doc_id, doc_id, fields.pop("source", f"../corpus/{doc_id}.txt"), text, SourceFormat.TEXT,
                    fields.pop("segments", (Segment(0, len(text), SegmentKind.BODY),)), **fields)


def test_views_put_events_no_document_leads_with_among_the_briefs():
    # A live blog leads with the raid; one of its entries reports a training abroad.
    blog = _doc("blog", "Raid.\nFormation.")
    results = CorpusResults(
        events=(Event("raid", "Raid", start=dt.date(2023, 5, 22)), Event("training", "Formation", start=dt.date(2023, 5, 23))),
        event_links=(
            EventLink("raid", "blog", EventRole.MAIN),
            EventLink("training", "blog", EventRole.ENTRY, Span("blog", 6, 16)),
        ),
    )
    rows = event_rows(index_corpus(Corpus((blog,), results=results)))
    main, briefs = split_briefs(rows)
    assert [r.event.id for r in rows] == ["training", "raid"]  # latest first, as before
    assert [r.event.id for r in main] == ["raid"] and [r.event.id for r in briefs] == ["training"]
    assert briefs[0].brief and briefs[0].main_reports == 0 and main[0].main_reports == 1


def test_views_group_a_speaker_capitalised_at_a_sentence_start_with_the_same_speaker():
    text = "Ministère russe de la Défense : a. Selon le ministère russe de la Défense, b. Le Kremlin dit c."
    claims = tuple(
        Claim(f"c{n}", Span("doc", text.index(word), text.index(word) + 1), ClaimKind.REPORTED, Speaker(name, SpeakerKind.INSTITUTION))
        for n, (word, name) in enumerate([("a.", "Ministère russe de la Défense"), ("b.", "ministère russe de la Défense"), ("c.", "Kremlin")])
    )
    corpus = Corpus(
        (_doc("doc", text),),
        (Analysis("doc", claims=claims),),
        results=CorpusResults(events=(Event("ev", "Raid"),), event_links=(EventLink("ev", "doc", EventRole.MAIN),)),
    )
    page = event_page(index_corpus(corpus), "ev")
    assert [(g.speaker, len(g.rows)) for g in page.speakers] == [("ministère russe de la Défense", 2), ("Kremlin", 1)]


def test_views_source_page_shows_copy_evidence_and_the_dispatch_carried():
    import dataclasses

    from recoupe.model import AlignedPassage, Dispatch, Span

    corpus = build_sample_corpus()
    link = next(c for c in corpus.copies if c.copy == "doc-c")
    passage = AlignedPassage(Span("doc-c", 0, 12), Span(link.original, 0, 12))
    copies = tuple(dataclasses.replace(c, evidence=(passage,)) if c is link else c for c in corpus.copies)
    dispatch = Dispatch("dispatch-1", "AFP", (link.original, "doc-c"))
    corpus = dataclasses.replace(corpus, copies=copies, results=dataclasses.replace(corpus.results, dispatches=(dispatch,)))
    page = source_page(index_corpus(corpus), "doc-c")
    texts = {d.id: d.text for d in corpus.documents}
    assert page.evidence == ((texts["doc-c"][:12], texts[link.original][:12]),)
    assert [(d.agency, [o.id for o in others]) for d, others in page.dispatches] == [("AFP", [link.original])]
