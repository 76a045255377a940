"""XF003 redundant-work: the same work done in two places."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.graph import ProcessTree
from procmap.model.names import normalise, similar_groups
from procmap.model.process import Process, StepKind
from procmap.rules.base import Context, Rule

MAX_LISTED = 20


@dataclass(frozen=True)
class _Entry:
    order: int
    process: str
    step: str
    actor: str
    title: str
    actor_title: str


class RedundantWork(Rule):
    """The same work is done by different actors or in different processes.

    Why: Visual Workflow (seed 002): "you will also likely find redundant work
    processes from department to department". Steps whose names mean the same
    ("Enter customer details" in Sales, "Capture customer details" in Customer
    Service) are compared across every map checked together: names are
    normalised (case, digits, stop words, synonyms such as enter/capture/record,
    details/data/information) and match when their similarity is at least
    `thresholds.similarity` (85 of 100). Only tasks and subprocesses of two or
    more words count. A step and the same step in a process below it (its
    `part-of` children, or a process it `calls`) is one piece of work drawn at
    two levels, not redundancy.

    Example:
        steps:
          enter-customer-details: {actor: sales}
          capture-customer-details: {actor: service}

    Fix: do the work once, in one place, and share the result (one record both
    departments read).
    """

    id = "XF003"
    name = "redundant-work"
    default_severity = Severity.WARNING
    settings = ("similarity",)

    def check_catalog(self, processes: dict[str, Process], ctx: Context) -> Iterator[Finding]:
        groups: dict[str, list[_Entry]] = defaultdict(list)
        seen = count()  # (process, map) order
        for process in processes.values():
            for sid, step in process.steps.items():
                if step.kind not in (StepKind.TASK, StepKind.SUBPROCESS):
                    continue
                title = process.step_title(sid)
                key = normalise(title)
                if " " in key:
                    actor = process.actor_title(step.actor)
                    groups[key].append(
                        _Entry(next(seen), process.process, sid, step.actor, title, actor)
                    )
        tree = ProcessTree(processes)
        for keys in similar_groups(list(groups), ctx.config.thresholds.similarity):
            entries = sorted((e for key in keys for e in groups[key]), key=lambda e: e.order)
            places = {e.process for e in entries}
            # a step of a process above another one is drawn in detail below: drop it
            above = {p for p in places if not tree.below(p).isdisjoint(places)}
            entries = [e for e in entries if e.process not in above]
            if len({e.actor for e in entries}) > 1 or len({e.process for e in entries}) > 1:
                yield self._finding(entries, processes)

    def _finding(self, entries: list[_Entry], processes: dict[str, Process]) -> Finding:
        first = entries[0]
        # name another actor if there is one, else another process
        other = min(entries[1:], key=lambda e: e.actor == first.actor)
        where = ""
        if other.process != first.process:
            where = f" in process '{processes[other.process].title}'"
        more = len(entries) - 2
        tail = f", and in {more} more place{'s' if more != 1 else ''}" if more > 0 else ""
        listed = [first, other, *[e for e in entries if e not in (first, other)]][:MAX_LISTED]
        return self.finding(
            f"'{first.title}' ({first.actor_title}) is also done as '{other.title}' "
            f"({other.actor_title}){where}{tail}",
            elements=tuple(e.step for e in listed),
            process=first.process,
            suggestion=Suggestion.merge(
                "Do this work once and let the other department use the result"
            ),
            data={
                "places": len(entries),
                "actors": len({e.actor for e in entries}),
                "processes": len({e.process for e in entries}),
            },
        )
