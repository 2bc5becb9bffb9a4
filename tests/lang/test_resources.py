from __future__ import annotations

import pytest

from recoupe.errors import UnsupportedLanguageError
from recoupe.lang import LANG_DIR, load_language, supported_languages


def test_resources_every_language_has_the_same_files():
    files = {code: sorted(p.name for p in (LANG_DIR / code).iterdir()) for code in supported_languages()}
    reference = files["fr"]
    for code, names in files.items():
        assert names == reference, f"lang/{code} differs from lang/fr"


@pytest.mark.parametrize("code", ["fr", "en"])
def test_resources_load_every_file(code):
    resources = load_language(code)
    assert resources.code == code
    assert "name" in resources.meta


def test_resources_unknown_language_lists_supported():
    with pytest.raises(UnsupportedLanguageError, match=r"supported: \['en', 'fr'\]"):
        load_language("xx")
