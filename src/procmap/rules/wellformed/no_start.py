"""MAP001 no-start: no step begins a case, or a start event has steps before it."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process, StepKind
from procmap.rules.base import Context, Rule


class NoStart(Rule):
    """No step begins a case: every step has a step before it.

    Why: Well-formedness (BPMN practice, and seed 000's backwards questions end
    at "nothing, it starts here"): a case begins at a step with nothing before
    it, a start event (`kind: start`, the trigger) or a first piece of work
    (DESIGN §2). When every step has one before it, the flows run in a circle
    and reachability, failure risk and cycle time have no place to begin. A
    start event with a step before it is no trigger either: something already
    happened.

    Example:
        steps:
          submit-details: {actor: customer, needs: [ask-again], then: [check]}
          check: {actor: sales, then: [ask-again, send-quote]}
          ask-again: {actor: sales}          # leads back to the first step
          send-quote: {actor: sales}

    Fix: find where a case really begins and cut the flow that leads back into
    it, or add the trigger as a start event (`kind: start`) before it. A flow
    that returns to a start event should return to the step after it.
    """

    id = "MAP001"
    name = "no-start"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        graph = ctx.graph
        events = [s for s, step in process.steps.items() if step.kind is StepKind.START]
        for sid in events:
            before = graph.predecessors(sid)
            if not before:
                continue
            names = ", ".join(f"'{process.step_title(b)}'" for b in before)
            yield self.finding(
                f"Start event '{process.step_title(sid)}' has a step before it ({names}): "
                "a trigger opens a case, nothing comes before it",
                elements=(sid, *before),
                suggestion=Suggestion.improve(
                    "Lead the flow back to the step after the start event, or make the "
                    "start event a task (kind: task) if it is work"
                ),
            )
        if events or not process.steps or any(not graph.predecessors(s) for s in process.steps):
            return
        yield self.finding(
            f"No step of process '{process.title}' begins a case: every step has one before it",
            suggestion=Suggestion.add(
                "Cut the flow that leads back into the first step, or add the trigger "
                "before it as a start event (kind: start)"
            ),
        )
