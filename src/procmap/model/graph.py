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
