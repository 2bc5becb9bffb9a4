"""YAML data -> typed records, validated once, at load.

A record is a frozen dataclass; its type hints are the schema. `build(cls, data,
where)` checks every key and value against them and raises `ConfigError` naming
the file and the key path ("noise.yaml: line_patterns.comments[2]: ...") for an
unknown key, a missing required key, a wrong type or a regular expression that
does not compile. Supported hints: str, int, float, bool, None unions, Literal,
Enum, tuple[X, ...], fixed tuple[X, Y], Mapping[str, X], nested records, and
`re.Pattern[str]` (compiled here, with the field's `pattern(...)` options).
"""

from __future__ import annotations

import dataclasses
import enum
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from recoupe.errors import ConfigError


@dataclass(frozen=True, slots=True)
class PatternOptions:
    """How a pattern field compiles: flags, whole-word guards, "'" matching "’" too."""

    flags: int = 0
    whole_words: bool = False
    apostrophes: bool = False

    def compile(self, source: str) -> re.Pattern[str]:
        if self.apostrophes:
            source = source.replace("'", "['’]")
        if self.whole_words:
            source = rf"(?<!\w)(?:{source})(?!\w)"
        return re.compile(source, self.flags)


_PLAIN = PatternOptions()
_OPTIONS_KEY = "recoupe.pattern"
_SOURCE_KEY = "recoupe.regex_source"


def pattern(
    default: Any = dataclasses.MISSING,
    *,
    default_factory: Any = dataclasses.MISSING,
    flags: int = 0,
    whole_words: bool = False,
    apostrophes: bool = False,
) -> Any:
    """A field holding compiled patterns, with how their sources compile."""
    options = PatternOptions(flags, whole_words, apostrophes)
    return field(default=default, default_factory=default_factory, metadata={_OPTIONS_KEY: options})


def regex_source(default: Any = dataclasses.MISSING) -> Any:
    """A str field that is a regular expression its stage expands before compiling: checked here."""
    return field(default=default, metadata={_SOURCE_KEY: True})


def build(cls: type, data: Any, where: str) -> Any:
    """The record `cls` from YAML `data`; `where` names the file (and key) in errors."""
    return _convert(cls, data, where, _PLAIN, False)


def _convert(hint: Any, value: Any, where: str, options: PatternOptions, is_source: bool) -> Any:
    if dataclasses.is_dataclass(hint):
        return _record(hint, value, where)
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        arms = get_args(hint)
        if value is None and type(None) in arms:
            return None
        (arm,) = [a for a in arms if a is not type(None)]
        return _convert(arm, value, where, options, is_source)
    if origin is Literal:
        if value not in get_args(hint):
            raise ConfigError(f"{where}: expected one of {list(get_args(hint))}, got {value!r}")
        return value
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {_kind(value)}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v, f"{where}[{i}]", options, is_source) for i, v in enumerate(value))
        if len(value) != len(args):
            raise ConfigError(f"{where}: expected a list of {len(args)} items, got {len(value)}")
        return tuple(_convert(a, v, f"{where}[{i}]", options, is_source) for i, (a, v) in enumerate(zip(args, value)))
    if origin in (Mapping, dict, typing.Mapping):
        key_hint, value_hint = get_args(hint)
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a mapping, got {_kind(value)}")
        return {
            _convert(key_hint, k, _join(where, k), _PLAIN, False): _convert(value_hint, v, _join(where, k), options, is_source)
            for k, v in value.items()
        }
    if hint is re.Pattern or origin is re.Pattern:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a regular expression (text), got {_kind(value)}")
        try:
            return options.compile(value)
        except re.error as error:
            raise ConfigError(f"{where}: broken regular expression {value!r}: {error}") from None
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            raise ConfigError(f"{where}: expected one of {[m.value for m in hint]}, got {value!r}") from None
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number, got {_kind(value)}")
        return float(value)
    if hint in (str, int, bool):
        if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
            raise ConfigError(f"{where}: expected {hint.__name__}, got {_kind(value)}")
        if is_source:
            try:
                re.compile(value)
            except re.error as error:
                raise ConfigError(f"{where}: broken regular expression {value!r}: {error}") from None
        return value
    if hint is Any:
        return value
    raise TypeError(f"{where}: unsupported schema type {hint!r}")


def _record(cls: type, value: Any, where: str) -> Any:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a mapping, got {_kind(value)}")
    hints = get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(value) - set(known), key=str)
    if unknown:
        raise ConfigError(f"{_join(where, unknown[0])}: unknown key; known keys: {sorted(known)}")
    values = {}
    for name, spec in known.items():
        if name not in value:
            if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                raise ConfigError(f"{_join(where, name)}: required key missing")
            continue
        options = spec.metadata.get(_OPTIONS_KEY, _PLAIN)
        values[name] = _convert(hints[name], value[name], _join(where, name), options, bool(spec.metadata.get(_SOURCE_KEY)))
    return cls(**values)


def _join(where: str, key: object) -> str:
    return f"{where}: {key}" if where.endswith((".yaml", ".txt")) else f"{where}.{key}"


def _kind(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"[:80]
