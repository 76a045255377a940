"""BPMN diagram interchange (BPMNDI) from procmap's swimlane layout.

Pools and lanes are the layout's lane bands (the customer's pool on top, a gap
below it), every flow node a shape centred where the layout put its step, and
every sequence and message flow an edge with the layout's waypoints. The events
and gateways the export adds sit right beside the step they belong to; their
flows are routed orthogonally between the two shapes.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from procmap.io.bpmn.collaboration import Collaboration, Node
from procmap.layout import Box, Layout, layout, simplify

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

POOL_GAP = 40.0
POOL_BAND = 30.0  # the pool's own label band at its left
EMPTY_LANE = 90.0
GAP = 22.0
NARROW_GAP = 4.0
LABEL_CHAR = 6.5  # an average advance of bpmn-js's 11px label font
SIZES = {"gateway": 50.0, "added-gateway": 36.0, "event": 36.0}


def _size(node: Node) -> float | None:
    if node.tag.endswith("Gateway"):
        return SIZES["gateway" if node.step is not None else "added-gateway"]
    if node.tag.endswith("Event"):
        return SIZES["event"]
    return None


class _Diagram:
    def __init__(self, collab: Collaboration, lay: Layout) -> None:
        self.collab = collab
        self.lay = lay
        self.shapes: dict[str, Box] = {}
        self.labels: dict[str, Box] = {}
        self.bands: dict[str, Box] = {}  # actor → lane band, shifted
        self.empty: dict[str, Box] = {}  # pool key → its band, for a pool without actors
        self.offsets: list[tuple[float, float, float]] = []  # layout y range → dy
        self._bands()

    def _bands(self) -> None:
        """Stack the pools' bands: the layout's lanes in its order, then empty ones."""
        lay = self.lay
        by_actor = {lane.actor: lane.box for lane in lay.lanes}
        order = {lane.actor: i for i, lane in enumerate(lay.lanes)}
        cursor = lay.lanes[0].box.y if lay.lanes else 0.0
        for n, pool in enumerate(self.collab.pools):
            cursor += POOL_GAP if n else 0.0
            if not pool.actors:  # a map without actors: an empty pool
                self.empty[pool.key] = Box(0.0, cursor, lay.width, EMPTY_LANE)
                cursor += EMPTY_LANE
            for actor in sorted(pool.actors, key=lambda a: order.get(a, len(order))):
                box = by_actor.get(actor)
                if box is None:  # an actor without steps: an empty band
                    box = Box(0.0, cursor, lay.width, EMPTY_LANE)
                else:
                    self.offsets.append((box.y, box.bottom, cursor - box.y))
                self.bands[actor] = Box(box.x, cursor, box.w, box.h)
                cursor += box.h

    def shift(self, x: float, y: float) -> tuple[float, float]:
        for top, bottom, dy in self.offsets:
            if top - 0.5 <= y <= bottom + 0.5:
                return x, y + dy
        return x, y

    def box(self, box: Box) -> Box:
        x, y = self.shift(box.cx, box.cy)
        return Box(x - box.w / 2, y - box.h / 2, box.w, box.h)

    def place(self) -> None:
        collab = self.collab
        for node in collab.nodes.values():
            if node.step is None:
                continue
            laid = self.lay.nodes[node.step]
            box = self.box(laid.box)
            size = _size(node)
            if size is not None:
                box = Box(box.cx - size / 2, box.cy - size / 2, size, size)
                label = getattr(laid, "label", None)
                if label is not None and laid.label_lines:  # no label for a step without one
                    self.labels[node.id] = self.box(label)
            self.shapes[node.id] = box
        out_of = {e.source: e.target for e in collab.edges if not e.message}
        into = {e.target: e.source for e in collab.edges if not e.message}
        added = [n for n in collab.nodes.values() if n.step is None]
        # gateways first, beside their step; then events beside what they connect to
        placed: dict[tuple[int, int], list[Box]] = defaultdict(list)  # by 100 px square
        for node in sorted(added, key=lambda n: not n.tag.endswith("Gateway")):
            size = _size(node) or SIZES["event"]
            before = node.role in ("Start", "Receive", "Join")
            beside = self.shapes[out_of[node.id] if before else into[node.id]]
            for gap in (GAP, NARROW_GAP):  # closer to its step where a neighbour is in the way
                cx = beside.x - gap - size / 2 if before else beside.right + gap + size / 2
                box = Box(cx - size / 2, beside.cy - size / 2, size, size)
                x, y = int(box.cx // 100), int(box.cy // 100)
                near = [b for i in (-1, 0, 1) for j in (-1, 0, 1) for b in placed[(x + i, y + j)]]
                if not any(box.overlaps(other) for other in near):
                    break
            self.shapes[node.id] = box
            placed[(int(box.cx // 100), int(box.cy // 100))].append(box)
            if node.tag.endswith("Event"):
                self.labels[node.id] = Box(cx - 40, beside.cy + size / 2 + 4, 80, 14)

    def waypoints(self, source: str, target: str, path: Any) -> list[tuple[float, float]]:
        s, t = self.shapes[source], self.shapes[target]
        nodes = self.collab.nodes
        if path is not None:
            points: list[tuple[float, float]] | None = [self.shift(x, y) for x, y in path.points]
            if points and nodes[source].step is None:  # an added node right of the step
                points = _leave(s, points)
            if points and nodes[target].step is None:  # an added node left of the step
                points = _enter(t, points)
            if points:
                return simplify(points)
        if abs(s.cy - t.cy) < 1 and t.x >= s.right:
            return [(s.right, s.cy), (t.x, t.cy)]
        if t.x >= s.right:
            mx = (s.right + t.x) / 2
            return [(s.right, s.cy), (mx, s.cy), (mx, t.cy), (t.x, t.cy)]
        if abs(s.cx - t.cx) < 1:
            return [(s.cx, s.bottom), (t.cx, t.y)] if t.y > s.y else [(s.cx, s.y), (t.cx, t.bottom)]
        low = max(s.bottom, t.bottom) + GAP
        return [(s.cx, s.bottom), (s.cx, low), (t.cx, low), (t.cx, t.bottom)]


def _leave(box: Box, points: list[tuple[float, float]]) -> list[tuple[float, float]] | None:
    """The layout's route from a step, made to start at ``box`` just right of the step."""
    for k, (x, y) in enumerate(points):
        if x >= box.right + 1:
            return [(box.right, box.cy), (x, box.cy), (x, y), *points[k + 1:]]
    return None


def _enter(box: Box, points: list[tuple[float, float]]) -> list[tuple[float, float]] | None:
    """The layout's route into a step, made to end at ``box`` just left of the step."""
    for k in range(len(points) - 1, -1, -1):
        x, y = points[k]
        if x <= box.x - 1:
            return [*points[:k], (x, y), (x, box.cy), (box.x, box.cy)]
    return None


def add_diagram(root: Any, collab: Collaboration) -> Layout:
    """Append a BPMNDiagram for ``collab`` to the definitions element ``root``."""
    from lxml import etree

    lay = layout(collab.process)
    d = _Diagram(collab, lay)
    d.place()

    def el(parent: Any, ns: str, tag: str, **attrs: Any) -> Any:
        return etree.SubElement(parent, f"{{{ns}}}{tag}", {k: str(v) for k, v in attrs.items()})

    def bounds(parent: Any, box: Box) -> None:
        el(parent, DC, "Bounds", x=_n(box.x), y=_n(box.y), width=_n(box.w), height=_n(box.h))

    left = min([0.0, *(b.x - POOL_BAND - GAP for b in d.shapes.values())])
    right = max([lay.width, *(b.right + GAP for b in d.shapes.values())])
    diagram = el(root, BPMNDI, "BPMNDiagram", id="Diagram")
    plane = el(diagram, BPMNDI, "BPMNPlane", id="Diagram_plane", bpmnElement=collab.id)
    for pool in collab.pools:
        bands = [d.bands[a] for a in pool.actors] or [d.empty[pool.key]]
        top, bottom = min(b.y for b in bands), max(b.bottom for b in bands)
        shape = el(plane, BPMNDI, "BPMNShape", id=f"{pool.id}_di", bpmnElement=pool.id,
                   isHorizontal="true")
        bounds(shape, Box(left, top, right - left, bottom - top))
        if pool.lanes:
            for actor in pool.actors:
                band = d.bands[actor]
                lane_id = collab.lane_ids[actor]
                shape = el(plane, BPMNDI, "BPMNShape", id=f"{lane_id}_di", bpmnElement=lane_id,
                           isHorizontal="true")
                bounds(shape, Box(left + POOL_BAND, band.y, right - left - POOL_BAND, band.h))
    for node in collab.nodes.values():
        attrs = {"isMarkerVisible": "true"} if node.tag == "exclusiveGateway" else {}
        shape = el(plane, BPMNDI, "BPMNShape", id=f"{node.id}_di", bpmnElement=node.id, **attrs)
        bounds(shape, d.shapes[node.id])
        if node.id in d.labels:
            bounds(el(shape, BPMNDI, "BPMNLabel"), d.labels[node.id])
    paths = {}
    for path in lay.edges:
        paths[(path.source, path.target)] = path
    for edge in collab.edges:
        flow = edge.flow
        path = paths.get((flow.source, flow.target)) if flow is not None else None
        shape = el(plane, BPMNDI, "BPMNEdge", id=f"{edge.id}_di", bpmnElement=edge.id)
        for x, y in d.waypoints(edge.source, edge.target, path):
            el(shape, DI, "waypoint", x=_n(x), y=_n(y))
        label_box = getattr(path, "label_box", None)
        if edge.name and label_box is not None:
            box = d.box(label_box)  # wide enough for bpmn-js's font, not to wrap mid-word
            box = Box(box.x, box.y, max(box.w, LABEL_CHAR * len(edge.name) + 8), box.h)
            bounds(el(shape, BPMNDI, "BPMNLabel"), box)
    return lay


def _n(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


__all__ = ["BPMNDI", "add_diagram"]
