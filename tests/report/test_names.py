"""How pages name documents and places: never a file path, the documents' own spellings."""

from __future__ import annotations

import pytest

from recoupe.model import Document, Place, PlaceKind, Segment, SegmentKind, SourceFormat, Span
from recoupe.report.names import document_label, document_origin, document_title, place_labels, shorten


def _doc(doc_id: str, text: str, **fields) -> Document:
    return Document(doc_id, doc_id, fields.pop("source", f"../corpus/{doc_id}.txt"), text, SourceFormat.TEXT,
                    fields.pop("segments", (Segment(0, len(text), SegmentKind.BODY),)), **fields)


def _mentioned(mention: str, name: str, kind: PlaceKind = PlaceKind.LOCALITY, country: str = "RU") -> Place:
    return Place(Span("d", 0, len(mention)), mention, name, 51.7, 36.2, kind, country=country)


def test_names_places_as_the_documents_spell_them():
    places = (
        _mentioned("régions de Koursk", "Kursk", PlaceKind.REGION),  # not a bare name
        _mentioned("Koursk", "Kursk"),
        _mentioned("Koursk", "Kursk"),
        _mentioned("Kursk", "Kursk"),
        _mentioned("Saint-Pétersbourg", "Saint Petersburg"),
        _mentioned("district de Grayvoron", "Grayvoron"),  # no bare spelling: GeoNames' name
        _mentioned("Russie", "Russia", PlaceKind.COUNTRY),
    )
    labels = place_labels(places, {"RU": "Russie (CLDR)"})
    assert labels == {
        "Kursk": "Koursk",
        "Saint Petersburg": "Saint-Pétersbourg",
        "Grayvoron": "Grayvoron",
        "Russia": "Russie (CLDR)",
    }


@pytest.mark.parametrize(
    ("fields", "title", "label"),
    [
        ({"title": "Soumy frappée", "outlet": "Radio Est"}, "Soumy frappée", "Radio Est"),
        ({"title": "Soumy frappée"}, "Soumy frappée", "Soumy frappée"),
        # Untitled: the opening line, never the file path.
        ({}, "La Russie a affirmé mardi avoir écrasé le groupe", "La Russie a affirmé mardi avoir écrasé le groupe"),
        ({"segments": ()}, "blog.txt", "blog.txt"),
    ],
)
def test_names_documents_without_their_file_path(fields, title, label):
    document = _doc("blog", "La Russie a affirmé mardi avoir écrasé le groupe\nSuite.", **fields)
    assert (document_title(document), document_label(document)) == (title, label)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Courte phrase", 60, "Courte phrase"),
        ("Les milices anti-Poutine effectuent des incursions depuis l'Ukraine", 40, "Les milices anti-Poutine effectuent…"),
        ("Anticonstitutionnellement", 10, "Anticonst…"),
    ],
)
def test_names_shorten_cuts_at_a_word(text, limit, expected):
    assert shorten(text, limit) == expected and len(shorten(text, limit)) <= limit


@pytest.mark.parametrize(
    ("source", "expected"),
    [("../shared/corpus/seeds/articles/004_43b6.txt", "004_43b6.txt"), ("https://www.example.org/a/b.html", "www.example.org"), ("feed.xml#3", "feed.xml")],
)
def test_names_origin_is_a_host_or_a_file_name(source, expected):
    assert document_origin(_doc("d", "Texte.", source=source)) == expected
