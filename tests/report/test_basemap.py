"""The offline basemap: decoded outlines, a projection fitted to the places, markers in the frame."""

from __future__ import annotations

from dataclasses import replace

import pytest

from recoupe.model import Place, PlaceKind, Span
from recoupe.report.basemap import draw_map, load_basemap


@pytest.fixture(scope="module")
def basemap():
    return load_basemap()


def _place(name: str, lat: float, lon: float, kind: PlaceKind = PlaceKind.LOCALITY) -> Place:
    return Place(Span("d", 0, len(name)), name, name, lat, lon, kind)


def test_basemap_decodes_every_country_with_plausible_bounds(basemap):
    by_name = {c.name: c for c in basemap.countries}
    assert len(basemap.countries) > 200
    lon0, lat0, lon1, lat1 = by_name["France"].bbox  # with overseas departments: wide
    assert lon0 < -50 and lon1 > 50 and lat0 < -20 and lat1 > 50
    lon0, lat0, lon1, lat1 = by_name["Ukraine"].bbox
    assert 21 < lon0 < 23 and 40 < lon1 < 41 and 44 < lat0 < 45.5 and 52 < lat1 < 53


def test_map_draws_nothing_without_places(basemap):
    assert draw_map(basemap, ()) is None


def test_map_fits_places_and_keeps_markers_inside_the_frame(basemap):
    places = (_place("Soumy", 50.91, 34.80), _place("Kharkiv", 49.99, 36.23), _place("Koursk", 51.74, 36.19))
    view = draw_map(basemap, places, width=600, height=400)
    assert {"Ukraine", "Russia"} <= {c.name for c in view.countries}
    assert "France" not in {c.name for c in view.countries}
    for marker in view.markers:
        assert 0 < marker.x < 600 and 0 < marker.y < 400
    kharkiv = next(m for m in view.markers if m.label == "Kharkiv")
    koursk = next(m for m in view.markers if m.label == "Koursk")
    assert kharkiv.y > koursk.y  # north is up


def test_map_merges_mentions_of_one_point_into_one_marker(basemap):
    view = draw_map(basemap, (_place("Soumy", 50.91, 34.80), _place("Soumy", 50.91, 34.80)))
    assert len(view.markers) == 1 and len(view.markers[0].places) == 2


def test_map_of_a_country_shows_its_neighbours(basemap):
    view = draw_map(basemap, (_place("Ukraine", 49.0, 32.0, PlaceKind.COUNTRY),), width=640, height=400)
    lon0, _, lon1, _ = view.bounds
    assert lon1 - lon0 >= 14
    assert {"Poland", "Belarus", "Moldova"} <= {c.name for c in view.countries}


def test_map_highlights_and_names_the_countries_holding_the_places(basemap):
    view = draw_map(basemap, (_place("Soumy", 50.91, 34.80),), country_names={"UA": "Ukraine", "RU": "Russie"})
    assert [c.name for c in view.countries if c.focus] == ["Ukraine"]
    assert "Russie" in {label.text for label in view.labels}


def test_map_labels_do_not_overlap(basemap):
    places = tuple(_place(f"Village {i}", 50.0 + i * 0.01, 35.0 + i * 0.01) for i in range(4))
    view = draw_map(basemap, places)
    lines = [round(m.label_y) for m in view.markers]
    assert len(set(lines)) == len(lines)


def test_map_of_places_across_the_world_stays_on_the_globe(basemap):
    places = (_place("Washington", 38.9, -77.0), _place("Beijing", 39.9, 116.4), _place("Sydney", -33.9, 151.2))
    view = draw_map(basemap, places)
    _, lat0, _, lat1 = view.bounds
    assert -85.0 <= lat0 and lat1 <= 85.0
    assert len(view.markers) == 3 and all(0 <= m.y <= view.height for m in view.markers)


def _in(name: str, lat: float, lon: float, kind: PlaceKind, country: str) -> Place:
    return Place(Span("d", 0, len(name)), name, name, lat, lon, kind, country=country)


def test_map_draws_a_country_as_its_name_in_the_middle_of_its_land(basemap):
    # GeoNames gives Ukraine its capital's point; a dot there would read as "a town called Ukraine".
    places = (_in("Ukraine", 50.45, 30.52, PlaceKind.COUNTRY, "UA"), _in("Soumy", 50.91, 34.80, PlaceKind.LOCALITY, "UA"))
    view = draw_map(basemap, places, width=600, height=400, country_names={"UA": "Ukraine", "RU": "Russie"})
    country = next(m for m in view.markers if m.kind == PlaceKind.COUNTRY)
    as_town = draw_map(basemap, (replace(places[0], kind=PlaceKind.LOCALITY), places[1]), width=600, height=400)
    capital = next(m for m in as_town.markers if m.label == "Ukraine")
    assert country.label_anchor == "middle"
    assert abs(country.x - capital.x) + abs(country.y - capital.y) > 20  # moved off Kiev
    assert "Ukraine" not in {label.text for label in view.labels}  # its basemap label would repeat it
    assert "Russie" in {label.text for label in view.labels}


def test_map_draws_a_town_over_the_region_and_country_sharing_its_point(basemap):
    places = (
        _in("Kursk", 51.73, 36.19, PlaceKind.REGION, "RU"),
        _in("Kursk", 51.73, 36.19, PlaceKind.LOCALITY, "RU"),
        _in("Russia", 51.73, 36.19, PlaceKind.COUNTRY, "RU"),
        _in("Sumy", 50.91, 34.80, PlaceKind.REGION, "UA"),
    )
    view = draw_map(basemap, places, place_labels={"Kursk": "Koursk", "Sumy": "Soumy"})
    kinds = {m.label: m.kind for m in view.markers}
    assert kinds == {"Koursk": PlaceKind.LOCALITY, "Soumy": PlaceKind.REGION}


def test_map_draws_no_band_across_the_map_for_islands_on_the_antimeridian(basemap):
    # Moscow to Shanghai takes in the Arctic: Wrangel Island straddles 180°.
    places = (_place("Moscou", 55.75, 37.62), _place("Shanghai", 31.22, 121.46))
    view = draw_map(basemap, places, width=640, height=400)
    russia = next(c for c in view.countries if c.name == "Russia")
    for ring in russia.path.split("M")[1:]:
        xs = [float(point.split(",")[0]) for point in ring.rstrip("Z").split("L")]
        ys = [float(point.split(",")[1]) for point in ring.rstrip("Z").split("L")]
        assert not (max(xs) - min(xs) > 600 and max(ys) - min(ys) < 80), "a thin band spanning the map"
