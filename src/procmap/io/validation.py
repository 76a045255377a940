"""Pydantic's validation errors, said in the words of a process map."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from procmap.errors import MapError
from procmap.io.source import Path, SourceMap
from procmap.model.checks import did_you_mean
from procmap.model.process import Actor, Branch, Outcome, Process, Step

_ELEMENTS: dict[str, tuple[str, type[BaseModel]]] = {
    "steps": ("step", Step),
    "actors": ("actor", Actor),
    "outcomes": ("outcome", Outcome),
}
_HINTS_MISSING = {
    "actor": "say whose lane it is in: actor: <actor id>",
    "kind": "add kind: customer, team, system or partner",
    "name": "add name: <what it is, in words>",
    "process": "add process: <id of this process>",
    "to": "add to: <step id>",
}


def fields_of(model: type[BaseModel]) -> list[str]:
    """The field names of a model as they are written in a map."""
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(loc: Path) -> tuple[type[BaseModel], Path]:
    """The model that owns the field at ``loc``, and the path of its element."""
    if len(loc) >= 3 and loc[0] in _ELEMENTS:
        if loc[0] == "steps" and len(loc) >= 5 and loc[2] == "branches":
            return Branch, loc[:4]
        return _ELEMENTS[loc[0]][1], loc[:2]
    return Process, ()


def _element_name(loc: Path, data: dict[str, Any]) -> str | None:
    if len(loc) >= 2 and loc[0] in _ELEMENTS:
        return f"{_ELEMENTS[str(loc[0])][0]} '{loc[1]}'"
    process = data.get("process")
    return f"process '{process}'" if isinstance(process, str) else None


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, int | float) or (
        isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit()
    ):
        return str(value)
    return f"'{value}'"


def _field_label(loc: Path) -> str:
    parts = [str(p) for p in loc if not isinstance(p, int)]
    if len(loc) >= 2 and loc[0] in _ELEMENTS:
        parts = parts[2:]
        if len(parts) >= 2 and parts[0] == "branches":
            return " ".join([f"branch '{parts[1]}'", *parts[2:]])
    return ".".join(parts) or "it"


def _enum_choices(model: type[BaseModel], field: str) -> list[str]:
    for name, info in model.model_fields.items():
        if (info.alias or name) == field:
            annotation = info.annotation
            for arg in getattr(annotation, "__args__", (annotation,)):
                if isinstance(arg, type) and issubclass(arg, Enum):
                    return [str(m.value) for m in arg]
    return []


def describe_validation_error(
    detail: ErrorDetails, data: dict[str, Any], source: SourceMap
) -> MapError:
    """One Pydantic error → one located :class:`MapError` with a map-level message."""
    loc: Path = tuple(detail["loc"])
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    element = _element_name(loc, data)
    model, element_path = _model_at(loc)
    field = _field_label(loc)
    last = str(loc[-1]) if loc else ""
    hint: str | None = None

    if kind == "extra_forbidden":
        known = fields_of(model)
        hint = did_you_mean(last, known)
        if hint is None and value is None:
            hint = "a comma inside { } starts a new field: put text with commas in quotes"
        return MapError(source.key(loc), element, f"unknown field '{last}'", hint)
    if kind == "missing":
        return MapError(
            source.key(element_path or loc[:-1]),
            element,
            f"missing field '{last}'",
            _HINTS_MISSING.get(last),
        )
    where = source.value(loc)
    if loc and loc[-1] == "[key]":
        return MapError(
            source.key(loc[:-1]),
            None,
            f"'{loc[-2]}' is not a valid id",
            "use letters, digits and - _ . : only, no spaces",
        )
    if kind == "enum":
        choices = _enum_choices(model, last)
        what = f"{field} {_show(value)} is not one of: {', '.join(choices)}"
        return MapError(where, element, what, did_you_mean(str(value), choices))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        what = f"{field} must be a whole number, not {_show(value)}"
    elif kind in ("float_parsing", "float_type"):
        what = f"{field} must be a number, not {_show(value)}"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        what, hint = _out_of_range(field, value)
    elif kind == "string_pattern_mismatch":
        what = f"{_show(value)} is not a valid id"
        hint = "use letters, digits and - _ . : only, no spaces"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        what = f"{field} must be a mapping of fields, not {_show(value)}"
        if len(loc) == 2 and loc[0] in _ELEMENTS:
            what = f"must be a mapping of fields (actor:, name:, …), not {_show(value)}"
            if loc[0] != "steps":
                what = f"must be a mapping of fields (kind:, name:, …), not {_show(value)}"
        elif loc == ():
            what = "is not a procmap map"
    elif kind in ("tuple_type", "list_type"):
        what = f"{field} must be a list of ids, not {_show(value)}"
    elif kind in ("string_type",):
        what = f"{field} must be text, not {_show(value)}"
    elif kind == "string_too_short":
        what = f"{field} must not be empty"
    elif kind == "value_error":
        what = f"{field} {_show(value)} {ctx.get('error', detail['msg'])}"
    else:
        what = f"{field}: {detail['msg']}"
    return MapError(where, element, what, hint)


def _out_of_range(field: str, value: Any) -> tuple[str, str | None]:
    if field == "level":
        return (
            f"level {_show(value)} is outside L1–L4",
            "L1 is a function, L4 the deepest process: never break down to tasks",
        )
    if field == "fails" or field.endswith("probability"):
        return (
            f"{field} {_show(value)} is not a probability from 0 to 1",
            "write 0.05 for a 5% chance",
        )
    return f"{field} {_show(value)} is out of range", None
