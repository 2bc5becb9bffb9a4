from __future__ import annotations

import datetime as dt
import re

import pytest
import spacy

from recoupe.lang import load_language
from recoupe.model import DateRange, Document, PartialDate, Segment, SegmentKind, SourceFormat, TimeExpression
from recoupe.errors import ConfigError
from recoupe.lang.records import DatePattern, Numbers, RelativeDates
from recoupe.nlp.dates import DateRules, compile_patterns, find_times

TUESDAY = PartialDate(2024, 3, 12)


@pytest.fixture(scope="module")
def blank_fr():
    """Tokens only: enough for every rule that does not read the tense."""
    return spacy.blank("fr")


def document(text: str, published: PartialDate | None = TUESDAY) -> Document:
    return Document(
        id="d", content_hash="d", source="d.txt", text=text, format=SourceFormat.TEXT,
        segments=(Segment(0, len(text), SegmentKind.BODY),), published=published,
    )


def iso(value: dt.date | DateRange) -> str:
    return value.isoformat() if isinstance(value, dt.date) else value.iso()


def times(nlp, fr, text: str, published: PartialDate | None = TUESDAY, **kwargs) -> list[TimeExpression]:
    return find_times(nlp(text), document(text, published), DateRules.from_resources(fr), **kwargs)


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("La Russie s'est réveillée ce mardi en alerte.", "ce mardi", "2024-03-12"),
        ("Il est arrivé hier à Koursk.", "hier", "2024-03-11"),
        ("C'était avant-hier.", "avant-hier", "2024-03-10"),
        ("Ils reviendront demain.", "demain", "2024-03-13"),
        ("Le groupe ayant attaqué la veille la région.", "la veille", "2024-03-11"),
        ("Aujourd’hui, la ville est calme.", "Aujourd’hui", "2024-03-12"),
        ("Des tirs dans la nuit de lundi à mardi.", "dans la nuit de lundi à mardi", "2024-03-11/2024-03-12"),
        ("Un vote de vendredi à dimanche.", "de vendredi à dimanche", "2024-03-15/2024-03-17"),
        ("Le scrutin des 15-16-17 mars.", "des 15-16-17 mars", "2024-03-15/2024-03-17"),
        ("Le forum du 15 au 17 mars.", "du 15 au 17 mars", "2024-03-15/2024-03-17"),
        ("Le salon du 28 février au 2 mars.", "du 28 février au 2 mars", "2024-02-28/2024-03-02"),
        ("Signé le 22 mai 2023 à Kiev.", "le 22 mai 2023", "2023-05-22"),
        ("Publié le 12.03.2024 à 15h13.", "12.03.2024", "2024-03-12"),
        ("Mis à jour 2024-03-12.", "2024-03-12", "2024-03-12"),
        ("Il partira le 1er juin.", "le 1er juin", "2024-06-01"),
        ("Signé le 25 décembre à Moscou.", "le 25 décembre", "2023-12-25"),
        ("Le village pris mardi 12 mars 2024.", "mardi 12 mars 2024", "2024-03-12"),
        ("La loi votée en mai dernier.", "en mai dernier", "2023-05-01/2023-05-31"),
        ("Un raid en mai 2023 déjà.", "en mai 2023", "2023-05-01/2023-05-31"),
        ("Une offensive en 2022.", "en 2022", "2022-01-01/2022-12-31"),
        ("Des frappes la semaine dernière.", "la semaine dernière", "2024-03-04/2024-03-10"),
        ("Des frappes le mois dernier.", "le mois dernier", "2024-02-01/2024-02-29"),
        ("Un accord signé l'an dernier.", "l'an dernier", "2023-01-01/2023-12-31"),
        ("Il est parti il y a trois jours.", "il y a trois jours", "2024-03-09"),
        ("Il est parti il y a 2 semaines.", "il y a 2 semaines", "2024-02-27"),
        ("Une réunion jeudi prochain.", "jeudi prochain", "2024-03-14"),
        ("Une réunion lundi dernier.", "lundi dernier", "2024-03-11"),
        ("Une réunion lundi soir.", "lundi soir", "2024-03-11"),
    ],
)
def test_times_resolve_against_publication_day(blank_fr, fr, text, phrase, expected):
    found = times(blank_fr, fr, text)
    assert [(t.text, iso(t.value)) for t in found] == [(phrase, expected)]


def test_times_span_is_the_phrase_in_the_original_text(blank_fr, fr):
    text = "Titre\n\nLe groupe a attaqué la veille."
    (time,) = times(blank_fr, fr, text)
    assert text[time.span.start : time.span.end] == "la veille" == time.text
    assert time.span.document_id == "d"


def test_times_keep_the_longest_of_overlapping_expressions(blank_fr, fr):
    found = times(blank_fr, fr, "Le scrutin des 15-16-17 mars puis hier et avant-hier.")
    assert [t.text for t in found] == ["des 15-16-17 mars", "hier", "avant-hier"]


@pytest.mark.parametrize(
    "published, expected",
    [
        (PartialDate(2024, 3), [("le 1er juin", "2024-06-01"), ("le 22 mai 2023", "2023-05-22"), ("le mois dernier", "2024-02-01/2024-02-29")]),
        (PartialDate(2024), [("le 1er juin", "2024-06-01"), ("le 22 mai 2023", "2023-05-22")]),
        (None, [("le 22 mai 2023", "2023-05-22")]),
    ],
)
def test_times_skip_relative_expressions_without_a_day(blank_fr, fr, published, expected):
    text = "Hier, mardi, il a dit partir le 1er juin. Signé le 22 mai 2023, le mois dernier."
    found = times(blank_fr, fr, text, published)
    assert [(t.text, iso(t.value)) for t in found] == expected


@pytest.mark.parametrize("published", [None, PartialDate(2023, 5), PartialDate(2020, 1, 1)])
def test_times_reference_day_replaces_the_anchor(blank_fr, fr, published):
    text = "Le groupe ayant attaqué la veille, dans la nuit de lundi à mardi."
    found = times(blank_fr, fr, text, published, reference=dt.date(2023, 5, 23))
    assert [(t.text, iso(t.value)) for t in found] == [
        ("la veille", "2023-05-22"),
        ("dans la nuit de lundi à mardi", "2023-05-22/2023-05-23"),
    ]


@pytest.mark.parametrize("code", ["fr", "en"])
def test_times_language_data_compiles(code):
    resources = load_language(code)
    patterns = compile_patterns(resources.relative_dates, resources.numbers)
    assert len(patterns) == len(resources.relative_dates.patterns)
    assert not [p.regex.pattern for p in patterns if re.search(r"\{[a-z_]+\}", p.regex.pattern)]


def test_times_unknown_pattern_kind_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown pattern kind 'fortnight'"):
        compile_patterns(RelativeDates(patterns=(DatePattern("fortnight", "x"),)), Numbers())  # type: ignore[arg-type]


def test_times_without_language_data_find_nothing(blank_fr):
    from recoupe.lang import LanguageResources

    assert times(blank_fr, LanguageResources(code="xx"), "Hier, le 22 mai 2023.") == []


@pytest.mark.model
@pytest.mark.parametrize(
    "text, published, expected",
    [
        # past tense: the most recent such day, on or before the anchor
        ("Les premières attaques ont déjà eu lieu mardi.", PartialDate(2024, 3, 14), "2024-03-12"),
        ("Les autorités ont déclaré lundi une opération.", PartialDate(2023, 5, 23), "2023-05-22"),
        ("Le ministre a annoncé jeudi sa démission.", TUESDAY, "2024-03-07"),
        # future tense: the next such day
        ("Les combattants attaqueront jeudi la ville.", TUESDAY, "2024-03-14"),
        ("Le ministre va rencontrer jeudi son homologue.", TUESDAY, "2024-03-14"),
        # present: the nearest, the anchor itself included
        ("Des combats sont en cours jeudi dans la région.", PartialDate(2024, 3, 14), "2024-03-14"),
        ("La Russie s'est réveillée ce mardi en alerte.", TUESDAY, "2024-03-12"),
    ],
)
def test_times_weekday_follows_the_tense_of_its_clause(nlp_fr, fr, text, published, expected):
    found = times(nlp_fr, fr, text, published)
    assert [iso(t.value) for t in found] == [expected]


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("The ministry said on Tuesday that it held.", "on Tuesday", "2024-03-12"),
        ("It happened yesterday near Kursk.", "yesterday", "2024-03-11"),
        ("Shelling overnight from Monday to Tuesday.", "overnight from Monday to Tuesday", "2024-03-11/2024-03-12"),
        ("A vote on March 15-17 follows.", "March 15-17", "2024-03-15/2024-03-17"),
        ("Signed on May 22, 2023 in Kyiv.", "May 22, 2023", "2023-05-22"),
        ("A raid last Monday.", "last Monday", "2024-03-11"),
        ("He left three days ago.", "three days ago", "2024-03-09"),
    ],
)
def test_times_english_data_under_the_same_rules(text, phrase, expected):
    found = times(spacy.blank("en"), load_language("en"), text)
    assert [(t.text, iso(t.value)) for t in found] == [(phrase, expected)]


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        # a lead word points its way whatever the tense; the anchor day itself counts
        ("Les écoles resteraient fermées jusqu'à lundi.", "jusqu'à lundi", "2024-03-18"),
        ("La garde à vue a été prolongée jusqu’à jeudi.", "jusqu’à jeudi", "2024-03-14"),
        ("La route est coupée depuis dimanche.", "depuis dimanche", "2024-03-10"),
        # a direction word points away from the anchor day, never at it
        ("Une réunion lundi prochain.", "lundi prochain", "2024-03-18"),
        ("Une réunion mardi prochain.", "mardi prochain", "2024-03-19"),
        ("Une réunion mardi dernier.", "mardi dernier", "2024-03-05"),
    ],
)
def test_times_lead_and_direction_words_point_the_weekday(blank_fr, fr, text, phrase, expected):
    found = times(blank_fr, fr, text)
    assert [(t.text, iso(t.value)) for t in found] == [(phrase, expected)]


@pytest.mark.parametrize(
    "text, published, phrase, expected",
    [
        # the night is one range, and "lundi 11" is the 11th, not the Monday nearest the anchor (the 18th)
        ("Des tirs dans la nuit du lundi 11 au mardi 12 mars.", PartialDate(2024, 3, 20), "dans la nuit du lundi 11 au mardi 12 mars", "2024-03-11/2024-03-12"),
        ("Des tirs dans la nuit du lundi 11 au mardi 12 mars.", PartialDate(2024, 3), "dans la nuit du lundi 11 au mardi 12 mars", "2024-03-11/2024-03-12"),
        ("Du vendredi 29 mars au lundi 1er avril, la ville fête.", TUESDAY, "Du vendredi 29 mars au lundi 1er avril", "2024-03-29/2024-04-01"),
        # no month: the 11th of the anchor's month or of one beside it, the one on that weekday
        ("Le vote a eu lieu lundi 11, à Paris.", PartialDate(2024, 3, 20), "lundi 11", "2024-03-11"),
        ("Le vote aura lieu jeudi 4, à Paris.", PartialDate(2024, 3, 27), "jeudi 4", "2024-04-04"),
        ("Le vote a eu lieu lundi 11, à Paris.", PartialDate(2024, 3), "lundi 11", "2024-03-11"),
    ],
)
def test_times_day_of_month_beats_the_weekday(blank_fr, fr, text, published, phrase, expected):
    found = times(blank_fr, fr, text, published)
    assert [(t.text, iso(t.value)) for t in found] == [(phrase, expected)]


def test_times_weekday_then_hour_is_not_a_day_of_month(blank_fr, fr):
    found = times(blank_fr, fr, "Le conseil se réunit lundi 18h.", PartialDate(2024, 3, 20))
    assert [(t.text, iso(t.value)) for t in found] == [("lundi", "2024-03-18")]


@pytest.mark.parametrize("published", [PartialDate(2024, 3), PartialDate(2024)])
def test_times_month_only_anchor_resolves_no_weekday(blank_fr, fr, published):
    found = times(blank_fr, fr, "Les écoles resteront fermées jusqu'à lundi, a dit le maire mardi.", published)
    assert found == []


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("Schools stay shut until Monday, officials said.", "until Monday", "2024-03-18"),
        ("Roads have been closed since Sunday.", "since Sunday", "2024-03-10"),
        ("A meeting next Tuesday.", "next Tuesday", "2024-03-19"),
        ("A meeting last Tuesday.", "last Tuesday", "2024-03-05"),
        ("Shelling overnight Monday to Tuesday.", "overnight Monday to Tuesday", "2024-03-11/2024-03-12"),
        ("Shelling overnight Monday 4 to Tuesday 5 March.", "overnight Monday 4 to Tuesday 5 March", "2024-03-04/2024-03-05"),
        ("The vote took place on Monday the 4th.", "on Monday the 4th", "2024-03-04"),
    ],
)
def test_times_english_leads_directions_and_day_numbers(text, phrase, expected):
    found = times(spacy.blank("en"), load_language("en"), text)
    assert [(t.text, iso(t.value)) for t in found] == [(phrase, expected)]


@pytest.mark.model
@pytest.mark.parametrize(
    "text, fact",
    [
        ("Les écoles resteront fermées jusqu'à lundi, a indiqué le préfet mardi.", "mardi"),
        ("Lundi, les enquêteurs ont fouillé le lieu de l'attaque du 12 mars.", "Lundi"),
    ],
)
def test_times_parse_tells_which_phrase_dates_the_main_clause(nlp_fr, fr, text, fact):
    from recoupe.timeline import fact_time

    found = times(nlp_fr, fr, text, PartialDate(2024, 3, 13))
    assert len(found) == 2 and all(t.depth is not None for t in found)
    assert fact_time(found).text == fact


@pytest.mark.model
def test_times_resolve_again_from_kept_phrases_as_from_the_parse(nlp_fr, fr):
    """A text stating no day resolves none of its relative days; its phrases, kept (through the store's
    codec) without the parse, resolve against a day later exactly as the parsed text does, tense included:
    on Wednesday 16 October "fermé mardi" is the Tuesday before, "rouvrira mardi" the one after."""
    from recoupe.codec import from_data, to_data
    from recoupe.model import TimePhrase
    from recoupe.nlp.dates import resolve_times, time_phrases

    text = "Le pont a été fermé mardi. Le maire a dit qu'il rouvrira mardi, une semaine après la crue de la veille."
    undated = document(text, None)
    rules = DateRules.from_resources(fr)
    doc = nlp_fr(text)
    phrases = time_phrases(doc, undated, rules)
    assert resolve_times(phrases, undated, rules) == [] == find_times(doc, undated, rules)
    kept = from_data(tuple[TimePhrase, ...], to_data(tuple(phrases)))
    wednesday = dt.date(2024, 10, 16)
    again = resolve_times(kept, undated, rules, reference=wednesday)
    assert again == find_times(doc, undated, rules, reference=wednesday)
    assert [(t.text, iso(t.value)) for t in again] == [("mardi", "2024-10-15"), ("mardi", "2024-10-22"), ("la veille", "2024-10-15")]
    assert [t.depth for t in again] == [t.depth for t in find_times(doc, document(text, PartialDate(2024, 10, 16)), rules)]
