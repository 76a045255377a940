"""The swimlane layout: clean geometry, flow order, customer on top, determinism."""

from __future__ import annotations

import pytest

import procmap
from procmap.layout import MAX_TASK_LINES, Box, count_crossings, layout
from procmap.model.process import ActorKind
from tests.diagram.geometry import (
    Scene,
    distance,
    far_branch_labels,
    loose_badges,
    problems,
    scene_from_layout,
    shared_runs,
)
from tests.diagram.maps import FORK_JOIN_BRANCHES, diagram_inputs, load_input

INPUTS = diagram_inputs()


@pytest.mark.parametrize("name", INPUTS)
def test_no_overlap_no_stray_label_every_edge_lands(name: str) -> None:
    lay = layout(load_input(name))
    assert problems(scene_from_layout(lay)) == []


@pytest.mark.parametrize("name", INPUTS)
def test_forward_flows_run_left_to_right_and_loops_come_back(name: str) -> None:
    process = load_input(name)
    lay = layout(process)
    _, back = process.graph.acyclic_order()
    for edge in lay.edges:
        s, t = lay.nodes[edge.source], lay.nodes[edge.target]
        if (edge.source, edge.target) in back:
            assert edge.back and t.column <= s.column
        else:
            assert not edge.back and t.column > s.column
        # orthogonal: every run is horizontal or vertical
        for (ax, ay), (bx, by) in zip(edge.points, edge.points[1:], strict=False):
            assert ax == pytest.approx(bx) or ay == pytest.approx(by)


@pytest.mark.parametrize("name", INPUTS)
def test_customer_lanes_on_top_and_every_step_in_its_lane(name: str) -> None:
    process = load_input(name)
    lay = layout(process)
    kinds = [process.actors[lane.actor].kind for lane in lay.lanes]
    customers = [k is ActorKind.CUSTOMER for k in kinds]
    assert customers == sorted(customers, reverse=True)
    lanes = {lane.actor: lane.box for lane in lay.lanes}
    for sid, node in lay.nodes.items():
        assert node.lane == process.steps[sid].actor
        assert lanes[node.lane].contains(node.box)
    # lanes are stacked bands without gaps or overlaps
    for upper, lower in zip(lay.lanes, lay.lanes[1:], strict=False):
        assert upper.box.bottom == pytest.approx(lower.box.y)


def test_the_same_map_gives_the_same_svg_byte_for_byte() -> None:
    process = load_input("examples/lead-to-cash.yaml")
    again = load_input.__wrapped__("examples/lead-to-cash.yaml")
    assert procmap.render(process) == procmap.render(again)
    assert procmap.render(process, "png") == procmap.render(again, "png")


def test_long_names_wrap_inside_their_box() -> None:
    name = "Check the customer's identity documents against the national register " * 2
    process = procmap.loads(
        "procmap: 1\nprocess: p\nactors: {t: {kind: team}}\n"
        f"steps:\n  a: {{actor: t, name: \"{name}\"}}\n  b: {{actor: t, needs: [a]}}\n"
    )
    node = layout(process).nodes["a"]
    assert 4 < len(node.label_lines) <= MAX_TASK_LINES  # the box grew before the name was cut
    assert node.label_lines[-1].endswith("…")
    assert node.box.contains(node.label)


def test_a_rework_loop_leaves_and_enters_at_the_bottom() -> None:
    process = procmap.loads(
        "procmap: 1\nprocess: p\nactors: {t: {kind: team}, c: {kind: customer}}\n"
        "steps:\n"
        "  fill: {actor: c, name: Fill in the form}\n"
        "  review: {actor: t, kind: decision, needs: [fill], branches: {ok: {to: done}, redo: {to: fill}}}\n"
        "  done: {actor: t, kind: end, name: Done}\n"
    )
    lay = layout(process)
    loop = next(e for e in lay.edges if e.back)
    review, fill = lay.nodes["review"], lay.nodes["fill"]
    assert (loop.source, loop.target) == ("review", "fill")
    assert loop.points[0] == pytest.approx((review.box.cx, review.box.bottom))
    assert loop.points[-1] == pytest.approx((fill.box.cx, fill.box.bottom))
    assert lay.lanes[0].actor == "c"


def test_crossing_count_counts_proper_crossings_only() -> None:
    from procmap.layout import EdgePath

    plus = [
        EdgePath("a", "b", None, ((0, 5), (10, 5)), False, False),
        EdgePath("c", "d", None, ((5, 0), (5, 10)), False, False),
        EdgePath("e", "f", None, ((10, 5), (10, 20)), False, False),  # touches an end only
    ]
    assert count_crossings(plus) == 1


def test_the_checker_sees_overlaps_stray_labels_and_loose_edges() -> None:
    scene = Scene(
        shapes={"a": Box(0, 0, 100, 50), "b": Box(50, 20, 100, 50), "c": Box(400, 0, 100, 50)},
        kinds={"a": "task", "b": "task", "c": "task"},
        labels={"a": Box(10, 10, 200, 20), "b": Box(60, 30, 50, 20), "c": Box(410, 10, 50, 20)},
        lane_of={"a": "x", "b": "x", "c": "x"},
        lanes={"x": Box(-10, -10, 600, 100)},
        edges=[("a", "c", [(100, 25), (300, 25), (300, 90)]), ("a", "c", [(100, 10), (400, 10)])],
    )
    found = problems(scene)
    assert "shapes of 'a' and 'b' overlap" in found
    assert "label of 'a' leaves its shape" in found
    assert "edge a → c does not end on 'c'" in found
    assert "edge a → c runs through 'b'" in found
    assert "label and shape overlap: 'b' and 'label:a'" in found
    assert len(found) == 5


def test_a_fork_s_branches_start_together_and_the_join_follows_the_longest() -> None:
    process = load_input("fork-join")
    lay = layout(process)
    fork, join = lay.nodes["start-checks"], lay.nodes["checks-done"]
    assert {fork.kind, join.kind} == {"parallel"}
    steps = [s for branch in FORK_JOIN_BRANCHES.values() for s in branch]
    assert sorted(steps) == sorted(set(process.steps) - {
        "damage-reported", "register", "start-checks", "checks-done", "pay", "money-received"})
    for first, *rest in FORK_JOIN_BRANCHES.values():
        # every branch begins in the column right after the fork, and runs on from there
        assert lay.nodes[first].column == fork.column + 1
        columns = [lay.nodes[s].column for s in (first, *rest)]
        assert columns == sorted(set(columns))
    longest = max(len(b) for b in FORK_JOIN_BRANCHES.values())
    assert join.column == fork.column + longest + 1
    for sid in steps:
        node = lay.nodes[sid]
        assert fork.box.right < node.box.x and node.box.right < join.box.x
    # the flows into the join end on its diamond's left side, each at its own point
    into = [e for e in lay.edges if e.target == "checks-done"]
    assert len(into) == 3
    ends = [e.points[-1] for e in into]
    assert all(join.box.x <= x < join.box.cx for x, _ in ends)
    assert len({round(y) for _, y in ends}) == 3
    assert problems(scene_from_layout(lay)) == []


@pytest.mark.parametrize("name", INPUTS)
def test_branch_labels_at_their_decision_and_no_two_flows_share_a_run(name: str) -> None:
    lay = layout(load_input(name))
    scene = scene_from_layout(lay)
    labels = {(e.source, e.target): e.label_box for e in lay.edges if e.label_box}
    assert far_branch_labels(scene, labels) == []
    assert shared_runs(scene) == []
    # a flow's label covers no step, no step's name and no other flow's label
    boxes = {**{f"step:{s}": n.box for s, n in lay.nodes.items()},
             **{f"name:{s}": n.label for s, n in lay.nodes.items() if n.label.w}}
    for (source, target), box in labels.items():
        assert not [k for k, b in boxes.items() if b.overlaps(box)], (source, target)
        others = [k for k, b in labels.items() if k != (source, target) and b.overlaps(box)]
        assert others == [], (source, target)


def test_a_decision_s_branches_leave_at_their_own_ports_with_their_labels_beside_it() -> None:
    process = load_input("examples/customer-onboarding.yaml")
    lay = layout(process)
    decision = lay.nodes["check-payment-terms"]
    out = [e for e in lay.edges if e.source == "check-payment-terms"]
    assert {e.label for e in out} == {"standard", "advance"}
    starts = {e.points[0] for e in out}
    assert len(starts) == 2  # two ports, not one
    for e in out:
        assert e.label_text == e.label
        assert distance(e.label_box, decision.box) <= 10


def test_the_checks_see_a_far_label_and_a_shared_run() -> None:
    scene = Scene(
        shapes={"d": Box(0, 0, 50, 50), "a": Box(400, 0, 100, 50), "b": Box(400, 100, 100, 50),
                "c": Box(0, 100, 50, 50)},
        kinds={"d": "decision", "a": "task", "b": "task", "c": "task"},
        labels={}, lane_of={}, lanes={},
        edges=[("d", "a", [(50, 25), (200, 25), (200, 60), (400, 60)]),
               ("c", "b", [(50, 125), (200, 125), (200, 40), (300, 40), (300, 125), (400, 125)])],
    )
    assert far_branch_labels(scene, {("d", "a"): Box(300, 30, 40, 12)}) == [
        "label of d → a is 250 px from its decision"]
    assert far_branch_labels(scene, {("d", "a"): Box(54, 10, 40, 12)}) == []
    assert shared_runs(scene) == ["flows d → a and c → b share a run"]
    assert loose_badges(scene.shapes, [("a", Box(390, -8, 16, 16)), ("b", Box(0, 0, 16, 16))]) == [
        "a badge of 'b' does not touch it"]
