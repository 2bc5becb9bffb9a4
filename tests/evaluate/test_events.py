"""Event scores: B-cubed and the named checks on hand-made links, then the quality gate
on seeds and dev through the real stages (ingest, clean, analyse, cluster)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from recoupe.evaluate.events import bcubed, score_events
from recoupe.model import Document, EventLink, EventRole, InferredDate, PartialDate, Segment, SegmentKind, SourceFormat, Span

# Measured with the default EventSettings, all documents in one batch
# (`python benchmarks/bench_events.py --quality` prints the same). Seeds: F1 1.0
# and every check passes. Dev as ingested: F1 0.877 (P 0.948, R 0.815); most
# English pages state no date and lang/en has no date rules yet, so D6's dated
# English live blog draws the undated English D1 reports, and the undated
# English D3 report joins the English D4 ones. Dev with labels.json's
# `published` as page metadata (what a crawl reads off the URL): F1 0.984,
# both hard negatives apart. Adding dev in file order by batches of 10 gives
# 0.84, one by one 0.81: undated reports join whichever event exists first.
EPSILON = 0.02
SEED_FLOOR = 1.0
DEV_FLOOR_AS_INGESTED = 0.877
DEV_FLOOR_WITH_METADATA = 0.984


def document(name: str, text: str = "x") -> Document:
    return Document(name, name, f"/any/{name}.txt", text, SourceFormat.TEXT, (Segment(0, len(text), SegmentKind.BODY),))


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ({"a": 1, "b": 1, "c": 2}, {"a": "X", "b": "X", "c": "Y"}, (1.0, 1.0)),
        ({"a": 1, "b": 1, "c": 1}, {"a": "X", "b": "X", "c": "Y"}, (5 / 9, 1.0)),
        ({"a": 1, "b": 2, "c": 3}, {"a": "X", "b": "X", "c": "Y"}, (1.0, 2 / 3)),
    ],
)
def test_events_bcubed_precision_and_recall(predicted, gold, expected):
    precision, recall = bcubed(predicted, gold)
    assert (round(precision, 6), round(recall, 6)) == (round(expected[0], 6), round(expected[1], 6))


def test_events_score_checks_off_topic_background_and_inferred_days():
    blog_text = "Raid sur Belgorod.\n11h58 : Raid repoussé.\n06h35 : Le Premier ministre est à Shanghai."
    documents = [document("a"), document("b"), document("c"), document("blog", blog_text)]
    gold = {
        "documents": {
            "a.txt": {"event": "MAR"},
            "b.txt": {"event": "MAR", "mentions_earlier_event": "MAY"},
            "c.txt": {"event": "MAY"},
            "blog.txt": {"event": "MAY", "off_topic": ["Le Premier ministre est à Shanghai"], "published_inferred": "2023-05-23"},
        }
    }
    shanghai = blog_text.index("06h35")
    links = [
        EventLink("e1", "a", EventRole.MAIN),
        EventLink("e1", "b", EventRole.MAIN),
        EventLink("e2", "b", EventRole.BACKGROUND, Span("b", 0, 1)),
        EventLink("e2", "c", EventRole.MAIN),
        EventLink("e2", "blog", EventRole.MAIN, Span("blog", 0, 18)),
        EventLink("e2", "blog", EventRole.ENTRY, Span("blog", shanghai, len(blog_text))),
    ]
    scores = score_events(documents, links, gold, inferred=[InferredDate("blog", dt.date(2023, 5, 22))])
    assert (scores.precision, scores.recall) == (1.0, 1.0)
    assert {c.name: c.passed for c in scores.checks} == {
        "documents found": True,
        "exactly 2 events as in the gold": True,
        "b.t recalls MAY as background": True,
        "blo off-topic entry apart: Le Premier ministre est à Shanghai": False,
        "blo publication day inferred": False,
    }
    assert any("FAIL" in line for line in scores.lines())


def test_events_score_dev_hard_negatives_are_checked():
    documents = [document(n) for n in "abcd"]
    labels = [{"file": "a.txt", "event": "D3"}, {"file": "b.txt", "event": "D4"}, {"file": "c.txt", "event": "D1"}, {"file": "d.txt", "event": "D6"}]
    links = [EventLink("x", "a", EventRole.MAIN), EventLink("x", "b", EventRole.MAIN), EventLink("y", "c", EventRole.MAIN), EventLink("z", "d", EventRole.MAIN)]
    checks = {c.name: c.passed for c in score_events(documents, links, labels).checks}
    assert checks == {"documents found": True, "D3 and D4 kept apart": False, "D1 and D6 kept apart": True}


# ------------------------------------------------------------------ quality gate


@pytest.fixture(scope="module")
def tools():
    return load_tools()


def load_tools():
    """The real stages' toolkit for French and English, and the language detector."""
    from recoupe.clean import build_language_detector
    from recoupe.lang import load_language
    from recoupe.nlp import load_pipeline
    from recoupe.nlp.analyse import Toolkit
    from recoupe.nlp.places import Gazetteer

    languages = {code: load_language(code) for code in ("fr", "en")}
    pipelines = {code: load_pipeline(resources) for code, resources in languages.items()}
    toolkit = Toolkit(languages, pipelines, Gazetteer.load(languages["fr"]))
    return toolkit, build_language_detector()


def run_events(folder: Path, tools, metadata: dict[str, str] | None = None):
    """Ingest, clean, analyse and cluster a corpus folder in one batch; `metadata` gives
    published dates by file name (what a crawler records from the page's URL)."""
    from recoupe.clean import NoiseRules, clean
    from recoupe.events import EventClusterer
    from recoupe.ingest import read_source
    from recoupe.nlp.analyse import analyse
    from recoupe.settings import Settings
    from recoupe.summary import EventContext, describe_events

    toolkit, detector = tools
    settings = Settings()
    documents = []
    for path in sorted((folder / "articles").glob("*.txt")):
        for raw in read_source(str(path), settings.ingest):
            stated = (metadata or {}).get(path.name)
            if stated and (raw.published is None or len(raw.published.iso()) < len(stated)):
                raw = dataclasses.replace(raw, published=PartialDate.from_iso(stated))
            resources = toolkit.languages.get(raw.language or "fr", toolkit.languages["fr"])
            documents.append(clean(raw, NoiseRules.from_resources(resources), detector, settings.clean))
    analyses = list(analyse(documents, toolkit, settings.analysis))
    links = EventClusterer(settings.events, toolkit.languages).add(documents, analyses)
    context = EventContext({d.id: d for d in documents}, {a.document_id: a for a in analyses}, toolkit.languages)
    events, inferred = describe_events(links, context, settings.events)
    return documents, links, events, inferred


@pytest.mark.model
def test_events_quality_on_seeds(seeds_dir, seeds_gold, tools):
    documents, links, events, inferred = run_events(seeds_dir, tools)
    scores = score_events(documents, links, seeds_gold, inferred=inferred)
    print("\n".join(scores.lines()))
    assert scores.f1 >= SEED_FLOOR - 1e-9
    assert scores.checks_passed, scores.lines()
    assert all(e.summary for e in events if any(l.event_id == e.id and l.role is EventRole.MAIN for l in links))


@pytest.mark.model
@pytest.mark.parametrize(("with_metadata", "floor"), [(False, DEV_FLOOR_AS_INGESTED), (True, DEV_FLOOR_WITH_METADATA)])
def test_events_quality_on_dev(dev_dir, dev_labels, tools, with_metadata, floor):
    metadata = {r["file"]: r["published"] for r in dev_labels if r.get("published")} if with_metadata else None
    documents, links, _, _ = run_events(dev_dir, tools, metadata)
    scores = score_events(documents, links, dev_labels)
    print("\n".join(scores.lines()))
    assert scores.f1 >= floor - EPSILON
    if with_metadata:
        assert scores.checks_passed, scores.lines()
