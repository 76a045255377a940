"""Cycle time and process cycle efficiency (seed 000: every step must earn its time).

Definitions, on the flow graph with loops cut where they close (so each loop is
counted once, as in :mod:`procmap.analysis.risk`):

* a step's **time** is its work (``duration``) plus the ``wait`` before it;
* **shortest** / **longest**: the least / most time along a path from a start to
  an end;
* **expected**: the time of every step weighted by how often a case reaches it
  (branch probabilities; branches without one share the rest evenly); parallel
  branches all count, so it is the time spent on a case rather than the time
  from its start to its end;
* **work**, **waiting**: the expected time split into its two parts;
* **value-adding**: the expected work of steps whose ``value`` is ``customer`` or
  not given (``business`` and ``none`` do not add value for the customer, waits
  never do);
* **efficiency**: value-adding ÷ expected (process cycle efficiency), ``None``
  when the map gives no durations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from procmap.analysis.risk import reach_frequency
from procmap.model.process import Process, Value, total_seconds


@dataclass(frozen=True)
class CycleTime:
    """How long a case takes, and how much of that time adds value.

    A step's time is its ``duration`` (work) plus its ``wait`` (before it).
    Paths run from a start to an end on the flow graph with loops cut where they
    close, so a loop counts once.

    Attributes:
        shortest: the least time along a path from a start to an end (``None``
            when no end is reached).
        longest: the most time along such a path (``None`` likewise).
        expected: the time per case: each step's time weighted by how often a
            case reaches it (:func:`procmap.analysis.risk.reach_frequency`).
        work: the ``duration`` part of ``expected``.
        waiting: the ``wait`` part of ``expected``.
        value_adding: the ``work`` of steps whose ``value`` is ``customer`` or
            not given; ``business`` and ``none`` add no value for the customer,
            and waits never do.
        efficiency: ``value_adding`` ÷ ``expected`` (process cycle efficiency),
            ``None`` when the map gives no durations.
        longest_path: the step ids of the longest path, start first.
        by_lane: expected work time per actor id, actors with none left out.
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


def cycle_time(process: Process) -> CycleTime:
    """The cycle time figures of a map, computed once per map (see :class:`CycleTime`).

    Example:
        >>> t = cycle_time(procmap.load("examples/customer-onboarding.yaml"))  # doctest: +SKIP
        >>> t.efficiency  # doctest: +SKIP
    """
    return process.graph.remember("cycle_time", lambda: _cycle_time(process))


def _cycle_time(process: Process) -> CycleTime:
    graph = process.graph
    order, back = graph.acyclic_order()
    steps = process.steps
    own = {s: total_seconds(step.duration) + total_seconds(step.wait) for s, step in steps.items()}

    starts = graph.starts()
    ends = set(graph.ends())
    low: dict[str, float] = {s: own[s] for s in starts}
    high: dict[str, float] = dict(low)
    came_from: dict[str, str | None] = {s: None for s in starts}
    for sid in order:
        if sid not in low:
            continue
        for nxt in graph.successors(sid):
            if (sid, nxt) in back:
                continue
            low[nxt] = min(low.get(nxt, float("inf")), low[sid] + own[nxt])
            if high[sid] + own[nxt] > high.get(nxt, -1.0):
                high[nxt] = high[sid] + own[nxt]
                came_from[nxt] = sid
    reached_ends = [e for e in ends if e in low]
    shortest = timedelta(seconds=min(low[e] for e in reached_ends)) if reached_ends else None
    last = max(reached_ends, key=high.__getitem__) if reached_ends else None
    longest = timedelta(seconds=high[last]) if last else None
    path: list[str] = []
    while last is not None:
        path.append(last)
        last = came_from[last]

    frequency = reach_frequency(process)
    work = waiting = adding = 0.0
    lanes: dict[str, float] = defaultdict(float)
    for sid, step in steps.items():
        often = frequency.get(sid, 0.0)
        w = total_seconds(step.duration) * often
        work += w
        waiting += total_seconds(step.wait) * often
        lanes[step.actor] += w
        if step.value in (None, Value.CUSTOMER):
            adding += w
    expected = work + waiting
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
    )
