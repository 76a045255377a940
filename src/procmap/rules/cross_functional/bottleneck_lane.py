"""XF005 bottleneck-lane: one lane carries most of the work."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.durations import describe_duration
from procmap.model.process import ActorKind, Process
from procmap.rules.base import Context, Rule


class BottleneckLane(Rule):
    """One lane carries the largest share of the work time.

    Why: Visual Workflow (seed 002) looks for the bottlenecks of the front
    office. The lane with the largest share of work time (the sum of step
    durations), when that share is at least `thresholds.bottleneck-share` (40% by
    default) and half again its fair share (1.5 ÷ the number of lanes with work),
    is where cases queue first when volume grows. Customer lanes are
    left out: the customer is no capacity the organisation can staff.

    Example:
        steps:
          qualify: {actor: sales, duration: 2h}
          quote: {actor: sales, duration: 3h}
          invoice: {actor: finance, duration: 10m}

    Fix: move work out of the lane (self-service, automation, another team) or
    staff it for the load.
    """

    id = "XF005"
    name = "bottleneck-lane"
    default_severity = Severity.INFO

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        work: dict[str, timedelta] = {}
        for step in process.steps.values():
            if step.duration and process.actors[step.actor].kind is not ActorKind.CUSTOMER:
                work[step.actor] = work.get(step.actor, timedelta(0)) + step.duration
        total = sum(work.values(), timedelta(0))
        if len(work) < 2 or not total:
            return
        lane, busiest = max(work.items(), key=lambda item: (item[1], item[0]))
        share = busiest / total
        if share < max(ctx.config.thresholds.bottleneck_share, 1.5 / len(work)):
            return
        steps = tuple(s for s, step in process.steps.items() if step.actor == lane and step.duration)
        yield self.finding(
            f"Lane {process.actor_title(lane)} carries {share:.0%} of the work time "
            f"({describe_duration(busiest)} of {describe_duration(total)})",
            elements=(lane, *steps),
            suggestion=Suggestion.improve(
                f"Move work out of {process.actor_title(lane)} or staff it for the load"
            ),
            data={"share": round(share, 4)},
        )
