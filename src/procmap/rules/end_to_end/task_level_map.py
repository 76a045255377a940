"""E2E004 task-level-map: a level-4 map that lists tasks, not a process."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.durations import describe_duration
from procmap.model.process import Process, StepKind
from procmap.rules.base import Context, Rule


class TaskLevelMap(Rule):
    """A level-4 map breaks the process down to tasks.

    Why: End-to-end process definition (seed 003): "I rarely find breaking down
    to more than a Level 3 is needed ... point being don't break it down to a
    task level. Business processes are formed of tasks, they are not the tasks
    themselves." A level-4 map whose every task is one actor working alone for
    at most `thresholds.task-level-duration` (2m by default) is a task list.

    Example:
        level: 4
        steps:
          click-new: {actor: sales, duration: 1m}
          type-name: {actor: sales, duration: 1m}

    Fix: fold the tasks into one step of the level-3 map, or describe them in a
    work instruction instead of a process map.
    """

    id = "E2E004"
    name = "task-level-map"
    default_severity = Severity.WARNING
    settings = ("task-level-duration",)

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        if process.level != 4:
            return
        limit = ctx.config.thresholds.task_level_duration
        tasks = [s for s in process.steps.values() if s.kind is StepKind.TASK]
        if not tasks:
            return
        if all(not s.with_ and s.duration is not None and s.duration <= limit for s in tasks):
            yield self.finding(
                f"Process '{process.title}' is a list of {len(tasks)} one-person tasks of at most "
                f"{describe_duration(limit)} each: it breaks the process down to task level",
                suggestion=Suggestion.merge(
                    "Fold these tasks into one step of the level-3 map, or keep them as a work instruction"
                ),
                data={"tasks": len(tasks)},
            )
