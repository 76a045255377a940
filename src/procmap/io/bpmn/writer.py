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

from collections import defaultdict
from datetime import timedelta
from typing import Any

from procmap.io.bpmn.collaboration import (
    Collaboration,
    CustomerAs,
    Edge,
    Node,
    collaboration,
)
from procmap.io.bpmn.extensions import NS as PROCMAP_NS
from procmap.io.bpmn.extensions import PREFIX, TAG, append_fields, fields_of
from procmap.model.process import (
    Actor,
    Process,
    StepKind,
)

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TARGET_NAMESPACE = "urn:procmap:process"
# BPMN carries these step fields itself; the rest go to procmap:step
_STEP_IN_BPMN = {"name", "actor", "kind", "needs", "then", "branches", "note"}


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
        from procmap.io.bpmn.shapes import add_diagram

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
    from procmap.version import __version__

    return __version__


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


__all__ = ["Collaboration", "Edge", "Node", "collaboration", "export_bpmn"]
