"""The discrete-event engine: one replication of a compiled map.

An event list on a binary heap (``heapq``), ordered by time and then by the order
the events were made, so a run is the same for the same seed, event for event.
Cases arrive, wait where the map says they wait, queue FIFO for a free person
of the lane, are worked on, and go on along the flows: a decision takes one
way (drawn by its probabilities), a fork starts every way out, a parallel join
waits for every way in. Each random quantity has a stream of its own, named by
what it is for (the arrivals; each step's duration, wait and choice), so two
maps run with the same seed meet the same arrivals and, at a step they share,
the same durations in the same order (common random numbers).

Draws come from numpy in blocks; the event loop itself is plain Python on
local variables, the fastest way to run one event at a time in Python.
"""

from __future__ import annotations

import bisect
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from heapq import heappop, heappush

import numpy as np

from procmap.simulation.model import ALL, CHOOSE, DELAY, END, ONE, PASS, WORK, Draw, SimModel

BLOCK = 4096
"""Draws taken from numpy at a time for each stream."""

ARRIVE, READY, DONE, WARM, STOP = 0, 1, 2, 3, 4
# a case's running state
(ARRIVED, WORKED, BUSY_TIME, COST, CONTACTS, LAST_CONTACT, ALIVE, OUTCOMES, MOMENTS, DONE_STEPS,
 WORKING, WORK_FROM) = range(12)
MAX_STEPS_PER_CASE = 100_000
"""A case that does more steps than this is taken to be caught in a loop."""


class _Stream:
    """Draws of one random quantity, taken from numpy a block at a time."""

    __slots__ = ("rng", "draw", "buf", "pos")

    def __init__(self, rng: np.random.Generator, draw: Draw) -> None:
        self.rng, self.draw, self.buf, self.pos = rng, draw, [], 0

    def __call__(self) -> float:
        pos = self.pos
        if pos == len(self.buf):
            self.buf = self.draw.sample(self.rng, BLOCK).tolist()
            pos = 0
        self.pos = pos + 1
        return self.buf[pos]


class _Uniform(_Stream):
    def __call__(self) -> float:
        pos = self.pos
        if pos == len(self.buf):
            self.buf = self.rng.random(BLOCK).tolist()
            pos = 0
        self.pos = pos + 1
        return self.buf[pos]


def _fixed(value: float) -> Callable[[], float]:
    return lambda: value


@dataclass
class Replication:
    """What one replication measured, raw (the report aggregates over replications)."""

    cycle: np.ndarray
    work: np.ndarray
    waiting: np.ndarray
    cost: np.ndarray
    contacts: np.ndarray
    outcome_cases: list[int]
    moment_cases: list[int]
    moment_wait: list[float]
    moment_visits: list[int]
    handoff_delay: list[float]
    handoff_count: list[int]
    lane_busy: list[float]
    """Time-integral of people working, over the measured window."""
    lane_queue: list[float]
    """Time-integral of the queue length, over the measured window."""
    lane_wait: list[float]
    lane_starts: list[int]
    lane_work: list[float]
    window: float
    wip_area: float
    arrivals_in_window: int
    unfinished: int
    activities: int
    """Activity instances run (rows of the simulated log)."""
    log: dict[str, array] | None = field(default=None, repr=False)


def arrival_times(model: SimModel, total: int, rng: np.random.Generator) -> list[float]:
    """When each case arrives (seconds from a Monday 00:00)."""
    rate = model.arrivals
    gaps = np.full(total, rate.gap) if rate.fixed else rng.exponential(rate.gap, total)
    times = np.cumsum(gaps)
    cal = model.arrival_calendar
    if cal is None or cal.always:
        return times.tolist()
    # the gaps are of open time: lay them on the calendar
    out = []
    t_open = 0.0
    t = cal.next_open(0.0)
    for target in times.tolist():
        t = cal.add_work(t, target - t_open)
        t_open = target
        out.append(t)
    return out


def run_replication(
    model: SimModel, cases: int, warm_up: int, seed: int, replication: int, *,
    log: bool = False, progress: Callable[[int], None] | None = None,
) -> Replication:
    """Run ``warm_up`` + ``cases`` cases; measure the last ``cases`` of them."""
    m = model
    n = len(m.steps)
    total = cases + warm_up

    def rng(kind: str, index: int) -> np.random.Generator:
        return np.random.default_rng([seed, replication, m.stream_key(kind, index)])

    arrive_at = arrival_times(m, total, rng("arrivals", -1))
    start_cum = [(k + 1) / len(m.starts) for k in range(len(m.starts))]
    start_pick = _Uniform(rng("start", -1), Draw("fixed", 0))
    dur: list[Callable[[], float] | None] = []
    wt: list[Callable[[], float] | None] = []
    choose: list[Callable[[], float] | None] = []
    for i in range(n):
        for draws, spec, kind in ((dur, m.duration[i], "duration"), (wt, m.wait[i], "wait")):
            if spec is None:
                draws.append(None)
            elif spec.kind == "fixed":
                draws.append(_fixed(spec.mean))
            else:
                draws.append(_Stream(rng(kind, i), spec))
        choose.append(_Uniform(rng("choice", i), Draw("fixed", 0)) if m.route[i] == CHOOSE else None)

    lanes = m.lanes
    nl = len(lanes)
    cap = [lane.capacity for lane in lanes]
    cost_rate = [lane.cost / 3600.0 for lane in lanes]
    cal = [lane.calendar if lane.calendar is not None and not lane.calendar.always else None
           for lane in lanes]
    busy = [0] * nl
    free = [list(range(c, 0, -1)) for c in cap]
    queue: list[deque] = [deque() for _ in range(nl)]
    area_busy = [0.0] * nl
    area_queue = [0.0] * nl
    last = [0.0] * nl
    lane_wait = [0.0] * nl
    lane_starts = [0] * nl
    lane_work = [0.0] * nl

    does, lane_of, route, succ, cum = m.does, m.lane_of, m.route, m.successors, m.cumulative
    join_need, is_moment, delivers, handoffs = m.join_need, m.is_moment, m.delivers, m.handoffs
    moment_no = {s: k for k, s in enumerate(m.moments)}
    handed = [False] * n  # steps work is handed to from another lane
    for _, target in handoffs:
        handed[target] = True
    special = [a or b for a, b in zip(handed, is_moment, strict=True)]
    is_event = [m.process.steps[s].kind.value in ("start", "end") for s in m.steps]
    moment_wait = [0.0] * len(m.moments)
    moment_visits = [0] * len(m.moments)
    moment_cases = [0] * len(m.moments)
    handoff_delay = [0.0] * len(m.handoff_names)
    handoff_count = [0] * len(m.handoff_names)
    outcome_cases = [0] * len(m.outcomes)
    is_parallel = [does[i] == PASS and m.process.steps[m.steps[i]].kind.value == "parallel"
                   for i in range(n)]

    res_cycle, res_work, res_wait, res_cost, res_contacts = (array("d") for _ in range(5))
    log_case, log_step, log_server = array("q"), array("i"), array("i")
    log_start, log_end = array("d"), array("d")

    heap: list[tuple] = []
    seq = 0
    t_warm = arrive_at[warm_up] if warm_up < total else arrive_at[-1]
    t_stop = arrive_at[-1]
    heappush(heap, (t_warm, -2, WARM, 0, 0, 0, 0.0))
    heappush(heap, (t_stop, -1, STOP, 0, 0, 0, 0.0))
    heappush(heap, (arrive_at[0], 0, ARRIVE, 0, 0, -1, 0.0))
    state: dict[int, list] = {}
    joins: dict[tuple[int, int], list] = {}
    wip = 0
    wip_area = 0.0
    wip_last = 0.0
    snapshot: tuple | None = None
    activities = 0
    looped: set[int] = set()
    next_report = 50_000

    def begin(case: int, i: int, t: float, prev: int, leave: float, st: list, lane: int,
              server: int, queued: float) -> None:
        """Work on step ``i`` starts at ``t`` (the person is taken)."""
        nonlocal seq
        c = cal[lane]
        start = c.next_open(t) if c is not None else t
        if st[WORKING] == 0:
            st[WORK_FROM] = start
        st[WORKING] += 1
        if special[i]:
            if handed[i] and case >= warm_up:
                _handoff(i, start, prev, leave)
            if is_moment[i]:
                _moment(st, i, start, case)
        draw = dur[i]
        if draw is not None:
            d = draw()
            end = c.add_work(start, d) if c is not None else start + d
            st[WORKED] += d
            if cost_rate[lane]:
                st[COST] += d * cost_rate[lane]
        else:
            d = 0.0
            end = start
        if case >= warm_up:
            lane_wait[lane] += start - queued
            lane_starts[lane] += 1
            lane_work[lane] += d
        seq += 1
        heappush(heap, (end, seq, DONE, case, i, server, start))

    def _handoff(i: int, t: float, prev: int | tuple, leave: float) -> None:
        """Work reaches step ``i`` at ``t`` from ``prev`` (several, after a join)."""
        if prev.__class__ is tuple:
            for p, at in prev:
                _handoff(i, t, p, at)
            return
        if prev >= 0:
            h = handoffs.get((prev, i))
            if h is not None:
                handoff_delay[h] += t - leave
                handoff_count[h] += 1

    def _moment(st: list, i: int, t: float, case: int) -> None:
        k = moment_no[i]
        st[CONTACTS] += 1
        if case >= warm_up:
            moment_wait[k] += t - st[LAST_CONTACT]
            moment_visits[k] += 1
        st[MOMENTS] |= 1 << k

    while heap:
        t, _, kind, case, i, prev, leave = heappop(heap)
        todo: list[tuple[int, int, float, bool]] | None
        if kind == DONE:
            st = state[case]
            lane = lane_of[i]
            if log:
                log_case.append(case)
                log_step.append(i)
                log_server.append(prev)
                log_start.append(leave)
                log_end.append(t)
            if does[i] == WORK:
                activities += 1
                st[WORKING] -= 1
                if st[WORKING] == 0:
                    st[BUSY_TIME] += t - st[WORK_FROM]
                if cap[lane]:
                    dt = t - last[lane]
                    if dt:
                        area_busy[lane] += busy[lane] * dt
                        area_queue[lane] += len(queue[lane]) * dt
                        last[lane] = t
                    q = queue[lane]
                    if q:
                        qc, qi, qprev, qleave, queued = q.popleft()
                        begin(qc, qi, t, qprev, qleave, state[qc], lane, prev, queued)
                    else:
                        busy[lane] -= 1
                        free[lane].append(prev)
            if is_moment[i]:
                st[LAST_CONTACT] = t
            if delivers[i]:
                st[OUTCOMES] |= delivers[i]
            todo = None
            waited = False
            r = route[i]
            prev, leave = i, t
            if r == ONE:
                i = succ[i][0]
            elif r == END:
                st[ALIVE] -= 1
                i = -1
            elif r == ALL:
                outs = succ[i]
                st[ALIVE] += len(outs) - 1
                todo = [(o, i, t, False) for o in reversed(outs[1:])]
                i = outs[0]
            else:
                c = cum[i]
                k = bisect.bisect_right(c, choose[i]())
                i = succ[i][k if k < len(c) else len(c) - 1]
        elif kind == READY:
            st = state[case]
            todo = None
            waited = True
        elif kind == ARRIVE:
            nxt = case + 1
            if nxt < total:
                seq += 1
                heappush(heap, (arrive_at[nxt], seq, ARRIVE, nxt, 0, -1, 0.0))
            wip_area += wip * (t - wip_last)
            wip_last = t
            wip += 1
            st = [t, 0.0, 0.0, 0.0, 0, t, 1, 0, 0, 0, 0, 0.0]
            state[case] = st
            if len(m.starts) == 1:
                first = m.starts[0]
            else:
                k = bisect.bisect_right(start_cum, start_pick())
                first = m.starts[min(k, len(m.starts) - 1)]
            todo = None
            i, prev, leave, waited = first, -1, t, False
            if progress is not None and case >= next_report:
                progress(case)
                next_report += 50_000
        elif kind == WARM:
            for lane in range(nl):
                last[lane] = t
                area_busy[lane] = area_queue[lane] = 0.0
            wip_area, wip_last = 0.0, t
            continue
        else:  # STOP: the measured window ends with the last arrival
            for lane in range(nl):
                dt = t - last[lane]
                area_busy[lane] += busy[lane] * dt
                area_queue[lane] += len(queue[lane]) * dt
                last[lane] = t
            snapshot = (list(area_busy), list(area_queue), wip_area + wip * (t - wip_last))
            continue

        # the case goes on along the flow from here, at time t: each way is followed
        # until it waits, is worked on, meets a join or ends
        while i >= 0:
            while True:
                if not waited:
                    need = join_need[i]
                    if need > 1:
                        key = (case, i)
                        got = joins.get(key)
                        if got is None:
                            joins[key] = [1, [(prev, leave)]]
                            st[ALIVE] -= 1
                            break
                        got[0] += 1
                        got[1].append((prev, leave))
                        if got[0] < need:
                            st[ALIVE] -= 1
                            break
                        del joins[key]
                        prev = tuple(got[1])
                    w = wt[i]
                    if w is not None:
                        d = w()
                        if d > 0:
                            seq += 1
                            heappush(heap, (t + d, seq, READY, case, i, prev, leave))
                            break
                else:
                    waited = False
                st[DONE_STEPS] += 1
                if st[DONE_STEPS] > MAX_STEPS_PER_CASE:  # caught in a loop: this way stops
                    looped.add(case)
                    st[ALIVE] -= 1
                    break
                what = does[i]
                if what == WORK:
                    lane = lane_of[i]
                    c = cap[lane]
                    if c == 0:  # nobody queues: the work starts now (or when the lane opens)
                        if cal[lane] is not None:
                            begin(case, i, t, prev, leave, st, lane, -1, t)
                            break
                        # begin() written out for the most common work: at once, no calendar
                        if st[WORKING] == 0:
                            st[WORK_FROM] = t
                        st[WORKING] += 1
                        if special[i]:
                            if handed[i] and case >= warm_up:
                                _handoff(i, t, prev, leave)
                            if is_moment[i]:
                                _moment(st, i, t, case)
                        draw = dur[i]
                        if draw is not None:
                            d = draw()
                            st[WORKED] += d
                            if cost_rate[lane]:
                                st[COST] += d * cost_rate[lane]
                        else:
                            d = 0.0
                        if case >= warm_up:
                            lane_starts[lane] += 1
                            lane_work[lane] += d
                        seq += 1
                        heappush(heap, (t + d, seq, DONE, case, i, -1, t))
                        break
                    dt = t - last[lane]
                    if dt:
                        area_busy[lane] += busy[lane] * dt
                        area_queue[lane] += len(queue[lane]) * dt
                        last[lane] = t
                    if busy[lane] < c:
                        busy[lane] += 1
                        begin(case, i, t, prev, leave, st, lane, free[lane].pop(), t)
                    else:
                        queue[lane].append((case, i, prev, leave, t))
                    break
                if what == DELAY:
                    draw = dur[i]
                    d = draw() if draw is not None else 0.0
                    if is_moment[i]:
                        _moment(st, i, t, case)
                    seq += 1
                    heappush(heap, (t + d, seq, DONE, case, i, -1, t))
                    break
                # a gateway or an event: no time passes
                if log and is_event[i]:
                    log_case.append(case)
                    log_step.append(i)
                    log_server.append(-1)
                    log_start.append(t)
                    log_end.append(t)
                if handed[i] and case >= warm_up:
                    _handoff(i, t, prev, leave)
                if is_moment[i]:
                    _moment(st, i, t, case)
                    st[LAST_CONTACT] = t
                st[OUTCOMES] |= delivers[i]
                r = route[i]
                if not is_parallel[i]:
                    prev, leave = i, t
                if r == ONE:
                    i = succ[i][0]
                elif r == END:
                    st[ALIVE] -= 1
                    break
                elif r == ALL:
                    outs = succ[i]
                    st[ALIVE] += len(outs) - 1
                    if todo is None:
                        todo = []
                    todo.extend((o, prev, leave, False) for o in reversed(outs[1:]))
                    i = outs[0]
                else:
                    c = cum[i]
                    k = bisect.bisect_right(c, choose[i]())
                    i = succ[i][k if k < len(c) else len(c) - 1]
            if not todo:
                break
            i, prev, leave, waited = todo.pop()
        if st[ALIVE] <= 0:
            del state[case]
            wip_area += wip * (t - wip_last)
            wip_last = t
            wip -= 1
            if case >= warm_up:
                res_cycle.append(t - st[ARRIVED])
                res_work.append(st[WORKED])
                res_wait.append(t - st[ARRIVED] - st[BUSY_TIME])
                res_cost.append(st[COST])
                res_contacts.append(st[CONTACTS])
                mask = st[OUTCOMES]
                k = 0
                while mask:
                    if mask & 1:
                        outcome_cases[k] += 1
                    mask >>= 1
                    k += 1
                mask = st[MOMENTS]
                k = 0
                while mask:
                    if mask & 1:
                        moment_cases[k] += 1
                    mask >>= 1
                    k += 1

    unfinished = sum(1 for c in state if c >= warm_up) + sum(1 for c in looped if c >= warm_up)
    busy_area, queue_area, wip_window = snapshot or (area_busy, area_queue, wip_area)
    window = t_stop - t_warm
    return Replication(
        cycle=np.frombuffer(res_cycle, dtype=float) if res_cycle else np.zeros(0),
        work=np.frombuffer(res_work, dtype=float) if res_work else np.zeros(0),
        waiting=np.frombuffer(res_wait, dtype=float) if res_wait else np.zeros(0),
        cost=np.frombuffer(res_cost, dtype=float) if res_cost else np.zeros(0),
        contacts=np.frombuffer(res_contacts, dtype=float) if res_contacts else np.zeros(0),
        outcome_cases=outcome_cases, moment_cases=moment_cases, moment_wait=moment_wait,
        moment_visits=moment_visits, handoff_delay=handoff_delay, handoff_count=handoff_count,
        lane_busy=busy_area, lane_queue=queue_area, lane_wait=lane_wait,
        lane_starts=lane_starts, lane_work=lane_work, window=window, wip_area=wip_window,
        arrivals_in_window=max(0, cases - 1), unfinished=unfinished, activities=activities,
        log={"case": log_case, "step": log_step, "server": log_server, "start": log_start,
             "end": log_end} if log else None,
    )
