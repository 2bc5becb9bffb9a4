"""Score event links against gold event labels: seeds gold.json or dev labels.json.

Documents are compared by the event of their MAIN link (a live blog's lead);
B-cubed precision and recall (Bagga & Baldwin, 1998) are averaged over gold
documents. Named checks cover what B-cubed cannot see: off-topic live-blog
entries kept apart, a recalled event linked as BACKGROUND, hard negatives
(same actors and places, different weeks) not merged, inferred publication days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from recoupe.evaluate import normalise
from recoupe.model import Document, EventLink, EventRole, InferredDate

# dev/README.md: "Events D3/D4 (two Crimean bridge attacks) and D1/D6 (Wagner
# mutiny / Prigozhin plane crash) are hard negatives of each other."
DEV_HARD_NEGATIVES: tuple[tuple[str, str], ...] = (("D3", "D4"), ("D1", "D6"))

# Look-alike families (same actors, places and words, different happenings), from
# each corpus's README: dev2 lists pension-protest days W1-W4, the 49.3 / censure
# votes / the 2020 49.3 (W5-W7; W1-W7 are one larger family), Nahel W8 / the riots
# W9, the Paris 2024 sabotage and ceremonies W10-W12, storms W13/W14, al-Ahli /
# the church strike W15/W16, Niger / Gabon W17/W18.
LOOK_ALIKE_FAMILIES: dict[str, tuple[tuple[str, ...], ...]] = {
    "dev": (("D3", "D4"), ("D1", "D6")),
    "dev2": (
        ("W1", "W2", "W3", "W4", "W5", "W6", "W7"),
        ("W8", "W9"),
        ("W10", "W11", "W12"),
        ("W13", "W14"),
        ("W15", "W16"),
        ("W17", "W18"),
    ),
}


def look_alike_families(corpus: str) -> tuple[tuple[str, str], ...]:
    """Every pair of events of one family, for a corpus named as its folder."""
    families = LOOK_ALIKE_FAMILIES.get(corpus, ())
    return tuple((a, b) for family in families for i, a in enumerate(family) for b in family[i + 1 :])


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    passed: bool
    detail: str = ""


@dataclass(frozen=True, slots=True)
class EventScores:
    precision: float
    recall: float
    documents: int
    gold_events: int
    predicted_events: int
    checks: tuple[Check, ...] = ()

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def checks_passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def lines(self) -> list[str]:
        out = [
            f"events: B-cubed precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}",
            f"  {self.documents} documents, {self.gold_events} gold events, {self.predicted_events} predicted",
        ]
        out += [f"  [{'ok' if c.passed else 'FAIL'}] {c.name}{': ' + c.detail if c.detail else ''}" for c in self.checks]
        return out


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float]:
    """B-cubed precision and recall of `predicted` clusters over the items of `gold`."""
    items = list(gold)
    if not items:
        return (1.0, 1.0)
    members: dict[str, set[str]] = {}
    for item in items:
        members.setdefault(predicted[item], set()).add(item)
    classes: dict[str, set[str]] = {}
    for item in items:
        classes.setdefault(gold[item], set()).add(item)
    precision = recall = 0.0
    for item in items:
        cluster, truth = members[predicted[item]], classes[gold[item]]
        common = len(cluster & truth)
        precision += common / len(cluster)
        recall += common / len(truth)
    return (precision / len(items), recall / len(items))


def score_events(
    documents: Sequence[Document],
    links: Sequence[EventLink],
    gold_labels: Mapping | Sequence[Mapping],
    *,
    inferred: Sequence[InferredDate] = (),
    hard_negatives: Sequence[tuple[str, str]] = DEV_HARD_NEGATIVES,
) -> EventScores:
    """Score links; `gold_labels` is seeds gold.json (a mapping) or dev labels.json (a list)."""
    records = _records(gold_labels)
    by_name = {Path(d.source).name: d for d in documents}
    present = {name: by_name[name] for name in records if name in by_name}
    main = {l.document_id: l.event_id for l in links if l.role is EventRole.MAIN}
    predicted = {name: main.get(d.id, f"alone:{d.id}") for name, d in present.items()}
    gold = {name: records[name]["event"] for name in present}
    precision, recall = bcubed(predicted, gold)
    checks = [Check("documents found", len(present) == len(records), f"{len(present)}/{len(records)}")]
    if isinstance(gold_labels, Mapping):
        checks += _seed_checks(gold_labels, present, predicted, links, inferred)
    events_seen = set(gold.values())
    checks += [_apart(a, b, gold, predicted) for a, b in hard_negatives if a in events_seen and b in events_seen]
    return EventScores(precision, recall, len(present), len(set(gold.values())), len(set(predicted.values())), tuple(checks))


def _records(gold_labels: Mapping | Sequence[Mapping]) -> dict[str, Mapping]:
    if isinstance(gold_labels, Mapping):
        return dict(gold_labels["documents"])
    return {r["file"]: r for r in gold_labels}


def _event_of(label: str, gold: Mapping[str, str], predicted: Mapping[str, str]) -> str | None:
    """The predicted event most of the label's documents are in."""
    votes: dict[str, int] = {}
    for name, event in gold.items():
        if event == label:
            votes[predicted[name]] = votes.get(predicted[name], 0) + 1
    return max(votes, key=votes.__getitem__) if votes else None


def _apart(a: str, b: str, gold: Mapping[str, str], predicted: Mapping[str, str]) -> Check:
    merged = {predicted[n] for n in gold if gold[n] == a} & {predicted[n] for n in gold if gold[n] == b}
    return Check(f"{a} and {b} kept apart", not merged, f"{len(merged)} shared events" if merged else "")


def _seed_checks(
    gold_file: Mapping,
    present: Mapping[str, Document],
    predicted: Mapping[str, str],
    links: Sequence[EventLink],
    inferred: Sequence[InferredDate],
) -> list[Check]:
    records = gold_file["documents"]
    gold = {name: records[name]["event"] for name in present}
    clusters = {event: {n for n in gold if gold[n] == event} for event in set(gold.values())}
    exact = all(len({predicted[n] for n in names}) == 1 for names in clusters.values()) and len(set(predicted.values())) == len(clusters)
    checks = [Check(f"exactly {len(clusters)} events as in the gold", exact, f"{len(set(predicted.values()))} predicted")]
    for name, document in present.items():
        record = records[name]
        event = _event_of(record["event"], gold, predicted)
        for anchor in record.get("off_topic", ()):
            joined = [l for l in links if l.document_id == document.id and l.event_id == event and _covers(l, document, anchor)]
            checks.append(Check(f"{name[:3]} off-topic entry apart: {anchor[:40]}", not joined))
        if record.get("mentions_earlier_event"):
            earlier = _event_of(record["mentions_earlier_event"], gold, predicted)
            found = any(l.document_id == document.id and l.role is EventRole.BACKGROUND and l.event_id == earlier for l in links)
            checks.append(Check(f"{name[:3]} recalls {record['mentions_earlier_event']} as background", found))
        if record.get("published_inferred"):
            days = {d.date.isoformat() for d in inferred if d.document_id == document.id}
            checks.append(
                Check(f"{name[:3]} publication day inferred", record["published_inferred"] in days, f"{sorted(days) or 'none'} vs {record['published_inferred']}")
            )
    return checks


def _covers(link: EventLink, document: Document, anchor: str) -> bool:
    """The link's span (or the whole document when it has none) contains the anchor text."""
    text = document.text if link.span is None else document.text[link.span.start : link.span.end]
    return normalise(anchor) in normalise(text)
