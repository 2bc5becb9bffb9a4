"""Quality floors, read from floors.json: the one place they are pinned (tests import them from here)."""

from __future__ import annotations

import json
from pathlib import Path

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text(encoding="utf-8"))


def floor(test_module: str, figure: str) -> float:
    """The floor of a figure a test module checks, e.g. floor("evaluate/test_dates", "dev.window_share")."""
    return FLOORS["tests"][test_module][figure]
