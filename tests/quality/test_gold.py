"""Quality gate: `recoupe eval` on the gold corpora, through the whole pipeline, against pinned floors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from recoupe.evaluate.protocol import Protocol, evaluate_across
from recoupe.evaluate.run import Evaluation, evaluate_corpus

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text(encoding="utf-8"))

# Each gated figure: how to read it off an Evaluation. "_max" figures are ceilings.
FIGURES: dict[str, Callable[[Evaluation], float]] = {
    "cleaning.noise_removed": lambda e: e.get("cleaning").noise_removed,
    "cleaning.keep_kept": lambda e: e.get("cleaning").keep_kept,
    "cleaning.liveblog_entries_found": lambda e: e.get("cleaning").liveblog_entries_found,
    "cleaning.published_right": lambda e: e.get("cleaning").published_right,
    "places.within_15km": lambda e: e.get("entities and places").places_within_15km,
    "entities.alias_groups_linked": lambda e: e.get("entities and places").alias_groups_linked,
    "entities.aliases_found": lambda e: e.get("entities and places").aliases_found,
    "entities.gold_groups_merged_max": lambda e: e.get("entities and places").gold_groups_merged,
    "entities.ner_failures_left_max": lambda e: e.get("entities and places").ner_failures_left,
    "dates.right": lambda e: e.get("dates").right,
    "claims.found_with_right_speaker": lambda e: e.get("claims").found_with_right_speaker,
    "claims.matched_output_claims": lambda e: e.get("claims").matched_output_claims,
    "claims.hedged_right": lambda e: e.get("claims").hedged_right,
    "claims.polarity_right": lambda e: e.get("claims").polarity_right,
    "claims.contradictions_found": lambda e: e.get("claims").contradictions_found,
    "events.f1": lambda e: e.get("events").f1,
    "events.checks_failed_max": lambda e: sum(not c.passed for c in e.get("events").checks),
    "copies.found": lambda e: len(e.get("copies").found),
    "copies.reversed_max": lambda e: len(e.get("copies").reversed),
    "reading.events_without_claims_max": lambda e: e.get("to read").events_without_claims,
    "copies.false_max": lambda e: len(e.get("copies").false),
    "hedges.precision": lambda e: e.get("hedges (labelled claims)").precision,
    "hedges.recall": lambda e: e.get("hedges (labelled claims)").recall,
    "claims_en.found_with_right_speaker": lambda e: e.get("claims (en labels)").found_with_right_speaker,
    "claims_en.hedged_right": lambda e: e.get("claims (en labels)").hedged_right,
    "contradictions.precision": lambda e: e.get("contradictions").precision,
    "contradictions.disputes_found": lambda e: e.get("contradictions").disputes_found,
    "contradictions.updates_called_max": lambda e: e.get("contradictions").updates_called,
    "contradictions.lookalikes_called_max": lambda e: e.get("contradictions").lookalikes_called,
}
# Our own adversarial contradiction set (short articles with planted contradictions and look-alikes).
ADVERSARIAL = Path(__file__).parent / "contradictions"
CORPORA = ("seeds", "dev", "adversarial")


@pytest.fixture(scope="module")
def evaluations(tools, seeds_dir: Path, dev_dir: Path) -> dict[str, Evaluation]:
    from recoupe.settings import Settings

    paths = (("seeds", seeds_dir), ("dev", dev_dir), ("adversarial", ADVERSARIAL))
    return {name: evaluate_corpus(path, tools=tools, settings=Settings()) for name, path in paths}


def test_gold_every_floor_names_a_known_figure():
    for corpus in CORPORA:
        assert set(FLOORS[corpus]) <= set(FIGURES), corpus


@pytest.mark.model
@pytest.mark.parametrize(("corpus", "figure"), [(c, f) for c in CORPORA for f in FLOORS[c]])
def test_gold_figure_is_not_below_its_floor(evaluations, corpus, figure):
    value = FIGURES[figure](evaluations[corpus])
    floor = FLOORS[corpus][figure]
    detail = "\n".join(evaluations[corpus].lines())
    if figure.endswith("_max"):
        assert value <= floor + FLOORS["epsilon"], f"{corpus} {figure} = {value} > {floor}\n{detail}"
    else:
        assert value >= floor - FLOORS["epsilon"], f"{corpus} {figure} = {value} < {floor}\n{detail}"


# English claims of dev2, labelled in src/recoupe/evaluate/claim_labels/dev2.json; no rule was
# fitted on them (the English rules were tuned on dev's labelled claims).
CLAIMS_EN: dict[str, Callable] = {
    "claims_en.gold_claims": lambda s: s.gold_claims,
    "claims_en.found_with_right_speaker": lambda s: s.found_with_right_speaker,
    "claims_en.hedged_right": lambda s: s.hedged_right,
    "claims_en.polarity_right": lambda s: s.polarity_right,
}


@pytest.mark.model
def test_gold_dev2_english_claims_are_not_below_their_floors(tools, dev2_dir: Path):
    from recoupe.evaluate.run import evaluate_claim_labels
    from recoupe.settings import Settings

    scores = evaluate_claim_labels(dev2_dir, tools=tools, settings=Settings())
    assert set(FLOORS["dev2"]) == set(CLAIMS_EN)
    low = {name: read(scores) for name, read in CLAIMS_EN.items() if read(scores) < FLOORS["dev2"][name] - FLOORS["epsilon"]}
    assert not low, f"{low} under {FLOORS['dev2']}\n" + "\n".join(scores.lines())


# Cross-corpus figures: each corpus scored with the event model fitted on the other.
ACROSS: dict[str, Callable[[Protocol, str], float]] = {
    "events.text.f1": lambda p, c: p.row(c, "text alone").f1,
    "events.crawl.f1": lambda p, c: p.row(c, "with URL and outlet").f1,
    "events.arrival.f1": lambda p, c: min(p.row(c, r).f1 for r in ("1 at a time", "batches of 10")),
    "events.arrival_drift_max": lambda p, c: max(p.row(c, r).drift for r in ("1 at a time", "batches of 10")),
    "events.look_alikes_merged_max": lambda p, c: max(r.merged_look_alikes for r in p.rows if r.corpus == c),
}


@pytest.fixture(scope="module")
def across(tools, dev_dir: Path, dev2_dir: Path) -> Protocol:
    from recoupe.settings import Settings

    return evaluate_across([dev_dir, dev2_dir], tools=tools, settings=Settings())


def test_gold_every_cross_corpus_floor_names_a_known_figure():
    for corpus, floors in FLOORS["across"].items():
        assert set(floors) <= set(ACROSS), corpus


@pytest.mark.model
@pytest.mark.parametrize(("corpus", "figure"), [(c, f) for c in FLOORS["across"] for f in FLOORS["across"][c]])
def test_gold_cross_corpus_figure_is_not_below_its_floor(across, corpus, figure):
    value = ACROSS[figure](across, corpus)
    floor = FLOORS["across"][corpus][figure]
    detail = "\n".join(across.lines())
    if figure.endswith("_max"):
        assert value <= floor + FLOORS["epsilon"], f"{corpus} {figure} = {value} > {floor}\n{detail}"
    else:
        assert value >= floor - FLOORS["epsilon"], f"{corpus} {figure} = {value} < {floor}\n{detail}"
