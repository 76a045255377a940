"""WB007 low-cycle-efficiency: little of a case's time adds value."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.measures.timing import cycle_time
from procmap.model.durations import describe_duration
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class LowCycleEfficiency(Rule):
    """Little of the time a case takes adds value for the customer.

    Why: Working backwards (seed 000) keeps only what serves the outcome; lean
    measures it as process cycle efficiency: value-adding work time ÷ total time
    including waits (see measures/timing.py). Below the threshold
    (`thresholds.min-efficiency`, 25% by default) the case mostly waits.

    Example:
        steps:
          call: {actor: sales, duration: 30m, wait: 3d}

    Fix: shorten the longest waits (usually at hand-offs) and remove steps of
    no value; `procmap analyze` lists both.
    """

    id = "WB007"
    name = "low-cycle-efficiency"
    default_severity = Severity.INFO
    settings = ("min-efficiency",)

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        timing = cycle_time(process)
        limit = ctx.config.thresholds.min_efficiency
        if timing.efficiency is None or timing.efficiency >= limit:
            return
        share = f"{timing.efficiency:.1%}" if timing.efficiency < 0.01 else f"{timing.efficiency:.0%}"
        yield self.finding(
            f"Process '{process.title}' adds value {share} of the time: "
            f"{describe_duration(timing.value_adding)} of value-adding work in "
            f"{describe_duration(timing.expected)} per case",
            suggestion=Suggestion.improve(
                f"Cut the waiting ({describe_duration(timing.waiting)} per case) first"
            ),
            data={
                "efficiency": round(timing.efficiency, 4),
                "value_adding_hours": round(timing.value_adding.total_seconds() / 3600, 2),
                "expected_hours": round(timing.expected.total_seconds() / 3600, 2),
            },
        )
