"""XF003 redundant-work: the same work done in two places."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.durations import describe_duration
from procmap.model.graph import ProcessTree
from procmap.model.process import ActorKind, Process, StepKind
from procmap.model.work import Work, read_as, work_of
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
    work: Work
    duration: timedelta | None


class RedundantWork(Rule):
    """The same work is done by different actors or in different processes.

    Why: Visual Workflow (seed 002): "you will also likely find redundant work
    processes from department to department". Marketing captures a prospect's
    contact details, Sales re-enters them in the CRM, Service and Billing type
    them in again: one piece of work done four times. Steps are compared by the
    work they do, across every map checked together: the action (the first
    verb, its inflection and a leading re- taken off, phrasal forms such as
    "key in" read as one verb, synonyms merged: capture, record, key in, type,
    copy, transfer are "enter"; verify, validate, review are "check") and the
    data it acts on (the words after the verb, up to where the work happens —
    "in the CRM", "into the billing system" — without whose data it is — "the
    prospect's", "customer" — nor the names of the map's systems; words in their
    dictionary form, data/information/details as one). Steps with the same
    action and data are one piece of work; "Enter" and "Check" the same data
    are not. A data word the dictionary does not know (a typo, "adress") is
    read as the most alike known word of another step with the same action when
    the two are at least `thresholds.similarity` (85 of 100) alike; two known
    words ("contact", "contract") are never one. Only tasks and subprocesses
    with a verb and an object count. A step and the same step in a process below
    it (its `part-of` children, or a process it `calls`) is one piece of work
    drawn at two levels, not redundancy.

    There is one finding per piece of work, catalog-wide: the steps (the first
    in map order is the one to keep), the teams and processes, and where
    durations are known the work it costs per case.

    Example:
        steps:
          capture-contact-details:
            {actor: marketing, name: Capture the prospect's contact details in the marketing tool}
          re-enter-contact-details:
            {actor: sales, name: Re-enter the prospect's contact details in the CRM}

    Fix: do the work once, in one place, and share the result (one record both
    departments read): keep the first step and remove the others.
    """

    id = "XF003"
    name = "redundant-work"
    default_severity = Severity.WARNING
    settings = ("similarity",)

    def check_catalog(self, processes: dict[str, Process], ctx: Context) -> Iterator[Finding]:
        entries: list[_Entry] = []
        for process in processes.values():  # in (process, map) order
            systems = tuple(
                name
                for aid, actor in process.actors.items()
                if actor.kind is ActorKind.SYSTEM
                for name in dict.fromkeys((aid.replace("-", " "), process.actor_title(aid)))
            )
            for sid, step in process.steps.items():
                if step.kind not in (StepKind.TASK, StepKind.SUBPROCESS):
                    continue
                title = process.step_title(sid)
                work = _work_of(title, systems)
                if work is not None:
                    entries.append(_Entry(
                        len(entries), process.process, sid, step.actor, title,
                        process.actor_title(step.actor), work, step.duration,
                    ))
        keys = read_as({e.work for e in entries}, ctx.config.thresholds.similarity)
        groups: dict[str, list[_Entry]] = defaultdict(list)
        for entry in entries:
            groups[keys[entry.work]].append(entry)
        tree = ProcessTree(processes)
        found: list[list[_Entry]] = []
        for same in groups.values():
            places = {e.process for e in same}
            # a step of a process above another one is drawn in detail below: drop it
            above = {p for p in places if not tree.below(p).isdisjoint(places)}
            same = [e for e in same if e.process not in above]
            if len({e.actor for e in same}) > 1 or len({e.process for e in same}) > 1:
                found.append(same)
        for same in sorted(found, key=lambda group: group[0].order):
            yield self._finding(same, processes)

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
        teams = list(dict.fromkeys(e.actor_title for e in entries))
        titles = list(dict.fromkeys(processes[e.process].title for e in entries))
        who = "both" if len(entries) == 2 else f"all {len(entries)}"
        by = ""
        if len(entries) > 2:
            by = f", by {_and(teams[:MAX_LISTED])}"
            if len(titles) > 1:
                by += f" in {len(titles)} processes"
        timed = [e.duration for e in entries if e.duration]
        cost = ""
        data: dict[str, float | int | str] = {
            "places": len(entries),
            "actors": len(teams),
            "processes": len(titles),
            "work": str(first.work),
            "keep": first.step,
            "keep_process": first.process,
            "remove": ", ".join(f"{e.process}/{e.step}" for e in entries[1:]),
            "remove_titles": ", ".join(
                f"'{e.title}' ({e.actor_title}"
                + (f", process '{processes[e.process].title}')" if e.process != first.process else ")")
                for e in entries[1:MAX_LISTED]
            ) + (f" and {len(entries) - MAX_LISTED} more" if len(entries) > MAX_LISTED else ""),
            "teams": ", ".join(teams),
            "process_titles": ", ".join(titles),
        }
        if timed:
            total = sum(timed, timedelta())
            saved = sum((e.duration for e in entries[1:] if e.duration), timedelta())
            known = "" if len(timed) == len(entries) else f" (durations known for {len(timed)} of {len(entries)})"
            cost = f"; {describe_duration(total)} of work per case{known}"
            if saved:
                cost += f", {describe_duration(saved)} of it to save"
            data["work_per_case_s"] = total.total_seconds()
            data["redundant_per_case_s"] = saved.total_seconds()
        return self.finding(
            f"'{first.title}' ({first.actor_title}) is also done as '{other.title}' "
            f"({other.actor_title}){where}{tail}: {who} {first.work}{by}{cost}",
            elements=tuple(e.step for e in listed),
            process=first.process,
            suggestion=Suggestion.merge(
                f"Do this work once ('{first.title}', {first.actor_title}) and let the others "
                "use the result"
            ),
            data=data,
        )


@lru_cache(maxsize=8192)
def _work_of(title: str, systems: tuple[str, ...]) -> Work | None:
    """The work of a step name among the map's system names, read once: a map checked again
    after a change (the editor, on every key) mostly has the names it had."""
    return work_of(title, systems)


def _and(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
