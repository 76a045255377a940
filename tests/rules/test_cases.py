"""Runs every rule case in tests/rules/cases/<RULE>.yaml (one file per rule).

A case is ``fail_<situation>`` (with the expected ``findings``: elements, line and
a message fragment) or ``pass_<situation>`` (no finding of the rule). A case has
one ``map`` or several ``maps`` (checked together, as a catalog), and may set
``config`` (the settings of procmap.toml) and ``process`` to name the process
that expected findings are about.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import procmap
from procmap.analysis.config import config_from_dict
from procmap.analysis.engine import check
from procmap.io.yaml_loader import parse

CASES = Path(__file__).parent / "cases"


def _cases():
    for path in sorted(CASES.glob("*.yaml")):
        spec = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for name, case in spec["cases"].items():
            yield pytest.param(spec["rule"], name, case, id=f"{path.stem}-{name}")


def run_case(rule: str, name: str, case: dict) -> list[procmap.Finding]:
    texts = case.get("maps") or [case["map"]]
    maps = [parse(text, f"{name}-{i}.yaml") for i, text in enumerate(texts)]
    config = config_from_dict(_typed(case.get("config") or {}))
    findings = check(maps, config=config, select=[rule])
    assert not [f for f in findings if f.name == "rule-error"], findings
    return [f for f in findings if f.rule == rule]


def _typed(value):
    """BaseLoader reads every scalar as text; make numbers numbers for the config."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    try:
        return float(value) if "." in value else int(value)
    except (TypeError, ValueError):
        return value


@pytest.mark.parametrize(("rule", "name", "case"), list(_cases()))
def test_rule_case(rule: str, name: str, case: dict) -> None:
    found = run_case(rule, name, case)
    if name.startswith("pass_"):
        assert found == [], [f.message for f in found]
        return
    assert name.startswith("fail_"), f"case names start with fail_ or pass_: {name}"
    expected = case["findings"]
    assert len(found) == len(expected), [f.message for f in found]
    for finding, want in zip(found, expected, strict=True):
        assert list(finding.elements) == want["elements"]
        if "line" in want:
            assert finding.location is not None and finding.location.line == int(want["line"])
        assert want["message"] in finding.message
        assert finding.suggestion is not None
