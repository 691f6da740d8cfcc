"""Declarative, validated scenario sections: frozen dataclasses built from TOML tables.

Each section is a frozen dataclass whose fields declare their unit in the name and their
constraints in ``field(metadata=...)`` through :func:`param`. :func:`build` turns a TOML table into
the dataclass, naming the dotted key path, the value and what is allowed on any error: unknown
keys, wrong types, non-finite numbers (TOML's ``inf``/``nan``), values out of range or not among
the choices.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from ..errors import ScenarioError

T = TypeVar("T")
_MISSING = dataclasses.MISSING


def param(
    default: Any = _MISSING,
    *,
    doc: str,
    min: float | None = None,
    max: float | None = None,
    exclusive_min: bool = False,
    exclusive_max: bool = False,
    choices: tuple | None = None,
    default_factory: Any = _MISSING,
) -> Any:
    """A documented, constrained dataclass field (``doc`` states the meaning, unit and source)."""
    metadata = {
        "doc": doc,
        "min": min,
        "max": max,
        "exclusive_min": exclusive_min,
        "exclusive_max": exclusive_max,
        "choices": choices,
    }
    if default_factory is not _MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def _type_name(tp: Any) -> str:
    if tp is type(None):
        return "nothing"
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(tp))
    if origin is tuple:
        return f"an array of {_type_name(get_args(tp)[0])}"
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if dataclasses.is_dataclass(tp):
        return "a table"
    return {float: "a number", int: "an integer", str: "a string", bool: "true or false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _convert(tp: Any, value: Any, path: str) -> Any:
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        if value is None and len(options) < len(get_args(tp)):
            return None
        if len(options) == 1:  # Optional[X]: X's own, more precise, errors
            return _convert(options[0], value, path)
        for option in get_args(tp):
            if option is type(None):
                if value is None:
                    return None
                continue
            try:
                return _convert(option, value, path)
            except ScenarioError:
                continue
        raise ScenarioError(path, value, f"expected {_type_name(tp)}")
    if origin is typing.Literal:
        if value not in get_args(tp):
            raise ScenarioError(path, value, f"expected {_type_name(tp)}")
        return value
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise ScenarioError(path, value, f"expected {_type_name(tp)}")
        item_tp = get_args(tp)[0]
        return tuple(_convert(item_tp, v, f"{path}[{k}]") for k, v in enumerate(value))
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, Mapping):
            raise ScenarioError(path, value, "expected a table")
        return build(tp, value, path)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScenarioError(path, value, "expected a number")
        if not math.isfinite(value):  # TOML has inf and nan; no scenario quantity is non-finite
            raise ScenarioError(path, value, "expected a finite number (not inf or nan)")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScenarioError(path, value, "expected an integer")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise ScenarioError(path, value, "expected true or false")
        return value
    if tp is str:
        if isinstance(value, (_dt.datetime, _dt.date)):
            raise ScenarioError(path, value, "expected a quoted string such as \"1962-10-24T17:55:04Z\"")
        if not isinstance(value, str):
            raise ScenarioError(path, value, "expected a string")
        return value
    raise TypeError(f"unsupported field type {tp!r} at {path}")


def _check_range(value: Any, meta: Mapping[str, Any], path: str) -> None:
    values = value if isinstance(value, tuple) else (value,)
    for v in values:
        if meta.get("choices") is not None and v not in meta["choices"]:
            raise ScenarioError(path, v, "allowed: " + ", ".join(repr(c) for c in meta["choices"]))
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            continue
        lo, hi = meta.get("min"), meta.get("max")
        if lo is not None and (v < lo or (meta.get("exclusive_min") and v == lo)):
            op = ">" if meta.get("exclusive_min") else ">="
            raise ScenarioError(path, v, f"must be {op} {lo}")
        if hi is not None and (v > hi or (meta.get("exclusive_max") and v == hi)):
            op = "<" if meta.get("exclusive_max") else "<="
            raise ScenarioError(path, v, f"must be {op} {hi}")


def build(cls: type[T], data: Mapping[str, Any], path: str = "") -> T:
    """Build a frozen dataclass section from a TOML table, validating every key."""
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    prefix = f"{path}." if path else ""
    for key in data:
        if key not in fields:
            raise ScenarioError(
                f"{prefix}{key}", data[key], "unknown key; allowed keys: " + ", ".join(fields)
            )
    kwargs = {}
    for name, f in fields.items():
        key_path = f"{prefix}{name}"
        if name not in data:
            if f.default is _MISSING and f.default_factory is _MISSING:
                raise ScenarioError(key_path, None, f"required: {f.metadata.get('doc', name)}")
            continue
        value = _convert(hints[name], data[name], key_path)
        _check_range(value, f.metadata, key_path)
        kwargs[name] = value
    obj = cls(**kwargs)
    check = getattr(obj, "check", None)
    if callable(check):
        check(path)
    return obj


def to_mapping(obj: Any) -> Any:
    """A section back to plain TOML-able data (None values dropped)."""
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in dataclasses.fields(obj):
            value = to_mapping(getattr(obj, f.name))
            if value is not None:
                out[f.name] = value
        return out
    if isinstance(obj, tuple):
        return [to_mapping(v) for v in obj]
    return obj


def describe(cls: type, path: str = "") -> list[tuple[str, str, str, str]]:
    """Rows ``(key, type, default, doc)`` documenting a section and its subsections."""
    rows = []
    hints = get_type_hints(cls)
    for f in dataclasses.fields(cls):
        key = f"{path}.{f.name}" if path else f.name
        tp = hints[f.name]
        if f.default is not _MISSING:
            default = repr(f.default)
        elif f.default_factory is not _MISSING:
            default = repr(to_mapping(f.default_factory()))
        else:
            default = "required"
        rows.append((key, _type_name(tp), default, f.metadata.get("doc", "")))
    return rows
