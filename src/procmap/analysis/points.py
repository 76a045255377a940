"""The outside-in inventory of a map: Moments of Truth, Break Points, Business Rules.

The definitions are those of DESIGN.md §3, fixed so that users and tests agree:

* **Moment of Truth**: a step in which a customer takes part: its actor is of
  kind ``customer``, or ``with`` names one. It is a *person* interaction when the
  other party is a team or partner, a *system* interaction when it is a system;
  the channel decides where it says more (web and app are self-service, so
  system; phone, chat and in-person are person).
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
        others = [a for a in parties if a not in customers]
        counterpart = others[0] if others else _neighbour_counterpart(process, sid, customers)
        found.append(
            MomentOfTruth(
                step=sid,
                customer=present[0],
                counterpart=counterpart,
                interaction=_interaction(process, counterpart, step.channel),
                channel=step.channel,
            )
        )
    return found


def _neighbour_counterpart(process: Process, sid: str, customers: set[str]) -> str | None:
    graph = process.graph
    for other in [*graph.predecessors(sid), *graph.successors(sid)]:
        step = process.steps[other]
        if step.actor not in customers and step.kind not in (StepKind.START, StepKind.END):
            return step.actor
    return None


def _interaction(process: Process, counterpart: str | None, channel: Channel | None) -> Interaction:
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
