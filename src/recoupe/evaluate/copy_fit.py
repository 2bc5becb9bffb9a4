"""Fit the copy model on labelled corpora, and score it on another: the protocol behind `models/copies.json`.

    python -m recoupe.evaluate.copy_fit CORPUS [CORPUS...] [--output FILE]

refits the shipped model (by default from `dev`: dev2 then scores what it never
saw). Every pair of a corpus's documents is an example; it is a copy pair when
both sit in one group of `copy_of` links (labels.json). Pairs are measured as
the detector measures them once every document is held.

Each language setting gets a standardised logistic regression (scikit-learn,
classes balanced: copies are about 1% of pairs). Its threshold is the one that
maximises F1 on out-of-fold probabilities (5 folds of the fitting corpus, averaged
over 10 shufflings), not on the pairs the model saw.
"""

from __future__ import annotations

import argparse
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from recoupe.copies import CopyDetector, calendar_anchors, find_dispatches, pair_features, profile_document, wire_agencies
from recoupe.copy_model import (
    CROSS_LANGUAGE_FEATURES,
    MODEL_VERSION,
    SAME_LANGUAGE_FEATURES,
    CopyModel,
    LogisticModel,
    PairFeatures,
    default_model_path,
)
from recoupe.evaluate.copies import CopyGroupScores, score_copy_groups
from recoupe.model import Document
from recoupe.settings import Settings

# Inverse regularisation strength: few positive pairs (14 in dev), so a strong prior.
REGULARISATION = 0.1
FOLDS = 5
# Out-of-fold probabilities averaged over 10 shufflings: with so few copies one split's threshold is noise.
REPEATS = 10


@dataclass(frozen=True, slots=True)
class LabelledCorpus:
    name: str
    documents: tuple[Document, ...]
    labels: tuple[dict, ...]


def read_labelled_corpus(path: Path, settings: Settings) -> LabelledCorpus:
    """`path/articles` ingested (with each page's crawled URL and outlet) and cleaned, as `recoupe eval` does, without spaCy."""
    from recoupe.clean import NoiseRules, build_language_detector, clean_in_language
    from recoupe.evaluate.run import _crawled, read_json
    from recoupe.lang import load_language, supported_languages

    labels = read_json(path / "labels.json")
    detector = build_language_detector()
    noise = {code: NoiseRules.from_resources(load_language(code)) for code in supported_languages()}
    documents = tuple(
        clean_in_language(raw, noise, settings.language, detector, settings.clean)
        for raw in _crawled(path / "articles", labels, settings)
    )
    return LabelledCorpus(path.name, documents, tuple(labels))


def labelled_pairs(corpus: LabelledCorpus, settings: Settings) -> list[tuple[PairFeatures, bool]]:
    """Every pair of documents long enough to judge, with whether the labels put them in one copy group. O(n²)."""
    from recoupe.lang import load_language, supported_languages

    resources = [load_language(code) for code in supported_languages()]
    agencies, calendar = wire_agencies(resources), calendar_anchors(resources)
    copies = settings.copies
    profiles = [profile_document(d, i, copies, agencies, calendar) for i, d in enumerate(corpus.documents)]
    profiles = [p for p in profiles if p.words >= copies.min_words]
    df = Counter(a for p in profiles for a in set(p.anchors))
    group = _label_groups(corpus)
    examples = []
    for a, b in itertools.combinations(profiles, 2):
        features = pair_features(b, a, copies, df, len(profiles) - 2)
        examples.append((features, group.get(a.document_id, a.document_id) == group.get(b.document_id, b.document_id)))
    return examples


def fit_copy_model(examples: Sequence[tuple[PairFeatures, bool]], fitted_on: Sequence[str]) -> CopyModel:
    same = [(f, y) for f, y in examples if f.same_language]
    cross = [(f, y) for f, y in examples if not f.same_language]
    return CopyModel(
        version=MODEL_VERSION,
        fitted_on=tuple(fitted_on),
        same_language=_fit_logistic(same, SAME_LANGUAGE_FEATURES),
        cross_language=_fit_logistic(cross, CROSS_LANGUAGE_FEATURES),
    )


def _fit_logistic(examples: Sequence[tuple[PairFeatures, bool]], names: tuple[str, ...]) -> LogisticModel:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.array([[getattr(f, n) for n in names] for f, _ in examples], dtype=float)
    y = np.array([label for _, label in examples])

    def pipeline():
        return make_pipeline(StandardScaler(), LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=1000))

    held_out = np.zeros(len(y))
    for seed in range(REPEATS):
        folds = StratifiedKFold(n_splits=min(FOLDS, int(y.sum())), shuffle=True, random_state=seed)
        held_out += cross_val_predict(pipeline(), x, y, cv=folds, method="predict_proba")[:, 1] / REPEATS
    threshold = _best_threshold(held_out, y)
    fitted = pipeline().fit(x, y)
    scaler, logistic = fitted[0], fitted[-1]
    return LogisticModel(
        features=names,
        mean=tuple(round(float(v), 6) for v in scaler.mean_),
        scale=tuple(round(float(v), 6) for v in scaler.scale_),
        coefficients=tuple(round(float(v), 6) for v in logistic.coef_[0]),
        intercept=round(float(logistic.intercept_[0]), 6),
        threshold=round(threshold, 4),
    )


def _best_threshold(probabilities, labels) -> float:
    """The middle of the range of probability cuts with the best F1 on held-out folds.

    A cut anywhere above one held-out probability and up to the next links the same
    pairs, so the best cuts form a range: from just above the strongest non-copy it
    leaves out to the weakest copy it keeps. Its middle leaves most room on both
    sides for pairs the fit never saw. (Cuts are compared with the probabilities at
    the precision a threshold is written in, 4 decimals.)"""
    best, low, high = -1.0, 0.0, 0.5
    rounded = probabilities.round(4)
    below = 0.0
    for candidate in sorted(set(rounded)):
        chosen = rounded >= candidate
        true = int((chosen & labels).sum())
        f1 = 2 * true / max(1, int(chosen.sum()) + int(labels.sum()))
        if f1 > best:
            best, low, high = f1, below, float(candidate)
        elif f1 == best:
            high = float(candidate)
        below = float(candidate)
    return (low + high) / 2


def score_with_model(corpus: LabelledCorpus, model: CopyModel, settings: Settings) -> CopyGroupScores:
    """The detector, with `model`, on the corpus in file order; scored by copy-or-dispatch groups."""
    from recoupe.lang import load_language, supported_languages

    resources = [load_language(code) for code in supported_languages()]
    agencies = wire_agencies(resources)
    detector = CopyDetector(settings.copies, agencies, model=model, calendar=calendar_anchors(resources))
    links = detector.add(list(corpus.documents))
    dispatches = find_dispatches(list(corpus.documents), links, agencies)
    return score_copy_groups(list(corpus.documents), links, dispatches, list(corpus.labels))


def cross_corpus(fit_on: LabelledCorpus, score_on: LabelledCorpus, settings: Settings) -> CopyGroupScores:
    """Fit on one corpus, score on the other: the only figures worth reporting."""
    model = fit_copy_model(labelled_pairs(fit_on, settings), [fit_on.name])
    return score_with_model(score_on, model, settings)


def _label_groups(corpus: LabelledCorpus) -> dict[str, str]:
    """Document id -> a representative of its copy group (files joined by `copy_of`)."""
    by_file = {Path(d.source).name: d.id for d in corpus.documents}
    parent = {d.id: d.id for d in corpus.documents}

    def root(i: str) -> str:
        while parent[i] != i:
            i = parent[i]
        return i

    for record in corpus.labels:
        a, b = by_file.get(record["file"]), by_file.get(record.get("copy_of") or "")
        if a and b:
            parent[root(a)] = root(b)
    return {i: root(i) for i in parent}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m recoupe.evaluate.copy_fit", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path, help="corpus folders with articles/ and labels.json")
    parser.add_argument("--output", type=Path, default=default_model_path(), help="where to write the model (default: the packaged one)")
    parser.add_argument("--score", type=Path, action="append", default=[], help="a corpus to score the new model on")
    args = parser.parse_args(argv)
    settings = Settings()
    corpora = [read_labelled_corpus(path, settings) for path in args.corpora]
    examples = [example for corpus in corpora for example in labelled_pairs(corpus, settings)]
    model = fit_copy_model(examples, [c.name for c in corpora])
    args.output.write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {args.output}: fitted on {', '.join(model.fitted_on)} ({len(examples)} pairs, {sum(y for _, y in examples)} copies)")
    for path in args.score:
        print("\n".join(score_with_model(read_labelled_corpus(path, settings), model, settings).lines()))


if __name__ == "__main__":
    main()


__all__ = [
    "LabelledCorpus",
    "cross_corpus",
    "fit_copy_model",
    "labelled_pairs",
    "read_labelled_corpus",
    "score_with_model",
]
