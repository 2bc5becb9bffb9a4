from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from recoupe.evaluate.dates import (
    DateMiss, DateScores, gold_references, phrase_occurrences, score_dates, score_event_windows,
)
from recoupe.lang import load_language
from recoupe.model import (
    Analysis, DateRange, Document, PartialDate, Segment, SegmentKind, SourceFormat, Span, TimeExpression,
)
from recoupe.nlp import load_pipeline
from recoupe.nlp.dates import DateRules, find_times
from quality.floors import floor


def document(name: str, text: str, published: PartialDate | None = None) -> Document:
    """One body segment over the whole text: enough for the date stage before cleaning."""
    return Document(
        id=name, content_hash=name, source=f"/any/dir/{name}", text=text, format=SourceFormat.TEXT,
        segments=(Segment(0, len(text), SegmentKind.BODY),), published=published,
    )


def time(document_id: str, text: str, phrase: str, value: dt.date | DateRange) -> TimeExpression:
    start = text.index(phrase)
    return TimeExpression(Span(document_id, start, start + len(phrase)), phrase, value)


GOLD = {
    "documents": {"a.txt": {"published": "2024-03"}, "b.txt": {"published": None, "published_inferred": "2023-05-23"}},
    "dates": [
        {"doc": "a.txt", "phrase": "ont   déjà eu lieu MARDI", "date": "2024-03-12"},
        {"doc": "a.txt", "phrase": "des 15-16-17 mars", "date": "2024-03-15/2024-03-17"},
        {"doc": "b.txt", "phrase": "attaqué la veille", "date": "2023-05-22"},
        {"doc": "missing.txt", "phrase": "hier", "date": "2023-05-22"},
    ],
}


def test_score_dates_needs_the_value_inside_the_phrase():
    text_a = "Les attaques ont déjà eu lieu mardi, avant le scrutin des 15-16-17 mars. Mardi encore."
    text_b = "Le groupe ayant attaqué la veille la région."
    a, b = document("a.txt", text_a), document("b.txt", text_b)
    analyses = [
        Analysis("a.txt", times=(
            time("a.txt", text_a, "mardi", dt.date(2024, 3, 12)),
            time("a.txt", text_a, "15-16-17 mars", DateRange(dt.date(2024, 3, 15), dt.date(2024, 3, 16))),
        )),
        Analysis("b.txt", times=(time("b.txt", text_b, "la veille", dt.date(2023, 5, 22)),)),
    ]
    scores = score_dates([a, b], analyses, GOLD)
    assert scores == DateScores(total=4, right=2, misses=(
        DateMiss("a.txt", "des 15-16-17 mars", "2024-03-15/2024-03-17", ("2024-03-15/2024-03-16",)),
        DateMiss("missing.txt", "hier", "2023-05-22", ()),
    ))
    assert scores.lines()[0] == "dates: 2/4 right (50.0%)"
    assert "found nothing" in scores.lines()[2]


def test_score_dates_phrase_matches_under_the_gold_rule():
    text = "Il a dit « Oui »\u00a0ce\n  MARDI-là."
    assert [text[s:e] for s, e in phrase_occurrences(text, '" OUI " ce mardi')] == ["« Oui »\u00a0ce\n  MARDI"]


def test_score_event_windows_counts_days_near_the_event():
    text = "Attaque lundi, veille dimanche, bilan en juin, rappel du 2 mai."
    a = document("a.txt", text)
    analysis = Analysis("a.txt", times=(
        time("a.txt", text, "lundi", dt.date(2023, 7, 17)),
        time("a.txt", text, "dimanche", dt.date(2023, 7, 16)),
        time("a.txt", text, "en juin", DateRange(dt.date(2023, 6, 1), dt.date(2023, 6, 30))),
        time("a.txt", text, "2 mai", dt.date(2023, 5, 2)),
    ))
    labels = [{"file": "a.txt", "event": "D4"}]
    events = {"D4": {"start": "2023-07-17", "end": "2023-07-18"}}
    scores = score_event_windows([a], [analysis], labels, events)
    assert (scores.total, scores.inside) == (3, 2)
    assert scores.outside == ("a.txt: '2 mai' -> 2023-05-02",)


def test_gold_references_are_the_inferred_days():
    assert gold_references(GOLD) == {"b.txt": dt.date(2023, 5, 23)}




@pytest.mark.model
def test_dates_seeds_every_gold_date_right(seeds_dir: Path, seeds_gold: dict, nlp_fr):
    fr = load_language("fr")
    references = gold_references(seeds_gold)
    documents, analyses = [], []
    for name, record in seeds_gold["documents"].items():
        published = PartialDate.from_iso(record["published"]) if record.get("published") else None
        doc_ = document(name, (seeds_dir / "articles" / name).read_text(encoding="utf-8"), published)
        times = find_times(nlp_fr(doc_.text), doc_, DateRules.from_resources(fr), reference=references.get(name))
        documents.append(doc_)
        analyses.append(Analysis(doc_.id, times=tuple(times)))
    scores = score_dates(documents, analyses, seeds_gold)
    print("\n".join(scores.lines()))
    assert scores.total == 8
    assert scores.right == scores.total, "\n".join(scores.lines())


# Measured 2026-11-25: 60 of 64 day-precise times inside their event's dates, give
# or take a day; the 4 outside recall earlier days ("le 24 juin" in August).
DEV_WINDOW_FLOOR = floor("evaluate/test_dates", "dev.window_share")
DEV_WINDOW_MIN_TOTAL = floor("evaluate/test_dates", "dev.window_total")


@pytest.mark.model
def test_dates_dev_days_fall_within_their_events(dev_dir: Path, dev_labels: list[dict], nlp_fr):
    events = json.loads((dev_dir / "events.json").read_text(encoding="utf-8"))
    languages = {code: load_language(code) for code in {label["language"] for label in dev_labels}}
    pipelines = {code: nlp_fr if code == "fr" else load_pipeline(resources) for code, resources in languages.items()}
    rules = {code: DateRules.from_resources(resources) for code, resources in languages.items()}
    documents, analyses = [], []
    for label in dev_labels:
        published = PartialDate.from_iso(label["published"]) if label["published"] else None
        doc_ = document(label["file"], (dev_dir / "articles" / label["file"]).read_text(encoding="utf-8"), published)
        code = label["language"]
        documents.append(doc_)
        analyses.append(Analysis(doc_.id, times=tuple(find_times(pipelines[code](doc_.text), doc_, rules[code]))))
    scores = score_event_windows(documents, analyses, dev_labels, events)
    print("\n".join(scores.lines()))
    assert scores.total >= DEV_WINDOW_MIN_TOTAL
    assert scores.share >= DEV_WINDOW_FLOOR, "\n".join(scores.lines())
