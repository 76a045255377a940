"""Cycle time and process cycle efficiency (seed 000: every step must earn its time).

Definitions, on the flow graph with loops cut where they close (so each loop is
counted once, as in :mod:`procmap.measures.risk`), the way a consultant works
them out by hand (flow analysis):

* a step's **time** is its work (``duration``) plus the ``wait`` before it;
  gateways (``decision``, ``parallel``) and events (``start``, ``end``) do no
  work, but may carry a ``wait``;
* where ways that parted at a **decision** meet again, a case came one way:
  the time is the average of the ways, weighed by how often a case takes each
  (branch probabilities; branches without one share the rest evenly);
* where ways that parted at a **parallel** step (or any step with several next
  steps that is no decision) meet again, the case waits for all of them: the
  time is that of the longest way;
* **expected**: the time from a case's start to its end, combined that way;
  **shortest** / **longest**: the least / most such time (at a decision the
  quickest / slowest branch, at a parallel join always the slowest);
* **work**: the work a case needs from start to end, worked out the same way
  from the durations alone (the longest of parallel branches' work); **waiting**:
  the rest of the expected time (waits, and time spent waiting for a slower
  parallel branch);
* **effort**: the work of every step weighed by how often a case reaches it,
  parallel branches all counted (the staff time a case costs);
* **value-adding**: the expected work of steps whose ``value`` is ``customer``
  or not given (``business`` and ``none`` do not add value for the customer,
  waits never do);
* **efficiency**: value-adding ÷ expected (process cycle efficiency), ``None``
  when the map gives no durations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import timedelta
from math import prod

from procmap.measures.risk import reach_frequency, split_shares
from procmap.model.process import Process, Value, total_seconds


@dataclass(frozen=True)
class CycleTime:
    """How long a case takes, and how much of that time adds value.

    A step's time is its ``duration`` (work) plus its ``wait`` (before it).
    Paths run from a start to an end on the flow graph with loops cut where they
    close, so a loop counts once; parallel branches are waited for (the longest
    counts), decisions take one branch (weighed by probability).

    Attributes:
        shortest: the least time from a start to an end (``None`` when no end is
            reached).
        longest: the most time from a start to an end (``None`` likewise).
        expected: the expected time from a case's start to its end.
        work: the work a case needs from start to end, from the durations alone
            (the most of parallel branches' work), so ``expected = work + waiting``.
        waiting: the rest of ``expected``: waits, and waiting for a slower parallel
            branch.
        value_adding: the part of ``work`` done by steps whose ``value`` is
            ``customer`` or not given; ``business`` and ``none`` add no value for
            the customer, and waits never do.
        efficiency: ``value_adding`` ÷ ``expected`` (process cycle efficiency),
            ``None`` when the map gives no durations.
        longest_path: the step ids of the longest path, start first (one branch
            of each parallel part: the slowest).
        by_lane: expected work time per actor id (every parallel branch counted),
            actors with none left out.
        effort: the expected work of every step, parallel branches all counted.
    """

    shortest: timedelta | None
    longest: timedelta | None
    expected: timedelta
    work: timedelta
    waiting: timedelta
    value_adding: timedelta
    efficiency: float | None
    longest_path: tuple[str, ...] = ()
    by_lane: dict[str, timedelta] = field(default_factory=dict)
    effort: timedelta = timedelta(0)


def cycle_time(process: Process) -> CycleTime:
    """The cycle time figures of a map, computed once per map (see :class:`CycleTime`).

    Example:
        >>> t = cycle_time(procmap.load("examples/customer-onboarding.yaml"))  # doctest: +SKIP
        >>> t.efficiency  # doctest: +SKIP
    """
    return process.graph.remember("cycle_time", lambda: _cycle_time(process))


@dataclass(frozen=True)
class _Way:
    """The time a case has spent when it arrives somewhere, and how often it comes."""

    at: str | None  # the step the time is known at (for combining ways in the right order)
    cases: float  # share of all cases that come this way
    work: float
    wait: float
    value: float
    low: float  # the quickest such time
    high: float  # the slowest such time
    high_from: str | None  # the step the slowest time came through

    @property
    def time(self) -> float:
        return self.work + self.wait


def _cycle_time(process: Process) -> CycleTime:
    graph = process.graph
    order, back = graph.acyclic_order()
    steps = process.steps
    frequency = reach_frequency(process)
    idom = graph.dominators()

    def own(sid: str) -> tuple[float, float, float]:
        step = steps[sid]
        work = total_seconds(step.duration)
        adds = work if step.value in (None, Value.CUSTOMER) else 0.0
        return work, total_seconds(step.wait), adds

    finishing = graph.finishing()
    starts = graph.starts()
    arrivals: dict[str, list[_Way]] = {
        s: [_Way(None, 1.0 / len(starts), 0.0, 0.0, 0.0, 0.0, 0.0, None)] for s in starts
    }
    done: dict[str, _Way] = {}
    for sid in order:
        if sid not in arrivals or sid not in idom:
            continue
        way = _combine(process, arrivals.pop(sid), frequency)
        work, wait, adds = own(sid)
        done[sid] = way = _Way(
            sid, way.cases, way.work + work, way.wait + wait, way.value + adds,
            way.low + work + wait, way.high + work + wait, way.high_from,
        )
        shares = split_shares(process, sid)
        going_on = way
        rework = [t for t in graph.successors(sid) if (sid, t) not in back and t not in finishing]
        if rework and way.cases:
            # the cases sent back round a loop from here come on later: their time
            # goes with every case that goes on (a loop counts once)
            extra = [own(x) + (frequency.get(x, 0.0) / way.cases,)
                     for x in _round_only(process, rework, finishing)]
            going_on = replace(
                way,
                work=way.work + sum(w * k for w, _, _, k in extra),
                wait=way.wait + sum(w * k for _, w, _, k in extra),
                value=way.value + sum(v * k for _, _, v, k in extra),
            )
        for nxt in graph.successors(sid):
            if (sid, nxt) not in back:
                arrivals.setdefault(nxt, []).append(replace(
                    going_on, cases=way.cases * shares.get(nxt, 0.0), high_from=sid
                ))
    came_from = {sid: way.high_from for sid, way in done.items()}
    ends = [e for e in graph.ends() if e in done]
    last: str | None = None
    shortest = longest = None
    expected = work = waiting = adding = 0.0
    if ends:
        # the case is over when every end it reaches is reached: ends that parted
        # at a parallel step are waited for, ends that parted at a decision are
        # alternatives
        finish = _combine(process, [replace(done[e], high_from=e) for e in ends], frequency)
        last = finish.high_from
        shortest, longest = timedelta(seconds=finish.low), timedelta(seconds=finish.high)
        expected, work, waiting, adding = finish.time, finish.work, finish.wait, finish.value
    else:  # no end is reached: the time until the case stops where nothing follows
        stops = [s for s in done if not any((s, t) not in back for t in graph.successors(s))]
        if stops:
            finish = _combine(process, [done[s] for s in stops], frequency)
            expected, work, waiting = finish.time, finish.work, finish.wait
            adding = finish.value
    path: list[str] = []
    while last is not None:
        path.append(last)
        last = came_from.get(last)

    effort = 0.0
    lanes: dict[str, float] = defaultdict(float)
    for sid, step in steps.items():
        w = total_seconds(step.duration) * frequency.get(sid, 0.0)
        effort += w
        lanes[step.actor] += w
    has_durations = any(step.duration is not None for step in steps.values())
    return CycleTime(
        shortest=shortest,
        longest=longest,
        expected=timedelta(seconds=expected),
        work=timedelta(seconds=work),
        waiting=timedelta(seconds=waiting),
        value_adding=timedelta(seconds=adding),
        efficiency=(adding / expected) if has_durations and expected > 0 else None,
        longest_path=tuple(reversed(path)),
        by_lane={a: timedelta(seconds=s) for a, s in sorted(lanes.items()) if s},
        effort=timedelta(seconds=effort),
    )


def _round_only(process: Process, sources: list[str], finishing: set[str]) -> set[str]:
    """The steps from ``sources`` on that only lead back round a loop (none finishes)."""
    seen = set(sources)
    stack = list(sources)
    while stack:
        for t in process.graph.successors(stack.pop()):
            if t not in seen and t not in finishing:
                seen.add(t)
                stack.append(t)
    return seen


def _combine(process: Process, ways: list[_Way], frequency: dict[str, float]) -> _Way:
    """Combine the ways into one step, or into the end of a case (see ProcessGraph.combine)."""

    def merge(group: list[_Way], at: str | None, parallel: bool) -> _Way:
        return replace(_merge(group, at, parallel, frequency), at=at)

    return process.graph.combine([(w.at, w) for w in ways], merge)


def _merge(group: list[_Way], at: str | None, parallel: bool, frequency: dict[str, float]) -> _Way:
    if parallel:
        base = frequency.get(at, 0.0) if at is not None else 1.0
        cases = base * (1 - prod(1 - min(1.0, w.cases / base) for w in group)) if base else 0.0
        slow = max(group, key=lambda w: (w.time, w.high))
        top = max(group, key=lambda w: w.high)
        # the case waits for the slowest branch; its work (and value-adding work),
        # worked out the same way, is that of the branch with the most; the rest
        # of the time the case waits
        work = max(w.work for w in group)
        return _Way(at, cases, work, slow.time - work, max(w.value for w in group),
                    max(w.low for w in group), top.high, top.high_from)
    cases = sum(w.cases for w in group)
    weights = [w.cases / cases if cases else 1.0 / len(group) for w in group]
    top = max(group, key=lambda w: w.high)
    return _Way(
        at, cases,
        sum(k * w.work for k, w in zip(weights, group, strict=True)),
        sum(k * w.wait for k, w in zip(weights, group, strict=True)),
        sum(k * w.value for k, w in zip(weights, group, strict=True)),
        min(w.low for w in group), top.high, top.high_from,
    )
