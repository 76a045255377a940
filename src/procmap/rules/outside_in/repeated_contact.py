"""OI005 repeated-contact: the customer has to come back for the same thing."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.analysis.points import customer_actors
from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class RepeatedContact(Rule):
    """A loop runs through a customer step: the customer has to come back.

    Why: Outside-in (seed 001): "if you had to call up a company to get some
    information but each time you received the information it was inaccurate and
    had to call again, how long would it take to trigger your dissatisfaction?"
    A loop through a Moment of Truth makes the customer repeat a contact for the
    same outcome.

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
        order = {sid: i for i, sid in enumerate(process.steps)}
        customers = customer_actors(process)
        steps = process.steps
        for loop in ctx.graph.loops():
            members = sorted(loop, key=order.__getitem__)
            customer = [
                s for s in members
                if steps[s].actor in customers or any(a in customers for a in steps[s].with_)
            ]
            if not customer:
                continue
            first = customer[0]
            rest = [s for s in members if s != first]
            others = ", ".join(f"'{process.step_title(s)}'" for s in rest[:3])
            if len(rest) > 3:
                others += f" and {len(rest) - 3} more"
            yield self.finding(
                f"Customer step '{process.step_title(first)}' lies on a loop: the customer may "
                f"have to do it again (with {others})",
                elements=(first, *[s for s in members if s != first]),
                suggestion=Suggestion.eliminate(
                    "Get it right the first time so the customer never goes round this loop"
                ),
                data={"loop_steps": len(members)},
            )
