"""Place mentions → GeoNames places with coordinates, offline.

Countries and first-level areas first ("région de Koursk" resolves through the
locality it is named after: its admin1 code, and its coordinates as the
area's), then localities, each scored by population and by what the document
says: the countries and nationalities it names, its areas, its other places.
The gazetteer (`nlp/gazetteer.py`) is built once and passed in.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from recoupe.lang import LanguageResources
from recoupe.lang.records import PlaceContext
from recoupe.model import Document, EntityType, Mention, Place, PlaceKind
from recoupe.nlp.gazetteer import Area, Country, Gazetteer, Region
from recoupe.nlp.linking import MIN_TYPO_KEY_LENGTH, one_interior_edit
from recoupe.folding import NameFolder

__all__ = ["Gazetteer", "distance_km", "find_places"]

EARTH_KM = 6371.0
_ELISION = re.compile(r"^[ld]['’]")
# A first guess this good (a town of 100,000 with no support, a village of
# 1,000 in a named country) anchors the others: proximity counts from it.
ANCHOR_SCORE = 5.0
# Scores of a candidate locality: log10(population) is the prior (a village of
# 1,000 scores 3, a city of a million 6); these bonuses must beat it. Calibrated
# on the seeds (Tiotkino, 3,852 people, against larger namesakes elsewhere) and
# on the dev places (no wrong country left).
BONUS_COUNTRY = 3.0  # the document names the country or its people
BONUS_REGION = 4.0  # the document names the first-level area
BONUS_NEAR = 3.0  # within NEAR_KM of another place of the document
BONUS_ANCHOR_REGION = 2.0  # in the first-level area of another place of the document
BONUS_AREA = 2.0  # in the second-level area the document names ("Quissac" with "le Gard")
# A name one interior letter away from a town of the document's area is that town
# misspelt ("Gaïvoron" in a Belgorod story is Graïvoron, not Haivoron in Ukraine),
# unless the exact spelling scores this much better. Below BONUS_REGION, so an
# area the document names outweighs a homonym supported by its country alone;
# set on the seeds (004: Gaïvoron beside Belgorod and Ukraine).
TYPO_PENALTY = 3.0
NEAR_KM = 300.0
# Without any support from the document, a name must be a town of this size
# to be believed: below it, homonyms of surnames and common words abound.
MIN_POPULATION_WITHOUT_CONTEXT = 15_000
# When the document names countries, a place outside them with no other support
# must be a city known abroad (Paris, Brussels in a Ukrainian story); this
# keeps out "Occident" (a Californian hamlet) and "The bridge" (Norwalk, 88,000).
MIN_POPULATION_ABROAD = 200_000
# An all-capitals name this short is an acronym ("TASS" is not Tashkent).
MAX_ACRONYM_LETTERS = 5
# Shorter keys are acronyms and pronouns ("QG", "He"), never resolved as localities.
MIN_KEY_LETTERS = 3


def find_places(
    mentions: Sequence[Mention], doc: Doc, document: Document, gazetteer: Gazetteer, resources: LanguageResources
) -> list[Place]:
    """Resolve the PLACE mentions: countries, first-level areas, then localities in the document's context.

    Without a tagger (blank pipelines) every mention is a candidate, under the
    same rules: only names the gazetteer knows, with support or a large population.
    """
    context = resources.place_context
    region_words = {w.lower() for w in context.region_words}
    locality_words = {w.lower() for w in context.locality_words}
    tagged = doc.has_annotation("ENT_IOB")
    wanted = [m for m in mentions if m.type is EntityType.PLACE or (not tagged and m.type is EntityType.OTHER)]
    vague = {gazetteer.keys.key(w) for w in context.vague_places}
    parsed = [
        item
        for item in (_parse(m, region_words, locality_words, gazetteer.keys) for m in wanted)
        if item[2] not in vague and not _truncated(item[0], document)
    ]
    countries = _document_countries(doc, parsed, gazetteer, context)
    places: list[Place | None] = [None] * len(parsed)
    regions: set[tuple[str | None, str | None]] = set()
    areas: set[tuple[str, str]] = set()
    for i, (mention, kind, key) in enumerate(parsed):
        if kind is PlaceKind.LOCALITY and key in gazetteer.countries:
            places[i] = _country_place(mention, gazetteer.countries[key])
        elif kind is PlaceKind.REGION or key in gazetteer.regions:
            places[i], code = _region_place(mention, key, gazetteer, countries)
            regions.add(code)
        elif _names_an_area(key, gazetteer):
            area = _area(key, gazetteer, countries)
            if area is not None:
                places[i] = _named_area_place(mention, area, gazetteer)
                regions.add((area.country, area.admin1))
                if area.admin2:
                    areas.add((area.country, area.admin2))
    # A named area says which country the story is in ("la région de Belgorod": Russia).
    countries.update(country for country, _ in regions if country)
    support = _with_anchors(_Support(countries, regions, areas=frozenset(areas)), parsed, places, gazetteer)
    scores = [-math.inf] * len(parsed)
    # A name met again resolves the same way; each area's name keys are computed once (a long
    # text names many areas and many unknown names: without both, its cost grows as their product).
    resolved: dict[str, tuple[int | None, float]] = {}
    area_keys: dict[tuple[str, str], tuple[str, ...]] = {}
    for i, (mention, _, key) in enumerate(parsed):
        if places[i] is None:
            if key not in resolved:
                resolved[key] = _resolve(gazetteer, key, support, area_keys)
            row, scores[i] = resolved[key]
            if row is not None and _acronym(mention.text) and gazetteer.names[row].lower() != mention.text.lower():
                row, scores[i] = None, -math.inf
            if row is not None:
                places[i] = _locality_place(mention, row, gazetteer)
    return [p for p in _repair_typos(places, scores, parsed) if p is not None]


@dataclass(frozen=True, slots=True)
class _Support:
    """What the document says about where it is."""

    countries: Counter[str]  # named countries and nationality words
    regions: set[tuple[str | None, str | None]]  # (country, admin1 code) of named areas
    anchors: tuple[tuple[str, int], ...] = ()  # (key, row) of confident first guesses
    areas: frozenset[tuple[str, str]] = frozenset()  # (country, admin2 name) of named second-level areas


def _with_anchors(
    support: _Support, parsed: Sequence[tuple[Mention, PlaceKind, str]], places: Sequence[Place | None], gazetteer: Gazetteer
) -> _Support:
    anchors = []
    for (_, _, key), place in zip(parsed, places):
        if place is None:
            row, score = _best(gazetteer, key, support)
            # A capital stands for its government ("Moscou a démenti"): it says nothing of where.
            if row is not None and score > ANCHOR_SCORE and row not in gazetteer.capitals:
                anchors.append((key, row))
    return replace(support, anchors=tuple(dict.fromkeys(anchors)))


def _repair_typos(
    places: list[Place | None], scores: list[float], parsed: Sequence[tuple[Mention, PlaceKind, str]]
) -> list[Place | None]:
    """A name one letter away from another of the document and far from it is a misspelling of it.

    "le chef-lieu de Gaïvoron" beside "Graïvoron": the real Haivoron is 500 km
    away in Ukraine; the article means the town it named two paragraphs before.
    """
    resolved = {
        key: (place, score)
        for place, score, (_, kind, key) in zip(places, scores, parsed)
        if place is not None and kind is PlaceKind.LOCALITY
    }
    out = list(places)
    for i, (mention, kind, key) in enumerate(parsed):
        if kind is not PlaceKind.LOCALITY or len(key) < MIN_TYPO_KEY_LENGTH or " " in key:
            continue
        for other, (place, score) in resolved.items():
            if other == key or score <= scores[i] or not one_interior_edit(key, other):
                continue
            current = out[i]
            if current is None or _km(current.lat, current.lon, place.lat, place.lon) > NEAR_KM:
                out[i] = replace(place, span=mention.span, mention=mention.text)
            break
    return out


def _parse(
    mention: Mention, region_words: set[str], locality_words: set[str], keys: NameFolder
) -> tuple[Mention, PlaceKind, str]:
    """Split "région russe de Koursk" into its kind and the key of "Koursk"."""
    words = mention.text.split()
    first = _ELISION.sub("", words[0].lower()) if words else ""
    kind = PlaceKind.LOCALITY
    last = words[-1].lower() if len(words) > 1 else ""
    if first in region_words or first in locality_words:
        kind = PlaceKind.REGION if first in region_words else PlaceKind.LOCALITY
        name = _after_linker(mention.text)
    elif last in region_words:
        kind, name = PlaceKind.REGION, " ".join(words[:-1])
    else:
        name = mention.text
    return mention, kind, keys.key(name)


def _after_linker(text: str) -> str:
    """The name after "... de", "... d'", "... du": what a region or locality word introduces."""
    match = re.search(r"\b(?:de la|de l['’]|de|du|des|d['’])\s*(?=\S)", text)
    return text[match.end() :] if match else text.split(maxsplit=1)[-1]


def _document_countries(
    doc: Doc, parsed: Sequence[tuple[Mention, PlaceKind, str]], gazetteer: Gazetteer, context: PlaceContext
) -> Counter[str]:
    """Countries the document talks about: named countries and nationality words, counted."""
    demonyms = {w: code for code, words in context.demonyms.items() for w in words}
    counts: Counter[str] = Counter()
    for token in doc:
        code = demonyms.get(token.lower_)
        if code:
            counts[code] += 1
    for _, _, key in parsed:
        country = gazetteer.countries.get(key)
        if country is not None:
            counts[country.code] += 1
    return counts


def _best(gazetteer: Gazetteer, key: str, support: _Support) -> tuple[int | None, float]:
    """The most plausible locality for a key, and its score; None when nothing is credible.

    A place never supports itself: anchors with the same key are left out.
    """
    best, best_score = None, -math.inf
    if sum(ch.isalpha() for ch in key) < MIN_KEY_LETTERS:
        return best, best_score
    anchors = [row for anchor_key, row in support.anchors if anchor_key != key]
    anchor_regions = {(gazetteer.country[row], gazetteer.admin1[row]) for row in anchors}
    for row in gazetteer.candidates(key):
        country, admin1 = gazetteer.country[row], gazetteer.admin1[row]
        in_country = not support.countries or country in support.countries
        score = math.log10(gazetteer.population[row] + 10)
        supported = False
        if support.countries.get(country):
            score += BONUS_COUNTRY
            supported = True
        if (country, admin1) in support.regions:
            score += BONUS_REGION
            supported = True
        if (country, gazetteer.admin2[row]) in support.areas:
            score += BONUS_AREA
        if any(_km(gazetteer.lat[row], gazetteer.lon[row], gazetteer.lat[a], gazetteer.lon[a]) < NEAR_KM for a in anchors):
            score += BONUS_NEAR
            supported = supported or in_country
        if (country, admin1) in anchor_regions:
            score += BONUS_ANCHOR_REGION
        minimum = MIN_POPULATION_ABROAD if support.countries else MIN_POPULATION_WITHOUT_CONTEXT
        if not supported and gazetteer.population[row] < minimum:
            continue
        if score > best_score:
            best, best_score = row, score
    return best, best_score


def _acronym(text: str) -> bool:
    """ "KGB", "TASS": agencies and outlets; an acronym is a locality only when spelt as one ("KYIV")."""
    return text.isupper() and len(text) <= MAX_ACRONYM_LETTERS


def _truncated(mention: Mention, document: Document) -> bool:
    """The last word of an excerpt cut mid-word ("région de Krasn"): not a name to look up."""
    return not document.text[mention.span.end :].strip() and mention.text[-1:].isalpha()


def _region_place(
    mention: Mention, key: str, gazetteer: Gazetteer, countries: Counter[str]
) -> tuple[Place | None, tuple[str | None, str | None]]:
    """The first-level area a REGION mention names, and its (country, admin1 code)."""
    if key in gazetteer.regions:
        region = gazetteer.regions[key]
    else:
        row, _ = _best(gazetteer, key, _Support(countries, set()))
        if row is None:
            area = _area(key, gazetteer, countries)
            if area is None:
                return None, (None, None)
            return _named_area_place(mention, area, gazetteer), (area.country, area.admin1)
        region = Region(gazetteer.names[row], gazetteer.country[row], gazetteer.admin1[row], gazetteer.lat[row], gazetteer.lon[row])
    place = Place(
        span=mention.span, mention=mention.text, name=region.name, lat=region.lat, lon=region.lon,
        kind=PlaceKind.REGION, admin1=gazetteer.admin1_name(region.country, region.admin1) or region.name,
        country=region.country,
    )
    return place, (region.country, region.admin1)


def _names_an_area(key: str, gazetteer: Gazetteer) -> bool:
    """ "le Gard": an area's name that is no town of note (a town of that name is a town)."""
    if key not in gazetteer.areas:
        return False
    return not any(gazetteer.population[r] >= MIN_POPULATION_WITHOUT_CONTEXT for r in gazetteer.candidates(key))


def _area(key: str, gazetteer: Gazetteer, countries: Counter[str]) -> Area | None:
    """The area of that name in a country the document names; without one, the only second-level area of that name.

    A first-level area needs its country named: their names are directions and
    common words ("Sud", "Centre", "Est") more often than a département's are.
    """
    found = gazetteer.areas.get(key, ())
    named = [a for a in found if countries.get(a.country)]
    if named:
        return min(named, key=lambda a: a.level)
    return found[0] if len(found) == 1 and found[0].level == 2 and not countries else None


def _named_area_place(mention: Mention, area: Area, gazetteer: Gazetteer) -> Place:
    return Place(
        span=mention.span, mention=mention.text, name=area.name, lat=area.lat, lon=area.lon, kind=PlaceKind.REGION,
        admin1=gazetteer.admin1_name(area.country, area.admin1), country=area.country, admin2=area.admin2,
    )


def _resolve(
    gazetteer: Gazetteer, key: str, support: _Support, area_keys: dict[tuple[str, str], tuple[str, ...]]
) -> tuple[int | None, float]:
    """The best locality for `key` and its score: its own spelling, else a near miss in the document's areas."""
    row, score = _best(gazetteer, key, support)
    typo, typo_score = _near_miss(gazetteer, key, support, row, area_keys)
    return (typo, typo_score) if typo is not None and typo_score > score else (row, score)


def _near_miss(
    gazetteer: Gazetteer, key: str, support: _Support, exact: int | None, area_keys: dict[tuple[str, str], tuple[str, ...]]
) -> tuple[int | None, float]:
    """A town of the document's areas whose name is one interior letter from `key`, and its score less TYPO_PENALTY.

    Looked for only when the exact spelling found nothing in those areas. `area_keys` holds, for one
    document, the name keys of each area's towns (`Gazetteer.area_keys`: keyed once per process).
    """
    areas = support.regions | {(gazetteer.country[r], gazetteer.admin1[r]) for k, r in support.anchors if k != key}
    areas = {a for a in areas if a[0] is not None}
    if len(key) < MIN_TYPO_KEY_LENGTH or " " in key or not areas:
        return None, -math.inf
    if exact is not None and (gazetteer.country[exact], gazetteer.admin1[exact]) in areas:
        return None, -math.inf
    for area in areas - area_keys.keys():
        area_keys[area] = gazetteer.area_keys(*area)  # keyed once per process, not once per document
    misspelt = {other for area in areas for other in area_keys[area] if other != key and one_interior_edit(key, other)}
    best, best_score = None, -math.inf
    for other in misspelt:
        row, score = _best(gazetteer, other, support)
        if row is not None and (gazetteer.country[row], gazetteer.admin1[row]) in areas and score - TYPO_PENALTY > best_score:
            best, best_score = row, score - TYPO_PENALTY
    return best, best_score


def _country_place(mention: Mention, country: Country | None) -> Place | None:
    if country is None:
        return None
    return Place(
        span=mention.span, mention=mention.text, name=country.name, lat=country.lat, lon=country.lon,
        kind=PlaceKind.COUNTRY, country=country.code,
    )


def _locality_place(mention: Mention, row: int, gazetteer: Gazetteer) -> Place:
    return Place(
        span=mention.span, mention=mention.text, name=gazetteer.names[row],
        lat=gazetteer.lat[row], lon=gazetteer.lon[row], kind=PlaceKind.LOCALITY,
        geonameid=gazetteer.geonameid[row], admin1=gazetteer.admin1_name(gazetteer.country[row], gazetteer.admin1[row]),
        country=gazetteer.country[row], admin2=gazetteer.admin2[row] or None,
    )


def distance_km(a: Place, lat: float, lon: float) -> float:
    """Great-circle distance from a place to a point."""
    return _km(a.lat, a.lon, lat, lon)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))
