"""Recoupe: cross-check the news.

The public API; the CLI and the web app use nothing else. Names are imported
lazily so that `import recoupe.model` stays light (no spaCy at import time).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Settings": "recoupe.settings",
    "export_text": "recoupe.api",
    "load_language": "recoupe.lang",
    "load_tools": "recoupe.api",
    "open_store": "recoupe.api",
    "run": "recoupe.pipeline",
    "write_outputs": "recoupe.api",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'recoupe' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
