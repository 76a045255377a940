"""A BPMN model with a Prosimos parameter file (JSON), as a map procmap can run.

The BPMN is imported as ``procmap import`` reads it; the parameter file then
sets what Prosimos would use:

* ``arrival_time_distribution``: the arrivals, Poisson with the distribution's
  mean gap (procmap's arrivals are Poisson or fixed), and ``arrival_time_calendar``
  the process's calendar;
* ``task_resource_distribution``: each task's duration, the distribution of its
  first resource (``fix``, ``uniform``, ``norm``, ``expon``, ``lognorm``, ``gamma``
  as lognormal of the same mean and variance), found by the task's BPMN id or its
  name;
* ``gateway_branching_probabilities``: each decision's branch probabilities, by
  the BPMN sequence flows they name;
* ``resource_profiles`` and ``resource_calendars``: each lane's capacity (the
  people who can do its tasks), cost per hour (their mean) and calendar (the most
  common one among them).

Every element or distribution it cannot use is said, with where it is, and
nothing else is guessed silently.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from procmap.errors import ProcmapError
from procmap.model.durations import Timing
from procmap.model.process import Branch, Process, StepKind

DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


class ProsimosError(ProcmapError):
    """A Prosimos parameter file procmap cannot use."""


@dataclass
class ProsimosModel:
    process: Process
    notes: list[str] = field(default_factory=list)


def _params(entry: dict[str, Any], where: str) -> list[float]:
    try:
        return [float(p["value"]) for p in entry["distribution_params"]]
    except (KeyError, TypeError, ValueError):
        raise ProsimosError(f"{where}: distribution_params must be a list of "
                            "{{\"value\": number}}") from None


def timing(entry: dict[str, Any], where: str) -> Timing:
    """A Prosimos distribution as a procmap duration."""
    name = str(entry.get("distribution_name", "")).lower()
    p = _params(entry, where)
    try:
        if name in ("fix", "fixed"):
            return Timing(p[0], "fixed")
        if name in ("expon", "exponential"):
            return Timing(p[0], "exponential")
        if name == "uniform":
            return Timing((p[0] + p[1]) / 2, "uniform", low=p[0], high=p[1])
        if name in ("norm", "normal"):
            return Timing(p[0], "normal", sd=p[1])
        if name in ("lognorm", "gamma"):
            mean, var = p[0], p[1]
            if mean <= 0 or var < 0:
                raise ProsimosError(f"{where}: a {name} distribution needs a mean above zero "
                                    f"and a variance of zero or more, not {mean:g} and {var:g}")
            return Timing(mean, "lognormal", sd=math.sqrt(var)) if var else Timing(mean, "fixed")
    except IndexError:
        raise ProsimosError(f"{where}: too few distribution_params for {name}") from None
    raise ProsimosError(f"{where}: procmap cannot draw from a '{name}' distribution "
                        "(fix, uniform, norm, expon, lognorm and gamma it can)")


def _calendar_text(periods: list[dict[str, Any]], where: str) -> str | None:
    blocks = []
    for k, period in enumerate(periods):
        try:
            a, b = DAYS.index(period["from"]), DAYS.index(period["to"])
            begin, end = period["beginTime"][:5], period["endTime"][:5]
        except (KeyError, ValueError, TypeError):
            raise ProsimosError(f"{where}[{k}]: a time period needs from and to (MONDAY…SUNDAY), "
                                "beginTime and endTime") from None
        if end in ("23:59",):
            end = "24:00"
        days = SHORT[a] if a == b else f"{SHORT[a]}-{SHORT[b]}"
        blocks.append(f"{days} {begin}-{end}")
    if not blocks:
        return None
    text = "; ".join(blocks)
    if text == "Mon-Sun 00:00-24:00":
        return None
    from procmap.model.calendar import parse_calendar

    try:
        parse_calendar(text)
    except ValueError as exc:
        raise ProsimosError(f"{where}: {text!r} {exc}") from None
    return text


def _flows(bpmn: bytes) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Sequence flow id → the element it leads to; element → the elements after it."""
    from procmap.io.bpmn.reader import parse_xml

    root = parse_xml(bpmn, "<bpmn>")
    targets: dict[str, str] = {}
    after: dict[str, list[str]] = {}
    for f in root.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        targets[f.get("id")] = f.get("targetRef")
        after.setdefault(f.get("sourceRef"), []).append(f.get("targetRef"))
    return targets, after


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def read_prosimos(bpmn_path: str | os.PathLike[str], json_path: str | os.PathLike[str]
                  ) -> ProsimosModel:
    """The BPMN model with the Prosimos parameters set on it."""
    from procmap.io.bpmn.reader import read_bpmn
    from procmap.io.yaml_loader import read_capped

    imported = read_bpmn(bpmn_path)
    process = imported.process
    name = os.path.basename(str(json_path))
    try:
        params = json.loads(read_capped(json_path, 64 * 1024 * 1024, "a parameter file",
                                        noun="a parameter file"))
    except json.JSONDecodeError as exc:
        raise ProsimosError(f"{name}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    if not isinstance(params, dict):
        raise ProsimosError(f"{name}: not a Prosimos parameter file (a JSON object)")
    notes: list[str] = [f"read from {name}"]
    by_bpmn = {s.bpmn_id or sid: sid for sid, s in process.steps.items()}
    by_name = {_key(s.name or ""): sid for sid, s in process.steps.items()}

    def step_of(key: str) -> str | None:
        return by_bpmn.get(key) or by_name.get(_key(key)) or (
            key if key in process.steps else None)

    steps = dict(process.steps)
    resources: dict[str, dict[str, Any]] = {}
    for pool in params.get("resource_profiles", []):
        for r in pool.get("resource_list", []):
            resources[r["id"]] = r
    lane_people: dict[str, set[str]] = {}
    unknown: list[str] = []
    for k, task in enumerate(params.get("task_resource_distribution", [])):
        where = f"{name}: task_resource_distribution[{k}]"
        sid = step_of(str(task.get("task_id", "")))
        if sid is None:
            unknown.append(str(task.get("task_id")))
            continue
        choices = task.get("resources") or []
        if not choices:
            continue
        steps[sid] = steps[sid].model_copy(update={"duration": timing(choices[0], where)})
        lane_people.setdefault(steps[sid].actor, set()).update(
            c["resource_id"] for c in choices if "resource_id" in c)
    if unknown:
        notes.append(f"{len(unknown)} tasks of the parameter file are not in the BPMN model, "
                     f"left out: {', '.join(unknown[:3])}")

    flows, after = _flows(read_capped(bpmn_path, 64 * 1024 * 1024, "a BPMN file",
                                      noun="a BPMN file"))

    def reached(element: str, depth: int = 0) -> str | None:
        """The step an element is, or leads to alone (through elements the import merged)."""
        found = step_of(element)
        if found is not None or depth > 20:
            return found
        nxt = after.get(element, [])
        return reached(nxt[0], depth + 1) if len(nxt) == 1 else None

    for k, gateway in enumerate(params.get("gateway_branching_probabilities", [])):
        sid = step_of(str(gateway.get("gateway_id", "")))
        if sid is None or steps[sid].kind is not StepKind.DECISION:
            continue
        shares: dict[str, float] = {}
        for p in gateway.get("probabilities", []):
            target = reached(str(flows.get(p.get("path_id"), "")))
            if target is not None and "value" in p:
                shares[target] = shares.get(target, 0.0) + float(p["value"])
        step = steps[sid]
        if set(shares) >= {b.to for b in step.branches.values()}:
            steps[sid] = step.model_copy(update={"branches": {
                label: Branch(to=b.to, probability=round(shares[b.to], 6))
                for label, b in step.branches.items()}})
        else:
            notes.append(f"{name}: gateway_branching_probabilities[{k}] names flows that do not "
                         f"lead to the branches of '{process.step_title(sid)}': split evenly")

    calendars = {c["id"]: _calendar_text(c.get("time_periods", []),
                                         f"{name}: resource_calendars '{c['id']}'")
                 for c in params.get("resource_calendars", [])}
    actors = dict(process.actors)
    for actor_id, people in lane_people.items():
        known = [resources[r] for r in people if r in resources]
        if not known or actor_id not in actors:
            continue
        capacity = sum(int(r.get("amount", 1)) for r in known)
        cost = sum(float(r.get("cost_per_hour", 0)) for r in known) / len(known)
        common = Counter(r.get("calendar") for r in known).most_common(1)[0][0]
        actors[actor_id] = actors[actor_id].model_copy(update={
            "capacity": capacity, "cost": cost, "calendar": calendars.get(common)})
        notes.append(f"{process.actor_title(actor_id)}: {capacity} people, "
                     f"{cost:g} an hour, calendar {calendars.get(common) or '24/7'}")
    update: dict[str, Any] = {"steps": steps, "actors": actors}
    arrival = params.get("arrival_time_distribution")
    if arrival:
        gap = timing(arrival, f"{name}: arrival_time_distribution").total_seconds()
        update["arrivals"] = f"every {gap:.3f}s"
        if arrival.get("distribution_name") not in ("expon", "exponential"):
            notes.append(f"arrivals: Poisson with the mean gap of the file's "
                         f"{arrival.get('distribution_name')} distribution ({gap:.0f}s)")
    if params.get("arrival_time_calendar"):
        update["calendar"] = _calendar_text(params["arrival_time_calendar"],
                                            f"{name}: arrival_time_calendar")
    fitted = process.model_copy(update=update)
    fitted.__dict__.pop("graph", None)
    fitted.__dict__.pop("flows", None)
    return ProsimosModel(fitted, notes)
