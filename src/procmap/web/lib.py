"""The web package's one adapter to procmap's internals.

Everything the server needs from procmap goes through here: the public API
(``import procmap``) for loading, checking, analysing, merging, comparing and
drawing maps, and the few internal pieces that are not public yet (the source
map of a YAML text, the scorecard as JSON, the merge report as data). When
procmap's modules move, this is the only file of ``procmap.web`` to change.
The server never computes the method itself: it calls these.
"""

from __future__ import annotations

import functools
import gc
import logging
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

import procmap

FORMATS = {
    "yaml": ("application/yaml", "yaml"),
    "bpmn": ("application/xml", "bpmn"),
    "svg": ("image/svg+xml", "svg"),
    "png": ("image/png", "png"),
    "html": ("text/html; charset=utf-8", "html"),
}
"""Download format → (media type, file suffix)."""


@dataclass
class Loaded:
    """A map text that loaded: the process and where its elements stand."""

    process: Any
    source: Any


def load(text: str, file: str) -> Loaded:
    """Load YAML text; raises ``procmap.LoadError`` with every located problem."""
    from procmap.io.yaml_loader import parse

    process, source = parse(text, file)
    return Loaded(process, source)


LOADS_KEPT = 4
_loads: deque[tuple[str, list[str], Loaded, dict[int, str]]] = deque(maxlen=LOADS_KEPT)
_loads_lock = threading.Lock()


def load_edited(text: str, file: str) -> Loaded:
    """:func:`load`, quicker for what the editor sends while a name is typed: a text that
    differs from one loaded a moment ago in one line, a step's one-line ``name``, is that map
    with the step renamed (the name read and checked as the loader reads and checks it; the
    source map the same, no line having moved). Any other text is loaded afresh."""
    if any(b in text for b in _OTHER_BREAKS):
        return load(text, file)
    lines = text.split("\n")
    with _loads_lock:
        recent = list(_loads)
    again = None
    for old_text, old_lines, old, names in reversed(recent):
        if old.source.file == file:
            again = old if old_text == text else _renamed(old_lines, lines, old, names)
            if again is not None:
                break
    if again is None:
        again = load(text, file)
    if not recent or recent[-1][0] != text:
        names = {marks[2]: path[1] for path, marks in again.source.marks.items()
                 if len(path) == 3 and path[0] == "steps" and path[2] == "name"
                 and marks[0] == marks[2]}
        with _loads_lock:
            _loads.append((text, lines, again, names))
    return again


_PLAIN_START = frozenset("|>&*!%@`#")
"""How a YAML value may start that makes it more than a one-line string (a block, an anchor,
an alias, a tag, a directive, a comment): such a name is loaded afresh."""
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
"""Line breaks of YAML besides ``\\n``: a text holding one is loaded afresh (its lines are
not the ones counted here)."""


def _renamed(old_lines: list[str], lines: list[str], old: Loaded,
             names: dict[int, str]) -> Loaded | None:
    """``old`` with one step renamed, when ``lines`` differ from ``old_lines`` only in that
    step's one-line name; else None."""
    from pydantic import ValidationError

    from procmap.io.yaml_loader import compose

    if len(lines) != len(old_lines):
        return None
    changed = [i for i, (a, b) in enumerate(zip(old_lines, lines, strict=True)) if a != b]
    if len(changed) != 1 or changed[0] + 1 not in names:
        return None
    i = changed[0]
    was, now = old_lines[i], lines[i]
    head = was[: len(was) - len(was.lstrip())] + "name: "
    if not (was.startswith(head) and now.startswith(head)):
        return None
    value = now[len(head):]
    if not value.strip() or value.lstrip()[0] in _PLAIN_START or any(b in value for b in _OTHER_BREAKS):
        return None
    try:  # the value read as the loader reads it, checked as the model checks a name
        read, _, errors = compose("name: " + value + "\n", old.source.file)
        if errors or not isinstance(read, dict) or list(read) != ["name"] or not isinstance(read["name"], str):
            return None
        name = _text().validate_python(read["name"])
    except (procmap.LoadError, ValidationError):
        return None
    sid = names[i + 1]
    process = old.process
    steps = dict(process.steps)
    steps[sid] = _fresh(steps[sid].model_copy(update={"name": name}))
    return Loaded(_fresh(process.model_copy(update={"steps": steps})), old.source)


@functools.cache
def _text() -> Any:
    from pydantic import TypeAdapter

    from procmap.model.process import Text

    return TypeAdapter(Text)


def _fresh(model: Any) -> Any:
    """A model copy without what its original had worked out and kept (cached properties)."""
    for key in [k for k in model.__dict__ if k not in type(model).model_fields]:
        del model.__dict__[key]
    return model


def errors_of(exc: Exception) -> list[dict[str, Any]]:
    """The located errors of a load error (file, line, column, element, message, hint, text)."""
    if isinstance(exc, procmap.LoadError):
        return [e.to_dict() for e in exc.errors]
    return [{"file": None, "line": None, "column": None, "element": None,
             "message": str(exc), "hint": None, "text": str(exc)}]


def try_load(text: str, file: str) -> tuple[Loaded | None, list[dict[str, Any]]]:
    """The loaded map, or ``None`` and its located errors."""
    try:
        return load(text, file), []
    except procmap.LoadError as exc:
        return None, errors_of(exc)
    except (ValueError, TypeError, RecursionError) as exc:  # defensive: never a 500 on a text
        return None, errors_of(exc)


def try_load_edited(text: str, file: str) -> tuple[Loaded | None, list[dict[str, Any]]]:
    """:func:`try_load` by :func:`load_edited`."""
    try:
        return load_edited(text, file), []
    except procmap.LoadError as exc:
        return None, errors_of(exc)
    except (ValueError, TypeError, RecursionError) as exc:
        return None, errors_of(exc)


def analysis(loaded: Loaded, *, svg: bool = True) -> dict[str, Any]:
    """The scorecard (procmap's JSON), the findings and the swimlane SVG of a loaded map."""
    from procmap.output.scorecard_formats import scorecard_json

    findings = procmap.check([(loaded.process, loaded.source)])
    card = procmap.analyze(loaded.process, source=loaded.source, findings=findings)
    data: dict[str, Any] = {
        "scorecard": scorecard_json(card),
        "findings": [f.to_dict() for f in findings],
    }
    if svg:
        data["svg"] = procmap.render(loaded.process, "svg", findings=findings)
    return data


def preview_analysis(loaded: Loaded) -> dict[str, Any]:
    """What the editor shows while one types, each computed once: the scorecard's counts, the
    findings and the swimlane SVG badged with them (not the whole scorecard as JSON), the SVG
    also in its parts (``drawing``)."""
    from procmap.diagram.svg import RenderOptions, drawing

    _lend_measures(loaded.process)
    findings = procmap.check([(loaded.process, loaded.source)])
    card = procmap.analyze(loaded.process, source=loaded.source, findings=findings)
    drawn = drawing(loaded.process, RenderOptions(findings=findings), _layout(loaded.process))
    return {"counts": dict(card.counts), "findings": [f.to_dict() for f in findings],
            "svg": drawn.text, "drawing": drawn}


WARM_MAP = """procmap: 1
process: warm-up
actors: {customer: {kind: customer}, team: {kind: team}}
steps:
  ask: {actor: customer, name: Ask for it, channel: web, then: [decide]}
  decide: {actor: team, name: Decide, kind: decision, rule: Orders over 5k, branches: {yes: do, no: ask}}
  do: {actor: team, name: Do it, duration: 1h}
"""


def settle_heap() -> None:
    """For a server about to answer: one preview of a small map, so that everything procmap
    draws on is imported and opened (the rules, the layout, the fonts that measure labels),
    then Python's garbage collector leaves what is in memory (tens of thousands of objects that
    live as long as the server) out of its full collections. Those then take a few
    milliseconds instead of tens and do not stop a keystroke's answer; what is allocated later
    is collected as before."""
    try:
        preview_analysis(load(WARM_MAP, "warm-up.yaml"))
    except Exception:  # noqa: BLE001 - warming up must never keep the server from starting
        logging.getLogger(__name__).exception("the editor's warm-up preview failed")
    gc.collect()
    gc.freeze()


LAYOUTS_KEPT = 8
_laid_out: deque[tuple[Any, Any]] = deque(maxlen=LAYOUTS_KEPT)
_laid_out_lock = threading.Lock()


def _layout(process: Any) -> Any:
    """procmap's swimlane layout of ``process``; a map drawn a moment ago that differs only in
    step names keeping their shapes (a name being typed) lends its layout, relabelled: the same
    layout, number for number, without laying the map out again."""
    from procmap.layout import layout, relabel

    with _laid_out_lock:
        recent = list(_laid_out)
    for before, lay in reversed(recent):
        if before.process == process.process and len(before.steps) == len(process.steps):
            again = relabel(lay, before, process)
            if again is not None:
                break
    else:
        # the editor's lanes stay in the order the participants put them (they reorder
        # them by hand); the lane order that crosses least is for drawings of finished maps
        again = layout(process, keep_lane_order=True)
    with _laid_out_lock:
        if len(_laid_out) == LAYOUTS_KEPT:
            _let_go(_laid_out.popleft()[0])
        _laid_out.append((process, again))
    return again


def _let_go(process: Any) -> None:
    """Drop a map's flow graph, which points back at the map: the map and all it holds are then
    freed the moment the last reference goes, not left for Python's full garbage collection
    (which, every few dozen keystrokes, would stop the server for a tenth of a second to find
    them). Asked for again, the graph is built anew."""
    process.__dict__.pop("graph", None)


NAME_FREE_MEASURES = frozenset({
    "acyclic_order", "work_flows", "finishing", "reachable_from", "reaching", "dominators",
    "split_points", "post_dominators", "stalled_joins", "moments_of_truth", "break_points",
    "business_rules", "risk", "cycle_time"})
"""What procmap derives once per map from its flows, actors, kinds, durations, waits and
failure rates, never from a step's name (the keys of ``process.graph.memo``): the graph's
orders and dominators, the points, failure risk and cycle time."""


def renamed_only(before: Any, after: Any) -> bool:
    """Whether ``after`` is ``before`` with nothing changed but step names."""
    if before is after:
        return True
    if list(before.steps) != list(after.steps) or any(
            getattr(before, f) != getattr(after, f) for f in type(after).model_fields if f != "steps"):
        return False
    for sid, new in after.steps.items():
        old = before.steps[sid]
        if old != new and old.model_copy(update={"name": new.name}) != new:
            return False
    return True


def _lend_measures(process: Any) -> None:
    """A map drawn a moment ago that differs from ``process`` only in step names (a name being
    typed) lends it what procmap derived from its structure (:data:`NAME_FREE_MEASURES`), so
    the rules and the scorecard do not compute the same risk, cycle time and dominators again;
    the rules themselves all run, on the new names."""
    with _laid_out_lock:
        recent = list(_laid_out)
    for before, _ in reversed(recent):
        if before.process == process.process and len(before.steps) == len(process.steps) \
                and renamed_only(before, process):
            lent = {key: value for key, value in dict(before.graph.memo).items()
                    if (key[0] if isinstance(key, tuple) else key) in NAME_FREE_MEASURES}
            process.graph.memo.update(lent)
            return


def counts(loaded: Loaded) -> dict[str, int]:
    """The derived columns of a version: steps, Moments of Truth, Break Points, Business Rules."""
    card = procmap.analyze(loaded.process, source=loaded.source)
    return {
        "steps": len(loaded.process.steps),
        "moments_of_truth": int(card.counts.get("moments_of_truth", 0)),
        "break_points": int(card.counts.get("break_points", 0)),
        "business_rules": int(card.counts.get("business_rules", 0)),
    }


def describe(loaded: Loaded) -> dict[str, Any]:
    """The catalog fields of a map: its id (the process key), name, level, owner, part-of."""
    p = loaded.process
    return {"key": p.process, "name": p.name or p.process, "level": p.level,
            "owner": p.owner, "part_of": p.part_of}


def dumps(loaded: Loaded) -> str:
    """The map as YAML text."""
    return procmap.dumps(loaded.process)


def empty_map(key: str, name: str) -> str:
    """The YAML of a map with nothing drawn yet (it does not load until steps are added)."""
    import json

    return f"procmap: 1\nprocess: {json.dumps(key)}\nname: {json.dumps(name)}\nactors: {{}}\nsteps: {{}}\n"


def bpmn_to_yaml(data: bytes, file: str) -> tuple[str, list[dict[str, Any]]]:
    """A BPMN upload as map YAML and the importer's warnings; raises ``procmap.LoadError``."""
    result = procmap.read_bpmn_bytes(data, file=file)
    return procmap.dumps(result.process), [w.to_dict() for w in result.warnings]


def merge(drafts: list[tuple[str, Loaded]]) -> tuple[str, dict[str, Any]]:
    """procmap's merge of the participants' maps: the merged YAML and the agreement report."""
    from procmap.workshop.merge import Participant, report_data

    result = procmap.merge([Participant(name, loaded.process) for name, loaded in drafts])
    report = report_data(result)
    report["matched"] = {name: dict(steps) for name, steps in result.matched.items()}
    return procmap.dumps(result.process), report


CHOOSABLE = ("channel", "duration", "wait", "fails")
"""Step fields whose conflict can be settled by taking one participant's value."""


def choose(merged_text: str, draft_text: str, merged_step: str, their_step: str,
           field: str) -> str:
    """The merged map with one step field as a participant drew it (absent if they gave none).

    Raises ``procmap.LoadError`` when either map does not load or the result would not."""
    import yaml

    load(merged_text, "merged.yaml")
    load(draft_text, "draft.yaml")
    merged = yaml.safe_load(merged_text)
    theirs = yaml.safe_load(draft_text)
    step = merged["steps"][merged_step]
    value = (theirs.get("steps") or {}).get(their_step, {}).get(field)
    if value is None:
        step.pop(field, None)
    else:
        step[field] = value
    return dumps(load(yaml.safe_dump(merged, sort_keys=False, allow_unicode=True), "merged.yaml"))


def diff(before: Loaded, after: Loaded) -> dict[str, Any]:
    """procmap's outside-in comparison of two maps, JSON-ready (as ``procmap diff --format json``)."""
    from procmap.output.diff_formats import diff_json

    return diff_json(procmap.diff(before.process, after.process))


def download(text: str, loaded: Loaded | None, fmt: str, title: str) -> bytes:
    """A map in a download format; every format but ``yaml`` needs a map that loads."""
    if fmt == "yaml":
        return text.encode("utf-8")
    assert loaded is not None
    if fmt == "bpmn":
        return procmap.export_bpmn(loaded.process)
    if fmt in ("svg", "png"):
        findings = procmap.check([(loaded.process, loaded.source)])
        drawn = procmap.render(loaded.process, fmt, findings=findings)
        return drawn if isinstance(drawn, bytes) else drawn.encode("utf-8")
    if fmt == "html":
        html, _ = procmap.report([(loaded.process, loaded.source)], title=title)
        return html.encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}")
