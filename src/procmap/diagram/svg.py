"""The swimlane diagram as SVG, with outside-in overlays that can be switched on and off.

Overlays:

* ``mot``: Moments of Truth, a blue circle badge "M" on the step;
* ``bp``: Break Points, hand-off edges drawn orange with a square where they
  cross into the other lane;
* ``rules``: Business Rules, a purple diamond badge "R" on the step;
* ``findings``: a numbered red badge on the element a finding is about, the
  number matching the findings list;
* ``heat``: steps filled from pale to deep red by their wait plus work time.

Text is real SVG text (searchable, selectable) in a font stack that degrades
from DejaVu Sans to any sans-serif. The output is deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from lxml import etree

from procmap.analysis.points import business_rules, moments_of_truth
from procmap.diagram.layout import (
    FONT_SIZE,
    LANE_LABEL_WIDTH,
    LINE_HEIGHT,
    MARGIN,
    Box,
    LaneBox,
    Layout,
    NodeBox,
    layout,
)
from procmap.findings import Finding
from procmap.model.durations import format_duration
from procmap.model.process import Process

SVG_NS = "http://www.w3.org/2000/svg"
FONT_STACK = "'DejaVu Sans', Verdana, 'Segoe UI', Arial, Helvetica, sans-serif"
OVERLAYS = ("mot", "bp", "rules", "findings", "heat")
DEFAULT_OVERLAYS = frozenset({"mot", "bp", "rules", "findings"})
BADGE_R = 8.0
MAX_BADGES = 4  # finding badges on one element; more fold into '+n'
LEGEND_HEIGHT = 64.0

HEAT = ("#ffffff", "#fef3c7", "#fde68a", "#fdba74", "#f87171")

STYLE = """
.lane rect.band { fill: #ffffff; stroke: #94a3b8; stroke-width: 1; }
.lane.alt rect.band { fill: #f8fafc; }
.lane.customer rect.band { fill: #eff6ff; }
.lane rect.head { fill: #e2e8f0; stroke: #94a3b8; stroke-width: 1; }
.lane.customer rect.head { fill: #bfdbfe; }
.lane text { font-size: 13px; font-weight: bold; fill: #0f172a; }
.node .shape { fill: #ffffff; stroke: #334155; stroke-width: 1.5; }
.node.end .shape { stroke-width: 3.5; }
.node.wait .shape { fill: #ffffff; }
.node.decision .shape { fill: #fefce8; }
.node text { font-size: 12px; fill: #0f172a; }
.node .sub { fill: none; stroke: #334155; stroke-width: 1.2; }
.edge path { fill: none; stroke: #475569; stroke-width: 1.4; }
.edge.back path { stroke-dasharray: 5 3; }
.edge text { font-size: 10px; fill: #334155; }
.bp .edge.handoff path { stroke: #ea580c; stroke-width: 2.2; }
.bp-mark { fill: #ea580c; stroke: #ffffff; stroke-width: 1; }
.badge text { font-size: 10px; font-weight: bold; fill: #ffffff; text-anchor: middle; }
.badge.mot circle { fill: #2563eb; }
.badge.rule path { fill: #7c3aed; }
.badge.finding circle { fill: #dc2626; }
.legend text { font-size: 11px; fill: #0f172a; }
.legend rect.frame { fill: #ffffff; stroke: #cbd5e1; }
.highlight .shape { stroke: #dc2626 !important; stroke-width: 4 !important; }
"""


@dataclass
class RenderOptions:
    """What to draw on top of the lanes and steps."""

    overlays: frozenset[str] = DEFAULT_OVERLAYS
    findings: list[Finding] = field(default_factory=list)
    title: bool = True
    id_prefix: str = ""
    """Put before every id, so that several diagrams can share one HTML page."""


def _e(parent: etree._Element, tag: str, text: str | None = None, **attrs: object) -> etree._Element:
    el = etree.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): _fmt(v) for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def numbered_findings(findings: list[Finding], process: Process) -> list[tuple[int, Finding, str | None]]:
    """Findings numbered 1.. in list order, with the element their badge goes on."""
    out = []
    for i, f in enumerate(findings, start=1):
        anchor = next((e for e in f.elements if e in process.steps), None)
        if anchor is None:
            anchor = next((e for e in f.elements if e in process.actors), None)
        out.append((i, f, anchor))
    return out


def heat_colour(seconds: float, most: float) -> str:
    """A fill from pale to deep red, on a logarithmic scale of ``seconds`` against ``most``."""
    if seconds <= 0 or most <= 0:
        return HEAT[0]
    share = math.log1p(seconds / 60) / math.log1p(most / 60)
    return HEAT[min(len(HEAT) - 1, int(share * (len(HEAT) - 1) + 0.5))]


def _time(process: Process, sid: str) -> timedelta:
    step = process.steps[sid]
    return (step.wait or timedelta(0)) + (step.duration or timedelta(0))


def render_svg(
    process: Process, options: RenderOptions | None = None, lay: Layout | None = None
) -> str:
    """The swimlane diagram of ``process`` as an SVG document."""
    options = options or RenderOptions()
    lay = lay or layout(process)
    on = options.overlays
    legend = bool(on)
    height = lay.height + (LEGEND_HEIGHT if legend else 0)
    root = etree.Element(
        f"{{{SVG_NS}}}svg",
        nsmap={None: SVG_NS},
        attrib={
            "width": _fmt(lay.width),
            "height": _fmt(height),
            "viewBox": f"0 0 {_fmt(lay.width)} {_fmt(height)}",
            "font-family": FONT_STACK,
            "class": " ".join(["procmap-diagram", *sorted(on)]),
            "data-process": process.process,
        },
    )
    if options.title:
        _e(root, "title", process.name or process.process)
    _e(root, "style", STYLE)
    defs = _e(root, "defs")
    px = options.id_prefix
    marker = _e(defs, "marker", id=f"{px}arrow", viewBox="0 0 10 10", refX=9, refY=5,
                markerWidth=10, markerHeight=10, markerUnits="userSpaceOnUse", orient="auto-start-reverse")
    _e(marker, "path", d="M0,0 L10,5 L0,10 z", fill="#475569")
    marker = _e(defs, "marker", id=f"{px}arrow-bp", viewBox="0 0 10 10", refX=9, refY=5,
                markerWidth=10, markerHeight=10, markerUnits="userSpaceOnUse", orient="auto-start-reverse")
    _e(marker, "path", d="M0,0 L10,5 L0,10 z", fill="#ea580c")

    _draw_lanes(root, lay, px)
    _draw_edges(root, process, lay, "bp" in on, px)
    _draw_nodes(root, process, lay, "heat" in on, px)
    badges = _e(root, "g", class_="badges")
    if "mot" in on:
        for m in moments_of_truth(process):
            _badge(badges, "mot", "M", _slot(lay.nodes[m.step], 0), f"Moment of Truth: {m.step}", m.step)
    if "rules" in on:
        for r in business_rules(process):
            title = f"Business Rule: {r.rule}" if r.rule else "Business Rule (decision)"
            _badge(badges, "rule", "R", _slot(lay.nodes[r.step], 1), title, r.step)
    if "findings" in on:
        _finding_badges(badges, process, lay, options.findings)
    if legend:
        _legend(root, lay, on, process)
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    return f"<!-- Generated by procmap from {_comment(process.process)} -->\n{body}"


def _comment(text: str) -> str:
    return text.replace("--", "- -")


def _draw_lanes(root: etree._Element, lay: Layout, px: str) -> None:
    group = _e(root, "g", class_="lanes")
    for i, lane in enumerate(lay.lanes):
        classes = ["lane", "alt" if i % 2 else "", "customer" if lane.customer else ""]
        g = _e(group, "g", class_=" ".join(c for c in classes if c), id=f"{px}lane-{lane.actor}",
               data_actor=lane.actor)
        b = lane.box
        _e(g, "rect", class_="band", x=b.x, y=b.y, width=b.w, height=b.h)
        _e(g, "rect", class_="head", x=b.x, y=b.y, width=LANE_LABEL_WIDTH, height=b.h)
        top = b.cy - len(lane.label_lines) * LINE_HEIGHT / 2 + FONT_SIZE
        text = _e(g, "text", x=b.x + 10, y=top)
        for k, line in enumerate(lane.label_lines):
            _e(text, "tspan", line, x=b.x + 10, dy=0 if k == 0 else LINE_HEIGHT)


def _draw_edges(root: etree._Element, process: Process, lay: Layout, bp: bool, px: str) -> None:
    group = _e(root, "g", class_="edges")
    lane_of = {lane.actor: lane.box for lane in lay.lanes}
    for edge in lay.edges:
        classes = ["edge", "handoff" if edge.handoff else "", "back" if edge.back else ""]
        g = _e(group, "g", class_=" ".join(c for c in classes if c),
               id=f"{px}edge-{edge.source}--{edge.target}", data_source=edge.source,
               data_target=edge.target)
        d = "M" + " L".join(f"{_fmt(x)},{_fmt(y)}" for x, y in edge.points)
        arrow = f"url(#{px}arrow-bp)" if bp and edge.handoff else f"url(#{px}arrow)"
        _e(g, "path", d=d, marker_end=arrow)
        if edge.label_box and edge.label_text:
            lb = edge.label_box
            t = _e(g, "text", edge.label_text, x=lb.x, y=lb.bottom - 2)
            if edge.label_text != edge.label:
                _e(t, "title", edge.label)
        if bp and edge.handoff:
            where = _lane_crossing(edge.points, lane_of[process.steps[edge.source].actor])
            if where:
                x, y = where
                _e(g, "rect", class_="bp-mark", x=x - 5, y=y - 5, width=10, height=10)
                g.append(_title(f"Break Point: hand-off {edge.source} → {edge.target}"))


def _title(text: str) -> etree._Element:
    el = etree.Element("title")
    el.text = text
    return el


def _lane_crossing(points: tuple[tuple[float, float], ...], lane: Box) -> tuple[float, float] | None:
    """Where an edge leaves its source's lane."""
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        if abs(ax - bx) < 1e-6:
            for edge_y in (lane.y, lane.bottom):
                if min(ay, by) < edge_y < max(ay, by):
                    return ax, edge_y
    return None


def _draw_nodes(root: etree._Element, process: Process, lay: Layout, heat: bool, px: str) -> None:
    group = _e(root, "g", class_="nodes")
    most = max((_time(process, sid).total_seconds() for sid in process.steps), default=0.0)
    for sid, node in lay.nodes.items():
        step = process.steps[sid]
        g = _e(group, "g", class_=f"node {node.kind}", id=f"{px}step-{sid}", data_step=sid)
        colour = heat_colour(_time(process, sid).total_seconds(), most)
        style: dict[str, object] = {"data_heat": colour}
        if heat:
            style["style"] = f"fill: {colour}"
        b = node.box
        if node.kind == "decision":
            d = f"M{_fmt(b.cx)},{_fmt(b.y)} L{_fmt(b.right)},{_fmt(b.cy)} L{_fmt(b.cx)},{_fmt(b.bottom)} L{_fmt(b.x)},{_fmt(b.cy)} z"
            _e(g, "path", class_="shape", d=d, **style)
        elif node.kind in ("start", "end", "wait"):
            _e(g, "circle", class_="shape", cx=b.cx, cy=b.cy, r=b.w / 2, **style)
            if node.kind == "wait":
                _e(g, "circle", class_="sub", cx=b.cx, cy=b.cy, r=b.w / 2 - 4)
                _e(g, "path", class_="sub", d=f"M{_fmt(b.cx)},{_fmt(b.cy - 9)} L{_fmt(b.cx)},{_fmt(b.cy)} L{_fmt(b.cx + 7)},{_fmt(b.cy)}")
        else:
            _e(g, "rect", class_="shape", x=b.x, y=b.y, width=b.w, height=b.h, rx=8, ry=8, **style)
            if step.calls or node.kind == "subprocess":
                m = Box(b.cx - 6, b.bottom - 14, 12, 12)
                _e(g, "rect", class_="sub", x=m.x, y=m.y, width=m.w, height=m.h)
                _e(g, "path", class_="sub", d=f"M{_fmt(m.cx)},{_fmt(m.y + 3)} L{_fmt(m.cx)},{_fmt(m.bottom - 3)} M{_fmt(m.x + 3)},{_fmt(m.cy)} L{_fmt(m.right - 3)},{_fmt(m.cy)}")
        _label(g, node)
        _e(g, "title", _tooltip(process, sid))


def _label(g: etree._Element, node: NodeBox) -> None:
    lb = node.label
    text = _e(g, "text", class_="label", x=lb.cx, y=lb.y + FONT_SIZE, text_anchor="middle")
    for k, line in enumerate(node.label_lines):
        _e(text, "tspan", line, x=lb.cx, dy=0 if k == 0 else LINE_HEIGHT)


def _tooltip(process: Process, sid: str) -> str:
    step = process.steps[sid]
    parts = [step.name or sid, f"id: {sid}", f"actor: {step.actor}"]
    for label, value in (("wait", step.wait), ("duration", step.duration)):
        if value:
            parts.append(f"{label}: {format_duration(value)}")
    if step.rule:
        parts.append(f"rule: {step.rule}")
    if step.calls:
        parts.append(f"calls: {step.calls}")
    return "\n".join(parts)


def _slot(node: NodeBox, index: int, from_right: bool = False) -> tuple[float, float]:
    """Where the ``index``-th badge of a step goes: along the top edge of a box, or
    down the right side of a glyph (whose label sits above it)."""
    b = node.box
    step = 2 * BADGE_R + 3
    if node.kind in ("decision", "start", "end", "wait"):
        return b.cx + BADGE_R + 6 + index * step, b.bottom + BADGE_R - 2
    if from_right:
        return b.right - BADGE_R - 4 - index * step, b.y
    return b.x + BADGE_R + 4 + index * step, b.y


def _badge(parent: etree._Element, kind: str, text: str, at: tuple[float, float], title: str,
           element: str) -> None:
    x, y = at
    g = _e(parent, "g", class_=f"badge {kind}", data_element=element)
    if kind == "rule":
        r = BADGE_R + 1
        _e(g, "path", d=f"M{_fmt(x)},{_fmt(y - r)} L{_fmt(x + r)},{_fmt(y)} L{_fmt(x)},{_fmt(y + r)} L{_fmt(x - r)},{_fmt(y)} z")
    else:
        _e(g, "circle", cx=x, cy=y, r=BADGE_R)
    _e(g, "text", text, x=x, y=y + 3.5)
    _e(g, "title", title)


def _finding_badges(parent: etree._Element, process: Process, lay: Layout,
                    findings: list[Finding]) -> None:
    lanes = {lane.actor: lane for lane in lay.lanes}
    by_anchor: dict[str, list[tuple[int, Finding]]] = {}
    for number, finding, anchor in numbered_findings(findings, process):
        if anchor is not None:
            by_anchor.setdefault(anchor, []).append((number, finding))
    for anchor, listed in by_anchor.items():
        shown = listed if len(listed) <= MAX_BADGES else listed[: MAX_BADGES - 1]
        for k, (number, finding) in enumerate(shown):
            _finding_badge(parent, lay, lanes, anchor, k, str(number),
                           f"{number}. {finding.rule} {finding.message}", number)
        rest = listed[len(shown):]
        if rest:
            title = "\n".join(f"{n}. {f.rule} {f.message}" for n, f in rest)
            _finding_badge(parent, lay, lanes, anchor, len(shown), f"+{len(rest)}", title,
                           rest[0][0])


def _finding_badge(parent: etree._Element, lay: Layout, lanes: dict[str, LaneBox], anchor: str,
                   k: int, text: str, title: str, number: int) -> None:
    """The ``k``-th finding badge of a step (along its top) or of a lane (on its head)."""
    if anchor in lay.nodes:
        node = lay.nodes[anchor]
        glyph = node.kind in ("decision", "start", "end", "wait")
        at = _slot(node, 2 + k) if glyph else _slot(node, k, from_right=True)
    else:
        box = lanes[anchor].box
        at = (box.x + LANE_LABEL_WIDTH - BADGE_R - 4 - k * (2 * BADGE_R + 3), box.y + BADGE_R + 4)
    _badge(parent, "finding", text, at, title, anchor)
    parent[-1].set("data-finding", str(number))


def _legend(root: etree._Element, lay: Layout, on: frozenset[str], process: Process) -> None:
    g = _e(root, "g", class_="legend")
    y0 = lay.height
    _e(g, "rect", class_="frame", x=MARGIN, y=y0, width=lay.width - 2 * MARGIN, height=LEGEND_HEIGHT - MARGIN)
    x = MARGIN + 12
    cy = y0 + 20
    items: list[tuple[str, str]] = []
    if "mot" in on:
        items.append(("mot", "Moment of Truth"))
    if "rules" in on:
        items.append(("rule", "Business Rule"))
    if "bp" in on:
        items.append(("bp", "Break Point (hand-off)"))
    if "findings" in on:
        items.append(("finding", "Finding (number in the list)"))
    items.append(("back", "Rework loop"))
    for kind, text in items:
        if kind in ("mot", "rule", "finding"):
            _badge(g, kind, {"mot": "M", "rule": "R", "finding": "1"}[kind], (x + BADGE_R, cy), text, "legend")
            x += 2 * BADGE_R + 6
        elif kind == "bp":
            _e(g, "path", d=f"M{_fmt(x)},{_fmt(cy)} L{_fmt(x + 30)},{_fmt(cy)}", stroke="#ea580c",
               stroke_width=2.2)
            _e(g, "rect", class_="bp-mark", x=x + 10, y=cy - 5, width=10, height=10)
            x += 36
        else:
            _e(g, "path", d=f"M{_fmt(x)},{_fmt(cy)} L{_fmt(x + 30)},{_fmt(cy)}", stroke="#475569",
               stroke_width=1.4, stroke_dasharray="5 3")
            x += 36
        _e(g, "text", text, x=x, y=cy + 4)
        x += len(text) * 6.6 + 22
    if "heat" in on:
        x0 = MARGIN + 12
        _e(g, "text", "Wait + work time:", x=x0, y=cy + 24)
        x0 += 110
        most = max((_time(process, sid).total_seconds() for sid in process.steps), default=0.0)
        for k, colour in enumerate(HEAT):
            _e(g, "rect", x=x0 + k * 34, y=cy + 14, width=32, height=12, fill=colour, stroke="#94a3b8")
        _e(g, "text", f"none … {format_duration(timedelta(seconds=most)) if most else '0'}",
           x=x0 + len(HEAT) * 34 + 8, y=cy + 24)
