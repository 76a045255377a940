"""The as-is map: it loads and checks like any map, and its flows are the log's."""

from __future__ import annotations

from collections import Counter

import pytest

import procmap
from procmap.analysis.linter import check
from procmap.findings import Severity
from procmap.io.yaml_writer import dumps
from procmap.mining.discover import discover
from procmap.mining.read import read_log
from procmap.model.process import StepKind
from tests.mining.conftest import corpus_log, pm4py_answers


@pytest.mark.parametrize("name", ["running-example.xes", "receipt.csv", "helpdesk.xes.gz",
                                  "interval_event_log.xes"])
def test_the_map_is_the_directly_follows_graph_of_the_log(name: str, engine) -> None:
    path = corpus_log(name)
    found = discover(read_log(path, engine))
    process = procmap.loads(dumps(found.process))  # written and read back
    assert not [f for f in check(process) if f.severity is Severity.ERROR]
    names = {s.name: sid for sid, s in process.steps.items()}
    by_id = {sid: s.name for sid, s in process.steps.items()}
    expected = {pair for pair in pm4py_answers(path)["dfg"] if pair[0] != pair[1]}
    activities = {a for v in pm4py_answers(path)["variants"] for a in v}
    flows = {(by_id[f.source], by_id[f.target]) for f in process.flows
             if by_id[f.source] in activities and by_id[f.target] in activities}
    assert flows == expected
    assert activities <= names.keys()
    firsts = {v[0] for v in pm4py_answers(path)["variants"]}
    start = process.steps["start"]
    after_start = set(start.then) if len(firsts) == 1 else {
        b.to for b in process.steps[start.then[0]].branches.values()}
    assert {by_id[s] for s in after_start} == firsts


def test_branch_probabilities_are_the_real_shares(engine) -> None:
    path = corpus_log("receipt.csv")
    process = discover(read_log(path, engine)).process
    answers = pm4py_answers(path)
    step = next(s for s in process.steps.values() if s.name == "Confirmation of receipt")
    assert step.kind is StepKind.DECISION
    nexts = Counter({b: n for (a, b), n in answers["dfg"].items() if a == step.name and b != a})
    nexts["(end)"] = sum(n for v, n in answers["variants"].items() if v[-1] == step.name)
    total = sum(nexts.values())
    for branch in step.branches.values():
        target = process.steps[branch.to]
        name = "(end)" if target.kind is StepKind.END else target.name
        assert branch.probability == pytest.approx(nexts[name] / total, abs=0.001)
    assert sum(b.probability for b in step.branches.values()) == pytest.approx(1.0)


def test_coverage_keeps_the_most_frequent_variants(engine) -> None:
    path = corpus_log("receipt.csv")
    found = discover(read_log(path, engine), coverage=0.8)
    counts = sorted(pm4py_answers(path)["variants"].values(), reverse=True)
    kept = next(i for i in range(1, len(counts) + 1) if sum(counts[:i]) >= 0.8 * sum(counts))
    assert found.kept_variants == kept
    assert found.kept_cases == sum(counts[:kept])
    assert "most frequent variants" in found.process.note


def test_lanes_become_actors_and_customer_steps_moments_of_truth(engine) -> None:
    log = read_log(corpus_log("receipt.csv"), engine, customer=["Confirmation*"])
    process = discover(log).process
    assert process.actors["customer"].kind.value == "customer"
    lanes = {a.name for aid, a in process.actors.items() if aid != "customer"}
    assert {"Group 1", "Group 4", "EMPTY"} <= lanes
    step = next(s for s in process.steps.values() if s.name == "Confirmation of receipt")
    assert step.with_ == ("customer",)
    card = procmap.analyze(process)
    assert card.moments_of_truth
