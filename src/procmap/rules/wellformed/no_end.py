"""MAP002 no-end: no step ends a case, or an end event has steps after it."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process, StepKind
from procmap.rules.base import Context, Rule


class NoEnd(Rule):
    """No step ends a case: an end event leads on, or every step has one after it.

    Why: Well-formedness (BPMN practice): a case ends at a step with nothing
    after it, an end event (`kind: end`, the result) or a last piece of work
    (DESIGN §2). An end event with a step after it says "done" where the case
    goes on, so the map no longer tells when a case is finished, and paths run
    past their outcome (seed 000). (A map in which every step has one after it
    loops forever; loading refuses it.)

    Example:
        steps:
          money-received: {actor: customer, kind: end, then: [send-survey]}
          send-survey: {actor: service}

    Fix: move the end event after the last step, or make it a task
    (`kind: task`) if it is work.
    """

    id = "MAP002"
    name = "no-end"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        graph = ctx.graph
        events = [s for s, step in process.steps.items() if step.kind is StepKind.END]
        for sid in events:
            after = graph.successors(sid)
            if not after:
                continue
            names = ", ".join(f"'{process.step_title(a)}'" for a in after)
            yield self.finding(
                f"End event '{process.step_title(sid)}' has a step after it ({names}): "
                "a result closes a case, nothing follows it",
                elements=(sid, *after),
                suggestion=Suggestion.improve(
                    "Move the end event after the last step, or make it a task "
                    "(kind: task) if it is work"
                ),
            )
        if events or not process.steps or any(not graph.successors(s) for s in process.steps):
            return
        yield self.finding(
            f"No step of process '{process.title}' ends a case: every step has one after it",
            suggestion=Suggestion.add("Add the way out of the loop: the step after which a case is done"),
        )
