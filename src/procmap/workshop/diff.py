"""As-is against to-be, in the words of seed 001: what was eliminated, improved, added.

Steps are matched by id; a step that is another kind of point (a decision
that became parallel work, a task that became a wait) is reported in words
as well as by kind. A Moment of Truth or Business Rule is *eliminated*
when its step is gone or no longer one, *added* when it is new, *improved* when
its chance of going wrong went down (and *worsened* when it went up). A Break
Point is a flow between two lanes, matched by its two step ids; hand-offs are
also counted per pair of actors, so a redesign shows which departments no
longer pass work to each other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from procmap.config import Config
from procmap.measures.points import break_points, business_rules, moments_of_truth
from procmap.measures.risk import failure_risk, step_risks
from procmap.measures.timing import CycleTime, cycle_time
from procmap.model.process import Process, StepKind

KINDS = ("Moments of Truth", "Break Points", "Business Rules")
MEANING = {
    StepKind.TASK: "work",
    StepKind.DECISION: "a choice (one branch is taken)",
    StepKind.PARALLEL: "parallel work (all ways run at once)",
    StepKind.START: "a start event (the trigger)",
    StepKind.END: "an end event (the result)",
    StepKind.WAIT: "a wait",
    StepKind.SUBPROCESS: "a subprocess",
}
"""What each kind of step means to the people in the room."""


@dataclass(frozen=True)
class PointChange:
    """One point that changed between the two maps."""

    kind: str
    key: tuple[str, ...]
    status: str  # eliminated, added, improved, worsened
    label: str
    before: float | None = None
    after: float | None = None


@dataclass(frozen=True)
class OutcomeChange:
    """The chance of reaching an outcome unharmed, before and after."""

    outcome: str
    name: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class KindChange:
    """A step that is another kind of point in the to-be map."""

    step: str
    label: str
    before: StepKind
    after: StepKind

    @property
    def words(self) -> str:
        """The change in outside-in words."""
        return (f"'{self.label}' was {MEANING[self.before]}, is now {MEANING[self.after]} "
                f"({self.before.value} → {self.after.value})")


@dataclass
class MapDiff:
    """Everything ``procmap diff`` reports."""

    before: Process
    after: Process
    counts: dict[str, tuple[int, int]]
    points: list[PointChange]
    handoffs: dict[tuple[str, str], tuple[int, int]]
    steps_removed: list[str]
    steps_added: list[str]
    timing: tuple[CycleTime, CycleTime]
    outcomes: list[OutcomeChange] = field(default_factory=list)
    kinds_changed: list[KindChange] = field(default_factory=list)

    def changes(self, kind: str, status: str) -> list[PointChange]:
        """The changes of one kind (e.g. Moments of Truth) with one status."""
        return [p for p in self.points if p.kind == kind and p.status == status]


def diff_maps(before: Process, after: Process, *, config: Config | None = None) -> MapDiff:
    """Compare an as-is map with a to-be map.

    Example:
        >>> d = diff_maps(procmap.load("as-is.yaml"), procmap.load("to-be.yaml"))  # doctest: +SKIP
        >>> d.counts["Break Points"]  # doctest: +SKIP
        (20, 12)
    """
    config = config or Config()
    risk_before = step_risks(before, config.risk)
    risk_after = step_risks(after, config.risk)
    points: list[PointChange] = []

    def steps_of(process: Process, kind: str) -> dict[str, str]:
        if kind == KINDS[0]:
            return {m.step: process.step_title(m.step) for m in moments_of_truth(process)}
        return {r.step: process.step_title(r.step) for r in business_rules(process)}

    counts: dict[str, tuple[int, int]] = {}
    for kind in (KINDS[0], KINDS[2]):
        old, new = steps_of(before, kind), steps_of(after, kind)
        counts[kind] = (len(old), len(new))
        for sid in old.keys() - new.keys():
            points.append(PointChange(kind, (sid,), "eliminated", old[sid], risk_before[sid]))
        for sid in new.keys() - old.keys():
            points.append(PointChange(kind, (sid,), "added", new[sid], None, risk_after[sid]))
        for sid in old.keys() & new.keys():
            a, b = risk_before[sid], risk_after[sid]
            if abs(a - b) > 1e-9:
                status = "improved" if b < a else "worsened"
                points.append(PointChange(kind, (sid,), status, new[sid], a, b))

    def flows(process: Process) -> dict[tuple[str, str], str]:
        return {
            (bp.flow.source, bp.flow.target): (
                f"'{process.step_title(bp.flow.source)}' ({process.actor_title(bp.from_actor)}) → "
                f"'{process.step_title(bp.flow.target)}' ({process.actor_title(bp.to_actor)})"
            )
            for bp in break_points(process)
        }

    old_flows, new_flows = flows(before), flows(after)
    counts[KINDS[1]] = (len(old_flows), len(new_flows))
    for key in old_flows.keys() - new_flows.keys():
        points.append(PointChange(KINDS[1], key, "eliminated", old_flows[key]))
    for key in new_flows.keys() - old_flows.keys():
        points.append(PointChange(KINDS[1], key, "added", new_flows[key]))
    order = {"eliminated": 0, "improved": 1, "worsened": 2, "added": 3}
    points.sort(key=lambda p: (KINDS.index(p.kind), order[p.status], p.key))

    pairs_before = Counter((b.from_actor, b.to_actor) for b in break_points(before))
    pairs_after = Counter((b.from_actor, b.to_actor) for b in break_points(after))
    handoffs = {
        pair: (pairs_before[pair], pairs_after[pair])
        for pair in sorted(pairs_before.keys() | pairs_after.keys())
        if pairs_before[pair] != pairs_after[pair]
    }

    rb = failure_risk(before, config.risk).outcomes
    ra = failure_risk(after, config.risk).outcomes
    outcomes = [
        OutcomeChange(
            oid,
            (after.outcomes.get(oid) or before.outcomes[oid]).name,
            _chance(rb.get(oid)),
            _chance(ra.get(oid)),
        )
        for oid in dict.fromkeys([*before.outcomes, *after.outcomes])
    ]
    return MapDiff(
        before=before,
        after=after,
        counts=counts,
        points=points,
        handoffs=handoffs,
        steps_removed=[s for s in before.steps if s not in after.steps],
        steps_added=[s for s in after.steps if s not in before.steps],
        timing=(cycle_time(before), cycle_time(after)),
        outcomes=outcomes,
        kinds_changed=[
            KindChange(sid, after.step_title(sid), step.kind, after.steps[sid].kind)
            for sid, step in before.steps.items()
            if sid in after.steps and after.steps[sid].kind is not step.kind
        ],
    )


def _chance(risk) -> float | None:  # type: ignore[no-untyped-def]
    if risk is None or not risk.reachable:
        return None
    return risk.expected if risk.expected is not None else risk.worst


def seconds(value: timedelta | None) -> float | None:
    """Seconds of an optional duration, for JSON."""
    return None if value is None else value.total_seconds()
