"""XF002 ping-pong: work goes from one team to another and straight back."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import ActorKind, Process
from procmap.rules.base import Context, Rule

INTERNAL = (ActorKind.TEAM, ActorKind.PARTNER)


class PingPong(Rule):
    """Work goes from one team to another and straight back.

    Why: Visual Workflow (seed 002) finds front-office trouble in the hand-offs
    between functions; a case that bounces A → B → A crosses two Break Points
    (seed 001) where one conversation would do, and waits in two queues.

    Example:
        steps:
          prepare-quote: {actor: sales, then: [check-stock]}
          check-stock:   {actor: service, then: [send-quote]}
          send-quote:    {actor: sales}

    Fix: let the first team do the middle step (give Sales stock visibility),
    or move the whole exchange to the second team.
    """

    id = "XF002"
    name = "ping-pong"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        steps = process.steps
        graph = ctx.graph
        for middle, step in steps.items():
            if process.actors[step.actor].kind not in INTERNAL:
                continue
            for before in graph.predecessors(middle):
                a = steps[before].actor
                if a == step.actor or process.actors[a].kind not in INTERNAL:
                    continue
                for after in graph.successors(middle):
                    if steps[after].actor != a:
                        continue
                    yield self.finding(
                        f"Step '{process.step_title(middle)}' ({process.actor_title(step.actor)}) "
                        f"sends work back to {process.actor_title(a)}: "
                        f"'{process.step_title(before)}' → '{process.step_title(middle)}' → "
                        f"'{process.step_title(after)}'",
                        elements=(middle, before, after),
                        suggestion=Suggestion.eliminate(
                            f"Let {process.actor_title(a)} do '{process.step_title(middle)}' "
                            f"itself, or hand the whole exchange to {process.actor_title(step.actor)}"
                        ),
                    )
