"""MAP004 isolated-step: a step with no flow in or out."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class IsolatedStep(Rule):
    """The step is connected to nothing.

    Why: Well-formedness (BPMN practice): a step with no flow in or out is a
    sticky note that never got its arrows; it takes part in no path, so every
    count (seed 001) and every outcome trace (seed 000) ignores it.

    Example:
        steps:
          order: {actor: customer, kind: start, then: [ship]}
          ship: {actor: courier, kind: end}
          survey: {actor: service}          # no needs, no then

    Fix: link it with `needs:` or `then:`, or remove it.
    """

    id = "MAP004"
    name = "isolated-step"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        if len(process.steps) < 2:
            return
        graph = ctx.graph
        for sid in process.steps:
            if not graph.predecessors(sid) and not graph.successors(sid):
                yield self.finding(
                    f"Step '{process.step_title(sid)}' is connected to no other step",
                    elements=(sid,),
                    suggestion=Suggestion.add("Link it with needs: or then:, or remove it"),
                )
