"""E2E005 no-customer-persona: the customer is not in the map."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import ActorKind, Process
from procmap.rules.base import Context, Rule


class NoCustomerPersona(Rule):
    """The customer is not one of the map's actors.

    Why: End-to-end process definition (seed 003): "the customer/ lead/ consumer
    absolutely has to be included as a persona otherwise you are not considering
    the impact of the internal business process on your audiences". Applies to
    processes at levels 1 to 3 (and maps with no level).

    Example:
        actors:
          sales: {kind: team}
          crm: {kind: system}

    Fix: add the customer as an actor of kind customer and draw the steps where
    they take part.
    """

    id = "E2E005"
    name = "no-customer-persona"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        if process.level == 4:
            return
        if any(a.kind is ActorKind.CUSTOMER for a in process.actors.values()):
            return
        yield self.finding(
            f"Process '{process.title}' has no customer among its actors",
            suggestion=Suggestion.add(
                "Add the customer (lead, prospect, consumer) as an actor of kind customer"
            ),
        )
