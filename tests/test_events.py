"""Event clustering on tiny hand-built documents and analyses: one rule per test."""

from __future__ import annotations

import datetime as dt

import pytest

from recoupe.events import EventClusterer, average_linkage, cluster_corpus, unit_id
from recoupe.units import UnitBuilder, Window, stems
from recoupe.lang import load_language
from recoupe.model import (
    Analysis,
    DateRange,
    Document,
    EntityType,
    EventRole,
    Mention,
    PartialDate,
    Segment,
    SegmentKind,
    SourceFormat,
    Span,
    TimeExpression,
)
from recoupe.settings import EventSettings


@pytest.fixture(scope="module")
def resources():
    return {code: load_language(code) for code in ("fr", "en")}


def make_document(
    name: str, paragraphs: list[str], published: str | None = None, language: str = "fr", entries: dict[int, str] | None = None
) -> Document:
    """Paragraphs separated by blank lines; the first is the title; `entries` maps a paragraph index to its time."""
    entries = entries or {}
    text, segments = "", []
    for index, paragraph in enumerate(paragraphs):
        start = len(text)
        text += paragraph + "\n\n"
        kind = SegmentKind.TITLE if index == 0 and not entries else SegmentKind.ENTRY if index in entries else SegmentKind.BODY
        if entries and index < min(entries):
            kind = SegmentKind.LEAD
        segments.append(Segment(start, start + len(paragraph), kind, entries.get(index), language))
    return Document(
        id=name,
        content_hash=name,
        source=f"{name}.txt",
        text=text,
        format=SourceFormat.TEXT,
        segments=tuple(segments),
        title=None if entries else paragraphs[0],
        published=PartialDate.from_iso(published) if published else None,
        language=language,
    )


def make_analysis(document: Document, names: dict[str, str] | None = None, times: dict[str, dt.date | DateRange] | None = None) -> Analysis:
    """Mentions of every occurrence of each name (text -> key), and time expressions found by text."""
    mentions = []
    for text, key in (names or {}).items():
        start = document.text.find(text)
        while start >= 0:
            mentions.append(Mention(Span(document.id, start, start + len(text)), text, EntityType.PERSON, key))
            start = document.text.find(text, start + 1)
    expressions = []
    for text, value in (times or {}).items():
        start = document.text.find(text)
        expressions.append(TimeExpression(Span(document.id, start, start + len(text)), text, value))
    return Analysis(document.id, mentions=tuple(mentions), times=tuple(expressions))


RAID = [
    "Incursion armée dans la région de Belgorod",
    "Des combattants de la Légion Liberté de la Russie ont attaqué Graivoron et Kozinka, selon le gouverneur Gladkov.",
    "Le gouverneur Gladkov a décrété une opération antiterroriste et ordonné l'évacuation des villages frontaliers.",
]
RAID_NAMES = {"Belgorod": "belgorod", "Légion Liberté de la Russie": "legion", "Graivoron": "graivoron", "Kozinka": "kozinka", "Gladkov": "gladkov"}
# The March 2024 raid, a look-alike of the May 2023 one: same region and group, other places.
MARCH_RAID = [
    "Incursion armée dans la région de Belgorod et de Koursk",
    "La Légion Liberté de la Russie a attaqué Tiotkino, dans la région de Koursk, selon le gouverneur Starovoït.",
]
MARCH_RAID_NAMES = {"Belgorod": "belgorod", "Koursk": "kursk", "Légion Liberté de la Russie": "legion", "Tiotkino": "tiotkino", "Starovoït": "starovoit"}
QUAKE = [
    "Séisme meurtrier dans le Haut Atlas marocain",
    "Un séisme de magnitude 6,8 a frappé la province d'Al Haouz, près de Marrakech, faisant plus de deux mille morts.",
    "Les secours fouillent les décombres des villages de montagne autour d'Amizmiz.",
]
QUAKE_NAMES = {"Al Haouz": "al haouz", "Marrakech": "marakesh", "Amizmiz": "amizmiz"}


def cluster(resources, pairs, settings=EventSettings()):
    clusterer = EventClusterer(settings, resources)
    documents = [d for d, _ in pairs]
    links = clusterer.add(documents, [a for _, a in pairs])
    return {l.document_id: l.event_id for l in links if l.role is EventRole.MAIN}, links


def test_events_join_reports_sharing_names_and_days(resources):
    first = make_document("a", RAID, "2023-05-22")
    second = make_document("b", [p.replace("ont attaqué", "ont pris") for p in RAID], "2023-05-23")
    main, _ = cluster(resources, [(first, make_analysis(first, RAID_NAMES)), (second, make_analysis(second, RAID_NAMES))])
    assert main["a"] == main["b"]


def test_events_split_different_stories_of_the_same_day(resources):
    raid = make_document("raid", RAID, "2023-09-09")
    quake = make_document("quake", QUAKE, "2023-09-09")
    main, _ = cluster(resources, [(raid, make_analysis(raid, RAID_NAMES)), (quake, make_analysis(quake, QUAKE_NAMES))])
    assert main["raid"] != main["quake"]


@pytest.mark.parametrize(
    ("first", "second", "together"),
    [
        ("2023-05-22", "2024-03-12", False),  # same actors and places, ten months apart
        ("2023-05-22", "2023-06-10", False),  # beyond max_gap_days
        ("2023-05-22", "2023-05-24", True),  # a follow-up two days later
        ("2023-05-22", "2023-05", True),  # a month-only date does not contradict
        ("2023-05-22", None, True),  # an undated report is judged on its words
    ],
)
def test_events_time_decides_between_reports_of_same_actors(resources, first, second, together):
    a = make_document("a", RAID, first)
    b = make_document("b", RAID, second)
    main, _ = cluster(resources, [(a, make_analysis(a, RAID_NAMES)), (b, make_analysis(b, RAID_NAMES))])
    assert (main["a"] == main["b"]) is together


def test_events_stated_event_day_counts_not_only_publication(resources):
    """A report published a week later but dating the raid to its day joins it."""
    early = make_document("early", RAID, "2023-05-22")
    late = make_document("late", RAID[:1] + ["Lundi 22 mai 2023, " + RAID[1]] + RAID[2:], "2023-05-27")
    main, _ = cluster(
        resources,
        [(early, make_analysis(early, RAID_NAMES)), (late, make_analysis(late, RAID_NAMES, {"Lundi 22 mai 2023": dt.date(2023, 5, 22)}))],
    )
    assert main["early"] == main["late"]


def test_events_live_blog_entry_off_topic_kept_apart(resources):
    report = make_document("report", RAID, "2023-05-22")
    blog = make_document(
        "blog",
        [
            RAID[1],
            "11h58 : " + RAID[2],
            "10h30 : Le Premier ministre Michoustine est à Shanghai pour rencontrer Xi Jinping lors d'un forum économique.",
        ],
        entries={1: "11:58", 2: "10:30"},
    )
    names = RAID_NAMES | {"Michoustine": "misustin", "Shanghai": "shanghai", "Xi Jinping": "xi jinping"}
    _, links = cluster(resources, [(report, make_analysis(report, RAID_NAMES)), (blog, make_analysis(blog, names))])
    event = next(l.event_id for l in links if l.document_id == "report")
    by_text = {blog.text[l.span.start : l.span.start + 5]: l.event_id for l in links if l.document_id == "blog"}
    assert by_text["Des c"] == event  # the lead
    assert by_text["11h58"] == event
    assert by_text["10h30"] != event


def test_events_undated_live_blog_takes_the_days_of_the_event_it_covers(resources):
    """The lead alone matches both raids; the whole page names the May raid's places."""
    may = make_document("may", RAID, "2023-05-22")
    march = make_document("march", MARCH_RAID, "2024-03-12")
    blog = make_document(
        "blog",
        ["Une incursion armée dans la région de Belgorod a été repoussée, affirme Moscou.", "07h58 : " + RAID[1], "07h44 : " + RAID[2]],
        entries={1: "07:58", 2: "07:44"},
    )
    main, links = cluster(
        resources,
        [(may, make_analysis(may, RAID_NAMES)), (march, make_analysis(march, MARCH_RAID_NAMES)), (blog, make_analysis(blog, RAID_NAMES))],
    )
    assert {l.event_id for l in links if l.document_id == "blog"} == {main["may"]}


def test_events_undated_live_blog_parts_split_between_two_events_take_one_day(resources):
    """Undated parts of one page are of one day: they never each take the days of the other
    parts' event (the lead and an entry matching March while two entries name May's places
    used to swap days and land in the wrong events); the page follows what it matches most."""
    may = make_document("may", RAID, "2023-05-22")
    march = make_document("march", MARCH_RAID, "2024-03-12")
    blog = make_document(
        "blog",
        [
            "Incursion armée dans la région de Belgorod et de Koursk, affirme Moscou.",
            "07h58 : " + RAID[1],
            "07h44 : " + RAID[2],
            "07h30 : La Légion Liberté de la Russie revendique une incursion armée dans la région de Koursk.",
        ],
        entries={1: "07:58", 2: "07:44", 3: "07:30"},
    )
    main, links = cluster(
        resources,
        [(may, make_analysis(may, RAID_NAMES)), (march, make_analysis(march, MARCH_RAID_NAMES)), (blog, make_analysis(blog, RAID_NAMES | MARCH_RAID_NAMES))],
    )
    assert main["may"] != main["march"]
    blog_events = {l.event_id for l in links if l.document_id == "blog"}
    assert main["march"] not in blog_events and main["may"] in blog_events


def test_events_background_paragraph_links_without_merging(resources):
    may = make_document("may", RAID, "2023-05-22")
    march_text = [
        "Nouvelle incursion dans la région de Koursk",
        "La Légion Liberté de la Russie a attaqué Tiotkino ce mardi, selon le gouverneur Starovoït.",
        "Les combats se poursuivent autour du village de Tiotkino.",
        "En mai 2023, la Légion Liberté de la Russie avait déjà attaqué Graivoron et Kozinka dans la région de Belgorod.",
    ]
    march = make_document("march", march_text, "2024-03-12")
    names = RAID_NAMES | {"Tiotkino": "tiotkino", "Starovoït": "starovoit", "Koursk": "kursk"}
    times = {"ce mardi": dt.date(2024, 3, 12), "En mai 2023": DateRange(dt.date(2023, 5, 1), dt.date(2023, 5, 31))}
    main, links = cluster(resources, [(may, make_analysis(may, RAID_NAMES)), (march, make_analysis(march, names, times))])
    assert main["may"] != main["march"]
    background = [l for l in links if l.role is EventRole.BACKGROUND]
    assert [(l.document_id, l.event_id) for l in background] == [("march", main["may"])]
    assert march.text[background[0].span.start :].startswith("En mai 2023")


def test_events_cross_language_reports_meet_through_keys(resources):
    fr = make_document("fr", QUAKE, "2023-09-09")
    en = make_document(
        "en",
        [
            "Deadly earthquake in Morocco's High Atlas",
            "A magnitude 6.8 earthquake struck Al Haouz province near Marrakesh, killing more than two thousand people.",
            "Rescuers search the rubble of mountain villages around Amizmiz.",
        ],
        "2023-09-09",
        language="en",
    )
    en_names = {"Al Haouz": "al haouz", "Marrakesh": "marakesh", "Amizmiz": "amizmiz"}
    main, _ = cluster(resources, [(fr, make_analysis(fr, QUAKE_NAMES)), (en, make_analysis(en, en_names))])
    assert main["fr"] == main["en"]


def test_events_adding_in_batches_keeps_event_ids(resources):
    first = make_document("a", RAID, "2023-05-22")
    second = make_document("b", RAID, "2023-05-23")
    quake = make_document("q", QUAKE, "2023-09-09")
    clusterer = EventClusterer(EventSettings(), resources)
    old = clusterer.add([first], [make_analysis(first, RAID_NAMES)])
    new = clusterer.add([second, quake], [make_analysis(second, RAID_NAMES), make_analysis(quake, QUAKE_NAMES)])
    event = {l.document_id: l.event_id for l in old + new}
    assert event["a"] == event["b"] != event["q"]


def test_events_restore_rebuilds_the_state_from_stored_links(resources):
    first = make_document("a", RAID, "2023-05-22")
    analysis = make_analysis(first, RAID_NAMES)
    stored = EventClusterer(EventSettings(), resources).add([first], [analysis])
    second = make_document("b", RAID, "2023-05-23")
    clusterer = EventClusterer(EventSettings(), resources)
    links = cluster_corpus(clusterer, [first, second], [analysis, make_analysis(second, RAID_NAMES)], stored)
    assert {l.event_id for l in links} == {stored[0].event_id}
    assert len(links) == 2


def test_events_postings_stay_bounded_and_dated_units_search_their_weeks(resources):
    """Posting lists keep only max_postings units; a dated report still finds an old event
    through the postings of its own weeks, where newer reports do not crowd it out."""
    clusterer = EventClusterer(EventSettings(max_postings=2), resources)
    first = {}
    for month in ("2023-01-10", "2023-03-10", "2023-05-10"):
        document = make_document(month, RAID, month)
        links = clusterer.add([document], [make_analysis(document, RAID_NAMES)])
        first[month] = next(l.event_id for l in links if l.document_id == month)
    assert unit_id("2023-01-10", 0) not in clusterer._postings.recent["e:legion"]  # crowded out of the recent postings
    late = make_document("late", RAID, "2023-01-11")
    links = clusterer.add([late], [make_analysis(late, RAID_NAMES)])
    assert max(len(p) for p in [*clusterer._postings.recent.values(), *clusterer._postings.weekly.values()]) <= 2
    assert next(l.event_id for l in links if l.document_id == "late") == first["2023-01-10"]


STORIES = [
    ("raid-1", RAID, RAID_NAMES, "2023-05-22"),
    ("raid-2", [p.replace("ont attaqué", "ont pris") for p in RAID], RAID_NAMES, "2023-05-23"),
    # Undated, worded as raid-2 (raid-2024 repeats raid-1's words: an exact tie would be decided by noise).
    ("raid-3", [p.replace("ont attaqué", "ont pris") for p in RAID[1:] + RAID[:1]], RAID_NAMES, None),
    ("quake-1", QUAKE, QUAKE_NAMES, "2023-09-09"),
    ("quake-2", [p.replace("frappé", "secoué") for p in QUAKE], QUAKE_NAMES, "2023-09-10"),
    ("raid-2024", RAID, RAID_NAMES, "2024-03-12"),
]


def _partition(links) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for link in links:
        if link.role is EventRole.MAIN:
            groups.setdefault(link.event_id, set()).add(link.document_id)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4, 5), (5, 4, 3, 2, 1, 0), (2, 4, 0, 5, 1, 3)])
def test_events_one_at_a_time_in_any_order_groups_as_one_batch(resources, order):
    pairs = []
    for name, paragraphs, names, published in STORIES:
        document = make_document(name, paragraphs, published)
        pairs.append((document, make_analysis(document, names)))
    _, together = cluster(resources, pairs)
    clusterer = EventClusterer(EventSettings(), resources)
    for index in order:
        links = clusterer.add([pairs[index][0]], [pairs[index][1]])
    assert _partition(links) == _partition(together)
    assert {"raid-1", "raid-2"} <= next(g for g in _partition(links) if "raid-1" in g)
    assert not any({"raid-1", "raid-2024"} <= g for g in _partition(links))


def _story_pairs():
    pairs = []
    for name, paragraphs, names, published in STORIES:
        document = make_document(name, paragraphs, published)
        pairs.append((document, make_analysis(document, names)))
    return pairs


@pytest.mark.parametrize("order", [(5, 4, 3, 2, 1, 0), (2, 4, 0, 5, 1, 3)])
def test_events_judged_pairs_do_not_depend_on_arrival_order(resources, order):
    """The pairs judged among some units are found with today's rarity, as one batch of them
    would find them, not from what each unit found when it arrived (when the idf was another)."""
    pairs = _story_pairs()
    together = EventClusterer(EventSettings(), resources)
    together.add([d for d, _ in pairs], [a for _, a in pairs])
    arrived = EventClusterer(EventSettings(), resources)
    for index in order:
        arrived.add([pairs[index][0]], [pairs[index][1]])
    keys = sorted(together._units)
    assert arrived.judged_pairs(keys, arrived.rarity) == together.judged_pairs(keys, together.rarity) != []


@pytest.mark.parametrize("order", [range(8), reversed(range(8))])
def test_events_each_unit_keeps_at_most_max_candidates_neighbours(resources, order):
    """Neighbour lists keep the k most similar units (the cost of a batch stays flat as the store
    grows); a pair stays known while either side keeps the other."""
    documents = [make_document(f"raid-{i}", RAID, f"2023-05-{20 + i % 3}") for i in range(8)]
    clusterer = EventClusterer(EventSettings(max_candidates=3), resources)
    for index in order:
        clusterer.add([documents[index]], [make_analysis(documents[index], RAID_NAMES)])
    lists = clusterer._neighbours
    assert len(lists) == 8 and max(len(kept) for kept in lists.values()) == 3
    for owner, kept in lists.items():
        assert all(owner in clusterer.neighbours(other) for other in kept)


def test_events_a_later_batch_moves_an_undated_report_to_the_event_it_matches(resources):
    """An undated report first stands alone; when the reports of its event arrive, it joins them."""
    undated = make_document("undated", RAID[1:] + RAID[:1], None)
    clusterer = EventClusterer(EventSettings(), resources)
    clusterer.add([undated], [make_analysis(undated, RAID_NAMES)])
    dated = [make_document(n, RAID, d) for n, d in (("a", "2023-05-22"), ("b", "2023-05-23"))]
    links = clusterer.add(dated, [make_analysis(d, RAID_NAMES) for d in dated])
    assert frozenset({"undated", "a", "b"}) in _partition(links)


@pytest.mark.parametrize(
    ("windows", "groups"),
    [
        ((None, None, None), [[0, 1, 2]]),
        (("2023-05-01", "2023-05-05", "2023-05-09"), [[0, 1, 2]]),  # within 10 days
        (("2023-05-01", "2023-05-09", "2023-05-20"), [[0, 1], [2]]),  # the third would stretch it to 19 days
    ],
)
def test_events_average_linkage_keeps_events_within_their_span(windows, groups):
    def window(day):
        return None if day is None else Window(dt.date.fromisoformat(day), dt.date.fromisoformat(day), exact=True)

    probability = {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.7}
    assert average_linkage(3, probability, [window(w) for w in windows], 0.5, 10) == groups


def test_events_average_linkage_merges_groups_by_their_mean_probability():
    probability = {(0, 1): 0.9, (2, 3): 0.9, (0, 2): 0.6, (1, 3): 0.1}  # mean between the pairs' groups: 0.175
    assert average_linkage(4, probability, [None] * 4, 0.5, 10) == [[0, 1], [2, 3]]
    assert average_linkage(4, probability, [None] * 4, 0.15, 10) == [[0, 1, 2, 3]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("explosion explosé", ["explos", "explos"]),
        ("drones drone", ["drone", "drone"]),
        ("Kertch kertch Kerch", ["kertch", "kertch", "kerch"]),
        ("à la de", []),
    ],
)
def test_events_stems_fold_accents_plurals_and_case(text, expected):
    assert stems(text) == expected


def test_events_function_words_are_no_features(resources):
    builder = UnitBuilder.from_resources(EventSettings(), resources)
    document = make_document("a", ["Titre", "Ils sont dans la ville avec leurs familles depuis mardi."], "2023-05-22")
    [unit] = builder.units(document, make_analysis(document))
    words = {name for name, _ in unit.features if name.startswith("w:")}
    assert words == {"w:titre", "w:ville", "w:famill"}
