"""Test rules the way procmap tests its own: cases as data, one file per rule.

A cases file names a rule and holds named cases. A ``fail_<situation>`` case
gives a map (or ``maps``, checked together as a catalog) and the findings it
must give: their ``elements``, the ``line`` of the first element and a
``message`` fragment; a ``pass_<situation>`` case gives a map on which the rule
finds nothing. A case may set ``config`` (the settings of ``procmap.toml``)::

    rule: XF001
    cases:
      fail_slow_handoff:
        map: |
          procmap: 1
          process: p
          actors: {sales: {kind: team}, service: {kind: team}}
          steps:
            quote: {actor: sales, then: [check]}
            check: {actor: service, wait: 2d}
        findings:
          - elements: [quote, check]
            line: 5
            message: "waits 2d"
      pass_quick:
        map: ...

In pytest::

    from procmap.testing import cases_in, check_case

    @pytest.mark.parametrize("case", cases_in("tests/rules/cases"), ids=str)
    def test_rule_case(case):
        check_case(case)

A rule of a team's own is tested the same way: pass its class in ``rules``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procmap.analysis.linter import check
from procmap.config import config_from_dict
from procmap.findings import Finding
from procmap.io.yaml_loader import parse
from procmap.rules.base import Rule

__all__ = ["Case", "CaseFailed", "cases_in", "check_case", "run_case"]


class CaseFailed(AssertionError):
    """A rule case did not give what it says."""


@dataclass(frozen=True)
class Case:
    """One named case of a rule's cases file."""

    rule: str
    name: str
    maps: tuple[str, ...]
    findings: tuple[dict[str, Any], ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    file: str = ""

    def __str__(self) -> str:
        return f"{self.rule}-{self.name}"


def cases_in(folder: str | os.PathLike[str]) -> list[Case]:
    """Every case of every ``*.yaml`` cases file in ``folder``, in file order."""
    import yaml

    found = []
    for path in sorted(Path(folder).glob("*.yaml")):
        spec = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        for name, case in spec["cases"].items():
            found.append(Case(
                rule=spec["rule"], name=name,
                maps=tuple(case.get("maps") or [case["map"]]),
                findings=tuple(case.get("findings") or ()),
                config=_typed(case.get("config") or {}),
                file=str(path),
            ))
    return found


def run_case(case: Case, *, rules: Sequence[type[Rule]] = ()) -> list[Finding]:
    """The findings of the case's rule on the case's maps (with ``rules`` added)."""
    maps = [parse(text, f"{case.name}-{i}.yaml") for i, text in enumerate(case.maps)]
    config = config_from_dict(case.config)
    extra = [cls() for cls in rules]
    findings = check(maps, config=config, select=[case.rule], extra_rules=extra)
    crashed = [f for f in findings if f.name == "rule-error"]
    if crashed:
        raise CaseFailed(f"{case}: the rule crashed: {crashed[0].message}")
    return [f for f in findings if f.rule == case.rule]


def check_case(case: Case, *, rules: Sequence[type[Rule]] = ()) -> None:
    """Raise :class:`CaseFailed` unless the case's rule gives what the case says."""
    found = run_case(case, rules=rules)
    messages = [f.message for f in found]
    if case.name.startswith("pass_"):
        if found:
            raise CaseFailed(f"{case}: expected no finding, got {messages}")
        return
    if not case.name.startswith("fail_"):
        raise CaseFailed(f"{case}: case names start with fail_ or pass_")
    if len(found) != len(case.findings):
        raise CaseFailed(f"{case}: expected {len(case.findings)} findings, got {messages}")
    for finding, want in zip(found, case.findings, strict=True):
        if list(finding.elements) != list(want["elements"]):
            raise CaseFailed(f"{case}: elements {list(finding.elements)}, expected {want['elements']}")
        if "line" in want and (finding.location is None or finding.location.line != int(want["line"])):
            got = finding.location.line if finding.location else None
            raise CaseFailed(f"{case}: line {got}, expected {want['line']}")
        if "message" not in want or want["message"] not in finding.message:
            raise CaseFailed(f"{case}: message {finding.message!r} lacks {want.get('message')!r}")
        if finding.suggestion is None:
            raise CaseFailed(f"{case}: the finding has no suggestion")


def _typed(value: Any) -> Any:
    """YAML's base loader reads every scalar as text; make numbers numbers for the config."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    try:
        return float(value) if "." in value else int(value)
    except (TypeError, ValueError):
        return value
