"""The swimlane layout of a map: lanes as bands, steps in columns, orthogonal edges.

A layered layout (Sugiyama style) fitted to swimlanes:

1. **Lanes** are horizontal bands, customer lanes on top (outside in), the
   others in the order that crosses fewest flows, moving as few lanes from the
   map's order as that allows (orders ranked by an estimate, the best few drawn
   and counted; ``keep_lane_order`` keeps the map's).
2. **Columns** come from the flow order: loops are cut at their back edges and
   each step goes one column right of the latest step before it (longest path).
3. **Rows**: steps of one lane that share a column stack in rows inside the
   lane; their order within a stack is chosen by barycentre sweeps to reduce
   edge crossings.
4. **Routing**: edges run only in the empty *channels* between columns and the
   *streets* between rows, so they never cross a shape. Each channel and street
   has tracks packed like intervals on a line, one per flow, so no two flows
   share a run; the tracks of a channel are ordered to cross least, and a long
   flow runs along the street (by its source's row or its target's) that crosses
   least. Each flow leaves and enters its steps at a port of its own, and a
   decision's branch labels sit along the first run of each way out. Back edges
   (rework loops) leave a step at the bottom and come back into the bottom of
   the step they repeat, so they read as loops.

Everything is computed from the map alone and sorted, so the same map gives the
same layout, number for number.
"""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from procmap.model.process import ActorKind, Process, StepKind
from procmap.typeset import elide as _elide
from procmap.typeset import text_width
from procmap.typeset import wrap as _wrap

FONT_SIZE = 12.0
LINE_HEIGHT = 15.0
LANE_FONT_SIZE = 13.0  # bold
EDGE_FONT_SIZE = 10.0
EDGE_CHAR_WIDTH = 6.2  # an average advance at EDGE_FONT_SIZE: a label needs room for three

TASK_WIDTH = 140.0
TASK_MIN_HEIGHT = 56.0
TASK_PAD = 8.0
GLYPH = {"decision": 50.0, "parallel": 50.0, "start": 36.0, "end": 36.0, "wait": 36.0, "link": 36.0}
"""Kinds drawn as a small glyph with their name beside it, and the glyph's size (``link``:
the off-page connector of a wrapped diagram, where a flow continues in another band)."""
DIAMONDS = frozenset({"decision", "parallel"})
"""Gateways, drawn as diamonds: a decision empty, a parallel step with a plus."""
CIRCLES = frozenset({"start", "end", "wait", "link"})
"""Events and waits, drawn as circles; work is never drawn as one, wherever it stands."""
GLYPH_LABEL_GAP = 4.0
MAX_TASK_LINES = 6
"""A task grows taller, line by line, up to this many lines before its name is cut."""
MAX_GLYPH_LINES = 4

LANE_LABEL_WIDTH = 130.0
TRACK = 12.0
"""Distance between two parallel runs: far enough apart to read as two lines, and for
their Break Point marks (10 px squares) to stand apart."""
CHANNEL_PAD = 10.0
EDGE_LABEL_ROOM = 74.0
PORT_GAP = 15.0
LOOP_SHIFT = 14.0
"""Vertical distance between two flows leaving (or entering) one side of a step."""
LABEL_NEAR = 4.0
STREET_PAD = 14.0
MARGIN = 10.0
SWEEPS = 4
OPTIMISE_FLOWS = 120
"""Up to this many flows, lanes are ordered and long flows routed to cross least."""
SEARCH_FLOWS = 60
"""Up to this many flows, the few best lane orders by estimate are drawn and counted."""
SIFT_TRACKS = 24


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle, in pixels from the top left."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share more than an edge."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def contains(self, other: Box, slack: float = 0.5) -> bool:
        """Whether ``other`` lies inside this box."""
        return (
            other.x >= self.x - slack
            and other.y >= self.y - slack
            and other.right <= self.right + slack
            and other.bottom <= self.bottom + slack
        )


@dataclass(frozen=True)
class LaneBox:
    """One swimlane: an actor's band across the whole diagram."""

    actor: str
    label: str
    customer: bool
    box: Box
    label_lines: tuple[str, ...] = ()
    band: int = 0
    """In a wrapped diagram, the band (0, 1, …) this copy of the lane belongs to."""


@dataclass(frozen=True)
class NodeBox:
    """One step: its shape and the box its label is written in."""

    id: str
    kind: str
    lane: str
    label_lines: tuple[str, ...]
    box: Box
    label: Box
    column: int
    row: int


@dataclass(frozen=True)
class EdgePath:
    """One flow, as an orthogonal polyline from its source's shape to its target's."""

    source: str
    target: str
    label: str | None
    points: tuple[tuple[float, float], ...]
    back: bool
    handoff: bool
    label_box: Box | None = None
    label_text: str | None = None


@dataclass(frozen=True)
class Layout:
    """Where everything of one map goes."""

    width: float
    height: float
    lanes: tuple[LaneBox, ...]
    nodes: dict[str, NodeBox]
    edges: tuple[EdgePath, ...]
    crossings: int
    columns: int = 0
    bands: tuple[Layout, ...] = ()
    """A wrapped diagram's bands, top to bottom, each laid out as a diagram of its own (in
    the coordinates of the whole); empty when the map is drawn in one band."""
    links: dict[str, Link] = field(default_factory=dict)
    """A wrapped diagram's off-page connectors, by node id (nodes of kind ``link``)."""


@dataclass(frozen=True)
class Link:
    """An off-page connector where a wrapped diagram is cut (BPMN's link events): flows
    that cross the cut end at a marker in one band and go on from a marker in another,
    instead of running as lines across the page."""

    step: str
    """The step on the other side of the cut: the flows' target where they leave, their
    source where they arrive."""
    outgoing: bool
    """True where the flows leave (they go on in ``band``), False where they arrive."""
    band: int
    """The band (1, 2, …) where ``step`` is."""


def wrap(text: str, width: float, max_lines: int, *, size: float = FONT_SIZE, bold: bool = False,
         language: str | None = None) -> list[str]:
    """``text`` wrapped to lines that fit ``width`` pixels in the diagram's fonts, broken
    between words (hyphenated in ``language``); the last line elided if cut."""
    return list(_wrap(text, width, max_lines, size, bold=bold, language=language))


def elide(text: str, width: float, *, size: float = EDGE_FONT_SIZE) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels."""
    return _elide(text, width, size)


def lane_order(process: Process) -> list[str]:
    """Customer lanes first, then the others as the map declares them."""
    actors = process.actors
    used = {step.actor for step in process.steps.values()}
    declared = [a for a in actors if a in used] + sorted(used - set(actors))
    customers = [a for a in declared if a in actors and actors[a].kind is ActorKind.CUSTOMER]
    return customers + [a for a in declared if a not in customers]


def flow_label(process: Process, source: str, label: str | None) -> str | None:
    """The label a flow is drawn with: none out of a parallel step, whose ways out are
    all taken (a branch label there would read as a choice)."""
    return None if process.steps[source].kind is StepKind.PARALLEL else label


def _kind(process: Process, sid: str) -> str:
    return process.steps[sid].kind.value


# ---------------------------------------------------------------------------
# columns and rows


def _columns(process: Process) -> tuple[dict[str, int], set[tuple[str, str]]]:
    order, back = process.graph.acyclic_order()
    g = process.graph.nx
    column: dict[str, int] = {}
    for sid in order:
        before = [column[p] for p in g.predecessors(sid) if (p, sid) not in back and p in column]
        column[sid] = max(before) + 1 if before else 0
    return column, back


def _rows(
    process: Process, lanes: list[str], column: dict[str, int]
) -> dict[str, int]:
    """Stack the steps that share a lane and a column, ordered by barycentre sweeps."""
    stacks: dict[tuple[str, int], list[str]] = defaultdict(list)
    for sid in process.steps:  # declaration order is the first guess
        stacks[process.steps[sid].actor, column[sid]].append(sid)
    multi = {key: ids for key, ids in stacks.items() if len(ids) > 1}
    row = {sid: i for ids in stacks.values() for i, sid in enumerate(ids)}
    if not multi:
        return row
    lane_index = {a: i for i, a in enumerate(lanes)}
    g = process.graph.nx
    depth = max(len(ids) for ids in stacks.values())

    def position(sid: str) -> float:
        return lane_index[process.steps[sid].actor] * depth + row[sid]

    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        for key in sorted(multi, key=lambda k: (k[1], lane_index[k[0]]), reverse=not forward):
            ids = multi[key]

            def centre(sid: str, forward: bool = forward) -> float:
                near = list(g.predecessors(sid) if forward else g.successors(sid))
                near = [n for n in near if n != sid]
                if not near:
                    return position(sid)
                return sum(position(n) for n in near) / len(near)

            ids.sort(key=lambda sid: (centre(sid), row[sid]))
            for i, sid in enumerate(ids):
                row[sid] = i
    return row


# ---------------------------------------------------------------------------
# node sizes


@dataclass
class _Shape:
    kind: str
    lines: list[str]
    w: float
    h: float
    above: float  # extent above the row's centre line
    below: float


def _shape(process: Process, sid: str) -> _Shape:
    step = process.steps[sid]
    kind = _kind(process, sid)
    text = step.name or sid
    if kind in GLYPH:
        size = GLYPH[kind]
        if kind == "parallel" and not step.name:  # the plus says it all; an id would be noise
            return _Shape(kind, [], size, size, size / 2, size / 2)
        lines = wrap(text, TASK_WIDTH, MAX_GLYPH_LINES, language=process.language)
        label_h = len(lines) * LINE_HEIGHT
        return _Shape(kind, lines, size, size, size / 2 + GLYPH_LABEL_GAP + label_h, size / 2)
    lines = wrap(text, TASK_WIDTH - 2 * TASK_PAD, MAX_TASK_LINES, language=process.language)
    marked = step.calls or kind == "subprocess"
    h = max(TASK_MIN_HEIGHT, len(lines) * LINE_HEIGHT + 2 * TASK_PAD + (8 if marked else 0))
    return _Shape(kind, lines, TASK_WIDTH, h, h / 2, h / 2)


# ---------------------------------------------------------------------------
# crossing least: lane order and the street each long flow runs along


def _facing(lane_index: dict[str, int], row: dict[str, int], actor: str, r: int,
            other: tuple[int, int]) -> int:
    """The street of row ``r`` (above it: ``r``, below: ``r + 1``) on the side facing ``other``."""
    return r + 1 if other > (lane_index[actor], r) else r


def _options(process: Process, lane_index: dict[str, int], column: dict[str, int],
             row: dict[str, int], s: str, t: str) -> list[tuple[str, int]]:
    """The streets a forward flow across columns may run along: by its target's row, then
    by its source's, each first on the side facing the other end, then on the far side."""
    sa, ta = process.steps[s].actor, process.steps[t].actor
    src = (lane_index[sa], row[s])
    tgt = (lane_index[ta], row[t])
    near_t = _facing(lane_index, row, ta, row[t], src)
    near_s = _facing(lane_index, row, sa, row[s], tgt)
    far_t = row[t] + 1 if near_t == row[t] else row[t]
    far_s = row[s] + 1 if near_s == row[s] else row[s]
    out: list[tuple[str, int]] = []
    for street in ((ta, near_t), (sa, near_s), (ta, far_t), (sa, far_s)):
        if street not in out:
            out.append(street)
    return out


def _segments_of(process: Process, lane_index: dict[str, int], column: dict[str, int],
                 row: dict[str, int], s: str, t: str, back: bool,
                 street: tuple[str, int] | None) -> tuple[list[tuple[float, float, float]],
                                                         list[tuple[float, float, float]]]:
    """A flow's runs in ordinal coordinates (x: column, channel at +0.5; y: lane × 1000 +
    half-rows): horizontal (y, x1, x2) and vertical (x, y1, y2)."""
    steps = process.steps
    a, b = column[s], column[t]
    sa, ta = steps[s].actor, steps[t].actor
    ys = lane_index[sa] * 1000 + 2 * row[s] + 1
    yt = lane_index[ta] * 1000 + 2 * row[t] + 1
    if not back:
        if street is None:
            return [(ys, a, a + 0.5), (yt, a + 0.5, b)], [(a + 0.5, ys, yt)]
        y = lane_index[street[0]] * 1000 + 2 * street[1]
        return ([(ys, a, a + 0.5), (y, a + 0.5, b - 0.5), (yt, b - 0.5, b)],
                [(a + 0.5, ys, y), (b - 0.5, y, yt)])
    y0, y1 = ys + 1, yt + 1
    if (sa, row[s]) == (ta, row[t]):
        return [(y0, b, a)], []
    return [(y0, b - 0.5, a), (y1, b - 0.5, b)], [(b - 0.5, y0, y1)]


def _count(hs: np.ndarray, vs: np.ndarray) -> int:
    """Proper crossings between the horizontal runs (edge, y, x1, x2) and the vertical runs
    (edge, x, y1, y2) of different edges."""
    if not len(hs) or not len(vs):
        return 0
    hy, hx1, hx2 = hs[:, None, 1], np.minimum(hs[:, 2], hs[:, 3])[:, None], np.maximum(
        hs[:, 2], hs[:, 3])[:, None]
    vx, vy1, vy2 = vs[None, :, 1], np.minimum(vs[:, 2], vs[:, 3])[None, :], np.maximum(
        vs[:, 2], vs[:, 3])[None, :]
    hit = (hx1 < vx) & (vx < hx2) & (vy1 < hy) & (hy < vy2) & (hs[:, None, 0] != vs[None, :, 0])
    return int(hit.sum())


def _arrays(runs: list[tuple[list, list]]) -> tuple[np.ndarray, np.ndarray]:
    hs = [(i, *h) for i, (h_runs, _) in enumerate(runs) for h in h_runs]
    vs = [(i, *v) for i, (_, v_runs) in enumerate(runs) for v in v_runs]
    return (np.array(hs, dtype=float).reshape(-1, 4), np.array(vs, dtype=float).reshape(-1, 4))


class _LaneOrders:
    """Lane orders ranked by an estimate of their crossings: each flow's long runs in
    ordinal coordinates (a flow across columns along its target's row), the runs' x
    fixed by the columns, their y by the lanes' places."""

    def __init__(self, process: Process, lanes: list[str], column: dict[str, int],
                 row: dict[str, int], flows: list, is_back: dict[tuple[str, str], bool]) -> None:
        self.process = process
        self.lanes = lanes
        actors = process.actors
        self.fixed = sum(1 for a in lanes if a in actors and actors[a].kind is ActorKind.CUSTOMER)
        index = {a: i for i, a in enumerate(lanes)}
        steps = process.steps
        hs: list[tuple[int, float, float, int, int, int, int, int]] = []  # edge, x1, x2, lane, half...
        vs: list[tuple[int, float, int, int, int, int, int]] = []
        # a run's y is pos[lane] * 1000 + half; a street by a row faces the other end,
        # which depends on the order: kept as (lane, row, other lane, other row) to decide
        for i, f in enumerate(flows):
            s, t = f.source, f.target
            a, b = column[s], column[t]
            ls, lt = index[steps[s].actor], index[steps[t].actor]
            rs, rt = row[s], row[t]
            if not is_back[s, t]:
                if b == a + 1:
                    vs.append((i, a + 0.5, ls, 2 * rs + 1, lt, 2 * rt + 1, -1))
                else:  # along the street of the target's row facing the source
                    hs.append((i, a + 0.5, b - 0.5, lt, rt, ls, rs, 0))
                    vs.append((i, a + 0.5, ls, 2 * rs + 1, lt, rt, ls * 0 + rs))
                    vs.append((i, b - 0.5, lt, 2 * rt + 1, lt, rt, ls * 0 + rs))
            elif (ls, rs) == (lt, rt):
                hs.append((i, min(a, b), max(a, b), ls, rs, -1, -1, 1))
            else:
                vs.append((i, b - 0.5, ls, 2 * rs + 2, lt, 2 * rt + 2, -1))
        self.ok = bool(hs) and bool(vs)
        if not self.ok:
            return
        h = np.array(hs, dtype=float)
        v = np.array(vs, dtype=float)
        pair = (h[:, None, 1] < v[None, :, 1]) & (v[None, :, 1] < h[:, None, 2]) & (
            h[:, None, 0] != v[None, :, 0])
        self.hi, self.vi = np.nonzero(pair)
        self.h = h.astype(int)
        self.v = v
        # which flows each vertical belongs to, to find the source lane of street verticals
        self.flow_src = {i: (index[steps[f.source].actor], row[f.source]) for i, f in enumerate(flows)}
        self.v_src_lane = np.array([self.flow_src[int(r[0])][0] for r in vs])

    def estimate(self, pos: np.ndarray) -> int:
        """Estimated crossings with lane ``i`` at place ``pos[i]``."""
        if not self.ok or not len(self.hi):
            return 0
        h, v = self.h, self.v
        # horizontal runs: a street by the target's row (above it, or below when the
        # source is below), or a loop's street below its row
        lane, r, other, orow, loop = h[:, 3], h[:, 4], h[:, 5], h[:, 6], h[:, 7]
        below = (pos[other] > pos[lane]) | ((pos[other] == pos[lane]) & (orow > r))
        half = np.where(loop == 1, 2 * r + 2, 2 * r + below * 2)
        hy = pos[lane] * 1000 + half
        # vertical runs: fixed ends, or one end at the street chosen as above
        vl1, vh1, vl2, vh2, street_row = (v[:, 2].astype(int), v[:, 3], v[:, 4].astype(int),
                                          v[:, 5], v[:, 6])
        y1 = pos[vl1] * 1000 + vh1
        is_street = street_row >= 0
        src = self.v_src_lane
        t_lane = vl2
        t_row = np.where(is_street, v[:, 5], 0)
        s_below = (pos[src] > pos[t_lane]) | ((pos[src] == pos[t_lane]) & (street_row > t_row))
        street_y = pos[t_lane] * 1000 + 2 * t_row + s_below * 2
        y2 = np.where(is_street, street_y, pos[vl2] * 1000 + vh2)
        # the second vertical of a street flow runs from the street to the target row
        lo, hi = np.minimum(y1, y2), np.maximum(y1, y2)
        y = hy[self.hi]
        return int(((lo[self.vi] < y) & (y < hi[self.vi])).sum())

    def best(self, keep: int = 12) -> list[list[str]]:
        """Up to ``keep`` orders, fewest estimated crossings first, the map's order first
        among equals; every order of the lanes below the customer's when there are at
        most six, else the map's order improved by swaps of two lanes."""
        lanes, fixed = self.lanes, self.fixed
        n = len(lanes)
        free = list(range(fixed, n))

        def cost(order: tuple[int, ...]) -> int:
            pos = np.empty(n, dtype=int)
            for place, lane in enumerate(order):
                pos[lane] = place
            return self.estimate(pos)

        def displaced(order: tuple[int, ...]) -> int:
            return sum(1 for i in range(n) for j in range(i + 1, n) if order[i] > order[j])

        head = tuple(range(fixed))
        if len(free) <= 6:
            orders = [head + perm for perm in itertools.permutations(free)]
            ranked = sorted(orders, key=lambda o: (cost(o), displaced(o)))
        else:
            current = tuple(range(n))
            best = cost(current)
            improved = True
            while improved and best:
                improved = False
                for i in range(fixed, n):
                    for j in range(i + 1, n):
                        trial = list(current)
                        trial[i], trial[j] = trial[j], trial[i]
                        c = cost(tuple(trial))
                        if c < best:
                            current, best, improved = tuple(trial), c, True
            ranked = [current, tuple(range(n))] if current != tuple(range(n)) else [current]
        return [[lanes[i] for i in order] for order in ranked[:keep]]


def _streets(process: Process, lane_index: dict[str, int], column: dict[str, int],
             row: dict[str, int], flows: list,
             is_back: dict[tuple[str, str], bool]) -> dict[tuple[str, str], tuple[str, int]]:
    """The street each forward flow across columns runs along: by its target's row unless
    running by its source's crosses fewer flows (small maps only)."""
    long = [(f.source, f.target) for f in flows
            if not is_back[f.source, f.target] and column[f.target] > column[f.source] + 1]
    via = {(s, t): _options(process, lane_index, column, row, s, t)[0] for s, t in long}
    if len(flows) > OPTIMISE_FLOWS or not long:
        return via
    index = {(f.source, f.target): i for i, f in enumerate(flows)}
    runs = [_segments_of(process, lane_index, column, row, f.source, f.target,
                         is_back[f.source, f.target], via.get((f.source, f.target)))
            for f in flows]
    hs, vs = _arrays(runs)  # a long flow has the same number of runs whatever its street
    for _ in range(2):
        changed = False
        for s, t in long:
            options = _options(process, lane_index, column, row, s, t)
            i = index[s, t]
            h_other, v_other = hs[hs[:, 0] != i], vs[vs[:, 0] != i]
            costs = []
            for street in options:
                mine = _arrays([_segments_of(process, lane_index, column, row, s, t, False, street)])
                mine[0][:, 0] = i
                mine[1][:, 0] = i
                costs.append(_count(mine[0], v_other) + _count(h_other, mine[1]))
            pick = options[costs.index(min(costs))]
            if pick != via[s, t]:
                mine = _arrays([_segments_of(process, lane_index, column, row, s, t, False, pick)])
                hs[hs[:, 0] == i, 1:] = mine[0][:, 1:]
                vs[vs[:, 0] == i, 1:] = mine[1][:, 1:]
                changed = True
            via[s, t] = pick
        if not changed:
            break
    return via


# ---------------------------------------------------------------------------
# routing in abstract coordinates, then tracks


@dataclass
class _Route:
    """An edge as a sequence of moves through channels and streets."""

    source: str
    target: str
    back: bool
    channels: list[tuple[int, str, tuple[float, float]]] = field(default_factory=list)
    streets: list[tuple[tuple[str, int], str, tuple[float, float]]] = field(default_factory=list)


def _pack(requests: list[tuple[str, tuple[float, float]]]) -> tuple[dict[str, int], int]:
    """Give each key a track; keys whose intervals overlap get different tracks."""
    spans: dict[str, tuple[float, float]] = {}
    for key, (a, b) in requests:
        lo, hi = min(a, b), max(a, b)
        if key in spans:
            lo, hi = min(lo, spans[key][0]), max(hi, spans[key][1])
        spans[key] = (lo, hi)
    ends: list[float] = []  # per track: where its last interval ends
    track: dict[str, int] = {}
    for key, (lo, hi) in sorted(spans.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[0])):
        for t, end in enumerate(ends):
            if end < lo:
                ends[t] = hi
                track[key] = t
                break
        else:
            track[key] = len(ends)
            ends.append(hi)
    return track, len(ends)


def layout(process: Process, *, keep_lane_order: bool = False) -> Layout:
    """Lay ``process`` out as a swimlane diagram.

    The customer's lanes are on top. Below them the lanes are in the order that
    crosses fewest flows (the map's order where several cross as few), unless
    ``keep_lane_order`` asks for the map's order.
    """
    lanes = lane_order(process)
    column, back = _columns(process)
    flows = sorted(process.flows, key=lambda f: (f.source, f.target))
    is_back = {(f.source, f.target): (f.source, f.target) in back
               or column[f.source] >= column[f.target] for f in flows}
    if keep_lane_order or len(flows) > OPTIMISE_FLOWS or len(lanes) < 3:
        return _draw(process, lanes, column, flows, is_back)
    key = (tuple(lanes), tuple((sid, step.actor, column[sid]) for sid, step in process.steps.items()),
           tuple((f.source, f.target) for f in flows))
    chosen = _CHOSEN.get(key)
    if chosen is not None:
        return _draw(process, list(chosen), column, flows, is_back)
    row = _rows(process, lanes, column)
    candidates = _LaneOrders(process, lanes, column, row, flows, is_back).best()
    if len(flows) > SEARCH_FLOWS:  # large: the estimate decides
        best = _draw(process, candidates[0], column, flows, is_back)
    else:  # small: the map's order and the best few by estimate are drawn and counted;
        # of those with fewest crossings, the one that moves fewest lanes wins
        place = {a: i for i, a in enumerate(lanes)}

        def moved(order: list[str]) -> int:
            return sum(1 for i, a in enumerate(order) for b in order[i + 1:] if place[a] > place[b])

        best, best_key = None, None
        for order in [lanes] + [c for c in candidates if c != lanes]:
            lay = _draw(process, order, column, flows, is_back)
            score = (lay.crossings, moved(order))
            if best_key is None or score < best_key:
                best, best_key = lay, score
            if not lay.crossings:
                break
    with _CHOSEN_LOCK:  # the workshop server lays maps out on several threads
        if len(_CHOSEN) >= 64:
            _CHOSEN.pop(next(iter(_CHOSEN)))
        _CHOSEN[key] = tuple(lane.actor for lane in best.lanes)
    return best


def columns(process: Process) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """Each step's column (one right of the latest step before it, loops cut at their back
    edges) and the back edges that were cut."""
    return _columns(process)


def layout_in(process: Process, lanes: list[str], column: dict[str, int],
              back: set[tuple[str, str]] = frozenset()) -> Layout:  # type: ignore[assignment]
    """Lay ``process`` out with its lanes in the order given (every one drawn, steps or not)
    and its steps in the columns given; ``back`` are flows drawn as loops (as are flows
    that do not go right)."""
    flows = sorted(process.flows, key=lambda f: (f.source, f.target))
    is_back = {(f.source, f.target): (f.source, f.target) in back
               or column[f.source] >= column[f.target] for f in flows}
    return _draw(process, list(lanes), column, flows, is_back)


_CHOSEN: dict[tuple, tuple[str, ...]] = {}
_CHOSEN_LOCK = threading.Lock()
"""The lane order chosen for a map's structure (lanes, steps' actors and columns, flows),
so that drawing the same map again (SVG, BPMN, report) searches once."""


def _draw(process: Process, lanes: list[str], column: dict[str, int], flows: list,
          is_back: dict[tuple[str, str], bool]) -> Layout:
    """The layout with the lanes in the given order."""
    steps = process.steps
    row = _rows(process, lanes, column)
    lane_index = {a: i for i, a in enumerate(lanes)}
    via = _streets(process, lane_index, column, row, flows, is_back)
    shapes = {sid: _shape(process, sid) for sid in steps}
    ncols = max(column.values(), default=-1) + 1
    nrows = {a: 1 for a in lanes}
    for sid, step in steps.items():
        nrows[step.actor] = max(nrows[step.actor], row[sid] + 1)

    # ordinal y of rows and streets: lane i, street k at 2k, row k at 2k+1
    def oy(actor: str, half: int) -> float:
        return lane_index[actor] * 1000 + half

    ports = _ports(process, flows, is_back, lanes, column, row, shapes, via)
    routes: list[_Route] = []
    for f in flows:
        s, t = f.source, f.target
        a, b = column[s], column[t]
        sa, ta = steps[s].actor, steps[t].actor
        route = _Route(s, t, is_back[s, t])
        key = f"{s}>{t}"  # every flow its own tracks: no two flows share a run
        if not route.back:
            if b == a + 1:
                route.channels.append((a, key, (oy(sa, 2 * row[s] + 1), oy(ta, 2 * row[t] + 1))))
            else:  # across columns: along the street the flow was given
                street = via[s, t]
                y = oy(street[0], 2 * street[1])
                route.channels.append((a, key, (oy(sa, 2 * row[s] + 1), y)))
                route.streets.append((street, key, (a + 0.5, b - 0.5)))
                route.channels.append((b - 1, f"{key}:in", (y, oy(ta, 2 * row[t] + 1))))
        else:
            below_s = (sa, row[s] + 1)
            below_t = (ta, row[t] + 1)
            if below_s == below_t:
                route.streets.append((below_s, key, (b, a)))
            else:
                route.streets.append((below_s, key, (b - 0.5, a)))
                route.channels.append(
                    (b - 1, key, (oy(sa, 2 * row[s] + 2), oy(ta, 2 * row[t] + 2)))
                )
                route.streets.append((below_t, f"{key}:t", (b - 0.5, b)))
        routes.append(route)

    channel_req: dict[int, list[tuple[str, tuple[float, float]]]] = defaultdict(list)
    street_req: dict[tuple[str, int], list[tuple[str, tuple[float, float]]]] = defaultdict(list)
    for r in routes:
        for c, key, span in r.channels:
            channel_req[c].append((key, span))
        for st, key, span in r.streets:
            street_req[st].append((key, span))
    channel_track: dict[int, tuple[dict[str, int], int]] = {
        c: _pack(req) for c, req in channel_req.items()
    }
    street_track: dict[tuple[str, int], tuple[dict[str, int], int]] = {
        st: _pack(req) for st, req in street_req.items()
    }

    # y of rows and streets, lane by lane (they do not depend on the columns' x); a
    # street no flow runs along is a plain gap, as high as the badges beside it need
    under_glyph = {(steps[sid].actor, row[sid] + 1) for sid in steps if shapes[sid].kind in GLYPH}

    def street_height(st: tuple[str, int]) -> float:
        tracks = street_track.get(st, ({}, 0))[1]
        if not tracks and st not in under_glyph:
            return STREET_PAD
        return 2 * STREET_PAD + max(0, tracks - 1) * TRACK

    row_centre: dict[tuple[str, int], float] = {}
    street_y: dict[tuple[str, int], float] = {}
    lane_spans: list[tuple[str, float, float, tuple[str, ...]]] = []
    y = MARGIN
    for actor in lanes:
        top = y
        extent_above: dict[int, float] = defaultdict(float)
        extent_below: dict[int, float] = defaultdict(float)
        for sid, step in steps.items():
            if step.actor == actor:
                extent_above[row[sid]] = max(extent_above[row[sid]], shapes[sid].above)
                extent_below[row[sid]] = max(extent_below[row[sid]], shapes[sid].below)
        for k in range(nrows[actor]):
            street_y[actor, k] = y
            y += street_height((actor, k))
            row_centre[actor, k] = y + extent_above[k]
            y += extent_above[k] + extent_below[k]
        street_y[actor, nrows[actor]] = y
        y += street_height((actor, nrows[actor]))
        info = process.actors.get(actor)
        label = (info.name if info and info.name else None) or actor
        label_lines = tuple(wrap(label, LANE_LABEL_WIDTH - 20, 4, size=LANE_FONT_SIZE, bold=True,
                                 language=process.language))
        y = max(y, top + len(label_lines) * LINE_HEIGHT + 20)  # room for the lane's name
        lane_spans.append((actor, top, y, label_lines))
    height = y + MARGIN

    def track_y(st: tuple[str, int], key: str) -> float:
        return street_y[st] + STREET_PAD + street_track[st][0][key] * TRACK

    # first pass with the packed channel tracks, to learn where each channel's
    # verticals start, end and are joined; then the tracks are put in the order
    # that crosses least, and the second pass draws with it
    placed = _place(process, routes, ncols, column, row, shapes, row_centre, channel_track, track_y,
                    ports)
    channel_track = _order_tracks(placed.verticals, channel_track)
    placed = _place(process, routes, ncols, column, row, shapes, row_centre, channel_track, track_y,
                    ports)
    width = placed.width

    lane_boxes = []
    for actor, top, bottom, label_lines in lane_spans:
        info = process.actors.get(actor)
        label = (info.name if info and info.name else None) or actor
        customer = bool(info and info.kind is ActorKind.CUSTOMER)
        box = Box(MARGIN, top, width - 2 * MARGIN, bottom - top)
        lane_boxes.append(LaneBox(actor, label, customer, box, label_lines))

    flow_by = {(f.source, f.target): f for f in flows}
    # a drawn flow is a hand-off when it carries a Break Point (parallel steps do no
    # work: the hand-off is drawn on the flow that belongs to its pair of steps)
    from procmap.measures.points import break_points

    carried = {bp.edge or (bp.flow.source, bp.flow.target) for bp in break_points(process)}
    edges: list[EdgePath] = []
    for r, raw in zip(routes, placed.points, strict=True):
        f = flow_by[r.source, r.target]
        pts = simplify(raw)
        label = flow_label(process, f.source, f.label)
        # a glyph's badges sit under it: its branch labels start right of its box
        clear = placed.nodes[r.source].box.right if placed.nodes[r.source].kind in GLYPH else None
        label_box, label_text = _edge_label(label, pts, r.back, ports.label_above(r.source, r.target),
                                            clear)
        handoff = (r.source, r.target) in carried
        edges.append(EdgePath(r.source, r.target, label, tuple(pts), r.back, handoff,
                              label_box, label_text))
    return Layout(
        width=width,
        height=height,
        lanes=tuple(lane_boxes),
        nodes=placed.nodes,
        edges=tuple(edges),
        crossings=count_crossings(edges),
        columns=ncols,
    )


@dataclass
class _Placed:
    """Shapes and raw edge points for one choice of channel tracks."""

    width: float
    nodes: dict[str, NodeBox]
    points: list[list[tuple[float, float]]]
    verticals: dict[int, dict[str, list[tuple[float, float, list[tuple[float, str]]]]]]
    """Per channel and track key: (top, bottom, attachments (y, side)) of each vertical run."""


@dataclass
class _Ports:
    """Where each flow leaves and enters its steps: an offset from the step's centre line."""

    out_dy: dict[tuple[str, str], float]
    in_dy: dict[tuple[str, str], float]
    loops_both: set[str]
    highest_out: dict[str, float] = field(default_factory=dict)

    def label_above(self, source: str, target: str) -> bool:
        """Whether a flow's label goes above its first run (else below): above unless a
        sibling leaves higher up and this one leaves at or below the centre line."""
        dy = self.out_dy.get((source, target))
        if dy is None:
            return True
        return dy < 0 or (dy == 0 and self.highest_out.get(source, 0.0) >= 0)


def _port_limit(shape: _Shape) -> float:
    if shape.kind in DIAMONDS:
        return shape.h / 2 - 8
    if shape.kind in CIRCLES:
        return shape.h / 2 - 8
    return shape.h / 2 - 10


def _spread(own: float, others: list[tuple[float, int, str]], limit: float) -> dict[str, float]:
    """Offsets of the ports on one side of a step, in the order of the steps at the flows'
    other ends; the flow to (or from) the step most level with this one runs straight."""
    order = sorted(others)
    k = len(order)
    if k == 1:
        return {order[0][2]: 0.0}
    level = min(range(k), key=lambda i: (abs(order[i][0] - own), i))
    gap = PORT_GAP
    dys = [(i - level) * gap for i in range(k)]
    if max(abs(d) for d in dys) > limit:
        gap = min(PORT_GAP, 2 * limit / (k - 1))
        dys = [(i - (k - 1) / 2) * gap for i in range(k)]
    return {order[i][2]: dys[i] for i in range(k)}


def _ports(
    process: Process,
    flows: list,
    is_back: dict[tuple[str, str], bool],
    lanes: list[str],
    column: dict[str, int],
    row: dict[str, int],
    shapes: dict[str, _Shape],
    via: dict[tuple[str, str], tuple[str, int]],
) -> _Ports:
    """Distinct ports: each forward flow leaves its source's right side and enters its
    target's left side at its own height, in the order of the heights the flows turn to
    (the other end's row, or the street they run along), so they do not cross there."""
    lane_index = {a: i for i, a in enumerate(lanes)}
    steps = process.steps

    def level(sid: str) -> float:
        return lane_index[steps[sid].actor] * 1000 + 2 * row[sid] + 1

    def street(s: str, t: str) -> float | None:
        if (s, t) not in via:
            return None
        actor, k = via[s, t]
        return lane_index[actor] * 1000 + 2 * k

    outs: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    ins: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    loops_out: set[str] = set()
    loops_in: set[str] = set()
    for f in flows:
        s, t = f.source, f.target
        if is_back[s, t]:
            loops_out.add(s)
            loops_in.add(t)
            continue
        turn = street(s, t)
        outs[s].append((level(t) if turn is None else turn, column[t], t))
        ins[t].append((level(s) if turn is None else turn, -column[s], s))
    out_dy: dict[tuple[str, str], float] = {}
    in_dy: dict[tuple[str, str], float] = {}
    for s, others in outs.items():
        for t, dy in _spread(level(s), others, _port_limit(shapes[s])).items():
            out_dy[s, t] = dy
    for t, others in ins.items():
        limit = _port_limit(shapes[t])
        if shapes[t].kind in GLYPH and len(others) > 1 + 2 * limit // PORT_GAP:
            # more flows than a glyph's side holds apart: they meet at its point (a merge)
            for _, _, s in others:
                in_dy[s, t] = 0.0
            continue
        for s, dy in _spread(level(t), others, limit).items():
            in_dy[s, t] = dy
    highest: dict[str, float] = {}
    for (s, _), dy in out_dy.items():
        highest[s] = min(dy, highest.get(s, dy))
    return _Ports(out_dy, in_dy, loops_out & loops_in, highest)


def port(node: NodeBox, dy: float, right: bool) -> tuple[float, float]:
    """The point on ``node``'s outline at ``dy`` from its centre line, on its right or left."""
    b = node.box
    half = b.w / 2
    if node.kind in DIAMONDS:
        dx = half * (1 - abs(dy) / (b.h / 2))
    elif node.kind in CIRCLES:
        dx = max(half * half - dy * dy, 0.0) ** 0.5
    else:
        dx = half
    return (b.cx + dx if right else b.cx - dx, b.cy + dy)


def _place(
    process: Process,
    routes: list[_Route],
    ncols: int,
    column: dict[str, int],
    row: dict[str, int],
    shapes: dict[str, _Shape],
    row_centre: dict[tuple[str, int], float],
    channel_track: dict[int, tuple[dict[str, int], int]],
    track_y: Callable[[tuple[str, int], str], float],
    ports: _Ports,
) -> _Placed:
    """Columns, shapes and edge points, given the tracks of every channel."""
    steps = process.steps

    # x of columns: label column, channel -1, column 0, channel 0, column 1, ...; every
    # channel after a column keeps room beside the steps, before the flows' tracks: for
    # branch labels here, and for the gateways and events the BPMN export adds beside a
    # step (its flows rerouted round them cross more where that room is missing)
    def room(c: int) -> float:
        return EDGE_LABEL_ROOM if c >= 0 else 0.0

    def channel_width(c: int) -> float:
        tracks = channel_track.get(c, ({}, 0))[1]
        return 2 * CHANNEL_PAD + tracks * TRACK + room(c)

    x = MARGIN + LANE_LABEL_WIDTH
    channel_x: dict[int, float] = {}
    col_x: list[float] = []
    for c in range(-1, ncols):
        if c >= 0:
            col_x.append(x)
            x += TASK_WIDTH
        channel_x[c] = x
        x += channel_width(c)

    nodes: dict[str, NodeBox] = {}
    for sid, step in steps.items():
        shp = shapes[sid]
        cy = row_centre[step.actor, row[sid]]
        cx = col_x[column[sid]] + TASK_WIDTH / 2
        box = Box(cx - shp.w / 2, cy - shp.h / 2, shp.w, shp.h)
        label_h = len(shp.lines) * LINE_HEIGHT
        if shp.kind in GLYPH and not shp.lines:
            label = Box(cx, box.y, 0.0, 0.0)
        elif shp.kind in GLYPH:
            label = Box(cx - TASK_WIDTH / 2, box.y - GLYPH_LABEL_GAP - label_h, TASK_WIDTH, label_h)
        else:
            label = Box(box.x + TASK_PAD, cy - label_h / 2, TASK_WIDTH - 2 * TASK_PAD, label_h)
        nodes[sid] = NodeBox(sid, shp.kind, step.actor, tuple(shp.lines), box, label, column[sid], row[sid])

    def track_x(c: int, key: str) -> float:
        """Tracks run right of the room where the labels of the flows out of a column go."""
        return channel_x[c] + CHANNEL_PAD + room(c) + channel_track[c][0][key] * TRACK

    points: list[list[tuple[float, float]]] = []
    verticals: dict[int, dict[str, list[tuple[float, float, list[tuple[float, str]]]]]] = (
        defaultdict(lambda: defaultdict(list)))
    for r in routes:
        s, t = nodes[r.source], nodes[r.target]
        pts: list[tuple[float, float]]
        if not r.back:
            start = port(s, ports.out_dy[r.source, r.target], right=True)
            end = port(t, ports.in_dy[r.source, r.target], right=False)
            c0, k0, _ = r.channels[0]
            x0 = track_x(c0, k0)
            if not r.streets:
                pts = [start, (x0, start[1]), (x0, end[1]), end]
                runs = [(1, c0, k0)]
            else:
                st, ks, _ = r.streets[0]
                ys = track_y(st, ks)
                c1, k1, _ = r.channels[1]
                x1 = track_x(c1, k1)
                pts = [start, (x0, start[1]), (x0, ys), (x1, ys), (x1, end[1]), end]
                runs = [(1, c0, k0), (3, c1, k1)]
        else:
            # a step that a loop both leaves and enters: out right of its centre, in left
            shift = LOOP_SHIFT if r.source in ports.loops_both and s.kind not in GLYPH else 0.0
            start = (s.box.cx + shift, s.box.bottom)
            shift = LOOP_SHIFT if r.target in ports.loops_both and t.kind not in GLYPH else 0.0
            end = (t.box.cx - shift, t.box.bottom)
            if r.source == r.target:  # a step that repeats itself: a small loop below it
                start = (s.box.cx + s.box.w / 4, s.box.bottom)
                end = (t.box.cx - t.box.w / 4, t.box.bottom)
            st0, k0, _ = r.streets[0]
            y0 = track_y(st0, k0)
            if len(r.streets) == 1:
                pts = [start, (start[0], y0), (end[0], y0), end]
                runs = []
            else:
                c, kc, _ = r.channels[0]
                xc = track_x(c, kc)
                st1, k1, _ = r.streets[1]
                y1 = track_y(st1, k1)
                pts = [start, (start[0], y0), (xc, y0), (xc, y1), (end[0], y1), end]
                runs = [(2, c, kc)]
        for i, c, key in runs:
            (px, _), (ax, ay), (bx, by), (nx, _) = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
            attached = [(ay, "left" if px < ax else "right"), (by, "right" if nx > bx else "left")]
            verticals[c][key].append((min(ay, by), max(ay, by), attached))
        points.append(pts)
    return _Placed(x + MARGIN, nodes, points, verticals)


def _order_tracks(
    verticals: dict[int, dict[str, list[tuple[float, float, list[tuple[float, str]]]]]],
    packed: dict[int, tuple[dict[str, int], int]],
) -> dict[int, tuple[dict[str, int], int]]:
    """One track per key in every channel, ordered left to right so that the runs
    joining the verticals from the side cross as few other verticals as possible."""
    ordered: dict[int, tuple[dict[str, int], int]] = {}
    for c, (tracks, _) in packed.items():
        keys = sorted(tracks, key=lambda k: (tracks[k], k))
        span = {}
        left: dict[str, list[float]] = {}
        right: dict[str, list[float]] = {}
        for key in keys:
            runs = verticals.get(c, {}).get(key, [])
            span[key] = (min((r[0] for r in runs), default=0.0), max((r[1] for r in runs), default=0.0))
            left[key] = [y for r in runs for y, side in r[2] if side == "left"]
            right[key] = [y for r in runs for y, side in r[2] if side == "right"]

        def cost(a: str, b: str, span=span, left=left, right=right) -> int:  # noqa: ANN001
            """Crossings between the runs of ``a`` and ``b`` with ``a`` on the left."""
            lo_a, hi_a = span[a]
            lo_b, hi_b = span[b]
            crossings = sum(lo_a < y < hi_a for y in left[b]) + sum(lo_b < y < hi_b for y in right[a])
            # a run leaving ``a`` rightwards at the height where one reaches ``b`` from the
            # left would share that stretch with it: never
            shared = len({round(y, 1) for y in right[a]} & {round(y, 1) for y in left[b]})
            return crossings + 100 * shared

        if len(keys) <= SIFT_TRACKS:
            keys = _sift(keys, {(a, b): cost(a, b) for a in keys for b in keys if a != b})
        # then adjacent swaps while one helps
        for _ in range(len(keys)):
            swapped = False
            for i in range(len(keys) - 1):
                a, b = keys[i], keys[i + 1]
                if cost(b, a) < cost(a, b):
                    keys[i], keys[i + 1] = b, a
                    swapped = True
            if not swapped:
                break
        ordered[c] = ({key: i for i, key in enumerate(keys)}, len(keys))
    return ordered


def _sift(keys: list[str], cost: dict[tuple[str, str], int]) -> list[str]:
    """Each key moved in turn to the place where it crosses least, while that helps."""
    keys = list(keys)
    for _ in range(4):
        moved = False
        for key in list(keys):
            rest = [k for k in keys if k != key]
            # cost of ``key`` at place p: keys before it are left of it, after it right
            before = 0
            after = sum(cost[key, k] for k in rest)
            best, where = None, 0
            for p in range(len(rest) + 1):
                total = before + after
                if best is None or total < best:
                    best, where = total, p
                if p < len(rest):
                    before += cost[rest[p], key]
                    after -= cost[key, rest[p]]
            now = keys.index(key)
            if where != now:
                current = sum(cost[k, key] for k in keys[:now]) + sum(
                    cost[key, k] for k in keys[now + 1:])
                if best is not None and best < current:
                    rest.insert(where, key)
                    keys = rest
                    moved = True
        if not moved:
            break
    return keys


def simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop repeated points and points in the middle of a straight run."""
    out: list[tuple[float, float]] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 1e-6 and abs(out[-1][1] - p[1]) < 1e-6:
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            if (abs(ax - bx) < 1e-6 and abs(bx - p[0]) < 1e-6) or (
                abs(ay - by) < 1e-6 and abs(by - p[1]) < 1e-6
            ):
                out[-1] = p
                continue
        out.append(p)
    return out


def _edge_label(
    label: str | None, pts: list[tuple[float, float]], back: bool, above: bool = True,
    clear: float | None = None,
) -> tuple[Box | None, str | None]:
    """Where a flow's label goes: at the step it leaves, along its first run, so that a
    decision's branches are read at the decision. Forward flows leave sideways and the
    label sits above the run (below it for a flow whose sibling leaves higher up); loops
    leave downwards and the label sits under their first horizontal run."""
    if not label:
        return None, None
    h = EDGE_FONT_SIZE + 2
    if not back:
        (ax, ay), (bx, by) = pts[0], pts[1]
        if abs(ay - by) > 1e-6:
            return None, None
        x = max(ax, clear if clear is not None else ax) + LABEL_NEAR
        room = min(bx - x - LABEL_NEAR, EDGE_LABEL_ROOM + 30)
        if room < 3 * EDGE_CHAR_WIDTH:
            return None, None
        text = elide(label, room)
        w = text_width(text, EDGE_FONT_SIZE)
        return Box(x, ay - 2 - h if above else ay + 2, w, h), text
    (ax, ay), (bx, by) = pts[0], pts[1]
    if len(pts) < 3:
        return None, None
    (cx, cy) = pts[2]
    room = min(abs(cx - bx) - 6, EDGE_LABEL_ROOM - 4)
    if room < 3 * EDGE_CHAR_WIDTH:
        return None, None
    text = elide(label, room)
    w = text_width(text, EDGE_FONT_SIZE)
    left = bx - 4 - w if cx < bx else bx + 4
    return Box(left, by + 2, w, h), text


# ---------------------------------------------------------------------------
# quality


def segments(edges: list[EdgePath] | tuple[EdgePath, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical segments of the edges: rows of (edge, fixed, lo, hi)."""
    hs: list[tuple[int, float, float, float]] = []
    vs: list[tuple[int, float, float, float]] = []
    for i, e in enumerate(edges):
        for (ax, ay), (bx, by) in zip(e.points, e.points[1:], strict=False):
            if abs(ay - by) < 1e-6:
                hs.append((i, ay, min(ax, bx), max(ax, bx)))
            else:
                vs.append((i, ax, min(ay, by), max(ay, by)))
    return np.array(hs, dtype=float).reshape(-1, 4), np.array(vs, dtype=float).reshape(-1, 4)


def count_crossings(edges: list[EdgePath] | tuple[EdgePath, ...]) -> int:
    """How many times a horizontal run of one edge properly crosses a vertical run of another."""
    hs, vs = segments(edges)
    if not len(hs) or not len(vs):
        return 0
    eps = 1e-6
    if len(hs) * len(vs) <= 250_000:  # small: every pair at once
        hy, vx = hs[:, None, 1], vs[None, :, 1]
        hit = ((vs[None, :, 2] + eps <= hy) & (hy <= vs[None, :, 3] - eps)
               & (hs[:, None, 2] < vx - eps) & (hs[:, None, 3] > vx + eps)
               & (hs[:, None, 0] != vs[None, :, 0]))
        return int(hit.sum())
    order = np.argsort(hs[:, 1], kind="stable")
    hs = hs[order]
    hy = hs[:, 1]
    total = 0
    eps = 1e-6
    for edge, x, lo, hi in vs:
        a = np.searchsorted(hy, lo + eps, side="left")
        b = np.searchsorted(hy, hi - eps, side="right")
        if a >= b:
            continue
        cand = hs[a:b]
        hit = (cand[:, 2] < x - eps) & (cand[:, 3] > x + eps) & (cand[:, 0] != edge)
        total += int(hit.sum())
    return total


# ---------------------------------------------------------------------------
# reuse: a map renamed while it is typed


def relabel(lay: Layout, before: Process, after: Process) -> Layout | None:
    """``lay``, the layout of ``before``, as the layout of ``after``, when the two maps differ
    only in step names and every renamed step keeps its shape (size and number of label lines):
    the renamed steps get their new label lines, everything else stays where it is, number for
    number what ``layout(after)`` gives. ``None`` when anything else differs."""
    from dataclasses import replace

    if list(before.steps) != list(after.steps) or any(
        getattr(before, f) != getattr(after, f) for f in type(after).model_fields if f != "steps"
    ):
        return None
    nodes = dict(lay.nodes)
    for sid, new in after.steps.items():
        old = before.steps[sid]
        if old is new:
            continue
        if any(getattr(old, f) != getattr(new, f) for f in type(new).model_fields if f != "name"):
            return None
        if old.name != new.name:
            was, now = _shape(before, sid), _shape(after, sid)
            if (was.kind, was.w, was.h, was.above, was.below, len(was.lines)) != (
                now.kind, now.w, now.h, now.above, now.below, len(now.lines)
            ):
                return None
            nodes[sid] = replace(nodes[sid], label_lines=tuple(now.lines))
    return replace(lay, nodes=nodes)
