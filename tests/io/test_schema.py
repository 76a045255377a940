"""The JSON Schema: shipped, current, and true to the examples."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from procmap.io.schema import json_schema, packaged_schema_text, schema_text
from tests.conftest import example_maps


class KeysAsText(yaml.SafeLoader):
    """YAML 1.1 reads `yes:` keys as booleans; map files mean them as labels."""


KeysAsText.yaml_implicit_resolvers = {
    k: [(tag, regexp) for tag, regexp in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_packaged_schema_is_current() -> None:
    assert packaged_schema_text() == schema_text(), "the shipped schema is stale: run `make docs`"


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize("path", example_maps(), ids=lambda p: p.stem)
def test_examples_validate(path: Path) -> None:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=KeysAsText)
    jsonschema.validate(data, json_schema(), cls=jsonschema.Draft202012Validator)


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    bad = {"procmap": 1, "process": "p", "level": 7, "steps": {"a": {"actr": "x"}}}
    messages = sorted(e.message for e in validator.iter_errors(bad))
    assert any("7 is not valid" in m for m in messages)  # level: 1..4 or null
    assert any("'actr' was unexpected" in m for m in messages)


def test_durations_and_single_ids_are_allowed() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    ok = {"procmap": 1, "process": "p", "actors": {"s": {"kind": "team"}},
          "steps": {"a": {"actor": "s", "needs": "b", "wait": "2 days"}, "b": {"actor": "s"},
                    "d": {"actor": "s", "kind": "decision", "branches": {"yes": "a"}}}}
    assert list(validator.iter_errors(ok)) == []
    assert json.loads(schema_text())["title"] == "procmap process map"
