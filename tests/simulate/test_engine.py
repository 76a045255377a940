"""The engine against queueing theory and against the figures worked out by hand."""

from __future__ import annotations

import json
import math

import pytest

import procmap
from procmap.simulation import compare, simulate


def one_desk(capacity: int, gap: str, mean: str) -> procmap.Process:
    return procmap.loads(f"""\
procmap: 1
process: desk
arrivals: every {gap}
actors:
  clerk: {{kind: team, capacity: {capacity}}}
steps:
  serve: {{actor: clerk, duration: {{mean: {mean}, distribution: exponential}}}}
""")


def erlang_c_wait(c: int, arrival_gap: float, service_mean: float) -> float:
    """Mean wait in queue of M/M/c (Erlang C), in the units given."""
    a = service_mean / arrival_gap  # offered load
    rho = a / c
    top = a**c / math.factorial(c) / (1 - rho)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait * service_mean / (c - a)


def test_mm1_at_load_08_waits_32_minutes() -> None:
    # arrivals every 10m, service 8m exponential: Wq = rho/(mu - lambda) = 32m
    r = simulate(one_desk(1, "10m", "8m"), cases=20_000, replications=8, warm_up=2_000, seed=7)
    wait = r.waiting["mean"]
    assert wait.contains(32 * 60), (wait.mean / 60, wait.half / 60)
    assert abs(wait.mean / 60 - 32) < 3
    (clerk,) = r.lanes
    assert clerk.utilisation.contains(0.8)
    assert clerk.queue.contains(0.8**2 / 0.2)  # Lq = rho^2 / (1 - rho) = 3.2


def test_mmc_against_erlang_c() -> None:
    expected = erlang_c_wait(3, 4.0, 10.0)  # minutes: 3 clerks, a case every 4m, 10m each
    r = simulate(one_desk(3, "4m", "10m"), cases=20_000, replications=8, warm_up=2_000, seed=3)
    wait = r.waiting["mean"]
    assert wait.contains(expected * 60), (wait.mean / 60, wait.half / 60, expected)
    assert r.lanes[0].utilisation.contains(10 / 12)


def test_littles_law_holds_in_each_replication() -> None:
    r = simulate(one_desk(2, "5m", "8m"), cases=20_000, replications=4, seed=11)
    for rep in r.replication_data:
        cases_in_process = rep.wip_area / rep.window
        arrival_rate = rep.arrivals_in_window / rep.window
        assert cases_in_process == pytest.approx(arrival_rate * rep.cycle.mean(), rel=0.01)


REWORK = """\
procmap: 1
process: rework
arrivals: every 30d
actors:
  customer: {kind: customer}
  desk: {kind: team, cost: 60}
outcomes:
  done: {name: Customer has the answer}
steps:
  ask: {actor: customer, duration: 5m, then: check}
  check: {actor: desk, duration: 10m..30m, wait: 1h, then: ok}
  ok:
    kind: decision
    actor: desk
    branches: {yes: {to: answer, probability: 0.7}, no: {to: fix, probability: 0.3}}
  fix: {actor: desk, duration: {mean: 40m, distribution: exponential}, then: check}
  answer: {actor: customer, duration: 5m, wait: 2h, delivers: [done]}
"""


def test_rework_loop_matches_the_hand_calculation() -> None:
    # nobody queues (a case a month): check is done 1/0.7 times, fix 0.3/0.7 times
    visits_check, visits_fix = 1 / 0.7, 0.3 / 0.7
    cycle = 5 + visits_check * (60 + 20) + visits_fix * 40 + (120 + 5)  # minutes
    work = 5 + visits_check * 20 + visits_fix * 40 + 5
    r = simulate(procmap.loads(REWORK), cases=4_000, replications=10, seed=5)
    assert r.cycle["mean"].contains(cycle * 60), (r.cycle["mean"], cycle)
    assert r.work["mean"].contains(work * 60)
    # cost: the desk's work at 60 an hour
    desk_work = visits_check * 20 + visits_fix * 40
    assert r.cost.contains(desk_work), (r.cost, desk_work)
    assert r.contacts.mean == 2.0  # ask and answer, once each
    ((name, share),) = r.outcomes.values()
    assert share.mean == 1.0
    # the customer waits from asking to the answer: everything between
    answer = next(m for m in r.moments if m.step == "answer")
    assert answer.wait.contains((cycle - 10) * 60)


def test_parallel_branches_join_and_take_the_longest() -> None:
    p = procmap.loads("""\
procmap: 1
process: fork
arrivals: every 30d fixed
actors: {a: {kind: team}, b: {kind: team}}
steps:
  split: {actor: a, kind: parallel, then: [left, right]}
  left: {actor: a, duration: 1h}
  right: {actor: b, duration: 3h}
  join: {actor: a, kind: parallel, needs: [left, right], then: close}
  close: {actor: a, duration: 10m}
""")
    r = simulate(p, cases=200, replications=3)
    assert r.cycle["mean"].mean == pytest.approx(3 * 3600 + 600)
    assert r.work["mean"].mean == pytest.approx(4 * 3600 + 600)
    assert r.waiting["mean"].mean == pytest.approx(0)
    assert r.unfinished == 0


def test_same_seed_same_run_byte_for_byte() -> None:
    p = procmap.load("examples/customer-onboarding.yaml")
    a = json.dumps(simulate(p, cases=300, replications=3, seed=42).to_dict())
    b = json.dumps(simulate(p, cases=300, replications=3, seed=42).to_dict())
    c = json.dumps(simulate(p, cases=300, replications=3, seed=43).to_dict())
    assert a == b and a != c


def test_working_hours_hold_the_work() -> None:
    p = procmap.loads("""\
procmap: 1
process: office
arrivals: every 3h
actors:
  clerk: {kind: team, capacity: 1, calendar: Mon-Fri 09:00-17:00}
steps:
  serve: {actor: clerk, duration: 30m}
""")
    r = simulate(p, cases=2_000, replications=3)
    # 56 cases a week arrive round the clock, half an hour each: 28 of the 40 open
    # hours, so the clerk is busy 70% of the open time; most cases wait for the office to open
    assert r.lanes[0].utilisation.mean == pytest.approx(0.70, abs=0.03)
    assert r.waiting["mean"].mean > 8 * 3600


def test_compare_uses_the_same_arrivals_and_reports_changes() -> None:
    before = one_desk(1, "10m", "8m")
    after = one_desk(2, "10m", "8m")
    c = compare(before, after, cases=5_000, replications=5, seed=1)
    wait = next(d for d in c.case if d.label == "waiting time (mean)")
    assert wait.status == "improved" and wait.change.high < 0
    # common random numbers: the paired interval is narrower than the as-is run's own
    assert wait.change.half < wait.before.half * 1.5
    assert c.before.replication_data[0].cycle.size == c.after.replication_data[0].cycle.size


def test_defaults_are_stated() -> None:
    r = simulate("examples/lead-to-cash.yaml", cases=200, replications=2)
    text = " ".join(r.assumptions)
    assert "arrivals not given" in text and "capacity not given" in text


@pytest.mark.parametrize("path", ["examples/simulate/claims-as-is.yaml",
                                  "examples/customer-onboarding.yaml"])
def test_a_simpy_model_of_the_same_map_gives_the_same_cycle_times(path) -> None:
    # benchmarks/simpy_model.py runs the compiled map the SimPy way, with the same streams
    import sys

    from procmap.simulation.engine import run_replication
    from procmap.simulation.model import compile_map
    from tests.conftest import ROOT

    pytest.importorskip("simpy")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from simpy_model import run_simpy
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    model = compile_map(procmap.load(path))
    ours = run_replication(model, 2_000, 0, 1, 0)
    theirs = run_simpy(model, 2_000)
    assert theirs["activities"] == ours.activities
    assert theirs["cycle_mean"] == pytest.approx(ours.cycle.mean(), rel=1e-9)
    for k, lane in enumerate(model.lanes):
        if lane.capacity:
            assert theirs["queue_wait"][k] == pytest.approx(ours.lane_wait[k], rel=1e-6, abs=1e-6)
