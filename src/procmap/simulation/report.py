"""A run, or a comparison, as titled tables (text and Markdown share them)."""

from __future__ import annotations

import math

from procmap.mining.tables import Section
from procmap.simulation.model import describe_seconds
from procmap.simulation.results import Estimate, SimulationResult
from procmap.simulation.whatif import Comparison, Delta


def time_text(e: Estimate) -> str:
    """``2h 10m ± 4m``."""
    if math.isnan(e.mean):
        return "–"
    text = describe_seconds(e.mean)
    return text if e.half is None else f"{text} ± {describe_seconds(e.half)}"


def number_text(e: Estimate, digits: int = 2) -> str:
    if math.isnan(e.mean):
        return "–"
    text = f"{e.mean:,.{digits}f}"
    return text if e.half is None else f"{text} ± {e.half:,.{digits}f}"


def share_text(e: Estimate) -> str:
    if math.isnan(e.mean):
        return "–"
    text = f"{e.mean:.1%}"
    return text if e.half is None else f"{text} ± {e.half:.1%}"


def run_title(r: SimulationResult) -> str:
    return f"Simulation of {r.title}"


def run_sections(r: SimulationResult) -> list[Section]:
    """The tables of one run, case first, then lanes, then outside in."""
    notes = [f"{r.replications} replications of {r.cases:,} cases each (after {r.warm_up:,} "
             f"warm-up cases), seed {r.seed}; arrivals {r.arrivals}; ± is the 95% confidence "
             "interval over the replications"]
    notes += [f"assumed: {a}" for a in r.assumptions]
    notes += [f"warning: {w}" for w in r.warnings]
    if r.unfinished:
        notes.append(f"warning: {r.unfinished:,} cases did not finish (a join that waits for a "
                     "way that never comes, or a loop)")
    case = Section("Per case", ["measure", "mean", "median", "p90"], [
        ["cycle time", *(time_text(r.cycle[k]) for k in ("mean", "median", "p90"))],
        ["work time", *(time_text(r.work[k]) for k in ("mean", "median", "p90"))],
        ["waiting time", *(time_text(r.waiting[k]) for k in ("mean", "median", "p90"))],
    ], notes)
    other = Section("Load and cost", ["measure", "value"], [
        ["cost per case", number_text(r.cost)],
        ["contacts per case (Moments of Truth)", number_text(r.contacts)],
        ["cases finished per hour", number_text(r.throughput, 3)],
        ["cases in the process (time average)", number_text(r.in_process)],
    ])
    lanes = Section("Lanes", ["lane", "capacity", "utilisation", "queue length", "queue wait",
                              "work per case"], [
        [ln.title + (" (bottleneck)" if ln.id == r.bottleneck else ""),
         (str(ln.capacity) if ln.capacity else "unlimited") + ("" if ln.capacity_given or
                                                               not ln.capacity else " (assumed)"),
         share_text(ln.utilisation) if ln.utilisation else f"{number_text(ln.busy)} busy",
         number_text(ln.queue), time_text(ln.queue_wait), time_text(ln.work_per_case)]
        for ln in r.lanes
    ])
    moments = Section("Moments of Truth: the customer's wait before each", [
        "Moment of Truth", "customer waits", "share of cases"], [
        [m.title, time_text(m.wait), share_text(m.reached)] for m in r.moments
    ], ["the wait runs from the customer's last contact (or the start of the case) to the "
        "start of this one"])
    handoffs = Section("Break Points: the delay at each hand-off", [
        "hand-off", "delay", "per case"], [
        [f"{h.from_lane} → {h.to_lane} ({h.source} → {h.target})", time_text(h.delay),
         number_text(h.count)] for h in r.handoffs
    ], ["the delay runs from the end of the work before to the start of the work after"])
    outcomes = Section("Outcomes: share of cases reaching each", ["outcome", "share of cases"], [
        [name, share_text(e)] for name, e in r.outcomes.values()
    ])
    return [case, other, lanes, moments, handoffs, outcomes]


def _change_text(d: Delta) -> str:
    e = d.change
    if math.isnan(e.mean):
        return "–"
    if d.unit == "time":
        sign = "−" if e.mean < 0 else "+"
        text = f"{sign}{describe_seconds(abs(e.mean))}"
        return text if e.half is None else f"{text} ± {describe_seconds(e.half)}"
    if d.unit == "share":
        text = f"{e.mean:+.1%}".replace("-", "−")
        return text if e.half is None else f"{text} ± {e.half:.1%}"
    text = f"{e.mean:+,.2f}".replace("-", "−")
    return text if e.half is None else f"{text} ± {e.half:,.2f}"


def _value_text(d: Delta, e: Estimate) -> str:
    if d.unit == "time":
        return time_text(e)
    if d.unit == "share":
        return share_text(e)
    return number_text(e)


def _rows(deltas: list[Delta]) -> list[list[object]]:
    return [[d.label, _value_text(d, d.before), _value_text(d, d.after), _change_text(d),
             d.status] for d in deltas]


HEADERS = ["", "as-is", "to-be", "change", ""]


def compare_title(c: Comparison) -> str:
    return f"What-if: {c.before.title} → {c.after.title}"


def compare_sections(c: Comparison) -> list[Section]:
    a = c.before
    notes = [f"both under the same arrivals ({a.arrivals}) and random numbers: "
             f"{a.replications} replications of {a.cases:,} cases, seed {a.seed}; ± is the 95% "
             "confidence interval of the change (paired by replication)"]
    notes += [f"as-is, assumed: {x}" for x in a.assumptions if not x.startswith("arrivals")]
    notes += [f"to-be, assumed: {x}" for x in c.after.assumptions if not x.startswith("arrivals")]
    notes += [f"as-is, warning: {x}" for x in a.warnings]
    notes += [f"to-be, warning: {x}" for x in c.after.warnings]
    mots = [d for d in c.moments]
    counts = {s: sum(d.status == s for d in mots) for s in ("eliminated", "improved", "added")}
    bps = {s: sum(d.status == s for d in c.handoffs) for s in ("eliminated", "improved", "added")}
    return [
        Section("Per case", HEADERS, _rows(c.case), notes),
        Section(f"Moments of Truth: {len(a.moments)} → {len(c.after.moments)} "
                f"({counts['eliminated']} eliminated, {counts['improved']} improved, "
                f"{counts['added']} added)", HEADERS, _rows(c.moments)),
        Section(f"Break Points: {len(a.handoffs)} → {len(c.after.handoffs)} "
                f"({bps['eliminated']} eliminated, {bps['improved']} improved, "
                f"{bps['added']} added)", HEADERS, _rows(c.handoffs)),
        Section("Lanes", HEADERS, _rows(c.lanes),
                [f"bottleneck: {_lane(a, a.bottleneck)} → {_lane(c.after, c.after.bottleneck)}"]),
        Section("Outcomes", HEADERS, _rows(c.outcomes)),
    ]


def _lane(r: SimulationResult, lane: str | None) -> str:
    if lane is None:
        return "none"
    return next((ln.title for ln in r.lanes if ln.id == lane), lane)


DISTANCE_WORDS = {
    "n_gram_distance": "paths: 3-gram distance (0 same, 1 nothing in common)",
    "control_flow_log_distance": "paths, case by case: control-flow log distance (0 same, 1 nothing "
                                 "in common)",
    "absolute_event_distribution_hours": "when events happen: absolute event distribution (hours)",
    "case_arrival_distribution_hours": "when cases arrive: case arrival distribution (hours)",
    "cycle_time_distribution_hours": "how long cases take: cycle time distribution (hours)",
}


def from_log_section(name: str, fitted, measured: dict[str, float]) -> Section:
    """What was taken from the real log, and how far the simulated log is from it."""
    unitless = ("n_gram_distance", "control_flow_log_distance")
    rows = [[DISTANCE_WORDS[k], f"{v:,.3f}" if k in unitless else f"{v:,.1f}"]
            for k, v in measured.items()]
    notes = [f"taken from {name}: {t}" for t in fitted.taken]
    if fitted.people:
        notes.append("people per lane in the log: " + ", ".join(
            f"{lane} {n}" for lane, n in fitted.people.items()))
    notes.append("the first replication's log against the real one, as the log-distance-measures "
                 "package measures them (Wasserstein distances of hourly bins; the control-flow "
                 "distance pairs each case with one of the other log)")
    return Section(f"Simulated against {name}", ["measure", "distance"], rows, notes)
