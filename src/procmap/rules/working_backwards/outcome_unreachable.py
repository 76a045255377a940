"""WB003 outcome-unreachable: no start leads to the steps that deliver an outcome."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class OutcomeUnreachable(Rule):
    """The steps that deliver this outcome cannot be reached from any start.

    Why: Working backwards (seed 000): the chain from an outcome back to where
    the process starts must be unbroken. If no start leads to the steps that
    deliver it, no customer ever gets there.

    Example:
        steps:
          order: {actor: customer, kind: start, then: [ship]}
          ship: {actor: courier}
          send-guide: {actor: billing, needs: [invoice], delivers: [pays-on-time]}
          invoice: {actor: billing, needs: [send-guide]}

    Fix: add the missing flow from the steps before (ask "what do you need
    before this?" until the answer is a start).
    """

    id = "WB003"
    name = "outcome-unreachable"
    default_severity = Severity.ERROR

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        graph = ctx.graph
        reached = graph.reachable_from(graph.starts())
        for oid, outcome in process.outcomes.items():
            steps = graph.delivering(oid)
            if steps and not any(s in reached for s in steps):
                yield self.finding(
                    f"Outcome '{outcome.name}' cannot be reached: no start leads to "
                    + ", ".join(f"'{process.step_title(s)}'" for s in steps),
                    elements=(oid, *steps),
                    suggestion=Suggestion.add(
                        "Link the steps that deliver it to the flow from a start"
                    ),
                )
