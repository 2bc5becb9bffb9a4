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


# --- checks made before the models load, exit statuses, messages -------------


@pytest.fixture
def no_models(monkeypatch):
    """Loading the models fails the test: these errors must come first."""
    import recoupe.api

    def refuse(*args, **kwargs):
        raise AssertionError("models loaded before the inputs and the store were checked")

    monkeypatch.setattr(recoupe.api, "load_tools", refuse)


def test_cli_version():
    from importlib.metadata import version

    result = RUNNER.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"recoupe {version('recoupe')}"


@pytest.mark.parametrize("command", ["run", "serve", "export"])
def test_cli_help_shows_no_python_type_tags(command):
    result = RUNNER.invoke(app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "<" not in result.output and "list[" not in result.output


def test_cli_run_missing_input_stops_before_models_load(no_models, tmp_path):
    result = RUNNER.invoke(app, ["run", str(tmp_path / "nope"), "--db", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 2 and "nope: no such file or folder" in result.output
    assert not (tmp_path / "s.sqlite").exists()


def test_cli_run_db_in_a_missing_folder_is_refused_not_created(no_models, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = RUNNER.invoke(app, ["run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "missing" / "s.sqlite")])
    assert result.exit_code == 2 and "does not exist" in result.output
    assert not (tmp_path / "missing").exists()


def test_cli_run_on_a_file_that_is_not_a_store_stops_before_models_load(no_models, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "README.md").write_text("# not a database\n" * 100, encoding="utf-8")
    result = RUNNER.invoke(app, ["run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "README.md")])
    assert result.exit_code == 2 and result.output.startswith("error ") and "Traceback" not in result.output


def test_cli_run_out_naming_a_file_is_refused_before_models_load(no_models, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "report.html").write_text("x", encoding="utf-8")
    result = RUNNER.invoke(
        app, ["run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "s.sqlite"), "--out", str(tmp_path / "report.html")]
    )
    assert result.exit_code == 2 and "exists and is not a folder" in result.output


def test_cli_bad_setting_stops_before_models_load(no_models, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("RECOUPE_ANALYSIS_BATCH_SIZE", "0")
    result = RUNNER.invoke(app, ["run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 2 and "analysis.batch_size must be in [1, 10000], got 0" in result.output


def test_cli_config_file_option_is_read(no_models, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "conf.toml").write_text("[ingest]\nmax_bytes = 0\n", encoding="utf-8")
    result = RUNNER.invoke(app, ["--config", str(tmp_path / "conf.toml"), "run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 2 and f"ingest.max_bytes must be in [1, 1099511627776], got 0 (set in {tmp_path / 'conf.toml'})" in result.output


@pytest.mark.parametrize("command", [["serve"], ["export"]])
def test_cli_readers_never_create_a_store(no_models, tmp_path, command):
    result = RUNNER.invoke(app, [*command, "--db", str(tmp_path / "typo.sqlite")])
    assert result.exit_code == 2 and "typo.sqlite: no such store" in result.output
    assert not (tmp_path / "typo.sqlite").exists()


def test_cli_export_of_a_file_that_is_not_a_store_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "README.md").write_text("# not a database\n" * 100, encoding="utf-8")
    result = RUNNER.invoke(app, ["export", "--db", str(tmp_path / "README.md")])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_cli_serve_beyond_localhost_without_token_is_refused(tmp_path, monkeypatch):
    from recoupe.store import open_store

    open_store(str(tmp_path / "s.sqlite")).close()
    monkeypatch.delenv("RECOUPE_TOKEN", raising=False)
    result = RUNNER.invoke(app, ["serve", "--db", str(tmp_path / "s.sqlite"), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "RECOUPE_TOKEN" in result.output


def test_cli_serve_reads_the_token_from_the_environment_and_keeps_it_out_of_the_access_log(tmp_path, monkeypatch):
    import uvicorn

    from recoupe.store import open_store

    open_store(str(tmp_path / "s.sqlite")).close()
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options, app=app))
    monkeypatch.setenv("RECOUPE_TOKEN", "s3cret-token")
    result = RUNNER.invoke(app, ["serve", "--db", str(tmp_path / "s.sqlite"), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "0.0.0.0" and seen["access_log"] is False
    assert "s3cret-token" not in result.output
    from fastapi.testclient import TestClient

    client = TestClient(seen["app"])
    assert client.get("/api/events").status_code == 401
    assert client.get("/api/events", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200


def test_cli_printable_escapes_control_characters():
    from recoupe.cli import _printable

    assert _printable("a\nerror forged.txt") == "a\\nerror forged.txt"
    assert _printable("tab\there\x1b[31m") == "tab\\there\\x1b[31m"
    assert _printable("Sommières") == "Sommières"


@pytest.mark.model
def test_cli_run_where_every_input_fails_exits_1_and_names_each_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "vide.txt").write_bytes(b"")
    (folder / "forged\nerror other.txt").write_bytes(b"\x00\x01")
    (folder / "doc.pdf").write_bytes(b"%PDF")
    result = RUNNER.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "s.sqlite"), "--workers", "1"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:3]] == ["skipped", "error", "error"]
    assert sum("forged" in line for line in lines) == 1 and "forged\\nerror other.txt" in result.output
    assert not any(line.startswith(("WARNING", "discarding")) for line in lines)
    assert "new: 0 documents stored (0 already stored, 2 failed, 1 file left out)" in result.output


@pytest.mark.model
def test_cli_run_where_every_input_is_stored_exits_0_and_so_does_a_rerun(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "crue.txt").write_text(ARTICLE, encoding="utf-8")
    command = ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "s.sqlite"), "--workers", "1"]
    first = RUNNER.invoke(app, command)
    assert first.exit_code == 0, first.output
    assert "new: 1 document stored" in first.output
    again = RUNNER.invoke(app, command)
    assert again.exit_code == 0, again.output
    assert "new: 0 documents stored (1 already stored" in again.output


def test_cli_debug_lets_the_traceback_through(tmp_path):
    from recoupe.errors import RecoupeError

    (tmp_path / "README.md").write_text("# not a database\n" * 100, encoding="utf-8")
    plain = RUNNER.invoke(app, ["export", "--db", str(tmp_path / "README.md")])
    assert plain.exit_code == 2 and not isinstance(plain.exception, RecoupeError)  # one line, no traceback
    debugged = RUNNER.invoke(app, ["--debug", "export", "--db", str(tmp_path / "README.md")])
    assert isinstance(debugged.exception, RecoupeError)  # raised to the top: Python prints its traceback
