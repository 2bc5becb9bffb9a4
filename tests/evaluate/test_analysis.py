from __future__ import annotations

import pytest

from recoupe.evaluate.analysis import AnalysisScores, place_summary, score_entities_places
from recoupe.model import Analysis, Document, Entity, EntityType, Mention, Place, PlaceKind, Segment, SegmentKind, SourceFormat, Span

GOLD = {
    "places": [
        {"doc": "a.txt", "mention": "Tiotkino", "lat": 51.281, "lon": 34.294},
        {"doc": "a.txt", "mention": "Kstovo", "lat": 56.147, "lon": 44.198},
        {"doc": "b.txt", "mention": "Kozinka", "lat": 50.461, "lon": 35.603},
    ],
    "entities": [
        {"canonical": "Vyacheslav Gladkov", "aliases": ["Vyacheslav Gladkov", "Gladkov"]},
        {"canonical": "Dmitry Peskov", "aliases": ["Dmitri Peskov", "Peskov"]},
        {"canonical": "Siberian Battalion", "aliases": ["bataillon sibérien"]},
    ],
}




def document(name: str) -> Document:
    return Document(id=name, content_hash="h", source=f"/x/{name}", text="", format=SourceFormat.TEXT, segments=(Segment(0, 0, SegmentKind.BODY),))


def place(doc: str, mention: str, lat: float, lon: float) -> Place:
    return Place(Span(doc, 0, 1), mention, mention, lat, lon, PlaceKind.LOCALITY)


def test_analysis_scores_places_groups_and_failures():
    documents = [document("a.txt"), document("b.txt")]
    analyses = [
        Analysis("a.txt", mentions=(Mention(Span("a.txt", 0, 7), "Gladkov", EntityType.PLACE, "gladkov"),),
                 places=(place("a.txt", "village de Tiotkino", 51.28, 34.29), place("a.txt", "Kstovo", 45.0, 44.2))),
        Analysis("b.txt"),
    ]
    entities = [
        Entity("e1", "Vyacheslav Gladkov", EntityType.PERSON, ("Vyacheslav Gladkov", "Gladkov")),
        Entity("e2", "Dmitri Peskov", EntityType.PERSON, ("Dmitri Peskov",)),
        Entity("e3", "Peskov", EntityType.PERSON, ("Peskov", "Gladkov")),
    ]
    scores = score_entities_places(documents, analyses, entities, GOLD)
    assert (scores.places_total, scores.places_found, scores.places_within_15km) == (3, 2, 1)
    assert (scores.alias_groups_total, scores.alias_groups_found, scores.alias_groups_linked) == (3, 2, 0)
    assert (scores.aliases_total, scores.aliases_found) == (5, 4)
    assert scores.gold_groups_merged == 1
    assert scores.ner_failures_left == 1
    assert any("Kstovo" in line for line in scores.lines())


def test_analysis_place_summary_lists_each_document():
    lines = place_summary([document("a.txt")], [Analysis("a.txt", places=(place("a.txt", "Kstovo", 56.1, 44.2),))])
    assert lines == ["a.txt: Kstovo -> Kstovo (?, locality, 56.10,44.20)"]


@pytest.mark.model
def test_analysis_seeds_floors(seeds_dir, seeds_gold, nlp_fr):
    from recoupe.clean import NoiseRules, build_language_detector, clean, masked_text
    from recoupe.ingest import iter_sources, read_source
    from recoupe.lang import load_language
    from recoupe.nlp.entities import Rules, find_mentions
    from recoupe.nlp.linking import link_entities
    from recoupe.nlp.places import Gazetteer, find_places
    from recoupe.settings import Settings

    settings, resources = Settings(), load_language("fr")
    gazetteer, detector = Gazetteer.load(resources), build_language_detector()
    raws = [raw for source in iter_sources([str(seeds_dir / "articles")]) for raw in read_source(source, settings.ingest)]
    documents = [clean(raw, NoiseRules.from_resources(resources), detector, settings.clean) for raw in raws]
    analyses = []
    for document, doc in zip(documents, nlp_fr.pipe(masked_text(d) for d in documents)):
        mentions = find_mentions(doc, document, Rules.from_resources(resources), gazetteer)
        places = find_places(mentions, doc, document, gazetteer, resources)
        analyses.append(Analysis(document.id, mentions=tuple(mentions), places=tuple(places)))
    scores: AnalysisScores = score_entities_places(documents, analyses, link_entities(analyses), seeds_gold)
    # Measured 2026-11-25: places 8/8 within 15 km; alias groups 9/9 linked with
    # 20/22 aliases found (never mentions: the lower-case "bataillon sibérien"
    # and "Grayvoron" alone, said as "district de Grayvoron"); 0 merged; 0/7
    # NER failures left (1/7, "Bakhmout", when find_mentions gets no gazetteer).
    assert scores.places_within_15km >= 7, scores.lines()
    assert scores.alias_groups_linked >= 8, scores.lines()
    assert scores.aliases_found >= 19, scores.lines()
    assert scores.gold_groups_merged == 0, scores.lines()
    assert scores.ner_failures_left <= 1, scores.lines()
