"""The pair decision behind copies.py: is one text a copy of the other, or do both carry one dispatch?

Two logistic models over language-neutral evidence, one for texts in one language
(shared word shingles, the shared opening, names and numbers in order, sentences
matched in order) and one across languages (names, numbers and dates in order,
sentences matched by the anchors they hold). Their coefficients are data
(`models/copies.json`), fitted on labelled pairs by `recoupe.evaluate.copy_fit`;
deciding is a dot product, so no learning library is needed at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from recoupe.errors import ConfigError

MODEL_VERSION = 2
SAME_LANGUAGE_FEATURES = ("containment", "lead", "anchors", "sentences", "sentence_count", "verbatim_sentences", "density", "parallel")
CROSS_LANGUAGE_FEATURES = ("anchors", "anchor_sentences", "anchor_sentence_count", "parallel")


@dataclass(frozen=True, slots=True)
class PairFeatures:
    """What two documents share, measured so that copying, translating and spinning keep it."""

    same_language: bool
    containment: float  # share of the shorter text's words inside word shingles the other has
    lead: float  # share of either text's opening shingles found in the other
    anchors: float  # rarity-weighted share of names, numbers and dates aligned in order
    sentences: float  # share of the shorter text's sentences matched in order (content words)
    sentence_count: float  # log(1 + sentences matched in order)
    verbatim_sentences: float  # share of the shorter text's sentences matched nearly word for word
    density: float  # matched sentences over the sentences their chain spans, in both texts
    anchor_sentences: float  # share of sentences matched in order by their anchors
    anchor_sentence_count: float  # log(1 + sentences matched by anchors)
    # Share of the shorter text's sentences aligned one to one at a steady length ratio
    # along the matched sentences' diagonals (alignment.parallel_share).
    parallel: float = 0.0
    # Closing sentences of its own each text opens with before the first sentence the
    # other shares (by words or anchors), the fewer of the two: 0 when one text starts
    # where the other starts or inside it. Not weighed by the model: a rule (copies.py).
    own_opening: int = 0


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """A standardised logistic regression: p = sigmoid(intercept + sum(coef * (x - mean) / scale))."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    threshold: float  # probability from which a pair is linked

    def probability(self, features: PairFeatures) -> float:
        z = self.intercept
        for name, mean, scale, coefficient in zip(self.features, self.mean, self.scale, self.coefficients):
            z += coefficient * (getattr(features, name) - mean) / scale
        return 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))


@dataclass(frozen=True, slots=True)
class CopyModel:
    """The fitted decision: one model per language setting, and what it was fitted on."""

    version: int
    fitted_on: tuple[str, ...]  # corpus names
    same_language: LogisticModel
    cross_language: LogisticModel

    def probability(self, features: PairFeatures) -> float:
        return (self.same_language if features.same_language else self.cross_language).probability(features)

    def links(self, features: PairFeatures) -> bool:
        model = self.same_language if features.same_language else self.cross_language
        return model.probability(features) >= model.threshold

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1) + "\n"


def default_model_path() -> Path:
    return Path(str(resources.files("recoupe") / "models" / "copies.json"))


def load_copy_model(path: Path | None = None) -> CopyModel:
    """The model shipped with the package, or the one at `path` (written by `recoupe.evaluate.copy_fit`)."""
    path = path or default_model_path()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("version") != MODEL_VERSION:
            raise ConfigError(f"{path}: copy model version must be {MODEL_VERSION}, got {data.get('version')!r}")
        models = {}
        for key, names in (("same_language", SAME_LANGUAGE_FEATURES), ("cross_language", CROSS_LANGUAGE_FEATURES)):
            raw = data[key]
            models[key] = LogisticModel(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
            if models[key].features != names:
                raise ConfigError(f"{path}: {key} features must be {list(names)}, got {list(models[key].features)}")
        return CopyModel(MODEL_VERSION, tuple(data.get("fitted_on", ())), **models)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"{path}: not a copy model ({error})") from error
