"""OI006 customer-as-bridge: the customer carries work between two departments."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.measures.points import in_customer_lane
from procmap.model.process import ActorKind, Process
from procmap.rules.base import Context, Rule


class CustomerAsBridge(Rule):
    """The customer is made to bridge the gap between two departments.

    Why: Visual Workflow (seed 002): "asking the customer to bridge the gap
    between departments only serves to lower their satisfaction". A customer
    step whose step before and step after belong to two different internal
    actors uses the customer as the relay between them (DESIGN §3). The steps
    may be of any kind (a task, an event, a decision). Departments are teams and
    partners: a system on either side is self-service. A customer step that
    delivers an outcome is the customer getting what the process is for
    (receiving the order, reading the offer), not a relay.

    Example:
        steps:
          delivery-question: {actor: service, then: [customer-calls-sales]}
          customer-calls-sales: {actor: customer, then: [update-address]}
          update-address: {actor: sales}

    Fix: let the two departments talk to each other (a shared record, a direct
    hand-off) and spare the customer the extra contact.
    """

    id = "OI006"
    name = "customer-as-bridge"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        steps = process.steps
        graph = ctx.graph

        def department(step_id: str) -> str | None:
            step = steps[step_id]
            kind = process.actors[step.actor].kind
            return step.actor if kind in (ActorKind.TEAM, ActorKind.PARTNER) else None

        for sid, step in steps.items():
            if not in_customer_lane(process, sid) or step.delivers:
                continue
            for before in graph.predecessors(sid):
                a = department(before)
                if a is None:
                    continue
                for after in graph.successors(sid):
                    b = department(after)
                    if b is None or b == a:
                        continue
                    yield self.finding(
                        f"Customer step '{process.step_title(sid)}' carries work from "
                        f"{process.actor_title(a)} ('{process.step_title(before)}') to "
                        f"{process.actor_title(b)} ('{process.step_title(after)}')",
                        elements=(sid, before, after),
                        data={"from_actor": a, "to_actor": b},
                        suggestion=Suggestion.eliminate(
                            f"Let {process.actor_title(a)} pass this to {process.actor_title(b)} "
                            "directly instead of sending the customer"
                        ),
                    )
