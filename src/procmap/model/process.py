"""The process-map model: one process with its actors, outcomes and steps.

The classes mirror the YAML format of DESIGN.md §2 field by field, so the JSON
Schema generated from them is the format's schema. Everything is frozen: a
loaded map is a value, and analyses derive views from it (see ``graph.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from procmap.model.calendar import CalendarText
from procmap.model.durations import ArrivalsText, TimedDuration

FORMAT_VERSION = 1

ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.:-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _not_true_or_false(error_type: str) -> BeforeValidator:
    """Refuse true/false where a number is expected (Pydantic would read them as 1 and 0)."""

    def check(value: Any) -> Any:
        if isinstance(value, bool):
            raise PydanticCustomError(error_type, "true or false is not a number")
        return value

    return BeforeValidator(check)


Probability = Annotated[float, Field(ge=0.0, le=1.0), _not_true_or_false("float_type")]
Level = Annotated[int, Field(ge=1, le=4), _not_true_or_false("int_type")]
Capacity = Annotated[int, Field(ge=1, le=100_000), _not_true_or_false("int_type")]
Cost = Annotated[float, Field(ge=0.0), _not_true_or_false("float_type")]


LANGUAGE_PATTERN = re.compile(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*")


def _check_language(value: Any) -> Any:
    """A language tag (BCP 47's shape: de, de-CH, pt_BR, ja), kept as written."""
    if isinstance(value, str) and LANGUAGE_PATTERN.fullmatch(value.strip()):
        return value.strip()
    if isinstance(value, str):
        raise ValueError("is not a language tag: write one such as de, en-GB or ja")
    return value


Language = Annotated[
    str,
    BeforeValidator(_check_language),
    WithJsonSchema({
        "type": "string",
        "pattern": "^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$",
        "description": "The language of the map's names, a tag such as de, en-GB or ja: "
        "diagrams hyphenate long words by it",
        "examples": ["de", "en-GB", "ja"],
    }),
]


def _as_list(value: Any) -> Any:
    """Let a single id stand for a one-element list: ``needs: a`` = ``needs: [a]``."""
    if isinstance(value, str):
        return [value]
    return value


NameList = Annotated[
    tuple[Text, ...], BeforeValidator(_as_list, json_schema_input_type=Text | list[Text])
]
IdList = Annotated[
    tuple[Id, ...], BeforeValidator(_as_list, json_schema_input_type=Id | list[Id])
]


class ActorKind(StrEnum):
    """Who a swimlane stands for."""

    CUSTOMER = "customer"
    TEAM = "team"
    SYSTEM = "system"
    PARTNER = "partner"


class OutcomeFor(StrEnum):
    """Whose outcome it is."""

    CUSTOMER = "customer"
    BUSINESS = "business"


class StepKind(StrEnum):
    """What kind of point a step is in the flow.

    ``task``, ``wait`` and ``subprocess`` are work; ``start`` and ``end`` are
    events (the trigger that opens a case, the result that closes it: no work
    time); ``decision`` and ``parallel`` are gateways that do no work: a decision
    takes exactly one of its branches, a parallel step starts all its ways out at
    once (fork) and waits for all its ways in (join).
    """

    TASK = "task"
    DECISION = "decision"
    PARALLEL = "parallel"
    START = "start"
    END = "end"
    WAIT = "wait"
    SUBPROCESS = "subprocess"


GATEWAYS = frozenset({StepKind.DECISION, StepKind.PARALLEL})
"""Kinds that route the flow and do no work."""
EVENTS = frozenset({StepKind.START, StepKind.END})
"""Kinds that mark where a case begins or ends and do no work."""


class Channel(StrEnum):
    """How the parties of a step meet."""

    IN_PERSON = "in-person"
    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"
    APP = "app"
    LETTER = "letter"
    CHAT = "chat"


class Value(StrEnum):
    """Who a step adds value for (lean: customer value, business value, none)."""

    CUSTOMER = "customer"
    BUSINESS = "business"
    NONE = "none"


class _Element(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        use_enum_values=False,
        str_strip_whitespace=True,
    )


class Actor(_Element):
    """A swimlane: the customer, a team, a system or a partner."""

    kind: ActorKind = Field(description="customer, team, system or partner")
    name: Text | None = Field(default=None, description="Display name of the lane")
    note: str | None = None
    seen_by: NameList = Field(
        default=(), alias="seen-by", description="Workshop merge: the participants who drew it"
    )
    capacity: Capacity | None = Field(
        default=None, description="Simulation: how many can work at once in this lane"
    )
    cost: Cost | None = Field(default=None, description="Simulation: cost of an hour of work")
    calendar: CalendarText | None = Field(
        default=None, description="Simulation: working hours, e.g. Mon-Fri 09:00-17:00"
    )


class Outcome(_Element):
    """What the process exists for: a result for the customer or the business."""

    name: Text = Field(description="The outcome in words, e.g. 'Customer knows how to pay'")
    for_: OutcomeFor = Field(
        default=OutcomeFor.CUSTOMER, alias="for", description="customer (default) or business"
    )
    note: str | None = None
    seen_by: NameList = Field(
        default=(), alias="seen-by", description="Workshop merge: the participants who drew it"
    )


def _as_branch(value: Any) -> Any:
    if isinstance(value, str):
        return {"to": value}
    return value


class Branch(_Element):
    """One way out of a decision."""

    to: Id = Field(description="The step this branch leads to")
    probability: Probability | None = Field(
        default=None, description="Share of cases that take this branch (0..1)"
    )


class Step(_Element):
    """One point of the process: a task, decision, parallel, start, end, wait or subprocess."""

    name: Text | None = Field(default=None, description="What happens, in words")
    actor: Id = Field(description="The actor (lane) who does it")
    kind: StepKind = Field(default=StepKind.TASK, description="task (default), decision, parallel, start, end, wait, subprocess")
    needs: IdList = Field(default=(), description="Steps that come before (backwards edges)")
    then: IdList = Field(default=(), description="Steps that come after (forwards edges)")
    branches: dict[
        str, Annotated[Branch, BeforeValidator(_as_branch, json_schema_input_type=Id | Branch)]
    ] = Field(
        default_factory=dict, description="Decisions: label → step, or {to, probability}"
    )
    delivers: IdList = Field(default=(), description="Outcomes this step achieves")
    with_: IdList = Field(default=(), alias="with", description="Other actors taking part")
    channel: Channel | None = Field(default=None, description="in-person, phone, email, …")
    duration: TimedDuration | None = Field(
        default=None, description="Work time, e.g. 15m, 10m..30m or {mean: 8m, distribution: exponential}"
    )
    wait: TimedDuration | None = Field(
        default=None, description="Waiting time before it, e.g. 2d or 1d..3d"
    )
    fails: Probability | None = Field(default=None, description="Chance it goes wrong (0..1)")
    value: Value | None = Field(default=None, description="customer, business or none")
    calls: Id | None = Field(default=None, description="Subprocesses: the process id it runs")
    rule: Text | None = Field(default=None, description="The business rule it applies")
    note: str | None = None
    bpmn_id: Id | None = Field(default=None, alias="bpmn-id", description="The element's id in the BPMN file the step was imported from (kept for the round trip)")
    seen_by: NameList = Field(
        default=(), alias="seen-by", description="Workshop merge: the participants who drew it"
    )


class Process(_Element):
    """One process map, as one YAML file holds it.

    Example:
        >>> import procmap
        >>> p = procmap.loads('''
        ... procmap: 1
        ... process: hello
        ... actors: {customer: {kind: customer}}
        ... outcomes: {greeted: {name: Customer is greeted}}
        ... steps:
        ...   say-hello: {actor: customer, delivers: [greeted]}
        ... ''')
        >>> p.steps["say-hello"].actor
        'customer'
    """

    procmap: Literal[1] = Field(description="Format version of this file")
    process: Id = Field(description="The process id, unique in a catalog")
    name: Text | None = Field(default=None, description="Display name")
    level: Level | None = Field(default=None, description="L1 (function) to L4")
    owner: Text | None = Field(default=None, description="The one team that owns it")
    part_of: Id | None = Field(default=None, alias="part-of", description="Parent process id")
    author: Text | None = Field(default=None, description="Who drew this map")
    language: Language | None = Field(
        default=None, description="Language of the names (de, en-GB, ja): diagrams hyphenate by it"
    )
    note: str | None = None
    actors: dict[Id, Actor] = Field(default_factory=dict, description="The swimlanes")
    outcomes: dict[Id, Outcome] = Field(default_factory=dict, description="What it is for")
    steps: dict[Id, Step] = Field(default_factory=dict, description="The steps, by id")
    arrivals: ArrivalsText | None = Field(
        default=None, description="Simulation: how often a case starts, e.g. every 10m or 200 per day"
    )
    calendar: CalendarText | None = Field(
        default=None, description="Simulation: when cases arrive, e.g. Mon-Fri 09:00-17:00"
    )

    @property
    def title(self) -> str:
        """The display name, or the id made readable."""
        return self.name or humanize(self.process)

    def step_title(self, step_id: str) -> str:
        """A step's display name, or its id made readable."""
        return self.steps[step_id].name or humanize(step_id)

    def actor_title(self, actor_id: str) -> str:
        """An actor's display name, or its id made readable."""
        actor = self.actors.get(actor_id)
        return (actor.name if actor else None) or humanize(actor_id)

    @cached_property
    def flows(self) -> tuple[Flow, ...]:
        """Every flow of the map, from ``needs``, ``then`` and ``branches``, once each.

        A flow stated twice (``then`` on one side and ``needs`` on the other) is
        one flow; a branch label wins over an unlabelled statement of the same flow.
        Order: by source step in map order, then as written.
        """
        return build_flows(self)

    @cached_property
    def graph(self):  # -> ProcessGraph, imported lazily to keep the model light
        """The flow graph of the map (see :class:`procmap.model.graph.ProcessGraph`)."""
        from procmap.model.graph import ProcessGraph

        return ProcessGraph(self)


@dataclass(frozen=True, slots=True)
class Flow:
    """A directed flow between two steps, however the map wrote it."""

    source: str
    target: str
    label: str | None = None
    probability: float | None = None
    via: Literal["needs", "then", "branch"] = "then"


def build_flows(process: Process) -> tuple[Flow, ...]:
    flows: dict[tuple[str, str], Flow] = {}
    order = {step_id: i for i, step_id in enumerate(process.steps)}
    for step_id, step in process.steps.items():
        for label, branch in step.branches.items():
            key = (step_id, branch.to)
            if key not in flows or flows[key].label is None:
                flows[key] = Flow(
                    source=step_id,
                    target=branch.to,
                    label=label,
                    probability=branch.probability,
                    via="branch",
                )
        for target in step.then:
            flows.setdefault((step_id, target), Flow(source=step_id, target=target, via="then"))
        for source in step.needs:
            flows.setdefault((source, step_id), Flow(source=source, target=step_id, via="needs"))
    return tuple(
        sorted(flows.values(), key=lambda f: (order.get(f.source, -1), order.get(f.target, -1)))
    )


def humanize(identifier: str) -> str:
    """``create-crm-record`` → ``Create crm record``."""
    words = identifier.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else identifier


def total_seconds(value: timedelta | None) -> float:
    """Seconds of an optional duration (0 when absent)."""
    return value.total_seconds() if value is not None else 0.0
