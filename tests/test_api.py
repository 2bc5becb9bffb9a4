from __future__ import annotations

import recoupe


def test_api_public_names_are_pinned():
    assert recoupe.__all__ == ["Settings", "export_text", "load_language", "load_tools", "open_store", "run", "write_outputs"]


def test_api_every_public_name_resolves():
    for name in recoupe.__all__:
        assert callable(getattr(recoupe, name)), name
