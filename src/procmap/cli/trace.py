"""``procmap trace``: why a step exists, what an outcome needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text
from rich.tree import Tree

from procmap.cli.common import TextOrJson, handles_errors, out
from procmap.errors import MapError, SourceLocation
from procmap.model.durations import describe_duration
from procmap.model.process import Process, StepKind

HELP = """Trace a map working backwards (seed 000): why does this step exist?

With a step: the chain from it to each outcome it serves.
With an outcome: the backward tree of everything it needs, with lanes and waits.
With neither: every step with the outcomes it serves, those serving none first.

Examples:

  procmap trace examples/customer-onboarding.yaml create-crm-record

  procmap trace examples/customer-onboarding.yaml informed

  procmap trace examples/lead-to-cash.yaml --format json
"""


@handles_errors
def trace(
    map_file: Annotated[Path, typer.Argument(help="The map file.", metavar="MAP", show_default=False)],
    element: Annotated[
        str | None, typer.Argument(help="A step id or an outcome id.", metavar="[STEP|OUTCOME]")
    ] = None,
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="Output format.")] = TextOrJson.text,
) -> None:
    from procmap.analysis.trace import chains_from, needs_tree, outcomes_served
    from procmap.io.yaml_loader import load
    from procmap.model.checks import did_you_mean

    process = load(map_file)
    console = out()
    if element is None:
        rows = outcomes_served(process)
        if format is TextOrJson.json:
            data = [{"step": s, "outcomes": o} for s, o in rows]
            console.print(json.dumps(data, indent=2, ensure_ascii=False), markup=False)
            return
        for sid, outcomes in rows:
            step = process.steps[sid]
            served = ", ".join(process.outcomes[o].name for o in outcomes)
            if not served:
                served = "end of the process" if step.kind is StepKind.END else "serves no outcome"
            console.print(f"{sid} ({process.actor_title(step.actor)}): {served}",
                          markup=False, style=None if outcomes else "yellow")
        return
    if element in process.steps:
        chains = chains_from(process, element)
        if format is TextOrJson.json:
            data = [{"outcome": c.outcome, "steps": list(c.steps)} for c in chains]
            console.print(json.dumps(data, indent=2, ensure_ascii=False), markup=False)
            return
        if not chains:
            console.print(f"Step '{process.step_title(element)}' serves no outcome", markup=False)
        for c in chains:
            console.print(" → ".join([*c.steps, c.outcome]), markup=False)
        return
    if element in process.outcomes:
        roots = needs_tree(process, element)
        if format is TextOrJson.json:
            console.print(json.dumps([_need_json(n) for n in roots], indent=2), markup=False)
            return
        tree = Tree(Text(f"{process.outcomes[element].name} ({element})", overflow="fold"))
        for need in roots:
            _add(tree, need, process)
        console.print(tree)
        return
    known = [*process.steps, *process.outcomes]
    raise MapError(SourceLocation(str(map_file)), None,
                   f"'{element}' is neither a step nor an outcome of this map",
                   did_you_mean(element, known))


def _label(process: Process, sid: str) -> str:
    step = process.steps[sid]
    wait = f", waits {describe_duration(step.wait)}" if step.wait else ""
    return f"{sid}: {process.step_title(sid)} ({process.actor_title(step.actor)}{wait})"


def _add(tree: Tree, need: Any, process: Process) -> None:
    if need.seen_before:
        tree.add(Text(f"{_label(process, need.step)} — see above", overflow="fold"))
        return
    branch = tree.add(Text(_label(process, need.step), overflow="fold"))
    for child in need.needs:
        _add(branch, child, process)


def _need_json(need: Any) -> dict[str, Any]:
    return {"step": need.step, "seen_before": need.seen_before,
            "needs": [_need_json(n) for n in need.needs]}
