"""The model: flows from needs/then/branches, display names, frozen values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import procmap
from procmap.model.process import Flow, Process, StepKind, humanize, total_seconds
from tests.conftest import FLOWS, FULL_MAP


@pytest.fixture
def process() -> Process:
    return procmap.loads(FLOWS)


def test_a_flow_stated_both_ways_is_one_flow(process: Process) -> None:
    pairs = [(f.source, f.target) for f in process.flows]
    assert pairs.count(("a", "b")) == 1
    assert pairs.count(("d", "e")) == 1
    assert len(pairs) == len(set(pairs)) == 5


def test_flows_come_in_map_order(process: Process) -> None:
    assert [(f.source, f.target) for f in process.flows] == [
        ("a", "b"), ("b", "c"), ("c", "d"), ("c", "e"), ("d", "e"),
    ]


def test_branches_keep_labels_and_probabilities(process: Process) -> None:
    flows = {(f.source, f.target): f for f in process.flows}
    assert flows["c", "d"] == Flow("c", "d", "yes", 0.7, "branch")  # the label wins over then:
    assert flows["c", "e"] == Flow("c", "e", "no", None, "branch")
    assert flows["b", "c"].via == "needs"
    assert flows["a", "b"].via == "then"


def test_a_single_id_stands_for_a_list() -> None:
    p = procmap.loads(
        "procmap: 1\nprocess: p\nactors: {s: {kind: team}}\noutcomes: {o: {name: O}}\n"
        "steps:\n  a: {actor: s, then: b, with: s, delivers: o}\n  b: {actor: s, needs: a}\n"
    )
    step = p.steps["a"]
    assert (step.then, step.with_, step.delivers) == (("b",), ("s",), ("o",))
    assert len(p.flows) == 1


def test_every_field_of_the_format_is_read() -> None:
    p = procmap.loads(FULL_MAP)
    assert (p.process, p.level, p.owner, p.part_of, p.author) == (
        "order-handling", 3, "Customer Service", "order-to-cash", "Ann",
    )
    assert p.note == "Drawn in the March workshop.\nSecond line of the note."
    assert p.actors["customer"].seen_by == ("Ann", "Bo")
    assert p.outcomes["paid"].for_ == "business" and p.outcomes["delivered"].for_ == "customer"
    back_order = p.steps["back-order"]
    assert back_order.kind is StepKind.SUBPROCESS and back_order.calls == "back-ordering"
    assert total_seconds(back_order.wait) == 9 * 86400
    assert total_seconds(p.steps["ship"].duration) == 5400
    assert p.steps["in-stock"].branches["yes"].probability == 0.9
    assert total_seconds(p.steps["invoice"].duration) == 0.0


def test_names_default_to_readable_ids(process: Process) -> None:
    assert humanize("create-crm-record") == "Create crm record"
    assert humanize("send_welcome_pack") == "Send welcome pack"
    assert humanize("-") == "-"
    assert process.title == "Flows"
    assert process.step_title("lonely") == "Lonely"
    assert process.actor_title("crm") == "Crm"
    assert process.actor_title("not-an-actor") == "Not an actor"


def test_display_names_win_over_ids() -> None:
    p = procmap.loads(FULL_MAP)
    assert p.title == "Order handling"
    assert p.step_title("order") == "Place an order"
    assert p.actor_title("erp") == "ERP"


def test_model_is_frozen(process: Process) -> None:
    with pytest.raises(ValidationError, match="frozen"):
        process.steps["a"].actor = "sales"  # type: ignore[misc]
