"""OI003 business-rule: every decision and rule."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class BusinessRuleInventory(Rule):
    """A decision or a business rule is applied here.

    Why: Outside-in (seed 001) counts every decision point as a Business Rule:
    it adds complexity and effort and is a potential failure point, the more so
    when the rule is not written down.

    Example:
        steps:
          big-order:
            kind: decision
            actor: sales
            rule: Orders over 10k get a named success manager
            branches: {yes: assign-manager, no: send-welcome-video}

    Fix: eliminate rules that do not serve the customer's outcome; write down and
    simplify the rest so that they are applied the same way every time.
    """

    id = "OI003"
    name = "business-rule"
    default_severity = Severity.INFO
    inventory = True

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        for r in ctx.business_rules:
            rule = f": \"{r.rule}\"" if r.rule else " with no rule written down"
            kind = "Decision" if r.is_decision else "Step"
            yield self.finding(
                f"Business Rule: {kind} '{process.step_title(r.step)}' "
                f"({process.actor_title(process.steps[r.step].actor)}){rule}",
                elements=(r.step,),
                suggestion=Suggestion.improve(
                    "Keep the rule only if it serves the outcome, and write it down plainly"
                    if r.rule
                    else "Write down the rule this decision applies"
                ),
            )
