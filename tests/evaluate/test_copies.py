"""Copy scores: the counting rules on hand-made links, then the quality gate on dev."""

from __future__ import annotations

from pathlib import Path

import pytest

from recoupe.clean import NoiseRules, build_language_detector, clean, detect_language
from recoupe.copies import CopyDetector, shared_dispatches, wire_agencies
from recoupe.evaluate.copies import score_copies
from recoupe.ingest import iter_sources, read_source, with_url
from recoupe.lang import load_language, supported_languages
from recoupe.model import CopyKind, CopyLink, Document, Segment, SegmentKind, SourceFormat
from recoupe.settings import Settings

LABELS = [
    {"file": "a.txt", "copy_of": None},
    {"file": "b.txt", "copy_of": "a.txt"},
    {"file": "c.txt", "copy_of": "a.txt"},
    {"file": "d.txt", "copy_of": "e.txt"},
    {"file": "e.txt", "copy_of": None},
    {"file": "f.txt", "copy_of": None},
]
# Measured on dev with the default settings (one batch): 12/12 pairs, no false
# copy, direction 12/12 in file order. Orientation rules decide 9 pairs; arrival
# decides 017/002, 043/006 and 049/042, so in reverse order 3 flip (0.75).
DEV_FLOORS = {"found": 12, "false": 0, "direction": 0.99, "reverse_direction": 0.74}
ISSUE_2_PAIRS = {("013.txt", "024.txt"), ("017.txt", "002.txt"), ("049.txt", "042.txt"), ("050.txt", "053.txt")}


def document(name: str) -> Document:
    return Document(id=name[0], content_hash=name[0], source=f"/any/dir/{name}", text="x", format=SourceFormat.TEXT, segments=(Segment(0, 1, SegmentKind.BODY),))


def link(copy: str, original: str) -> CopyLink:
    return CopyLink(copy, original, CopyKind.NEAR, 0.9)


def test_score_copies_counts_found_reversed_false_and_siblings():
    documents = [document(f"{n}.txt") for n in "abcdef"]
    links = [link("b", "a"), link("e", "d"), link("c", "b"), link("f", "a")]
    scores = score_copies(documents, links, LABELS)
    assert scores.found == (("b.txt", "a.txt"), ("d.txt", "e.txt"))
    assert scores.reversed == (("d.txt", "e.txt"),)
    assert scores.siblings == (("c.txt", "b.txt"),)
    assert scores.false == (("f.txt", "a.txt"),)
    assert scores.missed == (("c.txt", "a.txt"),)
    assert (scores.precision, scores.recall, scores.direction) == (2 / 3, 2 / 3, 0.5)


def test_score_copies_no_links_is_full_precision_and_zero_recall():
    scores = score_copies([document("a.txt")], [], LABELS)
    assert (scores.precision, scores.recall) == (1.0, 0.0)
    assert scores.lines()[0].startswith("copies: precision 1.000  recall 0.000")


@pytest.fixture(scope="module")
def dev_documents(dev_dir: Path, dev_labels) -> list[Document]:
    """dev articles through ingest (with the URL a crawl records) and cleaning, in file order."""
    settings = Settings()
    detector = build_language_detector()
    languages = {code: load_language(code) for code in supported_languages()}
    urls = {record["file"]: record["url"] for record in dev_labels if record.get("url")}
    documents = []
    for source in iter_sources([str(dev_dir / "articles")]):
        for raw in read_source(source, settings.ingest):
            if Path(source).name in urls:
                raw = with_url(raw, urls[Path(source).name])
            code = raw.language or detect_language(detector, raw.text[:2000])
            documents.append(clean(raw, NoiseRules.from_resources(languages.get(code or "", languages[settings.language])), detector, settings.clean))
    return documents


@pytest.fixture(scope="module")
def agencies():
    return wire_agencies(load_language(code) for code in supported_languages())


def test_copies_quality_on_dev(dev_documents, dev_labels, agencies):
    links = CopyDetector(Settings().copies, agencies).add(dev_documents)
    scores = score_copies(dev_documents, links, dev_labels)
    print("\n".join(scores.lines()))
    assert ISSUE_2_PAIRS <= set(scores.found)
    assert len(scores.found) >= DEV_FLOORS["found"]
    assert len(scores.false) <= DEV_FLOORS["false"]
    assert scores.direction >= DEV_FLOORS["direction"]


def test_copies_quality_on_dev_in_reverse_order(dev_documents, dev_labels, agencies):
    documents = dev_documents[::-1]
    scores = score_copies(documents, CopyDetector(Settings().copies, agencies).add(documents), dev_labels)
    print("\n".join(scores.lines()))
    assert len(scores.found) >= DEV_FLOORS["found"]
    assert len(scores.false) <= DEV_FLOORS["false"]
    assert scores.direction >= DEV_FLOORS["reverse_direction"]


def test_shared_dispatches_on_dev_group_the_afp_carriers(dev_documents, dev_labels, agencies):
    names = {d.id: Path(d.source).name for d in dev_documents}
    event = {r["file"]: r["event"] for r in dev_labels}
    groups = [{names[i] for i in group} for group in shared_dispatches(dev_documents, Settings().copies, agencies)]
    # labels.json notes: 001, 036 share AFP wording with 002 (of which 017 is a copy);
    # 030 and 047 share AFP wording with 024 (of which 013 is a copy).
    assert any({"001.txt", "002.txt", "017.txt", "036.txt"} <= g for g in groups)
    assert any({"013.txt", "024.txt", "030.txt", "047.txt"} <= g for g in groups)
    assert all(len({event[name] for name in g}) == 1 for g in groups)
