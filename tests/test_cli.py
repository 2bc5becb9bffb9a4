"""The command line as a user meets it: one run, then exports from the store it wrote."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recoupe.cli import app

RUNNER = CliRunner()

ARTICLE = """Sommières : le pont fermé par la crue
 date 2024-10-15

Le Vidourle a débordé mardi à Sommières, dans le Gard. « Nous fermons le pont », a déclaré le maire, Pierre Fabre.
"""


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "articles").mkdir()
    (folder / "articles" / "crue.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "articles" / "vide.txt").write_bytes(b"")
    result = RUNNER.invoke(app, ["run", str(folder / "articles"), "--db", str(folder / "r.sqlite"), "--out", str(folder / "out"), "--workers", "1"])
    assert result.exit_code == 1, result.output  # one input failed, the other was stored
    (folder / "output.txt").write_text(result.output, encoding="utf-8")
    return folder


@pytest.mark.model
def test_cli_run_writes_report_and_exports_and_names_bad_files(ran):
    assert {p.name for p in (ran / "out").iterdir()} >= {"index.html", "recoupe.json", "events.csv", "places.geojson"}
    output = (ran / "output.txt").read_text(encoding="utf-8")
    assert "vide.txt: empty file" in output
    assert "new: 1 document stored (0 already stored, 1 failed)" in output
    assert output.count("vide.txt") == 1  # one line per bad input, no logging WARNING beside it


@pytest.mark.model
def test_cli_export_json_to_stdout(ran):
    result = RUNNER.invoke(app, ["export", "--db", str(ran / "r.sqlite"), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [Path(d["source"]).name for d in data["documents"]] == ["crue.txt"]


@pytest.mark.model
def test_cli_export_csv_has_acled_columns(ran, tmp_path):
    target = tmp_path / "events.csv"
    result = RUNNER.invoke(app, ["export", "--db", str(ran / "r.sqlite"), "--format", "csv", "--output", str(target)])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows and {"event_date", "event_type", "latitude", "longitude"} <= set(rows[0])


@pytest.mark.model
def test_cli_export_geojson_is_a_feature_collection(ran):
    result = RUNNER.invoke(app, ["export", "--db", str(ran / "r.sqlite"), "--format", "geojson"])
    assert json.loads(result.stdout)["type"] == "FeatureCollection"


def test_cli_export_of_a_missing_store_fails_clearly(tmp_path):
    deep = tmp_path / ("a-long-folder-name-" * 6)  # messages must not wrap, however long the path
    result = RUNNER.invoke(app, ["export", "--db", str(deep / "none.sqlite")])
    assert result.exit_code == 2
    assert f"{deep / 'none.sqlite'}: no such store" in result.output


def test_cli_export_rejects_an_unknown_format(tmp_path):
    from recoupe.store import open_store

    open_store(str(tmp_path / "s.sqlite")).close()
    result = RUNNER.invoke(app, ["export", "--db", str(tmp_path / "s.sqlite"), "--format", "xml"])
    assert result.exit_code == 2
    assert "--format must be one of json, csv, geojson" in result.output


@pytest.mark.model
def test_cli_run_and_export_on_postgresql_give_the_sqlite_export(ran, postgres_url, tmp_path):
    result = RUNNER.invoke(app, ["run", str(ran / "articles"), "--db", postgres_url, "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 1, result.output  # vide.txt fails, as with SQLite
    assert "new: 1 document stored" in result.output
    exported = RUNNER.invoke(app, ["export", "--db", postgres_url, "--format", "json"])
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.stdout) == json.loads((ran / "out" / "recoupe.json").read_text(encoding="utf-8"))
    assert (tmp_path / "out" / "events.csv").read_text(encoding="utf-8") == (ran / "out" / "events.csv").read_text(encoding="utf-8")
