"""Settings from a configuration file and the environment, checked once.

Every `Settings` field can be set, in order of precedence:

1. `RECOUPE_<BLOCK>_<NAME>` environment variables (`RECOUPE_INGEST_MAX_BYTES=50000000`,
   `RECOUPE_LANGUAGE=en`; lists comma-separated: `RECOUPE_INGEST_EXCLUDE=*.draft.txt,old/*`);
2. a TOML file (`recoupe.toml` in the working folder, or the one `--config` names)::

       language = "fr"
       [ingest]
       max_bytes = 50_000_000
       exclude = ["*.draft.txt"]

3. the defaults of `settings.py`.

Unknown names, values of the wrong type and values out of range are a
`ConfigError` naming the file or variable, the setting and what it accepts.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path

from recoupe.errors import ConfigError
from recoupe.settings import Settings, validate

DEFAULT_FILE = "recoupe.toml"
ENV_PREFIX = "RECOUPE_"
# RECOUPE_* variables the command line reads itself; they are not settings.
COMMAND_VARIABLES = frozenset({"RECOUPE_TOKEN", "RECOUPE_DB", "RECOUPE_CONFIG"})
# Variables of the test suite (RECOUPE_TEST_POSTGRES_URL), not settings either.
TEST_PREFIX = "RECOUPE_TEST_"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults, then the file (`path`, else ./recoupe.toml when present), then RECOUPE_* variables; validated."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    if path is None and Path(DEFAULT_FILE).is_file():
        path = Path(DEFAULT_FILE)
    if path is not None:
        values.update(_from_file(path))
    values.update(_from_environment(environ))
    settings = _build(values)
    try:
        return validate(settings)
    except ConfigError as error:
        raise ConfigError(f"{error} ({_origin(str(error).split(' ', 1)[0], path, environ)})") from None


def setting_names() -> dict[str, type]:
    """"block.name" (or "name" for top-level fields) -> the type it takes."""
    names: dict[str, type] = {}
    for block in dataclasses.fields(Settings):
        kind = typing.get_type_hints(Settings)[block.name]
        if dataclasses.is_dataclass(kind):
            for field, field_type in typing.get_type_hints(kind).items():
                names[f"{block.name}.{field}"] = field_type
        else:
            names[block.name] = kind
    return names


def environment_name(dotted: str) -> str:
    return ENV_PREFIX + dotted.replace(".", "_").upper()


def _from_file(path: Path) -> dict[str, object]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    names = setting_names()
    values: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for name, inner in value.items():
                values[_known(f"{key}.{name}", names, str(path))] = inner
        else:
            values[_known(key, names, str(path))] = value
    return {dotted: _convert(dotted, value, names[dotted], str(path)) for dotted, value in values.items()}


def _from_environment(environ: Mapping[str, str]) -> dict[str, object]:
    names = setting_names()
    by_variable = {environment_name(dotted): dotted for dotted in names}
    values: dict[str, object] = {}
    for variable, text in environ.items():
        if not variable.startswith(ENV_PREFIX) or variable in COMMAND_VARIABLES or variable.startswith(TEST_PREFIX):
            continue
        dotted = by_variable.get(variable)
        if dotted is None:
            near = difflib.get_close_matches(variable, by_variable, n=2, cutoff=0.9)
            hint = f"did you mean {' or '.join(near)}?" if near else "see docs/configuration.md for the names"
            raise ConfigError(f"{variable}: unknown setting; {hint}")
        values[dotted] = _convert(dotted, _parse_text(text, names[dotted]), names[dotted], variable)
    return values


def _known(dotted: str, names: Mapping[str, type], origin: str) -> str:
    if dotted not in names:
        block = dotted.split(".", 1)[0]
        near = sorted(n for n in names if n.startswith(block + "."))
        hint = f"; {block} has {', '.join(n.split('.', 1)[1] for n in near)}" if near else f"; settings are {', '.join(sorted(names))}"
        raise ConfigError(f"{origin}: unknown setting {dotted!r}{hint}")
    return dotted


def _parse_text(text: str, kind: object) -> object:
    """An environment string as the value the setting's type expects (lists are comma-separated)."""
    if typing.get_origin(kind) is tuple:
        return [part.strip() for part in text.split(",") if part.strip()]
    if kind is bool:
        lowered = text.strip().lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else text
    if kind in (int, float):
        try:
            return int(text.replace("_", "")) if kind is int else float(text)
        except ValueError:
            return text
    return text


def _convert(dotted: str, value: object, kind: object, origin: str) -> object:
    if typing.get_origin(kind) is tuple:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(f"{origin}: {dotted} must be a list of strings, got {value!r}")
    if kind is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{origin}: {dotted} must be true or false, got {value!r}")
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"{origin}: {dotted} must be a whole number, got {value!r}")
    if kind is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(f"{origin}: {dotted} must be a number, got {value!r}")
    if isinstance(value, str):
        return value
    raise ConfigError(f"{origin}: {dotted} must be a string, got {value!r}")


def _build(values: Mapping[str, object]) -> Settings:
    blocks: dict[str, dict[str, object]] = {}
    top: dict[str, object] = {}
    for dotted, value in values.items():
        if "." in dotted:
            block, name = dotted.split(".", 1)
            blocks.setdefault(block, {})[name] = value
        else:
            top[dotted] = value
    defaults = Settings()
    replaced = {block: dataclasses.replace(getattr(defaults, block), **changes) for block, changes in blocks.items()}
    return dataclasses.replace(defaults, **replaced, **top)


def _origin(dotted: str, path: Path | None, environ: Mapping[str, str]) -> str:
    variable = environment_name(dotted)
    if variable in environ:
        return f"set by {variable}"
    return f"set in {path}" if path is not None else "default"


__all__ = ["DEFAULT_FILE", "environment_name", "load_settings", "setting_names"]
