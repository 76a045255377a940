"""MAP002 no-end: the map does not say where the process ends."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process, StepKind
from procmap.rules.base import Context, Rule


class NoEnd(Rule):
    """No step is marked as an end.

    Why: Well-formedness (BPMN practice): without an end the map does not say
    when a case is finished, and dead ends cannot be told from ends (seed 000:
    every path should finish at an outcome).

    Example:
        steps:
          send-invoice: {actor: finance, delivers: [billed]}   # no kind: end anywhere

    Fix: add an end step (`kind: end`) where each path finishes.
    """

    id = "MAP002"
    name = "no-end"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        if process.steps and not any(s.kind is StepKind.END for s in process.steps.values()):
            yield self.finding(
                f"Process '{process.title}' has no end step",
                suggestion=Suggestion.add("Add a step with kind: end where each path finishes"),
            )
