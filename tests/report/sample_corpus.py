"""A small hand-made Corpus exercising every part of the report: invented articles, real-looking shape.

Offsets are found with str.index so the spans always point at the quoted words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
from pathlib import Path

from recoupe.model import (
    Actor,
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
    Document,
    Entity,
    EntityType,
    Event,
    EventFigure,
    EventLink,
    EventRole,
    Figure,
    FigureCategory,
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
)

TEXT_A = (
    "Frappe de drones sur Soumy : au moins trois morts\n"
    "Menu | Abonnez-vous | Newsletter\n"
    "Une frappe de drones a touché Soumy dans la nuit de vendredi à samedi, faisant au moins trois morts, "
    "selon le gouverneur régional Oleh Hryhorov. « Les secours travaillent encore dans les décombres », "
    "a-t-il déclaré sur Telegram.\n"
    "Le ministère russe de la Défense affirme avoir abattu 26 drones ukrainiens au-dessus de la région de Koursk.\n"
    "Partager sur les réseaux sociaux"
)
TEXT_B = (
    "Soumy : cinq morts après une attaque nocturne\n"
    "L'attaque menée contre Soumy aurait fait cinq morts, d'après la police nationale. "
    "Le maire de Soumy a démenti que la centrale électrique ait été touchée. "
    "Des habitants de Kharkiv disent avoir entendu des explosions pendant la nuit."
)
TEXT_C = TEXT_A  # a verbatim republication by another outlet
TEXT_D = "Réunion à huis clos <script>alert('x')</script> & suite\nLes discussions continuent, a indiqué un diplomate."


def _span(doc_id: str, text: str, needle: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return Span(doc_id, start, start + len(needle))


def _document(doc_id: str, text: str, outlet: str, title: str, day: int, lines_are_article: list[int]) -> Document:
    segments, offset = [], 0
    for number, line in enumerate(text.split("\n")):
        if number in lines_are_article:
            kind = SegmentKind.TITLE if number == 0 else SegmentKind.BODY
            segments.append(Segment(offset, offset + len(line), kind))
        offset += len(line) + 1
    return Document(
        id=doc_id,
        content_hash=hashlib.sha1(text.encode("utf-8")).hexdigest(),
        source=f"articles/{doc_id}.txt",
        text=text,
        format=SourceFormat.TEXT,
        segments=tuple(segments),
        title=title,
        outlet=outlet,
        url=f"https://example.org/{doc_id}",
        published=PartialDate(2025, 3, day),
        language="fr",
    )


def build_sample_corpus() -> Corpus:
    doc_a = _document("doc-a", TEXT_A, "Le Quotidien", "Frappe de drones sur Soumy : au moins trois morts", 15, [0, 2, 3])
    doc_b = _document("doc-b", TEXT_B, "Radio Est", "Soumy : cinq morts après une attaque nocturne", 15, [0, 1])
    doc_c = _document("doc-c", TEXT_C, "L'Écho copié", "Frappe de drones sur Soumy (reprise)", 16, [0, 2, 3])
    doc_d = _document("doc-d", TEXT_D, None, "Réunion <script>alert('x')</script> & suite", 17, [0, 1])

    soumy_a = Place(_span("doc-a", TEXT_A, "Soumy", 1), "Soumy", "Soumy", 50.9077, 34.7981, PlaceKind.LOCALITY, 692194, "Soumy", "UA")
    koursk_a = Place(_span("doc-a", TEXT_A, "région de Koursk"), "région de Koursk", "Koursk", 51.7373, 36.1874, PlaceKind.REGION, 538560, "Koursk", "RU")
    soumy_b = Place(_span("doc-b", TEXT_B, "Soumy", 1), "Soumy", "Soumy", 50.9077, 34.7981, PlaceKind.LOCALITY, 692194, "Soumy", "UA")
    kharkiv_b = Place(_span("doc-b", TEXT_B, "Kharkiv"), "Kharkiv", "Kharkiv", 49.9935, 36.2304, PlaceKind.LOCALITY, 706483, "Kharkiv", "UA")

    dead_a = Figure(_span("doc-a", TEXT_A, "au moins trois morts", 1), "au moins trois morts", 3, "mort", FigureCategory.DEAD, Qualifier.AT_LEAST)
    drones_a = Figure(_span("doc-a", TEXT_A, "26 drones ukrainiens"), "26 drones ukrainiens", 26, "drone", FigureCategory.DRONES)
    dead_b = Figure(_span("doc-b", TEXT_B, "cinq morts", 1), "cinq morts", 5, "mort", FigureCategory.DEAD)

    governor = Speaker("Oleh Hryhorov", SpeakerKind.PERSON, _span("doc-a", TEXT_A, "Oleh Hryhorov"), "ent-hryhorov")
    claim_a1 = Claim(
        "claim-a1", _span("doc-a", TEXT_A, "faisant au moins trois morts"), ClaimKind.REPORTED, governor,
        _span("doc-a", TEXT_A, "selon"), text="faisant au moins trois morts",
    )
    claim_a2 = Claim(
        "claim-a2", _span("doc-a", TEXT_A, "Les secours travaillent encore dans les décombres"), ClaimKind.DIRECT,
        governor, _span("doc-a", TEXT_A, "a-t-il déclaré"),
    )
    claim_a3 = Claim(
        "claim-a3", _span("doc-a", TEXT_A, "avoir abattu 26 drones ukrainiens au-dessus de la région de Koursk"),
        ClaimKind.REPORTED, Speaker("ministère russe de la Défense", SpeakerKind.INSTITUTION), _span("doc-a", TEXT_A, "affirme"),
    )
    claim_b1 = Claim(
        "claim-b1", _span("doc-b", TEXT_B, "L'attaque menée contre Soumy aurait fait cinq morts"), ClaimKind.REPORTED,
        Speaker("police nationale", SpeakerKind.INSTITUTION), _span("doc-b", TEXT_B, "d'après"), hedged=True,
    )
    claim_b2 = Claim(
        "claim-b2", _span("doc-b", TEXT_B, "que la centrale électrique ait été touchée"), ClaimKind.REPORTED,
        Speaker("maire de Soumy", SpeakerKind.PERSON), _span("doc-b", TEXT_B, "a démenti"), polarity=Polarity.DENY,
    )
    claim_b3 = Claim(
        "claim-b3", _span("doc-b", TEXT_B, "avoir entendu des explosions pendant la nuit"), ClaimKind.REPORTED,
        Speaker("Des habitants de Kharkiv", SpeakerKind.ANONYMOUS), _span("doc-b", TEXT_B, "disent"),
    )
    claim_d1 = Claim(
        "claim-d1", _span("doc-d", TEXT_D, "Les discussions continuent"), ClaimKind.REPORTED,
        Speaker("un diplomate", SpeakerKind.ANONYMOUS), _span("doc-d", TEXT_D, "a indiqué"),
    )

    analyses = (
        Analysis("doc-a", places=(soumy_a, koursk_a), figures=(dead_a, drones_a), claims=(claim_a1, claim_a2, claim_a3)),
        Analysis("doc-b", places=(soumy_b, kharkiv_b), figures=(dead_b,), claims=(claim_b1, claim_b2, claim_b3)),
        Analysis("doc-c"),
        Analysis("doc-d", claims=(claim_d1,)),
    )
    sentence_a = _span("doc-a", TEXT_A, "Une frappe de drones a touché Soumy dans la nuit de vendredi à samedi")
    sentence_b = _span("doc-b", TEXT_B, "L'attaque menée contre Soumy aurait fait cinq morts, d'après la police nationale.")
    crossing_b = _span("doc-b", TEXT_B, "cinq morts, d'après la police")
    strike = Event(
        id="ev-soumy",
        title="Frappe de drones sur Soumy",
        type="Explosions/Remote violence",
        subtype="Air/drone strike",
        start=dt.date(2025, 3, 14),
        end=dt.date(2025, 3, 15),
        places=(soumy_a, koursk_a, soumy_b, kharkiv_b),
        actors=(Actor(None, "Forces armées russes", "actor1"), Actor("ent-hryhorov", "Oleh Hryhorov", "source")),
        figures=(
            EventFigure(FigureCategory.DEAD, 3, Qualifier.AT_LEAST, (dead_a.span,)),
            EventFigure(FigureCategory.DEAD, 5, Qualifier.EXACT, (dead_b.span,)),
            EventFigure(FigureCategory.DRONES, 26, Qualifier.EXACT, (drones_a.span,)),
        ),
        independent_sources=2,
        summary=(
            CitedSentence("Une frappe de drones a touché Soumy dans la nuit du 14 au 15 mars.", (sentence_a, sentence_b)),
            # The second citation crosses claim-b1's end: the source page must split one of the marks.
            CitedSentence("Le bilan varie de trois à cinq morts selon les sources.", (dead_a.span, crossing_b)),
        ),
        timeline=(CitedSentence("Frappe de drones sur Soumy.", (sentence_a,), when=dt.date(2025, 3, 15), time="02:10"),),
    )
    meeting = Event(id="ev-meeting", title="Réunion <script>alert('x')</script> & suite", start=dt.date(2025, 3, 17))
    results = CorpusResults(
        entities=(Entity("ent-hryhorov", "Oleh Hryhorov", EntityType.PERSON),),
        events=(strike, meeting),
        event_links=(
            EventLink("ev-soumy", "doc-a", EventRole.MAIN),
            EventLink("ev-soumy", "doc-b", EventRole.MAIN),
            EventLink("ev-soumy", "doc-c", EventRole.MAIN),
            EventLink("ev-meeting", "doc-d", EventRole.MAIN),
        ),
        propositions=(
            Proposition("prop-dead", "ev-soumy", ("claim-a1", "claim-b1"), ("doc-a", "doc-b")),
        ),
        contradictions=(
            Contradiction(
                "ev-soumy", ContradictionKind.FIGURE, Statement.of_claim(claim_a1, figure=dead_a),
                Statement.of_claim(claim_b1, figure=dead_b), "dead",
            ),
        ),
    )
    return Corpus(
        documents=(doc_a, doc_b, doc_c, doc_d),
        analyses=analyses,
        copies=(CopyLink("doc-c", "doc-a", CopyKind.EXACT, 1.0),),
        results=results,
    )


def load_sibling(name: str):
    """Import a helper module of tests/report from another test folder (tests is not a package)."""
    spec = importlib.util.spec_from_file_location(f"_recoupe_tests_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def visible_text(html: str) -> str:
    """What a reader sees of a page: text outside tags, scripts and styles, plus titles and labels."""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self._hidden = 0

        def handle_starttag(self, tag, attrs):
            self._hidden += tag in ("script", "style")
            self.parts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder", "alt") and v]

        def handle_endtag(self, tag):
            self._hidden -= tag in ("script", "style")

        def handle_data(self, data):
            if not self._hidden:
                self.parts.append(data)

    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def foreign_phrases(language: str) -> set[str]:
    """Interface phrases of the other languages that this one does not share: none may show on its pages.

    Each message is cut at its {placeholders}; pieces of two words and 10 characters or more are
    kept (short ones, "Type", "de", are words any text holds). ACLED's type names are English."""
    import re

    import yaml

    from recoupe.lang import LANG_DIR
    from recoupe.report.html import load_messages, supported_languages

    def phrases(code: str) -> set[str]:
        messages = load_messages(code)
        values = [v for v in messages.values() if isinstance(v, str)] + list(messages["event_types"].values())
        if code == "en":
            types = yaml.safe_load((LANG_DIR / "en" / "event_types.yaml").read_text(encoding="utf-8"))
            values += [name for kind, subtypes in types.items() for name in (kind, *subtypes)]
        pieces = (p.strip(" .,;:") for v in values for p in re.split(r"\{\w+\}", v))
        return {p for p in pieces if len(p) >= 10 and " " in p or "/" in p}

    own = phrases(language)
    return {p for code in supported_languages() if code != language for p in phrases(code)} - own
