"""Score Recoupe's output against gold files (seeds gold.json, dev labels.json)."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‹": '"', "›": '"'})


def normalise(text: str) -> str:
    """The gold matching rule: NFKC, lower-case, straight quotes, guillemets to ", whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()
