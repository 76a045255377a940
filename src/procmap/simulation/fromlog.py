"""A map's simulation parameters taken from a real event log, and the two logs compared.

``procmap simulate --from-log LOG MAP`` reads the log with procmap's mining
engine (DuckDB) and sets, on the steps whose name is an activity of the log:

* the **arrivals**: Poisson, with the mean gap between the cases' first events;
* each step's **duration**: lognormal with the mean and standard deviation of the
  activity's end minus start (logs with start times; without them, none);
* each step's **wait**: lognormal with the mean and standard deviation of the time
  from the case's previous event to the activity's start — the log's waits
  already hold the queueing and the working hours, so the lanes are left
  unlimited (the people per lane the log shows are reported, not imposed);
* each decision's **branch probabilities**: the shares of the events of the
  activities its branches lead to.

The simulated log is then held against the real one with the measures of
:mod:`procmap.simulation.distance`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from procmap.model.durations import Timing
from procmap.model.process import Branch, Process, StepKind

if TYPE_CHECKING:
    from procmap.mining.read import EventLog
    from procmap.simulation.distance import LogArrays


@dataclass
class FromLog:
    process: Process
    """The map with the log's parameters."""
    taken: list[str] = field(default_factory=list)
    """What was taken from the log, in words."""
    people: dict[str, int] = field(default_factory=dict)
    """Resources seen per lane."""
    real: LogArrays | None = None


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _timing(mean: float | None, sd: float | None) -> Timing | None:
    if mean is None or not math.isfinite(mean) or mean <= 0:
        return None
    if sd is None or not math.isfinite(sd) or sd <= 0:
        return Timing(mean, "fixed")
    return Timing(mean, "lognormal", sd=sd)


def real_log_arrays(log: EventLog) -> LogArrays:
    """The log's events as arrays (start = end where the log has no start)."""
    from procmap.simulation.distance import LogArrays

    data = log.engine.con.execute(
        "SELECT CAST(case_id AS VARCHAR) AS c, CAST(activity AS VARCHAR) AS a, "
        "start_ts AS s, ts AS e FROM log ORDER BY rownum").fetchnumpy()
    return LogArrays(np.asarray(data["c"], dtype=object), np.asarray(data["a"], dtype=object),
                     np.asarray(data["s"], dtype=float), np.asarray(data["e"], dtype=float))


def parameters_from_log(process: Process, log: EventLog) -> FromLog:
    """The map with arrivals, durations, waits and branch shares from ``log``."""
    con = log.engine.con
    taken: list[str] = []
    firsts = np.sort(con.execute(
        "SELECT min(start_ts) AS f FROM log GROUP BY case_id").fetchnumpy()["f"])
    arrivals = None
    if len(firsts) > 1 and firsts[-1] > firsts[0]:
        gap = float(np.mean(np.diff(firsts)))
        arrivals = f"every {gap:.3f}s"
        taken.append(f"arrivals: a case every {gap / 60:.1f} minutes on average "
                     f"({len(firsts):,} cases)")
    rows = con.execute("""
        WITH ordered AS (
            SELECT CAST(activity AS VARCHAR) AS a, ts - start_ts AS work,
                   start_ts - lag(ts) OVER (PARTITION BY case_id
                       ORDER BY start_ts, ts, rownum) AS wait
            FROM log)
        SELECT a, count(*) AS n, avg(work), stddev_samp(work), avg(wait), stddev_samp(wait)
        FROM ordered GROUP BY a""").fetchall()
    stats = {_key(a): (n, w, ws, q, qs) for a, n, w, ws, q, qs in rows}
    people = dict(con.execute(
        "SELECT coalesce(lane, ''), count(DISTINCT resource) FROM log "
        "WHERE resource IS NOT NULL GROUP BY 1").fetchall())

    steps = {}
    matched = 0
    for sid, step in process.steps.items():
        found = stats.get(_key(process.step_title(sid))) or stats.get(_key(sid))
        if found is None or step.kind in (StepKind.DECISION, StepKind.PARALLEL):
            steps[sid] = step
            continue
        matched += 1
        _, work, work_sd, wait, wait_sd = found
        update: dict[str, object] = {"wait": _timing(wait, wait_sd)}
        if step.kind not in (StepKind.START, StepKind.END):
            update["duration"] = _timing(work, work_sd) if log.has_starts else None
        steps[sid] = step.model_copy(update=update)
    for sid, step in list(steps.items()):
        if step.kind is not StepKind.DECISION or not step.branches:
            continue
        counts = {}
        for label, branch in step.branches.items():
            found = stats.get(_key(process.step_title(branch.to))) or stats.get(_key(branch.to))
            counts[label] = found[0] if found else None
        if any(c is None for c in counts.values()) or not sum(counts.values()):
            continue
        total = sum(counts.values())
        branches = {label: Branch(to=b.to, probability=round(counts[label] / total, 4))
                    for label, b in step.branches.items()}
        steps[sid] = step.model_copy(update={"branches": branches})
    taken.append(f"durations and waits: {matched} of {len(process.steps)} steps matched to the "
                 f"log's {len(stats)} activities by name"
                 + ("" if log.has_starts else " (the log has no start times: no durations)"))
    taken.append("branch probabilities: the shares of the events each branch leads to")
    taken.append("lanes unlimited: the log's waits already hold its queues and working hours")
    actors = {aid: a.model_copy(update={"capacity": None, "calendar": None})
              for aid, a in process.actors.items()}
    update = {"steps": steps, "actors": actors, "calendar": None}
    if arrivals:
        update["arrivals"] = arrivals
    fitted = process.model_copy(update=update)
    # the copy skips validation: make sure the graph is the new map's
    fitted.__dict__.pop("graph", None)
    fitted.__dict__.pop("flows", None)
    return FromLog(fitted, taken, {k or "(no lane)": v for k, v in people.items()},
                   real_log_arrays(log))


def simulated_log_arrays(model, rep, first_case: int, align_to: float | None = None) -> LogArrays:
    """One replication's log as arrays: seconds of the run's clock (Monday 5 January 2026),
    or moved so that its first event starts at ``align_to`` (the real log's first)."""
    from procmap.simulation.distance import LogArrays
    from procmap.simulation.log import EPOCH

    case = np.frombuffer(rep.log["case"], dtype=np.int64)
    step = np.frombuffer(rep.log["step"], dtype=np.int32)
    start = np.frombuffer(rep.log["start"], dtype=float)
    end = np.frombuffer(rep.log["end"], dtype=float)
    keep = case >= first_case
    logged = np.array([model.process.steps[s].kind not in (StepKind.START, StepKind.END)
                       for s in model.steps])
    keep &= logged[step]
    titles = np.asarray(model.titles, dtype=object)
    origin = EPOCH.timestamp() if align_to is None else align_to - float(start[keep].min())
    return LogArrays(case[keep], titles[step[keep]], start[keep] + origin, end[keep] + origin)
