"""E2E006 customer-step-without-alternative: what if the customer does not answer?"""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.measures.points import in_customer_lane, is_status_chase
from procmap.model.process import Process, Step, StepKind
from procmap.rules.base import Context, Rule


class CustomerStepWithoutAlternative(Rule):
    """A customer step has one way on and nothing for a customer who does not act.

    Why: End-to-end process definition (seed 003): including the customer as a
    persona means accounting for "the different behaviours they could take
    (which will impact the way you need to respond)". A step the customer does,
    followed by exactly one step that is no decision or wait, assumes every
    customer acts, and on time.

    Not asked of a start or end step, of a step followed by the end or by
    another step of the same customer (the question belongs to the last one), of
    a step the customer only reaches by a decision of their own (accept or
    revise the quote: the map already draws the other answers there), nor of a
    status chase (OI008: the customer should not have to do it at all, so no
    reminder to do it).

    Example:
        steps:
          add-payment-method: {actor: customer, then: [send-billing-guide]}

    Fix: add what happens when the customer does not act: a reminder, a time
    limit, a decision on the answer.
    """

    id = "E2E006"
    name = "customer-step-without-alternative"
    default_severity = Severity.INFO

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        graph = ctx.graph
        steps = process.steps
        for sid, step in steps.items():
            if not in_customer_lane(process, sid):
                continue
            if step.kind in (StepKind.START, StepKind.END, StepKind.DECISION):
                continue
            if is_status_chase(process, sid):
                continue  # OI008: tell them before they ask, no reminder to ask
            after = graph.successors(sid)
            if len(after) != 1:
                continue
            nxt = steps[after[0]]
            if nxt.kind in (StepKind.DECISION, StepKind.WAIT, StepKind.END):
                continue
            if nxt.actor == step.actor:
                continue
            before = graph.predecessors(sid)
            if before and all(_chosen_by(steps[b], step.actor) for b in before):
                continue
            yield self.finding(
                f"Customer step '{process.step_title(sid)}' has no alternative: what if the "
                "customer does not do it?",
                elements=(sid,),
                suggestion=Suggestion.add("Add a reminder or a time limit with a way forward"),
            )


def _chosen_by(step: Step, customer: str) -> bool:
    """Whether ``step`` is the customer's own decision."""
    return step.kind is StepKind.DECISION and step.actor == customer
