"""A map made ready to run: steps as numbers, routes, lanes, and the defaults it needs.

What the map does not say is assumed, and every assumption is written down in
:attr:`SimModel.assumptions` so that the report can state it:

* no ``arrivals``: cases arrive so that the busiest lane with a ``capacity`` is
  80% busy, or one an hour when no lane has one;
* no ``capacity``: customer and system lanes are unlimited (each customer serves
  themselves; systems scale); a team or partner gets the fewest people that keep
  it at most 80% busy at these arrivals;
* a decision without probabilities splits its cases evenly (what is left over
  after the given ones, evenly over the others);
* a step without a duration takes no time;
* several first steps are alternative triggers, taken evenly.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from procmap.errors import ProcmapError
from procmap.measures.points import break_points, moments_of_truth
from procmap.model.calendar import WEEK, Calendar, parse_calendar
from procmap.model.durations import Arrivals, Timing, describe_duration, parse_arrivals
from procmap.model.process import ActorKind, Process, StepKind

TARGET_LOAD = 0.8
"""How busy the assumed arrivals or capacities make the busiest lane."""
UNLIMITED = 0
"""Capacity of a lane that never makes anyone queue."""

# what a step does when the flow reaches it
WORK, DELAY, PASS = 0, 1, 2
# how the flow leaves a step
END, ONE, ALL, CHOOSE = 0, 1, 2, 3


class SimulationError(ProcmapError):
    """A map that cannot run: a loop no case leaves, no step to start at."""


@dataclass(frozen=True)
class Draw:
    """How a time is drawn: a distribution and its parameters in seconds."""

    kind: str
    mean: float
    sd: float = 0.0
    low: float = 0.0
    high: float = 0.0
    mode: float = 0.0

    @classmethod
    def of(cls, value: timedelta | None) -> Draw | None:
        if value is None:
            return None
        if isinstance(value, Timing):
            return cls(value.distribution, value.total_seconds(), value.sd, value.low,
                       value.high, value.mode)
        seconds = value.total_seconds()
        return cls("fixed", seconds) if seconds > 0 else None

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws (never below zero)."""
        kind, mean = self.kind, self.mean
        if kind == "fixed":
            return np.full(n, mean)
        if kind == "exponential":
            return rng.exponential(mean, n) if mean > 0 else np.zeros(n)
        if kind == "uniform":
            return rng.uniform(self.low, self.high, n)
        if kind == "triangular":
            if self.high == self.low:
                return np.full(n, self.low)
            return rng.triangular(self.low, self.mode, self.high, n)
        if kind == "normal":
            return np.maximum(rng.normal(mean, self.sd, n), 0.0)
        # lognormal with this mean and standard deviation
        sigma2 = math.log1p((self.sd / mean) ** 2)
        return rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2), n)


@dataclass
class Lane:
    id: str
    title: str
    kind: ActorKind
    capacity: int
    """0 for unlimited."""
    cost: float
    """Per hour of work."""
    calendar: Calendar | None
    capacity_given: bool
    work_per_case: float = 0.0
    """Expected seconds of work per case (from the visit ratios)."""

    @property
    def open_share(self) -> float:
        return 1.0 if self.calendar is None else self.calendar.open_per_week / WEEK


@dataclass
class SimModel:
    """A process compiled for the engine: everything indexed by number."""

    process: Process
    steps: list[str]
    titles: list[str]
    does: list[int]
    """WORK, DELAY (a wait step: time passes, nobody works) or PASS (gateways, events)."""
    lane_of: list[int]
    duration: list[Draw | None]
    wait: list[Draw | None]
    route: list[int]
    successors: list[list[int]]
    cumulative: list[list[float]]
    """For decisions: the cumulative branch probabilities."""
    join_need: list[int]
    """Ways in a parallel join waits for (1: goes on at once)."""
    starts: list[int]
    lanes: list[Lane]
    arrivals: Arrivals
    arrival_calendar: Calendar | None
    moments: list[int]
    """Steps that are Moments of Truth."""
    is_moment: list[bool]
    handoffs: dict[tuple[int, int], int]
    """(work step before, work step after) → Break Point number."""
    handoff_names: list[tuple[str, str, str, str]]
    """Per Break Point: from step, to step, from lane, to lane."""
    delivers: list[int]
    """Bit mask of the outcomes each step delivers."""
    outcomes: list[str]
    visits: np.ndarray
    """Expected visits per case to each step."""
    assumptions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def stream_key(self, kind: str, index: int) -> int:
        """A number naming a random stream by what it is for, the same in every map."""
        name = self.steps[index] if index >= 0 else ""
        return zlib.crc32(f"{kind}:{name}".encode())


def compile_map(process: Process, *, arrivals: str | None = None,
                unlimited: bool = False) -> SimModel:
    """Make ``process`` ready to run (``arrivals`` overrides the map's; ``unlimited``: no
    lane makes anyone queue, whatever its capacity)."""
    steps = list(process.steps)
    if not steps:
        raise SimulationError(f"{process.process}: the map has no steps to simulate")
    index = {s: i for i, s in enumerate(steps)}
    graph = process.graph
    assumptions: list[str] = []
    warnings: list[str] = []

    lane_ids = list(dict.fromkeys([*process.actors, *(process.steps[s].actor for s in steps)]))
    lane_index = {a: i for i, a in enumerate(lane_ids)}
    lanes = []
    for a in lane_ids:
        actor = process.actors.get(a)
        kind = actor.kind if actor else ActorKind.TEAM
        lanes.append(Lane(
            id=a, title=process.actor_title(a), kind=kind,
            capacity=(actor.capacity if actor and actor.capacity else UNLIMITED),
            cost=(actor.cost or 0.0) if actor else 0.0,
            calendar=parse_calendar(actor.calendar) if actor and actor.calendar else None,
            capacity_given=bool(actor and actor.capacity),
        ))

    does, lane_of, duration, wait, route, successors, cumulative, join_need = ([] for _ in range(8))
    _, back = graph.acyclic_order()
    stalled = graph.stalled_joins()
    joins = graph.parallel_joins()
    no_time: list[str] = []
    even: list[str] = []
    for sid in steps:
        step = process.steps[sid]
        kind = step.kind
        if kind in (StepKind.DECISION, StepKind.PARALLEL, StepKind.START, StepKind.END):
            does.append(PASS)
        elif kind is StepKind.WAIT:
            does.append(DELAY)
        else:
            does.append(WORK)
        lane_of.append(lane_index[step.actor])
        draw = Draw.of(step.duration)
        if does[-1] == WORK and draw is None:
            no_time.append(sid)
        duration.append(draw if does[-1] != PASS else None)
        wait.append(Draw.of(step.wait))
        outs = [index[t] for t in graph.successors(sid)]
        successors.append(outs)
        if not outs:
            route.append(END)
            cumulative.append([])
        elif kind is StepKind.DECISION and len(outs) > 1:
            route.append(CHOOSE)
            probs = _branch_probabilities(process, sid, [steps[o] for o in outs])
            if probs is None:
                even.append(sid)
                probs = [1 / len(outs)] * len(outs)
            cumulative.append(list(np.cumsum(probs)))
        else:
            route.append(ONE if len(outs) == 1 else ALL)
            cumulative.append([])
        ins = [u for u in graph.predecessors(sid) if (u, sid) not in back]
        need = 1
        if len(ins) > 1 and sid in joins and sid not in stalled:
            # ways that part at a decision bring one of them; parallel ways all of theirs
            need = graph.combine([(u, 1) for u in ins],
                                 lambda counts, _, parallel: sum(counts) if parallel else max(counts))
        join_need.append(need)
        if need == 1 and kind is StepKind.PARALLEL and sid in stalled:
            warnings.append(f"{process.step_title(sid)} waits for ways that part at a "
                            "decision: simulated as going on with each way that comes")
    if no_time:
        names = ", ".join(process.step_title(s) for s in no_time[:5])
        more = f" and {len(no_time) - 5} more" if len(no_time) > 5 else ""
        assumptions.append(f"{len(no_time)} of the work steps have no duration and take no "
                           f"time: {names}{more}")
    if even:
        assumptions.append("decisions without branch probabilities split their cases evenly: "
                           + ", ".join(process.step_title(s) for s in even))

    starts = [index[s] for s in graph.starts()]
    if not starts:
        raise SimulationError(f"{process.process}: every step has one before it, so no case "
                              "can start; mark the trigger with kind: start")
    if len(starts) > 1:
        assumptions.append(f"{len(starts)} steps begin a case; each case begins at one of them, "
                           "evenly")

    visits = _visit_ratios(process, steps, starts, route, successors, cumulative, join_need)
    for i in range(len(steps)):
        if does[i] == WORK and duration[i] is not None:
            lanes[lane_of[i]].work_per_case += visits[i] * duration[i].mean

    given = arrivals or process.arrivals
    if given:
        rate = parse_arrivals(given)
        if arrivals:
            assumptions.append(f"arrivals set for this run: {rate.describe()}")
    else:
        rate = _default_arrivals(lanes, assumptions)
    arrival_calendar = parse_calendar(process.calendar) if process.calendar else None
    open_share = 1.0 if arrival_calendar is None else arrival_calendar.open_per_week / WEEK
    per_second = open_share / rate.gap
    if unlimited:
        for lane in lanes:
            lane.capacity, lane.capacity_given = UNLIMITED, False
        assumptions.append("every lane unlimited: nobody queues (the waits say how long work waits)")
    else:
        _default_capacities(lanes, per_second, assumptions, warnings)

    mots = moments_of_truth(process)
    moments = [index[m.step] for m in mots]
    is_moment = [False] * len(steps)
    for m in moments:
        is_moment[m] = True
    handoffs: dict[tuple[int, int], int] = {}
    names: list[tuple[str, str, str, str]] = []
    for bp in break_points(process):
        key = (index[bp.flow.source], index[bp.flow.target])
        if key not in handoffs:
            handoffs[key] = len(names)
            names.append((bp.flow.source, bp.flow.target, bp.from_actor, bp.to_actor))
    outcomes = list(process.outcomes)
    delivers = []
    for sid in steps:
        mask = 0
        for o in process.steps[sid].delivers:
            if o in outcomes:
                mask |= 1 << outcomes.index(o)
        delivers.append(mask)
    return SimModel(
        process=process, steps=steps, titles=[process.step_title(s) for s in steps],
        does=does, lane_of=lane_of, duration=duration, wait=wait, route=route,
        successors=successors, cumulative=cumulative, join_need=join_need, starts=starts,
        lanes=lanes, arrivals=rate, arrival_calendar=arrival_calendar, moments=moments,
        is_moment=is_moment, handoffs=handoffs, handoff_names=names, delivers=delivers,
        outcomes=outcomes, visits=visits, assumptions=assumptions, warnings=warnings,
    )


def _branch_probabilities(process: Process, sid: str, targets: list[str]) -> list[float] | None:
    """The share of cases each way out takes, in ``targets`` order; None: none given."""
    flows = [process.graph.flow(sid, t) for t in targets]
    given = [f.probability for f in flows]
    if all(p is None for p in given):
        return None
    known = sum(p for p in given if p is not None)
    unknown = sum(p is None for p in given)
    rest = max(0.0, 1.0 - known) / unknown if unknown else 0.0
    probs = [p if p is not None else rest for p in given]
    total = sum(probs)
    if total <= 0:
        return None
    return [p / total for p in probs]


def _visit_ratios(process: Process, steps: list[str], starts: list[int], route: list[int],
                  successors: list[list[int]], cumulative: list[list[float]],
                  join_need: list[int]) -> np.ndarray:
    """Expected visits per case to each step: v = s + Rᵀv (a join counts once per its ways)."""
    n = len(steps)
    r = np.zeros((n, n))
    for i in range(n):
        outs = successors[i]
        if route[i] == CHOOSE:
            probs = np.diff([0.0, *cumulative[i]])
            for o, p in zip(outs, probs, strict=True):
                r[i, o] += p
        elif route[i] in (ONE, ALL):
            for o in outs:
                r[i, o] += 1.0 / join_need[o]
    s = np.zeros(n)
    s[starts] = 1.0 / len(starts)
    try:
        v = np.linalg.solve(np.eye(n) - r.T, s)
    except np.linalg.LinAlgError:
        v = None
    if v is None or not np.all(np.isfinite(v)) or np.any(v < -1e-9) or v.max() > 1e6:
        raise SimulationError(
            f"{process.process}: a loop in the map never lets a case out (every way from it "
            "leads back); give its decision a branch out with a probability"
        )
    return np.maximum(v, 0.0)


def _default_arrivals(lanes: list[Lane], assumptions: list[str]) -> Arrivals:
    limited = [lane for lane in lanes if lane.capacity_given and lane.work_per_case > 0]
    if limited:
        busiest = max(limited, key=lambda ln: ln.work_per_case / (ln.capacity * ln.open_share))
        gap = busiest.work_per_case / (busiest.capacity * busiest.open_share * TARGET_LOAD)
        rate = Arrivals(gap=gap)
        assumptions.append(f"arrivals not given: {rate.describe()}, which keeps "
                           f"{busiest.title} {TARGET_LOAD:.0%} busy (set arrivals: on the "
                           "process or --arrivals)")
        return rate
    rate = Arrivals(gap=3600.0)
    assumptions.append(f"arrivals not given: {rate.describe()} (set arrivals: on the process "
                       "or --arrivals)")
    return rate


def _default_capacities(lanes: list[Lane], per_second: float, assumptions: list[str],
                        warnings: list[str]) -> None:
    sized = []
    for lane in lanes:
        load = per_second * lane.work_per_case / lane.open_share
        if lane.capacity_given:
            if load >= lane.capacity:
                warnings.append(
                    f"{lane.title} is asked for {load / lane.capacity:.0%} of its capacity: its "
                    "queue grows for as long as the run lasts"
                )
            continue
        if lane.kind in (ActorKind.CUSTOMER, ActorKind.SYSTEM) or lane.work_per_case == 0:
            continue
        lane.capacity = max(1, math.ceil(load / TARGET_LOAD - 1e-9))
        sized.append(f"{lane.title} {lane.capacity}")
    unlimited = [ln.title for ln in lanes if ln.capacity == UNLIMITED and ln.work_per_case > 0]
    if sized:
        assumptions.append("capacity not given, the fewest that keep a lane at most "
                           f"{TARGET_LOAD:.0%} busy: " + ", ".join(sized))
    if unlimited:
        assumptions.append("unlimited capacity (nobody queues): " + ", ".join(unlimited))


def describe_seconds(seconds: float) -> str:
    """Seconds for people: ``1d 2h``, ``12m``, ``45s``."""
    if seconds < 60:
        return f"{seconds:.0f}s" if seconds >= 1 or seconds == 0 else f"{seconds:.1f}s"
    return describe_duration(timedelta(seconds=seconds))
