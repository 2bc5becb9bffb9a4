"""Score attributed claims and contradictions against seeds gold.json ("claims", "contradictions").

A gold claim is found when an output claim of its document contains the anchor
(gold matching rule) and its speaker matches one of the gold speaker strings by
containment either way, or through the aliases of the speaker's entity. Gold is
not exhaustive: the output claims that match no gold claim are listed for a
human to judge, and `precision` counts only the matched ones.

    python -m recoupe.evaluate.claims ../shared/corpus/seeds   # scores + unmatched claims
    python -m recoupe.evaluate.claims ../shared/corpus/dev 30  # 30 random claims to read

Hedges are scored on claims labelled by reading (`labels/dev_hedges.json`): each item
names its document and an anchor (character offsets and a digest of the anchor text,
never the text itself), so the labels apply only to the corpus they were read on.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from recoupe.disputes import opposed_statements
from recoupe.evaluate import normalise
from recoupe.model import Analysis, Claim, Contradiction, Document, Entity, Polarity, Statement

LABELS = Path(__file__).parent / "labels"


@dataclass(frozen=True, slots=True)
class ClaimScores:
    gold_claims: int = 0
    found_with_right_speaker: int = 0
    output_claims: int = 0
    matched_output_claims: int = 0  # output claims that are some gold claim, with its speaker
    hedged_total: int = 0  # gold claims carrying "hedged"
    hedged_right: int = 0
    polarity_total: int = 0  # gold claims carrying "polarity"
    polarity_right: int = 0
    contradictions_total: int = 0
    contradictions_found: int = 0
    output_contradictions: int = 0
    missed: tuple[str, ...] = ()  # gold claims not found, for reading
    unmatched: tuple[str, ...] = ()  # output claims matching no gold claim, to judge by reading

    @property
    def recall(self) -> float:
        return self.found_with_right_speaker / self.gold_claims if self.gold_claims else 0.0

    @property
    def precision(self) -> float:
        return self.matched_output_claims / self.output_claims if self.output_claims else 0.0

    def lines(self) -> list[str]:
        return [
            f"claims found, right speaker  {self.found_with_right_speaker}/{self.gold_claims} (recall {self.recall:.2f})",
            f"output claims matching gold  {self.matched_output_claims}/{self.output_claims} (precision vs partial gold {self.precision:.2f})",
            f"hedged right                 {self.hedged_right}/{self.hedged_total}",
            f"polarity right               {self.polarity_right}/{self.polarity_total}",
            f"contradictions found         {self.contradictions_found}/{self.contradictions_total} (output {self.output_contradictions})",
            *(f"missed: {line}" for line in self.missed),
            *(f"unmatched: {line}" for line in self.unmatched),
        ]


def score_claims(
    documents: Sequence[Document],
    analyses: Sequence[Analysis],
    contradictions: Sequence[Contradiction],
    gold: Mapping,
    entities: Sequence[Entity] = (),
) -> ClaimScores:
    """Compare each document's claims with the gold claims of the same file name."""
    names = {d.id: Path(d.source).name for d in documents}
    claims_by_name: dict[str, list[Claim]] = {}
    for analysis in analyses:
        claims_by_name.setdefault(names.get(analysis.document_id, ""), []).extend(analysis.claims)
    aliases = {e.id: (e.name, *e.aliases) for e in entities}
    counts = dict.fromkeys(("found", "hedged_total", "hedged_right", "polarity_total", "polarity_right"), 0)
    matched: set[str] = set()
    missed: list[str] = []
    for expected in gold.get("claims", ()):
        hits = [c for c in claims_by_name.get(expected["doc"], ()) if _matches(c, expected, aliases)]
        matched.update(c.id for c in hits)
        counts["found"] += bool(hits)
        if not hits:
            missed.append(f"{expected['doc'][:3]} {expected['speaker'][0]!r}: {expected['anchor']!r}")
        if "hedged" in expected:
            counts["hedged_total"] += 1
            counts["hedged_right"] += bool(hits) and all(c.hedged == expected["hedged"] for c in hits)
        if "polarity" in expected:
            counts["polarity_total"] += 1
            counts["polarity_right"] += bool(hits) and all(c.polarity is Polarity(expected["polarity"]) for c in hits)
    output = [(name, c) for name, claims in sorted(claims_by_name.items()) for c in claims]
    return ClaimScores(
        gold_claims=len(gold.get("claims", ())),
        found_with_right_speaker=counts["found"],
        output_claims=len(output),
        matched_output_claims=sum(c.id in matched for _, c in output),
        hedged_total=counts["hedged_total"],
        hedged_right=counts["hedged_right"],
        polarity_total=counts["polarity_total"],
        polarity_right=counts["polarity_right"],
        contradictions_total=len(gold.get("contradictions", ())),
        contradictions_found=_contradictions_found(contradictions, names, gold),
        output_contradictions=len(contradictions),
        missed=tuple(missed),
        unmatched=tuple(f"{name[:3]} {describe(c)}" for name, c in output if c.id not in matched),
    )


@dataclass(frozen=True, slots=True)
class HedgeScores:
    """Hedged flags against claims labelled by reading; items whose anchor no output claim covers are counted apart."""

    items: int = 0  # labelled items whose document and anchor are in the corpus
    found: int = 0  # items an output claim covers
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    errors: tuple[str, ...] = ()  # wrong flags, for reading

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        hedged = self.true_positive + self.false_negative
        return self.true_positive / hedged if hedged else 1.0

    def lines(self) -> list[str]:
        return [
            f"labelled claims found        {self.found}/{self.items}",
            f"hedged precision             {self.precision:.2f} ({self.true_positive}/{self.true_positive + self.false_positive})",
            f"hedged recall                {self.recall:.2f} ({self.true_positive}/{self.true_positive + self.false_negative})",
            *(f"wrong: {line}" for line in self.errors),
        ]


@dataclass(frozen=True, slots=True)
class ReadScores:
    """A sample of output claims read by hand (`labels/<corpus>_claims_read.json`): the verdicts as read, and how many
    of the read claims the current output still gives as they were read (same span, speaker and hedge)."""

    items: int = 0
    right: int = 0
    seed: int | None = None
    still_output: int = 0
    right_still_output: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.items if self.items else 0.0

    def lines(self) -> list[str]:
        return [
            f"read right                   {self.right}/{self.items} (precision {self.precision:.2f}, seed {self.seed})",
            f"still output as read         {self.still_output}/{self.items} (of the right ones {self.right_still_output}/{self.right})",
        ]


def score_read(documents: Sequence[Document], analyses: Sequence[Analysis], record: Mapping) -> ReadScores:
    """The verdicts of a reading record, and which of its claims the output still holds unchanged."""
    by_name = {Path(d.source).name: d.id for d in documents}
    claims = {(a.document_id, c.span.start, c.span.end): c for a in analyses for c in a.claims}
    items = record.get("items", ())
    still = [
        i for i in items
        if (claim := claims.get((by_name.get(i["doc"]), i["start"], i["end"]))) is not None
        and claim.speaker is not None and claim.speaker.name == i["speaker"] and claim.hedged == i["hedged"]
    ]
    return ReadScores(
        items=len(items),
        right=sum(i["right"] for i in items),
        seed=record.get("seed"),
        still_output=len(still),
        right_still_output=sum(i["right"] for i in still),
    )


def load_labels(name: str) -> dict:
    return json.loads((LABELS / name).read_text(encoding="utf-8"))


def anchor_digest(text: str) -> str:
    """The digest a label keeps of its anchor: SHA-1 of the text with whitespace collapsed, 12 hex digits."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def labelled_claims(
    documents: Sequence[Document], analyses: Sequence[Analysis], items: Sequence[Mapping]
) -> list[tuple[Mapping, Claim | None]]:
    """Each label whose anchor is in the corpus, with the output claim covering most of it (at least half)."""
    by_name = {Path(d.source).name: d for d in documents}
    claims = {a.document_id: a.claims for a in analyses}
    out: list[tuple[Mapping, Claim | None]] = []
    for item in items:
        document = by_name.get(item["doc"])
        if document is None or anchor_digest(document.text[item["start"] : item["end"]]) != item["anchor_sha1"]:
            continue
        overlap = {c: min(c.span.end, item["end"]) - max(c.span.start, item["start"]) for c in claims.get(document.id, ())}
        best = max(overlap, key=overlap.get, default=None)
        covered = best is not None and 2 * overlap[best] >= item["end"] - item["start"]
        out.append((item, best if covered else None))
    return out


def score_hedges(documents: Sequence[Document], analyses: Sequence[Analysis], labels: Mapping) -> HedgeScores:
    """Precision and recall of `Claim.hedged` on the labelled claims the output still covers."""
    pairs = labelled_claims(documents, analyses, labels.get("items", ()))
    counts = dict.fromkeys(("tp", "fp", "fn"), 0)
    errors = []
    for item, claim in pairs:
        if claim is None:
            continue
        key = {(True, True): "tp", (True, False): "fp", (False, True): "fn"}.get((claim.hedged, item["hedged"]))
        if key is not None:
            counts[key] += 1
        if claim.hedged != item["hedged"]:
            errors.append(f"{item['doc'][:3]} expected hedged={item['hedged']} ({item['note']}): {describe(claim)}")
    return HedgeScores(
        items=len(pairs),
        found=sum(claim is not None for _, claim in pairs),
        true_positive=counts["tp"],
        false_positive=counts["fp"],
        false_negative=counts["fn"],
        errors=tuple(errors),
    )


def describe(claim: Claim) -> str:
    """One line for reading: kind, flags, speaker and content."""
    speaker = f"{claim.speaker.name!r} ({claim.speaker.kind.value})" if claim.speaker else "-"
    flags = ("H" if claim.hedged else "") + ("D" if claim.polarity is Polarity.DENY else "")
    text = " ".join(claim.text.split())
    return f"[{claim.kind.value[0]}{flags}] {speaker}: {text[:120]!r}"


def claims_by_gold_event(documents: Sequence[Document], analyses: Sequence[Analysis], gold: Mapping) -> dict[str, list[Claim]]:
    """Claims grouped by the gold event of their document, to compare claims before events exist."""
    events = {d.id: gold["documents"].get(Path(d.source).name, {}).get("event") for d in documents}
    grouped: dict[str, list[Claim]] = {}
    for analysis in analyses:
        event = events.get(analysis.document_id)
        if event:
            grouped.setdefault(event, []).extend(analysis.claims)
    return grouped


def _matches(claim: Claim, expected: Mapping, aliases: Mapping[str, tuple[str, ...]]) -> bool:
    if normalise(expected["anchor"]) not in normalise(claim.text) or claim.speaker is None:
        return False
    names = [normalise(claim.speaker.name), *(normalise(a) for a in aliases.get(claim.speaker.entity_id or "", ()))]
    wanted = [normalise(s) for s in expected["speaker"]]
    return any(n and w and (n in w or w in n) for n in names for w in wanted)


def _contradictions_found(contradictions: Sequence[Contradiction], names: Mapping[str, str], gold: Mapping) -> int:

    def side(statement: Statement, expected: Mapping) -> bool:
        name = names.get(statement.span.document_id)
        return name == expected["doc"] and normalise(expected["anchor"]) in normalise(statement.text)

    found = 0
    for expected in gold.get("contradictions", ()):
        a, b = expected["a"], expected["b"]
        found += any(
            (side(x, a) and side(y, b)) or (side(x, b) and side(y, a))
            for c in contradictions for x, y in opposed_statements(c)
        )
    return found


def _analyse_folder(folder: Path) -> tuple[list[Document], list[Analysis]]:
    """Read, clean and analyse every article of a corpus folder, in memory."""
    from recoupe.clean import NoiseRules, build_language_detector, clean
    from recoupe.ingest import iter_sources, read_source
    from recoupe.lang import load_language
    from recoupe.nlp import load_pipeline
    from recoupe.nlp.analyse import Toolkit, analyse
    from recoupe.nlp.places import Gazetteer
    from recoupe.settings import Settings

    settings = Settings()
    resources = load_language("fr")
    detector = build_language_detector()
    raws = [raw for source in iter_sources([str(folder / "articles")]) for raw in read_source(source, settings.ingest)]
    noise = NoiseRules.from_resources(resources)  # compiled once, not per document
    documents = [clean(raw, noise, detector, settings.clean) for raw in raws]
    toolkit = Toolkit({"fr": resources}, {"fr": load_pipeline(resources)}, Gazetteer.load(resources))
    return documents, list(analyse(documents, toolkit, settings.analysis))


def main(argv: Sequence[str]) -> None:
    from recoupe.claims import compare_claims
    from recoupe.evaluate.contradictions import describe as describe_contradiction
    from recoupe.lang import load_language

    folder = Path(argv[0])
    documents, analyses = _analyse_folder(folder)
    if (folder / "gold.json").exists():
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        grouped = claims_by_gold_event(documents, analyses, gold)
        _, contradictions = compare_claims(grouped, [], {"fr": load_language("fr")})
        print("\n".join(score_claims(documents, analyses, contradictions, gold).lines()))
        names = {d.id: Path(d.source).name for d in documents}
        print("\n".join(f"contradiction: {describe_contradiction(c, names)}" for c in contradictions))
        return
    names = {d.id: Path(d.source).name for d in documents}
    claims = [(names[a.document_id], c) for a in analyses for c in a.claims]
    sample = random.Random(int(argv[2]) if len(argv) > 2 else 0).sample(claims, min(int(argv[1]) if len(argv) > 1 else 30, len(claims)))
    print(f"{len(claims)} claims in {len(documents)} documents; a sample:")
    print("\n".join(f"{name} {describe(c)}" for name, c in sorted(sample, key=lambda x: x[0])))


if __name__ == "__main__":
    main(sys.argv[1:])
