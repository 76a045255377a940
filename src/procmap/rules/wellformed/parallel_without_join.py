"""MAP005 parallel-without-join: parallel branches that never meet again."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class ParallelWithoutJoin(Rule):
    """A parallel step starts branches that never meet again.

    Why: Well-formedness (BPMN practice; seed 003: "flows branch and depend on
    each other"): a `parallel` step starts all its ways out at once. When they
    never meet again at a join, nobody waits for all of them: the case ends in
    several places, nothing says when it is done, and the map cannot tell how
    long it takes or whether every branch went right. Often only one of the
    branches was meant to happen: then it is a decision.

    Example:
        steps:
          split: {actor: sales, kind: parallel, then: [send-contract, book-kickoff]}
          send-contract: {actor: sales}
          book-kickoff: {actor: success}

    Fix: add a `parallel` step where the branches meet (every branch `then:` it),
    or make the split a `decision` if a case takes only one of the ways.
    """

    id = "MAP005"
    name = "parallel-without-join"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        for sid in ctx.graph.unjoined_forks():
            ways = ", ".join(f"'{process.step_title(t)}'" for t in ctx.graph.successors(sid))
            yield self.finding(
                f"Parallel step '{process.step_title(sid)}' starts {ways} at once, "
                "and they never meet again",
                elements=(sid,),
                suggestion=Suggestion.add(
                    "Add a parallel step where the branches meet, or make it a decision "
                    "if a case takes only one of the ways"
                ),
            )
