"""OI001 moment-of-truth: every point where the customer meets the organisation."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.measures.points import is_status_chase
from procmap.model.process import Channel, Process, Value
from procmap.rules.base import Context, Rule

BY_CHANNEL = {
    Channel.WEB: "through the web",
    Channel.APP: "through the app",
    Channel.IN_PERSON: "in person",
    Channel.PHONE: "by phone",
    Channel.EMAIL: "by email",
    Channel.LETTER: "by letter",
    Channel.CHAT: "by chat",
}


class MomentOfTruthInventory(Rule):
    """A customer takes part in this step: a Moment of Truth.

    Why: Outside-in (seed 001) counts every interaction with the customer,
    person or system, as a Moment of Truth: a chance to delight the customer or
    to fail. The more of them, the more chances to fail; each one left should be
    as good as it can be. A contact that adds no value (`value: none`), or one
    in which the customer chases the status of their case (OI008 warns of
    those), is one to eliminate.

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
            step = process.steps[m.step]
            other = process.actor_title(m.counterpart) if m.counterpart else "nobody else"
            channel = f" {BY_CHANNEL[m.channel]}" if m.channel else ""
            title = process.step_title(m.step)
            if is_status_chase(process, m.step):
                suggestion = Suggestion.eliminate(
                    "Tell the customer where their case stands before they have to ask"
                )
            elif step.value is Value.NONE:
                suggestion = Suggestion.eliminate("Drop this contact: it adds nothing for the customer")
            else:
                suggestion = Suggestion.improve(
                    "Make this contact right the first time, or remove it if the customer gains nothing"
                )
            yield self.finding(
                f"Moment of Truth: '{title}' — "
                f"{process.actor_title(m.customer)} meets {other}{channel} "
                f"({m.interaction} interaction)",
                elements=(m.step,),
                suggestion=suggestion,
                data={"interaction": m.interaction},
            )
