"""E2E007 calls-unknown-process: a subprocess whose map is not among those checked."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class CallsUnknownProcess(Rule):
    """A subprocess step calls a process that is not among the maps checked.

    Why: End-to-end process definition (seed 003) breaks processes into parts
    with their own maps and owners; a subprocess whose map is missing leaves a
    hole in the end-to-end picture. (Within a catalog folder this is a load error;
    this rule speaks when maps are checked one by one.)

    Example:
        steps:
          score-lead: {actor: demand, kind: subprocess, calls: lead-scoring}

    Fix: check the map of the called process together with this one, or write it.
    """

    id = "E2E007"
    name = "calls-unknown-process"
    default_severity = Severity.INFO

    def check_catalog(self, processes: dict[str, Process], ctx: Context) -> Iterator[Finding]:
        for process in processes.values():
            for sid, step in process.steps.items():
                if step.calls is None or step.calls in processes:
                    continue
                yield self.finding(
                    f"Subprocess '{process.step_title(sid)}' calls '{step.calls}', which is not "
                    "among the maps checked",
                    elements=(sid,),
                    process=process.process,
                    suggestion=Suggestion.add(
                        f"Check the map of '{step.calls}' together with this one, or write it"
                    ),
                )
