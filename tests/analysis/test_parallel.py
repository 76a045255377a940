"""Parallel work end to end: a fork into three branches and a join, counted by hand.

The map: the customer orders; the warehouse picks, finance bills and sales checks
the order at the same time; the check calls the customer back one time in five;
when all three are done the warehouse ships and the customer receives the goods.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

import procmap
from procmap.analysis.scorecard import analyze

FORK = """\
procmap: 1
process: order-to-delivery
name: Order to delivery
owner: Sales
actors:
  customer: {kind: customer, name: Customer}
  sales: {kind: team, name: Sales}
  warehouse: {kind: team, name: Warehouse}
  finance: {kind: team, name: Finance}
outcomes:
  received: {name: Customer has the goods}
steps:
  place: {actor: customer, name: Place the order, channel: web, then: split}
  split: {actor: sales, kind: parallel, then: [pick, bill, check]}
  pick: {actor: warehouse, name: Pick the goods, duration: 2h, then: join}
  bill: {actor: finance, name: Send the invoice, duration: 30m, wait: 1h, then: join}
  check:
    actor: sales
    kind: decision
    name: Order complete?
    branches: {yes: {to: fine, probability: 0.8}, "no": {to: call, probability: 0.2}}
  fine: {actor: sales, name: Confirm the order, duration: 1h, then: join}
  call: {actor: sales, name: Call the customer, with: [customer], channel: phone, duration: 6h, then: join}
  join: {actor: sales, kind: parallel, then: ship}
  ship: {actor: warehouse, name: Ship the goods, duration: 1h, then: receive}
  receive: {actor: customer, name: Receive the goods, delivers: [received]}
"""


@pytest.fixture(scope="module")
def card():
    return analyze(procmap.loads(FORK))


def test_counts_by_hand(card) -> None:
    # Moments of Truth: the customer orders, is called, receives the goods
    assert [m.step for m in card.moments_of_truth] == ["place", "call", "receive"]
    # Break Points, the parallel steps passed over (they do no work): the order goes
    # from the customer to the warehouse, finance and sales (3); finance's and
    # sales' work comes to the warehouse to ship (bill, fine, call: 3); the
    # warehouse delivers to the customer (1); pick → ship stays in the warehouse
    pairs = sorted((b.flow.source, b.flow.target) for b in card.break_points)
    assert pairs == sorted([
        ("place", "pick"), ("place", "bill"), ("place", "check"),
        ("bill", "ship"), ("fine", "ship"), ("call", "ship"), ("ship", "receive"),
    ])
    # Business Rules: the decision only; the parallel steps decide nothing
    assert [r.step for r in card.business_rules] == ["check"]


def test_cycle_time_by_hand(card) -> None:
    # pick 2h | bill 1h wait + 30m | check 0.8·1h + 0.2·6h = 2h → the join at 2h,
    # then ship 1h: 3h; the slowest case (the call) 6h + 1h = 7h
    t = card.timing
    assert t.expected == timedelta(hours=3)
    assert (t.shortest, t.longest) == (timedelta(hours=3), timedelta(hours=7))
    # the staff time counts every branch: 2h + 30m + 0.8·1h + 0.2·6h + 1h
    assert t.effort == timedelta(hours=5, minutes=30)


def test_failure_risk_by_hand(card) -> None:
    # defaults: a Moment of Truth fails 2%, a Break Point 3%, a Business Rule 2%,
    # other steps and the parallel steps 0%. Every branch must go right; each
    # hand-off is paid on its own branch; in the check branch a case takes one way.
    mot, bp, br = 0.98, 0.97, 0.98
    pick = bp  # place → pick
    bill = bp * bp  # place → bill, bill → ship
    check = bp * br * (0.8 * bp + 0.2 * mot * bp)  # place → check; fine or call → ship
    expected = mot * pick * bill * check * bp * mot  # ...ship → receive, receive
    r = card.risk.outcomes["received"]
    assert r.expected == pytest.approx(expected)
    assert r.best == pytest.approx(mot * pick * bill * bp * br * bp * bp * mot)
    assert r.worst == pytest.approx(mot * pick * bill * bp * br * mot * bp * bp * mot)


def test_the_map_is_clean_of_structure_findings() -> None:
    found = {f.rule for f in procmap.check(procmap.loads(FORK))}
    assert not found & {"MAP005", "MAP006", "MAP003", "MAP004"}


def test_the_diagram_marks_the_hand_offs_the_scorecard_counts() -> None:
    from procmap.layout import layout

    drawn = {(e.source, e.target) for e in layout(procmap.loads(FORK)).edges if e.handoff}
    # the customer's order reaches the warehouse, finance and sales through the
    # parallel step: the flows out of it carry the hand-offs, the flow into it none
    assert drawn == {("split", "pick"), ("split", "bill"), ("split", "check"),
                     ("bill", "join"), ("fine", "join"), ("call", "join"), ("ship", "receive")}
