"""As-is against to-be under the same load: the differences with their intervals.

Both maps ran with the same seeds, replication by replication, so each
difference is measured per replication (to-be minus as-is) and its interval
is Student's t over those paired differences: common random numbers make it
narrower than two separate runs would. The words are ``diff``'s: a Moment of
Truth or Break Point the to-be map no longer has is *eliminated*, a new one
*added*, one that is still there *improved* or *worsened* by its wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from procmap.simulation.results import Estimate, SimulationResult, _stat


@dataclass
class Delta:
    label: str
    before: Estimate
    after: Estimate
    change: Estimate
    """to-be minus as-is, paired by replication."""
    unit: str
    """"time" (seconds), "money", "count" or "share"."""
    status: str = ""

    def to_dict(self) -> dict[str, Any]:
        scale = 3600.0 if self.unit == "time" else 1.0
        return {"label": self.label, "status": self.status or None, "unit":
                "hours" if self.unit == "time" else self.unit,
                "before": self.before.to_dict(scale), "after": self.after.to_dict(scale),
                "change": self.change.to_dict(scale)}


@dataclass
class Comparison:
    before: SimulationResult
    after: SimulationResult
    case: list[Delta]
    lanes: list[Delta]
    moments: list[Delta]
    handoffs: list[Delta]
    outcomes: list[Delta]

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_is": self.before.process, "to_be": self.after.process,
            "replications": self.before.replications, "cases": self.before.cases,
            "seed": self.before.seed, "arrivals": self.before.arrivals,
            "per_case": [d.to_dict() for d in self.case],
            "lanes": [d.to_dict() for d in self.lanes],
            "moments_of_truth": [d.to_dict() for d in self.moments],
            "break_points": [d.to_dict() for d in self.handoffs],
            "outcomes": [d.to_dict() for d in self.outcomes],
            "as_is_run": self.before.to_dict(), "to_be_run": self.after.to_dict(),
        }


def _paired(before: list[float], after: list[float]) -> Estimate:
    return Estimate.of([b - a for a, b in zip(before, after, strict=True)])


def _per_rep(result: SimulationResult, get) -> list[float]:
    return [get(r) for r in result.replication_data]


def _share(num: float, den: float) -> float:
    return num / den if den else float("nan")


def _status(change: Estimate, lower_is_better: bool = True) -> str:
    if change.half is not None and abs(change.mean) <= change.half:
        return "about the same"
    better = change.mean < 0 if lower_is_better else change.mean > 0
    return "improved" if better else "worsened"


def compare_results(before: SimulationResult, after: SimulationResult) -> Comparison:
    """The differences between two runs made with the same seeds and replications."""

    def delta(label: str, get, unit: str, lower_is_better: bool = True) -> Delta:
        a, b = _per_rep(before, get), _per_rep(after, get)
        change = _paired(a, b)
        return Delta(label, Estimate.of(a), Estimate.of(b), change, unit,
                     _status(change, lower_is_better))

    case = [
        delta("cycle time (mean)", lambda r: _stat(r.cycle, "mean"), "time"),
        delta("cycle time (median)", lambda r: _stat(r.cycle, "median"), "time"),
        delta("cycle time (p90)", lambda r: _stat(r.cycle, "p90"), "time"),
        delta("work time (mean)", lambda r: _stat(r.work, "mean"), "time"),
        delta("waiting time (mean)", lambda r: _stat(r.waiting, "mean"), "time"),
        delta("cost per case", lambda r: _stat(r.cost, "mean"), "money"),
        delta("contacts per case", lambda r: _stat(r.contacts, "mean"), "count"),
    ]

    lanes = []
    before_lanes = {ln.id: (k, ln) for k, ln in enumerate(before.model.lanes)}  # type: ignore[attr-defined]
    after_lanes = {ln.id: (k, ln) for k, ln in enumerate(after.model.lanes)}  # type: ignore[attr-defined]
    nothing = Estimate(float("nan"), None)
    for lane_id in dict.fromkeys([*before_lanes, *after_lanes]):
        ka, la = before_lanes.get(lane_id, (None, None))
        kb, lb = after_lanes.get(lane_id, (None, None))
        if (la is None or la.work_per_case == 0) and (lb is None or lb.work_per_case == 0):
            continue
        title = (lb or la).title
        work = [_per_rep(res, lambda r, k=k: _share(r.lane_work[k], len(r.cycle)))
                if k is not None else None for res, k in ((before, ka), (after, kb))]
        if la is None or lb is None:
            values = work[0] if la is not None else work[1]
            gone = la is not None
            lanes.append(Delta(f"{title}: work per case",
                               Estimate.of(values) if gone else nothing,
                               nothing if gone else Estimate.of(values),
                               Estimate.of([-x for x in values] if gone else values), "time",
                               "eliminated" if gone else "added"))
            continue
        if la.capacity or lb.capacity:
            a = _per_rep(before, lambda r, k=ka: _share(r.lane_wait[k], r.lane_starts[k]))
            b = _per_rep(after, lambda r, k=kb: _share(r.lane_wait[k], r.lane_starts[k]))
            change = _paired(a, b)
            lanes.append(Delta(f"{title}: queue wait", Estimate.of(a), Estimate.of(b), change,
                               "time", _status(change)))
        change = _paired(work[0], work[1])
        lanes.append(Delta(f"{title}: work per case", Estimate.of(work[0]), Estimate.of(work[1]),
                           change, "time", _status(change)))

    moments = _points(
        before, after,
        {m.step: m for m in before.moments}, {m.step: m for m in after.moments},
        lambda res, key: res.model.moments.index(res.model.steps.index(key)),  # type: ignore[attr-defined]
        lambda r, k: _share(r.moment_wait[k], r.moment_visits[k]),
        lambda m: f"customer's wait before '{m.title}'",
    )
    handoffs = _points(
        before, after,
        {(h.source, h.target): h for h in before.handoffs},
        {(h.source, h.target): h for h in after.handoffs},
        lambda res, key: [(h.source, h.target) for h in res.handoffs].index(key),
        lambda r, k: _share(r.handoff_delay[k], r.handoff_count[k]),
        lambda h: f"delay at the hand-off {h.from_lane} → {h.to_lane} ({h.source} → {h.target})",
        lambda old, new: (f"delay at the hand-off {old.from_lane} → {old.to_lane}, now "
                          f"{new.from_lane} → {new.to_lane} ({new.source} → {new.target})"
                          if (old.from_lane, old.to_lane) != (new.from_lane, new.to_lane)
                          else None),
    )
    outcomes = []
    for key in dict.fromkeys([*before.outcomes, *after.outcomes]):
        ka = list(before.outcomes).index(key) if key in before.outcomes else None
        kb = list(after.outcomes).index(key) if key in after.outcomes else None
        a = _per_rep(before, lambda r, k=ka: 0.0 if k is None else _share(r.outcome_cases[k], len(r.cycle)))
        b = _per_rep(after, lambda r, k=kb: 0.0 if k is None else _share(r.outcome_cases[k], len(r.cycle)))
        name = (after.outcomes.get(key) or before.outcomes[key])[0]
        change = _paired(a, b)
        same = change.half is not None and abs(change.mean) <= change.half
        outcomes.append(Delta(f"cases reaching '{name}'", Estimate.of(a), Estimate.of(b), change,
                              "share", "about the same" if same else
                              "more cases" if change.mean > 0 else "fewer cases"))
    return Comparison(before, after, case, lanes, moments, handoffs, outcomes)


def _points(before: SimulationResult, after: SimulationResult, old: dict, new: dict,
            number, get, label, relabel=None) -> list[Delta]:
    out = []
    for key in dict.fromkeys([*old, *new]):
        point = new.get(key) or old[key]
        if key in old and key in new:
            ka, kb = number(before, key), number(after, key)
            a = _per_rep(before, lambda r, k=ka: get(r, k))
            b = _per_rep(after, lambda r, k=kb: get(r, k))
            change = _paired(a, b)
            words = (relabel(old[key], new[key]) if relabel else None) or label(point)
            out.append(Delta(words, Estimate.of(a), Estimate.of(b), change, "time",
                             _status(change)))
        elif key in old:
            ka = number(before, key)
            a = _per_rep(before, lambda r, k=ka: get(r, k))
            out.append(Delta(label(point), Estimate.of(a), Estimate(float("nan"), None),
                             Estimate.of([-x for x in a]), "time", "eliminated"))
        else:
            kb = number(after, key)
            b = _per_rep(after, lambda r, k=kb: get(r, k))
            out.append(Delta(label(point), Estimate(float("nan"), None), Estimate.of(b),
                             Estimate.of(b), "time", "added"))
    return out
