"""WB004 dead-end: a step after which nothing happens, and that is not an end."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process, StepKind
from procmap.rules.base import Context, Rule


class DeadEnd(Rule):
    """Nothing follows this step, yet it delivers nothing and is no end event.

    Why: Working backwards (seed 000): every step is there for an outcome. A
    case ends where nothing follows (DESIGN §2); a path that ends at a step that
    delivers nothing, while other paths end at an outcome or an end event, is a
    loose end of the workshop wall: either a step is missing or the step is. A
    map where no path ends that way gets WB002 or WB003 instead.

    Example:
        steps:
          book-order: {actor: sales, then: [print-order, ship-order]}
          print-order: {actor: sales}                          # and then?
          ship-order: {actor: courier, delivers: [delivered]}

    Fix: add the next step, say what the step delivers, or remove it; where the
    path really ends there, an end event (`kind: end`) after it says so.
    """

    id = "WB004"
    name = "dead-end"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        graph = ctx.graph
        if not any(_proper_end(process, sid) for sid in process.steps):
            return  # no path ends at an outcome or an end event: WB002 / WB003 speak
        for sid, step in process.steps.items():
            if step.kind is StepKind.END or step.delivers or graph.successors(sid):
                continue
            if not graph.predecessors(sid):
                continue  # an isolated step: MAP004
            yield self.finding(
                f"Step '{process.step_title(sid)}' ({process.actor_title(step.actor)}) "
                "leads nowhere",
                elements=(sid,),
                suggestion=Suggestion.add(
                    "Add the step that follows, say what it delivers, or end the path "
                    "with an end event (kind: end) after it"
                ),
            )


def _proper_end(process: Process, sid: str) -> bool:
    """A last step that is an end event or delivers an outcome."""
    step = process.steps[sid]
    last = not process.graph.successors(sid)
    return last and (step.kind is StepKind.END or bool(step.delivers))
