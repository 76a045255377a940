"""Pydantic's validation errors, said in the words of a process map."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from procmap.errors import MapError
from procmap.model.checks import did_you_mean
from procmap.model.process import Actor, Branch, Outcome, Process, Step
from procmap.source import Path, SourceMap

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
        return f"{_ELEMENTS[str(loc[0])][0]} '{_short(str(loc[1]))}'"
    process = data.get("process")
    return f"process '{_short(process)}'" if isinstance(process, str) else None


def _short(text: str, limit: int = 40) -> str:
    """Text cut to ``limit`` characters, so a runaway value does not flood the message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_value(value: Any) -> str:
    """A value as a message shows it: quoted text, a number, ``a list``, ``empty``."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) or (
        isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit()
    ):
        return _short(str(value))
    return f"'{_short(str(value))}'"


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

    branch = f"branch '{loc[3]}': " if model is Branch else ""
    if kind == "extra_forbidden":
        known = fields_of(model)
        hint = did_you_mean(last, known)
        if last == "<<":
            hint = "procmap does not read YAML merge keys: write the fields out"
        elif hint is None and value is None:
            hint = "a comma inside { } starts a new field: put text with commas in quotes"
        return MapError(source.key(loc), element, f"{branch}unknown field '{last}'", hint)
    if kind == "missing":
        return MapError(
            source.key(element_path or loc[:-1]),
            element,
            f"{branch}missing field '{last}'",
            _HINTS_MISSING.get(last),
        )
    where = source.value(loc)
    if loc and loc[-1] == "[key]":
        what, hint = _bad_id(str(loc[-2]), kind, ctx)
        return MapError(source.key(loc[:-1]), None, what, hint)
    if kind == "enum":
        choices = _enum_choices(model, last)
        what = f"{field} {describe_value(value)} is not one of: {', '.join(choices)}"
        return MapError(where, element, what, did_you_mean(str(value), choices))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        what = f"{field} must be a whole number, not {describe_value(value)}"
    elif kind in ("float_parsing", "float_type"):
        what = f"{field} must be a number, not {describe_value(value)}"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than",
                  "int_parsing_size"):
        what, hint = _out_of_range(field, value)
    elif kind in ("string_pattern_mismatch", "string_too_long"):  # only ids have either
        what, hint = _bad_id(str(value), kind, ctx)
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        what = f"{field} must be a mapping of fields, not {describe_value(value)}"
        if len(loc) == 2 and loc[0] in _ELEMENTS:
            what = f"must be a mapping of fields (actor:, name:, …), not {describe_value(value)}"
            if loc[0] != "steps":
                what = f"must be a mapping of fields (kind:, name:, …), not {describe_value(value)}"
        elif loc == ():
            what = "is not a procmap map"
    elif kind in ("tuple_type", "list_type"):
        what = f"{field} must be a list of ids, not {describe_value(value)}"
    elif kind in ("string_type",):
        what = f"{field} must be text, not {describe_value(value)}"
    elif kind == "string_too_short":
        what = f"{field} must not be empty"
    elif kind == "value_error":
        shown = "" if isinstance(value, dict) else f" {describe_value(value)}"
        what = f"{field}{shown} {ctx.get('error', detail['msg'])}"
    else:
        what = f"{field}: {detail['msg']}"
    return MapError(where, element, what, hint)


def _bad_id(value: str, kind: str, ctx: dict[str, Any]) -> tuple[str, str | None]:
    """What is wrong with an id, and how to write a good one."""
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return f"'{_short(value)}' is longer than the {limit} characters an id may have", None
    return f"'{_short(value)}' is not a valid id", "use letters, digits and - _ . : only, no spaces"


def _out_of_range(field: str, value: Any) -> tuple[str, str | None]:
    if field == "level":
        return (
            f"level {describe_value(value)} is outside L1–L4",
            "L1 is a function, L4 the deepest process: never break down to tasks",
        )
    if field == "fails" or field.endswith("probability"):
        return (
            f"{field} {describe_value(value)} is not a probability from 0 to 1",
            "write 0.05 for a 5% chance",
        )
    if field == "capacity":
        return (f"capacity {describe_value(value)} is out of range",
                "capacity is how many can work at once in the lane: 1 or more")
    return f"{field} {describe_value(value)} is out of range", None
