"""Spanish, German and Italian: a folder of data on a blank tokenizer reads dates and figures."""

from __future__ import annotations

import datetime as dt

import pytest

from recoupe.clean import build_language_detector, detect_language
from recoupe.lang import load_language, supported_languages
from recoupe.model import DateRange, PartialDate
from recoupe.nlp import load_pipeline
from recoupe.nlp.analyse import LanguageRules
from recoupe.nlp.dates import find_times
from recoupe.nlp.figures import find_figures

from factories import body_document

BLANK = ("es", "de", "it")
PUBLISHED = PartialDate(2024, 3, 14)  # a Thursday

# Text, then the time expressions and figures it holds (text as written -> value).
CASES = {
    "es": (
        "El martes 12 de marzo de 2024 hubo al menos 15 muertos y 30 heridos, según la agencia. "
        "Ayer se evacuaron los barrios; hace tres días cayeron cinco drones. El hombre, de 45 años, "
        "vive en la calle 2024. La semana pasada, del 15 al 17 de marzo.",
        {"martes 12 de marzo de 2024": dt.date(2024, 3, 12), "Ayer": dt.date(2024, 3, 13),
         "hace tres días": dt.date(2024, 3, 11), "La semana pasada": DateRange(dt.date(2024, 3, 4), dt.date(2024, 3, 10)),
         "del 15 al 17 de marzo": DateRange(dt.date(2024, 3, 15), dt.date(2024, 3, 17))},
        {"al menos 15 muertos": ("dead", 15), "30 heridos": ("injured", 30), "cinco drones": ("drones", 5)},
    ),
    "de": (
        "Am Dienstag, 12. März 2024, gab es mindestens 15 Tote und 30 Verletzte. Gestern wurden "
        "Dörfer geräumt; vor drei Tagen stürzten fünf Drohnen ab. Der 45 Jahre alte Mann. "
        "Letzte Woche, vom 15. bis 17. März.",
        {"Dienstag, 12. März 2024": dt.date(2024, 3, 12), "Gestern": dt.date(2024, 3, 13),
         "vor drei Tagen": dt.date(2024, 3, 11), "Letzte Woche": DateRange(dt.date(2024, 3, 4), dt.date(2024, 3, 10)),
         "vom 15. bis 17. März": DateRange(dt.date(2024, 3, 15), dt.date(2024, 3, 17))},
        {"mindestens 15 Tote": ("dead", 15), "30 Verletzte": ("injured", 30), "fünf Drohnen": ("drones", 5)},
    ),
    "it": (
        "Martedì 12 marzo 2024 ci sono stati almeno 15 morti e 30 feriti. Ieri sono stati evacuati "
        "i quartieri; tre giorni fa sono caduti cinque droni. L'uomo, di 45 anni. "
        "La settimana scorsa, dal 15 al 17 marzo.",
        {"Martedì 12 marzo 2024": dt.date(2024, 3, 12), "Ieri": dt.date(2024, 3, 13),
         "tre giorni fa": dt.date(2024, 3, 11), "La settimana scorsa": DateRange(dt.date(2024, 3, 4), dt.date(2024, 3, 10)),
         "dal 15 al 17 marzo": DateRange(dt.date(2024, 3, 15), dt.date(2024, 3, 17))},
        {"almeno 15 morti": ("dead", 15), "30 feriti": ("injured", 30), "cinque droni": ("drones", 5)},
    ),
}


def test_blank_languages_are_supported():
    assert set(BLANK) <= set(supported_languages())


@pytest.mark.parametrize("code", BLANK)
def test_blank_language_reads_dates_and_figures(code):
    resources = load_language(code)
    rules = LanguageRules.from_resources(resources)
    text, times, figures = CASES[code]
    doc = load_pipeline(resources)(text)
    document = body_document(text, published=PUBLISHED)
    found_times = {t.text: t.value for t in find_times(doc, document, rules.dates)}
    assert found_times == times
    found_figures = {f.text: (f.category.value, f.value) for f in find_figures(doc, document, rules.figures)}
    assert found_figures == figures  # ages and street numbers are no figures


def test_blank_languages_are_detected_as_themselves():
    detector = build_language_detector(supported_languages())
    for code, (text, _, _) in CASES.items():
        assert detect_language(detector, text) == code
