"""XF005 bottleneck-lane: one lane carries most of the work."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from procmap.findings import Finding, Severity, Suggestion
from procmap.measures.timing import cycle_time
from procmap.model.durations import describe_duration
from procmap.model.process import ActorKind, Process
from procmap.rules.base import Context, Rule

STAFFED = (ActorKind.TEAM, ActorKind.PARTNER)


class BottleneckLane(Rule):
    """One lane carries the largest share of the work time.

    Why: Visual Workflow (seed 002) looks for the bottlenecks of the front
    office. A lane's work is the time its steps take (`duration`) per case: each
    step counted as often as a case reaches it, so a check done in 5% of cases
    weighs 5% (branch probabilities; without them, branches share evenly). The
    lane with the largest share, when that share is at least
    `thresholds.bottleneck-share` (40% by default) and half again its fair share
    (1.5 ÷ the number of lanes with work), is where cases queue first when volume
    grows. Only teams and partners count: the customer is no capacity the
    organisation staffs, and a system's processing time is no queue of people.

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
    settings = ("bottleneck-share",)

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        by_lane = cycle_time(process).by_lane
        work = {  # in lane order, so that the first of two equal lanes is named
            actor: by_lane[actor]
            for actor, lane in process.actors.items()
            if actor in by_lane and lane.kind in STAFFED
        }
        total = sum(work.values(), timedelta(0))
        if len(work) < 2 or not total:
            return
        lane, busiest = max(work.items(), key=lambda item: item[1])
        share = busiest / total
        if share < max(ctx.config.thresholds.bottleneck_share, 1.5 / len(work)):
            return
        steps = tuple(s for s, step in process.steps.items() if step.actor == lane and step.duration)
        yield self.finding(
            f"Lane {process.actor_title(lane)} carries {share:.0%} of the work time per case "
            f"({describe_duration(busiest)} of {describe_duration(total)})",
            elements=(lane, *steps),
            suggestion=Suggestion.improve(
                f"Move work out of {process.actor_title(lane)} or staff it for the load"
            ),
            data={"share": round(share, 4), "work_hours": round(busiest.total_seconds() / 3600, 2)},
        )
