"""Settings from recoupe.toml and RECOUPE_* variables: every field settable, every mistake named."""

from __future__ import annotations

import dataclasses

import pytest

from recoupe.config import environment_name, load_settings, setting_names
from recoupe.errors import ConfigError
from recoupe.settings import Settings, flatten


def test_config_without_file_or_variables_gives_the_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings(environ={}) == Settings()


def test_config_every_setting_has_a_variable_and_a_file_key():
    names = setting_names()
    assert set(names) == set(flatten(Settings()))
    assert environment_name("ingest.max_bytes") == "RECOUPE_INGEST_MAX_BYTES"
    assert environment_name("language") == "RECOUPE_LANGUAGE"


def test_config_file_sets_values_of_every_type(tmp_path):
    path = tmp_path / "recoupe.toml"
    path.write_text(
        'language = "en"\n[ingest]\nmax_bytes = 1_000\nexclude = ["*.draft.txt"]\nfollow_links = true\n'
        "[events]\nbackground_threshold = 0.2\nmax_gap_days = 2\n",
        encoding="utf-8",
    )
    settings = load_settings(path, environ={})
    assert settings.language == "en"
    assert settings.ingest == dataclasses.replace(Settings().ingest, max_bytes=1000, exclude=("*.draft.txt",), follow_links=True)
    assert settings.events.background_threshold == 0.2 and settings.events.max_gap_days == 2


def test_config_reads_recoupe_toml_in_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "recoupe.toml").write_text("[analysis]\nbatch_size = 16\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_settings(environ={}).analysis.batch_size == 16


def test_config_variables_override_the_file(tmp_path):
    path = tmp_path / "recoupe.toml"
    path.write_text("[ingest]\nmax_bytes = 1000\n", encoding="utf-8")
    environ = {"RECOUPE_INGEST_MAX_BYTES": "2_000", "RECOUPE_INGEST_INCLUDE": "*.txt, *.md", "RECOUPE_INGEST_FOLLOW_LINKS": "yes"}
    settings = load_settings(path, environ=environ)
    assert settings.ingest.max_bytes == 2000
    assert settings.ingest.include == ("*.txt", "*.md") and settings.ingest.follow_links is True


def test_config_ignores_the_command_line_and_test_variables():
    environ = {"RECOUPE_TOKEN": "t", "RECOUPE_DB": "x", "RECOUPE_CONFIG": "y", "RECOUPE_TEST_POSTGRES_URL": "z"}
    assert load_settings(environ=environ) == Settings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[ingest]\nmax_byte = 3\n", "recoupe.toml: unknown setting 'ingest.max_byte'; ingest has"),
        ("[nope]\nx = 1\n", "unknown setting 'nope.x'"),
        ("[ingest]\nmax_bytes = \"big\"\n", "ingest.max_bytes must be a whole number, got 'big'"),
        ("[ingest]\nfollow_links = 1\n", "ingest.follow_links must be true or false"),
        ("[ingest]\nexclude = \"*.txt\"\n", "ingest.exclude must be a list of strings"),
        ("[events]\nbackground_threshold = 2.0\n", "events.background_threshold must be in [0.0, 1.0], got 2.0 (set in"),
        ("[ingest\n", "not valid TOML"),
    ],
)
def test_config_file_mistakes_are_named(tmp_path, text, message):
    path = tmp_path / "recoupe.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"RECOUPE_INGEST_MAX_BYTE": "3"}, "RECOUPE_INGEST_MAX_BYTE: unknown setting; did you mean RECOUPE_INGEST_MAX_BYTES?"),
        ({"RECOUPE_INGEST_MAX_BYTES": "abc"}, "RECOUPE_INGEST_MAX_BYTES: ingest.max_bytes must be a whole number"),
        ({"RECOUPE_INGEST_FOLLOW_LINKS": "maybe"}, "must be true or false"),
        ({"RECOUPE_ANALYSIS_BATCH_SIZE": "0"}, "analysis.batch_size must be in [1, 10000], got 0 (set by RECOUPE_ANALYSIS_BATCH_SIZE)"),
    ],
)
def test_config_variable_mistakes_are_named(environ, message):
    with pytest.raises(ConfigError) as caught:
        load_settings(environ=environ)
    assert message in str(caught.value)


def test_config_missing_file_named_explicitly_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_settings(tmp_path / "none.toml", environ={})


def test_config_reference_lists_every_setting():
    from pathlib import Path

    reference = (Path(__file__).parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [name for name in setting_names() if f"`{environment_name(name)}`" not in reference]
    assert missing == []


def test_config_reference_lists_no_setting_that_is_gone_and_gives_each_default():
    """Each row of the reference table names a setting that exists, with the default the code has."""
    import re
    from pathlib import Path

    from recoupe.settings import Settings

    reference = (Path(__file__).parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_]+(?:\.[a-z_]+)?)` \| `RECOUPE_[A-Z_]+` \| `([^`]*)` \|", reference, re.MULTILINE)
    assert len(rows) >= len(setting_names()) - 1
    settings = Settings()
    stale, wrong = [], []
    for dotted, listed in rows:
        if dotted not in setting_names():
            stale.append(dotted)
            continue
        value = settings
        for part in dotted.split("."):
            value = getattr(value, part)
        if repr(value) != listed and str(value) != listed:
            wrong.append((dotted, listed, value))
    assert stale == [] and wrong == []
