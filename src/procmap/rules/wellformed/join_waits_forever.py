"""MAP006 join-waits-forever: a parallel join that waits for a way that never comes."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class JoinWaitsForever(Rule):
    """A parallel join waits for a branch that can never come.

    Why: Well-formedness (BPMN practice: a deadlock): a `parallel` step with
    several ways in waits for all of them. When those ways parted at a decision
    (or start at different starts), a case comes only one of them, so the join
    waits for ever and the case never ends — the process is stuck exactly where
    the customer waits for it. Ways that part at a decision inside one parallel
    branch are fine: they are alternatives within that branch.

    Example:
        steps:
          approved: {actor: credit, kind: decision, branches: {yes: pay, no: refuse}}
          pay: {actor: finance, then: done}
          refuse: {actor: credit, then: done}
          done: {actor: finance, kind: parallel, then: close}

    Fix: where alternatives meet, no parallel step is needed: let both ways lead to
    the next step (or remove `kind: parallel`); keep the parallel join only where
    the ways parted at a parallel step.
    """

    id = "MAP006"
    name = "join-waits-forever"
    default_severity = Severity.ERROR

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        for sid, split in ctx.graph.stalled_joins().items():
            where = (f"at decision '{process.step_title(split)}'" if split is not None
                     else "at different starts")
            yield self.finding(
                f"Parallel step '{process.step_title(sid)}' waits for every way in, but they "
                f"part {where}: a case comes only one way, and the join waits for ever",
                elements=(sid, *((split,) if split is not None else ())),
                suggestion=Suggestion.improve(
                    "Let the alternatives lead straight to the next step (no parallel join), "
                    "or split them with a parallel step"
                ),
            )
