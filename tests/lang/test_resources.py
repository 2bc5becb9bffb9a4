from __future__ import annotations

import re
import shutil
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
import yaml

import recoupe.lang as lang
from recoupe.errors import ConfigError, UnsupportedLanguageError
from recoupe.lang import LANG_DIR, SHARED_DIR, SHARED_FIELDS, LanguageResources, load_language, supported_languages
from recoupe.lang.records import Noise
from recoupe.lang.schema import build

YAML_FILES = sorted(
    [(code, p.name) for code in supported_languages() for p in (LANG_DIR / code).glob("*.yaml")]
    + [("shared", p.name) for p in SHARED_DIR.glob("*.yaml")]
)


def test_resources_full_languages_have_the_same_files_and_others_a_part_of_them():
    # French and English have a model and every rule; a blank-pipeline language is a folder of
    # the files it needs (dates, numbers, figures...): a missing file is an empty record.
    files = {code: sorted(p.name for p in (LANG_DIR / code).iterdir()) for code in supported_languages()}
    assert files["en"] == files["fr"]
    for code, names in files.items():
        assert set(names) <= set(files["fr"]), f"lang/{code} has files lang/fr does not"
        assert {"meta.yaml", "relative_dates.yaml", "numbers.yaml"} <= set(names), code


def test_resources_blank_languages_need_no_model():
    for code in set(supported_languages()) - {"fr", "en"}:
        meta = load_language(code).meta
        assert meta.model is None and meta.blank == code


def test_resources_shared_files_live_once():
    for code in supported_languages():
        assert not {p.stem for p in (LANG_DIR / code).iterdir()} & SHARED_FIELDS, code
    assert {p.stem for p in SHARED_DIR.glob("*.yaml")} == SHARED_FIELDS


@pytest.mark.parametrize("code", supported_languages())
def test_resources_load_every_file_as_typed_records(code):
    resources = load_language(code)
    assert resources.code == code and resources.meta.name
    for f in fields(LanguageResources):
        value = getattr(resources, f.name)
        assert not (isinstance(value, dict) and f.name != "event_types"), f"{f.name} stayed an untyped dict"
    assert all(isinstance(p, re.Pattern) for p in resources.hedges.unverified)


def test_resources_unknown_language_lists_supported():
    with pytest.raises(UnsupportedLanguageError, match=r"supported: \[.*'en'.*'fr'.*\]"):
        load_language("xx")


# -- load-time errors, over every file ------------------------------------------------


@pytest.fixture
def lang_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of lang/ the loader reads instead, to break one file at a time."""
    copy = tmp_path / "lang"
    shutil.copytree(LANG_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(lang, "LANG_DIR", copy)
    monkeypatch.setattr(lang, "SHARED_DIR", copy / "shared")
    return copy


def _first_scalar_path(data: object, path: tuple = ()) -> tuple:
    """The key path of the first str, int or float in a YAML tree (lists by index)."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return (*path, key)
        found = _first_scalar_path(value, (*path, key))
        if found:
            return found
    return ()


def _set(data: dict, path: tuple, value: object) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _load_folder(code: str) -> str:
    return "fr" if code == "shared" else code


@pytest.mark.parametrize(("code", "name"), YAML_FILES)
def test_resources_unknown_key_fails_at_load_naming_file_and_key(lang_copy, code, name):
    path = lang_copy / code / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if name == "event_types.yaml":  # its keys are data (ACLED types): a wrong shape is the error there
        data["Battles"] = "not a table"
        key = "Battles"
    else:
        data["no_such_key"] = ["x"]
        key = "no_such_key"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"lang/{code}/{re.escape(name)}: {key}"):
        load_language(_load_folder(code))


@pytest.mark.parametrize(("code", "name"), YAML_FILES)
def test_resources_wrong_type_fails_at_load_naming_file_and_key(lang_copy, code, name):
    path = lang_copy / code / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    key_path = _first_scalar_path(data)
    _set(data, key_path, {"a": ["nested", "mapping"]})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"lang/{code}/{re.escape(name)}: {re.escape(str(key_path[0]))}\b.*expected"):
        load_language(_load_folder(code))


def _pattern_paths(record: object, path: tuple = ()) -> list[tuple]:
    """Key paths of every compiled pattern in a loaded record."""
    if isinstance(record, re.Pattern):
        return [path]
    if is_dataclass(record):
        return [p for f in fields(record) for p in _pattern_paths(getattr(record, f.name), (*path, f.name))]
    if isinstance(record, dict):
        return [p for k, v in record.items() for p in _pattern_paths(v, (*path, k))]
    if isinstance(record, tuple):
        return [p for i, v in enumerate(record) for p in _pattern_paths(v, (*path, i))]
    return []


def _files_with_patterns() -> list[tuple[str, str, tuple]]:
    out = []
    for code in supported_languages():
        resources = load_language(code)
        for f in fields(LanguageResources):
            paths = _pattern_paths(getattr(resources, f.name))
            if paths:
                folder = "shared" if f.name in SHARED_FIELDS else code
                if (folder, f.name) not in {(c, n) for c, n, _ in out}:
                    out.append((folder, f.name, paths[0]))
    # Date patterns are checked as sources (their stage expands placeholders before compiling).
    out += [(code, "relative_dates", ("patterns", 0, "regex")) for code in supported_languages() if load_language(code).relative_dates.patterns]
    return out


@pytest.mark.parametrize(("code", "stem", "key_path"), _files_with_patterns())
def test_resources_broken_pattern_fails_at_load_naming_file_and_key(lang_copy, code, stem, key_path):
    path = lang_copy / code / f"{stem}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    _set(data, key_path, "(unclosed")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"lang/{code}/{stem}.yaml: {key_path[0]}.*broken regular expression"):
        load_language(_load_folder(code))


def test_resources_missing_required_key_is_named():
    with pytest.raises(ConfigError, match=r"meta.yaml: name: required key missing"):
        load_language_meta({"model": "x"})


def load_language_meta(data: dict) -> object:
    from recoupe.lang.records import Meta

    return build(Meta, data, "lang/xx/meta.yaml")


def test_resources_yaml_booleans_are_caught():
    # YAML 1.1 reads a bare `on` or `no` as a boolean: a word list must say it in quotes.
    with pytest.raises(ConfigError, match=r"noise.yaml: sections\[1\]: expected str, got bool"):
        build(Noise, {"sections": ["monde", True]}, "lang/xx/noise.yaml")


def test_resources_a_shared_file_in_a_language_folder_fails(lang_copy):
    shutil.copy(lang_copy / "shared" / "quote_marks.yaml", lang_copy / "fr" / "quote_marks.yaml")
    with pytest.raises(ConfigError, match=r"lang/fr/quote_marks.yaml: quote_marks belongs in lang/shared/"):
        load_language("fr")


@pytest.mark.parametrize("code", supported_languages())
def test_resources_one_field_loads_as_the_whole_language_has_it(code):
    from dataclasses import fields

    from recoupe.lang import load_field

    whole = load_language(code)
    for field in fields(LanguageResources):
        if field.name != "code":
            assert load_field(code, field.name) == getattr(whole, field.name), field.name


LANGUAGE_FILES = sorted(
    (code, p.name) for code in supported_languages() for p in (LANG_DIR / code).iterdir() if p.suffix in {".yaml", ".txt"}
)


@pytest.mark.parametrize(("code", "name"), LANGUAGE_FILES)
def test_resources_a_misspelt_file_fails_at_load_naming_it(lang_copy, code, name):
    # A file's name is its key: a typo in it would silently empty the rule it holds.
    path = lang_copy / code / name
    misspelt = path.with_name(path.stem + "s" + path.suffix)
    path.rename(misspelt)
    with pytest.raises(ConfigError, match=rf"lang/{code}/{re.escape(misspelt.name)}: no LanguageResources field named"):
        load_language(code)


@pytest.mark.parametrize(("code", "name"), [(c, n) for c, n in LANGUAGE_FILES if n.endswith(".txt")])
def test_resources_a_word_list_holding_a_mapping_fails_at_load(lang_copy, code, name):
    # A .txt file is a word list: one of its lines written as a YAML key is a wrong type, caught as such.
    path = lang_copy / code / name
    path.rename(path.with_suffix(".yaml"))
    path.with_suffix(".yaml").write_text("first: [not, a, word]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"lang/{code}/{re.escape(path.stem)}.yaml: expected a list"):
        load_language(code)
