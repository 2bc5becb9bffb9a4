from __future__ import annotations

import dataclasses

import pytest

from recoupe.errors import ConfigError
from recoupe.settings import CONSTRAINTS, Settings, flatten, validate


def test_settings_defaults_are_valid():
    assert validate(Settings()) == Settings()


@pytest.mark.parametrize("dotted", sorted(CONSTRAINTS))
def test_settings_out_of_range_names_parameter_and_range(dotted):
    block, name = dotted.split(".")
    low, high = CONSTRAINTS[dotted]
    bad_block = dataclasses.replace(getattr(Settings(), block), **{name: high + 1})
    settings = dataclasses.replace(Settings(), **{block: bad_block})
    with pytest.raises(ConfigError, match=rf"{dotted} must be in \[{low}, {high}\]"):
        validate(settings)


def test_settings_constraints_name_real_parameters():
    assert set(CONSTRAINTS) <= set(flatten(Settings()))


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().language = "en"  # type: ignore[misc]
