"""OI008 status-chasing: the customer has to ask where their case stands."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.measures.points import is_status_chase
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class StatusChasing(Rule):
    """The customer chases the status of their case here.

    Why: Outside-in (seed 001): a Moment of Truth the customer never wanted is a
    failure felt twice, once in the wait and once in the call. A customer step
    whose name asks where things stand ("asking for an update", "where is my
    order", "chase", "status", "follow up on") is a contact the process caused:
    the customer had to bridge the silence of the organisation. A team step that
    names the customer ("Send a status update") is the organisation telling
    them, and is not counted.

    Example:
        steps:
          where-is-my-order: {actor: customer, channel: phone, then: [look-up]}
          look-up: {actor: service}

    Fix: tell the customer before they ask (proactive status): a message at the
    points where they wait, with what happens next and when, and take the chase
    out of the map.
    """

    id = "OI008"
    name = "status-chasing"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        for sid in process.steps:
            if not is_status_chase(process, sid):
                continue
            yield self.finding(
                f"Customer step '{process.step_title(sid)}' has the customer chasing the "
                "status of their case",
                elements=(sid,),
                suggestion=Suggestion.eliminate(
                    "Tell the customer where their case stands before they ask (proactive "
                    "status): a message where they wait, saying what happens next and when"
                ),
            )
