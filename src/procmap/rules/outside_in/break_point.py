"""OI002 break-point: every hand-off between actors."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.durations import describe_duration
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class BreakPointInventory(Rule):
    """Work passes from one actor to another here: a Break Point.

    Why: Outside-in (seed 001) counts every hand-off as a Break Point, a place
    where the process can break down: information is lost, work waits in a
    queue, nobody feels responsible.

    Example:
        steps:
          create-crm-record: {actor: sales, then: [send-invite]}
          send-invite: {actor: crm}

    Fix: eliminate hand-offs by letting one actor do consecutive work; improve
    the rest with a clear handover (complete data, an owner, a time limit).
    """

    id = "OI002"
    name = "break-point"
    default_severity = Severity.INFO
    inventory = True

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        for bp in ctx.break_points:
            f = bp.flow
            wait = f" and waits {describe_duration(bp.wait)}" if bp.wait else ""
            yield self.finding(
                f"Break Point: '{process.step_title(f.source)}' ({process.actor_title(bp.from_actor)}) "
                f"hands work to '{process.step_title(f.target)}' ({process.actor_title(bp.to_actor)}){wait}",
                elements=(f.source, f.target),
                suggestion=Suggestion.improve(
                    "Hand over complete information with a named owner and a time limit"
                ),
                data={"wait_hours": round(bp.wait.total_seconds() / 3600, 2)} if bp.wait else None,
            )
