"""Event records, cited summary and timeline on tiny hand-built parts (summary.py, timeline.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from recoupe.units import EventPart, UnitBuilder
from recoupe.lang import load_language
from recoupe.model import (
    Analysis,
    Claim,
    ClaimKind,
    CopyKind,
    CopyLink,
    Document,
    EntityType,
    Event,
    EventLink,
    EventRole,
    Figure,
    FigureCategory,
    Mention,
    PartialDate,
    Qualifier,
    Segment,
    SegmentKind,
    SourceFormat,
    Span,
    Speaker,
    TimeExpression,
)
from recoupe.settings import EventSettings
from recoupe.summary import (
    EventContext,
    classify,
    describe_events,
    event_actors,
    event_figures,
    event_title,
    independent_sources,
    summarise,
)
from recoupe.timeline import infer_publication_days, timeline

SETTINGS = EventSettings()


@pytest.fixture(scope="module")
def resources():
    return {code: load_language(code) for code in ("fr", "en")}


def make_document(name: str, text: str, published: str | None = None, title: str | None = None, entry: str | None = None) -> Document:
    segments, position = [], 0
    for line in text.split("\n"):
        kind = SegmentKind.ENTRY if entry and line.startswith(entry[:2]) else SegmentKind.BODY
        segments.append(Segment(position, position + len(line), kind, entry if kind is SegmentKind.ENTRY else None))
        position += len(line) + 1
    return Document(
        name, name, f"{name}.txt", text, SourceFormat.TEXT, tuple(segments), title=title,
        published=PartialDate.from_iso(published) if published else None, language="fr",
    )


def part(document: Document, analysis: Analysis | None = None, role: EventRole = EventRole.MAIN, day: dt.date | None = None) -> EventPart:
    ranges = tuple((s.start, s.end) for s in document.segments)
    return EventPart(document, analysis or Analysis(document.id), ranges, role, day)


def span_of(document: Document, text: str) -> Span:
    start = document.text.index(text)
    return Span(document.id, start, start + len(text))


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("Un séisme de magnitude 6,8 a frappé le Maroc.", ("Disaster", "Earthquake")),
        ("Une attaque de drones a visé une raffinerie.", ("Explosions/Remote violence", "Air/drone strike")),
        ("Un camion piégé a explosé sur le pont.", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        ("Une attaque au couteau dans un parc a blessé six personnes.", ("Violence against civilians", "Attack")),
        ("Des milliers de manifestants ont défilé dans la capitale.", ("Protests", "Peaceful protest")),
        ("Les dockers en grève manifestent devant le port.", ("Protests", "Peaceful protest")),
        ("Des combats et des affrontements ont éclaté à la frontière.", ("Battles", "Armed clash")),
        ("Le ministre a inauguré une école.", ("Strategic developments", "Other")),
    ],
)
def test_summary_classify_reads_acled_cues_from_data(resources, lead, expected):
    builder = UnitBuilder.from_resources(SETTINGS, resources)
    assert classify([part(make_document("a", lead))], builder) == expected


@pytest.mark.parametrize(
    ("copies", "same_source", "expected"),
    [
        ((), (), 3),
        ((CopyLink("b", "a", CopyKind.NEAR, 0.9),), (), 2),
        ((), ({"b", "c"},), 2),
        ((CopyLink("b", "a", CopyKind.TRANSLATION, 0.7),), ({"b", "c"},), 1),
    ],
)
def test_summary_independent_sources_count_copies_and_dispatches_once(resources, copies, same_source, expected):
    documents = {name: make_document(name, "Texte.") for name in "abc"}
    context = EventContext(documents, {}, resources, copies=copies, same_source=same_source)
    assert independent_sources("abc", context) == expected


def test_summary_figures_group_equal_counts_and_cite_each_source():
    a = make_document("a", "Deux morts et un blessé sur le pont.")
    b = make_document("b", "Le bilan est de deux morts.")
    figures = {
        "a": (Figure(span_of(a, "Deux morts"), "Deux morts", 2, "mort", FigureCategory.DEAD), Figure(span_of(a, "un blessé"), "un blessé", 1, "blessé", FigureCategory.INJURED)),
        "b": (Figure(span_of(b, "deux morts"), "deux morts", 2, "mort", FigureCategory.DEAD),),
    }
    parts = [part(d, Analysis(d.id, figures=figures[d.id])) for d in (a, b)]
    [dead, injured] = event_figures(parts)
    assert (dead.category, dead.value, dead.qualifier) == (FigureCategory.DEAD, 2, Qualifier.EXACT)
    assert dead.sources == (span_of(a, "Deux morts"), span_of(b, "deux morts"))
    assert injured.sources == (span_of(a, "un blessé"),)


def test_summary_actors_leave_out_reporters_and_mark_speakers():
    document = make_document("a", "Prigojine a défié Choïgou. Choïgou a répondu, selon l'AFP. Prigojine a déclaré qu'il marchait.")
    mentions = tuple(
        Mention(Span("a", i, i + len(t)), t, EntityType.PERSON, t.lower())
        for t in ("Prigojine", "Choïgou", "AFP")
        for i in [j for j in range(len(document.text)) if document.text.startswith(t, j)]
    )
    speaker_span = Span("a", document.text.rindex("Prigojine"), document.text.rindex("Prigojine") + 9)
    claims = (Claim("c", span_of(document, "qu'il marchait"), ClaimKind.REPORTED, Speaker("Prigojine", span=speaker_span)),)
    actors = event_actors([part(document, Analysis("a", mentions=mentions, claims=claims))], (), reporters=("AFP",))
    assert [(a.name, a.role) for a in actors] == [("Prigojine", "source"), ("Choïgou", "actor1")]


def test_summary_title_prefers_the_headline_sharing_most_words():
    a = make_document("a", "Le pont de Crimée touché par une explosion.", title="Explosion sur le pont de Crimée")
    b = make_document("b", "Un camion a explosé sur le pont de Crimée.", title="Revue de presse du samedi")
    assert event_title([part(a), part(b)], frozenset()) == "Explosion sur le pont de Crimée"


def test_summary_cites_near_identical_sentences_of_every_source():
    sentence = "Un séisme de magnitude 6,8 a frappé la province d'Al Haouz dans la nuit de vendredi."
    a = make_document("a", sentence + "\nLes secours fouillent les décombres des villages de montagne.")
    b = make_document("b", sentence.replace("a frappé", "a touché") + "\nLe roi a décrété un deuil national de trois jours.")
    summary = summarise([part(a), part(b)], SETTINGS)
    first = summary[0]
    assert len(first.citations) == 2 and {c.document_id for c in first.citations} == {"a", "b"}
    assert len(summary) == 3  # the shared fact once, each other sentence once


def test_summary_leaves_out_questions_and_fragments():
    a = make_document("a", "Qui est derrière l'attaque de la région de Belgorod ?\n, a indiqué le ministère dans un communiqué publié mardi.\nLa Légion a revendiqué l'attaque de la région de Belgorod.")
    texts = [s.text for s in summarise([part(a)], SETTINGS)]
    assert texts == ["La Légion a revendiqué l'attaque de la région de Belgorod."]


def test_timeline_orders_dated_facts_and_entries():
    report = make_document("r", "Le 22 mai, des combattants ont attaqué la région de Belgorod et deux villages.")
    times = (TimeExpression(span_of(report, "Le 22 mai"), "Le 22 mai", dt.date(2023, 5, 22)),)
    blog = make_document("b", "11h58 : Le Kremlin exprime sa profonde préoccupation après l'incursion\n07h44 : Des combattants font une incursion armée en Russie", entry="11h58")
    blog = Document(blog.id, blog.content_hash, blog.source, blog.text, blog.format, (
        Segment(0, blog.text.index("\n"), SegmentKind.ENTRY, "11:58"),
        Segment(blog.text.index("07h44"), len(blog.text), SegmentKind.ENTRY, "07:44"),
    ), language="fr")
    parts = [part(report, Analysis("r", times=times))] + [
        EventPart(blog, Analysis("b"), ((s.start, s.end),), EventRole.ENTRY, dt.date(2023, 5, 23)) for s in blog.segments
    ]
    items = timeline(parts, (dt.date(2023, 5, 22), dt.date(2023, 5, 23)), SETTINGS)
    assert [(i.when, i.time) for i in items] == [(dt.date(2023, 5, 22), None), (dt.date(2023, 5, 23), "07:44"), (dt.date(2023, 5, 23), "11:58")]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Des combats sont en cours jeudi dans la région de Koursk.", "2024-03", dt.date(2024, 3, 14)),
        ("La Russie a affirmé mardi avoir repoussé le groupe.", None, dt.date(2024, 3, 12)),
        ("Des combats ont eu lieu dans la région de Koursk.", None, None),  # no weekday, no day
        ("Des combats sont en cours jeudi dans la région de Koursk.", "2024-04", None),  # not in that month
    ],
)
def test_timeline_infers_publication_day_from_first_weekday(resources, text, published, expected):
    document = make_document("d", "Titre\n" + text, published)
    dated = make_document("r", "Titre\nDes combattants sont entrés en Russie.", "2024-03-12")
    event = Event("e", "Incursion", start=dt.date(2024, 3, 11), end=dt.date(2024, 3, 12))
    links = [EventLink("e", "d", EventRole.MAIN), EventLink("e", "r", EventRole.MAIN)]
    inferred = infer_publication_days([document, dated], links, [event], resources)
    assert [d.date for d in inferred] == ([expected] if expected else [])


@pytest.mark.parametrize("published", ["2024-03", None])
def test_timeline_month_only_reports_alone_infer_no_weekday(resources, published):
    """An event whose reports state no day (a month at most) places no weekday, whatever its start says."""
    first = make_document("d", "Titre\nDes combats sont en cours jeudi dans la région de Koursk.", published)
    second = make_document("f", "Titre\nLes combats ont commencé le 11 mars, mardi selon Kiev.", "2024-03")
    event = Event("e", "Incursion", start=dt.date(2024, 3, 11), end=dt.date(2024, 3, 12))
    links = [EventLink("e", "d", EventRole.MAIN), EventLink("e", "f", EventRole.MAIN)]
    assert infer_publication_days([first, second], links, [event], resources) == []


def _time(document: Document, phrase: str, day: dt.date, depth: int | None, on_verb: bool) -> TimeExpression:
    return TimeExpression(span_of(document, phrase), phrase, day, depth, on_verb)


@pytest.mark.parametrize(
    ("sentence", "times", "expected"),
    [
        # the statement's day, not the day of what it reports: one item, dated Tuesday
        ("Le préfet a indiqué mardi que les écoles resteront fermées jusqu'à lundi.",
         (("jusqu'à lundi", dt.date(2024, 3, 18), 1, True), ("mardi", dt.date(2024, 3, 12), 0, True)), dt.date(2024, 3, 12)),
        # a date qualifying a noun recalls another fact: the verb's day wins even when it comes second
        ("Les enquêteurs ont fouillé le lieu de l'attaque du 11 mars, mardi, à Koursk.",
         (("du 11 mars", dt.date(2024, 3, 11), 0, False), ("mardi", dt.date(2024, 3, 12), 0, True)), dt.date(2024, 3, 12)),
        # no parse: the first phrase of the sentence
        ("Lundi, les enquêteurs ont fouillé le lieu de l'attaque de mardi à Koursk.",
         (("Lundi", dt.date(2024, 3, 11), None, False), ("mardi", dt.date(2024, 3, 12), None, False)), dt.date(2024, 3, 11)),
    ],
)
def test_timeline_item_takes_the_date_of_the_fact_it_states(sentence, times, expected):
    report = make_document("r", sentence)
    analysis = Analysis("r", times=tuple(_time(report, *t) for t in times))
    items = timeline([part(report, analysis)], (dt.date(2024, 3, 10), dt.date(2024, 3, 20)), SETTINGS)
    assert [(i.text, i.when) for i in items] == [(sentence, expected)]


def test_timeline_leaves_out_a_sentence_whose_fact_is_outside_the_event():
    sentence = "Le ministre a rappelé mardi l'attaque du 12 mars, qui avait fait deux morts à Koursk."
    report = make_document("r", sentence)
    times = (_time(report, "mardi", dt.date(2024, 5, 14), 0, True), _time(report, "du 12 mars", dt.date(2024, 3, 12), 0, False))
    items = timeline([part(report, Analysis("r", times=times))], (dt.date(2024, 3, 12), dt.date(2024, 3, 13)), SETTINGS)
    assert items == ()


def test_summary_describe_events_builds_records_and_inferred_days(resources):
    report = make_document("r", "Incursion dans la région de Belgorod\nDes combats ont éclaté lundi à Graivoron.", "2023-05-22")
    undated = make_document("u", "Incursion repoussée\nLa Russie a affirmé mardi avoir repoussé les combattants à Graivoron.")
    links = [EventLink("e", "r", EventRole.MAIN), EventLink("e", "u", EventRole.MAIN)]
    context = EventContext({"r": report, "u": undated}, {}, resources)
    [event], inferred = describe_events(links, context, SETTINGS)
    assert (event.start, event.type, event.independent_sources) == (dt.date(2023, 5, 22), "Battles", 2)
    assert [(d.document_id, d.date) for d in inferred] == [("u", dt.date(2023, 5, 23))]


def test_summary_describing_again_cuts_only_documents_whose_analysis_changed(resources, monkeypatch):
    """Events described twice (with inferred days) and again after re-dating cut each document's
    units once per analysis: the context keeps them; the records are those of a fresh context."""
    report = make_document("r", "Incursion dans la région de Belgorod\nDes combats ont éclaté lundi à Graivoron.", "2023-05-22")
    undated = make_document("u", "Incursion repoussée\nLa Russie a affirmé mardi avoir repoussé les combattants à Graivoron.")
    links = [EventLink("e", "r", EventRole.MAIN), EventLink("e", "u", EventRole.MAIN)]
    analyses = {"r": Analysis("r"), "u": Analysis("u")}
    cut: list[str] = []
    units = UnitBuilder.units
    monkeypatch.setattr(UnitBuilder, "units", lambda self, document, analysis: cut.append(document.id) or units(self, document, analysis))
    context = EventContext({"r": report, "u": undated}, analyses, resources)
    described = describe_events(links, context, SETTINGS)
    assert described[1] and sorted(cut) == ["r", "u"]  # events_from_links ran twice, each document was cut once
    cut.clear()
    redated = dataclasses.replace(context, analyses={**analyses, "u": Analysis("u")})  # a new analysis of u
    assert describe_events(links, redated, SETTINGS) == described
    assert cut == ["u"]
    cut.clear()
    assert describe_events(links, EventContext({"r": report, "u": undated}, analyses, resources), SETTINGS) == described
    assert sorted(cut) == ["r", "u"]  # a fresh context cuts again
