"""WB002 outcome-not-delivered: an outcome no step achieves."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class OutcomeNotDelivered(Rule):
    """No step delivers this outcome.

    Why: Working backwards (seed 000) starts at the outcome and asks "what do
    you need to get this?". An outcome that no step delivers was named but never
    worked backwards from: the map does not say how the process achieves it.

    Example:
        outcomes:
          pays-on-time: {name: Customer knows how to pay their bill on time}
        steps:
          send-invoice: {actor: billing}       # no step says delivers: [pays-on-time]

    Fix: add `delivers: [<outcome>]` to the step that achieves it, or work
    backwards from the outcome and add the steps it needs.
    """

    id = "WB002"
    name = "outcome-not-delivered"
    default_severity = Severity.ERROR

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        delivered = {o for step in process.steps.values() for o in step.delivers}
        for oid, outcome in process.outcomes.items():
            if oid not in delivered:
                yield self.finding(
                    f"Outcome '{outcome.name}' is delivered by no step",
                    elements=(oid,),
                    suggestion=Suggestion.add(
                        f"Ask what is needed to make '{outcome.name}' happen, and mark the step "
                        "that achieves it with delivers"
                    ),
                )
