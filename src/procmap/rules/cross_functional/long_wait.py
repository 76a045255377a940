"""XF004 long-wait: a long wait inside one actor's work."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.measures.points import customer_actors
from procmap.model.durations import describe_duration
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class LongWait(Rule):
    """Work waits long before this step, though it stays with the same actor.

    Why: Visual Workflow (seed 002) looks for bottlenecks and delays; a wait of
    at least `thresholds.long-wait` (1d by default) within one lane is a queue
    or a batch the customer sits in. Waits where work changes hands are XF001's;
    waits before the customer's own steps are the customer's time, not a queue.

    Example:
        steps:
          raise-invoice: {actor: finance, needs: [book-order]}
          send-invoice: {actor: finance, needs: [raise-invoice], wait: 3d}

    Fix: work the queue more often, or remove the batch that causes the wait.
    """

    id = "XF004"
    name = "long-wait"
    default_severity = Severity.WARNING
    settings = ("long-wait",)

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        limit = ctx.config.thresholds.long_wait
        at_handoff = {bp.flow.target for bp in ctx.break_points}
        customers = customer_actors(process)
        for sid, step in process.steps.items():
            if step.wait is None or step.wait < limit or sid in at_handoff:
                continue
            if step.actor in customers:
                continue
            yield self.finding(
                f"Work waits {describe_duration(step.wait)} before '{process.step_title(sid)}' "
                f"({process.actor_title(step.actor)})",
                elements=(sid,),
                suggestion=Suggestion.improve("Shorten the queue or the batch before this step"),
                data={"wait_hours": round(step.wait.total_seconds() / 3600, 2)},
            )
