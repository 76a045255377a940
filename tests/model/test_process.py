"""The model: flows from needs/then/branches, the graph views, display names."""

from __future__ import annotations

import pytest

import procmap
from procmap.model.process import Flow, humanize

FLOWS = """\
procmap: 1
process: flows
actors:
  customer: {kind: customer}
  sales: {kind: team}
  crm: {kind: system}
outcomes:
  done: {name: Done}
steps:
  a: {actor: customer, kind: start, then: [b]}
  b: {actor: sales, needs: [a]}
  c:
    actor: sales
    kind: decision
    needs: [b]
    branches:
      yes: {to: d, probability: 0.7}
      no: e
  d: {actor: crm, then: [e], delivers: [done]}
  e: {actor: sales, kind: end, needs: [d]}
  lonely: {actor: crm}
"""


@pytest.fixture
def process() -> procmap.Process:
    return procmap.loads(FLOWS)


def test_a_flow_stated_both_ways_is_one_flow(process: procmap.Process) -> None:
    pairs = [(f.source, f.target) for f in process.flows]
    assert pairs.count(("a", "b")) == 1
    assert pairs.count(("d", "e")) == 1
    assert len(pairs) == len(set(pairs)) == 5


def test_branches_keep_labels_and_probabilities(process: procmap.Process) -> None:
    flows = {(f.source, f.target): f for f in process.flows}
    assert flows["c", "d"] == Flow("c", "d", "yes", 0.7, "branch")
    assert flows["c", "e"] == Flow("c", "e", "no", None, "branch")
    assert flows["b", "c"].via == "needs"


def test_graph_views(process: procmap.Process) -> None:
    g = process.graph
    assert g.starts() == ["a"]
    assert g.ends() == ["e"]
    assert g.successors("c") == ["d", "e"]
    assert g.predecessors("e") == ["c", "d"]
    assert g.reachable_from(["a"]) == {"a", "b", "c", "d", "e"}
    assert g.reaching(["d"]) == {"a", "b", "c", "d"}
    assert {(f.source, f.target) for f in g.handoffs()} == {("a", "b"), ("c", "d"), ("d", "e")}
    assert list(g.closed_loops()) == []
    assert g.back_edges() == set()


def test_loops_and_back_edges() -> None:
    process = procmap.loads(
        """\
procmap: 1
process: loop
actors: {s: {kind: team}}
steps:
  a: {actor: s, kind: start, then: [b]}
  b: {actor: s, kind: decision, branches: {again: a, done: c}}
  c: {actor: s, kind: end}
"""
    )
    assert process.graph.back_edges() == {("b", "a")}
    order, cut = process.graph.acyclic_order()
    assert cut == {("b", "a")} and order.index("a") < order.index("b") < order.index("c")
    assert list(process.graph.closed_loops()) == []


def test_names_default_to_readable_ids(process: procmap.Process) -> None:
    assert humanize("create-crm-record") == "Create crm record"
    assert process.title == "Flows"
    assert process.step_title("lonely") == "Lonely"
    assert process.actor_title("crm") == "Crm"


def test_model_is_frozen(process: procmap.Process) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="frozen"):
        process.steps["a"].actor = "sales"  # type: ignore[misc]
