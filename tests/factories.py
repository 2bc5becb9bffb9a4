"""Small hand-built model values shared by the tests."""

from __future__ import annotations

from recoupe.model import Document, PartialDate, Segment, SegmentKind, SourceFormat


def body_document(text: str, published: PartialDate | None = PartialDate(2024, 3, 12), id: str = "d") -> Document:
    """A document whose whole text is one BODY segment, as cleaning gives a plain article."""
    return Document(
        id=id, content_hash=id, source=f"{id}.txt", text=text, format=SourceFormat.TEXT,
        segments=(Segment(0, len(text), SegmentKind.BODY),), published=published,
    )
