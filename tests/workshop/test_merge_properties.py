"""The workshop merge always writes a map that loads, and keeps each map's steps apart.

Participants' maps are generated from one shared pool of actors, step ids and
step names (names alike enough to match by name, ids a participant may use for
another step), so the maps overlap and disagree the way workshop maps do: steps in
other lanes, other kinds (a decision for one, parallel work for another), branch
probabilities that each add up to 1 but differ, opposite orders, actors of other
kinds, different durations. Whatever they drew, the merged map must load back
equal (``procmap.loads(procmap.dumps(...))``) and pass the model's reference
checks, and no two steps one participant drew may end up as one step.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import procmap
from procmap.model.checks import reference_problems
from procmap.model.process import Process
from procmap.workshop.merge import Participant, merge

ACTORS = ["customer", "sales", "crm", "finance"]
STEP_IDS = ["request", "check-order", "approve", "send-invoice", "pay", "ship", "notify", "done"]
NAMES = ["Check the order", "Check the orders", "Check order details", "Approve the order",
         "Send the invoice", "Send invoices", "Pay the invoice", "Ship the goods",
         "Tell the customer", "Notify the customer", None]
DURATIONS = ["15m", "20m", "1h", "2d"]
PEOPLE = ["Ann", "Bo", "Cy"]


def split_one(draw, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    """``n`` probabilities that add up to 1."""
    weights = draw(st.lists(st.integers(1, 9), min_size=n, max_size=n))
    return [w / sum(weights) for w in weights]


@st.composite
def workshop_maps(draw) -> Process:  # type: ignore[no-untyped-def]
    """One participant's valid map of the shared process, drawn their own way."""
    ids = draw(st.lists(st.sampled_from(STEP_IDS), min_size=1, max_size=len(STEP_IDS),
                        unique=True))
    actor_ids = draw(st.lists(st.sampled_from(ACTORS), min_size=1, max_size=4, unique=True))
    actors = {a: {"kind": draw(st.sampled_from(["customer", "team", "system"]))}
              for a in actor_ids}
    outcomes = {"paid": {"name": "Customer has paid"}} if draw(st.booleans()) else {}
    steps: dict[str, dict] = {}
    for i, sid in enumerate(ids):
        earlier, later = ids[:i], ids[i + 1:]
        step: dict = {"actor": draw(st.sampled_from(actor_ids))}
        name = draw(st.sampled_from(NAMES))
        if name:
            step["name"] = name
        choice = draw(st.integers(0, 5))
        if later and choice == 0:  # a decision, maybe looping back with a way forward
            step["kind"] = "decision"
            targets = draw(st.lists(st.sampled_from(later), min_size=1, max_size=3, unique=True))
            if earlier and draw(st.booleans()):
                targets.append(draw(st.sampled_from(earlier)))
            labels = ["yes", "no", "maybe", "later"][: len(targets)]
            shares = draw(st.sampled_from(["none", "all", "some"]))
            split = split_one(draw, len(targets))
            step["branches"] = {
                label: ({"to": to, "probability": split[n]}
                        if shares == "all" or (shares == "some" and n == 0) else to)
                for n, (label, to) in enumerate(zip(labels, targets, strict=True))
            }
        elif later and choice == 1:  # parallel work: all ways out at once
            step["kind"] = "parallel"
            step["then"] = draw(st.lists(st.sampled_from(later), min_size=2, max_size=3,
                                         unique=True)) if len(later) > 1 else list(later)
        else:
            step["kind"] = draw(st.sampled_from(["task", "task", "start", "end", "wait",
                                                 "subprocess"]))
            if later and draw(st.booleans()):
                step["then"] = draw(st.lists(st.sampled_from(later), max_size=2, unique=True))
            if step["kind"] == "subprocess" and draw(st.booleans()):
                step["calls"] = draw(st.sampled_from(["billing", "other", "order-to-cash"]))
        if earlier and draw(st.booleans()):
            step["needs"] = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))
        if outcomes and draw(st.booleans()):
            step["delivers"] = ["paid"]
        if draw(st.booleans()):
            step["duration"] = draw(st.sampled_from(DURATIONS))
        if draw(st.booleans()):
            step["fails"] = draw(st.sampled_from([0.01, 0.05, 0.1]))
        steps[sid] = step
    process_id = draw(st.sampled_from(["order-to-cash", "order-to-cash", "billing"]))
    for step in steps.values():
        if step.get("calls") == process_id:
            del step["calls"]
    data = {"procmap": 1, "process": process_id, "actors": actors, "outcomes": outcomes,
            "steps": steps}
    if draw(st.booleans()):
        data["level"] = draw(st.integers(2, 3))
    process = Process.model_validate(data)
    assume(not list(reference_problems(process)))
    return process


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@SETTINGS
@given(st.lists(workshop_maps(), min_size=1, max_size=3), st.sampled_from([70.0, 85.0, 100.0]))
def test_merging_valid_maps_gives_a_map_that_loads(maps: list[Process], threshold: float) -> None:
    people = [Participant(name, m) for name, m in zip(PEOPLE, maps, strict=False)]
    result = merge(people, threshold=threshold)
    merged = result.process
    assert list(reference_problems(merged)) == []
    assert procmap.loads(procmap.dumps(merged)) == merged
    for person in people:  # no two of one participant's steps became one
        became = result.matched[person.name]
        assert sorted(became) == sorted(person.process.steps)
        assert len(set(became.values())) == len(became)
        assert set(became.values()) <= set(merged.steps)
    for sid, step in merged.steps.items():
        given = [b.probability for b in step.branches.values()]
        if given and None not in given:
            assert sum(given) == pytest.approx(1.0, abs=1e-6), sid


def test_matches_do_not_chain_through_another_participant() -> None:
    """Ann's two checks are two steps, though Bo's one check is like both of them."""
    ann = procmap.loads("""
procmap: 1
process: p
actors: {sales: {kind: team}}
steps:
  check-order: {actor: sales, name: Check the order}
  approve-order: {actor: sales, name: Approve the order, needs: [check-order]}
""")
    bo = procmap.loads("""
procmap: 1
process: p
actors: {sales: {kind: team}}
steps:
  check-order: {actor: sales, name: Approve the order}
""")
    result = merge([Participant("Ann", ann), Participant("Bo", bo)])
    assert result.matched["Ann"] == {"check-order": "check-order", "approve-order": "approve-order"}
    assert result.matched["Bo"] == {"check-order": "check-order"}  # by id, before names
    assert procmap.loads(procmap.dumps(result.process)) == result.process


def test_decision_for_one_and_parallel_work_for_another_is_a_conflict() -> None:
    def drawn(kind: str, author: str) -> Process:
        ways = ("branches: {yes: pack, no: bill}" if kind == "decision" else "then: [pack, bill]")
        return procmap.loads(f"""
procmap: 1
process: p
author: {author}
actors: {{shop: {{kind: team}}}}
steps:
  order: {{actor: shop, kind: {kind}, {ways}}}
  pack: {{actor: shop}}
  bill: {{actor: shop}}
""")

    result = merge([Participant("Ann", drawn("decision", "Ann")),
                    Participant("Bo", drawn("parallel", "Bo")),
                    Participant("Cy", drawn("parallel", "Cy"))])
    (conflict,) = [c for c in result.conflicts if c.kind == "kind"]
    assert conflict.element == "order"
    assert "Ann: decision; Bo: parallel; Cy: parallel" in conflict.text
    order = result.process.steps["order"]
    assert order.kind.value == "parallel" and not order.branches  # two of three: parallel work
    assert set(order.then) == {"pack", "bill"}
    assert procmap.loads(procmap.dumps(result.process)) == result.process


def test_opposite_orders_that_close_a_loop_leave_out_the_flow_fewest_drew() -> None:
    def drawn(first: str, second: str) -> Process:
        return procmap.loads(f"""
procmap: 1
process: p
actors: {{t: {{kind: team}}}}
steps:
  {first}: {{actor: t, then: [{second}]}}
  {second}: {{actor: t}}
""")

    people = [Participant("Ann", drawn("quote", "order")), Participant("Bo", drawn("quote", "order")),
              Participant("Cy", drawn("order", "quote"))]
    result = merge(people)
    assert [(f.source, f.target) for f in result.process.flows] == [("quote", "order")]
    assert {c.kind for c in result.conflicts} == {"loop", "order"}
    (loop,) = [c for c in result.conflicts if c.kind == "loop"]
    assert "'Order' → 'Quote' left out (drawn by Cy)" in loop.text
    assert procmap.loads(procmap.dumps(result.process)) == result.process
