"""The as-is map of a log: its directly-follows structure as an ordinary procmap map.

Lanes become actors (one ``team`` actor when the log has no lanes), activities
steps in the lane where they happen most, directly-follows pairs flows. A step
followed by more than one step becomes a decision whose branch probabilities are
the shares of what really came next. Waits (median before a step) go in ``wait``;
counts and the 90th percentile in each ``note``. Each lane where cases end
gets its own end step, so that ending is no hand-off; when cases begin with
different activities, a decision after the start says which (several ``then``
would mean all of them, in parallel). Self-loops (an activity repeated straight
away) cannot be drawn as a flow; the step's note counts them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from procmap.mining import stats
from procmap.mining.read import EventLog
from procmap.model.durations import describe_duration
from procmap.model.names import slug
from procmap.model.process import Actor, ActorKind, Branch, Outcome, Process, Step, StepKind

START, FIRST, END = "start", "first-activity", "end"
OUTCOME, CUSTOMER, TEAM = "case-completed", "customer", "team"
TOP_VARIANTS = 5


@dataclass
class Discovery:
    """The discovered map and what it was built from."""

    process: Process
    variants: list[stats.Variant]
    kept_variants: int
    kept_cases: int
    total_cases: int


def _map_id(text: str) -> str:
    """A map id from a name: ``T02 Check receipt`` → ``t02-check-receipt``."""
    return slug(text, keep="_.:") or "step"



def _unique_ids(names: list[str], taken: set[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for name in names:
        base = candidate = _map_id(name)
        n = 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        ids[name] = candidate
    return ids


def seconds(value: float | None) -> str:
    """A wait in seconds for people to read (``2d 3h``); ``-`` when unknown."""
    if value is None:
        return "-"
    sign = "-" if value < 0 else ""
    return sign + describe_duration(timedelta(seconds=abs(value)))


def _wait(value: float | None) -> timedelta | None:
    """The map's ``wait``: whole minutes (whole seconds under an hour), never negative."""
    if value is None or value <= 0:
        return None
    step = 60 if value >= 3600 else 1
    return timedelta(seconds=round(value / step) * step) or None


def _shares(counts: dict[str, int]) -> dict[str, float]:
    """Shares rounded to 3 decimals that add up to exactly 1 (largest remainder)."""
    total = sum(counts.values())
    raw = {k: 1000 * v / total for k, v in counts.items()}
    floors = {k: int(v) for k, v in raw.items()}
    short = 1000 - sum(floors.values())
    for k in sorted(raw, key=lambda k: (floors[k] - raw[k], k))[:short]:
        floors[k] += 1
    return {k: floors[k] / 1000 for k in counts}


def discover(log: EventLog, *, coverage: float = 1.0, name: str | None = None) -> Discovery:
    """The as-is map of ``log``, from the variants that cover ``coverage`` of its cases."""
    stats.prepare(log)
    variants = stats.variants(log)
    kept_variants, kept_cases = len(variants), log.cases
    if coverage < 1.0:
        kept_variants, kept_cases = stats.keep_coverage(log, coverage)
    pairs = stats.directly_follows(log)
    acts = stats.activities(log)
    ends = stats.endpoints(log)
    process = _build(log, acts, pairs, ends, variants, kept_variants, kept_cases, name)
    return Discovery(process, variants, kept_variants, kept_cases, log.cases)


def _build(log, acts, pairs, ends, variants, kept_variants, kept_cases, name) -> Process:
    lanes = sorted({a.lane for a in acts if a.lane is not None})
    actor_ids = _unique_ids(lanes, {CUSTOMER, TEAM})
    actors = {actor_ids[lane]: Actor(kind=ActorKind.TEAM, name=lane) for lane in lanes}
    if not lanes or any(a.lane is None for a in acts):
        actors[TEAM] = Actor(kind=ActorKind.TEAM, name="Team" if not lanes else "No lane in the log")
    if any(a.customer for a in acts):
        actors = {CUSTOMER: Actor(kind=ActorKind.CUSTOMER, name="Customer"), **actors}
    step_ids = _unique_ids([a.name for a in acts], {START, FIRST, END, *(f"{END}-{a}" for a in actors)})
    lane_of = {a.name: actor_ids.get(a.lane, TEAM) if a.lane else TEAM for a in acts}

    following: dict[str, dict[str, int]] = defaultdict(dict)
    repeats: dict[str, int] = {}
    for p in pairs:
        if p.source == p.target:
            repeats[p.source] = p.frequency
        else:
            following[step_ids[p.source]][step_ids[p.target]] = p.frequency
    end_lanes = sorted({lane_of[a] for a in ends["end"]})
    end_ids = {lane: END if len(end_lanes) == 1 else f"{END}-{lane}" for lane in end_lanes}
    for activity, cases in ends["end"].items():
        following[step_ids[activity]][end_ids[lane_of[activity]]] = cases

    steps: dict[str, Step] = {}
    starts = {step_ids[a]: n for a, n in ends["start"].items()}
    first = lane_of[max(ends["start"], key=ends["start"].get)]
    note = "first activity: " + _counted(starts, kept_cases)
    if len(starts) == 1:
        steps[START] = Step(name="Case starts", actor=first, kind=StepKind.START,
                            then=tuple(starts), note=note)
    else:  # several then: would mean all of them, in parallel: one of them is a decision
        steps[START] = Step(name="Case starts", actor=first, kind=StepKind.START, then=(FIRST,))
        shares = _shares(starts)
        steps[FIRST] = Step(
            name="First activity", actor=first, kind=StepKind.DECISION, note=note,
            branches={t: Branch(to=t, probability=shares[t]) for t in sorted(starts, key=lambda t: -starts[t])},
        )
    for a in acts:
        sid = step_ids[a.name]
        out = following.get(sid, {})
        note = f"{a.events} events in {a.cases} cases; wait before it: median {seconds(a.median_wait)}, p90 {seconds(a.p90_wait)}"
        if a.name in repeats:
            note += f"; repeated straight after itself {repeats[a.name]} times"
        fields: dict = {"name": a.name, "actor": lane_of[a.name], "wait": _wait(a.median_wait)}
        if a.customer:
            fields["with_"] = (CUSTOMER,)
        if len(out) > 1:
            note += "; next: " + _counted(out, sum(out.values()))
            shares = _shares(out)
            fields["kind"] = StepKind.DECISION
            fields["branches"] = {t: Branch(to=t, probability=shares[t]) for t in sorted(out, key=lambda t: -out[t])}
        else:
            fields["then"] = tuple(out)
        steps[sid] = Step(note=note, **fields)
    for lane, sid in end_ids.items():  # one end per lane, so that ending is no hand-off
        steps[sid] = Step(name="Case ends", actor=lane, kind=StepKind.END, delivers=(OUTCOME,))
    return Process(
        procmap=1,
        process=_map_id(name or log.path.name.split(".")[0]),
        name=f"As-is: {name or log.path.name}",
        note=_process_note(log, variants, kept_variants, kept_cases),
        actors=actors,
        outcomes={OUTCOME: Outcome(name="Case completed")},
        steps=steps,
    )


def _counted(counts: dict[str, int], total: int) -> str:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{k} {n} ({100 * n / total:.0f}%)" for k, n in ordered)


def _cases(n: int) -> str:
    return f"{n} case" if n == 1 else f"{n} cases"


def _process_note(log: EventLog, variants, kept_variants: int, kept_cases: int) -> str:
    lines = [
        f"Discovered from {log.path.name}: {log.cases} cases, {log.events} events, "
        f"{len(variants)} variants.",
    ]
    if log.columns.transitions:
        lines[0] += (f" Only the events of lifecycle {', '.join(log.columns.transitions)}; "
                     f"{log.other_transitions} others left out.")
    if kept_cases < log.cases:
        lines.append(
            f"Drawn from the {kept_variants} most frequent variants: {kept_cases} cases "
            f"({100 * kept_cases / log.cases:.0f}%)."
        )
    lines.append("Most frequent variants:")
    for i, v in enumerate(variants[:TOP_VARIANTS], 1):
        path = " → ".join(v.activities[:12]) + (" → …" if len(v.activities) > 12 else "")
        lines.append(f"{i}. {_cases(v.cases)} ({100 * v.cases / log.cases:.1f}%): {path}")
    return "\n".join(lines)
