"""Score contradictions against a `contradictions.json` (dev, and our own adversarial set).

The file lists every real cross-source contradiction ("contradictions"), figures
that change over time ("updates") and look-alike pairs that are no
contradiction ("compatible"). Each side names a document and a short verbatim
anchor. An output contradiction matches an item when one side's text contains
one anchor and the other side's the other (whitespace collapsed, case ignored),
in either order. Gold pairs sharing a side form one dispute; recall counts
disputes. Contradictions inside one document are outside the gold (it skips
them): they are counted apart, never scored.

An output contradiction is one dispute with its sides: it matches an item when
two statements on two of its sides do, and it is true when one of its pairs
across documents matches a gold contradiction. It is counted as an update or a
look-alike called a contradiction when any such pair matches one.

    python -m recoupe.evaluate.contradictions CORPUS   # scores, then every output pair to read
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from recoupe.disputes import opposed_statements
from recoupe.evaluate import normalise
from recoupe.groups import Groups
from recoupe.model import Contradiction, Document, Statement, Update


@dataclass(frozen=True, slots=True)
class ContradictionScores:
    output: int = 0  # contradictions (disputes) output with sides in two documents or more
    within_document: int = 0  # not scored: the gold skips them
    true: int = 0  # output matching a gold contradiction
    disputes: int = 0
    disputes_found: int = 0
    updates_called: int = 0  # output matching a gold update
    lookalikes_called: int = 0  # output matching a gold compatible pair
    gold_updates: int = 0
    gold_updates_found: int = 0  # gold update pairs whose two sides are values of one output update
    output_updates: int = 0
    false: tuple[str, ...] = ()  # output pairs matching no gold contradiction, for reading
    output_pairs: int = 0  # pairs across documents the output disputes hold

    @property
    def precision(self) -> float:
        return self.true / self.output if self.output else 1.0

    @property
    def recall(self) -> float:
        return self.disputes_found / self.disputes if self.disputes else 1.0

    def lines(self) -> list[str]:
        return [
            f"contradictions output         {self.output} across documents ({self.within_document} inside one document, not scored; {self.output_pairs} pairs across documents)",
            f"contradiction precision       {self.true}/{self.output} ({self.precision:.2f})",
            f"disputes found                {self.disputes_found}/{self.disputes} (recall {self.recall:.2f})",
            f"updates called contradictions {self.updates_called}",
            f"look-alikes called contradictions {self.lookalikes_called}",
            f"updates kept as a history     {self.gold_updates_found}/{self.gold_updates} gold pairs (output {self.output_updates} histories)",
            *(f"false: {line}" for line in self.false),
        ]


def score_contradictions(
    documents: Sequence[Document], contradictions: Sequence[Contradiction], updates: Sequence[Update], gold: Mapping
) -> ContradictionScores:
    names = {d.id: Path(d.source).name for d in documents}
    across = [c for c in contradictions if _across(c)]
    real = list(gold.get("contradictions", ()))
    hits = [[i for i, item in enumerate(real) if _matches(c, item, names)] for c in across]
    found = {i for matched in hits for i in matched}
    disputes = _disputes(real)
    update_items, compatible = gold.get("updates", ()), gold.get("compatible", ())
    return ContradictionScores(
        output=len(across),
        within_document=len(contradictions) - len(across),
        true=sum(bool(h) for h in hits),
        disputes=len(set(disputes)),
        disputes_found=len({disputes[i] for i in found}),
        updates_called=sum(any(_matches(c, item, names) for item in update_items) for c in across),
        lookalikes_called=sum(any(_matches(c, item, names) for item in compatible) for c in across),
        gold_updates=len(update_items),
        gold_updates_found=sum(any(_in_history(u, item, names) for u in updates) for item in update_items),
        output_updates=len(updates),
        false=tuple(describe(c, names) for c, h in zip(across, hits) if not h),
        output_pairs=sum(len(_across(c)) for c in across),
    )


def _across(contradiction: Contradiction) -> list[tuple[Statement, Statement]]:
    """The dispute's opposed pairs whose statements are in two documents: what the gold scores."""
    return [(x, y) for x, y in opposed_statements(contradiction) if x.span.document_id != y.span.document_id]


def describe(contradiction: Contradiction, names: Mapping[str, str]) -> str:
    """One line for reading: kind, subject, and each side with its documents and speakers."""
    sides = "  <>  ".join(" + ".join(_side(s, names) for s in side.statements) for side in contradiction.positions)
    return f"[{contradiction.kind.value} {contradiction.subject}] {sides}"


def _side(statement: Statement, names: Mapping[str, str]) -> str:
    figure = f" {{{statement.figure.text}}}" if statement.figure else ""
    text = " ".join(statement.text.split())
    return f"{names.get(statement.span.document_id, '?')[:3]} {statement.speaker or '-'}{figure}: {text[:110]!r}"


def _holds(statement: Statement, side: Mapping, names: Mapping[str, str]) -> bool:
    return names.get(statement.span.document_id) == side["doc"] and normalise(side["anchor"]) in normalise(statement.text)


def _matches(contradiction: Contradiction, item: Mapping, names: Mapping[str, str]) -> bool:
    return any(
        (_holds(a, item["a"], names) and _holds(b, item["b"], names))
        or (_holds(a, item["b"], names) and _holds(b, item["a"], names))
        for a, b in _across(contradiction)
    )


def _in_history(update: Update, item: Mapping, names: Mapping[str, str]) -> bool:
    return any(_holds(v, item["a"], names) for v in update.values) and any(_holds(v, item["b"], names) for v in update.values)


def _disputes(items: Sequence[Mapping]) -> list[int]:
    """Dispute number of each gold pair: pairs sharing a side (document and anchor) are one dispute."""
    groups = Groups(len(items))
    owner: dict[tuple[str, str], int] = {}
    for index, item in enumerate(items):
        for side in (item["a"], item["b"]):
            groups.union(index, owner.setdefault((side["doc"], normalise(side["anchor"])), index))
    return [groups.find(i) for i in range(len(items))]


def main(argv: Sequence[str]) -> None:
    """Score one corpus folder against a contradictions file (default: the folder's), then list every pair."""
    import json

    from recoupe.api import load_tools
    from recoupe.evaluate.run import process_corpus
    from recoupe.settings import Settings

    folder = Path(argv[0])
    gold_path = Path(argv[1]) if len(argv) > 1 else folder / "contradictions.json"
    settings = Settings()
    corpus = process_corpus(folder, tools=load_tools(settings), settings=settings)
    results = corpus.results
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    print("\n".join(score_contradictions(corpus.documents, results.contradictions, results.updates, gold).lines()))
    names = {d.id: Path(d.source).name for d in corpus.documents}
    print("\n".join(f"output: {describe(c, names)}" for c in results.contradictions))
    for update in results.updates:
        print(f"update: [{update.subject}] " + " -> ".join(_side(v, names) for v in update.values))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
