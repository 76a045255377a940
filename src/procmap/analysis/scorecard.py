"""The outside-in scorecard a workshop puts on the wall (seed 001).

Counts and lists of Moments of Truth, Break Points and Business Rules; failure
risk per outcome; the hand-off matrix between actors; cycle time and
efficiency; the findings; and the top eliminate/improve candidates ranked by
expected impact, among them each piece of redundant work (the redundant-work
rule's findings: the first step to keep, the others to remove).

Expected impact of a point = chance it goes wrong × how often cases pass it ×
customer weight. The customer weight is 1.0 for a Moment of Truth (the customer
feels it), 0.7 for a point on the way to a customer outcome, 0.4 otherwise.
A step marked ``value: none``, or one that serves no outcome, counts as failing
every time (chance 1): whatever it costs is waste, so it is an eliminate candidate.

How often cases pass comes from the branch probabilities of the map, or, when
the map is weighed by an event log (:mod:`procmap.mining.weigh`), from the share
of the log's cases that really pass: a point never seen in the log weighs 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from procmap.config import Config
from procmap.findings import Action, Finding
from procmap.io.yaml_loader import paused_gc
from procmap.measures.points import (
    BreakPoint,
    BusinessRule,
    MomentOfTruth,
    break_points,
    business_rules,
    moments_of_truth,
)
from procmap.measures.risk import RiskReport, failure_risk
from procmap.measures.timing import CycleTime, cycle_time
from procmap.model.process import OutcomeFor, Process, Value

if TYPE_CHECKING:
    from procmap.analysis.weights import PointWeights as Weights
    from procmap.source import SourceMap

WASTE = 1.0
WEIGHT_CUSTOMER_MEETS = 1.0
WEIGHT_CUSTOMER_PATH = 0.7
WEIGHT_OTHER = 0.4
TOP = 10

# the rule whose findings (one per piece of work done in several places) are eliminate candidates
REDUNDANT_WORK = "redundant-work"
# rules whose findings make the point an eliminate candidate
_ELIMINATE_RULES = {"ping-pong", "customer-as-bridge", "step-serves-no-outcome", "repeated-contact"}


@dataclass(frozen=True)
class HandoffCell:
    """The hand-offs from one actor to another."""

    count: int = 0
    wait: timedelta = timedelta(0)
    """Total waiting time at these hand-offs."""
    longest: timedelta = timedelta(0)


@dataclass(frozen=True)
class Candidate:
    """A point to eliminate or improve, with its expected impact."""

    action: Action
    kind: str
    elements: tuple[str, ...]
    reason: str
    impact: float
    failure: float
    frequency: float
    weight: float
    keep: str = ""
    """Redundant work: the step to keep (the first that does it)."""
    remove: tuple[str, ...] = ()
    """Redundant work: the steps to remove, as process/step."""


@dataclass(frozen=True)
class Scorecard:
    """Everything ``procmap analyze`` shows about one process."""

    process: Process
    moments_of_truth: list[MomentOfTruth]
    break_points: list[BreakPoint]
    business_rules: list[BusinessRule]
    risk: RiskReport
    handoffs: dict[tuple[str, str], HandoffCell]
    timing: CycleTime
    candidates: list[Candidate]
    findings: list[Finding] = field(default_factory=list)
    weights: Weights | None = None
    """What an event log says of each point, when the map was weighed by one."""

    @property
    def counts(self) -> dict[str, int]:
        """The three outside-in counts."""
        return {
            "moments_of_truth": len(self.moments_of_truth),
            "break_points": len(self.break_points),
            "business_rules": len(self.business_rules),
        }


def handoff_matrix(points: list[BreakPoint]) -> dict[tuple[str, str], HandoffCell]:
    """Hand-offs counted per (from actor, to actor), with their waits."""
    cells: dict[tuple[str, str], HandoffCell] = {}
    for bp in points:
        key = (bp.from_actor, bp.to_actor)
        cell = cells.get(key, HandoffCell())
        wait = bp.wait or timedelta(0)
        cells[key] = HandoffCell(cell.count + 1, cell.wait + wait, max(cell.longest, wait))
    return dict(sorted(cells.items()))


def analyze(
    process: Process,
    *,
    config: Config | None = None,
    source: SourceMap | None = None,
    findings: list[Finding] | None = None,
    weights: Weights | None = None,
) -> Scorecard:
    """The outside-in scorecard of one process.

    Args:
        process: the map.
        config: risk defaults, thresholds and rule selection.
        source: where the map's elements stand, to locate findings.
        findings: findings already computed; by default the rules are run here.
        weights: what an event log says of the map (:func:`procmap.mining.weigh.weigh`):
            the ranking then weighs each point by the share of real cases that pass it.

    Example:
        >>> card = procmap.analyze(procmap.load("examples/customer-onboarding.yaml"))  # doctest: +SKIP
        >>> card.counts  # doctest: +SKIP
        {'moments_of_truth': 9, 'break_points': 14, 'business_rules': 3}
    """
    with paused_gc():
        return _analyze(process, config or Config(), source, findings, weights)


def _analyze(
    process: Process, config: Config, source: SourceMap | None, findings: list[Finding] | None,
    weights: Weights | None = None,
) -> Scorecard:
    """The work of :func:`analyze`, with the garbage collector paused."""
    from procmap.analysis.linter import check

    if findings is None:
        findings = check([(process, source)], config=config)
    mots = moments_of_truth(process)
    bps = break_points(process)
    brs = business_rules(process)
    risk = failure_risk(process, config.risk)
    return Scorecard(
        process=process,
        moments_of_truth=mots,
        break_points=bps,
        business_rules=brs,
        risk=risk,
        handoffs=handoff_matrix(bps),
        timing=cycle_time(process),
        candidates=rank_candidates(process, mots, bps, brs, risk, findings, weights=weights),
        findings=findings,
        weights=weights,
    )


def rank_candidates(
    process: Process,
    mots: list[MomentOfTruth],
    bps: list[BreakPoint],
    brs: list[BusinessRule],
    risk: RiskReport,
    findings: list[Finding],
    *,
    weights: Weights | None = None,
) -> list[Candidate]:
    """The top eliminate/improve candidates, by expected impact, highest first.

    How often cases pass a point is the map's expected frequency, or with
    ``weights`` the share of the log's cases that pass it.
    """
    customer_targets = [
        sid
        for sid, step in process.steps.items()
        if any(process.outcomes[o].for_ is OutcomeFor.CUSTOMER for o in step.delivers)
    ]
    on_customer_path = process.graph.reaching(customer_targets) if customer_targets else set()
    mot_steps = {m.step: m for m in mots}
    flagged: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        for element in f.elements[:1]:
            flagged[element].append(f)

    def weight(*steps: str) -> float:
        if any(s in mot_steps for s in steps):
            return WEIGHT_CUSTOMER_MEETS
        if any(s in on_customer_path for s in steps):
            return WEIGHT_CUSTOMER_PATH
        return WEIGHT_OTHER

    freq = risk.frequency if weights is None else {
        sid: weights.share(weights.step(sid)) for sid in process.steps}
    points: dict[str, list[str]] = defaultdict(list)
    for m in mots:
        points[m.step].append("Moment of Truth")
    for r in brs:
        points[r.step].append("Business Rule")
    for sid, step in process.steps.items():
        if step.value is Value.NONE:
            points[sid].append("step of no value")
        elif any(f.name == "step-serves-no-outcome" for f in flagged.get(sid, [])):
            points[sid].append("step that serves no outcome")

    # (impact, eliminate first, elements, how to build the candidate): reasons are
    # written only for the few candidates that make the list
    ranked: list[tuple[float, bool, tuple[str, ...], Callable[[], Candidate]]] = []
    for sid, kinds in points.items():
        step = process.steps[sid]
        waste = step.value is Value.NONE or "step that serves no outcome" in kinds
        p = WASTE if waste else risk.step_risk.get(sid, 0.0)
        w = weight(sid)
        often = freq.get(sid, 0.0)
        rules = [f.name for f in flagged.get(sid, [])]
        action = Action.ELIMINATE if waste or _ELIMINATE_RULES & set(rules) else Action.IMPROVE

        def build(sid=sid, kinds=kinds, p=p, w=w, often=often, rules=rules, action=action,
                  waste=waste) -> Candidate:
            return Candidate(
                action=action,
                kind=" and ".join(kinds),
                elements=(sid,),
                reason=_reason(process, sid, kinds, p, often, rules, waste=waste,
                               logged=weights is not None),
                impact=p * often * w,
                failure=p,
                frequency=often,
                weight=w,
            )

        ranked.append((p * often * w, action is not Action.ELIMINATE, (sid,), build))
    for bp in bps:
        f = bp.flow
        p = risk.handoff_risk
        if weights is None:
            often = min(freq.get(f.source, 0.0), freq.get(f.target, 0.0))
        else:
            often = weights.share(weights.handoff(f.source, f.target))
        w = weight(f.source, f.target)
        rules = [x.name for x in flagged.get(f.target, []) + flagged.get(f.source, [])]
        action = Action.ELIMINATE if _ELIMINATE_RULES & set(rules) else Action.IMPROVE

        def build_handoff(bp=bp, p=p, often=often, w=w, rules=rules, action=action) -> Candidate:
            f = bp.flow
            wait = f" after a wait of {_short(bp.wait)}" if bp.wait else ""
            logged = weights is not None
            if logged:
                real = weights.handoff(f.source, f.target).median_wait
                wait = f" after a median wait of {_short(timedelta(seconds=real))}" if real else ""
            return Candidate(
                action=action,
                kind="Break Point",
                elements=(f.source, f.target),
                reason=(
                    f"Hand-off from {process.actor_title(bp.from_actor)} to "
                    f"{process.actor_title(bp.to_actor)} ('{process.step_title(f.source)}' → "
                    f"'{process.step_title(f.target)}'){wait} {_how_often(often, logged)}"
                    + (f"; flagged {', '.join(sorted(set(rules)))}" if rules else "")
                ),
                impact=p * often * w,
                failure=p,
                frequency=often,
                weight=w,
            )

        ranked.append((p * often * w, action is not Action.ELIMINATE, (f.source, f.target),
                       build_handoff))
    for f in findings:
        if f.name != REDUNDANT_WORK or not f.elements or f.elements[0] not in process.steps:
            continue
        remove = tuple(str(f.data.get("remove", "")).split(", "))
        here = [f.elements[0], *(r.split("/", 1)[1] for r in remove
                                 if r.split("/", 1)[0] == process.process)]
        often = max(freq.get(s, 0.0) for s in here)
        w = weight(*here)

        def build_redundant(f=f, remove=remove, often=often, w=w) -> Candidate:
            keep = f.elements[0]
            return Candidate(
                action=Action.ELIMINATE,
                kind="redundant work",
                elements=f.elements,
                reason=(
                    f"Redundant work: {f.data.get('places')} steps {f.data.get('work')} "
                    f"({f.data.get('teams')}); keep '{process.step_title(keep)}' "
                    f"({process.actor_title(process.steps[keep].actor)}), remove "
                    f"{f.data.get('remove_titles')} {_how_often(often, weights is not None)}"
                ),
                impact=WASTE * often * w,
                failure=WASTE,
                frequency=often,
                weight=w,
                keep=f"{process.process}/{keep}",
                remove=remove,
            )

        ranked.append((WASTE * often * w, False, f.elements, build_redundant))
    ranked.sort(key=lambda r: (-r[0], r[1], r[2]))
    return [build() for _, _, _, build in ranked[:TOP]]


def _reason(
    process: Process,
    sid: str,
    kinds: list[str],
    p: float,
    often: float,
    rules: list[str],
    *,
    waste: bool = False,
    logged: bool = False,
) -> str:
    step = process.steps[sid]
    what = f"{_capital(' and '.join(kinds))} '{process.step_title(sid)}' ({process.actor_title(step.actor)})"
    if waste:
        cost = f"takes {_short(step.duration)}" if step.duration else "is done"
        text = f"{what} {cost} {_how_often(often, logged)} and adds nothing for the customer"
    else:
        text = f"{what} fails {p:.0%} of the time {_how_often(often, logged)}"
    if rules:
        text += f"; flagged {', '.join(sorted(set(rules)))}"
    return text


def _how_often(often: float, logged: bool) -> str:
    """'on 30% of cases', or from a log 'on 30% of the log's cases' / 'but is never seen in the log'."""
    if not logged:
        return f"on {often:.0%} of cases"
    return f"on {often:.0%} of the log's cases" if often else "but is never seen in the log"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _short(value: timedelta | None) -> str:
    from procmap.model.durations import describe_duration

    return describe_duration(value) if value else "0m"
