"""The flow graph of a map, and the graph questions analyses ask of it.

Written once here, on networkx, so rules never walk edges by hand: what can reach
an outcome, what a start reaches, where work changes hands, which loops never end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

import networkx as nx

from procmap.model.process import Flow, StepKind

if TYPE_CHECKING:
    from procmap.model.process import Process

T = TypeVar("T")


class ProcessGraph:
    """A directed graph of the steps of one process (nodes: step ids, edges: flows)."""

    def __init__(self, process: Process) -> None:
        self.process = process
        g = nx.DiGraph()
        g.add_nodes_from(process.steps)
        g.add_edges_from((f.source, f.target, {"flow": f}) for f in process.flows)
        self.nx = g
        self.memo: dict[object, object] = {}
        """Results derived from this graph (risk, timing), computed once per map."""

    def remember(self, key: object, compute: Callable[[], T]) -> T:
        """``compute()`` the first time ``key`` is asked for, the kept result after."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]  # type: ignore[return-value]

    def successors(self, step_id: str) -> list[str]:
        """The steps that directly follow ``step_id``."""
        return list(self.nx.successors(step_id))

    def predecessors(self, step_id: str) -> list[str]:
        """The steps that directly precede ``step_id``."""
        return list(self.nx.predecessors(step_id))

    def flow(self, source: str, target: str) -> Flow:
        """The flow from ``source`` to ``target``."""
        return self.nx.edges[source, target]["flow"]

    def starts(self) -> list[str]:
        """Steps of kind ``start``, or else every step nothing leads to."""
        steps = self.process.steps
        declared = [s for s, step in steps.items() if step.kind is StepKind.START]
        return declared or [s for s in steps if self.nx.in_degree(s) == 0]

    def ends(self) -> list[str]:
        """Steps of kind ``end``, or else every step that leads nowhere."""
        steps = self.process.steps
        declared = [s for s, step in steps.items() if step.kind is StepKind.END]
        return declared or [s for s in steps if self.nx.out_degree(s) == 0]

    def reachable_from(self, sources: list[str]) -> set[str]:
        """Every step reachable from ``sources``, the sources included."""
        key = ("reachable_from", frozenset(sources))
        return self.remember(key, lambda: self._reachable_from(sources))

    def _reachable_from(self, sources: list[str]) -> set[str]:
        seen: set[str] = set(sources)
        for source in sources:
            seen |= nx.descendants(self.nx, source)
        return seen

    def reaching(self, targets: list[str]) -> set[str]:
        """Every step from which one of ``targets`` can be reached, the targets included."""
        return self.remember(("reaching", frozenset(targets)), lambda: self._reaching(targets))

    def _reaching(self, targets: list[str]) -> set[str]:
        seen: set[str] = set(targets)
        for target in targets:
            seen |= nx.ancestors(self.nx, target)
        return seen

    def delivering(self, outcome: str | None = None) -> list[str]:
        """Steps that deliver ``outcome``, or any outcome when it is ``None``."""
        return [
            sid
            for sid, step in self.process.steps.items()
            if (outcome in step.delivers if outcome is not None else step.delivers)
        ]

    def handoffs(self) -> Iterator[Flow]:
        """Flows whose two steps belong to different actors (Break Points)."""
        steps = self.process.steps
        for source, target, data in self.nx.edges(data=True):
            if steps[source].actor != steps[target].actor:
                yield data["flow"]

    def work_flows(self) -> list[tuple[Flow, tuple[str, str]]]:
        """The flows between steps with ``parallel`` steps passed over, each with the
        flow of the map that carries it.

        A parallel step does no work, so work passes from the step before it to
        each step after it: ``order → split → pick`` is the flow ``order → pick``.
        The flow of the map that carries it is the one that belongs to this pair
        alone: after a split (``split → pick``), before a join (``bill → join``).
        Flows that touch no parallel step are themselves.
        """
        return self.remember("work_flows", self._work_flows)

    def _work_flows(self) -> list[tuple[Flow, tuple[str, str]]]:
        steps = self.process.steps
        gate = StepKind.PARALLEL
        found: dict[tuple[str, str], tuple[Flow, tuple[str, str]]] = {}
        for flow in self.process.flows:
            if steps[flow.source].kind is gate:
                continue
            if steps[flow.target].kind is not gate:
                found.setdefault((flow.source, flow.target), (flow, (flow.source, flow.target)))
                continue
            # pass over the parallel steps after flow.source (breadth first, each once)
            first = (flow.source, flow.target)
            queue = [(flow.target, first)]
            seen = {flow.target}
            while queue:
                here, carrier = queue.pop(0)
                for nxt in self.nx.successors(here):
                    edge = (here, nxt)
                    own = edge if self.nx.out_degree(here) > 1 else carrier
                    if steps[nxt].kind is gate:
                        if nxt not in seen:
                            seen.add(nxt)
                            queue.append((nxt, own))
                        continue
                    if nxt != flow.source:
                        found.setdefault(
                            (flow.source, nxt),
                            (Flow(source=flow.source, target=nxt, via="then"), own),
                        )
        return list(found.values())

    def back_edges(self) -> set[tuple[str, str]]:
        """Flows that close a loop, found depth-first from the starts (then the rest).

        Removing them leaves an acyclic graph in which every loop is taken once.
        """
        g = self.nx
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        back: set[tuple[str, str]] = set()
        roots = [*self.starts(), *self.process.steps]
        for root in roots:
            if root in state:
                continue
            state[root] = 1
            stack = [(root, iter(g.successors(root)))]
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                elif child not in state:
                    state[child] = 1
                    stack.append((child, iter(g.successors(child))))
                elif state[child] == 1:
                    back.add((node, child))
        return back

    def acyclic_order(self) -> tuple[list[str], set[tuple[str, str]]]:
        """A topological order of the steps once loops are cut, and the cut flows."""
        return self.remember("acyclic_order", self._acyclic_order)

    def _acyclic_order(self) -> tuple[list[str], set[tuple[str, str]]]:
        back = self.back_edges()
        dag = self.nx.copy() if back else self.nx
        if back:
            dag.remove_edges_from(back)
        return list(nx.topological_sort(dag)), back

    def loops(self) -> Iterator[set[str]]:
        """Every loop: a set of steps each of which can reach all the others."""
        g = self.nx
        for component in nx.strongly_connected_components(g):
            if len(component) > 1:
                yield component
            else:
                (only,) = component
                if g.has_edge(only, only):
                    yield component

    def closed_loops(self) -> Iterator[set[str]]:
        """Loops (strongly connected step sets) that no flow leaves."""
        g = self.nx
        for component in self.loops():
            if not any(t not in component for s in component for t in g.successors(s)):
                yield component

    def split_points(self) -> dict[str, str | None]:
        """Where the ways into each join part.

        For every step that a start reaches by more than one flow (loops cut, as in
        :meth:`acyclic_order`), the nearest step that every way from a start to it
        passes (its immediate dominator), or ``None`` when the ways part at the
        starts themselves.
        """
        return self.remember("split_points", lambda: self._dominators()[2])

    def dominators(self) -> dict[str, str | None]:
        """Each step a start reaches, with the nearest step every way to it passes.

        On the graph with loops cut (as in :meth:`acyclic_order`): the immediate
        dominator of each reached step, ``None`` for the starts and for steps whose
        ways part at the starts themselves.
        """
        return self._dominators()[0]

    def meet(self, a: str | None, b: str | None) -> str | None:
        """The nearest step that every way to ``a`` and every way to ``b`` passes."""
        idom, depth, _ = self._dominators()
        while a != b:
            if depth[a] >= depth[b]:
                a = idom[a]
            else:
                b = idom[b]
        return a

    def dominator_depth(self, step: str | None) -> int:
        """How many steps every way from a start to ``step`` passes (0 for ``None``)."""
        return self._dominators()[1].get(step, 0)

    def combine(
        self,
        ways: list[tuple[str | None, T]],
        merge: Callable[[list[T], str | None, bool], T],
    ) -> T:
        """Combine ways that meet, innermost first, as alternatives or parallel branches.

        Each way is ``(step, value)``: the step it comes from (``None``: a case
        entering at a start) and what it brings. The ways whose nearest common
        step (in the dominator tree) lies deepest are combined first, at that
        step, by ``merge(values, step, parallel)``: ``parallel`` is true when the
        step is no decision (a ``parallel`` step, or any step with several next
        steps, runs them all), false at a decision or where the ways part at the
        starts. The result then comes from that step, until one is left.
        """
        steps = self.process.steps
        pending = list(ways)
        while len(pending) > 1:
            pairs = [
                (self.meet(x[0], y[0]), i)
                for i, x in enumerate(pending)
                for y in pending[i + 1:]
            ]
            at, i = max(pairs, key=lambda p: self.dominator_depth(p[0]))
            # no two ways meet deeper than `at`, so every way that meets the first
            # of the pair there parts from the others there too
            first = pending[i]
            group = [first] + [
                w for k, w in enumerate(pending) if k != i and self.meet(w[0], first[0]) == at
            ]
            parallel = at is not None and steps[at].kind is not StepKind.DECISION
            merged = merge([w[1] for w in group], at, parallel)
            pending = [w for w in pending if all(w is not g for g in group)] + [(at, merged)]
        return pending[0][1]

    def _dominators(
        self,
    ) -> tuple[dict[str, str | None], dict[str | None, int], dict[str, str | None]]:
        return self.remember("dominators", self._compute_dominators)

    def _compute_dominators(
        self,
    ) -> tuple[dict[str, str | None], dict[str | None, int], dict[str, str | None]]:
        # immediate dominators on the acyclic graph, in one pass in topological
        # order (every step's flows in come from steps placed before it)
        order, back = self.acyclic_order()
        starts = set(self.starts())
        reached = self.reachable_from(list(starts))
        idom: dict[str, str | None] = {}
        depth: dict[str | None, int] = {None: 0}

        def meet(a: str | None, b: str | None) -> str | None:
            while a != b:
                if depth[a] >= depth[b]:
                    a = idom[a]  # type: ignore[index]
                else:
                    b = idom[b]  # type: ignore[index]
            return a

        joins: dict[str, str | None] = {}
        for sid in order:
            if sid not in reached:
                continue
            ins = [u for u in self.nx.predecessors(sid) if u in reached and (u, sid) not in back]
            if sid in starts:
                ins.append(None)  # cases also enter here
            dom = ins[0]
            for u in ins[1:]:
                dom = meet(dom, u)
            idom[sid] = dom
            depth[sid] = depth[dom] + 1
            if len(ins) > 1:
                joins[sid] = dom
        return idom, depth, joins

    def parallel_joins(self) -> dict[str, str]:
        """Steps where parallel branches meet again, each with the step they split at.

        A join is parallel when its :meth:`split_points` step is not a decision: a
        ``parallel`` step, or any other step with several next steps that is no
        decision, runs them all.
        """
        steps = self.process.steps
        return {
            join: split
            for join, split in self.split_points().items()
            if split is not None and steps[split].kind is not StepKind.DECISION
        }

    def post_dominators(self) -> dict[str, str | None]:
        """Each step with the nearest step every way from it to an end passes.

        On the graph with loops cut (as in :meth:`acyclic_order`); ``None`` when
        the ways from a step only come together at the end of the case (they end
        apart), or when the step reaches no end.
        """
        return self.remember("post_dominators", self._post_dominators)

    def _post_dominators(self) -> dict[str, str | None]:
        _, back = self.acyclic_order()
        exit_ = object()
        rev = nx.DiGraph()
        rev.add_nodes_from(self.nx)
        rev.add_node(exit_)
        rev.add_edges_from((t, s) for s, t in self.nx.edges if (s, t) not in back)
        rev.add_edges_from((exit_, s) for s in self.nx if not any(
            (s, t) not in back for t in self.nx.successors(s)))
        ipdom = nx.immediate_dominators(rev, exit_)
        return {s: (None if d is exit_ else d) for s, d in ipdom.items() if s is not exit_}

    def unjoined_forks(self) -> list[str]:
        """``parallel`` steps whose ways out never all meet again before the case ends."""
        steps = self.process.steps
        ipdom = self.post_dominators()
        _, back = self.acyclic_order()
        return [
            sid for sid, step in steps.items()
            if step.kind is StepKind.PARALLEL
            and sum((sid, t) not in back for t in self.nx.successors(sid)) > 1
            and sid in ipdom and ipdom[sid] is None
        ]

    def stalled_joins(self) -> dict[str, str | None]:
        """``parallel`` joins whose ways in are alternatives, with the step they part at.

        A join waits for every way in; when the ways in part at a decision (or at
        two different starts), a case comes only one of those ways, and the join
        waits for a way that never comes. Ways that part at a decision inside one
        parallel branch are alternatives within that branch and are fine.
        ``None`` as the step: the ways part at the starts.
        """
        return self.remember("stalled_joins", self._stalled_joins)

    def _stalled_joins(self) -> dict[str, str | None]:
        _, back = self.acyclic_order()
        idom = self.dominators()
        steps = self.process.steps
        found: dict[str, str | None] = {}
        for sid, step in steps.items():
            if step.kind is not StepKind.PARALLEL or sid not in idom:
                continue
            ins = [u for u in self.nx.predecessors(sid) if (u, sid) not in back and u in idom]
            if len(ins) < 2:
                continue
            # each merge answers where it combined and how; the last is the join's own
            at, parallel = self.combine(
                [(u, (u, True)) for u in ins], lambda _, at, parallel: (at, parallel)
            )
            if not parallel:
                found[sid] = at
        return found

    def finishing(self) -> set[str]:
        """Steps from which the flow can reach a step that leads nowhere (an end)
        without going back round a loop (loops cut as in :meth:`acyclic_order`).

        A step not in it only goes round: every way from it leads back into a loop.
        """
        return self.remember("finishing", self._finishing)

    def _finishing(self) -> set[str]:
        order, back = self.acyclic_order()
        g = self.nx
        done: set[str] = set()
        for sid in reversed(order):
            if g.out_degree(sid) == 0 or any(
                t in done for t in g.successors(sid) if (sid, t) not in back
            ):
                done.add(sid)
        return done


class ProcessTree:
    """The maps checked together as one hierarchy: each process above its parts.

    A process is above the processes that are ``part-of`` it and those its
    subprocess steps ``call`` (when they are among the maps), and above theirs in
    turn. Only processes among the maps count; a cycle makes no process its own part.
    """

    def __init__(self, processes: dict[str, Process]) -> None:
        g = nx.DiGraph()
        g.add_nodes_from(processes)
        for pid, process in processes.items():
            if process.part_of in processes:
                g.add_edge(process.part_of, pid)
            for step in process.steps.values():
                if step.calls in processes:
                    g.add_edge(pid, step.calls)
        self.nx = g
        self._below: dict[str, frozenset[str]] = {}

    def below(self, process_id: str) -> frozenset[str]:
        """Every process below ``process_id`` (its parts and theirs), never itself."""
        if process_id not in self._below:
            found = nx.descendants(self.nx, process_id) if process_id in self.nx else set()
            self._below[process_id] = frozenset(found - {process_id})
        return self._below[process_id]
