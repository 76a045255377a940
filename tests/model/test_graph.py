"""The flow graph: starts, ends, hand-offs, reachability, loops."""

from __future__ import annotations

import procmap
from tests.conftest import FLOWS, unchecked


def test_graph_views() -> None:
    g = procmap.loads(FLOWS).graph
    assert g.starts() == ["a"]
    assert g.ends() == ["e"]
    assert g.successors("c") == ["d", "e"]
    assert g.predecessors("e") == ["c", "d"]
    assert g.flow("c", "d").label == "yes"
    assert g.reachable_from(["a"]) == {"a", "b", "c", "d", "e"}
    assert g.reachable_from(["d", "lonely"]) == {"d", "e", "lonely"}
    assert g.reaching(["d"]) == {"a", "b", "c", "d"}
    assert g.reaching(["lonely"]) == {"lonely"}
    assert g.delivering("done") == ["d"] and g.delivering() == ["d"]
    assert {(f.source, f.target) for f in g.handoffs()} == {("a", "b"), ("c", "d"), ("d", "e")}
    assert list(g.closed_loops()) == []
    assert g.back_edges() == set()


def test_without_declared_starts_and_ends_the_open_ends_count() -> None:
    g = unchecked({"a": {"actor": "s", "then": ["b"]}, "b": {"actor": "s"}, "c": {"actor": "s"}}).graph
    assert g.starts() == ["a", "c"]
    assert g.ends() == ["b", "c"]


def test_a_loop_with_a_way_out_is_not_closed() -> None:
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
    g = process.graph
    assert list(g.loops()) == [{"a", "b"}]
    assert list(g.closed_loops()) == []
    assert g.back_edges() == {("b", "a")}
    order, cut = g.acyclic_order()
    assert cut == {("b", "a")} and order.index("a") < order.index("b") < order.index("c")


def test_closed_loops_are_found() -> None:
    g = unchecked(
        {
            "start": {"actor": "s", "then": ["chase"]},
            "chase": {"actor": "s", "then": ["remind"]},
            "remind": {"actor": "s", "then": ["chase"]},
            "stuck": {"actor": "s", "then": ["stuck"]},
            "loop-out": {"actor": "s", "then": ["loop-back", "end"]},
            "loop-back": {"actor": "s", "then": ["loop-out"]},
            "end": {"actor": "s"},
        }
    ).graph
    closed = sorted(sorted(loop) for loop in g.closed_loops())
    assert closed == [["chase", "remind"], ["stuck"]]
    assert sorted(sorted(loop) for loop in g.loops()) == [
        ["chase", "remind"], ["loop-back", "loop-out"], ["stuck"],
    ]


def test_answers_are_remembered_per_question() -> None:
    g = procmap.loads(FLOWS).graph
    assert g.reachable_from(["a"]) is g.reachable_from(["a"])
    assert g.reaching(["e"]) is not g.reaching(["d"])
