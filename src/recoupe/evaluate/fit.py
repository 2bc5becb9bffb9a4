"""Fit the same-event pair model (`recoupe.event_pairs`) from labelled corpora: `recoupe fit events`.

Pairs are the candidate pairs the clusterer itself would judge (units sharing a
strong feature in weeks their event can span), over the main unit of each
labelled document, read from the text alone and with crawl metadata: a model
must hold both ways. Labels are the corpus's `event` per file. The logistic
regression is fitted by scikit-learn on standardised evidence; the linkage
threshold is the one giving the best mean B-cubed F1 on the same training
corpora. One model is fitted on every corpus given (what `recoupe run` uses)
and one on each corpus alone, which `recoupe eval` applies to the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from recoupe.event_pairs import PairModel, UnitEvidence, load_pair_model, pair_evidence
from recoupe.events import EventClusterer, unit_id
from recoupe.units import Unit
from recoupe.lang import LanguageResources
from recoupe.model import Analysis, Document, EventRole
from recoupe.settings import EventSettings

# Linkage thresholds tried; the middle of the best plateau is kept.
THRESHOLDS: tuple[float, ...] = tuple(round(0.1 + 0.05 * i, 2) for i in range(15))
# L2 strength of the logistic regression (scikit-learn's C): the default; evidence is standardised.
REGULARISATION = 1.0


@dataclass(frozen=True, slots=True)
class LabelledSet:
    """One corpus read one way (text alone, or with crawl metadata): what clustering sees, and its labels."""

    name: str
    documents: tuple[Document, ...]
    analyses: tuple[Analysis, ...]
    events: Mapping[str, str]  # document id -> gold event


def labelled_pairs(
    data: LabelledSet, settings: EventSettings, resources: Mapping[str, LanguageResources], model: PairModel
) -> tuple[list[tuple[float, ...]], list[int]]:
    """Evidence and same-event label of every candidate pair of main units of labelled documents."""
    clusterer = EventClusterer(settings, resources, model)
    units = clusterer._remember(clusterer.units(data.documents, data.analyses))
    rarity = clusterer.rarity
    main = {unit_id(u.document_id, u.start): u for u in units if u.role is EventRole.MAIN and u.document_id in data.events}
    evidence = {k: UnitEvidence.of(u, rarity) for k, u in main.items()}
    rows, labels = [], []
    for key, other in clusterer.judged_pairs(sorted(main), rarity):
        rows.append(pair_evidence(evidence[key], evidence[other], rarity))
        labels.append(int(data.events[main[key].document_id] == data.events[main[other].document_id]))
    return rows, labels


def fit_pair_model(
    sets: Sequence[LabelledSet], settings: EventSettings, resources: Mapping[str, LanguageResources]
) -> PairModel:
    """Logistic regression over the sets' pairs, then the linkage threshold best on the same sets."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    placeholder = load_pair_model("")
    rows: list[tuple[float, ...]] = []
    labels: list[int] = []
    for data in sets:
        x, y = labelled_pairs(data, settings, resources, placeholder)
        rows += x
        labels += y
    x = np.asarray(rows, dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(C=REGULARISATION, max_iter=1000).fit((x - mean) / scale, np.asarray(labels))
    model = PairModel(
        coefficients=tuple(round(float(c), 6) for c in regression.coef_[0]),
        intercept=round(float(regression.intercept_[0]), 6),
        mean=tuple(round(float(m), 6) for m in mean),
        scale=tuple(round(float(s), 6) for s in scale),
        threshold=0.5,
        fitted_on=tuple(sorted({d.name for d in sets})),
        pairs=len(labels),
    )
    units = [EventClusterer(settings, resources, model).units(d.documents, d.analyses) for d in sets]
    scores = {
        t: sum(cluster_f1(d, settings, resources, replace(model, threshold=t), u) for d, u in zip(sets, units)) / len(sets)
        for t in THRESHOLDS
    }
    best = max(scores.values())
    plateau = [t for t in THRESHOLDS if scores[t] >= best - 0.005]
    return replace(model, threshold=plateau[len(plateau) // 2])


def cluster_f1(
    data: LabelledSet,
    settings: EventSettings,
    resources: Mapping[str, LanguageResources],
    model: PairModel,
    units: Sequence[Unit] | None = None,
) -> float:
    """B-cubed F1 of the main links of the set's documents clustered in one batch (`units`: already cut)."""
    from recoupe.evaluate.events import bcubed

    clusterer = EventClusterer(settings, resources, model)
    links = clusterer.add_units(units if units is not None else clusterer.units(data.documents, data.analyses))
    main = {l.document_id: l.event_id for l in links if l.role is EventRole.MAIN}
    gold = dict(data.events)
    predicted = {d: main.get(d, "alone:" + d) for d in gold}
    precision, recall = bcubed(predicted, gold)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def model_file_name(corpora: Sequence[str], everything: bool = False) -> str:
    """`event_pairs.json` for the production model, `event_pairs.<a>+<b>.json` for one fitted on some corpora."""
    return "event_pairs.json" if everything else "event_pairs." + "+".join(sorted(corpora)) + ".json"


def models_folder() -> Path:
    return Path(__file__).resolve().parent.parent / "models"


def read_labelled(path: Path, *, tools, settings, crawled: bool) -> LabelledSet:
    """A labelled corpus through the pipeline (`run.read_corpus`), as the event stage saw it."""
    from recoupe.evaluate.run import read_corpus, read_json

    processed = read_corpus(path, tools=tools, settings=settings, crawled=crawled)
    labels = {record["file"]: record["event"] for record in read_json(path / "labels.json")}
    documents = tuple(d for d in processed.documents if Path(d.source).name in labels)
    events = {d.id: labels[Path(d.source).name] for d in documents}
    return LabelledSet(path.name, documents, processed.analyses, events)


def fit_all(paths: Sequence[Path], *, tools, settings, out: Path | None = None) -> list[tuple[Path, PairModel]]:
    """Fit on every corpus together and on each alone; write the JSON files; return them."""
    folder = out or models_folder()
    folder.mkdir(parents=True, exist_ok=True)
    # Read without a model: the event stage's input does not depend on it, and a changed evidence needs none.
    reading = replace(settings, events=replace(settings.events, model=""))
    sets = {p.name: [read_labelled(p, tools=tools, settings=reading, crawled=c) for c in (False, True)] for p in paths}
    resources = tools.toolkit.languages
    jobs = [(model_file_name(list(sets), everything=True), [s for group in sets.values() for s in group])]
    if len(sets) > 1:
        jobs += [(model_file_name([name]), group) for name, group in sets.items()]
    written = []
    for file_name, group in jobs:
        model = fit_pair_model(group, settings.events, resources)
        target = folder / file_name
        target.write_text(model.to_json(), encoding="utf-8")
        written.append((target, model))
    return written


def main(argv: Sequence[str]) -> None:  # python -m recoupe.evaluate.fit CORPUS...
    from recoupe.api import load_tools
    from recoupe.settings import Settings

    settings = Settings()
    for target, model in fit_all([Path(a) for a in argv], tools=load_tools(settings), settings=settings):
        print(f"wrote {target}: {model.pairs} pairs, fitted on {', '.join(model.fitted_on)}, threshold {model.threshold}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
