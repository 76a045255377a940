"""E2E007 calls-unknown-process: a subprocess whose map is not among those checked."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.checks import did_you_mean
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class CallsUnknownProcess(Rule):
    """A subprocess step calls a process that is not among the maps checked.

    Why: End-to-end process definition (seed 003) breaks processes into parts
    with their own maps and owners; a subprocess whose map is missing leaves a
    hole in the end-to-end picture. Catalogs are mapped a process at a time, so a
    map not drawn yet is a point on the to-do list, not a reason to analyse
    nothing: the rest of the catalog is checked as usual. Where the id is close
    to a process of the catalog, it is likely a typo, and the finding says which.

    Example:
        steps:
          score-lead: {actor: demand, kind: subprocess, calls: lead-scoring}

    Fix: check the map of the called process together with this one, write it,
    or correct the id.
    """

    id = "E2E007"
    name = "calls-unknown-process"
    default_severity = Severity.INFO

    def check_catalog(self, processes: dict[str, Process], ctx: Context) -> Iterator[Finding]:
        for process in processes.values():
            for sid, step in process.steps.items():
                if step.calls is None or step.calls in processes:
                    continue
                others = [p for p in processes if p != process.process]
                hint = did_you_mean(step.calls, others) if len(processes) > 1 else None
                message = (
                    f"Subprocess '{process.step_title(sid)}' calls '{step.calls}', which is not "
                    "among the maps checked"
                )
                yield self.finding(
                    f"{message} ({hint})" if hint else message,
                    elements=(sid,),
                    process=process.process,
                    suggestion=Suggestion.improve(f"Correct the id: {hint}") if hint else
                    Suggestion.add(
                        f"Check the map of '{step.calls}' together with this one, or write it"
                    ),
                )
