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

from collections import Counter
from dataclasses import dataclass, field

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
    def of(cls, log: Log) -> Graph:
        edges: Counter = Counter()
        starts: Counter = Counter()
        ends: Counter = Counter()
        acts: set[str] = set()
        for trace, n in log.items():
            if not trace:
                continue
            acts.update(trace)
            starts[trace[0]] += n
            ends[trace[-1]] += n
            for a, b in zip(trace, trace[1:], strict=False):
                edges[a, b] += n
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


def discover_blocks(log: Log, noise: float = 0.2) -> Block:
    """The process tree of ``log`` (variant → cases); ``noise`` as IMf's threshold (0: IM)."""
    return _mine(Counter({tuple(t): n for t, n in log.items() if n > 0}), noise, depth=0)


def _total(log: Log) -> int:
    return sum(log.values())


def _mine(log: Log, noise: float, depth: int) -> Block:
    total = _total(log)
    empty = log.get((), 0)
    acts = {a for t in log for a in t}
    if not acts:
        return Block(SILENT, total)
    if empty:
        rest = Counter({t: n for t, n in log.items() if t})
        if empty <= noise * total or depth > 200:
            return _mine(rest, noise, depth + 1)
        return _flatten(Block(CHOICE, total, children=[Block(SILENT, empty), _mine(rest, noise, depth + 1)]))
    if len(acts) == 1:
        (a,) = acts
        if all(len(t) == 1 for t in log):
            return Block(ACTIVITY, total, a)
        # the one activity repeated: a loop of it
        return Block(LOOP, total, children=[Block(ACTIVITY, sum(len(t) * n for t, n in log.items()), a),
                                            Block(SILENT, sum((len(t) - 1) * n for t, n in log.items()))])
    graph = Graph.of(log)
    found = _cut(graph, log) or (_cut(graph.filtered(noise), log) if noise > 0 else None)
    if found is not None:
        kind, groups = found
        return _split(kind, groups, log, noise, depth)
    return _fall_through(log, graph, noise, depth)


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


def _split(kind: str, groups: list[set[str]], log: Log, noise: float, depth: int) -> Block:
    total = _total(log)
    parts: list[Log] = [Counter() for _ in groups]
    where = {a: i for i, g in enumerate(groups) for a in g}
    if kind == CHOICE:
        for trace, n in log.items():
            counts = Counter(where[a] for a in trace)
            i = max(counts, key=lambda k: (counts[k], k))
            parts[i][tuple(a for a in trace if where[a] == i)] += n
        children = [_mine(p, noise, depth + 1) for p in parts if p]
        return _flatten(Block(CHOICE, total, children=children))
    if kind == PARALLEL:
        for trace, n in log.items():
            for i in range(len(groups)):
                parts[i][tuple(a for a in trace if where[a] == i)] += n
        return _flatten(Block(PARALLEL, total, children=[_mine(p, noise, depth + 1) for p in parts]))
    if kind == SEQUENCE:
        for trace, n in log.items():
            for i, piece in enumerate(_sequence_pieces(trace, where, len(groups))):
                parts[i][piece] += n
        return _flatten(Block(SEQUENCE, total, children=[_mine(p, noise, depth + 1) for p in parts]))
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
    return Block(LOOP, _total(body), children=[_mine(body, noise, depth + 1), _mine(redo, noise, depth + 1)])


def _sequence_pieces(trace: tuple[str, ...], where: dict[str, int], k: int) -> list[tuple[str, ...]]:
    """Split a trace into ``k`` consecutive pieces, group by group: each piece ends where
    it holds the most of its own group's events against those of later groups (the
    events of earlier groups count for nothing); events out of their place are left out."""
    pieces: list[tuple[str, ...]] = []
    begin = 0
    for i in range(k):
        cost = least = 0
        end = begin
        for p in range(begin, len(trace)):
            g = where[trace[p]]
            if g == i:
                cost -= 1
            elif g > i:
                cost += 1
            if cost < least:
                least, end = cost, p + 1
        pieces.append(tuple(a for a in trace[begin:end] if where[a] == i))
        begin = end
    return pieces


def _fall_through(log: Log, graph: Graph, noise: float, depth: int) -> Block:
    total = _total(log)
    acts = sorted(graph.activities)
    # an activity done exactly once in every case runs beside the rest
    for a in acts:
        if all(t.count(a) == 1 for t in log):
            rest = Counter()
            for t, n in log.items():
                rest[tuple(x for x in t if x != a)] += n
            return _flatten(Block(PARALLEL, total, children=[Block(ACTIVITY, total, a),
                                                              _mine(rest, noise, depth + 1)]))
    # cases that are several cases glued end to start: split at the glue, loop them
    starts, ends = set(graph.starts), set(graph.ends)
    pieces: Counter = Counter()
    glued = False
    for t, n in log.items():
        run: list[str] = []
        for i, a in enumerate(t):
            if run and a in starts and t[i - 1] in ends:
                pieces[tuple(run)] += n
                run, glued = [], True
            run.append(a)
        pieces[tuple(run)] += n
    if glued and depth < 200:
        return Block(LOOP, _total(pieces), children=[_mine(pieces, noise, depth + 1),
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
