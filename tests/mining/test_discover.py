"""The as-is map: sound and block-structured, it loads and checks like any map, and fits its log."""

from __future__ import annotations

from collections import Counter

import pytest

import procmap
from procmap.analysis.linter import check
from procmap.findings import Severity
from procmap.io.yaml_writer import dumps
from procmap.mining.blocks import discover_blocks
from procmap.mining.discover import discover
from procmap.mining.read import read_log
from procmap.model.process import StepKind
from tests.mining.conftest import corpus_log, pm4py_answers


@pytest.mark.parametrize("name", ["running-example.xes", "receipt.csv", "helpdesk.xes.gz",
                                  "interval_event_log.xes"])
def test_activities_are_work_steps_and_every_step_reaches_the_end(name: str, engine) -> None:
    path = corpus_log(name)
    found = discover(read_log(path, engine))
    process = procmap.loads(dumps(found.process))  # written and read back
    assert not [f for f in check(process) if f.severity is Severity.ERROR]
    activities = {a for v in pm4py_answers(path)["variants"] for a in v}
    work = {s.name for s in process.steps.values() if s.kind is StepKind.TASK}
    assert work == activities  # every activity once, as a task
    gateways = [s for s in process.steps.values() if s.kind in (StepKind.DECISION, StepKind.PARALLEL)]
    assert not {s.name for s in gateways} & activities  # no logged activity is a decision
    ends = [sid for sid, s in process.steps.items() if s.kind is StepKind.END]
    assert len(ends) == 1  # one end for the one outcome
    graph = process.graph
    assert graph.reaching(ends) == set(process.steps)  # sound: an end from every step
    for sid, step in process.steps.items():  # a branch is named after the step it leads to
        for label, branch in step.branches.items():
            target = process.steps[branch.to]
            assert label.startswith(target.name or "") or target.kind is not StepKind.TASK, (sid, label)


def test_interleaving_activities_are_parallel_branches_and_rework_a_loop(engine) -> None:
    # the textbook running example: 'check ticket' runs beside the examination, both
    # orders in the log; 'reinitiate request' sends the case back to them
    path = corpus_log("running-example.xes")
    process = discover(read_log(path, engine)).process
    by_name = {s.name: sid for sid, s in process.steps.items()}
    graph = process.graph
    fork = next(sid for sid, s in process.steps.items()
                if s.kind is StepKind.PARALLEL and len(graph.successors(sid)) > 1)
    after_fork = graph.reachable_from(graph.successors(fork))
    assert by_name["check ticket"] in graph.successors(fork)
    examine = {by_name["examine casually"], by_name["examine thoroughly"]}
    choice = next(sid for sid in graph.successors(fork) if process.steps[sid].kind is StepKind.DECISION)
    assert set(graph.successors(choice)) == examine and examine <= after_fork
    again = next(sid for sid, s in process.steps.items() if s.kind is StepKind.DECISION
                 and by_name["reinitiate request"] in graph.successors(sid))
    assert graph.predecessors(again) == [by_name["decide"]]
    # the share of 'again' is what a consultant counts: 3 reinitiations after 9 decisions
    variants = pm4py_answers(path)["variants"]
    counts = Counter()
    for v, n in variants.items():
        for a in v:
            counts[a] += n
    branch = next(b for b in process.steps[again].branches.values() if b.to == by_name["reinitiate request"])
    assert branch.probability == pytest.approx(counts["reinitiate request"] / counts["decide"], abs=0.001)
    assert sum(b.probability for b in process.steps[again].branches.values()) == pytest.approx(1.0)


def test_blocks_of_a_small_log() -> None:
    log = Counter({("a", "b", "c", "e"): 5, ("a", "c", "b", "e"): 4, ("a", "d", "e"): 3,
                   ("a", "d", "f", "d", "e"): 2})
    assert str(discover_blocks(log, 0.0)) == (
        "sequence('a', choice(parallel('b', 'c'), loop('d', 'f')), 'e')")
    # a rare path below the threshold is left out; without a threshold it is kept
    noisy = Counter({("a", "b", "c"): 50, ("a", "c", "b"): 50, ("a", "b"): 1})
    assert str(discover_blocks(noisy, 0.2)) == "sequence('a', parallel('b', 'c'))"
    assert "tau" in str(discover_blocks(noisy, 0.0))


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
    assert {"Group 1", "Group 4"} <= lanes
    step = next(s for s in process.steps.values() if s.name == "Confirmation of receipt")
    assert step.with_ == ("customer",)
    card = procmap.analyze(process)
    assert card.moments_of_truth


def test_the_customer_lane_named_gives_moments_of_truth(engine) -> None:
    # receipt.csv: the applicant's confirmation is logged in the lane 'EMPTY'
    log = read_log(corpus_log("receipt.csv"), engine)
    plain = discover(log).process
    assert "EMPTY" not in {a.name for a in plain.actors.values()}  # a placeholder is no lane
    assert not procmap.analyze(plain).moments_of_truth
    process = discover(log, customer_lanes=["EMPTY"]).process
    customer = process.actors["customer"]
    assert customer.kind.value == "customer" and customer.name == "Customer"
    confirmation = next(sid for sid, s in process.steps.items() if s.name == "Confirmation of receipt")
    assert process.steps[confirmation].actor == "customer"
    # gateways are the organisation's: none in the customer's lane
    assert all(s.kind in (StepKind.TASK, StepKind.START) for s in process.steps.values()
               if s.actor == "customer")
    card = procmap.analyze(process)
    assert {m.step for m in card.moments_of_truth} >= {confirmation}
    with pytest.raises(procmap.MapError, match="--customer: no lane 'Applicant' in the log"):
        discover(log, customer_lanes=["Applicant"])


def test_a_log_without_lanes_has_one_plain_lane(engine) -> None:
    process = discover(read_log(corpus_log("interval_event_log.xes"), engine)).process
    assert [a.name for a in process.actors.values()] == ["Process team"]


def _variants(name: str, engine) -> Counter:
    from procmap.mining import stats

    log = read_log(corpus_log(name), engine)
    stats.prepare(log)
    return Counter({v.activities: v.cases for v in stats.variants(log)})


def test_thresholds_tried_one_after_another_find_what_each_finds_alone(engine) -> None:
    # discovery tries 0.2, 0.1, 0.3 and 0 on the same log, sharing what they find alike
    from procmap.mining.blocks import Shared
    from procmap.mining.discover import NOISES

    log = _variants("receipt.csv", engine)
    shared = Shared()
    together = [str(discover_blocks(log, level, shared)) for level in NOISES]
    alone = [str(discover_blocks(log, level)) for level in NOISES]
    assert together == alone
    assert shared.blocks  # something was found alike and kept
    assert len(set(alone)) > 1  # the thresholds do give different trees here


def test_directly_follows_pairs_counted_with_arrays_as_trace_by_trace(engine, monkeypatch) -> None:
    from procmap.mining import blocks

    log = _variants("receipt.csv", engine)
    monkeypatch.setattr(blocks, "ARRAYS_FROM", 10**12)
    by_trace = blocks.Graph.of(log)
    monkeypatch.setattr(blocks, "ARRAYS_FROM", 0)
    by_arrays = blocks.Graph.of(log)
    assert list(by_arrays.edges.items()) == list(by_trace.edges.items())  # same counts, same order
    # counted by hand: the pairs of each variant, times its cases
    pairs = Counter()
    for trace, n in log.items():
        for a, b in zip(trace, trace[1:], strict=False):
            pairs[a, b] += n
    assert by_arrays.edges == pairs
    assert by_arrays.starts == by_trace.starts and by_arrays.ends == by_trace.ends


def test_sequence_pieces_of_cases_in_order_and_out_of_order() -> None:
    from procmap.mining.blocks import _sequence_pieces

    where = {"a": 0, "b": 1, "c": 1, "d": 2}
    # in order: each group's run is its piece, an absent group an empty one
    assert _sequence_pieces(("a", "b", "c", "d"), where, 3) == [("a",), ("b", "c"), ("d",)]
    assert _sequence_pieces(("a", "d"), where, 3) == [("a",), (), ("d",)]
    # out of order: a piece ends where its group holds the most against later groups;
    # the 'a' after 'b' is out of its place and left out
    assert _sequence_pieces(("a", "b", "a", "c", "d"), where, 3) == [("a",), ("b", "c"), ("d",)]
    # a case that begins with a later group: the earlier group's piece takes what it can
    assert _sequence_pieces(("b", "a", "a", "d"), where, 3) == [("a", "a"), (), ("d",)]
