"""MAP003 decision-with-one-branch: a decision that decides nothing."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process, StepKind
from procmap.rules.base import Context, Rule


class DecisionWithOneBranch(Rule):
    """A decision has only one way out.

    Why: Well-formedness (BPMN practice): a decision with one branch chooses
    nothing. Either the other branches are missing from the map (what happens
    when the answer is no?), or it is no decision and adds a Business Rule
    (seed 001) for nothing.

    Example:
        steps:
          big-order:
            kind: decision
            actor: sales
            branches: {yes: assign-manager}

    Fix: add the missing branches, or make it a task.
    """

    id = "MAP003"
    name = "decision-with-one-branch"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        for sid, step in process.steps.items():
            if step.kind is StepKind.DECISION and len(ctx.graph.successors(sid)) == 1:
                yield self.finding(
                    f"Decision '{process.step_title(sid)}' has only one way out",
                    elements=(sid,),
                    suggestion=Suggestion.add(
                        "Add the other branches (what if the answer is no?), or make it a task"
                    ),
                )
