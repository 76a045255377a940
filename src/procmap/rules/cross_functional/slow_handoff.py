"""XF001 slow-handoff: work waits long where it changes hands."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.durations import describe_duration
from procmap.model.process import ActorKind, Process
from procmap.rules.base import Context, Rule


class SlowHandoff(Rule):
    """Work waits long where it passes from one actor to another.

    Why: Visual Workflow (seed 002): "the biggest problem is always in the hand
    off of information between functional units"; bottlenecks and delays sit in
    the queues between departments. A hand-off (Break Point, seed 001) whose
    receiving step waits at least `thresholds.long-wait` (1d by default) is where
    the customer waits. Hand-offs to or from the customer are left out: how long a
    customer takes to answer is not a queue between departments.

    Example:
        steps:
          prepare-quote: {actor: sales, then: [check-stock]}
          check-stock: {actor: service, wait: 2d}

    Fix: give the receiving team a service level for the hand-off, or let the
    sending team do the work itself.
    """

    id = "XF001"
    name = "slow-handoff"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        limit = ctx.config.thresholds.long_wait
        seen: set[str] = set()
        customer = ActorKind.CUSTOMER
        for bp in ctx.break_points:
            target = bp.flow.target
            if bp.wait is None or bp.wait < limit or target in seen:
                continue
            if customer in (process.actors[bp.from_actor].kind, process.actors[bp.to_actor].kind):
                continue
            seen.add(target)
            yield self.finding(
                f"Work waits {describe_duration(bp.wait)} when it passes from "
                f"{process.actor_title(bp.from_actor)} to {process.actor_title(bp.to_actor)} "
                f"at '{process.step_title(target)}'",
                elements=(target, bp.flow.source),
                suggestion=Suggestion.improve(
                    f"Agree a time limit for this hand-off with {process.actor_title(bp.to_actor)}"
                    + (
                        f", or let {process.actor_title(bp.from_actor)} do the step"
                        if process.actors[bp.from_actor].kind is not ActorKind.SYSTEM
                        else ""
                    )
                ),
                data={"wait_hours": round(bp.wait.total_seconds() / 3600, 2)},
            )
