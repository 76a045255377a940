"""Failure risk per outcome (seed 001): the chance a customer gets through unharmed.

Every point can go wrong: a step with ``fails``, else a default per point type
from the configuration (Moment of Truth, Business Rule, other step), and every
hand-off (Break Point). Along the way the chance that nothing goes wrong is the
product of (1 − p). For each outcome procmap reports the best and the worst way
from a start to the first step that delivers it, and the expected chance,
weighing the ways by branch probabilities (branches without one share the rest
evenly).

A decision sends each case down one of its branches; a step with several next
steps that is not a decision runs them all (a ``parallel`` step, or a task with
several ``then``: a parallel split), and where the parallel branches meet again
every one of them has to go right, so their chances multiply. Ways that part
inside a parallel branch and meet again are combined first (see
:meth:`ProcessGraph.combine`). Loops are cut where
they close (depth-first from the starts) and so counted once; repeated contact
is the business of rule OI005. A step is reached at most once per case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import prod

from procmap.config import RiskDefaults
from procmap.measures.points import break_points, business_rules, moments_of_truth
from procmap.model.process import EVENTS, Process, StepKind

NO_WORK = EVENTS | {StepKind.PARALLEL}
"""Kinds that do no work and so carry no default step risk (a decision's is a rule's)."""


@dataclass(frozen=True)
class OutcomeRisk:
    """The chance of reaching one outcome with nothing going wrong.

    ``best`` and ``worst`` are the chances along the safest and the riskiest way
    (one branch at each decision, every branch of a parallel split that leads
    there), whose steps ``best_path`` and ``worst_path`` list in flow order;
    ``expected`` weighs the ways by their branch probabilities, and
    ``even_split_assumed`` says that a decision on the way gave none.
    """

    outcome: str
    reachable: bool
    best: float | None = None
    worst: float | None = None
    expected: float | None = None
    best_path: tuple[str, ...] = ()
    worst_path: tuple[str, ...] = ()
    even_split_assumed: bool = False


@dataclass(frozen=True)
class RiskReport:
    """Failure risk of a whole map."""

    outcomes: dict[str, OutcomeRisk]
    step_risk: dict[str, float] = field(default_factory=dict)
    """Chance each step goes wrong (its own ``fails`` or the defaults)."""
    handoff_risk: float = 0.0
    frequency: dict[str, float] = field(default_factory=dict)
    """How often each step is reached, per case (0..1)."""


def step_risks(process: Process, defaults: RiskDefaults) -> dict[str, float]:
    """The chance each step goes wrong: ``fails``, else the defaults of its point types."""
    mot = {m.step for m in moments_of_truth(process)}
    rules = {r.step for r in business_rules(process)}
    risks = {}
    for sid, step in process.steps.items():
        if step.fails is not None:
            risks[sid] = step.fails
            continue
        survive = 1.0
        if sid in mot:
            survive *= 1 - defaults.moment_of_truth
        if sid in rules:
            survive *= 1 - defaults.business_rule
        if sid not in mot and sid not in rules and step.kind not in NO_WORK:
            survive *= 1 - defaults.step
        risks[sid] = 1 - survive
    return risks


def split_shares(process: Process, sid: str) -> dict[str, float]:
    """The share of a step's cases that goes to each next step (loops cut).

    A decision shares its cases among its branches (see :func:`_split`); any other
    step passes every case on to each next step.
    """
    _, back = process.graph.acyclic_order()
    successors = [t for t in process.graph.successors(sid) if (sid, t) not in back]
    return _split(process, sid, successors)[0]


def _split(process: Process, sid: str, successors: list[str]) -> tuple[dict[str, float], bool]:
    """The share of a step's cases that goes to each next step, and whether guessed.

    ``successors`` are the next steps once loops are cut. A decision shares its
    cases by branch probability (branches without one share the rest evenly, and
    plain ``then`` flows count as such branches). A case goes round a loop once:
    a branch that only leads back round a loop keeps its share, and the branches
    that go on share all the cases, their shares scaled to add up to one.
    """
    step = process.steps[sid]
    if step.kind is not StepKind.DECISION or not step.branches:
        return {s: 1.0 for s in successors}, False
    shares: dict[str, float] = {}
    unknown = [b for b in step.branches.values() if b.probability is None]
    targets = {b.to for b in step.branches.values()}
    others = [s for s in successors if s not in targets]
    given = sum(b.probability or 0.0 for b in step.branches.values())
    rest = max(0.0, 1.0 - given) / (len(unknown) + len(others)) if unknown or others else 0.0
    for branch in step.branches.values():
        share = branch.probability if branch.probability is not None else rest
        shares[branch.to] = shares.get(branch.to, 0.0) + share
    for s in others:
        shares[s] = rest
    finishing = process.graph.finishing()
    going_on = {s: shares[s] for s in successors if s in finishing}
    total = sum(going_on.values())
    result = {s: shares[s] for s in successors}
    if total > 0:
        result.update({s: share / total for s, share in going_on.items()})
    return result, bool(unknown or others)


def reach_frequency(process: Process) -> dict[str, float]:
    """How often a case reaches each step (0..1), by branch probabilities.

    Cases enter evenly through the starts; a decision shares its cases among its
    branches, any other step passes them all on (a parallel split); loops are cut
    where they close; a step is reached at most once per case. It does not depend
    on the risk defaults.
    """
    return failure_risk(process, RiskDefaults()).frequency


def failure_risk(process: Process, defaults: RiskDefaults) -> RiskReport:
    """Best, worst and expected chance of reaching each outcome without a failure."""
    return process.graph.remember(("risk", defaults), lambda: _failure_risk(process, defaults))


@dataclass
class _Arrival:
    """What one flow brings into a step (before the step's own risk)."""

    source: str | None  # None: a case entering at a start
    cases: float  # share of all cases that come this way
    unharmed: float  # share of all cases that come this way with nothing gone wrong
    best: float
    worst: float


@dataclass
class _Reached:
    """How a case reaches a step: how often, and how safely."""

    cases: float
    unharmed: float
    best: float
    worst: float
    best_from: tuple[str, ...]
    worst_from: tuple[str, ...]


def _failure_risk(process: Process, defaults: RiskDefaults) -> RiskReport:
    graph = process.graph
    order, back = graph.acyclic_order()
    risks = step_risks(process, defaults)
    handoffs = {bp.edge or (bp.flow.source, bp.flow.target) for bp in break_points(process)}
    edge_ok = 1 - defaults.break_point

    starts = graph.starts()
    arrivals: dict[str, list[_Arrival]] = {
        s: [_Arrival(None, 1.0 / len(starts), 1.0 / len(starts), 1.0, 1.0)] for s in starts
    }
    reached: dict[str, _Reached] = {}
    guessed: set[str] = set()
    for sid in order:
        if sid not in arrivals:
            continue  # not reachable from a start
        here = _join(process, arrivals.pop(sid), reached)
        ok = 1 - risks[sid]
        here.unharmed *= ok
        here.best *= ok
        here.worst *= ok
        reached[sid] = here
        successors = [t for t in graph.successors(sid) if (sid, t) not in back]
        shares, guess = _split(process, sid, successors)
        if guess:
            guessed.add(sid)
        for target in successors:
            gate = edge_ok if (sid, target) in handoffs else 1.0
            share = shares.get(target, 0.0)
            arrivals.setdefault(target, []).append(
                _Arrival(
                    sid,
                    here.cases * share,
                    here.unharmed * share * gate,
                    here.best * gate,
                    here.worst * gate,
                )
            )

    position = {s: i for i, s in enumerate(order)}
    outcomes = {}
    for oid in process.outcomes:
        targets = _first_deliverers(process, oid, reached, order, back)
        if not targets:
            outcomes[oid] = OutcomeRisk(oid, reachable=False)
            continue
        top = max(targets, key=lambda t: reached[t].best)
        low = min(targets, key=lambda t: reached[t].worst)
        cases = sum(reached[t].cases for t in targets)
        unharmed = sum(reached[t].unharmed for t in targets)
        outcomes[oid] = OutcomeRisk(
            outcome=oid,
            reachable=True,
            best=reached[top].best,
            worst=reached[low].worst,
            expected=min(1.0, unharmed / cases) if cases else None,
            best_path=_way(reached, top, "best_from", position),
            worst_path=_way(reached, low, "worst_from", position),
            even_split_assumed=bool(guessed & graph.reaching(targets)),
        )
    return RiskReport(
        outcomes=outcomes,
        step_risk=risks,
        handoff_risk=defaults.break_point,
        frequency={s: reached[s].cases if s in reached else 0.0 for s in process.steps},
    )


def _join(process: Process, arrivals: list[_Arrival], reached: dict[str, _Reached]) -> _Reached:
    """Combine the flows into a step: alternatives add up, parallel branches multiply.

    Ways that part at a decision are alternatives; ways that part at any other
    step (a parallel split) must all go right. Nested parts are combined
    innermost first (:meth:`ProcessGraph.combine`).
    """

    def start(a: _Arrival) -> _Reached:
        return _Reached(a.cases, a.unharmed, a.best, a.worst,
                        best_from=(a.source,) if a.source else (),
                        worst_from=(a.source,) if a.source else ())

    def merge(ways: list[_Reached], at: str | None, parallel: bool) -> _Reached:
        if not parallel or at is None:
            return _alternatives(ways)
        return _parallel(ways, reached[at])

    return process.graph.combine([(a.source, start(a)) for a in arrivals], merge)


def _alternatives(ways: list[_Reached]) -> _Reached:
    """Ways of which a case takes one: their cases add up."""
    cases = sum(w.cases for w in ways)
    unharmed = sum(w.unharmed for w in ways)
    if cases > 1.0:  # at most once per case (ways that part and meet oddly)
        unharmed, cases = unharmed / cases, 1.0
    top = max(ways, key=lambda w: w.best)
    low = min(ways, key=lambda w: w.worst)
    return _Reached(cases, unharmed, top.best, low.worst, top.best_from, low.worst_from)


def _parallel(ways: list[_Reached], split: _Reached) -> _Reached:
    """Parallel branches from ``split`` meet: nothing has gone wrong only if nothing
    went wrong on any branch."""
    base = split.cases
    cases = base * (1 - prod(1 - min(1.0, w.cases / base) for w in ways)) if base else 0.0
    rate = split.unharmed / base if base else 0.0
    ratios = [(w.unharmed / w.cases) / rate if w.cases and rate else 0.0 for w in ways]
    best_from = tuple(dict.fromkeys(s for w in ways for s in w.best_from))
    worst_from = tuple(dict.fromkeys(s for w in ways for s in w.worst_from))
    return _Reached(
        cases,
        cases * rate * prod(ratios),
        _meet(split.best, [w.best for w in ways]),
        _meet(split.worst, [w.worst for w in ways]),
        best_from=best_from,
        worst_from=worst_from,
    )


def _meet(at_split: float, branches: list[float]) -> float:
    """The chance along parallel branches that share the way up to their split."""
    return at_split * prod(b / at_split for b in branches) if at_split else 0.0


def _first_deliverers(
    process: Process, oid: str, reached: dict[str, _Reached], order: list[str], back: set[tuple[str, str]]
) -> list[str]:
    """The reached steps that deliver ``oid`` with no other such step before them."""
    graph = process.graph
    first: list[str] = []
    later: set[str] = set()
    for sid in order:
        if sid not in reached:
            continue
        delivers = oid in process.steps[sid].delivers
        if delivers and sid not in later:
            first.append(sid)
        if delivers or sid in later:
            later.update(t for t in graph.successors(sid) if (sid, t) not in back)
    return first


def _way(reached: dict[str, _Reached], end: str, via: str, position: dict[str, int]) -> tuple[str, ...]:
    """The steps of the best or worst way to ``end``, in flow order."""
    seen = {end}
    stack = [end]
    while stack:
        for prev in getattr(reached[stack.pop()], via):
            if prev not in seen:
                seen.add(prev)
                stack.append(prev)
    return tuple(sorted(seen, key=position.__getitem__))
