"""WB004 dead-end: a step after which nothing happens, and that is not an end."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process, StepKind
from procmap.rules.base import Context, Rule


class DeadEnd(Rule):
    """Nothing follows this step, yet it is no end and delivers nothing.

    Why: Working backwards (seed 000): every step is there for an outcome. A
    step that leads nowhere, delivers nothing and is not marked as an end is a
    loose end of the workshop wall: either a step is missing or the step is.
    A map that marks no end at all gets MAP002 instead: there no dead end can be
    told from an end.

    Example:
        steps:
          print-order: {actor: sales, needs: [book-order]}   # and then?

    Fix: add the next step, mark it `kind: end`, or remove it.
    """

    id = "WB004"
    name = "dead-end"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        graph = ctx.graph
        if not any(step.kind is StepKind.END for step in process.steps.values()):
            return  # MAP002: the map says nowhere where the process ends
        for sid, step in process.steps.items():
            if step.kind is StepKind.END or step.delivers or graph.successors(sid):
                continue
            if not graph.predecessors(sid):
                continue  # an isolated step: MAP004
            yield self.finding(
                f"Step '{process.step_title(sid)}' ({process.actor_title(step.actor)}) "
                "leads nowhere",
                elements=(sid,),
                suggestion=Suggestion.add("Add the step that follows, or mark it kind: end"),
            )
