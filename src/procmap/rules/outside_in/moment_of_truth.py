"""OI001 moment-of-truth: every point where the customer meets the organisation."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class MomentOfTruth(Rule):
    """A customer takes part in this step: a Moment of Truth.

    Why: Outside-in (seed 001) counts every interaction with the customer,
    person or system, as a Moment of Truth: a chance to delight the customer or
    to fail. The more of them, the more chances to fail; each one left should be
    as good as it can be.

    Example:
        steps:
          submit-details: {actor: customer, channel: web}
          kickoff-call: {actor: success, with: [customer], channel: phone}

    Fix: eliminate the contacts the customer does not need (status chases,
    re-asking for data you have); improve the rest: first time right, one channel.
    """

    id = "OI001"
    name = "moment-of-truth"
    default_severity = Severity.INFO
    inventory = True

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        for m in ctx.moments_of_truth:
            other = process.actor_title(m.counterpart) if m.counterpart else "nobody else"
            channel = f" by {m.channel.value}" if m.channel else ""
            yield self.finding(
                f"Moment of Truth: '{process.step_title(m.step)}' — "
                f"{process.actor_title(m.customer)} meets {other}{channel} "
                f"({m.interaction} interaction)",
                elements=(m.step,),
                suggestion=Suggestion.improve(
                    "Make this contact right the first time, or remove it if the customer gains nothing"
                ),
                data={"interaction": m.interaction},
            )
