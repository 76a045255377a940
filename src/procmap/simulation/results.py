"""Replications aggregated: each figure as a mean over replications with a 95% interval.

Every figure is measured once per replication (a mean, a median, a 90th
percentile, a share); the report gives the mean of those and the half-width of
its 95% confidence interval, Student's t over the replications (one
replication: no interval). Times are in seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from procmap.simulation.engine import Replication
from procmap.simulation.model import UNLIMITED, SimModel

_T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
         2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
         2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
"""Student's t, 97.5% quantile, for 1..30 degrees of freedom."""


def t_quantile(df: int) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom."""
    if df <= 30:
        return _T975[df - 1]
    z = 1.959964
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


@dataclass(frozen=True)
class Estimate:
    """A figure over the replications: mean and the half-width of its 95% interval."""

    mean: float
    half: float | None
    """None with one replication (or where a figure was not measured in each)."""

    @classmethod
    def of(cls, values: list[float] | np.ndarray) -> Estimate:
        v = np.asarray([x for x in values if x is not None and not math.isnan(x)], dtype=float)
        if len(v) == 0:
            return cls(float("nan"), None)
        if len(v) == 1:
            return cls(float(v[0]), None)
        return cls(float(v.mean()), float(t_quantile(len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))))

    @property
    def low(self) -> float:
        return self.mean - (self.half or 0.0)

    @property
    def high(self) -> float:
        return self.mean + (self.half or 0.0)

    def contains(self, value: float) -> bool:
        return self.half is not None and self.low <= value <= self.high

    def to_dict(self, scale: float = 1.0, digits: int = 4) -> dict[str, float | None]:
        return {"mean": _round(self.mean / scale, digits),
                "ci95": None if self.half is None else _round(self.half / scale, digits)}


def _round(x: float, digits: int) -> float | None:
    if x is None or math.isnan(x):
        return None
    return float(f"{x:.{digits}g}") if x else 0.0


def _stat(values: np.ndarray, how: str) -> float:
    if len(values) == 0:
        return float("nan")
    if how == "mean":
        return float(values.mean())
    if how == "median":
        return float(np.median(values))
    return float(np.percentile(values, 90))


@dataclass
class LaneResult:
    id: str
    title: str
    capacity: int
    capacity_given: bool
    cost: float
    utilisation: Estimate | None
    """Share of the lane's people busy (None: unlimited)."""
    busy: Estimate
    """Mean number of people at work."""
    queue: Estimate
    queue_wait: Estimate
    work_per_case: Estimate


@dataclass
class MomentResult:
    step: str
    title: str
    wait: Estimate
    """The customer's wait before it: from their last contact (or the start of the case)."""
    reached: Estimate


@dataclass
class HandoffResult:
    source: str
    target: str
    from_lane: str
    to_lane: str
    delay: Estimate
    count: Estimate
    """Hand-offs per case."""


@dataclass
class SimulationResult:
    """What ``procmap simulate`` reports for one map."""

    process: str
    title: str
    cases: int
    warm_up: int
    replications: int
    seed: int
    arrivals: str
    assumptions: list[str]
    warnings: list[str]
    cycle: dict[str, Estimate]
    work: dict[str, Estimate]
    waiting: dict[str, Estimate]
    cost: Estimate
    contacts: Estimate
    throughput: Estimate
    """Cases per hour finished."""
    in_process: Estimate
    """Little's L: mean cases in the process (time average)."""
    lanes: list[LaneResult]
    bottleneck: str | None
    moments: list[MomentResult]
    handoffs: list[HandoffResult]
    outcomes: dict[str, tuple[str, Estimate]]
    unfinished: int
    activities: int
    seconds: float = 0.0
    """Wall time of the run."""
    histograms: dict[str, Any] = field(default_factory=dict)
    replication_data: list[Replication] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        hours = 3600.0
        return {
            "process": self.process,
            "title": self.title,
            "run": {"cases": self.cases, "warm_up": self.warm_up,
                    "replications": self.replications, "seed": self.seed,
                    "arrivals": self.arrivals, "activities": self.activities,
                    "unfinished_cases": self.unfinished},
            "assumptions": self.assumptions,
            "warnings": self.warnings,
            "units": "times in hours; ci95 is the half-width of the 95% confidence interval",
            "cycle_time": {k: v.to_dict(hours) for k, v in self.cycle.items()},
            "work_time": {k: v.to_dict(hours) for k, v in self.work.items()},
            "waiting_time": {k: v.to_dict(hours) for k, v in self.waiting.items()},
            "cost_per_case": self.cost.to_dict(),
            "contacts_per_case": self.contacts.to_dict(),
            "throughput_per_hour": self.throughput.to_dict(),
            "cases_in_process": self.in_process.to_dict(),
            "bottleneck": self.bottleneck,
            "lanes": [
                {"lane": ln.id, "name": ln.title,
                 "capacity": ln.capacity or None, "capacity_given": ln.capacity_given,
                 "utilisation": ln.utilisation.to_dict() if ln.utilisation else None,
                 "busy": ln.busy.to_dict(), "queue_length": ln.queue.to_dict(),
                 "queue_wait": ln.queue_wait.to_dict(hours),
                 "work_per_case": ln.work_per_case.to_dict(hours)}
                for ln in self.lanes
            ],
            "moments_of_truth": [
                {"step": mo.step, "name": mo.title, "customer_wait_before": mo.wait.to_dict(hours),
                 "share_of_cases": mo.reached.to_dict()}
                for mo in self.moments
            ],
            "break_points": [
                {"from": h.source, "to": h.target, "from_lane": h.from_lane,
                 "to_lane": h.to_lane, "delay": h.delay.to_dict(hours),
                 "per_case": h.count.to_dict()}
                for h in self.handoffs
            ],
            "outcomes": {k: {"name": name, "share_of_cases": e.to_dict()}
                         for k, (name, e) in self.outcomes.items()},
            "histograms": self.histograms,
        }


def aggregate(model: SimModel, reps: list[Replication], *, cases: int, warm_up: int,
              seed: int) -> SimulationResult:
    """The replications of one map, summed up."""
    proc = model.process

    def over(get) -> Estimate:
        return Estimate.of([get(r) for r in reps])

    def three(attr: str) -> dict[str, Estimate]:
        return {how: over(lambda r, how=how: _stat(getattr(r, attr), how))
                for how in ("mean", "median", "p90")}

    def share(num: float, den: float) -> float:
        return num / den if den else float("nan")

    lanes = []
    for k, lane in enumerate(model.lanes):
        if lane.work_per_case == 0 and not lane.capacity_given:
            continue
        if lane.capacity == UNLIMITED:  # people at work on average: the work over the time
            busy = over(lambda r, k=k: share(r.lane_work[k], r.window))
        else:
            busy = over(lambda r, k=k: share(r.lane_busy[k], r.window))
        util = None
        if lane.capacity != UNLIMITED:
            open_share = lane.open_share
            if lane.calendar is None:
                util = over(lambda r, k=k, c=lane.capacity:
                            share(r.lane_busy[k], r.window * c))
            else:  # people hold work over closed hours: count the work itself
                util = over(lambda r, k=k, c=lane.capacity, o=open_share:
                            share(r.lane_work[k], r.window * c * o))
        lanes.append(LaneResult(
            id=lane.id, title=lane.title, capacity=lane.capacity,
            capacity_given=lane.capacity_given, cost=lane.cost, utilisation=util, busy=busy,
            queue=over(lambda r, k=k: share(r.lane_queue[k], r.window)),
            queue_wait=over(lambda r, k=k: share(r.lane_wait[k], r.lane_starts[k])),
            work_per_case=over(lambda r, k=k: share(r.lane_work[k], len(r.cycle))),
        ))
    limited = [ln for ln in lanes if ln.utilisation is not None]
    if limited:
        bottleneck = max(limited, key=lambda ln: ln.utilisation.mean).id
    else:
        queued = [ln for ln in lanes if ln.queue_wait.mean > 0]
        bottleneck = max(queued, key=lambda ln: ln.queue_wait.mean).id if queued else None

    moments = [
        MomentResult(
            step=model.steps[s], title=model.titles[s],
            wait=over(lambda r, k=k: share(r.moment_wait[k], r.moment_visits[k])),
            reached=over(lambda r, k=k: share(r.moment_cases[k], len(r.cycle))),
        )
        for k, s in enumerate(model.moments)
    ]
    handoffs = [
        HandoffResult(
            source=src, target=dst, from_lane=proc.actor_title(a), to_lane=proc.actor_title(b),
            delay=over(lambda r, k=k: share(r.handoff_delay[k], r.handoff_count[k])),
            count=over(lambda r, k=k: share(r.handoff_count[k], len(r.cycle))),
        )
        for k, (src, dst, a, b) in enumerate(model.handoff_names)
    ]
    outcomes = {
        o: (proc.outcomes[o].name,
            over(lambda r, k=k: share(r.outcome_cases[k], len(r.cycle))))
        for k, o in enumerate(model.outcomes)
    }
    hist = _histograms(reps)
    return SimulationResult(
        process=proc.process, title=proc.title, cases=cases, warm_up=warm_up,
        replications=len(reps), seed=seed, arrivals=model.arrivals.describe(),
        assumptions=list(model.assumptions), warnings=list(model.warnings),
        cycle=three("cycle"), work=three("work"), waiting=three("waiting"),
        cost=over(lambda r: _stat(r.cost, "mean")),
        contacts=over(lambda r: _stat(r.contacts, "mean")),
        throughput=over(lambda r: share(len(r.cycle), r.window / 3600)),
        in_process=over(lambda r: share(r.wip_area, r.window)),
        lanes=lanes, bottleneck=bottleneck, moments=moments, handoffs=handoffs,
        outcomes=outcomes, unfinished=sum(r.unfinished for r in reps),
        activities=sum(r.activities for r in reps), histograms=hist, replication_data=reps,
    )


def _histograms(reps: list[Replication], bins: int = 20) -> dict[str, Any]:
    """Cycle and waiting time of every measured case, binned (hours)."""
    out: dict[str, Any] = {}
    for name in ("cycle", "waiting"):
        values = np.concatenate([getattr(r, name) for r in reps]) / 3600 if reps else np.zeros(0)
        if len(values) == 0:
            continue
        top = float(np.percentile(values, 99)) or float(values.max()) or 1.0
        counts, edges = np.histogram(np.minimum(values, top), bins=bins, range=(0, top))
        out[name] = {"edges_hours": [round(float(e), 4) for e in edges],
                     "counts": [int(c) for c in counts]}
    return out
