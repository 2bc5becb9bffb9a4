"""Are two units reports of one event? Language-neutral evidence, and the learned model that weighs it.

The evidence of a pair (`pair_evidence`) is what an analyst reads in any
language: how many days apart the two reports put their event and how sure
each date is, which names and places they share (rare ones count more), how
far apart their places are, the figures they share, how alike their titles and
leads are, and whether they report the same type of event.

`PairModel` is a logistic regression over that evidence, fitted on labelled
document pairs by `recoupe.evaluate.fit` (scikit-learn) and shipped as JSON
coefficients in `recoupe/models/`: applying it needs no scikit-learn. Its
`threshold` is the average pair probability at which two groups of reports
become one event, chosen on the same training corpus.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources as package_files

from recoupe.errors import ConfigError
from recoupe.units import DateCertainty, Unit

# Bump when the evidence changes meaning: a model file states the version it was fitted for.
EVIDENCE_VERSION = 2

EVIDENCE: tuple[str, ...] = (
    "text_cosine",  # idf-weighted cosine of all words, names, places and type cues
    "lead_cosine",  # the same over the titles and leads only
    "names_shared",  # idf mass of shared entity keys over the smaller side's
    "rarest_name",  # idf of the rarest shared entity key, over the largest idf possible
    "places_shared",  # idf mass of shared GeoNames ids over the smaller side's
    "place_km",  # log distance between their closest places, over log(20,000 km)
    "places_unknown",  # one side names no place
    "figures_shared",  # shared (category, value) counts, up to 3, over 3
    "type_overlap",  # Jaccard of their event-type cues
    "days_apart_sure",  # log(1 + days between their windows), both dated to the day
    "days_apart_unsure",  # the same when one side's days are only from text or a month
    "days_unknown",  # one side states no day at all
    "both_stated",  # both dated by their page's own day
    "day_gap",  # log(1 + days between the days their leads name or their pages state), year aside
    "day_unknown",  # one side names no day in its lead and states none
    "same_language",
)

_EARTH_KM = 6371.0
_FAR_KM = 20000.0
_FIGURES_CAP = 3


@dataclass(frozen=True, slots=True)
class Rarity:
    """Inverse document frequency over the units seen: ln((units + prior) / (1 + df))."""

    df: Mapping[str, int]
    units: int
    prior: int

    def idf(self, name: str) -> float:
        return max(math.log((self.units + self.prior) / (1 + self.df.get(name, 0))), 0.0)

    @property
    def ceiling(self) -> float:
        return math.log(self.units + self.prior) or 1.0


def weighted_vector(features: Sequence[tuple[str, float]], idf: Callable[[str], float]) -> dict[str, float]:
    """Unit-length tf-idf vector of weighted features."""
    vector = {name: weight * idf(name) for name, weight in features}
    vector = {name: w for name, w in vector.items() if w > 0}
    norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
    return {name: w / norm for name, w in vector.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The dot product of two sparse vectors, summed in the order of the shorter one's features.

    Features of one only add 0.0 and are left out: the same sum, bit for bit, for
    a fraction of the work (two units share few of their features)."""
    if len(a) > len(b):
        a, b = b, a
    return sum([w * b[name] for name, w in a.items() if name in b], 0.0)


@dataclass(frozen=True, slots=True)
class UnitEvidence:
    """What pairs read of one unit, computed once per unit and rarity."""

    unit: Unit
    vector: Mapping[str, float]
    lead: Mapping[str, float]
    names: Mapping[str, float]  # entity key -> idf
    places: Mapping[str, float]  # "p:<geonameid>" -> idf
    types: frozenset[str]

    @classmethod
    def of(cls, unit: Unit, rarity: Rarity) -> UnitEvidence:
        vector = weighted_vector(unit.features, rarity.idf)
        lead = weighted_vector([(name, 1.0) for name in unit.lead], rarity.idf)
        names = {n: rarity.idf(n) for n, _ in unit.features if n.startswith("e:")}
        places = {n: rarity.idf(n) for n, _ in unit.features if n.startswith("p:")}
        types = frozenset(n for n, _ in unit.features if n.startswith("t:"))
        return cls(unit, vector, lead, names, places, types)


def pair_evidence(a: UnitEvidence, b: UnitEvidence, rarity: Rarity) -> tuple[float, ...]:
    """The evidence of EVIDENCE, in that order."""
    names = _shared_mass(a.names, b.names)
    shared_names = a.names.keys() & b.names.keys()
    rarest = max((a.names[n] for n in shared_names), default=0.0) / rarity.ceiling
    km = _closest_km(a.unit.coordinates, b.unit.coordinates)
    figures = min(len(a.unit.figures & b.unit.figures), _FIGURES_CAP) / _FIGURES_CAP
    types = len(a.types & b.types) / len(a.types | b.types) if a.types and b.types else 0.0
    gap = days_apart(a.unit, b.unit)
    sure = a.unit.certainty >= DateCertainty.TEXT and b.unit.certainty >= DateCertainty.TEXT and _exact(a.unit) and _exact(b.unit)
    log_gap = math.log1p(gap) if gap is not None else 0.0
    marks = day_gap(a.unit, b.unit)
    return (
        cosine(a.vector, b.vector),
        cosine(a.lead, b.lead),
        names,
        min(rarest, 1.0),
        _shared_mass(a.places, b.places),
        math.log1p(km) / math.log1p(_FAR_KM) if km is not None else 0.0,
        float(km is None),
        figures,
        types,
        log_gap if sure else 0.0,
        log_gap if not sure else 0.0,
        float(gap is None),
        float(a.unit.certainty is DateCertainty.STATED and b.unit.certainty is DateCertainty.STATED),
        math.log1p(marks) if marks is not None else 0.0,
        float(marks is None),
        float(a.unit.language == b.unit.language),
    )


def days_apart(a: Unit, b: Unit) -> int | None:
    """Days between two units' windows (0 when they overlap); None when one has none."""
    if a.window is None or b.window is None:
        return None
    return max((a.window.start - b.window.end).days, (b.window.start - a.window.end).days, 0)


def day_gap(a: Unit, b: Unit) -> int | None:
    """Fewest days between a day each names or states, year aside (a lead's "7 mars" meets
    a page dated 2023-03-07); None when one names none."""
    days_a, days_b = _days_of_year(a), _days_of_year(b)
    if not days_a or not days_b:
        return None
    return min(min(abs(x - y), 365 - abs(x - y)) for x in days_a for y in days_b)


def _days_of_year(unit: Unit) -> set[int]:
    out = set()
    if unit.day_mark is not None:
        month, day = unit.day_mark
        out.add(_day_of_year(month, day))
    window = unit.window
    if window is not None and window.exact and unit.certainty >= DateCertainty.TEXT and (window.end - window.start).days <= 7:
        day = window.start
        while day <= window.end:
            out.add(_day_of_year(day.month, day.day))
            day += dt.timedelta(days=1)
    return out


def _day_of_year(month: int, day: int) -> int:
    try:
        return dt.date(2001, month, day).timetuple().tm_yday  # a year without 29 February
    except ValueError:
        return dt.date(2001, month, 28).timetuple().tm_yday


def _exact(unit: Unit) -> bool:
    return unit.window is not None and unit.window.exact


def _shared_mass(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if not a or not b:
        return 0.0
    shared = sum(a[n] for n in a.keys() & b.keys())
    smaller = min(sum(a.values()), sum(b.values()))
    return min(shared / smaller, 1.0) if smaller else 0.0


def _closest_km(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> float | None:
    """Great-circle distance between the closest of their places (the first 8 of each)."""
    if not a or not b:
        return None
    return min(_haversine(p, q) for p in a[:8] for q in b[:8])


def _haversine(p: tuple[float, float], q: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*p, *q))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class PairModel:
    """Standardised logistic regression over EVIDENCE, and the linkage threshold fitted with it."""

    coefficients: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float
    evidence: tuple[str, ...] = EVIDENCE
    version: int = EVIDENCE_VERSION
    fitted_on: tuple[str, ...] = ()
    pairs: int = 0

    def probability(self, evidence: Sequence[float]) -> float:
        z = self.intercept + sum(c * (x - m) / s for c, x, m, s in zip(self.coefficients, evidence, self.mean, self.scale))
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def to_json(self) -> str:
        data = {
            "about": "Same-event pair model for recoupe.events (logistic regression, standardised evidence); "
            "refit with `recoupe fit events`.",
            "version": self.version,
            "fitted_on": list(self.fitted_on),
            "pairs": self.pairs,
            "threshold": round(self.threshold, 4),
            "intercept": self.intercept,
            "evidence": {
                name: {"coefficient": c, "mean": m, "scale": s}
                for name, c, m, s in zip(self.evidence, self.coefficients, self.mean, self.scale)
            },
        }
        return json.dumps(data, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "pair model") -> PairModel:
        try:
            data = json.loads(text)
            evidence = tuple(data["evidence"])
            if data["version"] != EVIDENCE_VERSION or evidence != EVIDENCE:
                raise ConfigError(
                    f"{source}: fitted for evidence version {data['version']} {list(evidence)}, "
                    f"this code computes version {EVIDENCE_VERSION}: refit it with `recoupe fit events`"
                )
            rows = [data["evidence"][name] for name in evidence]
            return cls(
                coefficients=tuple(float(r["coefficient"]) for r in rows),
                intercept=float(data["intercept"]),
                mean=tuple(float(r["mean"]) for r in rows),
                scale=tuple(float(r["scale"]) or 1.0 for r in rows),
                threshold=float(data["threshold"]),
                evidence=evidence,
                version=int(data["version"]),
                fitted_on=tuple(data.get("fitted_on", ())),
                pairs=int(data.get("pairs", 0)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ConfigError(f"{source}: not a pair model ({error})") from error


# The model `recoupe run` uses (fitted on every labelled corpus), and those fitted on one corpus
# alone, which `recoupe eval` applies to the other.
DEFAULT_MODEL = "event_pairs.json"


def load_pair_model(name: str = DEFAULT_MODEL) -> PairModel:
    """A model file shipped in recoupe/models/, by file name; "" is no model (while fitting one):
    no pair is the same event."""
    if not name:
        return PairModel((0.0,) * len(EVIDENCE), -30.0, (0.0,) * len(EVIDENCE), (1.0,) * len(EVIDENCE), 1.0)
    try:
        text = package_files.files("recoupe.models").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as error:
        raise ConfigError(f"no pair model {name!r} in recoupe/models ({error})") from error
    return PairModel.from_json(text, name)
