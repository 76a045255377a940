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
    the customer waits, most of all right after the customer has done their part.
    Hand-offs to the customer are left out: the wait before a customer step is
    the customer's own time (to answer, to pay), not a queue in the organisation.

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
    settings = ("long-wait",)

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        limit = ctx.config.thresholds.long_wait
        seen: set[str] = set()
        for bp in ctx.break_points:
            target = bp.flow.target
            if bp.wait is None or bp.wait < limit or target in seen:
                continue
            if process.actors[bp.to_actor].kind is ActorKind.CUSTOMER:
                continue
            seen.add(target)
            yield self.finding(
                f"Work waits {describe_duration(bp.wait)} when it passes from "
                f"{process.actor_title(bp.from_actor)} to {process.actor_title(bp.to_actor)} "
                f"at '{process.step_title(target)}'",
                elements=(target, bp.flow.source),
                suggestion=Suggestion.improve(_remedy(process, bp.from_actor, bp.to_actor)),
                data={"wait_hours": round(bp.wait.total_seconds() / 3600, 2)},
            )


def _remedy(process: Process, sender: str, receiver: str) -> str:
    kinds = process.actors[sender].kind, process.actors[receiver].kind
    if kinds[1] is ActorKind.SYSTEM:
        return f"Let {process.actor_title(receiver)} take the work as it arrives, not in a batch"
    remedy = f"Agree a time limit for this hand-off with {process.actor_title(receiver)}"
    if kinds[0] in (ActorKind.TEAM, ActorKind.PARTNER):
        remedy += f", or let {process.actor_title(sender)} do the step"
    return remedy
