"""Model values <-> JSON-able data, driven by dataclass fields and their type hints.

`to_data(value)` turns a model dataclass (or a tuple, enum, date of them) into
dicts, lists, strings and numbers; `from_data(cls, data)` rebuilds it. The
conversion reads `dataclasses.fields` and `typing.get_type_hints`, so a field
added to a model class is stored and loaded with no change here, and data
written before the field existed still loads: a missing key takes the field's
default. Unknown keys are ignored, so data written by a newer version loads too.

Encoding rules:
    dataclass          -> {field name: encoded value}
    enum               -> its value
    dt.date / datetime -> ISO string
    tuple, list, set   -> list
    dict               -> dict (keys must be strings)
    `A | B` (two non-None types, e.g. `dt.date | DateRange`)
                       -> {"type": "date" | "DateRange", "value": encoded value}
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar, Union

T = TypeVar("T")

_NONE = type(None)


class CodecError(ValueError):
    """Data that does not fit the declared type; the message names the path (`Document.segments[2].kind`)."""


def to_data(value: Any) -> Any:
    """Encode a model value (dataclass, enum, date, tuple of them...) as JSON-able data."""
    return _encode(value, type(value), {}, type(value).__name__)


def from_data(cls: type[T] | Any, data: Any) -> T:
    """Rebuild a value of type `cls` (a dataclass, or a hint like `tuple[Claim, ...]`) from `to_data` output.

    Raises `CodecError` naming the offending path when the data does not fit."""
    name = getattr(cls, "__name__", str(cls))
    return _decode(cls, data, {}, name)


# `hints` is a per-call memo of resolved field hints: resolving them costs more
# than decoding a small record, and a document holds hundreds of records of the
# same few classes. It lives for one to_data/from_data call, never longer.
Hints = dict[type, list[tuple[dataclasses.Field, Any]]]


def _fields(cls: type, hints: Hints) -> list[tuple[dataclasses.Field, Any]]:
    if cls not in hints:
        resolved = typing.get_type_hints(cls)
        hints[cls] = [(f, resolved[f.name]) for f in dataclasses.fields(cls) if f.init]
    return hints[cls]


def _members(hint: Any) -> tuple[Any, ...] | None:
    """The members of a union hint, or None when the hint is no union."""
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        return typing.get_args(hint)
    return None


def _tag(cls: Any) -> str:
    return "date" if cls is dt.date else "datetime" if cls is dt.datetime else cls.__name__


def _encode(value: Any, hint: Any, hints: Hints, path: str) -> Any:
    if value is None:
        return None
    members = _members(hint)
    if members is not None:
        choices = [m for m in members if m is not _NONE]
        if len(choices) == 1:
            return _encode(value, choices[0], hints, path)
        member = _member_of(value, choices, path)
        return {"type": _tag(member), "value": _encode(value, member, hints, path)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _encode(getattr(value, f.name), field_hint, hints, f"{path}.{f.name}")
            for f, field_hint in _fields(type(value), hints)
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):  # datetime included
        return value.isoformat()
    if isinstance(value, (tuple, list, set, frozenset)):
        items = _item_hints(hint, len(value))
        if isinstance(value, (set, frozenset)):
            value = sorted(value, key=repr)
        return [_encode(v, h, hints, f"{path}[{i}]") for i, (v, h) in enumerate(zip(value, items))]
    if isinstance(value, Mapping):
        args = typing.get_args(hint)
        value_hint = args[1] if len(args) == 2 else Any
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CodecError(f"{path}: mapping keys must be strings, got {key!r}")
            out[key] = _encode(item, value_hint, hints, f"{path}[{key!r}]")
        return out
    if isinstance(value, (str, int, float, bool)):
        return value
    raise CodecError(f"{path}: cannot encode {type(value).__name__}")


def _member_of(value: Any, choices: list[Any], path: str) -> Any:
    # datetime is a date: test exact types first, then subclasses.
    for member in choices:
        if type(value) is (typing.get_origin(member) or member):
            return member
    for member in choices:
        origin = typing.get_origin(member) or member
        if isinstance(origin, type) and isinstance(value, origin):
            return member
    raise CodecError(f"{path}: {type(value).__name__} is none of {[_tag(c) for c in choices]}")


def _item_hints(hint: Any, length: int) -> list[Any]:
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
        return list(args) + [Any] * (length - len(args))
    return [args[0] if args else Any] * length


def _decode(hint: Any, data: Any, hints: Hints, path: str) -> Any:
    if hint is Any:
        return data
    members = _members(hint)
    if members is not None:
        if data is None:
            if _NONE in members:
                return None
            raise CodecError(f"{path}: null is not allowed here")
        choices = [m for m in members if m is not _NONE]
        if len(choices) == 1:
            return _decode(choices[0], data, hints, path)
        if not isinstance(data, dict) or set(data) != {"type", "value"}:
            raise CodecError(f"{path}: expected a tagged union {{'type', 'value'}}, got {data!r}")
        for member in choices:
            if _tag(member) == data["type"]:
                return _decode(member, data["value"], hints, path)
        raise CodecError(f"{path}: unknown type tag {data['type']!r}")
    if data is None:
        raise CodecError(f"{path}: null is not allowed here")
    origin = typing.get_origin(hint) or hint
    if dataclasses.is_dataclass(origin):
        return _decode_dataclass(origin, data, hints, path)
    try:
        return _decode_plain(hint, origin, data, hints, path)
    except CodecError:
        raise
    except (TypeError, ValueError) as exc:
        raise CodecError(f"{path}: {exc}") from exc


def _decode_dataclass(cls: type, data: Any, hints: Hints, path: str) -> Any:
    if not isinstance(data, dict):
        raise CodecError(f"{path}: expected an object for {cls.__name__}, got {type(data).__name__}")
    values = {}
    for f, field_hint in _fields(cls, hints):
        if f.name in data:
            values[f.name] = _decode(field_hint, data[f.name], hints, f"{path}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise CodecError(f"{path}: missing required field {f.name!r}")
    return cls(**values)


def _decode_plain(hint: Any, origin: Any, data: Any, hints: Hints, path: str) -> Any:
    if isinstance(origin, type) and issubclass(origin, enum.Enum):
        return origin(data)
    if origin is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if origin is dt.date:
        return dt.date.fromisoformat(data)
    if origin in (tuple, list, set, frozenset):
        if not isinstance(data, list):
            raise CodecError(f"{path}: expected a list, got {type(data).__name__}")
        items = [_decode(h, v, hints, f"{path}[{i}]") for i, (v, h) in enumerate(zip(data, _item_hints(hint, len(data))))]
        return origin(items)
    if origin is dict:
        if not isinstance(data, dict):
            raise CodecError(f"{path}: expected an object, got {type(data).__name__}")
        args = typing.get_args(hint)
        value_hint = args[1] if len(args) == 2 else Any
        return {k: _decode(value_hint, v, hints, f"{path}[{k!r}]") for k, v in data.items()}
    if origin is float:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise CodecError(f"{path}: expected a number, got {data!r}")
        return float(data)
    if origin is int or origin is str or origin is bool:
        if type(data) is not origin:
            raise CodecError(f"{path}: expected {origin.__name__}, got {data!r}")
        return data
    raise CodecError(f"{path}: cannot decode into {hint!r}")
