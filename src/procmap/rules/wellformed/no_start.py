"""MAP001 no-start: the map does not say where the process starts."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process, StepKind
from procmap.rules.base import Context, Rule


class NoStart(Rule):
    """No step is marked as the start.

    Why: Well-formedness (BPMN practice, and seed 000's backwards questions end
    at "nothing, it starts here"): without a start, reachability, failure risk
    and cycle time are measured from guesses (steps nothing leads to).

    Example:
        steps:
          submit-details: {actor: customer, then: [create-record]}   # no kind: start

    Fix: mark the step where a case begins with `kind: start`.
    """

    id = "MAP001"
    name = "no-start"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        if process.steps and not any(s.kind is StepKind.START for s in process.steps.values()):
            yield self.finding(
                f"Process '{process.title}' has no start step",
                suggestion=Suggestion.add("Mark the step where a case begins with kind: start"),
            )
