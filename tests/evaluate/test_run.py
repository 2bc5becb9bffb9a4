from __future__ import annotations

import json
from pathlib import Path

import pytest

from recoupe.errors import GoldError
from recoupe.evaluate.run import CLAIM_LABELS, claim_labels


def test_run_claim_labels_cover_dev_and_dev2_in_english():
    for name in ("dev", "dev2"):
        labels = json.loads((CLAIM_LABELS / f"{name}.json").read_text(encoding="utf-8"))
        assert labels["corpus"] == name and labels["language"] == "en"
        required = {"doc", "speaker", "anchor", "hedged", "polarity"}
        for claim in labels["claims"]:
            assert required <= set(claim) <= required | {"batch", "note"}, claim
            assert claim["speaker"] and len(claim["anchor"].split()) <= 12, claim  # a short anchor, not the text
        assert len(labels["claims"]) >= 50, name  # issue 11: at least 50 labelled claims in each corpus


def test_run_claim_labels_only_for_a_corpus_that_has_them(tmp_path: Path):
    other = tmp_path / "seeds"
    (other / "articles").mkdir(parents=True)
    assert claim_labels(other) is None


def test_run_claim_labels_name_the_files_a_corpus_lacks(tmp_path: Path):
    folder = tmp_path / "dev2"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "008.txt").write_text("x", encoding="utf-8")
    with pytest.raises(GoldError, match=r"dev2.json: labels files \['002.txt'"):
        claim_labels(folder)


@pytest.mark.model
def test_run_claim_labels_match_their_corpus(dev2_dir: Path):
    from recoupe.evaluate import normalise

    labels = claim_labels(dev2_dir)
    for claim in labels["claims"]:
        text = (dev2_dir / "articles" / claim["doc"]).read_text(encoding="utf-8")
        assert normalise(claim["anchor"]) in normalise(text), claim
