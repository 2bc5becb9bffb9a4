"""Figures of one event compared across sources, from hand-built documents (no model)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from factories import body_document
from recoupe.lang import load_language
from recoupe.model import (
    Analysis,
    ContradictionKind,
    CopyKind,
    CopyLink,
    Figure,
    FigureCategory,
    PartialDate,
    Place,
    PlaceKind,
    Qualifier,
    Span,
    TimeExpression,
)
from recoupe.settings import ClaimSettings
from recoupe.tallies import EventText, compare_figures

LANGUAGES = {"fr": load_language("fr"), "en": load_language("en")}

# (figure as written, value, counted noun, category, qualifier)
FigureSpec = tuple[str, float, str, FigureCategory, Qualifier]


def text(doc: str, body: str, figures: list[FigureSpec] = (), places: list[str] = (), day: int | None = 12) -> EventText:
    """One document whose sentences are split on full stops, with figures and places found by hand."""
    published = PartialDate(2024, 3, day) if day else PartialDate(2024, 3)
    document = body_document(body, published=published, id=doc)
    sentences, start = [], 0
    for piece in body.split(". "):
        sentences.append(Span(doc, start, start + len(piece)))
        start += len(piece) + 2
    found = tuple(
        Figure(Span(doc, body.index(written), body.index(written) + len(written)), written, value, noun, category, qualifier)
        for written, value, noun, category, qualifier in figures
    )
    located = tuple(
        Place(Span(doc, body.index(name), body.index(name) + len(name)), name, name, 0.0, 0.0, PlaceKind.LOCALITY)
        for name in places
    )
    analysis = Analysis(doc, places=located, figures=found, sentences=tuple(sentences))
    return EventText(document, analysis, (), document.published)


def injured(written: str, value: float, noun: str = "personne", qualifier: Qualifier = Qualifier.EXACT) -> FigureSpec:
    return written, value, noun, FigureCategory.INJURED, qualifier


def compare(*texts: EventText, copies=(), settings: ClaimSettings = ClaimSettings()):
    return compare_figures({"E": list(texts)}, list(copies), (), LANGUAGES, "fr", settings)


def test_tallies_two_values_of_one_count_contradict():
    a = text("a", "Cinq personnes ont été blessées à Annecy", [injured("Cinq personnes", 5)], ["Annecy"])
    b = text("b", "Six personnes ont été blessées à Annecy", [injured("Six personnes", 6)], ["Annecy"])
    contradictions, updates = compare(a, b)
    assert [(c.kind, c.subject, c.a.figure.value, c.b.figure.value) for c in contradictions] == [
        (ContradictionKind.FIGURE, "injured", 5, 6)
    ]
    assert updates == []


def test_tallies_sub_group_is_no_rival_of_the_total():
    a = text("a", "Quatre enfants ont été blessés", [injured("Quatre enfants", 4, "enfant")])
    b = text("b", "Six personnes ont été blessées", [injured("Six personnes", 6)])
    assert compare(a, b) == ([], [])


def test_tallies_a_sources_smaller_count_is_a_part_of_its_total():
    body = "Six blessés sont à déplorer. Trois blessés sont entre la vie et la mort"
    a = text("a", body, [injured("Six blessés", 6, "blessé"), injured("Trois blessés", 3, "blessé")])
    b = text("b", "L'attaque a fait six blessés", [injured("six blessés", 6, "blessé")])
    assert compare(a, b) == ([], [])


def test_tallies_provisional_toll_is_an_update_with_its_history():
    dead = FigureCategory.DEAD
    a = text("a", "Selon un bilan provisoire, le séisme a fait 296 morts", [("296 morts", 296, "mort", dead, Qualifier.EXACT)])
    b = text("b", "Le séisme a fait 820 morts", [("820 morts", 820, "mort", dead, Qualifier.EXACT)])
    contradictions, updates = compare(a, b)
    assert contradictions == []
    assert [[v.figure.value for v in u.values] for u in updates] == [[296, 820]]


def test_tallies_reports_of_different_days_are_an_update():
    a = text("a", "Cinq personnes ont été blessées", [injured("Cinq personnes", 5)], day=12)
    b = text("b", "Six personnes ont été blessées", [injured("Six personnes", 6)], day=13)
    contradictions, updates = compare(a, b)
    assert contradictions == [] and [u.values[0].published.day for u in updates] == [12]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("Nantes", "9 000 manifestants"), ("Rennes", "4 000 manifestants")),  # other places
        (("Rennes", "500 manifestants supplémentaires"), ("Rennes", "4 000 manifestants")),  # new arrivals
    ],
)
def test_tallies_other_places_and_new_counts_are_not_compared(left, right):
    def march(doc, place, written):
        value = float(written.split(" manifestants")[0].replace(" ", ""))
        figure = (written.split(" supplémentaires")[0], value, "manifestant", FigureCategory.DEMONSTRATORS, Qualifier.EXACT)
        return text(doc, f"À {place}, {written} ont défilé", [figure], [place])

    assert compare(march("a", *left), march("b", *right)) == ([], [])


def test_tallies_copy_is_one_source_with_its_original():
    a = text("a", "Cinq personnes ont été blessées", [injured("Cinq personnes", 5)])
    b = text("b", "Six personnes ont été blessées", [injured("Six personnes", 6)])
    contradictions, _ = compare(a, b, copies=[CopyLink("b", "a", CopyKind.REWRITE, 0.8)])
    assert contradictions == []


@pytest.mark.parametrize(
    ("left", "right", "clash"),
    [
        (40, 50, False),  # "une quarantaine" / "une cinquantaine": they overlap
        (30, 60, True),  # "environ 30" / "une soixantaine"
    ],
)
def test_tallies_approximate_counts_allow_the_fitted_tolerance(left, right, clash):
    a = text("a", f"Environ {left} personnes évacuées", [(f"{left} personnes", left, "personne", FigureCategory.EVACUATED, Qualifier.ABOUT)])
    b = text("b", f"Environ {right} personnes évacuées", [(f"{right} personnes", right, "personne", FigureCategory.EVACUATED, Qualifier.ABOUT)])
    assert bool(compare(a, b)[0]) is clash


def test_tallies_measures_are_read_from_the_text_across_languages():
    a = text("a", "Un séisme de magnitude 7,2 a frappé le Maroc")
    b = text("b", "The quake had a magnitude of 6.8")
    b = replace(b, document=replace(b.document, language="en"))
    contradictions, _ = compare(a, b)
    assert [(c.subject, c.a.figure.value, c.b.figure.value) for c in contradictions] == [("magnitude", 7.2, 6.8)]


@pytest.mark.parametrize(("left", "right", "clash"), [("7", "6.8", True), ("7", "7,0", False), ("6,8", "6.9", True), ("7", "7.6", True)])
def test_tallies_a_magnitude_is_exact_to_its_tenth(left, right, clash):
    """Magnitudes are given in tenths (resolution 0.1): "magnitude 7" is 7.0, a rival of another agency's 6.8."""
    a = text("a", f"Un séisme de magnitude {left} a frappé le Maroc")
    b = text("b", f"The quake had a magnitude of {right}")
    b = replace(b, document=replace(b.document, language="en"))
    assert bool(compare(a, b)[0]) is clash


def test_tallies_guessed_place_compares_only_counts_of_one_order():
    """A sentence naming no place is about its document's main place, a guess: 1,3 million
    "qui ont manifesté" is the whole country, no rival of 81 000 in Paris."""
    paris = text("a", "À Paris, 81 000 manifestants ont défilé", [("81 000 manifestants", 81000, "manifestant", FigureCategory.DEMONSTRATORS, Qualifier.EXACT)], ["Paris"])
    body = "Près de 1,3 million de personnes ont manifesté. Le cortège parisien est parti de Paris"
    country = text("b", body, [("1,3 million de personnes", 1.3e6, "personne", FigureCategory.DEMONSTRATORS, Qualifier.EXACT)], ["Paris"])
    assert compare(paris, country)[0] == []
    assert len(compare(paris, country, settings=ClaimSettings(guessed_scope_ratio=20.0))[0]) == 1


def test_tallies_count_dated_to_another_day_is_not_compared():
    """ "deux millions le 19 janvier" recalled in a report of 31 January is that day's count."""
    march = FigureCategory.DEMONSTRATORS
    recalled = text("a", "Après deux millions de manifestants le 19 janvier, la mobilisation continue",
                    [("deux millions de manifestants", 2e6, "manifestant", march, Qualifier.EXACT)], day=31)
    analysis = recalled.analysis
    start = recalled.document.text.index("le 19 janvier")
    nineteenth = TimeExpression(Span("a", start, start + 13), "le 19 janvier", dt.date(2024, 3, 19))
    recalled = replace(recalled, analysis=replace(analysis, times=(nineteenth,)))
    today = text("b", "La CGT compte 2,8 millions de manifestants",
                 [("2,8 millions de manifestants", 2.8e6, "manifestant", march, Qualifier.EXACT)], day=31)
    assert compare(recalled, today)[0] == []
    undated = replace(recalled, analysis=analysis)
    assert len(compare(undated, today)[0]) == 1


def demonstrators(written: str, value: float, qualifier: Qualifier = Qualifier.EXACT) -> FigureSpec:
    return written, value, "manifestant", FigureCategory.DEMONSTRATORS, qualifier


def test_tallies_each_count_is_credited_in_its_own_clause():
    """One sentence, two sources: "205 000 selon la CGT, et 40 000, selon les autorités" is a dispute
    between two named speakers, not a total and its part."""
    body = "À Marseille, on a compté 205 000 manifestants selon la CGT, et 40 000 manifestants, selon les autorités"
    one = text("a", body, [demonstrators("205 000 manifestants", 205000), demonstrators("40 000 manifestants", 40000)], ["Marseille"])
    contradictions, _ = compare(one)
    assert [(c.a.speaker, c.b.speaker) for c in contradictions] == [("la CGT", "les autorités")]


def test_tallies_credit_in_brackets_and_by_an_agent():
    police = text("a", "La contestation a rassemblé 1,089 million de manifestants (ministère de l'Intérieur)",
                  [demonstrators("1,089 million de manifestants", 1.089e6)])
    unions = text("b", "Ce jeudi, 3,5 millions de manifestants ont été comptabilisés par la CGT",
                  [demonstrators("3,5 millions de manifestants", 3.5e6)])
    contradictions, _ = compare(police, unions)
    assert [(c.a.speaker, c.b.speaker) for c in contradictions] == [("ministère de l'Intérieur", "la CGT")]


def test_tallies_one_speaker_named_two_ways_revises_its_count():
    """ "la CGT" and "CGT" are one speaker: its two values are an update, not a dispute."""
    a = text("a", "Selon la CGT, 2,8 millions de manifestants ont défilé", [demonstrators("2,8 millions de manifestants", 2.8e6)])
    b = text("b", "3,5 millions de manifestants ont défilé, selon CGT", [demonstrators("3,5 millions de manifestants", 3.5e6)])
    contradictions, updates = compare(a, b)
    assert contradictions == [] and len(updates) == 1


def test_tallies_a_count_in_millions_allows_what_it_rounds():
    a = text("a", "Selon le ministère, 1,1 million de manifestants ont défilé", [demonstrators("1,1 million de manifestants", 1.1e6)])
    b = text("b", "Selon la police, 1,089 million de manifestants ont défilé", [demonstrators("1,089 million de manifestants", 1.089e6)])
    c = text("c", "Selon la CGT, 1,3 million de manifestants ont défilé", [demonstrators("1,3 million de manifestants", 1.3e6)])
    assert compare(a, b)[0] == []
    assert len(compare(a, c)[0]) == 1


def test_tallies_a_range_allows_both_ends():
    """ "entre 18 200 et 110 000 personnes" is the police's and the unions' counts at once."""
    both = text("a", "Entre 18 200 et 110 000 manifestants ont défilé à Bordeaux", [demonstrators("110 000 manifestants", 110000)], ["Bordeaux"])
    police = text("b", "Selon la préfecture, 20 000 manifestants ont défilé à Bordeaux", [demonstrators("20 000 manifestants", 20000)], ["Bordeaux"])
    assert compare(both, police)[0] == []


def test_tallies_national_count_is_no_rival_of_a_part_or_a_town():
    """ "3,5 millions à travers le pays, dont 700 000 à Paris": Paris is the part's place, and the
    national count never meets Paris's 81 000."""
    body = "Les syndicats estiment que 3,5 millions de manifestants ont défilé à travers le pays, dont 700 000 à Paris"
    national = text("a", body, [demonstrators("3,5 millions de manifestants", 3.5e6)], ["Paris"])
    paris = text("b", "À Paris, 81 000 manifestants ont défilé selon la préfecture", [demonstrators("81 000 manifestants", 81000)], ["Paris"])
    police = text("c", "Selon la police, 1,28 million de manifestants ont défilé dans tout le pays", [demonstrators("1,28 million de manifestants", 1.28e6)])
    assert compare(national, paris)[0] == []
    assert [{c.a.figure.value, c.b.figure.value} for c in compare(national, police)[0]] == [{3.5e6, 1.28e6}]


def test_tallies_a_time_phrase_of_the_compared_count_does_not_date_this_one():
    """ "un chiffre supérieur à celui du 19 janvier" dates the earlier count, not this one."""
    march = FigureCategory.DEMONSTRATORS
    body = "Selon la police, 1,3 million de manifestants ont défilé, un chiffre supérieur à celui du 19 janvier"
    compared = text("a", body, [("1,3 million de manifestants", 1.3e6, "manifestant", march, Qualifier.EXACT)], day=31)
    start = body.index("19 janvier")
    nineteenth = TimeExpression(Span("a", start, start + 10), "19 janvier", dt.date(2024, 3, 19))
    compared = replace(compared, analysis=replace(compared.analysis, times=(nineteenth,)))
    today = text("b", "La CGT compte 2,8 millions de manifestants", [("2,8 millions de manifestants", 2.8e6, "manifestant", march, Qualifier.EXACT)], day=31)
    assert len(compare(compared, today)[0]) == 1


def test_tallies_bodies_found_are_no_toll():
    found = text("a", "Selon la commission, les corps de deux victimes ont été retrouvés", [("deux victimes", 2, "victime", FigureCategory.DEAD, Qualifier.EXACT)])
    toll = text("b", "Au moins trois personnes sont mortes selon les enquêteurs", [("Au moins trois personnes", 3, "personne", FigureCategory.DEAD, Qualifier.AT_LEAST)])
    assert compare(found, toll)[0] == []


def test_claimed_spans_overlap_as_a_scan_of_every_claim_says():
    import random

    from recoupe.model import Span
    from recoupe.tallies import _Claimed

    rng = random.Random(13)
    for _ in range(200):
        claims = [Span("d", s, s + rng.randrange(1, 60)) for s in (rng.randrange(0, 500) for _ in range(rng.randrange(0, 12)))]
        claimed = _Claimed(claims)
        sentence = Span("d", (start := rng.randrange(0, 500)), start + rng.randrange(1, 80))
        assert claimed.overlaps(sentence) == any(c.start < sentence.end and sentence.start < c.end for c in claims)


@pytest.mark.parametrize(
    ("left", "right", "clash"),
    [
        ("L'assaillant, âgé de 27 ans, a été interpellé.", "The 29-year-old attacker was arrested.", True),
        ("L'auteur de l'attaque, un homme de 27 ans, a été interpellé.", "The 27-year-old attacker was arrested.", False),
        ("Une des victimes, une femme de 64 ans, a été blessée.", "A 41-year-old passer-by was injured.", False),  # victims
        ("Un témoin de 35 ans raconte la scène.", "The 29-year-old attacker was arrested.", False),  # a witness
    ],
)
def test_tallies_the_attackers_age_is_a_measure_victims_ages_are_not(left, right, clash):
    a = text("a", left)
    b = text("b", right)
    b = replace(b, document=replace(b.document, language="en"))
    found = compare(a, b)[0]
    assert bool(found) is clash
    assert all(c.subject == "suspect_age" for c in found)


@pytest.mark.parametrize(
    ("left", "right", "clash"),
    [
        ("Le suspect, un réfugié syrien de 31 ans, a été maîtrisé.", "Un homme de 33 ans a été interpellé peu après.", True),
        ("L'agresseur a blessé un enfant de 3 ans.", "Un homme de 33 ans a été interpellé peu après.", False),  # a victim
        ("Un homme de 45 ans, témoin de la scène, raconte.", "Un homme de 33 ans a été interpellé peu après.", False),
    ],
)
def test_tallies_the_attackers_age_in_other_words(left, right, clash):
    found = compare(text("a", left), text("b", right))[0]
    assert bool(found) is clash


@pytest.mark.parametrize(
    ("left", "right", "clash"),
    [
        ("Le barrage, haut de 85 mètres, retient une retenue.", "Engineers found cracks in the 95-metre-high dam.", True),
        ("Le barrage, haut de 85 mètres, retient une retenue.", "The dam, 85 metres high, holds the reservoir.", False),
        ("Ce pont, haut de 30 mètres, enjambe la rivière.", "Engineers found cracks in the 95-metre-high dam.", False),  # a bridge
        ("Des vagues de 4 mètres de haut ont été observées.", "Storm waves up to 6 metres high were reported.", False),
    ],
)
def test_tallies_a_dams_height_is_compared_with_the_same_dams_only(left, right, clash):
    b = text("b", right)
    b = replace(b, document=replace(b.document, language="en"))
    found = compare(text("a", left), b)[0]
    assert [c.subject for c in found] == (["height"] if clash else [])


def english(event_text: EventText) -> EventText:
    return replace(event_text, document=replace(event_text.document, language="en"))


@pytest.mark.parametrize(
    ("left", "right", "subject"),
    [
        ("Le séisme s'est produit à 2 km de profondeur", "The quake struck at a depth of 10 km (6 miles)", "depth"),
        ("L'épicentre se situe à 12 km au sud de Lourdes", "Its epicentre was 15 km (9 miles) south of Lourdes", "distance_from"),
        # the distance written, not its bracketed conversion (45 miles rounds 73 km)
        ("L'épicentre se situe à 73 km au sud-ouest de Marrakech", "The epicentre was 72 km (45 miles) south-west of Marrakesh", "distance_from"),
        ("L'explosion s'est produite vers 3h20 dans la nuit", "The blast happened at 1:40 a.m. on Tuesday", "time_of_act"),
    ],
)
def test_tallies_measures_of_the_event_contradict_across_languages(left, right, subject):
    contradictions, _ = compare(text("a", left), english(text("b", right)))
    assert [c.subject for c in contradictions] == [subject]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # an aftershock's depth is not the quake's
        ("Une réplique a été enregistrée à 4 km de profondeur", "The quake struck at a depth of 10 km"),
        # a distance from another town
        ("L'épicentre se trouvait à 30 km de Tarbes", "Its epicentre was 15 km (9 miles) south of Lourdes"),
        # two time zones
        ("La secousse s'est produite à 23h14 heure locale", "The earthquake hit at 10:14 p.m. GMT"),
        # about a quarter past eleven holds 23h14
        ("La secousse s'est produite à 23h14", "The earthquake hit at about 11:20 p.m."),
        # the rescuers' arrival, a fire: not the blast
        ("Les secours sont arrivés vers 5h sur les lieux de l'explosion", "The blast happened at 1:40 a.m."),
        ("Un incendie s'est déclaré à 6h10 dans l'usine", "The blast happened at 1:40 a.m."),
        # a report naming two times for its explosions tells several acts
        ("Une explosion a retenti à 1h10. Une autre explosion a retenti à 3h05", "The blast happened at 3:05 a.m."),
    ],
)
def test_tallies_look_alike_measures_are_not_compared(left, right):
    assert compare(text("a", left), english(text("b", right)))[0] == []


def test_tallies_people_at_risk_are_a_count_of_their_own():
    """ "16 000 personnes sont menacées" and "42,000 people are at risk" count the people exposed; evacuated people are others."""
    at_risk = text("a", "16 000 personnes sont menacées par la crue à Kherson",
                   [("16 000 personnes", 16000, "personne", FigureCategory.OTHER, Qualifier.EXACT)], ["Kherson"])
    risk = english(text("b", "42,000 people are at risk of flooding in Kherson",
                        [("42,000 people", 42000, "people", FigureCategory.OTHER, Qualifier.EXACT)], ["Kherson"]))
    evacuated = english(text("c", "42,000 people were evacuated in Kherson",
                             [("42,000 people", 42000, "people", FigureCategory.OTHER, Qualifier.EXACT)], ["Kherson"]))
    assert [(c.subject, c.a.figure.value, c.b.figure.value) for c in compare(at_risk, risk)[0]] == [("at_risk", 16000, 42000)]
    assert compare(at_risk, evacuated)[0] == []


def test_tallies_a_distance_between_two_places_found_by_the_gazetteer():
    """ "Koupiansk, à 120 km de Kharkiv" and "Kupiansk, 95 km east of Kharkiv" measure one thing (the
    gazetteer names both towns alike); another town's distance, or a name no gazetteer found, is no rival."""
    def at(doc: str, body: str, *names: tuple[str, str]) -> EventText:
        event_text = text(doc, body)
        places = tuple(
            Place(Span(doc, body.index(m), body.index(m) + len(m)), m, n, 0.0, 0.0, PlaceKind.LOCALITY) for m, n in names
        )
        return replace(event_text, analysis=replace(event_text.analysis, places=places))

    french = at("a", "Les habitants de Koupiansk, à 120 km de Kharkiv, restent chez eux", ("Koupiansk", "Kupyansk"), ("Kharkiv", "Kharkiv"))
    english_text = at("b", "Residents of Kupiansk, 95 km east of Kharkiv, stay indoors", ("Kupiansk", "Kupyansk"), ("Kharkiv", "Kharkiv"))
    english = replace(english_text, document=replace(english_text.document, language="en"))
    assert [c.subject for c in compare(french, english)[0]] == ["distance_between"]
    izium = at("c", "À Izium, à 100 km de Kharkiv, l'eau monte", ("Izium", "Izyum"), ("Kharkiv", "Kharkiv"))
    assert compare(french, izium)[0] == []
    unknown = at("d", "Les habitants de Koupiansk, à 90 km de Kharkiv, restent chez eux", ("Kharkiv", "Kharkiv"))
    assert compare(french, unknown)[0] == []


@pytest.mark.parametrize(
    ("left", "right", "clash"),
    [
        ("Le suspect, identifié comme Karim B., 27 ans, a été interpellé.", "The suspect, identified as Karim B., 29, was charged on Friday.", True),
        ("L'assaillant, un Afghan de 27 ans, a été interpellé.", "A 29-year-old Afghan national was arrested.", True),
        ("Le suspect, qui a blessé une passante, 64 ans, a fui.", "The 29-year-old attacker was arrested.", False),  # a victim's age
        ("Le suspect a blessé Marie Dupont, 64 ans, et un témoin.", "The 29-year-old attacker was arrested.", False),
    ],
)
def test_tallies_the_attackers_age_named_with_his_identity(left, right, clash):
    assert bool(compare(text("a", left), english(text("b", right)))[0]) is clash


@pytest.mark.parametrize(
    "recalled",
    [
        "Après avoir rassemblé deux millions de manifestants selon les syndicats, ils appellent à continuer",
        "Après la mobilisation du 19 janvier qui a rassemblé deux millions de manifestants selon les syndicats, la rue gronde",
        "Deux millions de manifestants selon les syndicats avaient alors battu le pavé",
    ],
)
def test_tallies_a_recalled_count_of_a_past_day_is_not_compared(recalled):
    """ "Après avoir rassemblé deux millions ..." recalls a past protest day: no rival of the day's 2,8 millions
    (dev2 059, 108, 114, labelled look-alikes); the same count told as the day's is one."""
    march = FigureCategory.DEMONSTRATORS
    past = text("a", recalled, [("deux millions de manifestants" if "deux" in recalled else "Deux millions de manifestants", 2e6, "manifestant", march, Qualifier.EXACT)], day=None)
    today = text("b", "La CGT compte 2,8 millions de manifestants",
                 [("2,8 millions de manifestants", 2.8e6, "manifestant", march, Qualifier.EXACT)], day=None)
    assert compare(past, today)[0] == []
    told = text("a", "Deux millions de manifestants ont défilé selon les syndicats",
                [("Deux millions de manifestants", 2e6, "manifestant", march, Qualifier.EXACT)], day=None)
    assert len(compare(told, today)[0]) == 1
