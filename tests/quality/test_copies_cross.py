"""Quality gate for copies across corpora: fitted on one corpus, scored on the other (floors in floors.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CORPUS
from recoupe.evaluate.copy_fit import cross_corpus, read_labelled_corpus
from recoupe.settings import Settings

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text(encoding="utf-8"))
DIRECTIONS = [("dev", "dev2"), ("dev2", "dev")]


@pytest.fixture(scope="module")
def corpora():
    if not all((CORPUS / name / "labels.json").exists() for name in ("dev", "dev2")):
        pytest.skip("../shared/corpus/dev and dev2 are not available")
    return {name: read_labelled_corpus(CORPUS / name, Settings()) for name in ("dev", "dev2")}


@pytest.fixture(scope="module")
def scores(corpora):
    return {(a, b): cross_corpus(corpora[a], corpora[b], Settings()) for a, b in DIRECTIONS}


def test_copies_cross_floors_name_every_direction():
    assert set(FLOORS["copies_cross"]) == {f"{a}->{b}" for a, b in DIRECTIONS}


@pytest.mark.parametrize(("fit", "score"), DIRECTIONS)
@pytest.mark.parametrize("figure", ["precision", "recall", "direction"])
def test_copies_cross_figure_is_not_below_its_floor(scores, fit, score, figure):
    measured = scores[(fit, score)]
    floor = FLOORS["copies_cross"][f"{fit}->{score}"][figure]
    assert getattr(measured, figure) >= floor - FLOORS["epsilon"], "\n".join(measured.lines())
