"""A procmap map as Prosimos runs it: its BPMN export and a Prosimos parameter file.

For the speed comparison in ``simulate.py`` only. The BPMN is procmap's own
export with the customer as a lane (Prosimos simulates one process, not message
flows between pools), its typed tasks (manual, send, receive, …) written as plain
tasks, which is what Prosimos reads. The parameter file (Prosimos 2's JSON)
carries what the map says: the arrivals (exponential gaps), one resource pool
per lane with its capacity, cost and calendar (a lane procmap leaves unlimited
gets ``UNLIMITED`` people), each task's duration distribution and each
decision's branch probabilities. Waits before steps have no place in it, so
the maps compared carry none (``without_waits``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from lxml import etree

from procmap.io.bpmn.writer import export_bpmn
from procmap.model.calendar import DAY
from procmap.model.process import Process
from procmap.simulation.model import UNLIMITED as NO_LIMIT
from procmap.simulation.model import Draw, compile_map

UNLIMITED = 50
"""People given to a lane procmap does not limit (the customer, systems)."""
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
ALWAYS = [{"from": "MONDAY", "to": "SUNDAY", "beginTime": "00:00:00", "endTime": "23:59:59.999999"}]


def without_waits(process: Process) -> Process:
    """The map with no waits before its steps (Prosimos' parameters have none)."""
    steps = {sid: step.model_copy(update={"wait": None}) for sid, step in process.steps.items()}
    return process.model_copy(update={"steps": steps})


def _distribution(draw: Draw | None) -> tuple[str, list[float]]:
    if draw is None:
        return "fix", [0.0]
    big = max(draw.mean, draw.high) * 100 + 1
    if draw.kind == "fixed":
        return "fix", [draw.mean]
    if draw.kind == "exponential":
        return "expon", [draw.mean, 0.0, big]
    if draw.kind in ("uniform", "triangular"):
        return "uniform", [draw.low, draw.high]
    if draw.kind == "normal":
        return "norm", [draw.mean, draw.sd, 0.0, big]
    return "lognorm", [draw.mean, draw.sd**2, 0.0, big]


def _periods(calendar) -> list[dict[str, str]]:
    if calendar is None or calendar.always:
        return ALWAYS
    out = []
    for start, end in zip(calendar.starts, calendar.ends, strict=True):
        day = int(start // DAY)
        a, b = start - day * DAY, min(end - day * DAY, DAY - 0.001)
        out.append({"from": DAYS[day], "to": DAYS[day], "beginTime": _clock(a),
                    "endTime": _clock(b)})
    return out


def _clock(seconds: float) -> str:
    h, rest = divmod(int(seconds), 3600)
    return f"{h:02d}:{rest // 60:02d}:{rest % 60:02d}"


def _one_end(tree) -> None:
    """Prosimos takes one end event: the others' flows go to it through a merge."""
    ends = list(tree.iter(f"{BPMN}endEvent"))
    if len(ends) < 2:
        return
    process = ends[0].getparent()
    merge = etree.SubElement(process, f"{BPMN}exclusiveGateway", id="Merge_ends")
    gone = {e.get("id") for e in ends[1:]}
    for flow in tree.iter(f"{BPMN}sequenceFlow"):
        if flow.get("targetRef") in gone or flow.get("targetRef") == ends[0].get("id"):
            flow.set("targetRef", "Merge_ends")
    etree.SubElement(process, f"{BPMN}sequenceFlow", id="Flow_Merge_ends",
                     sourceRef="Merge_ends", targetRef=ends[0].get("id"))
    for end in ends[1:]:
        end.getparent().remove(end)
    del merge


def write_prosimos_files(process: Process, folder: Path) -> tuple[Path, Path]:
    """Write ``model.bpmn`` and ``parameters.json`` for Prosimos into ``folder``."""
    model = compile_map(process)
    xml = export_bpmn(process, customer_as="lane", diagram=False)
    xml = re.sub(rb"<(/?)bpmn:(manualTask|sendTask|receiveTask|userTask|serviceTask|scriptTask|"
                 rb"businessRuleTask)\b", rb"<\1bpmn:task", xml)
    tree = etree.fromstring(xml)
    _one_end(tree)
    bpmn = folder / "model.bpmn"
    bpmn.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    flows = {f.get("id"): (f.get("sourceRef"), f.get("targetRef"))
             for f in tree.iter(f"{BPMN}sequenceFlow")}
    gateways = {g.get("id") for g in tree.iter(f"{BPMN}exclusiveGateway")}

    def reaches(element: str) -> str:
        """The step a flow leads to, through the exporter's merge gateways."""
        while element in gateways and element not in model.steps:
            element = next(t for s, t in flows.values() if s == element)
        return element

    index = {s: i for i, s in enumerate(model.steps)}
    branching = []
    for i, sid in enumerate(model.steps):
        if not model.cumulative[i]:
            continue
        probs = [b - a for a, b in zip([0.0, *model.cumulative[i][:-1]], model.cumulative[i],
                                       strict=True)]
        by_target = {model.steps[o]: p for o, p in zip(model.successors[i], probs, strict=True)}
        branching.append({"gateway_id": sid, "probabilities": [
            {"path_id": fid, "value": by_target[reaches(t)]}
            for fid, (s, t) in flows.items() if s == sid]})
    pools, calendars, tasks = [], [], []
    for k, lane in enumerate(model.lanes):
        calendars.append({"id": f"calendar-{k}", "name": lane.title,
                          "time_periods": _periods(lane.calendar)})
        pools.append({"id": f"pool-{k}", "name": lane.title, "resource_list": [{
            "id": f"lane-{k}", "name": lane.title, "cost_per_hour": lane.cost,
            "amount": lane.capacity if lane.capacity != NO_LIMIT else UNLIMITED,
            "calendar": f"calendar-{k}", "assignedTasks": [
                s for s in model.steps if model.lane_of[index[s]] == k]}]})
    for element in tree.iter(f"{BPMN}task"):
        sid = element.get("id")
        i = index[sid]
        name, params = _distribution(model.duration[i])
        tasks.append({"task_id": sid, "resources": [{
            "resource_id": f"lane-{model.lane_of[i]}", "distribution_name": name,
            "distribution_params": [{"value": v} for v in params]}]})
    parameters = {
        "resource_profiles": pools,
        "arrival_time_distribution": {"distribution_name": "expon", "distribution_params": [
            {"value": model.arrivals.gap}, {"value": 0.0}, {"value": model.arrivals.gap * 100}]},
        "arrival_time_calendar": _periods(model.arrival_calendar),
        "gateway_branching_probabilities": branching,
        "task_resource_distribution": tasks,
        "resource_calendars": calendars,
        "event_distribution": [],
    }
    params = folder / "parameters.json"
    params.write_text(json.dumps(parameters, indent=2))
    return bpmn, params
