"""The outside-in inventory of a map: Moments of Truth, Break Points, Business Rules.

The definitions are those of DESIGN.md §3, fixed so that users and tests agree:

* **Moment of Truth**: a step of any kind in which a customer takes part: its
  actor is of kind ``customer``, or ``with`` names one. So a start event in the
  customer's lane (the customer reaches out) and an end event there (a result
  the customer receives) are Moments of Truth; a start or end event in another
  lane, with no customer in ``with``, is not. The other party (the counterpart)
  is one named in ``with`` or the step's own actor (a team or partner before a
  system); when the customer acts alone, it is whoever receives the contact:
  the actor of the step after, or of the step before when nothing follows. A
  result the customer receives (an end event in their lane, a step of theirs
  that delivers an outcome) comes from the step before. The interaction is
  a *person* one when a named counterpart is a team or partner, a *system* one
  when it is a system. When the customer acts alone the channel decides (web
  and app are self-service, so system; phone, chat and in-person are person),
  else the kind of the counterpart.
* **Break Point**: a flow whose two steps have different actors: a hand-off.
  A ``parallel`` step does no work and is passed over: work passes from the step
  before it to each step after it.
* **Business Rule**: a decision step, or any step with a ``rule``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from procmap.model.process import EVENTS, ActorKind, Channel, Flow, Process, Step, StepKind

Interaction = Literal["person", "system"]

SYSTEM_CHANNELS = {Channel.WEB, Channel.APP}
PERSON_CHANNELS = {Channel.PHONE, Channel.IN_PERSON, Channel.CHAT}

STATUS_CHASE = re.compile(
    r"\b(status|chas(e|er|es|ed|ing)|where's|where\b[\w\s]{0,30}\b(is|are|stands?)"
    r"|ask(s|ed|ing)?\b[\w\s]{0,20}\bupdates?|follow(s|ed|ing)?[ -]up on)\b",
    re.IGNORECASE,
)
"""Words of a customer asking where their case stands: status, chase, where is my…,
asking for an update, follow up on."""


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
    edge: tuple[str, str] | None = None
    """The flow of the map that carries it (differs from ``flow`` across a parallel step)."""


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


def is_status_chase(process: Process, step_id: str) -> bool:
    """Whether the customer chases the status of their case in this step.

    The step is the customer's own (a team step that names the customer, such as
    "Send a status update", is the team telling them) and its name asks where
    things stand (:data:`STATUS_CHASE`).
    """
    return in_customer_lane(process, step_id) and bool(
        STATUS_CHASE.search(process.step_title(step_id))
    )


def moments_of_truth(process: Process) -> list[MomentOfTruth]:
    """Every Moment of Truth, in map order."""
    return process.graph.remember("moments_of_truth", lambda: _moments_of_truth(process))


def _moments_of_truth(process: Process) -> list[MomentOfTruth]:
    customers = customer_actors(process)
    found = []
    for sid, step in process.steps.items():
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
    """Whom a customer acting alone meets: whoever receives the contact.

    The actor of a step after it; of a step before it when none follows (or
    every step after is the customer's own), and first when the step is a
    result the customer receives (an end event, or a step that delivers an
    outcome: it comes from the step before). Events next to it count only when
    no other step is. When all its neighbours are the customer's own steps, the
    first steps of others after them count. A channel that suggests a kind (web
    and app a system, phone, chat, in-person a person) picks the first neighbour
    of that kind if there is one.
    """
    graph = process.graph
    step = process.steps[sid]
    after, before = graph.successors(sid), graph.predecessors(sid)
    receives = step.kind is StepKind.END or bool(step.delivers)
    sides = (before, after) if receives else (after, before)
    near = [process.steps[s] for side in sides for s in side]
    near = [s for s in near if s.actor not in customers] or _beyond_own_steps(process, sid, customers)
    actors = [s.actor for s in near if s.kind not in EVENTS] or [s.actor for s in near]
    if channel in SYSTEM_CHANNELS or channel in PERSON_CHANNELS:
        want_system = channel in SYSTEM_CHANNELS
        fitting = [a for a in actors if (process.actors[a].kind is ActorKind.SYSTEM) == want_system]
        actors = fitting or actors
    return actors[0] if actors else None


def _beyond_own_steps(process: Process, sid: str, customers: set[str]) -> list[Step]:
    """The first steps of others after a run of the customer's own steps (signs, then fills in)."""
    graph = process.graph
    seen, todo, found = {sid}, list(graph.successors(sid)), []
    while todo:
        nxt = todo.pop(0)
        if nxt in seen:
            continue
        seen.add(nxt)
        step = process.steps[nxt]
        if step.actor in customers:
            todo.extend(graph.successors(nxt))
        else:
            found.append(step)
    return found


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
    # parallel steps do no work: the hand-off is from the step before to the one after
    steps = process.steps
    return [
        BreakPoint(
            flow=flow,
            from_actor=steps[flow.source].actor,
            to_actor=steps[flow.target].actor,
            wait=steps[flow.target].wait,
            edge=edge,
        )
        for flow, edge in process.graph.work_flows()
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
