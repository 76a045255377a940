""":class:`Process` → BPMN 2.0 XML that other modelers open, laid out.

Mapping:

* one collaboration; the organisation's actors are the lanes of one pool; each
  customer actor is a pool of its own (``customer_as="pool"``, the default) or a
  lane of the organisation's pool (``customer_as="lane"``);
* steps → tasks typed by actor and channel (a system's step is a serviceTask,
  web and app steps userTasks, in-person and phone steps manualTasks, e-mail and
  letter steps sendTasks, or receiveTasks for the customer), decisions →
  exclusive gateways whose outgoing flows carry the branch label as name and
  condition, parallel steps → parallel gateways, start/end → start/end events
  (events, no tasks), waits → timer catch events, subprocesses → call activities
  of the process they call, notes → documentation;
* a flow between the customer's pool and the organisation's is a message flow;
  a message that starts a pool's work arrives at a message start event;
* BPMN wants every pool's process well-formed, so the export adds what the map
  leaves implicit: start events in front of steps nothing leads to, end events
  after steps that lead nowhere, parallel gateways where a step goes on to
  several steps and merging gateways where several flows meet. Each carries
  ``procmap:added``, and import drops them again;
* what BPMN has no place for travels in ``procmap:`` extension elements
  (see :mod:`procmap.io.bpmn.extensions`), so import restores the map.

Ids stay the map's ids (a step imported from BPMN: its ``bpmn-id``, so the vendor's
ids come back) where they are valid xsd:NCName; otherwise they are made
valid (``1st-call`` → ``_1st-call``, ``crm:sync`` → ``crm_sync``) and the map id
is kept in ``procmap:step``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from procmap.io.bpmn.extensions import NS as PROCMAP_NS
from procmap.io.bpmn.extensions import PREFIX, TAG, append_fields, fields_of
from procmap.model.process import (
    Actor,
    ActorKind,
    Channel,
    Flow,
    Process,
    Step,
    StepKind,
)

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TARGET_NAMESPACE = "urn:procmap:process"
CustomerAs = Literal["pool", "lane"]

_NOT_NCNAME = re.compile(r"[^A-Za-z0-9_.-]")
# BPMN carries these step fields itself; the rest go to procmap:step
_STEP_IN_BPMN = {"name", "actor", "kind", "needs", "then", "branches", "note"}
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


def _iso(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    return f"P{days}DT{rest}S" if days else f"PT{rest}S"


def export_bpmn(
    process: Process, *, customer_as: CustomerAs = "pool", diagram: bool = True
) -> bytes:
    """The map as BPMN 2.0 XML (UTF-8), with diagram interchange unless ``diagram=False``.

    Example:
        >>> import procmap
        >>> process = procmap.load("examples/customer-onboarding.yaml")  # doctest: +SKIP
        >>> xml = procmap.export_bpmn(process, customer_as="lane")  # doctest: +SKIP
    """
    from lxml import etree

    collab = collaboration(process, customer_as=customer_as)
    E = _Maker(etree)
    root = E.bpmn("definitions", id="Definitions", targetNamespace=TARGET_NAMESPACE,
                  exporter="procmap", exporterVersion=_version(),
                  nsmap={"bpmn": BPMN, "bpmndi": _DI["bpmndi"], "dc": _DI["dc"],
                         "di": _DI["di"], "xsi": XSI, PREFIX: PROCMAP_NS})
    root.append(etree.Comment(" Written by procmap export "))
    collab_el = E.sub(root, "collaboration", id=collab.id, name=process.title)
    _map_extension(E, collab_el, process)
    for pool in collab.pools:
        part = E.sub(collab_el, "participant", id=pool.id, name=pool.name,
                     processRef=pool.process_id)
        if not pool.lanes:
            _actor_extension(E, part, pool.actors[0], process.actors[pool.actors[0]])
    refs_of: dict[str, list[Edge]] = defaultdict(list)
    for edge in collab.edges:
        if not edge.message:
            refs_of[edge.source].append(edge)
            refs_of[edge.target].append(edge)
    by_pool: dict[str, list[Node]] = defaultdict(list)
    for node in collab.nodes.values():
        by_pool[node.pool].append(node)
    # by id: their order in the map says nothing, and so an imported map writes the same
    for edge in sorted((e for e in collab.edges if e.message), key=lambda e: e.id):
        _flow_element(E, collab_el, "messageFlow", edge, collab)
    for pool in collab.pools:
        proc = E.sub(root, "process", id=pool.process_id, name=pool.name, isExecutable="false")
        if pool.lanes:
            lane_set = E.sub(proc, "laneSet", id=pool.lane_set_id)
            for actor_id in pool.actors:
                lane = E.sub(lane_set, "lane", id=collab.lane_ids[actor_id],
                             name=process.actor_title(actor_id))
                _actor_extension(E, lane, actor_id, process.actors[actor_id])
                for node in by_pool[pool.key]:
                    if node.lane == actor_id:
                        E.sub(lane, "flowNodeRef").text = node.id
        # the steps in map order, then what the export added and the flows, by id, so
        # that a map imported from this file writes the same XML
        nodes = by_pool[pool.key]
        for node in [n for n in nodes if n.step] + sorted((n for n in nodes if not n.step),
                                                          key=lambda n: n.id):
            _node_element(E, proc, node, collab, refs_of)
        edges = [e for e in collab.edges
                 if not e.message and collab.nodes[e.source].pool == pool.key]
        for edge in sorted(edges, key=lambda e: e.id):
            _flow_element(E, proc, "sequenceFlow", edge, collab)
    if diagram:
        from procmap.io.bpmn.diagram import add_diagram

        add_diagram(root, collab)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


_DI = {"bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
       "dc": "http://www.omg.org/spec/DD/20100524/DC",
       "di": "http://www.omg.org/spec/DD/20100524/DI"}


class _Maker:
    def __init__(self, etree: Any) -> None:
        self.etree = etree

    def bpmn(self, tag: str, nsmap: dict[str, str] | None = None, **attrs: str) -> Any:
        return self.etree.Element(f"{{{BPMN}}}{tag}", attrs, nsmap=nsmap)

    def sub(self, parent: Any, tag: str, **attrs: str) -> Any:
        return self.etree.SubElement(parent, f"{{{BPMN}}}{tag}",
                                     {k: v for k, v in attrs.items() if v})

    def ext(self, parent: Any, name: str, **attrs: str) -> Any:
        holder = self.sub(parent, "extensionElements")
        return self.etree.SubElement(holder, TAG + name, {k: v for k, v in attrs.items() if v})


def _version() -> str:
    import procmap

    return procmap.__version__


def _map_extension(E: _Maker, parent: Any, process: Process) -> None:
    data = fields_of(process, skip={"procmap", "actors", "outcomes", "steps"})
    element = E.ext(parent, "map", process=data.pop("process"))
    append_fields(element, data)
    for outcome_id, outcome in process.outcomes.items():
        child = E.etree.SubElement(element, TAG + "outcome", id=outcome_id)
        append_fields(child, fields_of(outcome, skip=set()))


def _actor_extension(E: _Maker, parent: Any, actor_id: str, actor: Actor) -> None:
    element = E.ext(parent, "actor", id=actor_id, kind=actor.kind.value)
    append_fields(element, fields_of(actor, skip={"kind"}))


def _node_element(E: _Maker, proc: Any, node: Node, collab: Collaboration,
                  refs_of: dict[str, list[Edge]]) -> None:
    process = collab.process
    step = process.steps[node.step] if node.step is not None else None
    element = E.sub(proc, node.tag, id=node.id, name=node.name or "")
    if step is not None and step.note:
        E.sub(element, "documentation").text = step.note
    if step is None:
        E.ext(element, "added")
    else:
        data = fields_of(step, skip=_STEP_IN_BPMN)
        ext = E.ext(element, "step", id=node.step or "", kind=step.kind.value,
                    named="false" if step.name is None else "")
        append_fields(ext, data)
    if node.tag == "exclusiveGateway":  # an unlabelled way out is the default one
        unlabelled = [e for e in refs_of[node.id] if e.source == node.id and not e.name]
        if unlabelled and len(unlabelled) < len([e for e in refs_of[node.id]
                                                 if e.source == node.id]):
            element.set("default", unlabelled[0].id)
    if step is not None and step.kind is StepKind.SUBPROCESS and step.calls:
        element.set("calledElement", step.calls)
    if node.event == "message":
        E.sub(element, "messageEventDefinition", id=f"{node.id}_message")
    elif node.event == "timer":
        timer = E.sub(element, "timerEventDefinition", id=f"{node.id}_timer")
        if step is not None and step.wait is not None:
            duration = E.sub(timer, "timeDuration")
            duration.set(f"{{{XSI}}}type", "bpmn:tFormalExpression")
            duration.text = _iso(step.wait)
    # incoming/outgoing references come before the event definitions in the schema
    # (tFlowNode's children before tEvent's), so they are inserted in front of them
    refs = [("incoming", e.id) for e in refs_of[node.id] if e.target == node.id]
    refs += [("outgoing", e.id) for e in refs_of[node.id] if e.source == node.id]
    position = sum(1 for c in element if c.tag in (f"{{{BPMN}}}documentation",
                                                   f"{{{BPMN}}}extensionElements"))
    for offset, (tag, ref) in enumerate(refs):
        ref_el = E.etree.Element(f"{{{BPMN}}}{tag}")
        ref_el.text = ref
        element.insert(position + offset, ref_el)


def _flow_element(E: _Maker, parent: Any, tag: str, edge: Edge, collab: Collaboration) -> None:
    element = E.sub(parent, tag, id=edge.id, name=edge.name or "", sourceRef=edge.source,
                    targetRef=edge.target)
    flow = edge.flow
    if flow is not None:
        E.ext(element, "flow", source=flow.source, target=flow.target, via=flow.via,
              label=flow.label or "",
              probability="" if flow.probability is None else repr(flow.probability))
    source = collab.nodes[edge.source]
    if tag == "sequenceFlow" and edge.name and source.tag == "exclusiveGateway":
        condition = E.sub(element, "conditionExpression")
        condition.set(f"{{{XSI}}}type", "bpmn:tFormalExpression")
        condition.text = edge.name


__all__ = ["Collaboration", "Edge", "Node", "Pool", "collaboration", "export_bpmn"]
