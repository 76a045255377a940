"""Failure risk per outcome (seed 001): the chance a customer gets through unharmed.

Every point can go wrong: a step with ``fails``, else a default per point type
from the configuration (Moment of Truth, Business Rule, other step), and every
hand-off (Break Point). Along a path the chance that nothing goes wrong is the
product of (1 − p). For each outcome procmap reports the best and the worst
path from a start to a step that delivers it, and the expected chance, weighing
paths by branch probabilities (branches without one share the rest evenly).

Loops are cut where they close (depth-first from the starts) and so counted
once; repeated contact is the business of rule OI005. A step with several next
steps that is not a decision runs them all (a parallel split); how often a step
is reached is capped at once per case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procmap.analysis.config import RiskDefaults
from procmap.analysis.points import break_points, business_rules, moments_of_truth
from procmap.model.process import Process, StepKind


@dataclass(frozen=True)
class OutcomeRisk:
    """The chance of reaching one outcome with nothing going wrong."""

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
        if sid not in mot and sid not in rules and step.kind not in (StepKind.START, StepKind.END):
            survive *= 1 - defaults.step
        risks[sid] = 1 - survive
    return risks


def _split(process: Process, sid: str, successors: list[str]) -> tuple[dict[str, float], bool]:
    """The share of a step's cases that goes to each next step, and whether guessed."""
    step = process.steps[sid]
    if step.kind is not StepKind.DECISION or not step.branches:
        return {s: 1.0 for s in successors}, False
    shares: dict[str, float] = {}
    unknown = [b for b in step.branches.values() if b.probability is None]
    given = sum(b.probability or 0.0 for b in step.branches.values())
    rest = max(0.0, 1.0 - given) / len(unknown) if unknown else 0.0
    for branch in step.branches.values():
        share = branch.probability if branch.probability is not None else rest
        shares[branch.to] = shares.get(branch.to, 0.0) + share
    for s in successors:  # plain `then` flows out of a decision: an even share each
        shares.setdefault(s, rest if unknown else 0.0)
    return shares, bool(unknown)


def reach_frequency(process: Process) -> dict[str, float]:
    """How often a case reaches each step (0..1), by branch probabilities.

    Cases enter evenly through the starts; a decision shares its cases among its
    branches, any other step passes them all on (a parallel split); loops are cut
    where they close; a step is reached at most once per case.
    """
    return failure_risk(process, RiskDefaults()).frequency


def failure_risk(process: Process, defaults: RiskDefaults) -> RiskReport:
    """Best, worst and expected chance of reaching each outcome without a failure."""
    return process.graph.remember(("risk", defaults), lambda: _failure_risk(process, defaults))


def _failure_risk(process: Process, defaults: RiskDefaults) -> RiskReport:
    graph = process.graph
    order, back = graph.acyclic_order()
    risks = step_risks(process, defaults)
    handoffs = {(bp.flow.source, bp.flow.target) for bp in break_points(process)}
    edge_ok = 1 - defaults.break_point

    starts = [s for s in graph.starts()]
    best: dict[str, float] = {}
    worst: dict[str, float] = {}
    best_from: dict[str, str | None] = {}
    worst_from: dict[str, str | None] = {}
    mass: dict[str, float] = {}
    weight: dict[str, float] = {}
    guessed: set[str] = set()
    for s in starts:
        best[s] = worst[s] = 1 - risks[s]
        best_from[s] = worst_from[s] = None
        mass[s] = 1.0 / len(starts)
        weight[s] = mass[s] * (1 - risks[s])
    for sid in order:
        if sid not in best:
            continue  # not reachable from a start
        if mass.get(sid, 0.0) > 1.0:  # reached at most once per case (parallel joins)
            weight[sid] /= mass[sid]
            mass[sid] = 1.0
        successors = [t for t in graph.successors(sid) if (sid, t) not in back]
        shares, guess = _split(process, sid, successors)
        if guess:
            guessed.add(sid)
        for target in successors:
            ok = edge_ok if (sid, target) in handoffs else 1.0
            gate = ok * (1 - risks[target])
            b, w = best[sid] * gate, worst[sid] * gate
            if b > best.get(target, -1.0):
                best[target], best_from[target] = b, sid
            if w < worst.get(target, 2.0):
                worst[target], worst_from[target] = w, sid
            share = shares.get(target, 0.0)
            mass[target] = mass.get(target, 0.0) + mass[sid] * share
            weight[target] = weight.get(target, 0.0) + weight[sid] * share * gate

    outcomes = {}
    for oid in process.outcomes:
        targets = [s for s, step in process.steps.items() if oid in step.delivers and s in best]
        if not targets:
            outcomes[oid] = OutcomeRisk(oid, reachable=False)
            continue
        top = max(targets, key=best.__getitem__)
        low = min(targets, key=worst.__getitem__)
        total_mass = sum(mass.get(t, 0.0) for t in targets)
        expected = (
            min(1.0, sum(weight.get(t, 0.0) for t in targets) / total_mass) if total_mass else None
        )
        ancestors = graph.reaching(targets)
        outcomes[oid] = OutcomeRisk(
            outcome=oid,
            reachable=True,
            best=best[top],
            worst=worst[low],
            expected=expected,
            best_path=_path(best_from, top),
            worst_path=_path(worst_from, low),
            even_split_assumed=bool(guessed & ancestors),
        )
    return RiskReport(
        outcomes=outcomes,
        step_risk=risks,
        handoff_risk=defaults.break_point,
        frequency={s: mass.get(s, 0.0) for s in process.steps},
    )


def _path(came_from: dict[str, str | None], end: str) -> tuple[str, ...]:
    path = [end]
    while (prev := came_from.get(path[-1])) is not None:
        path.append(prev)
    return tuple(reversed(path))
