"""Pair evidence and the pair model: one rule per test, on hand-made units."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from recoupe.errors import ConfigError
from recoupe.event_pairs import (
    EVIDENCE,
    PairModel,
    Rarity,
    UnitEvidence,
    day_gap,
    days_apart,
    load_pair_model,
    pair_evidence,
)
from recoupe.model import EventRole
from recoupe.units import DateCertainty, Unit, Window


def unit(name: str, features: dict[str, float], day: str | None = None, mark: tuple[int, int] | None = None, **extra) -> Unit:
    window = None
    certainty = DateCertainty.NONE
    if day is not None:
        window = Window(dt.date.fromisoformat(day), dt.date.fromisoformat(day), exact=True)
        certainty = DateCertainty.STATED
    return Unit(name, EventRole.MAIN, 0, 10, tuple(sorted(features.items())), window, day_mark=mark, certainty=certainty, **extra)


def evidence(a: Unit, b: Unit, df: dict[str, int] | None = None, units: int = 100) -> dict[str, float]:
    rarity = Rarity(df or {}, units, 10)
    return dict(zip(EVIDENCE, pair_evidence(UnitEvidence.of(a, rarity), UnitEvidence.of(b, rarity), rarity)))


def test_pairs_day_gap_compares_a_named_day_with_a_stated_one_year_aside():
    stated = unit("a", {}, day="2023-03-07")
    named = unit("b", {}, mark=(3, 7))
    assert day_gap(stated, named) == 0
    assert day_gap(unit("c", {}, mark=(12, 31)), unit("d", {}, mark=(1, 1))) == 1
    assert day_gap(named, unit("e", {})) is None


def test_pairs_days_apart_is_zero_when_windows_overlap_and_none_without_days():
    a = unit("a", {}, day="2023-05-22")
    assert days_apart(a, unit("b", {}, day="2023-05-25")) == 3
    assert days_apart(a, a) == 0
    assert days_apart(a, unit("c", {})) is None


def test_pairs_a_shared_rare_name_weighs_more_than_a_shared_common_one():
    a = unit("a", {"e:rare": 1.0, "e:common": 1.0, "e:other": 1.0})
    b = unit("b", {"e:rare": 1.0, "e:else": 1.0})
    c = unit("c", {"e:common": 1.0, "e:else": 1.0})
    df = {"e:rare": 1, "e:common": 60, "e:other": 5, "e:else": 5}
    assert evidence(a, b, df)["names_shared"] > evidence(a, c, df)["names_shared"]
    assert evidence(a, b, df)["rarest_name"] > evidence(a, c, df)["rarest_name"]


def test_pairs_place_distance_from_the_closest_places():
    paris, lyon, kyiv = (48.857, 2.352), (45.764, 4.836), (50.45, 30.523)
    near = evidence(unit("a", {}, coordinates=(paris,)), unit("b", {}, coordinates=(kyiv, lyon)))
    far = evidence(unit("a", {}, coordinates=(paris,)), unit("b", {}, coordinates=(kyiv,)))
    assert 0 < near["place_km"] < far["place_km"]
    assert evidence(unit("a", {}), unit("b", {}, coordinates=(paris,)))["places_unknown"] == 1.0


def model(**changes) -> PairModel:
    n = len(EVIDENCE)
    return replace(PairModel((1.0,) + (0.0,) * (n - 1), 0.0, (0.0,) * n, (1.0,) * n, 0.4, fitted_on=("x",), pairs=3), **changes)


def test_pairs_model_probability_follows_its_coefficients():
    m = model()
    low, high = [0.0] * len(EVIDENCE), [0.0] * len(EVIDENCE)
    high[0] = 2.0
    assert m.probability(low) == pytest.approx(0.5)
    assert m.probability(high) > 0.85


def test_pairs_model_round_trips_through_json():
    m = model()
    assert PairModel.from_json(m.to_json()) == m


def test_pairs_model_fitted_for_other_evidence_is_refused_with_the_command_to_refit():
    data = json.loads(model().to_json())
    data["version"] = 0
    with pytest.raises(ConfigError, match="recoupe fit events"):
        PairModel.from_json(json.dumps(data))


@pytest.mark.parametrize("name", ["event_pairs.json", "event_pairs.dev.json", "event_pairs.dev2.json"])
def test_pairs_shipped_models_load_and_say_what_they_were_fitted_on(name):
    m = load_pair_model(name)
    assert m.fitted_on and m.pairs > 0 and 0 < m.threshold < 1
    if name != "event_pairs.json":
        assert m.fitted_on == (name.split(".")[1],)


def test_pairs_no_model_joins_nothing():
    assert load_pair_model("").probability([1.0] * len(EVIDENCE)) < 1e-9
    with pytest.raises(ConfigError):
        load_pair_model("missing.json")


def test_cosine_is_the_full_dot_product_bit_for_bit():
    """Features of one vector only are left out of the sum: the same float as summing every product."""
    import random

    from recoupe.event_pairs import cosine

    rng = random.Random(7)
    names = [f"w:{i}" for i in range(200)]
    for _ in range(2000):
        a = {n: rng.random() for n in rng.sample(names, rng.randint(0, 60))}
        b = {n: rng.random() for n in rng.sample(names, rng.randint(0, 60))}
        short, long_ = (a, b) if len(a) <= len(b) else (b, a)
        full = 0.0
        for name, weight in short.items():
            full += weight * long_.get(name, 0.0)
        assert cosine(a, b) == full and isinstance(cosine(a, b), float)
