"""A map weighed by its log: how often cases really pass each point of it.

Steps are matched to activities as ``conform`` matches them. A step passes in
every case with an event of an activity that stands for it. A hand-off (a flow
between two actors) happens each time, looking in a case only at the events of
its two steps, one of the source step is directly followed by one of the
target: so work that runs in parallel in between does not hide it, and a
rework loop counts each time round. After a decision only one way is taken: an
event of the decision hands off to the target only when the target is the
first of the steps the decision leads to that comes next. A step no activity
stands for (an unnamed gateway, a start or end event) is looked through: its
hand-off is counted between the matched steps on either side of it, and it
passes as often as the matched steps just before it (just after it, when none
comes before).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from procmap.mining import stats
from procmap.mining.conform import Replay, match_steps, never_happen, not_in_map
from procmap.mining.evidence import Evidence, evidence
from procmap.mining.evidence import sections as evidence_sections
from procmap.mining.read import EventLog, mark_customer
from procmap.mining.tables import Section
from procmap.model.process import Process, StepKind


@dataclass(frozen=True)
class Passes:
    """How often cases pass one point: in how many cases, how many times, the waits (seconds)."""

    cases: int
    times: int
    median_wait: float | None = None
    p90_wait: float | None = None


@dataclass
class Weights:
    """What the log says of each point of the map (JSON-ready with :meth:`to_dict`).

    ``steps`` holds the steps seen in the log, ``handoffs`` the hand-offs seen, keyed
    by (from step, to step); a point missing from them was never seen.
    """

    log: str
    cases: int
    events: int
    steps: dict[str, Passes]
    handoffs: dict[tuple[str, str], Passes]
    not_in_map: list[dict] = field(default_factory=list)
    never_happen: list[dict] = field(default_factory=list)
    evidence: Evidence | None = None

    def step(self, sid: str) -> Passes:
        """How often cases pass step ``sid`` (zero when never seen)."""
        return self.steps.get(sid, Passes(0, 0))

    def handoff(self, source: str, target: str) -> Passes:
        """How often the hand-off from ``source`` to ``target`` happens (zero when never seen)."""
        return self.handoffs.get((source, target), Passes(0, 0))

    def share(self, passes: Passes) -> float:
        """The share of the log's cases that pass."""
        return passes.cases / self.cases if self.cases else 0.0

    def per_case(self, passes: Passes) -> float:
        """How many times a case passes, on average over all the log's cases."""
        return passes.times / self.cases if self.cases else 0.0

    def to_dict(self) -> dict:
        return {
            "log": self.log, "cases": self.cases, "events": self.events,
            "not_in_map": self.not_in_map, "never_happen": self.never_happen,
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }


def weigh(
    process: Process, log: EventLog, *, with_evidence: bool = True, customer_from_map: bool = True,
) -> Weights:
    """How often the cases of ``log`` pass each step and hand-off of ``process``.

    Args:
        with_evidence: also gather the evidence of the cases (:mod:`procmap.mining.evidence`).
        customer_from_map: the customer contacts of the evidence are the activities that
            stand for the map's Moments of Truth; leave it off when the log was read with
            its own customer activities.
    """
    matched = match_steps(process, stats.activity_names(log))
    if with_evidence and customer_from_map:
        from procmap.measures.points import moments_of_truth

        meets = {m.step for m in moments_of_truth(process)}
        mark_customer(log, sorted(a for a, sid in matched.items() if sid in meets))
    stats.prepare(log)  # once, after the customer's activities are marked
    acts = stats.activities(log)
    con = log.engine.con
    con.execute("CREATE OR REPLACE TABLE map_steps (activity VARCHAR, step VARCHAR)")
    if matched:
        con.executemany("INSERT INTO map_steps VALUES (?, ?)", sorted(matched.items()))
    replay = Replay(process, set(matched.values()))
    points = [(sid, sid) for sid in sorted(replay.matched)]
    for sid in process.steps:
        if replay.silent(sid):
            points += [(sid, s) for s in sorted(_sources(process, replay, sid) or _targets(replay, sid))]
    con.execute("CREATE OR REPLACE TABLE map_points (point VARCHAR, step VARCHAR)")
    if points:
        con.executemany("INSERT INTO map_points VALUES (?, ?)", points)
    steps = {sid: Passes(cases, times) for sid, times, cases in log.engine.run("map_steps")}
    flows = sorted({(f.source, f.target) for f in process.graph.handoffs()})
    watch, pairs = _groups(process, replay, flows)
    con.execute("CREATE OR REPLACE TABLE map_watch (grp INTEGER, step VARCHAR)")
    con.execute("CREATE OR REPLACE TABLE map_pairs "
                "(grp INTEGER, handoff INTEGER, source VARCHAR, target VARCHAR)")
    if pairs:
        con.executemany("INSERT INTO map_watch VALUES (?, ?)", watch)
        con.executemany("INSERT INTO map_pairs VALUES (?, ?, ?, ?)", pairs)
    handoffs = {flows[i]: Passes(cases, times, median, p90)
                for i, times, cases, median, p90 in log.engine.run("map_handoffs")}
    return Weights(
        log=log.path.name, cases=log.cases, events=log.events, steps=steps, handoffs=handoffs,
        not_in_map=not_in_map(acts, matched), never_happen=never_happen(process, matched),
        evidence=evidence(log) if with_evidence else None,
    )


def _groups(
    process: Process, replay: Replay, flows: list[tuple[str, str]]
) -> tuple[list[tuple[int, str]], list[tuple[int, int, str, str]]]:
    """The rows of ``map_watch`` and ``map_pairs`` for the hand-offs ``flows``.

    A hand-off after a decision watches the decision and every step it leads to (one
    group per decision); any other watches its own two steps (one group each).
    """
    watch: set[tuple[int, str]] = set()
    pairs: list[tuple[int, int, str, str]] = []
    decisions: dict[str, int] = {}
    group = 0
    for i, (source, target) in enumerate(flows):
        exclusive = process.steps[source].kind is StepKind.DECISION
        for a in _sources(process, replay, source):
            for b in _targets(replay, target):
                if exclusive or process.steps[a].kind is StepKind.DECISION:
                    if a not in decisions:
                        group += 1
                        decisions[a] = group
                        watch |= {(group, a), *((group, s) for s in replay.follows[a][0])}
                    pairs.append((decisions[a], i, a, b))
                else:
                    group += 1
                    watch |= {(group, a), (group, b)}
                    pairs.append((group, i, a, b))
    return sorted(watch), pairs


def _sources(process: Process, replay: Replay, sid: str) -> set[str]:
    """The matched steps whose work reaches ``sid``: itself, or those before a silent step."""
    if sid in replay.matched:
        return {sid}
    if not replay.silent(sid):
        return set()
    found: set[str] = set()
    seen = {sid}
    todo = deque([sid])
    while todo:
        for before in process.graph.predecessors(todo.popleft()):
            if before in seen:
                continue
            seen.add(before)
            if before in replay.matched:
                found.add(before)
            elif replay.silent(before):
                todo.append(before)
    return found


def _targets(replay: Replay, sid: str) -> set[str]:
    """The matched steps ``sid`` leads to: itself, or those after a silent step."""
    if sid in replay.matched:
        return {sid}
    return replay.closure([sid])[0] if replay.silent(sid) else set()


def sections(weights: Weights) -> list[Section]:
    """What the log adds beside the scorecard: activities and steps that do not meet, the evidence."""
    found = [
        Section("Activities that happen but are not in the map", ["activity", "events", "cases"],
                [[r["activity"], r["events"], r["cases"]] for r in weights.not_in_map]),
        Section("Steps of the map that never happen", ["step", "id"],
                [[r["name"], r["step"]] for r in weights.never_happen]),
    ]
    if weights.evidence is not None:
        found += evidence_sections(weights.evidence)
    return found
