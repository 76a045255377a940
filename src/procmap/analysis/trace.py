"""Why does this step exist? Traces between steps and outcomes (seed 000).

Working backwards, every step is there for an outcome. For a step, the trace is
the chain of steps that leads from it to each outcome it serves (the shortest
one); for an outcome, the backward tree of everything it needs; for a whole map,
each step with the outcomes it serves, those that serve none first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from procmap.model.process import Process


@dataclass(frozen=True)
class Chain:
    """How a step leads to an outcome: the steps from it to one that delivers it."""

    outcome: str
    steps: tuple[str, ...]


@dataclass
class Need:
    """One node of an outcome's backward tree: a step and what it needs in turn."""

    step: str
    needs: list[Need] = field(default_factory=list)
    seen_before: bool = False
    """The step was already shown higher up in the tree; its needs are not repeated."""


def chains_from(process: Process, step_id: str) -> list[Chain]:
    """The shortest chain from ``step_id`` to each outcome it serves, in outcome order."""
    graph = process.graph
    lengths, paths = nx.single_source_dijkstra(graph.nx, step_id)
    chains = []
    for oid in process.outcomes:
        reached = [s for s in graph.delivering(oid) if s in paths]
        if reached:
            best = min(reached, key=lambda s: (lengths[s], s))
            chains.append(Chain(oid, tuple(paths[best])))
    return chains


def needs_tree(process: Process, outcome_id: str) -> list[Need]:
    """Everything ``outcome_id`` needs: a tree from its delivering steps backwards."""
    graph = process.graph
    shown: set[str] = set()

    def grow(step: str) -> Need:
        if step in shown:
            return Need(step, seen_before=True)
        shown.add(step)
        return Need(step, [grow(p) for p in graph.predecessors(step)])

    return [grow(s) for s in graph.delivering(outcome_id)]


def outcomes_served(process: Process) -> list[tuple[str, list[str]]]:
    """Each step with the outcomes it serves; steps that serve none come first."""
    graph = process.graph
    served: dict[str, list[str]] = {sid: [] for sid in process.steps}
    for oid in process.outcomes:
        for sid in graph.reaching(graph.delivering(oid)):
            served[sid].append(oid)
    order = list(process.steps)
    return sorted(served.items(), key=lambda item: (bool(item[1]), order.index(item[0])))
