"""How pages name things: documents by title, never by file path; places as the documents spell them.

Shared by the static report, the web UI and its filters; pure functions of model values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from urllib.parse import urlsplit

from recoupe.model import Document, Place, PlaceKind


# A headline-length stand-in for a document without a title; titles in the seeds run 60-120 characters.
UNTITLED_CHARS = 90
# Source columns of tables name a document in about one line of a 1280px page's column.
LABEL_CHARS = 60


def document_title(document: Document) -> str:
    """Its title; else the opening of its first segment (a feed item, a bare text file); else its file name."""
    if document.title and document.title.strip():
        return document.title.strip()
    for segment in document.segments:
        line = document.segment_text(segment).strip().split("\n", 1)[0].strip()
        if line:
            return shorten(line, UNTITLED_CHARS)
    return PurePath(document.source.split("#", 1)[0]).name or document.source


def document_label(document: Document) -> str:
    """How tables name a source: the outlet, else a shortened title; never a file path when there is text."""
    if document.outlet and document.outlet.strip():
        return document.outlet.strip()
    return shorten(document_title(document), LABEL_CHARS)


def document_origin(document: Document) -> str:
    """Where a document came from, briefly: a URL's host, a file's name."""
    source = document.source.split("#", 1)[0]
    if "://" in source:
        return urlsplit(source).netloc or source
    return PurePath(source).name or source


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–—«\"'(") + "…"


def place_labels(places: Iterable[Place], country_names: Mapping[str, str] | None = None) -> dict[str, str]:
    """GeoNames name -> the name to show: the country's name in the page's language,
    else the spelling the documents use most ("Koursk", not "Kursk").

    Only mentions that are a bare name count ("régions de Koursk" does not): every
    word capitalised, so no language's list of area words is needed."""
    spellings: dict[str, Counter] = {}
    countries: dict[str, str] = {}
    for place in places:
        counter = spellings.setdefault(place.name, Counter())
        if _is_bare_name(place.mention):
            counter[place.mention.strip()] += 1
        if place.kind == PlaceKind.COUNTRY and place.country and country_names and place.country in country_names:
            countries[place.name] = country_names[place.country]
    return {
        name: countries.get(name) or (counter.most_common(1)[0][0] if counter else name)
        for name, counter in spellings.items()
    }


def _is_bare_name(mention: str) -> bool:
    words = [w for w in re.split(r"[\s\-\u2010\u2011]+", mention.strip()) if w]
    return bool(words) and all(w[0].isupper() for w in words)

