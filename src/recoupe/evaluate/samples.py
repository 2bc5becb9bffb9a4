"""Hand-labelled samples of resolved dates and places, scored against an export.

A sample (`tests/quality/samples/*.json`) lists output items drawn at random
from a run over a corpus, each with the value a reader gives it after reading
the article: a day or interval for a time phrase, a point for a place (null:
the phrase names no day, or no place). It keeps only file names, offsets and
the few words of each phrase, never the articles' text. An item is right when
the export still holds that phrase with that value (a place within
`PLACE_KM` of the labelled point); an item the export no longer holds is
counted apart, as dropped (right when its label is null).

    python -m recoupe.evaluate.samples out/recoupe.json tests/quality/samples/geo_dev2.json
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The gold rule of the seeds' places (evaluate/analysis.py).
PLACE_KM = 15.0
EARTH_KM = 6371.0


@dataclass(frozen=True, slots=True)
class SampleScore:
    kind: str  # "dates" or "places"
    total: int
    right: int
    dropped: int  # labelled items the export no longer holds

    def line(self) -> str:
        share = self.right / self.total if self.total else 1.0
        return f"{self.kind}: {self.right}/{self.total} right ({share:.1%}), {self.dropped} no longer output"


def score_sample(export: Mapping[str, Any], sample: Mapping[str, Any]) -> list[SampleScore]:
    """Score every labelled item of `sample` against a JSON export (`recoupe export --format json`)."""
    documents = {Path(d["source"]).name: d for d in export.get("documents", ())}
    scores = []
    for kind, field, right in (("dates", "times", _date_right), ("places", "places", _place_right)):
        items = sample.get(kind, ())
        total = hits = dropped = 0
        for item in items:
            document = documents.get(item["file"])
            outputs = [o for o in (document or {}).get(field, ()) if o["start"] == item["start"] and o["end"] == item["end"]]
            total += 1
            if not outputs:
                dropped += 1
                hits += item["expected"] is None
            else:
                hits += right(outputs[0], item["expected"])
        scores.append(SampleScore(kind, total, hits, dropped))
    return scores


def _date_right(output: Mapping[str, Any], expected: str | None) -> bool:
    return expected is not None and output["value"] == expected


def _place_right(output: Mapping[str, Any], expected: Mapping[str, float] | None) -> bool:
    return expected is not None and _km(output["lat"], output["lon"], expected["lat"], expected["lon"]) <= PLACE_KM


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m recoupe.evaluate.samples EXPORT.json SAMPLE.json", file=sys.stderr)
        return 2
    export, sample = (json.loads(Path(a).read_text(encoding="utf-8")) for a in args)
    for score in score_sample(export, sample):
        print(score.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
