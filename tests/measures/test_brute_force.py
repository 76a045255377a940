"""Risk and timing held against a brute-force enumeration of every way a case can go.

The maps are small, random and acyclic, built of blocks: a task, two blocks in a
row, a decision whose branches (with or without probabilities) meet again at the
next step, and a ``parallel`` fork whose branches meet at a ``parallel`` join.
The enumeration knows nothing of procmap's way of combining: it lists every run
of a case (one branch taken at each decision it reaches, every branch of a fork),
with the run's probability (the product of the branch probabilities taken; a
branch without one shares what the given ones leave evenly, DESIGN.md §2), and
works each figure out on the steps of that run:

* a run's **time** is its longest way from the start to the end, each step
  counting its ``duration`` plus its ``wait`` (the case waits for every parallel
  branch); its **work** the same from the durations alone;
* a run reaches an outcome **unharmed** when nothing goes wrong on the steps of the
  run that lead to the step delivering it (every parallel branch that leads there
  must go right) nor at a hand-off between them: the product of (1 − p).

Shortest and longest time, best and worst chance, and the expected chance and
how often each step is reached are then exact. The expected time is flow analysis
(DESIGN.md and measures/timing.py: at a parallel join, the longest of the
branches' expected times): that is the exact mean when no decision lies inside a
parallel branch, and never more than it otherwise (the mean of a maximum is at
least the maximum of the means).
"""

from __future__ import annotations

from datetime import timedelta
from itertools import product
from math import prod

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import procmap
from procmap.config import RiskDefaults
from procmap.measures.points import break_points
from procmap.measures.risk import failure_risk, step_risks
from procmap.measures.timing import cycle_time
from procmap.model.durations import format_duration
from procmap.model.process import Process, StepKind, total_seconds

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ACTORS = ("customer", "sales", "crm")
DEFAULTS = RiskDefaults(moment_of_truth=0.05, business_rule=0.03, step=0.02, break_point=0.04)


class Builder:
    """Steps of a map drawn block by block; each block answers its first step and the
    steps its way out leaves from."""

    def __init__(self, draw) -> None:
        self.draw = draw
        self.steps: dict[str, dict] = {}
        self.inside_parallel = 0
        self.nested_decision = False  # a decision inside a parallel branch

    def step(self, kind: str = "task") -> str:
        sid = f"s{len(self.steps)}"
        draw = self.draw
        data: dict = {"actor": draw(st.sampled_from(ACTORS)), "kind": kind}
        if kind == "task":
            if draw(st.booleans()):
                data["duration"] = format_duration(timedelta(minutes=draw(st.integers(1, 120))))
            if draw(st.integers(0, 2)) == 0:
                data["fails"] = draw(st.sampled_from([0.0, 0.1, 0.25, 0.5]))
            if draw(st.integers(0, 3)) == 0:
                data["rule"] = "A rule"
        if draw(st.integers(0, 2)) == 0:
            data["wait"] = format_duration(timedelta(minutes=draw(st.integers(1, 600))))
        self.steps[sid] = data
        return sid

    def link(self, sources: list[str], target: str) -> None:
        for s in sources:
            data = self.steps[s]
            if data["kind"] == "decision":
                continue  # its branches are written when it is made
            data.setdefault("then", []).append(target)

    def block(self, depth: int) -> tuple[str, list[str]]:
        """A block: (its first step, the steps whose way out goes to what follows)."""
        choice = self.draw(st.integers(0, 3 if depth > 0 else 0))
        if choice == 0:
            s = self.step()
            return s, [s]
        if choice == 1:  # two blocks in a row
            first, out = self.block(depth - 1)
            nxt, out2 = self.block(depth - 1)
            self.link(out, nxt)
            return first, out2
        if choice == 2:  # a decision; its branches meet again at whatever follows
            return self.decision(depth)
        return self.parallel(depth)

    def decision(self, depth: int) -> tuple[str, list[str]]:
        if self.inside_parallel:
            self.nested_decision = True
        d = self.step("decision")
        n = self.draw(st.integers(2, 3))
        shares = self.draw(st.sampled_from(["all", "none", "some"]))
        weights = self.draw(st.lists(st.integers(1, 9), min_size=n, max_size=n))
        branches: dict = {}
        out: list[str] = []
        for i in range(n):
            first, ends = self.block(depth - 1)
            out += ends
            if shares == "all" or (shares == "some" and i == 0):
                share = weights[i] / sum(weights) if shares == "all" else 0.3
                branches[f"b{i}"] = {"to": first, "probability": share}
            else:
                branches[f"b{i}"] = first
        self.steps[d]["branches"] = branches
        return d, out

    def parallel(self, depth: int) -> tuple[str, list[str]]:
        fork = self.step("parallel")
        self.inside_parallel += 1
        n = self.draw(st.integers(2, 3))
        ways = [self.block(depth - 1) for _ in range(n)]
        self.inside_parallel -= 1
        join = self.step("parallel")
        self.steps[fork]["then"] = [first for first, _ in ways]
        for _, ends in ways:
            self.link(ends, join)
        return fork, [join]


@st.composite
def block_maps(draw) -> tuple[Process, bool]:
    """A random acyclic block-structured map, and whether a decision lies inside a
    parallel branch."""
    b = Builder(draw)
    start = b.step("start")
    first, out = b.block(3)
    b.link([start], first)
    end = b.step("end")
    b.link(out, end)
    # one to three outcomes, each delivered by one work step
    work = [s for s, d in b.steps.items() if d["kind"] == "task"]
    outcomes = {}
    for i, sid in enumerate(draw(st.lists(st.sampled_from(work), min_size=1, max_size=3,
                                          unique=True))):
        outcomes[f"o{i}"] = {"name": f"Outcome {i}"}
        b.steps[sid]["delivers"] = [f"o{i}"]
    data = {"procmap": 1, "process": "p",
            "actors": {"customer": {"kind": "customer"}, "sales": {"kind": "team"},
                       "crm": {"kind": "system"}},
            "outcomes": outcomes, "steps": b.steps}
    return Process.model_validate(data), b.nested_decision


# --- the enumeration -------------------------------------------------------------------------


def branch_shares(process: Process, sid: str) -> dict[str, float]:
    """DESIGN.md §2: a decision's branch probabilities, the others sharing the rest evenly."""
    branches = process.steps[sid].branches.values()
    given = sum(b.probability for b in branches if b.probability is not None)
    unknown = [b for b in branches if b.probability is None]
    rest = (1 - given) / len(unknown) if unknown else 0.0
    return {b.to: b.probability if b.probability is not None else rest for b in branches}


def runs(process: Process) -> list[tuple[float, set[str], set[tuple[str, str]]]]:
    """Every run of a case: (its probability, its steps, its flows)."""
    decisions = [s for s, step in process.steps.items() if step.kind is StepKind.DECISION]
    start = next(s for s, step in process.steps.items() if step.kind is StepKind.START)
    found: dict[tuple, tuple[float, set[str], set[tuple[str, str]]]] = {}
    for choice in product(*(list(branch_shares(process, d)) for d in decisions)):
        chosen = dict(zip(decisions, choice, strict=True))
        steps, flows, todo = {start}, set(), [start]
        while todo:
            sid = todo.pop()
            step = process.steps[sid]
            nxt = [chosen[sid]] if sid in chosen else [*step.then]
            for t in nxt:
                flows.add((sid, t))
                if t not in steps:
                    steps.add(t)
                    todo.append(t)
        taken = tuple((d, chosen[d]) for d in decisions if d in steps)
        chance = prod(branch_shares(process, d)[t] for d, t in taken)
        found[taken] = (chance, steps, flows)
    return list(found.values())


def longest(steps: set[str], flows: set[tuple[str, str]], weight) -> float:
    """The heaviest way through a run (it is acyclic)."""
    best: dict[str, float] = {}

    def upto(sid: str) -> float:
        if sid not in best:
            before = [s for s, t in flows if t == sid]
            best[sid] = weight(sid) + max((upto(s) for s in before), default=0.0)
        return best[sid]

    return max(upto(s) for s in steps)


def ancestors(target: str, flows: set[tuple[str, str]]) -> set[str]:
    seen, todo = {target}, [target]
    while todo:
        sid = todo.pop()
        for s, t in flows:
            if t == sid and s not in seen:
                seen.add(s)
                todo.append(s)
    return seen


@SETTINGS
@given(block_maps())
def test_timing_matches_every_run_of_a_case(drawn: tuple[Process, bool]) -> None:
    process, nested = drawn
    t = cycle_time(process)

    def time(sid: str) -> float:
        s = process.steps[sid]
        return total_seconds(s.duration) + total_seconds(s.wait)

    def work(sid: str) -> float:
        return total_seconds(process.steps[sid].duration)

    cases = runs(process)
    assert sum(p for p, _, _ in cases) == pytest.approx(1.0)
    times = [(p, longest(steps, flows, time), longest(steps, flows, work))
             for p, steps, flows in cases]
    assert t.shortest.total_seconds() == pytest.approx(min(x for _, x, _ in times))
    assert t.longest.total_seconds() == pytest.approx(max(x for _, x, _ in times))
    mean_time = sum(p * x for p, x, _ in times)
    mean_work = sum(p * w for p, _, w in times)
    if nested:
        assert t.expected.total_seconds() <= mean_time + 1e-6
        assert t.work.total_seconds() <= mean_work + 1e-6
    else:
        assert t.expected.total_seconds() == pytest.approx(mean_time)
        assert t.work.total_seconds() == pytest.approx(mean_work)
    assert (t.work + t.waiting).total_seconds() == pytest.approx(t.expected.total_seconds())
    # the staff time of a case: every step's work, by how often a case does it
    effort = sum(p * sum(work(s) for s in steps) for p, steps, _ in cases)
    assert t.effort.total_seconds() == pytest.approx(effort)


@SETTINGS
@given(block_maps())
def test_risk_matches_every_run_of_a_case(drawn: tuple[Process, bool]) -> None:
    process, _ = drawn
    report = failure_risk(process, DEFAULTS)
    risk = step_risks(process, DEFAULTS)  # each point's own chance (tested in test_risk.py)
    handoffs = {bp.edge or (bp.flow.source, bp.flow.target) for bp in break_points(process)}
    cases = runs(process)
    for sid in process.steps:
        often = sum(p for p, steps, _ in cases if sid in steps)
        assert report.frequency[sid] == pytest.approx(often), sid
    for oid, found in report.outcomes.items():
        (deliverer,) = [s for s, step in process.steps.items() if oid in step.delivers]
        chances = []
        for p, steps, flows in cases:
            if deliverer not in steps:
                continue
            way = ancestors(deliverer, flows)
            unharmed = prod(1 - risk[s] for s in way) * prod(
                1 - DEFAULTS.break_point for f in flows if f[1] in way and f in handoffs)
            chances.append((p, unharmed))
        assert found.reachable
        assert found.best == pytest.approx(max(c for _, c in chances)), oid
        assert found.worst == pytest.approx(min(c for _, c in chances)), oid
        reached = sum(p for p, _ in chances)
        assert found.expected == pytest.approx(sum(p * c for p, c in chances) / reached), oid


def test_flow_analysis_is_below_the_mean_when_a_branch_of_a_fork_decides() -> None:
    # branch a: a decision, 1h or 3h (2h on average); branch b: 2h30m. The case waits
    # for both: 0.5 × max(1h, 2h30m) + 0.5 × max(3h, 2h30m) = 2h45m on average, while
    # flow analysis takes the longest of the averages, max(2h, 2h30m) = 2h30m
    process = procmap.loads("""\
procmap: 1
process: p
actors: {s: {kind: team}}
steps:
  go: {actor: s, kind: start, then: [fork]}
  fork: {actor: s, kind: parallel, then: [d, b]}
  d: {actor: s, kind: decision, branches: {quick: {to: a1, probability: 0.5}, slow: {to: a3, probability: 0.5}}}
  a1: {actor: s, duration: 1h, then: [join]}
  a3: {actor: s, duration: 3h, then: [join]}
  b: {actor: s, duration: 2h30m, then: [join]}
  join: {actor: s, kind: parallel, then: [done]}
  done: {actor: s, kind: end}
""")
    t = cycle_time(process)
    assert t.expected == timedelta(hours=2, minutes=30)
    mean = sum(p * longest(steps, flows, lambda s: total_seconds(process.steps[s].duration))
               for p, steps, flows in runs(process))
    assert mean == timedelta(hours=2, minutes=45).total_seconds()
    assert (t.shortest, t.longest) == (timedelta(hours=2, minutes=30), timedelta(hours=3))
