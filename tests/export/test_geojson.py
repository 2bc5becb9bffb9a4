from __future__ import annotations

import dataclasses

from recoupe.export import export_geojson
from recoupe.model import Analysis, Place, Span
from recoupe.store.sample import sample_corpus


def _features(geojson: dict) -> dict[tuple, dict]:
    return {(f["properties"]["event"], f["properties"]["place"]): f for f in geojson["features"]}


def test_geojson_is_a_feature_collection_of_points():
    geojson = export_geojson(sample_corpus())
    assert geojson["type"] == "FeatureCollection"
    assert {f["geometry"]["type"] for f in geojson["features"]} == {"Point"}
    assert set(_features(geojson)) == {("evt-1", "Tyotkino"), ("evt-1", "Belgorod Oblast"), (None, "Paris")}


def test_geojson_event_point_counts_mentions_across_documents():
    feature = _features(export_geojson(sample_corpus()))["evt-1", "Tyotkino"]
    assert feature["geometry"]["coordinates"] == [34.53, 51.27]  # [lon, lat]
    properties = feature["properties"]
    assert properties["mentions"] == 2  # "Tiotkino" in doc-a, "Tëtkino" in doc-c: one GeoNames place
    assert properties["sources"] == ["doc-a", "doc-c"]
    assert properties["title"].startswith("Drones abattus") and properties["date"] == "2026-03-03"
    assert properties["type"] == "Explosions/Remote violence"


def test_geojson_places_of_documents_without_event():
    feature = _features(export_geojson(sample_corpus()))[None, "Paris"]
    assert feature["properties"]["sources"] == ["doc-d"]
    assert feature["properties"]["title"] == "EN DIRECT. Les dernières informations"


def test_geojson_groups_places_without_geonameid_by_name_and_point():
    corpus = sample_corpus()
    d = corpus.documents[3]
    places = (
        Place(Span(d.id, 0, 2), "EN", "Lieu-dit", 45.0, 3.0),
        Place(Span(d.id, 3, 9), "DIRECT", "Lieu-dit", 45.00001, 3.0),
        Place(Span(d.id, 11, 14), "Les", "Lieu-dit", 46.0, 3.0),
    )
    analyses = (*corpus.analyses[:3], Analysis(d.id, places=places))
    features = export_geojson(dataclasses.replace(corpus, analyses=analyses))["features"]
    assert sorted(f["properties"]["mentions"] for f in features if f["properties"]["event"] is None) == [1, 2]


def test_geojson_of_an_empty_corpus():
    corpus = sample_corpus()
    assert export_geojson(dataclasses.replace(corpus, documents=(), analyses=(), results=type(corpus.results)()))["features"] == []


def test_geojson_points_carry_area_names():
    features = _features(export_geojson(sample_corpus()))
    assert (features["evt-1", "Tyotkino"]["properties"]["admin1"], features[None, "Paris"]["properties"]["admin2"]) == ("Kursk", "Paris")
