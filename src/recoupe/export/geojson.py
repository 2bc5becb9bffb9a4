"""GeoJSON export: where the corpus' events happened, and the places of documents outside any event."""

from __future__ import annotations

from typing import Any

from recoupe.model import Analysis, Corpus, Document, Event, Place, Span

PlaceKey = tuple[Any, ...]


def place_key(place: Place) -> PlaceKey:
    """Two places are one point when GeoNames says so, else when name and coordinates agree."""
    if place.geonameid is not None:
        return ("geonames", place.geonameid)
    return ("point", place.name, round(place.lat, 4), round(place.lon, 4))


def export_geojson(corpus: Corpus) -> dict[str, Any]:
    """A FeatureCollection of Points ([lon, lat]): one per (event, place), then one per
    (document, place) for documents linked to no event.

    Properties: event (id or null), title, type, date (ISO start or publication
    date), end, place (GeoNames name), kind, country, geonameid, mentions (how
    many spans name the place), sources (ids of the documents naming it)."""
    analyses = {a.document_id: a for a in corpus.analyses}
    linked: dict[str, list[str]] = {}
    for link in corpus.results.event_links:
        linked.setdefault(link.event_id, []).append(link.document_id)
    features = []
    for event in corpus.results.events:
        places = list(event.places)
        for document_id in dict.fromkeys(linked.get(event.id, [])):
            places.extend(analyses.get(document_id, Analysis(document_id)).places)
        features.extend(_event_features(event, places))
    in_events = {link.document_id for link in corpus.results.event_links}
    for document in corpus.documents:
        if document.id not in in_events and document.id in analyses:
            features.extend(_document_features(document, analyses[document.id].places))
    return {"type": "FeatureCollection", "features": features}


def _group(places: list[Place]) -> dict[PlaceKey, tuple[Place, set[Span]]]:
    """Places by key, with the distinct spans naming each (an event's place repeats a document's)."""
    groups: dict[PlaceKey, tuple[Place, set[Span]]] = {}
    for place in places:
        _, spans = groups.setdefault(place_key(place), (place, set()))
        spans.add(place.span)
    return groups


def _feature(feature_id: str, place: Place, spans: set[Span], properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
        "properties": properties | {
            "place": place.name,
            "kind": place.kind.value,
            "country": place.country,
            "admin1": place.admin1,
            "admin2": place.admin2,
            "geonameid": place.geonameid,
            "mentions": len(spans),
            "sources": sorted({span.document_id for span in spans}),
        },
    }


def _event_features(event: Event, places: list[Place]) -> list[dict[str, Any]]:
    properties = {
        "event": event.id,
        "title": event.title,
        "type": event.type,
        "date": event.start.isoformat() if event.start else None,
        "end": event.end.isoformat() if event.end else None,
    }
    return [
        _feature(f"{event.id}/{place.geonameid or place.name}", place, spans, properties)
        for place, spans in _group(places).values()
    ]


def _document_features(document: Document, places: tuple[Place, ...]) -> list[dict[str, Any]]:
    properties = {
        "event": None,
        "title": document.title,
        "type": "",
        "date": document.published.iso() if document.published else None,
        "end": None,
    }
    return [
        _feature(f"{document.id}/{place.geonameid or place.name}", place, spans, properties)
        for place, spans in _group(list(places)).values()
    ]
