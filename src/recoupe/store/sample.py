"""A tiny hand-built corpus holding every model type, for tests of stores, exports, the report and the web UI.

Four short French documents written for the purpose (never real corpus text):
`doc-a` reports drones shot down over Belgorod, `doc-b` republishes it
verbatim (an exact copy), `doc-c` reports deaths at Tëtkino that `doc-a`'s
quote denies (a contradiction), and `doc-d` is a live blog linked to no event.
Every span is found with `str.index`, so it always matches the text.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from recoupe.model import (
    Actor,
    AlignedPassage,
    Analysis,
    CitedSentence,
    Claim,
    ClaimKind,
    Contradiction,
    ContradictionKind,
    CopyKind,
    CopyLink,
    Corpus,
    CorpusResults,
    DateRange,
    Document,
    Entity,
    EntityType,
    Event,
    EventFigure,
    EventLink,
    EventRole,
    Figure,
    FigureCategory,
    Hedge,
    HedgeKind,
    InferredDate,
    Mention,
    PartialDate,
    Place,
    PlaceKind,
    Polarity,
    Proposition,
    Qualifier,
    Segment,
    SegmentKind,
    SourceFormat,
    Span,
    Statement,
    Speaker,
    SpeakerKind,
    TimeExpression,
)

TEXT_A = (
    "Drones abattus au-dessus de la région de Belgorod\n"
    "Menu | Accueil | Monde\n"
    "Le 3 mars 2026, au moins 12 drones ont été abattus au-dessus de la région de Belgorod, "
    "selon le ministère russe de la Défense. « Aucune victime n'est à déplorer », a déclaré "
    "Viatcheslav Gladkov. Le gouverneur aurait ordonné l'évacuation de 200 habitants de Tiotkino.\n"
    "Abonnez-vous à notre lettre"
)
TEXT_C = (
    "Deux morts à Tëtkino, affirme Kiev\n"
    "Selon l'armée ukrainienne, deux civils ont été tués le 4 mars à Tëtkino, "
    "dans la région de Belgorod, des 3-4 mars."
)
TEXT_D = (
    "EN DIRECT. Les dernières informations\n"
    "11:58 Une manifestation a réuni 300 personnes à Paris.\n"
    "12:30 La préfecture parle de 250 manifestants."
)


def span(document: Document, needle: str, occurrence: int = 0) -> Span:
    """The span of the `occurrence`-th `needle` in the document's original text."""
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(needle, start + 1)
    return Span(document.id, start, start + len(needle))


def _document(doc_id: str, source: str, text: str, segments: list[tuple[str, SegmentKind, str | None]], **meta) -> Document:
    found = []
    for needle, kind, time in segments:
        start = text.index(needle)
        found.append(Segment(start, start + len(needle), kind, time=time, language="fr"))
    return Document(
        id=doc_id,
        content_hash=hashlib.sha256(text.encode()).hexdigest()[:16],
        source=source,
        text=text,
        format=SourceFormat.TEXT,
        segments=tuple(found),
        language="fr",
        **meta,
    )


def sample_documents() -> tuple[Document, ...]:
    lines_a = TEXT_A.split("\n")
    segments_a = [(lines_a[0], SegmentKind.TITLE, None), (lines_a[2], SegmentKind.BODY, None)]
    a = _document(
        "doc-a", "articles/a.txt", TEXT_A, segments_a,
        title=lines_a[0], outlet="Le Quotidien", url="https://example.org/a",
        published=PartialDate(2026, 3, 3), updated=PartialDate(2026, 3),
    )
    b = _document("doc-b", "articles/b.txt", TEXT_A, segments_a, title=lines_a[0], outlet="Le Relais", published=PartialDate(2026, 3, 3))
    lines_c = TEXT_C.split("\n")
    c = _document(
        "doc-c", "articles/c.txt", TEXT_C,
        [(lines_c[0], SegmentKind.TITLE, None), (lines_c[1], SegmentKind.BODY, None)],
        title=lines_c[0], outlet="La Gazette", published=PartialDate(2026),
    )
    lines_d = TEXT_D.split("\n")
    d = _document(
        "doc-d", "feeds/live.jsonl#2", TEXT_D,
        [(lines_d[0], SegmentKind.LEAD, None), (lines_d[1], SegmentKind.ENTRY, "11:58"), (lines_d[2], SegmentKind.ENTRY, "12:30")],
        title=lines_d[0], outlet="Info Direct",
    )
    return a, b, c, d


def _analysis_a(a: Document) -> Analysis:
    belgorod = Place(span(a, "Belgorod", 1), "Belgorod", "Belgorod Oblast", 50.75, 37.0, PlaceKind.REGION, 578071, "Belgorod", "RU")
    tiotkino = Place(span(a, "Tiotkino"), "Tiotkino", "Tyotkino", 51.27, 34.53, PlaceKind.LOCALITY, 481964, "Kursk", "RU")
    gladkov = span(a, "Viatcheslav Gladkov")
    quote = Claim(
        "claim-a1", span(a, "Aucune victime n'est à déplorer"), ClaimKind.DIRECT,
        speaker=Speaker("Viatcheslav Gladkov", SpeakerKind.PERSON, gladkov, "ent-gladkov"),
        cue=span(a, "a déclaré"), polarity=Polarity.DENY, text="Aucune victime n'est à déplorer",
    )
    reported = Claim(
        "claim-a2", span(a, "au moins 12 drones ont été abattus au-dessus de la région de Belgorod"), ClaimKind.REPORTED,
        speaker=Speaker("ministère russe de la Défense", SpeakerKind.INSTITUTION, span(a, "ministère russe de la Défense")),
        cue=span(a, "selon"), text="au moins 12 drones ont été abattus au-dessus de la région de Belgorod",
    )
    hedged = Claim(
        "claim-a3", span(a, "Le gouverneur aurait ordonné l'évacuation de 200 habitants de Tiotkino"), ClaimKind.REPORTED,
        hedged=True, text="Le gouverneur aurait ordonné l'évacuation de 200 habitants de Tiotkino",
    )
    return Analysis(
        document_id=a.id,
        mentions=(
            Mention(span(a, "Belgorod", 1), "Belgorod", EntityType.PLACE, "belgorod"),
            Mention(gladkov, "Viatcheslav Gladkov", EntityType.PERSON, "gladkov"),
            Mention(span(a, "Tiotkino"), "Tiotkino", EntityType.PLACE, "tetkino"),
        ),
        places=(belgorod, tiotkino),
        times=(TimeExpression(span(a, "3 mars 2026"), "3 mars 2026", dt.date(2026, 3, 3)),),
        figures=(
            Figure(span(a, "au moins 12 drones"), "au moins 12 drones", 12, "drone", FigureCategory.DRONES, Qualifier.AT_LEAST),
            Figure(span(a, "200 habitants"), "200 habitants", 200, "habitant", FigureCategory.EVACUATED),
        ),
        hedges=(Hedge(span(a, "aurait"), hedged.span, HedgeKind.CONDITIONAL),),
        claims=(quote, reported, hedged),
        sentences=(span(a, "Le 3 mars 2026"), span(a, "Le gouverneur")),
    )


def _analysis_c(c: Document) -> Analysis:
    tetkino = Place(span(c, "Tëtkino", 1), "Tëtkino", "Tyotkino", 51.27, 34.53, PlaceKind.LOCALITY, 481964, "Kursk", "RU")
    claim = Claim(
        "claim-c1", span(c, "deux civils ont été tués le 4 mars à Tëtkino"), ClaimKind.REPORTED,
        speaker=Speaker("l'armée ukrainienne", SpeakerKind.ORGANISATION, span(c, "l'armée ukrainienne"), "ent-army"),
        cue=span(c, "Selon"), text="deux civils ont été tués le 4 mars à Tëtkino",
    )
    return Analysis(
        document_id=c.id,
        mentions=(
            Mention(span(c, "Tëtkino", 1), "Tëtkino", EntityType.PLACE, "tetkino"),
            Mention(span(c, "Kiev"), "Kiev", EntityType.PLACE, "kiev"),
        ),
        places=(tetkino,),
        times=(
            TimeExpression(span(c, "4 mars"), "4 mars", dt.date(2026, 3, 4)),
            TimeExpression(span(c, "3-4 mars"), "3-4 mars", DateRange(dt.date(2026, 3, 3), dt.date(2026, 3, 4))),
        ),
        figures=(Figure(span(c, "deux civils"), "deux civils", 2, "civil", FigureCategory.DEAD),),
        claims=(claim,),
    )


def _analysis_d(d: Document) -> Analysis:
    return Analysis(
        document_id=d.id,
        places=(Place(span(d, "Paris"), "Paris", "Paris", 48.85, 2.35, PlaceKind.LOCALITY, 2988507, "Île-de-France", "FR", "Paris"),),
        figures=(Figure(span(d, "300 personnes"), "300 personnes", 300, "personne", FigureCategory.OTHER, Qualifier.ABOUT),),
    )


def sample_corpus() -> Corpus:
    """Documents, analyses, one exact copy and cross-document results with every model type."""
    a, b, c, d = sample_documents()
    analysis_a, analysis_c = _analysis_a(a), _analysis_c(c)
    # doc-b is a verbatim copy: its own spans carry its own id.
    analysis_b = Analysis(document_id=b.id, mentions=(Mention(span(b, "Belgorod", 1), "Belgorod", EntityType.PLACE, "belgorod"),))
    tyotkino = analysis_a.places[1]
    event = Event(
        id="evt-1",
        title="Drones abattus au-dessus de la région de Belgorod",
        type="Explosions/Remote violence",
        subtype="Air/drone strike",
        start=dt.date(2026, 3, 3),
        end=dt.date(2026, 3, 4),
        places=(tyotkino, analysis_c.places[0], analysis_a.places[0]),
        actors=(
            Actor(None, "Forces armées ukrainiennes", "actor1"),
            Actor("ent-gladkov", "Viatcheslav Gladkov", "source"),
            Actor(None, "Civils (Russie)", "actor2"),
        ),
        figures=(
            EventFigure(FigureCategory.DRONES, 12, Qualifier.AT_LEAST, (analysis_a.figures[0].span,)),
            EventFigure(FigureCategory.DEAD, 2, Qualifier.EXACT, (analysis_c.figures[0].span,)),
        ),
        independent_sources=2,
        summary=(
            CitedSentence("Au moins 12 drones ont été abattus au-dessus de la région de Belgorod.", (analysis_a.claims[1].span,)),
            CitedSentence("Kiev affirme que deux civils ont été tués à Tëtkino.", (analysis_c.claims[0].span,)),
        ),
        timeline=(CitedSentence("Drones abattus.", (span(a, "12 drones ont été abattus"),), when=dt.date(2026, 3, 3), time="11:58"),),
    )
    results = CorpusResults(
        entities=(
            Entity("ent-gladkov", "Viatcheslav Gladkov", EntityType.PERSON, ("Gladkov",), ("gladkov",)),
            Entity("ent-tetkino", "Tiotkino", EntityType.PLACE, ("Tëtkino", "Tiotkino"), ("tetkino",)),
            Entity("ent-army", "armée ukrainienne", EntityType.ORGANISATION),
        ),
        events=(event,),
        event_links=(
            EventLink(event.id, a.id, EventRole.MAIN),
            EventLink(event.id, b.id, EventRole.MAIN),
            EventLink(event.id, c.id, EventRole.MAIN, span=Span(c.id, c.segments[1].start, c.segments[1].end)),
        ),
        propositions=(Proposition("prop-1", event.id, ("claim-a1", "claim-c1"), asserted_by=(c.id,), denied_by=(a.id,)),),
        contradictions=(
            Contradiction(
                event.id, ContradictionKind.FIGURE, Statement.of_claim(analysis_a.claims[0]),
                Statement.of_claim(analysis_c.claims[0]), FigureCategory.DEAD.value,
            ),
        ),
        inferred_dates=(InferredDate(c.id, dt.date(2026, 3, 4), event.id),),
    )
    return Corpus(
        documents=(a, b, c, d),
        analyses=(analysis_a, analysis_b, analysis_c, _analysis_d(d)),
        copies=(CopyLink(b.id, a.id, CopyKind.EXACT, 1.0, (AlignedPassage(span(b, TEXT_A), span(a, TEXT_A)),)),),
        results=results,
    )
