"""OI005 repeated-contact: the customer has to come back for the same thing."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.measures.points import in_customer_lane
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class RepeatedContact(Rule):
    """A loop runs through a customer step: the customer has to come back.

    Why: Outside-in (seed 001): "if you had to call up a company to get some
    information but each time you received the information it was inaccurate and
    had to call again, how long would it take to trigger your dissatisfaction?"
    A loop through a Moment of Truth makes the customer repeat a contact for the
    same outcome. A loop that runs in the customer's lane alone (browsing,
    comparing) is the customer's own choice and is left out.

    Example:
        steps:
          submit-details: {actor: customer, then: [check-details]}
          check-details:
            kind: decision
            actor: sales
            branches: {complete: create-record, incomplete: submit-details}

    Fix: get it right the first time: validate the input when the customer gives
    it, ask for everything at once, or fix the problem without the customer.
    """

    id = "OI005"
    name = "repeated-contact"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        order, _ = ctx.graph.acyclic_order()
        position = {sid: i for i, sid in enumerate(order)}
        moments = {m.step for m in ctx.moments_of_truth}
        for loop in ctx.graph.loops():
            members = sorted(loop, key=position.__getitem__)  # in flow order, loop cut once
            customer = [s for s in members if s in moments]
            if not customer or all(in_customer_lane(process, s) for s in members):
                continue
            first = customer[0]
            rest = [s for s in members if s != first]
            others = ", ".join(f"'{process.step_title(s)}'" for s in rest[:3])
            if len(rest) > 3:
                others += f" and {len(rest) - 3} more"
            yield self.finding(
                f"Moment of Truth '{process.step_title(first)}' lies on a loop: the customer may "
                f"have to go through it again (with {others})",
                elements=(first, *rest),
                suggestion=Suggestion.eliminate(
                    "Get it right the first time so the customer never goes round this loop"
                ),
                data={"loop_steps": len(members)},
            )
