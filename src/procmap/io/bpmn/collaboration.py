"""The collaboration a map becomes in BPMN: pools, lanes, nodes and flows.

The map is turned into this plain structure first; the writer
(:mod:`procmap.io.bpmn.writer`) writes its XML and the shapes module
(:mod:`procmap.io.bpmn.shapes`) its diagram, both from it. BPMN wants every
pool's process well-formed, so the events and gateways the map leaves implicit
are added here (and marked, so that import drops them again).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from procmap.model.process import (
    Actor,
    ActorKind,
    Channel,
    Flow,
    Process,
    Step,
    StepKind,
)

CustomerAs = Literal["pool", "lane"]

_NOT_NCNAME = re.compile(r"[^A-Za-z0-9_.-]")
_RECEIVES = {"task", "userTask", "manualTask", "serviceTask", "sendTask", "receiveTask",
             "callActivity"}
_SENDS = _RECEIVES | {"endEvent"}


@dataclass
class Node:
    """A flow node of the export: a step of the map, or an element added for BPMN."""

    id: str
    tag: str
    pool: str
    lane: str | None
    name: str | None = None
    step: str | None = None
    """The map's step id; None for added elements."""
    event: str | None = None
    """message or timer: the event definition of an event."""
    role: str = "step"
    """What an added element is for: Start, End, Send, Receive, Split or Join."""


@dataclass
class Edge:
    """A sequence or message flow of the export."""

    id: str
    source: str
    target: str
    message: bool = False
    name: str | None = None
    flow: Flow | None = None
    """The map's flow this edge stands for (one edge per flow carries it)."""


@dataclass
class Pool:
    """A participant: the customer's pool, or the organisation's with its lanes."""

    key: str
    id: str
    process_id: str
    name: str
    actors: list[str]
    lanes: bool
    lane_set_id: str = ""


@dataclass
class Collaboration:
    """Everything the XML and its diagram are written from."""

    process: Process
    pools: list[Pool]
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    step_ids: dict[str, str] = field(default_factory=dict)
    """Map step id → BPMN id."""
    lane_ids: dict[str, str] = field(default_factory=dict)
    """Actor id → BPMN id of its lane (actors of pools with lanes)."""
    id: str = "Collaboration"


class _Ids:
    """Unique, valid xsd:NCName ids, derived deterministically."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, wanted: str) -> str:
        text = _NOT_NCNAME.sub("_", wanted)
        if not re.match(r"[A-Za-z_]", text):
            text = "_" + text
        candidate, n = text, 1
        while candidate in self.used:
            n += 1
            candidate = f"{text}_{n}"
        self.used.add(candidate)
        return candidate


def _task_tag(step: Step, actor: Actor | None) -> str:
    if actor is not None and actor.kind is ActorKind.SYSTEM:
        return "serviceTask"
    channel = step.channel
    if channel in (Channel.EMAIL, Channel.LETTER):
        return "receiveTask" if actor is not None and actor.kind is ActorKind.CUSTOMER else "sendTask"
    if channel in (Channel.WEB, Channel.APP, Channel.CHAT):
        return "userTask"
    if channel in (Channel.IN_PERSON, Channel.PHONE):
        return "manualTask"
    return "task"


_KIND_TAG = {StepKind.DECISION: "exclusiveGateway", StepKind.PARALLEL: "parallelGateway",
             StepKind.START: "startEvent",
             StepKind.END: "endEvent", StepKind.WAIT: "intermediateCatchEvent",
             StepKind.SUBPROCESS: "callActivity"}


def collaboration(process: Process, *, customer_as: CustomerAs = "pool") -> Collaboration:
    """The pools, flow nodes and flows of the export (see the module docstring)."""
    ids = _Ids()
    customers = [a for a, actor in process.actors.items() if actor.kind is ActorKind.CUSTOMER]
    others = [a for a in process.actors if a not in customers]
    pools: list[Pool] = []
    if customer_as == "pool":
        for actor in customers:
            pools.append(Pool(actor, "", "", process.actor_title(actor), [actor], lanes=False))
        if others:
            pools.append(Pool("", "", "", process.title, others, lanes=True))
    else:
        pools.append(Pool("", "", "", process.title, customers + others, lanes=True))
    result = Collaboration(process, pools)
    for step_id, step in process.steps.items():  # an imported step keeps its BPMN id
        result.step_ids[step_id] = ids.make(step.bpmn_id or step_id)
    for pool in pools:
        pool.id = ids.make(f"Participant_{pool.key or process.process}")
        pool.process_id = ids.make(f"Process_{pool.key or process.process}")
        pool.lane_set_id = ids.make(f"LaneSet_{pool.key or process.process}")
        for actor in pool.actors if pool.lanes else ():
            result.lane_ids[actor] = ids.make(f"Lane_{actor}")
    result.id = ids.make(f"Collaboration_{process.process}")
    pool_of = {actor: pool.key for pool in pools for actor in pool.actors}
    nodes = result.nodes
    for step_id, step in process.steps.items():
        bpmn_id = result.step_ids[step_id]
        tag = _KIND_TAG.get(step.kind) or _task_tag(step, process.actors.get(step.actor))
        nodes[bpmn_id] = Node(bpmn_id, tag, pool_of[step.actor], step.actor,
                              process.step_title(step_id), step_id,
                              "timer" if step.kind is StepKind.WAIT else None)
    _Builder(result, ids).run()
    return result


class _Builder:
    """Adds flows, and the events and gateways BPMN needs, to a collaboration."""

    def __init__(self, result: Collaboration, ids: _Ids) -> None:
        self.result = result
        self.ids = ids
        self.nodes = result.nodes
        self.inner: list[Edge] = []  # sequence flows before gateways are added

    def add(self, tag: str, beside: Node, what: str, name: str, event: str | None = None) -> Node:
        node = Node(self.ids.make(f"{what}_{beside.id}"), tag, beside.pool, beside.lane, name,
                    event=event, role=what)
        self.nodes[node.id] = node
        return node

    def edge(self, source: str, target: str, *, message: bool = False, name: str | None = None,
             flow: Flow | None = None) -> Edge:
        prefix = "MessageFlow" if message else "Flow"
        edge = Edge(self.ids.make(f"{prefix}_{source}_{target}"), source, target, message,
                    name, flow)
        (self.result.edges if message else self.inner).append(edge)
        return edge

    def run(self) -> None:
        process, ids = self.result.process, self.result.step_ids
        cross = []
        for flow in process.flows:
            source, target = self.nodes[ids[flow.source]], self.nodes[ids[flow.target]]
            if source.pool == target.pool:
                self.edge(source.id, target.id, name=flow.label, flow=flow)
            else:
                cross.append((source, target, flow))
        has_in = {e.target for e in self.inner}
        has_out = {e.source for e in self.inner}
        receivers: dict[str, Node] = {}
        for source, target, flow in cross:
            sender = source
            if source.tag not in _SENDS:
                sender = self.add("endEvent", source, "Send",
                                  f"To {process.actor_title(target.lane or '')}", "message")
                self.edge(source.id, sender.id, name=flow.label)
                has_out.add(source.id)
            elif source.tag == "endEvent" and source.step is not None:
                source.event = "message"
            receiver = target
            if target.id not in has_in or target.tag not in _RECEIVES:
                if target.id not in receivers:
                    start = self.add("startEvent", target, "Receive",
                                     f"From {process.actor_title(source.lane or '')}", "message")
                    self.edge(start.id, target.id)
                    receivers[target.id] = start
                receiver = receivers[target.id]
            self.edge(sender.id, receiver.id, message=True, name=flow.label, flow=flow)
        has_in = {e.target for e in self.inner}
        for node in list(self.nodes.values()):
            if node.step is None:
                continue
            if node.id not in has_in and node.tag != "startEvent":
                start = self.add("startEvent", node, "Start", "Start")
                self.edge(start.id, node.id)
            if node.id not in has_out and node.tag != "endEvent":
                end = self.add("endEvent", node, "End", "Done")
                self.edge(node.id, end.id)
        self._gateways()

    def _gateways(self) -> None:
        """Split where a step goes on to several steps, merge where flows meet."""
        outgoing: dict[str, list[Edge]] = defaultdict(list)
        incoming: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.inner:
            outgoing[edge.source].append(edge)
            incoming[edge.target].append(edge)
        process = self.result.process
        parallel = {self.result.step_ids[s] for s in process.graph.parallel_joins()}
        split: dict[str, str] = {}
        join: dict[str, str] = {}
        for node_id, edges in outgoing.items():
            node = self.nodes[node_id]
            if len(edges) > 1 and not node.tag.endswith("Gateway"):
                split[node_id] = self.add("parallelGateway", node, "Split", "").id
        for node_id, edges in incoming.items():
            node = self.nodes[node_id]
            own = node.tag == "parallelGateway" and node.step is not None
            if len(edges) > 1 and not (own and len(outgoing[node_id]) <= 1):
                # a parallel step is a join itself, unless it forks too (BPMN wants a
                # gateway to do one of the two)
                tag = "parallelGateway" if node_id in parallel or own else "exclusiveGateway"
                join[node_id] = self.add(tag, node, "Join", "").id
        for edge in self.inner:
            edge.source = split.get(edge.source, edge.source)
            edge.target = join.get(edge.target, edge.target)
        for node_id, gateway in split.items():
            self.edge(node_id, gateway)
        for node_id, gateway in join.items():
            self.edge(gateway, node_id)
        self.result.edges[:0] = self.inner
        self.inner = []
