"""MAP001 and MAP002 on a map built in Python: loading refuses a loop with no
way out, but a map made with the API reaches the rules as it is."""

from __future__ import annotations

import procmap
from procmap.model.process import Process


def test_a_map_that_only_loops_has_neither_beginning_nor_end() -> None:
    p = Process.model_validate({
        "procmap": 1, "process": "p", "name": "Dunning",
        "actors": {"finance": {"kind": "team"}},
        "steps": {"send": {"actor": "finance", "then": ["remind"]},
                  "remind": {"actor": "finance", "then": ["send"]}},
    })
    found = {f.rule: f.message for f in procmap.check(p, select=["MAP001", "MAP002"])}
    assert found == {
        "MAP001": "No step of process 'Dunning' begins a case: every step has one before it",
        "MAP002": "No step of process 'Dunning' ends a case: every step has one after it",
    }
