"""WB006 no-value-step: a step marked as adding no value."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.durations import describe_duration
from procmap.model.process import Process, Value
from procmap.rules.base import Context, Rule


class NoValueStep(Rule):
    """The step is marked `value: none`: a candidate to eliminate.

    Why: Working backwards (seed 000): "with each step you add, think about its
    relationship to the desired outcomes and value". A step the workshop itself
    marked as adding no value is the first candidate to eliminate (seed 001).

    Example:
        steps:
          print-order: {actor: sales, value: none, duration: 5m}

    Fix: eliminate it; if a rule demands it, question the rule.
    """

    id = "WB006"
    name = "no-value-step"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        for sid, step in process.steps.items():
            if step.value is not Value.NONE:
                continue
            cost = f", costs {describe_duration(step.duration)}" if step.duration else ""
            wait = f" and a wait of {describe_duration(step.wait)}" if step.wait else ""
            yield self.finding(
                f"Step '{process.step_title(sid)}' ({process.actor_title(step.actor)}) adds "
                f"no value{cost}{wait}",
                elements=(sid,),
                suggestion=Suggestion.eliminate("Remove the step, or the rule that asks for it"),
            )
