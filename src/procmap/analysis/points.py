"""The outside-in inventory of a map: Moments of Truth, Break Points, Business Rules.

The definitions are those of DESIGN.md §3, fixed so that users and tests agree:

* **Moment of Truth**: a step in which a customer takes part: its actor is of
  kind ``customer``, or ``with`` names one. A start or end event only marks
  where the process begins or stops and is left out, unless its ``with`` names
  parties taking part (a call that starts the process). The other party (the
  counterpart) is the step's own actor or one named in ``with`` (a team or
  partner before a system); when the customer acts alone, it is the actor of
  the step before or after. The interaction is a *person* one when a named
  counterpart is a team or partner, a *system* one when it is a system. When
  the customer acts alone the channel decides (web and app are self-service, so
  system; phone, chat and in-person are person), else the kind of the
  neighbouring actor.
* **Break Point**: a flow whose two steps have different actors: a hand-off.
* **Business Rule**: a decision step, or any step with a ``rule``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from procmap.model.process import ActorKind, Channel, Flow, Process, StepKind

Interaction = Literal["person", "system"]

SYSTEM_CHANNELS = {Channel.WEB, Channel.APP}
PERSON_CHANNELS = {Channel.PHONE, Channel.IN_PERSON, Channel.CHAT}


@dataclass(frozen=True)
class MomentOfTruth:
    """A step where the customer meets the organisation."""

    step: str
    customer: str
    counterpart: str | None
    interaction: Interaction
    channel: Channel | None


@dataclass(frozen=True)
class BreakPoint:
    """A hand-off: a flow from one actor to another."""

    flow: Flow
    from_actor: str
    to_actor: str
    wait: timedelta | None


@dataclass(frozen=True)
class BusinessRule:
    """A decision point, or a step that applies a rule."""

    step: str
    rule: str | None
    is_decision: bool


def customer_actors(process: Process) -> set[str]:
    """Ids of the actors of kind customer."""
    return {a for a, actor in process.actors.items() if actor.kind is ActorKind.CUSTOMER}


def in_customer_lane(process: Process, step_id: str) -> bool:
    """Whether the step is done by a customer (its actor is of kind customer)."""
    return process.actors[process.steps[step_id].actor].kind is ActorKind.CUSTOMER


def is_customer_step(process: Process, step_id: str) -> bool:
    """Whether a customer takes part in the step: its actor is one, or ``with`` names one."""
    step = process.steps[step_id]
    customers = customer_actors(process)
    return step.actor in customers or any(a in customers for a in step.with_)


def moments_of_truth(process: Process) -> list[MomentOfTruth]:
    """Every Moment of Truth, in map order."""
    return process.graph.remember("moments_of_truth", lambda: _moments_of_truth(process))


def _moments_of_truth(process: Process) -> list[MomentOfTruth]:
    customers = customer_actors(process)
    found = []
    for sid, step in process.steps.items():
        if step.kind in (StepKind.START, StepKind.END) and not step.with_:
            continue
        parties = [step.actor, *step.with_]
        present = [a for a in parties if a in customers]
        if not present:
            continue
        named = [a for a in parties if a not in customers and a in process.actors]
        if named:
            people = [a for a in named if process.actors[a].kind is not ActorKind.SYSTEM]
            counterpart: str | None = (people or named)[0]
            interaction: Interaction = "person" if people else "system"
        else:
            counterpart = _neighbour_counterpart(process, sid, customers, step.channel)
            interaction = _alone(process, counterpart, step.channel)
        found.append(
            MomentOfTruth(
                step=sid,
                customer=present[0],
                counterpart=counterpart,
                interaction=interaction,
                channel=step.channel,
            )
        )
    return found


def _neighbour_counterpart(
    process: Process, sid: str, customers: set[str], channel: Channel | None
) -> str | None:
    """Whom a customer acting alone meets: the actor of a step next to it.

    The step before, unless that step already met the customer (it names them
    in ``with``): then the customer turns to the step after. Start and end
    events count only when no other step is next to it. A channel that suggests
    a kind (web and app a system, phone, chat, in-person a person) picks the
    first neighbour of that kind if there is one.
    """
    graph = process.graph
    before, after = graph.predecessors(sid), graph.successors(sid)
    met = any(a in customers for b in before for a in process.steps[b].with_)
    steps = [process.steps[s] for s in ([*after, *before] if met else [*before, *after])]
    events = (StepKind.START, StepKind.END)
    actors = [s.actor for s in steps if s.actor not in customers and s.kind not in events]
    actors = actors or [s.actor for s in steps if s.actor not in customers]  # events only
    if channel in SYSTEM_CHANNELS or channel in PERSON_CHANNELS:
        want_system = channel in SYSTEM_CHANNELS
        fitting = [a for a in actors if (process.actors[a].kind is ActorKind.SYSTEM) == want_system]
        actors = fitting or actors
    return actors[0] if actors else None


def _alone(process: Process, counterpart: str | None, channel: Channel | None) -> Interaction:
    """A customer acting alone: the channel decides, else the neighbour's kind."""
    if channel in SYSTEM_CHANNELS:
        return "system"
    if channel in PERSON_CHANNELS:
        return "person"
    actor = process.actors.get(counterpart) if counterpart else None
    if actor is not None and actor.kind is ActorKind.SYSTEM:
        return "system"
    return "person"


def break_points(process: Process) -> list[BreakPoint]:
    """Every hand-off between actors, in flow order."""
    return process.graph.remember("break_points", lambda: _break_points(process))


def _break_points(process: Process) -> list[BreakPoint]:
    steps = process.steps
    return [
        BreakPoint(
            flow=flow,
            from_actor=steps[flow.source].actor,
            to_actor=steps[flow.target].actor,
            wait=steps[flow.target].wait,
        )
        for flow in process.flows
        if steps[flow.source].actor != steps[flow.target].actor
    ]


def business_rules(process: Process) -> list[BusinessRule]:
    """Every decision and every step with a rule, in map order."""
    return process.graph.remember("business_rules", lambda: _business_rules(process))


def _business_rules(process: Process) -> list[BusinessRule]:
    return [
        BusinessRule(step=sid, rule=step.rule, is_decision=step.kind is StepKind.DECISION)
        for sid, step in process.steps.items()
        if step.kind is StepKind.DECISION or step.rule
    ]
