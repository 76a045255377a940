"""The block structure of a log: a process tree found by cuts on its directly-follows graph.

The inductive miner's way (Leemans): the variants of a log, with their cases, are
split again and again by the first cut their directly-follows graph shows,

* **exclusive**: the activities fall apart into groups that never follow one another
  (a choice);
* **sequence**: groups that each reach the next but never come back (one after
  the other);
* **parallel**: groups each of whose activities follow every activity of the
  others and are followed by them, each group with a way in and a way out
  (interleaved: both orders, no causal order);
* **loop**: the activities that begin and end the cases (the body), and groups that
  lead from the ends back to the beginnings (the rework),

until each part is one activity. When the graph shows no cut, its rare paths are
left out (those below ``noise`` times the most frequent way out of the same
activity, as IMf does) and the cuts are tried again; when it still shows none,
a fall-through keeps every case: an activity done once in every case runs beside
the rest, cases glued end to start are split at the glue (a loop), and at last
any of the activities in any order (a flower).

Each block keeps the cases it was found from, so the map's branches carry the
real shares. The graph's counts come from the engine; the cuts run here, on the
variants, which are few beside the events.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

import networkx as nx

Log = Counter  # variant (tuple of activities) -> cases

ACTIVITY, SILENT, SEQUENCE, CHOICE, PARALLEL, LOOP = "activity", "silent", "sequence", "choice", "parallel", "loop"


@dataclass
class Block:
    """One block of the process tree: an activity, nothing (silent), or an operator over blocks.

    ``cases`` counts the traces of the (sub)log the block was found from: for a
    loop, every pass through its body; for the parts of a choice, the cases that
    take each.
    """

    kind: str
    cases: int
    label: str | None = None
    children: list[Block] = field(default_factory=list)

    def activities(self) -> set[str]:
        if self.kind == ACTIVITY:
            return {self.label}  # type: ignore[arg-type]
        return set().union(*(c.activities() for c in self.children)) if self.children else set()

    def __str__(self) -> str:
        if self.kind == ACTIVITY:
            return repr(self.label)
        if self.kind == SILENT:
            return "tau"
        return f"{self.kind}({', '.join(map(str, self.children))})"


@dataclass
class Graph:
    """The directly-follows graph of a (sub)log, with its start and end activities."""

    edges: Counter
    starts: Counter
    ends: Counter
    activities: set[str]

    @classmethod
    def of(cls, log: Log, acts: set[str] | None = None) -> Graph:
        """The graph of ``log``; ``acts``: its activities, when known."""
        starts: Counter = Counter()
        ends: Counter = Counter()
        events = 0
        for trace, n in log.items():
            if trace:
                starts[trace[0]] += n
                ends[trace[-1]] += n
                events += len(trace)
        acts = set().union(*log) if acts is None else acts
        if events >= ARRAYS_FROM:
            return cls(_edges_counted(log, sorted(acts), events), starts, ends, acts)
        edges: Counter = Counter()
        for trace, n in log.items():
            for pair in zip(trace, trace[1:], strict=False):
                edges[pair] += n
        return cls(edges, starts, ends, acts)

    def filtered(self, noise: float) -> Graph:
        """Without the rare paths (IMf): an edge not above ``noise`` times the most frequent way
        out of its source (ending the case counts as a way out), a start below ``noise`` times
        the most frequent start."""
        most: Counter = Counter(self.ends)
        for (a, _), n in self.edges.items():
            most[a] = max(most[a], n)
        edges = Counter({e: n for e, n in self.edges.items() if n > noise * most[e[0]]})
        top_start = max(self.starts.values(), default=0)
        starts = Counter({a: n for a, n in self.starts.items() if n >= noise * top_start})
        return Graph(edges, starts, Counter(self.ends), self.activities)

    def nx(self) -> nx.DiGraph:
        g = nx.DiGraph()
        g.add_nodes_from(sorted(self.activities))
        g.add_edges_from(self.edges)
        return g


class Shared:
    """What mining a log finds that does not depend on the noise threshold: the graphs of
    its sublogs, their cuts, the sublogs a cut splits into, and the blocks found where the
    threshold was never needed. Kept while other thresholds are tried on the same log."""

    def __init__(self) -> None:
        self.graphs: dict[tuple, Graph] = {}
        self.cuts: dict[tuple, tuple[str, list[set[str]]] | None] = {}
        self.parts: dict[tuple, list[Log]] = {}
        self.blocks: dict[tuple, Block] = {}


ARRAYS_FROM = 20_000
"""Sublogs of this many events have their directly-follows pairs counted with arrays."""


def _edges_counted(log: Log, names: list[str], events: int) -> Counter:
    """The directly-follows pairs of ``log`` with their cases, counted with NumPy, in the
    order the log first shows them (as counting trace by trace gives them)."""
    import numpy as np

    traces = [t for t in log if t]
    code = {a: i for i, a in enumerate(names)}
    k = len(names)
    flat = np.fromiter(map(code.__getitem__, chain.from_iterable(traces)), dtype=np.int64, count=events)
    lengths = np.fromiter(map(len, traces), dtype=np.int64, count=len(traces))
    weights = np.repeat(np.fromiter((log[t] for t in traces), dtype=np.int64, count=len(traces)), lengths)
    inside = np.ones(events - 1, dtype=bool)  # pairs within a trace, not across two
    inside[np.cumsum(lengths)[:-1] - 1] = False
    pairs = (flat[:-1] * k + flat[1:])[inside]
    counts = np.bincount(pairs, weights=weights[1:][inside], minlength=k * k)
    found, first = np.unique(pairs, return_index=True)
    edges: Counter = Counter()
    for pair in found[np.argsort(first, kind="stable")].tolist():
        edges[names[pair // k], names[pair % k]] = int(counts[pair])
    return edges


def discover_blocks(log: Log, noise: float = 0.2, shared: Shared | None = None) -> Block:
    """The process tree of ``log`` (variant → cases); ``noise`` as IMf's threshold (0: IM).

    ``shared``: what an earlier call on the same log found (see :class:`Shared`)."""
    miner = _Miner(noise, shared or Shared())
    return miner.mine(Counter({tuple(t): n for t, n in log.items() if n > 0}), depth=0)


def _total(log: Log) -> int:
    return sum(log.values())


class _Miner:
    """The cuts of one threshold; ``uses`` counts the times the threshold decided something,
    so that a block found without it is kept for the other thresholds."""

    def __init__(self, noise: float, shared: Shared) -> None:
        self.noise = noise
        self.shared = shared
        self.uses = 0

    def mine(self, log: Log, depth: int) -> Block:
        key = tuple(log.items())
        found = self.shared.blocks.get((key, depth))
        if found is not None:
            return found
        before = self.uses
        block = self._mine(log, key, depth)
        if self.uses == before:
            self.shared.blocks[key, depth] = block
        return block

    def _mine(self, log: Log, key: tuple, depth: int) -> Block:
        noise = self.noise
        total = _total(log)
        empty = log.get((), 0)
        acts = set().union(*log)
        if not acts:
            return Block(SILENT, total)
        if empty:
            self.uses += 1
            rest = Counter({t: n for t, n in log.items() if t})
            if empty <= noise * total or depth > 200:
                return self.mine(rest, depth + 1)
            return _flatten(Block(CHOICE, total, children=[Block(SILENT, empty), self.mine(rest, depth + 1)]))
        if len(acts) == 1:
            (a,) = acts
            if all(len(t) == 1 for t in log):
                return Block(ACTIVITY, total, a)
            # the one activity repeated: a loop of it
            return Block(LOOP, total, children=[Block(ACTIVITY, sum(len(t) * n for t, n in log.items()), a),
                                                Block(SILENT, sum((len(t) - 1) * n for t, n in log.items()))])
        shared = self.shared
        graph = shared.graphs.get(key)
        if graph is None:
            graph = shared.graphs[key] = Graph.of(log, acts)
        if key in shared.cuts:
            found = shared.cuts[key]
        else:
            found = shared.cuts[key] = _cut(graph, log)
        if found is None:
            self.uses += 1
            found = _cut(graph.filtered(noise), log) if noise > 0 else None
        if found is not None:
            kind, groups = found
            return self._split(kind, groups, log, key, depth)
        return self._fall_through(log, graph, depth)

    def _split(self, kind: str, groups: list[set[str]], log: Log, key: tuple, depth: int) -> Block:
        total = _total(log)
        known = (key, kind, tuple(tuple(sorted(g)) for g in groups))
        parts = self.shared.parts.get(known)
        if parts is None:
            parts = self.shared.parts[known] = _parts(kind, groups, log)
        if kind == CHOICE:
            return _flatten(Block(CHOICE, total, children=[self.mine(p, depth + 1) for p in parts if p]))
        if kind in (PARALLEL, SEQUENCE):
            return _flatten(Block(kind, total, children=[self.mine(p, depth + 1) for p in parts]))
        body, redo = parts
        return Block(LOOP, _total(body), children=[self.mine(body, depth + 1), self.mine(redo, depth + 1)])

    def _fall_through(self, log: Log, graph: Graph, depth: int) -> Block:
        total = _total(log)
        acts = sorted(graph.activities)
        # an activity done exactly once in every case runs beside the rest
        for a in acts:
            if all(t.count(a) == 1 for t in log):
                rest = Counter()
                for t, n in log.items():
                    rest[tuple(x for x in t if x != a)] += n
                return _flatten(Block(PARALLEL, total, children=[Block(ACTIVITY, total, a),
                                                                  self.mine(rest, depth + 1)]))
        # cases that are several cases glued end to start: split at the glue, loop them
        starts, ends = set(graph.starts), set(graph.ends)
        pieces: Counter = Counter()
        glued = False
        glue = {(e, s) for e in ends for s in starts}  # an end directly followed by a start
        for t, n in log.items():
            begin = 0
            if not glue.isdisjoint(zip(t, t[1:], strict=False)):
                glued = True
                for i in [i for i, pair in enumerate(zip(t, t[1:], strict=False), 1) if pair in glue]:
                    pieces[t[begin:i]] += n
                    begin = i
            pieces[t[begin:]] += n
        if glued and depth < 200:
            return Block(LOOP, _total(pieces), children=[self.mine(pieces, depth + 1),
                                                         Block(SILENT, _total(pieces) - total)])
        # a flower: any of the activities, in any order, as often as they come
        events: Counter = Counter()
        for t, n in log.items():
            for a in t:
                events[a] += n
        passes = sum(events.values())
        return Block(LOOP, passes, children=[
            Block(CHOICE, passes, children=[Block(ACTIVITY, events[a], a) for a in acts]),
            Block(SILENT, passes - total)])


def _cut(graph: Graph, log: Log) -> tuple[str, list[set[str]]] | None:
    for kind, find in ((CHOICE, _choice_cut), (SEQUENCE, _sequence_cut),
                       (PARALLEL, _parallel_cut), (LOOP, _loop_cut)):
        groups = find(graph)
        if groups is not None and len(groups) > 1:
            return kind, groups
    return None


def _choice_cut(graph: Graph) -> list[set[str]] | None:
    parts = [set(c) for c in nx.weakly_connected_components(graph.nx())]
    return sorted(parts, key=lambda p: sorted(p)) if len(parts) > 1 else None


def _sequence_cut(graph: Graph) -> list[set[str]] | None:
    """Groups in order, each reaching every later one and reached by none of them."""
    g = graph.nx()
    reach = {a: nx.descendants(g, a) for a in g}
    groups = [set(c) for c in nx.strongly_connected_components(g)]

    def together(x: set[str], y: set[str]) -> bool:
        # pairwise reachable (one cycle) or pairwise unreachable: not one before the other
        return any((b in reach[a]) == (a in reach[b]) for a in x for b in y)

    merged = True
    while merged:
        merged = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                if together(groups[i], groups[j]):
                    groups[i] |= groups.pop(j)
                    merged = True
                    break
            if merged:
                break
    if len(groups) < 2:
        return None
    before = {id(x): sum(1 for y in groups if y is not x and any(reach[a] & x for a in y))
              for x in groups}
    return _skippable_together(graph, sorted(groups, key=lambda x: before[id(x)]))


def _skippable_together(graph: Graph, groups: list[set[str]]) -> list[set[str]] | None:
    """Groups that can be skipped together are one group (Leemans' strict sequence cut):
    a case that skips a group and the ones next to it skips them as one, so the map
    does not let it do any of them on their own."""
    k = len(groups)
    at = {a: i for i, g in enumerate(groups) for a in g}
    starts, ends = set(graph.starts), set(graph.ends)
    low = [-k if g & starts else k for g in groups]  # the earliest group leading into each
    high = [k if g & ends else -1 for g in groups]  # the latest group each leads to
    for a, b in graph.edges:
        low[at[b]] = min(low[at[b]], at[a])
        high[at[a]] = max(high[at[a]], at[b])
    parts = [set(g) for g in groups]
    for p in range(k):
        skipped = (any(at[a] < p < at[b] for a, b in graph.edges)
                   or any(at[a] > p for a in starts) or any(at[a] < p for a in ends))
        if not skipped:
            continue
        q = p - 1
        while q >= 0 and high[q] <= p:
            parts[p] |= parts[q]
            parts[q] = set()
            q -= 1
        q = p + 1
        while q < k and low[q] >= p:
            parts[p] |= parts[q]
            parts[q] = set()
            q += 1
    kept = [g for g in parts if g]
    return kept if len(kept) > 1 else None


def _parallel_cut(graph: Graph) -> list[set[str]] | None:
    """Groups whose activities follow each other both ways across groups, each with a
    start and an end activity."""
    acts = sorted(graph.activities)
    apart = nx.Graph()
    apart.add_nodes_from(acts)
    for i, a in enumerate(acts):
        for b in acts[i + 1:]:
            if (a, b) not in graph.edges or (b, a) not in graph.edges:
                apart.add_edge(a, b)  # not interleaved: same group
    groups = sorted((set(c) for c in nx.connected_components(apart)), key=lambda c: (len(c), sorted(c)))
    starts, ends = set(graph.starts), set(graph.ends)
    i = 0
    while i < len(groups) and len(groups) > 1:
        if groups[i] & starts and groups[i] & ends:
            i += 1
            continue
        lacking = groups.pop(i)
        groups[max(0, i - 1)] |= lacking
    return groups if len(groups) > 1 else None


def _loop_cut(graph: Graph) -> list[set[str]] | None:
    """The body (start and end activities, and what they reach before the redo) and the
    rework: groups entered only from the ends and left only to the starts, from every
    end and to every start."""
    starts, ends = set(graph.starts), set(graph.ends)
    body = starts | ends
    if not graph.edges:
        return None
    rest = nx.Graph()
    rest.add_nodes_from(a for a in graph.activities if a not in body)
    rest.add_edges_from((a, b) for a, b in graph.edges if a not in body and b not in body)
    redo: list[set[str]] = []
    for component in nx.connected_components(rest):
        part = set(component)
        ins = {a for a, b in graph.edges if b in part and a not in part}
        outs = {b for a, b in graph.edges if a in part and b not in part}
        ok = ins <= ends and outs <= starts and ins and outs
        if ok:
            entered = {b for a, b in graph.edges if a in ends and b in part}
            left = {a for a, b in graph.edges if b in starts and a in part}
            ok = (all((e, b) in graph.edges for e in ends for b in entered)
                  and all((a, s) in graph.edges for a in left for s in starts))
        if ok:
            redo.append(part)
        else:
            body |= part
    if not redo:
        return None
    # a start that is no end directly followed by an activity of a rework part: not a loop
    for part in redo:
        if any(a in starts - ends and b in part for a, b in graph.edges):
            body |= part
    redo = [p for p in redo if not p <= body]
    if not redo:
        return None
    return [body, set().union(*redo)]


def _parts(kind: str, groups: list[set[str]], log: Log) -> list[Log]:
    """The sublogs a cut splits ``log`` into: for a choice, each case in the group holding
    most of its events; for a parallel cut and a sequence, each case's events of each group;
    for a loop, the body's passes and the rework's redos."""
    parts: list[Log] = [Counter() for _ in groups]
    where = {a: i for i, g in enumerate(groups) for a in g}
    if kind == CHOICE:
        for trace, n in log.items():
            counts = Counter(where[a] for a in trace)
            i = max(counts, key=lambda k: (counts[k], k))
            parts[i][tuple(a for a in trace if where[a] == i)] += n
        return parts
    if kind == PARALLEL:
        for trace, n in log.items():
            for i in range(len(groups)):
                parts[i][tuple(a for a in trace if where[a] == i)] += n
        return parts
    if kind == SEQUENCE:
        for trace, n in log.items():
            for i, piece in enumerate(_sequence_pieces(trace, where, len(groups))):
                parts[i][piece] += n
        return parts
    # loop: runs in the body are its passes, runs in the rework its redos
    body, redo = Counter(), Counter()
    for trace, n in log.items():
        run: list[str] = []
        in_body = True
        if trace and where[trace[0]] != 0:
            body[()] += n  # begins with rework: an empty pass before it
        for a in trace:
            here = where[a] == 0
            if here != in_body and run:
                (body if in_body else redo)[tuple(run)] += n
                run = []
            in_body = here
            run.append(a)
        if run:
            (body if in_body else redo)[tuple(run)] += n
        if trace and where[trace[-1]] != 0:
            body[()] += n  # ends with rework: an empty pass after it
    return [body, redo]


def _sequence_pieces(trace: tuple[str, ...], where: dict[str, int], k: int) -> list[tuple[str, ...]]:
    """Split a trace into ``k`` consecutive pieces, group by group: each piece ends where
    it holds the most of its own group's events against those of later groups (the
    events of earlier groups count for nothing); events out of their place are left out."""
    groups = list(map(where.__getitem__, trace))
    if groups == sorted(groups):  # in order already: each group's run is its piece
        return [trace[bisect_left(groups, i):bisect_right(groups, i)] for i in range(k)]
    backwards = groups[::-1]
    pieces: list[tuple[str, ...]] = []
    begin = 0
    for i in range(k):
        cost = least = 0
        end = begin
        # past the group's last event the cost only grows: the scan stops there
        stop = len(groups) - backwards.index(i) if i in groups else 0
        for p in range(begin, stop):
            g = groups[p]
            if g == i:
                cost -= 1
            elif g > i:
                cost += 1
            if cost < least:
                least, end = cost, p + 1
        if groups[begin:end].count(i) == end - begin:
            pieces.append(trace[begin:end])
        else:
            pieces.append(tuple(trace[p] for p in range(begin, end) if groups[p] == i))
        begin = end
    return pieces


def _flatten(block: Block) -> Block:
    """Nested blocks of one kind as one (a sequence in a sequence), silent parallel parts dropped."""
    children: list[Block] = []
    for child in block.children:
        if child.kind == block.kind and block.kind in (SEQUENCE, PARALLEL, CHOICE):
            children.extend(child.children)
        elif child.kind == SILENT and block.kind in (SEQUENCE, PARALLEL):
            continue
        else:
            children.append(child)
    if block.kind in (SEQUENCE, PARALLEL) and len(children) == 1:
        return children[0]
    if block.kind in (SEQUENCE, PARALLEL) and not children:
        return Block(SILENT, block.cases)
    block.children = children
    return block
