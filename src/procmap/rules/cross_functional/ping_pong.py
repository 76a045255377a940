"""XF002 ping-pong: work goes from one team to another and straight back."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import ActorKind, Process, StepKind
from procmap.rules.base import Context, Rule

INTERNAL = (ActorKind.TEAM, ActorKind.PARTNER)
EVENTS = (StepKind.START, StepKind.END)


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

    A start or end event on either side is no hand-off back: it only marks where
    the process begins or stops.

    One finding per pair of teams, naming the first bounce and counting the rest.

    Fix: let the first team do the middle step (give Sales stock visibility),
    or move the whole exchange to the second team.
    """

    id = "XF002"
    name = "ping-pong"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        steps = process.steps
        bounces: dict[frozenset[str], list[tuple[str, str, str]]] = {}
        for middle, before, after in self._bounces(process, ctx):
            pair = frozenset((steps[before].actor, steps[middle].actor))
            bounces.setdefault(pair, []).append((middle, before, after))
        for found in bounces.values():
            middle, before, after = found[0]
            a, b = steps[before].actor, steps[middle].actor
            more = len({m for m, _, _ in found}) - 1
            again = f" (and {more} more time{'s' if more != 1 else ''})" if more else ""
            others = tuple(dict.fromkeys(m for m, _, _ in found[1:] if m != middle))
            yield self.finding(
                f"Step '{process.step_title(middle)}' ({process.actor_title(b)}) "
                f"sends work back to {process.actor_title(a)}: "
                f"'{process.step_title(before)}' → '{process.step_title(middle)}' → "
                f"'{process.step_title(after)}'{again}",
                elements=tuple(dict.fromkeys((middle, before, after, *others))),
                suggestion=Suggestion.eliminate(
                    f"Let {process.actor_title(a)} do '{process.step_title(middle)}' "
                    f"itself, or hand the whole exchange to {process.actor_title(b)}"
                ),
                data={"bounces": more + 1},
            )

    @staticmethod
    def _bounces(process: Process, ctx: Context) -> Iterator[tuple[str, str, str]]:
        """Every (middle, before, after) where work leaves a team and comes straight back."""
        steps = process.steps
        graph = ctx.graph
        for middle, step in steps.items():
            if process.actors[step.actor].kind not in INTERNAL or step.kind in EVENTS:
                continue
            for before in graph.predecessors(middle):
                a = steps[before].actor
                if a == step.actor or process.actors[a].kind not in INTERNAL:
                    continue
                if steps[before].kind in EVENTS:
                    continue
                for after in graph.successors(middle):
                    if steps[after].actor == a and steps[after].kind not in EVENTS:
                        yield middle, before, after
