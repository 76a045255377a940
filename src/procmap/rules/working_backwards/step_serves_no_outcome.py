"""WB001 step-serves-no-outcome: bloat, seen working backwards."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process, StepKind
from procmap.rules.base import Context, Rule


class StepServesNoOutcome(Rule):
    """No outcome can be reached from this step: it serves no outcome.

    Why: Working backwards (seed 000): "everything in the system has a purpose
    specific to the desired outcomes". A step from which no step that delivers
    an outcome can be reached is the bloat that creeps in when a process is
    drawn from the start forwards (DESIGN §3). Start and end events are left out.

    Example:
        steps:
          book-order: {actor: sales, then: [print-order, ship-order]}
          print-order: {actor: sales}          # leads nowhere
          ship-order: {actor: courier, delivers: [delivered]}

    Fix: eliminate the step, or say which outcome it serves (`delivers`, or a
    flow to a step on the way to one).
    """

    id = "WB001"
    name = "step-serves-no-outcome"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        delivering = ctx.graph.delivering()
        if not delivering:
            return  # WB002 says that no step delivers anything
        serving = ctx.graph.reaching(delivering)
        for sid, step in process.steps.items():
            if sid in serving or step.kind in (StepKind.START, StepKind.END):
                continue
            yield self.finding(
                f"Step '{process.step_title(sid)}' ({process.actor_title(step.actor)}) "
                "leads to no outcome",
                elements=(sid,),
                suggestion=Suggestion.eliminate(
                    "Remove the step, or link it to the outcome it serves"
                ),
            )
