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

A `Codec` compiles one converter per type the first time it meets it; stores
keep one `Codec` for their lifetime, since resolving type hints costs far more
than converting a record. The module functions use a fresh one per call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, Union

T = TypeVar("T")

_NONE = type(None)
Convert = Callable[[Any], Any]


class CodecError(ValueError):
    """Data that does not fit the declared type; the message names the path (`Claim.span.start`)."""

    def __init__(self, reason: str, path: tuple[str, ...] = ()) -> None:
        where = "".join(path).lstrip(".")
        super().__init__(f"{where}: {reason}" if where else reason)
        self.reason = reason
        self.path = path

    def within(self, step: str) -> CodecError:
        """The same error seen from one level up (`.field`, `[index]`, or the class name)."""
        return CodecError(self.reason, (step, *self.path))


def to_data(value: Any) -> Any:
    """Encode a model value (dataclass, enum, date, tuple of them...) as JSON-able data."""
    return Codec().to_data(value)


def from_data(cls: type[T] | Any, data: Any) -> T:
    """Rebuild a value of type `cls` (a dataclass, or a hint like `tuple[Claim, ...]`) from `to_data` output.

    Raises `CodecError` naming the offending path when the data does not fit."""
    return Codec().from_data(cls, data)


class Codec:
    """Converters compiled per type hint on first use, kept by this instance."""

    def __init__(self) -> None:
        self._encoders: dict[Any, Convert] = {}
        self._decoders: dict[Any, Convert] = {}

    def to_data(self, value: Any) -> Any:
        """Encode a model value; see the module docstring for the rules."""
        try:
            return self._encoder(type(value))(value)
        except CodecError as exc:
            raise exc.within(type(value).__name__) from None
        except (AttributeError, TypeError, ValueError) as exc:
            raise CodecError(f"cannot encode: {exc}", (type(value).__name__,)) from exc

    def from_data(self, cls: type[T] | Any, data: Any) -> T:
        """Rebuild a value of type `cls` from `to_data` output; raises CodecError naming the path."""
        try:
            return self._decoder(cls)(data)
        except CodecError as exc:
            raise exc.within(getattr(cls, "__name__", str(cls))) from None

    # Encoders trust the declared types: they are applied to model values.

    def _encoder(self, hint: Any) -> Convert:
        found = self._encoders.get(hint)
        if found is None:
            found = self._encoders[hint] = self._compile_encoder(hint)
        return found

    def _compile_encoder(self, hint: Any) -> Convert:
        if hint is Any:
            return self._encode_any
        members = _members(hint)
        if members is not None:
            return self._union_encoder(members)
        origin = typing.get_origin(hint) or hint
        if dataclasses.is_dataclass(origin):
            return self._dataclass_encoder(origin)
        if isinstance(origin, type) and issubclass(origin, enum.Enum):
            return lambda value: value.value
        if origin in (dt.date, dt.datetime):
            return lambda value: value.isoformat()
        if origin in (tuple, list, set, frozenset):
            return self._sequence_encoder(hint, origin)
        if origin in (dict, Mapping):
            return self._mapping_encoder(hint)
        if origin in (str, int, float, bool):
            return lambda value: value
        raise CodecError(f"cannot encode the type {hint!r}")

    def _encode_any(self, value: Any) -> Any:
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        if isinstance(value, Mapping):
            return self._encoder(dict[str, Any])(value)
        if isinstance(value, (tuple, list)):
            return [self._encode_any(v) for v in value]
        return self._encoder(type(value))(value)

    def _dataclass_encoder(self, cls: type) -> Convert:
        plan: list[tuple[str, Convert]] = []

        def encode(value: Any) -> dict[str, Any]:
            return {name: None if (v := getattr(value, name)) is None else convert(v) for name, convert in plan}

        self._encoders[cls] = encode  # before the fields: a class may contain itself
        plan.extend((f.name, self._encoder(hint)) for f, hint in _fields(cls))
        return encode

    def _union_encoder(self, members: tuple[Any, ...]) -> Convert:
        choices = [m for m in members if m is not _NONE]
        if len(choices) == 1:
            inner = self._encoder(choices[0])
            return lambda value: None if value is None else inner(value)
        tagged = [(_runtime_type(m), _tag(m), self._encoder(m)) for m in choices]

        def encode(value: Any) -> Any:
            if value is None:
                return None
            # Exact types first: a datetime is also a date.
            for kind, tag, convert in tagged:
                if type(value) is kind:
                    return {"type": tag, "value": convert(value)}
            for kind, tag, convert in tagged:
                if isinstance(value, kind):
                    return {"type": tag, "value": convert(value)}
            raise CodecError(f"{type(value).__name__} is none of {[tag for _, tag, _ in tagged]}")

        return encode

    def _sequence_encoder(self, hint: Any, origin: type) -> Convert:
        fixed = _fixed_items(hint)
        if fixed is not None:
            converts = [self._encoder(h) for h in fixed]
            return lambda value: [None if v is None else c(v) for c, v in zip(converts, value)]
        args = typing.get_args(hint)
        item = self._encoder(args[0] if args else Any)
        if origin in (set, frozenset):
            return lambda value: sorted((None if v is None else item(v) for v in value), key=repr)
        return lambda value: [None if v is None else item(v) for v in value]

    def _mapping_encoder(self, hint: Any) -> Convert:
        args = typing.get_args(hint)
        item = self._encoder(args[1] if len(args) == 2 else Any)

        def encode(value: Mapping[Any, Any]) -> dict[str, Any]:
            for key in value:
                if not isinstance(key, str):
                    raise CodecError(f"mapping keys must be strings, got {key!r}")
            return {k: None if v is None else item(v) for k, v in value.items()}

        return encode

    # Decoders check what they read: stored data may be old, edited or corrupt.

    def _decoder(self, hint: Any) -> Convert:
        found = self._decoders.get(hint)
        if found is None:
            found = self._decoders[hint] = self._compile_decoder(hint)
        return found

    def _compile_decoder(self, hint: Any) -> Convert:
        if hint is Any:
            return lambda data: data
        members = _members(hint)
        if members is not None:
            return self._union_decoder(members)
        origin = typing.get_origin(hint) or hint
        if dataclasses.is_dataclass(origin):
            return self._dataclass_decoder(origin)
        if isinstance(origin, type) and issubclass(origin, enum.Enum):
            return _enum_decoder(origin)
        if origin in (dt.date, dt.datetime):
            return _date_decoder(origin)
        if origin in (tuple, list, set, frozenset):
            return self._sequence_decoder(hint, origin)
        if origin in (dict, Mapping):
            return self._mapping_decoder(hint)
        if origin is float:
            return _decode_float
        if origin in (str, int, bool):
            return _exact_decoder(origin)
        raise CodecError(f"cannot decode into {hint!r}")

    def _dataclass_decoder(self, cls: type) -> Convert:
        plan: list[tuple[str, Convert, bool]] = []

        def decode(data: Any) -> Any:
            if type(data) is not dict:
                raise CodecError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
            values = {}
            for name, convert, required in plan:
                if name in data:
                    try:
                        values[name] = convert(data[name])
                    except CodecError as exc:
                        raise exc.within(f".{name}") from None
                elif required:
                    raise CodecError(f"missing required field {name!r}")
            return cls(**values)

        self._decoders[cls] = decode
        for f, hint in _fields(cls):
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            plan.append((f.name, self._decoder(hint), required))
        return decode

    def _union_decoder(self, members: tuple[Any, ...]) -> Convert:
        nullable = _NONE in members
        choices = [m for m in members if m is not _NONE]
        if len(choices) == 1:
            inner = self._decoder(choices[0])

            def decode_optional(data: Any) -> Any:
                if data is None:
                    if nullable:
                        return None
                    raise CodecError("null is not allowed here")
                return inner(data)

            return decode_optional
        by_tag = {_tag(m): self._decoder(m) for m in choices}

        def decode(data: Any) -> Any:
            if data is None and nullable:
                return None
            if type(data) is not dict or data.keys() != {"type", "value"}:
                raise CodecError(f"expected a tagged union {{'type', 'value'}}, got {data!r}")
            convert = by_tag.get(data["type"])
            if convert is None:
                raise CodecError(f"unknown type tag {data['type']!r}, expected one of {sorted(by_tag)}")
            return convert(data["value"])

        return decode

    def _sequence_decoder(self, hint: Any, origin: type) -> Convert:
        fixed = _fixed_items(hint)
        converts = [self._decoder(h) for h in fixed] if fixed is not None else None
        args = typing.get_args(hint)
        item = self._decoder(args[0] if args and fixed is None else Any)

        def decode(data: Any) -> Any:
            if type(data) is not list:
                raise CodecError(f"expected a list, got {type(data).__name__}")
            steps = converts if converts is not None else [item] * len(data)
            if len(steps) != len(data):
                raise CodecError(f"expected {len(steps)} items, got {len(data)}")
            try:
                return origin([convert(v) for convert, v in zip(steps, data)])
            except CodecError:
                pass
            for i, (convert, v) in enumerate(zip(steps, data)):  # again, to name the failing index
                try:
                    convert(v)
                except CodecError as exc:
                    raise exc.within(f"[{i}]") from None
            raise AssertionError("unreachable")

        return decode

    def _mapping_decoder(self, hint: Any) -> Convert:
        args = typing.get_args(hint)
        item = self._decoder(args[1] if len(args) == 2 else Any)

        def decode(data: Any) -> dict[str, Any]:
            if type(data) is not dict:
                raise CodecError(f"expected an object, got {type(data).__name__}")
            out = {}
            for key, value in data.items():
                try:
                    out[key] = item(value)
                except CodecError as exc:
                    raise exc.within(f"[{key!r}]") from None
            return out

        return decode


def _fields(cls: type) -> list[tuple[dataclasses.Field, Any]]:
    resolved = typing.get_type_hints(cls)
    return [(f, resolved[f.name]) for f in dataclasses.fields(cls) if f.init]


def _members(hint: Any) -> tuple[Any, ...] | None:
    """The members of a union hint, or None when the hint is no union."""
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        return typing.get_args(hint)
    return None


def _fixed_items(hint: Any) -> tuple[Any, ...] | None:
    """The item hints of a fixed-length tuple (`tuple[str, str]`), else None."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
        return args
    return None


def _runtime_type(hint: Any) -> type:
    return typing.get_origin(hint) or hint


def _tag(hint: Any) -> str:
    return {dt.date: "date", dt.datetime: "datetime"}.get(hint, getattr(hint, "__name__", str(hint)))


def _enum_decoder(cls: type[enum.Enum]) -> Convert:
    by_value = {member.value: member for member in cls}

    def decode(data: Any) -> enum.Enum:
        try:
            return by_value[data]
        except (KeyError, TypeError):
            raise CodecError(f"{data!r} is no {cls.__name__}; expected one of {sorted(map(str, by_value))}") from None

    return decode


def _date_decoder(cls: type[dt.date]) -> Convert:
    def decode(data: Any) -> dt.date:
        try:
            return cls.fromisoformat(data)
        except (TypeError, ValueError):
            raise CodecError(f"expected an ISO {_tag(cls)}, got {data!r}") from None

    return decode


def _decode_float(data: Any) -> float:
    if type(data) is float:
        return data
    if type(data) is int:
        return float(data)
    raise CodecError(f"expected a number, got {data!r}")


def _exact_decoder(cls: type) -> Convert:
    def decode(data: Any) -> Any:
        if type(data) is cls:
            return data
        raise CodecError(f"expected {cls.__name__}, got {data!r}")

    return decode
