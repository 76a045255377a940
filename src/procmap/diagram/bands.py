"""Long maps wrapped: the swimlane diagram cut into bands stacked top to bottom.

A map wider than a limit is cut between columns into bands, each at most that wide,
stacked top to bottom, each with every lane and its header, the lanes in the same order.
The cuts go where fewest flows cross them (as few bands as the width allows, then fewest
cut flows, then bands of even width). Every step stays in its actor's lane and in its
column's order. A flow that crosses a cut is drawn as two off-page connectors, as BPMN's
link events: where it leaves, a marker numbered with the band it continues in ("→ 2"),
in the lane it goes to; where it arrives, a marker numbered with the band it comes from
("from 1"), in the lane it comes from. So a hand-off stays a hand-off in both bands, and no
line runs across a band to reach its other end.

Each band is laid out as a diagram of its own (procmap's swimlane layout), so everything
that holds of one diagram (no overlaps, no shared runs, labels at their decision) holds
of every band.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from procmap.layout import (
    CHANNEL_PAD,
    EDGE_LABEL_ROOM,
    LANE_LABEL_WIDTH,
    MARGIN,
    OPTIMISE_FLOWS,
    TASK_WIDTH,
    TRACK,
    Box,
    EdgePath,
    LaneBox,
    Layout,
    Link,
    NodeBox,
    columns,
    lane_order,
    layout,
    layout_in,
)
from procmap.model.process import Branch, Process, StepKind

MIN_WRAP = 1000.0
"""The narrowest band asked for that is honoured: a band holds at least a few columns."""
BAND_GAP = 36.0
"""Space above each band, where its title goes."""
_CONNECTORS = TASK_WIDTH + 2 * CHANNEL_PAD + EDGE_LABEL_ROOM
"""The width of a column of connectors and the channel after it, without tracks."""


def wrapped(process: Process, width: float, *, lanes: list[str] | None = None) -> Layout:
    """``process`` laid out in bands at most ``width`` pixels wide (``width`` at least
    MIN_WRAP; a band of one column with its connectors may be wider), stacked top to
    bottom; the one-band layout when the map fits.

    ``lanes`` fixes the lane order; by default it is the one :func:`procmap.layout.layout`
    chooses for the whole map (on maps of more than 120 flows the map's, customers on top).
    """
    width = max(float(width), MIN_WRAP)
    column, back = columns(process)
    ncols = max(column.values(), default=-1) + 1
    estimate = _column_widths(process, column, ncols)
    fixed = 2 * MARGIN + LANE_LABEL_WIDTH + 2 * CHANNEL_PAD
    if fixed + float(estimate.sum()) <= width:
        whole = layout(process) if lanes is None else layout_in(process, lanes, column, back)
        if whole.width <= width:
            return whole
    if lanes is None:
        lanes = ([lane.actor for lane in layout(process).lanes]
                 if len(process.flows) <= OPTIMISE_FLOWS else lane_order(process))
    # a band may begin with a column of arriving connectors, a track for every flow into
    # its first column, and ends with a column of leaving ones
    into = np.zeros(ncols, dtype=float)
    for f in process.flows:
        if column[f.source] != column[f.target]:
            into[column[f.target]] += 1
    start = np.where(into > 0, _CONNECTORS + into * TRACK, 0.0)
    limit = width - fixed - _CONNECTORS
    for _ in range(4):  # the estimate leaves out the tracks of merged connectors: if a
        # band comes out wider than asked, it is cut again with that much less room
        cuts = cut_points(process, column, back, estimate, limit, start)
        parts = _bands(process, cuts, column, back, lanes)
        edges = [0, *cuts, ncols]
        tighter = [float(estimate[a:b].sum() + start[a]) - (lay.width - width)
                   for (lay, _), a, b in zip(parts, edges, edges[1:], strict=False)
                   if lay.width > width and b - a > 1]
        if not tighter:
            break
        limit = min(limit, *tighter) - 1.0
    return _stack(parts, ncols)


def _bands(process: Process, cuts: list[int], column: dict[str, int], back: set[tuple[str, str]],
           lanes: list[str]) -> list[tuple[Layout, dict[str, Link]]]:
    """Each band laid out, with its connectors."""
    ncols = max(column.values(), default=-1) + 1
    starts = [0, *cuts]
    band_at = np.searchsorted(cuts, np.arange(ncols), side="right").tolist()
    band_of = {sid: band_at[c] for sid, c in column.items()}
    members: list[list[str]] = [[] for _ in starts]
    for sid in process.steps:
        members[band_of[sid]].append(sid)
    touching: list[list] = [[] for _ in starts]  # each band's flows: inside, leaving, arriving
    for f in process.flows:
        ks, kt = band_of[f.source], band_of[f.target]
        touching[ks].append(f)
        if kt != ks:
            touching[kt].append(f)
    return [_band(process, k, starts[k], members[k], touching[k], column, back, band_of, lanes)
            for k in range(len(starts))]


def _column_widths(process: Process, column: dict[str, int], ncols: int) -> np.ndarray:
    """An upper bound of each column's width with the channel right of it: every flow takes
    a track in the channel after its source and in the one before its target."""
    load = np.zeros(ncols + 1, dtype=float)  # channel c at index c + 1 (channel -1 first)
    for f in process.flows:
        a, b = column[f.source], column[f.target]
        load[a + 1] += 1
        if b - 1 != a:
            load[b] += 1
    channel = 2 * CHANNEL_PAD + load * TRACK + EDGE_LABEL_ROOM
    return TASK_WIDTH + channel[1:]


def cut_points(process: Process, column: dict[str, int], back: set[tuple[str, str]],
               widths: np.ndarray, limit: float, start: np.ndarray | None = None) -> list[int]:
    """Where the bands begin (column indices after the first band): as few bands as keep
    each within ``limit`` pixels by ``widths`` (plus ``start`` of the column a band begins
    with), then the fewest flows across the cuts, then bands of even width."""
    ncols = len(widths)
    if ncols <= 1:
        return []
    # flows across the cut before column k (k = 1 .. ncols - 1)
    delta = np.zeros(ncols + 1, dtype=int)
    for f in process.flows:
        lo, hi = sorted((column[f.source], column[f.target]))
        if lo < hi:
            delta[lo + 1] += 1
            delta[hi + 1] -= 1
    across = np.cumsum(delta).tolist()
    prefix = np.concatenate([[0.0], np.cumsum(widths)]).tolist()
    extra = [0.0] * ncols if start is None else start.tolist()
    inf = (ncols + 1, 0, 0.0)
    best: list[tuple[int, int, float]] = [(0, 0, 0.0)] + [inf] * ncols
    came = [0] * (ncols + 1)
    for j in range(1, ncols + 1):
        i = j - 1
        while i >= 0:
            w = prefix[j] - prefix[i] + extra[i]
            if w > limit and i < j - 1:
                if w - extra[i] > limit:
                    break
                i -= 1
                continue
            bands, cut, square = best[i]
            trial = (bands + 1, cut + (across[i] if i else 0), square + (w / limit) ** 2)
            if trial < best[j]:
                best[j], came[j] = trial, i
            i -= 1
    cuts = []
    j = ncols
    while j:
        j = came[j]
        if j:
            cuts.append(j)
    return sorted(cuts)


def _band(process: Process, k: int, c0: int, members: list[str], flows: list,
          column: dict[str, int], back: set[tuple[str, str]], band_of: dict[str, int],
          lanes: list[str]) -> tuple[Layout, dict[str, Link]]:
    """Band ``k`` (from column ``c0``: its steps ``members``, the ``flows`` that begin or end
    there) laid out on its own, with its connectors:
    one where flows leave for a step of another band (right of their latest source, in
    that step's lane), one where flows arrive from a step of another band (left of their
    earliest target, in that step's lane)."""
    steps = process.steps
    outgoing: dict[str, list[tuple[str, str | None]]] = {sid: [] for sid in members}
    into: dict[str, list[str]] = {}  # a step of another band → its targets here
    out_of: dict[str, list[str]] = {}  # a step of another band → its sources here
    for f in flows:
        s, t = f.source, f.target
        ks, kt = band_of[s], band_of[t]
        if ks == k and kt == k:
            outgoing[s].append((t, f.label))
        elif ks == k:
            out_of.setdefault(t, []).append(s)
            outgoing[s].append((f"\0{t}", f.label))  # the connector's id is given below
        elif kt == k:
            into.setdefault(s, []).append(t)
    taken = set(steps)

    def new_id(base: str) -> str:
        while base in taken:
            base += "_"
        taken.add(base)
        return base

    links: dict[str, Link] = {}
    band_column = {sid: column[sid] for sid in members}
    made: dict[str, dict] = {}
    leaving: dict[str, str] = {}
    for t in sorted(out_of, key=lambda t: (column[t], t)):
        lid = leaving[t] = new_id(f"to--{t}--{k + 1}")
        links[lid] = Link(t, True, band_of[t] + 1)
        made[lid] = {"actor": steps[t].actor, "kind": StepKind.END,
                     "name": f"→ {band_of[t] + 1}: {process.step_title(t)}"}
        band_column[lid] = max(column[s] for s in out_of[t]) + 1
    arriving: dict[str, str] = {}
    for s in sorted(into, key=lambda s: (column[s], s)):
        lid = arriving[s] = new_id(f"from--{s}--{k + 1}")
        links[lid] = Link(s, False, band_of[s] + 1)
        made[lid] = {"actor": steps[s].actor, "kind": StepKind.START,
                     "name": f"from {band_of[s] + 1}: {process.step_title(s)}",
                     "then": tuple(into[s])}
        band_column[lid] = min(column[t] for t in into[s]) - 1
    shift = 1 if any(band_column[lid] < c0 for lid in arriving.values()) else 0
    band_column = {sid: c - c0 + shift for sid, c in band_column.items()}

    # the map's order, each arriving connector before its first target and each leaving
    # one after its last source (the rows' first guess)
    place = {sid: i for i, sid in enumerate(members)}
    ahead: dict[str, list[str]] = {}
    behind: dict[str, list[str]] = {}
    for s, lid in arriving.items():
        ahead.setdefault(min(into[s], key=place.__getitem__), []).append(lid)
    for t, lid in leaving.items():
        behind.setdefault(max(out_of[t], key=place.__getitem__), []).append(lid)
    built: dict = {}
    for sid in members:
        for lid in ahead.get(sid, ()):
            built[lid] = made[lid]
        step = steps[sid]
        outs = [(leaving[t[1:]] if t.startswith("\0") else t, label) for t, label in outgoing[sid]]
        if step.kind is StepKind.DECISION and step.branches:
            labelled = {label: Branch(to=t) for t, label in outs if label is not None}
            plain = tuple(t for t, label in outs if label is None)
            built[sid] = step.model_copy(update={"needs": (), "then": plain, "branches": labelled})
        else:
            built[sid] = step.model_copy(update={"needs": (), "then": tuple(t for t, _ in outs),
                                                 "branches": {}})
        for lid in behind.get(sid, ()):
            built[lid] = made[lid]
    part = Process(procmap=1, process=process.process, name=process.name, language=process.language,
                   actors=process.actors, steps=built)
    inside = {(s, t) for s, t in back if band_of[s] == k and band_of[t] == k}
    lay = layout_in(part, lanes, band_column, inside)
    nodes = {sid: replace(node, kind="link") if sid in links else node
             for sid, node in lay.nodes.items()}
    return replace(lay, nodes=nodes), links


def _moved(lay: Layout, dy: float, width: float, band: int) -> Layout:
    """``lay`` moved down by ``dy``, its lanes stretched to ``width``."""
    def box(b: Box) -> Box:
        return Box(b.x, b.y + dy, b.w, b.h)

    lanes = tuple(replace(lane, box=Box(lane.box.x, lane.box.y + dy, width - 2 * MARGIN, lane.box.h),
                          band=band) for lane in lay.lanes)
    nodes = {sid: replace(n, box=box(n.box), label=box(n.label)) for sid, n in lay.nodes.items()}
    edges = tuple(replace(e, points=tuple((x, y + dy) for x, y in e.points),
                          label_box=box(e.label_box) if e.label_box else None) for e in lay.edges)
    return replace(lay, width=width, height=lay.height, lanes=lanes, nodes=nodes, edges=edges)


def _stack(parts: list[tuple[Layout, dict[str, Link]]], ncols: int) -> Layout:
    """The bands one under the other, as one layout."""
    width = max(lay.width for lay, _ in parts)
    bands: list[Layout] = []
    y = 0.0
    for k, (lay, _) in enumerate(parts):
        top = y + BAND_GAP - (0.0 if k else MARGIN)  # room for the band's title
        bands.append(_moved(lay, top, width, k))
        y = top + lay.height - MARGIN
    lanes: list[LaneBox] = [lane for band in bands for lane in band.lanes]
    nodes: dict[str, NodeBox] = {sid: n for band in bands for sid, n in band.nodes.items()}
    edges: list[EdgePath] = [e for band in bands for e in band.edges]
    links = {lid: link for _, found in parts for lid, link in found.items()}
    return Layout(width=width, height=y + MARGIN, lanes=tuple(lanes), nodes=nodes, edges=tuple(edges),
                  crossings=sum(b.crossings for b in bands), columns=ncols, bands=tuple(bands),
                  links=links)
