"""Runs every rule case in tests/rules/cases/<RULE>.yaml (one file per rule).

A case is ``fail_<situation>`` (with the expected ``findings``: elements, line and
a message fragment) or ``pass_<situation>`` (no finding of the rule). A case has
one ``map`` or several ``maps`` (checked together, as a catalog), and may set
``config`` (the settings of procmap.toml). The runner is procmap's public one
(:mod:`procmap.testing`), so a team tests its own rules the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule
from procmap.testing import Case, CaseFailed, cases_in, check_case

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize("case", cases_in(CASES), ids=str)
def test_rule_case(case: Case) -> None:
    check_case(case)


class NoNotes(Rule):
    """A team's own rule: every step carries a note.

    Why: the team's workshops write down why each step exists.

    Example:
        steps:
          a: {actor: s}

    Fix: add a note.
    """

    id = "XF901"
    name = "step-without-note"
    default_severity = Severity.INFO

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        for sid, step in process.steps.items():
            if not step.note:
                yield self.finding(f"Step '{process.step_title(sid)}' has no note",
                                   elements=(sid,), suggestion=Suggestion.add("Add a note"))


MAP = "procmap: 1\nprocess: p\nactors: {s: {kind: team}}\nsteps:\n  a: {actor: s, note: why}\n  b: {actor: s, needs: a}\n"


def test_a_team_tests_its_own_rule_with_the_public_runner() -> None:
    fail = Case("XF901", "fail_no_note", (MAP,),
                ({"elements": ["b"], "line": 6, "message": "has no note"},))
    check_case(fail, rules=[NoNotes])
    check_case(Case("XF901", "pass_all_noted", (MAP.replace("needs: a}", "needs: a, note: x}"),)),
               rules=[NoNotes])
    wrong = Case("XF901", "fail_no_note", (MAP,), ({"elements": ["a"], "message": "x"},))
    with pytest.raises(CaseFailed, match="elements"):
        check_case(wrong, rules=[NoNotes])
