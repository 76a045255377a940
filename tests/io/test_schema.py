"""The JSON Schema: shipped, current, and true to the examples."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import yaml

from procmap.io.schema import json_schema, packaged_schema_text, schema_text
from procmap.output.write import unstamp
from tests.conftest import FULL_MAP, SMALL_MAP, example_maps


class KeysAsText(yaml.SafeLoader):
    """A YAML loader for checking map files against the schema, as an editor would.

    PyYAML's safe_load speaks YAML 1.1, where `yes`, `no`, `on` and `off` are booleans:
    `branches: {yes: a, no: b}` would become `{True: 'a', False: 'b'}` and fail the
    schema for a reason no editor (they speak YAML 1.2) and not procmap's own loader
    would see. So the boolean resolver is removed; `true`/`false` then stay text too,
    which the map format never needs as values. Everything else is safe_load.
    """


KeysAsText.yaml_implicit_resolvers = {
    k: [(tag, regexp) for tag, regexp in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@cache
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema())


def as_data(text: str) -> object:
    return yaml.load(text, Loader=KeysAsText)


def test_packaged_schema_is_current() -> None:
    assert unstamp(packaged_schema_text().encode()).decode() == schema_text(), (
        "src/procmap/schema/procmap-1.schema.json is stale: run `make docs` "
        "(or `procmap schema -o src/procmap/schema/procmap-1.schema.json`)"
    )


def test_the_schema_names_the_fields_of_the_format_as_the_design_does() -> None:
    # DESIGN.md §2, written out here: the schema is generated from the model, so
    # this is what holds the model (and the shipped file) to the format
    schema = json.loads(packaged_schema_text())
    defs = schema["$defs"]
    assert {"procmap", "process", "name", "level", "owner", "part-of", "author", "note",
            "actors", "outcomes", "steps"} <= set(schema["properties"])
    assert {"name", "actor", "kind", "needs", "then", "branches", "delivers", "with",
            "channel", "duration", "wait", "fails", "value", "calls", "rule",
            "note"} <= set(defs["Step"]["properties"])
    assert set(defs["StepKind"]["enum"]) == {"task", "decision", "parallel", "start", "end",
                                             "wait", "subprocess"}
    assert set(defs["ActorKind"]["enum"]) == {"customer", "team", "system", "partner"}
    assert {"in-person", "phone", "email", "web", "app", "letter"} <= set(defs["Channel"]["enum"])
    assert set(defs["Value"]["enum"]) == {"customer", "business", "none"}
    assert schema["required"] == ["procmap", "process"] or set(schema["required"]) == {
        "procmap", "process"}
    assert schema["$id"].endswith("procmap-1.schema.json")


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_plain_safe_load_would_turn_branch_labels_into_booleans() -> None:
    text = "branches: {yes: a, no: b}\n"
    assert yaml.safe_load(text) == {"branches": {True: "a", False: "b"}}
    assert as_data(text) == {"branches": {"yes": "a", "no": "b"}}


@pytest.mark.parametrize("path", example_maps(), ids=lambda p: p.stem)
def test_examples_validate(path: Path) -> None:
    validator().validate(as_data(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("text", [SMALL_MAP, FULL_MAP], ids=["small", "full"])
def test_hand_written_maps_validate(text: str) -> None:
    validator().validate(as_data(text))


def test_schema_rejects_what_the_loader_rejects() -> None:
    bad = {"procmap": 1, "process": "p", "level": 7, "steps": {"a": {"actr": "x"}}}
    messages = sorted(e.message for e in validator().iter_errors(bad))
    assert any("7 is not valid" in m for m in messages)  # level: 1..4 or null
    assert any("'actr' was unexpected" in m for m in messages)
    assert not validator().is_valid({"procmap": 2, "process": "p"})
    assert not validator().is_valid({"procmap": 1, "process": "has space"})
    assert not validator().is_valid({"procmap": 1, "process": "p", "level": True})


def test_durations_and_single_ids_are_allowed() -> None:
    ok = {"procmap": 1, "process": "p", "actors": {"s": {"kind": "team"}},
          "steps": {"a": {"actor": "s", "needs": "b", "wait": "2 days"}, "b": {"actor": "s"},
                    "d": {"actor": "s", "kind": "decision", "branches": {"yes": "a"}}}}
    assert list(validator().iter_errors(ok)) == []
    assert not validator().is_valid({**ok, "steps": {"a": {"actor": "s", "wait": "3x"}}})
    assert json.loads(schema_text())["title"] == "procmap process map"
