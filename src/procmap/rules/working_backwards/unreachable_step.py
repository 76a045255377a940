"""WB005 unreachable-step: no start leads to a step."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class UnreachableStep(Rule):
    """No start leads to this step.

    Why: Working backwards (seed 000) asks "what do you need before this?" until
    the answer is "nothing, it starts here". A step no start reaches was never
    linked into that chain: no case ever gets to it. Where no step is marked
    `kind: start`, every step with nothing before it counts as a start.

    Example:
        steps:
          order: {actor: customer, kind: start, then: [ship]}
          ship: {actor: courier, kind: end}
          send-survey: {actor: service, then: [ship]}     # who triggers it?

    Fix: link it to the step that comes before it, or mark it as a start if a
    case can begin there.
    """

    id = "WB005"
    name = "unreachable-step"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        graph = ctx.graph
        starts = graph.starts()
        if not starts:
            return  # every step has one before it: MAP001 says there is no start
        reached = graph.reachable_from(starts)
        for sid, step in process.steps.items():
            if sid in reached or not (graph.predecessors(sid) or graph.successors(sid)):
                continue  # isolated steps are MAP004's
            yield self.finding(
                f"Step '{process.step_title(sid)}' ({process.actor_title(step.actor)}) "
                "cannot be reached from a start",
                elements=(sid,),
                suggestion=Suggestion.add("Link it to the step that comes before it"),
            )
