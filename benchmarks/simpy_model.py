"""A SimPy model of a procmap map: what a developer writes with SimPy instead of procmap.

It reads the same compiled map (:func:`procmap.simulation.model.compile_map`) and the
same random streams as procmap's engine, and runs it the SimPy way: one process
per case and per parallel branch, a ``simpy.Resource`` per lane with a capacity,
``env.timeout`` for waits and work, an event per parallel join. Working hours
are honoured the same way (work starts when the lane opens and runs over open
time only). It measures cycle time and the queue wait per lane, so its answers
can be held against procmap's (same model, same distributions).
"""

from __future__ import annotations

import bisect

import numpy as np
import simpy

from procmap.simulation.engine import _fixed, _Stream, _Uniform, arrival_times
from procmap.simulation.model import ALL, CHOOSE, DELAY, END, ONE, PASS, WORK, Draw, SimModel


def run_simpy(m: SimModel, cases: int, seed: int = 1, replication: int = 0) -> dict[str, float]:
    """Run ``cases`` cases; activities run, mean cycle time and queue wait per lane."""
    env = simpy.Environment()

    def rng(kind: str, index: int) -> np.random.Generator:
        return np.random.default_rng([seed, replication, m.stream_key(kind, index)])

    n = len(m.steps)
    arrive_at = arrival_times(m, cases, rng("arrivals", -1))
    dur, wt, choose = [], [], []
    for i in range(n):
        for draws, spec, kind in ((dur, m.duration[i], "duration"), (wt, m.wait[i], "wait")):
            if spec is None:
                draws.append(None)
            elif spec.kind == "fixed":
                draws.append(_fixed(spec.mean))
            else:
                draws.append(_Stream(rng(kind, i), spec))
        choose.append(_Uniform(rng("choice", i), Draw("fixed", 0)) if m.route[i] == CHOOSE else None)
    start_pick = _Uniform(rng("start", -1), Draw("fixed", 0))
    start_cum = [(k + 1) / len(m.starts) for k in range(len(m.starts))]
    lanes = [simpy.Resource(env, capacity=lane.capacity) if lane.capacity else None
             for lane in m.lanes]
    cal = [lane.calendar if lane.calendar is not None and not lane.calendar.always else None
           for lane in m.lanes]
    stats = {"activities": 0, "cycle": 0.0, "finished": 0}
    queue_wait = [0.0] * len(m.lanes)

    def branch(case: dict, i: int):
        while True:
            need = m.join_need[i]
            if need > 1:
                got = case["joins"].setdefault(i, [0, env.event()])
                got[0] += 1
                if got[0] < need:
                    return
                del case["joins"][i]
            w = wt[i]
            if w is not None:
                d = w()
                if d > 0:
                    yield env.timeout(d)
            what = m.does[i]
            if what == WORK:
                lane = m.lane_of[i]
                res = lanes[lane]
                draw = dur[i]
                if res is None:
                    d = draw() if draw is not None else 0.0
                    c = cal[lane]
                    end = c.add_work(c.next_open(env.now), d) if c else env.now + d
                    yield env.timeout(end - env.now)
                else:
                    asked = env.now
                    with res.request() as req:
                        yield req
                        c = cal[lane]
                        start = c.next_open(env.now) if c else env.now
                        queue_wait[lane] += start - asked
                        d = draw() if draw is not None else 0.0
                        end = c.add_work(start, d) if c else start + d
                        yield env.timeout(end - env.now)
                stats["activities"] += 1
            elif what == DELAY:
                draw = dur[i]
                yield env.timeout(draw() if draw is not None else 0.0)
            r = m.route[i]
            outs = m.successors[i]
            if r == END:
                return
            if r == ONE:
                i = outs[0]
            elif r == CHOOSE:
                c = m.cumulative[i]
                i = outs[min(bisect.bisect_right(c, choose[i]()), len(c) - 1)]
            else:
                for o in outs[1:]:
                    case["branches"].append(env.process(branch(case, o)))
                i = outs[0]
            assert r in (ONE, CHOOSE, ALL) and what in (WORK, DELAY, PASS)

    def one_case(k: int):
        case = {"joins": {}, "branches": []}
        if len(m.starts) == 1:
            first = m.starts[0]
        else:
            first = m.starts[min(bisect.bisect_right(start_cum, start_pick()), len(m.starts) - 1)]
        began = env.now
        yield env.process(branch(case, first))
        while case["branches"]:  # parallel branches still running
            yield case["branches"].pop()
        stats["cycle"] += env.now - began
        stats["finished"] += 1

    def source():
        last = 0.0
        for k in range(cases):
            yield env.timeout(arrive_at[k] - last)
            last = arrive_at[k]
            env.process(one_case(k))

    env.process(source())
    env.run()
    return {"activities": stats["activities"],
            "cycle_mean": stats["cycle"] / max(1, stats["finished"]),
            "queue_wait": queue_wait}
