"""Scoring hand-labelled samples of dates and places against an export (evaluate/samples.py)."""

from __future__ import annotations

import json
from pathlib import Path

from recoupe.evaluate.samples import main, score_sample

EXPORT = {
    "documents": [
        {
            "source": "dir/001.txt",
            "times": [{"start": 10, "end": 15, "value": "2024-03-12"}, {"start": 30, "end": 40, "value": "2024-03-18"}],
            "places": [{"start": 50, "end": 57, "lat": 43.91, "lon": 4.0}, {"start": 70, "end": 75, "lat": 44.35, "lon": 6.36}],
        }
    ]
}
SAMPLE = {
    "dates": [
        {"file": "001.txt", "start": 10, "end": 15, "expected": "2024-03-12"},
        {"file": "001.txt", "start": 30, "end": 40, "expected": "2024-03-11"},  # wrong value
        {"file": "001.txt", "start": 80, "end": 90, "expected": None},  # no longer output, and should not be
        {"file": "002.txt", "start": 1, "end": 5, "expected": "2024-03-10"},  # document gone: missed
    ],
    "places": [
        {"file": "001.txt", "start": 50, "end": 57, "expected": {"lat": 43.98, "lon": 4.05}},  # 9 km away: right
        {"file": "001.txt", "start": 70, "end": 75, "expected": None},  # a river resolved as a town: wrong
    ],
}


def test_samples_score_values_points_and_dropped_items():
    dates, places = score_sample(EXPORT, SAMPLE)
    assert (dates.total, dates.right, dates.dropped) == (4, 2, 2)
    assert (places.total, places.right, places.dropped) == (2, 1, 0)


def test_samples_command_prints_one_line_per_kind(tmp_path: Path, capsys):
    export, sample = tmp_path / "e.json", tmp_path / "s.json"
    export.write_text(json.dumps(EXPORT), encoding="utf-8")
    sample.write_text(json.dumps(SAMPLE), encoding="utf-8")
    assert main([str(export), str(sample)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "dates: 2/4 right (50.0%), 2 no longer output",
        "places: 1/2 right (50.0%), 0 no longer output",
    ]


def test_samples_in_the_repo_keep_only_offsets_and_short_phrases():
    """Texts belong to their publishers: a sample holds file names, offsets and a few words per item."""
    for path in (Path(__file__).parents[1] / "quality" / "samples").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in (*data["dates"], *data["places"]):
            words = item.get("phrase") or item.get("mention") or ""
            assert len(words.split()) <= 12 and item["end"] - item["start"] < 120
