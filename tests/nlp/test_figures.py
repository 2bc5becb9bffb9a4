from __future__ import annotations

import pytest
import spacy

from recoupe.lang import load_language
from recoupe.model import Document, FigureCategory, Qualifier
from factories import body_document
from recoupe.nlp.figures import FigureRules, find_figures, parse_number

DEAD, INJURED, DRONES, MATERIEL, DISTANCE, OTHER = (
    FigureCategory.DEAD, FigureCategory.INJURED, FigureCategory.DRONES,
    FigureCategory.MATERIEL, FigureCategory.DISTANCE, FigureCategory.OTHER,
)


def document(text: str) -> Document:
    return body_document(text)


@pytest.mark.parametrize("code", ["fr", "en"])
def test_figures_language_data_is_valid(code):
    import re

    table = load_language(code).figures
    assert {FigureCategory(c) for c in table.categories.values()} <= set(FigureCategory)
    assert {FigureCategory(c) for c in table.verbs.values()} <= set(FigureCategory)
    assert {Qualifier(q) for q in table.qualifiers.values()} <= set(Qualifier)
    assert all(isinstance(p, re.Pattern) for p in table.excluded)


@pytest.mark.parametrize(
    "text, value",
    [
        ("26", 26), ("vingt-six", 26), ("Vingt et un", 21), ("soixante et onze", 71), ("quatre-vingt-dix", 90),
        ("quatre-vingt-dix-sept", 97), ("deux cents", 200), ("deux mille trois cents", 2300), ("cent", 100),
        ("1 000", 1000), ("1\u00a0000", 1000), ("1.000", 1000), ("2,000", 2000), ("2,5", 2.5),
        ("3 millions", 3_000_000), ("1,5 million", 1_500_000), ("dix", 10),
    ],
)
def test_figures_parse_numbers_in_digits_and_words(fr, text, value):
    assert parse_number(text, fr.numbers) == value


@pytest.mark.parametrize("text", ["drone", "vingt-drone", ""])
def test_figures_parse_numbers_refuses_words_that_are_no_number(fr, text):
    assert parse_number(text, fr.numbers) is None


@pytest.mark.model
@pytest.mark.parametrize(
    "text, phrase, value, counted, category, qualifier",
    [
        ("Le ministère a annoncé avoir abattu au moins 26 véhicules sans pilote.", "au moins 26 véhicules sans pilote", 26, "véhicule sans pilote", DRONES, Qualifier.AT_LEAST),
        ("L'attaque a fait au moins deux morts.", "au moins deux morts", 2, "mort", DEAD, Qualifier.AT_LEAST),
        ("On compte aussi un blessé léger.", "un blessé", 1, "blessé", INJURED, Qualifier.EXACT),
        ("Le séisme a fait près de 300 morts.", "près de 300 morts", 300, "mort", DEAD, Qualifier.ABOUT),
        ("Plus de 2000 personnes tuées depuis le début.", "Plus de 2000 personnes", 2000, "personne", DEAD, Qualifier.AT_LEAST),
        ("Deux civils ont été tués dans la nuit.", "Deux civils", 2, "civil", DEAD, Qualifier.EXACT),
        ("L'avion avait 10 personnes à son bord.", "10 personnes", 10, "personne", OTHER, Qualifier.EXACT),
        ("Le village se trouve à quelque 160 km de Moscou.", "quelque 160 km", 160, "km", DISTANCE, Qualifier.ABOUT),
        ("Ils ont pris un village à sept kilomètres au nord.", "sept kilomètres", 7, "km", DISTANCE, Qualifier.EXACT),
        ("Vingt-six drones ont été abattus.", "Vingt-six drones", 26, "drone", DRONES, Qualifier.EXACT),
        ("Le bilan atteint 1.000 morts.", "1.000 morts", 1000, "mort", DEAD, Qualifier.EXACT),
        ("Le bilan atteint 1 200 blessés.", "1 200 blessés", 1200, "blessé", INJURED, Qualifier.EXACT),
        ("Kiev a reçu 2,000 drones.", "2,000 drones", 2000, "drone", DRONES, Qualifier.EXACT),
        ("On dénombre une dizaine de blessés.", "une dizaine de blessés", 10, "blessé", INJURED, Qualifier.ABOUT),
        ("Des dizaines de drones ont survolé la ville.", "Des dizaines de drones", 20, "drone", DRONES, Qualifier.AT_LEAST),
        ("L'armée a tiré trois missiles sur la ville.", "trois missiles", 3, "missile", MATERIEL, Qualifier.EXACT),
        ("Environ 42 000 personnes ont été évacuées.", "Environ 42 000 personnes", 42000, "personne", FigureCategory.EVACUATED, Qualifier.ABOUT),
        ("L'explosion a eu lieu la nuit, tuant deux civils.", "deux civils", 2, "civil", DEAD, Qualifier.EXACT),
        ("Le séisme a entraîné la mort de 296 personnes.", "296 personnes", 296, "personne", DEAD, Qualifier.EXACT),
        ("Au moins trois personnes sont mortes dans l'explosion.", "Au moins trois personnes", 3, "personne", DEAD, Qualifier.AT_LEAST),
        ("Un avion avec 10 personnes à son bord s'est écrasé.", "10 personnes", 10, "personne", OTHER, Qualifier.EXACT),
    ],
)
def test_figures_attach_numbers_to_what_they_count(nlp_fr, fr, text, phrase, value, counted, category, qualifier):
    found = find_figures(nlp_fr(text), document(text), FigureRules.from_resources(fr))
    assert [(f.text, f.value, f.counted, f.category, f.qualifier) for f in found] == [(phrase, value, counted, category, qualifier)]
    assert text[found[0].span.start : found[0].span.end] == phrase


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Le 22 mai 2023, le gouverneur a parlé.",
        "Il est arrivé à 15h30 puis à 16:45.",
        "Un homme âgé de 45 ans a parlé.",
        "Le taux atteint 12 % cette année.",
        "Il est arrivé le 1er juin.",
        "Appelez le 01 23 45 67 89 pour témoigner.",
        "En 2023 Moscou a changé de stratégie.",
        "Une attaque a eu lieu dans une ville.",
        "Il a attendu trois jours et deux semaines.",
        "Le 26e bataillon et le MiG-29 sont là.",
        "Le score final est de 3-1.",
        "Les forces évacuaient une installation de stockage.",
        "Un avion s'est écrasé près d'un village.",
    ],
)
def test_figures_ignore_dates_times_ages_rates_and_identifiers(nlp_fr, fr, text):
    assert find_figures(nlp_fr(text), document(text), FigureRules.from_resources(fr)) == []


@pytest.mark.model
def test_figures_agents_are_not_victims(nlp_fr, fr):
    text = "Deux hommes armés ont tué trois civils."
    found = find_figures(nlp_fr(text), document(text), FigureRules.from_resources(fr))
    assert [(f.text, f.category) for f in found] == [("Deux hommes", OTHER), ("trois civils", DEAD)]


@pytest.mark.parametrize(
    "text, phrase, value, category, qualifier",
    [
        ("Russia said it downed at least 26 drones overnight.", "at least 26 drones", 26, DRONES, Qualifier.AT_LEAST),
        ("The quake left nearly 300 dead.", "nearly 300 dead", 300, DEAD, Qualifier.ABOUT),
        ("The village lies some 160 km from the border.", "some 160 km", 160, DISTANCE, Qualifier.ABOUT),
        ("More than 2,000 refugees crossed.", "More than 2,000 refugees", 2000, FigureCategory.EVACUATED, Qualifier.AT_LEAST),
    ],
)
def test_figures_english_data_without_a_parser(text, phrase, value, category, qualifier):
    found = find_figures(spacy.blank("en")(text), document(text), FigureRules.from_resources(load_language("en")))
    assert [(f.text, f.value, f.category, f.qualifier) for f in found] == [(phrase, value, category, qualifier)]


def test_a_decimal_before_a_multiplier_is_no_thousands_group():
    from recoupe.lang import load_language
    from recoupe.nlp.figures import parse_number

    numbers = load_language("fr").numbers
    assert parse_number("1,089 million", numbers) == pytest.approx(1.089e6)
    assert parse_number("1,089", numbers) == 1089
    assert parse_number("1 089 000", numbers) == 1089000
