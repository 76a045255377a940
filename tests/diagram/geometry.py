"""A geometry checker for diagrams: nothing overlaps, every label stays home, edges land.

It works on a neutral :class:`Scene` (boxes and polylines), so the same checks run
on the layout procmap computed and on what a browser measured of the rendered SVG.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procmap.layout import CIRCLES, DIAMONDS, GLYPH, Box, Layout

TOUCH = 1.5  # how far, in pixels, an edge end may be from its shape's outline


@dataclass
class Scene:
    """Measured or computed geometry of one diagram."""

    shapes: dict[str, Box]
    kinds: dict[str, str]
    labels: dict[str, Box]
    lane_of: dict[str, str]
    lanes: dict[str, Box]
    edges: list[tuple[str, str, list[tuple[float, float]]]] = field(default_factory=list)


def scene_from_layout(lay: Layout) -> Scene:
    """The scene of a computed layout."""
    return Scene(
        shapes={sid: n.box for sid, n in lay.nodes.items()},
        kinds={sid: n.kind for sid, n in lay.nodes.items()},
        labels={sid: n.label for sid, n in lay.nodes.items()},
        lane_of={sid: n.lane for sid, n in lay.nodes.items()},
        lanes={lane.actor: lane.box for lane in lay.lanes},
        edges=[(e.source, e.target, list(e.points)) for e in lay.edges],
    )


def _inside_shape(kind: str, shape: Box, label: Box) -> bool:
    return kind not in GLYPH and shape.contains(label)


def _on_outline(box: Box, point: tuple[float, float], kind: str) -> bool:
    x, y = point
    if kind in DIAMONDS:  # a diamond: |dx|/(w/2) + |dy|/(h/2) == 1
        d = abs(x - box.cx) / (box.w / 2) + abs(y - box.cy) / (box.h / 2)
        return abs(d - 1) * min(box.w, box.h) / 2 <= TOUCH
    if kind in CIRCLES:
        r = ((x - box.cx) ** 2 + (y - box.cy) ** 2) ** 0.5
        return abs(r - box.w / 2) <= TOUCH
    near_x = box.x - TOUCH <= x <= box.right + TOUCH
    near_y = box.y - TOUCH <= y <= box.bottom + TOUCH
    on_side = min(abs(x - box.x), abs(x - box.right)) <= TOUCH
    on_top = min(abs(y - box.y), abs(y - box.bottom)) <= TOUCH
    return near_x and near_y and (on_side or on_top)


def _grid(boxes: dict[str, Box], cell: float = 200.0) -> dict[tuple[int, int], list[str]]:
    grid: dict[tuple[int, int], list[str]] = {}
    for key, b in boxes.items():
        for gx in range(int(b.x // cell), int(b.right // cell) + 1):
            for gy in range(int(b.y // cell), int(b.bottom // cell) + 1):
                grid.setdefault((gx, gy), []).append(key)
    return grid


def _pairs(boxes: dict[str, Box]) -> set[tuple[str, str]]:
    """Pairs of boxes that overlap, found through a coarse grid."""
    found: set[tuple[str, str]] = set()
    for keys in _grid(boxes).values():
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair not in found and boxes[a].overlaps(boxes[b]):
                    found.add(pair)
    return found


def problems(scene: Scene) -> list[str]:
    """Everything wrong with the scene, one sentence each; empty when it is clean."""
    out: list[str] = []
    for a, b in sorted(_pairs(scene.shapes)):
        out.append(f"shapes of '{a}' and '{b}' overlap")
    # labels written outside a shape must not cover another shape or label
    outside = {
        f"label:{sid}": lb
        for sid, lb in scene.labels.items()
        if not _inside_shape(scene.kinds[sid], scene.shapes[sid], lb)
    }
    for a, b in sorted(_pairs({**outside, **scene.shapes})):
        if (a.startswith("label:") or b.startswith("label:")) and f"label:{a}" != b and f"label:{b}" != a:
            out.append(f"label and shape overlap: '{a}' and '{b}'")
    for sid, lb in sorted(scene.labels.items()):
        kind = scene.kinds[sid]
        if kind not in GLYPH and not scene.shapes[sid].contains(lb):
            out.append(f"label of '{sid}' leaves its shape")
        lane = scene.lanes.get(scene.lane_of[sid])
        if lane is not None and not lane.contains(lb):
            out.append(f"label of '{sid}' leaves its lane '{scene.lane_of[sid]}'")
        if lane is not None and not lane.contains(scene.shapes[sid]):
            out.append(f"shape of '{sid}' leaves its lane '{scene.lane_of[sid]}'")
    for source, target, points in scene.edges:
        if len(points) < 2:
            out.append(f"edge {source} → {target} has fewer than two points")
            continue
        if not _on_outline(scene.shapes[source], points[0], scene.kinds[source]):
            out.append(f"edge {source} → {target} does not start on '{source}'")
        if not _on_outline(scene.shapes[target], points[-1], scene.kinds[target]):
            out.append(f"edge {source} → {target} does not end on '{target}'")
    out.extend(_edges_through_shapes(scene))
    return out


def _edges_through_shapes(scene: Scene) -> list[str]:
    """Edges whose runs pass through a shape other than their own two."""
    out: list[str] = []
    grid = _grid(scene.shapes)
    cell = 200.0
    for source, target, points in scene.edges:
        hit: set[str] = set()
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            seg = Box(min(ax, bx), min(ay, by), abs(ax - bx), abs(ay - by))
            shrink = Box(seg.x + 0.01, seg.y + 0.01, max(seg.w - 0.02, 0.0), max(seg.h - 0.02, 0.0))
            for gx in range(int(seg.x // cell), int(seg.right // cell) + 1):
                for gy in range(int(seg.y // cell), int(seg.bottom // cell) + 1):
                    for sid in grid.get((gx, gy), ()):
                        if sid in (source, target) or sid in hit:
                            continue
                        box = scene.shapes[sid]
                        inner = Box(box.x + 1, box.y + 1, box.w - 2, box.h - 2)
                        if _segment_hits(shrink, inner):
                            hit.add(sid)
        out.extend(f"edge {source} → {target} runs through '{sid}'" for sid in sorted(hit))
    return out


def _segment_hits(seg: Box, box: Box) -> bool:
    return seg.x <= box.right and box.x <= seg.right and seg.y <= box.bottom and box.y <= seg.bottom


NEAR = 30.0
"""How far, in pixels, a branch label may be from the decision it leaves."""


def distance(a: Box, b: Box) -> float:
    """The gap between two boxes (0 when they touch or overlap)."""
    dx = max(a.x - b.right, b.x - a.right, 0.0)
    dy = max(a.y - b.bottom, b.y - a.bottom, 0.0)
    return (dx * dx + dy * dy) ** 0.5


def far_branch_labels(scene: Scene, labels: dict[tuple[str, str], Box]) -> list[str]:
    """Branch labels of decisions written more than :data:`NEAR` from their decision."""
    out = []
    for (source, target), box in sorted(labels.items()):
        if scene.kinds.get(source) == "decision":
            gap = distance(box, scene.shapes[source])
            if gap > NEAR:
                out.append(f"label of {source} → {target} is {gap:.0f} px from its decision")
    return out


def shared_runs(scene: Scene) -> list[str]:
    """Pairs of flows with no step in common that run along the same stretch."""
    runs: dict[tuple[str, float], list[tuple[float, float, int]]] = {}
    for i, (_, _, points) in enumerate(scene.edges):
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            if abs(ay - by) < 0.01:
                runs.setdefault(("h", round(ay, 1)), []).append((min(ax, bx), max(ax, bx), i))
            elif abs(ax - bx) < 0.01:
                runs.setdefault(("v", round(ax, 1)), []).append((min(ay, by), max(ay, by), i))
    out = set()
    for spans in runs.values():
        spans.sort()
        for k, (_lo, hi, i) in enumerate(spans):
            for lo2, hi2, j in spans[k + 1:]:
                if lo2 >= hi - 1:
                    break
                a, b = scene.edges[i], scene.edges[j]
                if i != j and not {a[0], a[1]} & {b[0], b[1]} and min(hi, hi2) - lo2 > 1:
                    out.add(f"flows {a[0]} → {a[1]} and {b[0]} → {b[1]} share a run")
    return sorted(out)


def loose_badges(shapes: dict[str, Box], badges: list[tuple[str, Box]]) -> list[str]:
    """Badges that do not touch the box of the step they belong to."""
    return [f"a badge of '{sid}' does not touch it" for sid, box in badges
            if sid in shapes and distance(box, shapes[sid]) > 1.0]
