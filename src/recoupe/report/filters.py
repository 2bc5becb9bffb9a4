"""Filters of the events list (web UI and API): dates, place, actor, source, accent-insensitive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from recoupe.folding import fold
from recoupe.report.views import CorpusIndex, EventRow, event_claims


@dataclass(frozen=True, slots=True)
class EventFilters:
    """The events list's filters; empty strings and None mean "any"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    place: str = ""
    actor: str = ""
    source: str = ""
    text: str = ""  # words of the title, type, places or actors

    @property
    def active(self) -> bool:
        return bool(self.date_from or self.date_to or self.place or self.actor or self.source or self.text)


def filter_rows(ix: CorpusIndex, rows: list[EventRow], filters: EventFilters) -> list[EventRow]:
    """Keep events overlapping the dates whose places, actors and sources match (accent-insensitive)."""
    return [row for row in rows if _matches(ix, row, filters)]


def _matches(ix: CorpusIndex, row: EventRow, filters: EventFilters) -> bool:
    event = row.event
    start, end = event.start, event.end or event.start
    if filters.date_from and (end is None or end < filters.date_from):
        return False
    if filters.date_to and (start is None or start > filters.date_to):
        return False
    if filters.place:
        # As shown, as GeoNames names it, as the text wrote it: "Koursk", "Kursk", "régions de Koursk".
        names = [*row.place_names, *(name for p in event.places for name in (p.name, p.mention, p.admin1 or ""))]
        if not _any_contains(names, filters.place):
            return False
    if filters.actor:
        speakers = [c.speaker.name for c in event_claims(ix, event.id) if c.speaker]
        if not _any_contains([*row.actor_names, *speakers], filters.actor):
            return False
    if filters.text:
        words = [event.title, event.type, event.subtype, *row.place_names, *(n for p in event.places for n in (p.name, p.mention, p.admin1 or ""))]
        if not _any_contains([*words, *row.actor_names], filters.text):
            return False
    if filters.source:
        sources = []
        for link in ix.links_by_event.get(event.id, []):
            document = ix.documents.get(link.document_id)
            if document:
                sources += [document.outlet or "", document.source, document.url or "", document.title or ""]
        if not _any_contains(sources, filters.source):
            return False
    return True


def _any_contains(values: list[str], needle: str) -> bool:
    wanted = fold(needle).strip()
    return any(wanted in fold(value) for value in values if value)
