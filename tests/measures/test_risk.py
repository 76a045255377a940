"""Failure risk (analysis/risk.py) on small maps, computed by hand.

Defaults unless a test says otherwise: a Moment of Truth fails 2%, a Break Point
(hand-off) 3%, a Business Rule 2%, any other step 0%; start and end events and
parallel steps do no work and fail only as Moments of Truth (the customer's own
start and end events).
"""

from __future__ import annotations

import pytest

import procmap
from procmap.config import RiskDefaults
from procmap.measures.risk import failure_risk, reach_frequency, step_risks

DEFAULTS = RiskDefaults()

HEAD = """\
procmap: 1
process: t
actors: {c: {kind: customer}, s: {kind: team}, crm: {kind: system}}
outcomes: {o: {name: Done}, o2: {name: Half done}}
steps:
"""


def load(steps: str) -> procmap.Process:
    return procmap.loads(HEAD + steps)


def test_each_point_fails_by_its_type_or_its_own_chance() -> None:
    p = load("""\
  a: {actor: c, kind: start, then: b}
  b: {actor: c, channel: web, then: d}
  d: {actor: s, rule: Check the ID, then: x}
  x: {actor: s, kind: decision, with: [c], branches: {ok: e, no: e}}
  e: {actor: s, fails: 0.1, kind: end}
""")
    assert step_risks(p, DEFAULTS) == pytest.approx({
        "a": 0.02,  # the customer reaches out (a start event in the customer's lane): MoT
        "b": 0.02,  # Moment of Truth
        "d": 0.02,  # Business Rule
        "x": 1 - 0.98 * 0.98,  # both: a decision the customer takes part in = 3.96%
        "e": 0.1,  # its own `fails`
    })
    assert step_risks(p, RiskDefaults(step=0.01))["e"] == 0.1
    # events and gateways do no work: the default for a step never applies to them
    assert step_risks(p, RiskDefaults(step=0.01))["a"] == pytest.approx(0.02)


def test_chances_multiply_along_the_way() -> None:
    p = load("""\
  a: {actor: c, kind: start, then: b}
  b: {actor: c, channel: web, then: d}
  d: {actor: s, rule: Check the ID, then: e}
  e: {actor: s, fails: 0.1, delivers: [o]}
""")
    r = failure_risk(p, DEFAULTS).outcomes["o"]
    # a (the customer's start: MoT) .98 · b (MoT) .98 · b→d hand-off .97 · d (rule) .98
    # · e .9 = 0.82166...
    chance = 0.98 * 0.98 * 0.97 * 0.98 * 0.9
    assert r.best == r.worst == r.expected == pytest.approx(chance)
    assert r.best_path == r.worst_path == ("a", "b", "d", "e")
    # a riskier hand-off: .98 · .9 · .98 · .9 = 0.777924
    worse = failure_risk(p, RiskDefaults(**{"break-point": 0.1})).outcomes["o"]
    assert worse.expected == pytest.approx(0.98 * 0.98 * 0.9 * 0.98 * 0.9)


BRANCHING = HEAD + """\
  a: {actor: c, kind: start, then: b}
  b:
    actor: s
    kind: decision
    wait: 1h
    branches: {yes: {to: c1, probability: 0.8}, no: {to: d, probability: 0.2}}
  c1: {actor: s, then: e, fails: 0.1, duration: 30m}
  d: {actor: c, then: e, duration: 10m, value: none}
  e: {actor: s, delivers: [o], kind: end, duration: 5m}
"""


def test_best_worst_and_expected() -> None:
    p = procmap.loads(BRANCHING)
    r = failure_risk(p, DEFAULTS).outcomes["o"]
    # via d: a (the customer's start: MoT) .98 · a→b hand-off .97 · b rule .98 · b→d
    # hand-off .97 · d MoT .98 · d→e hand-off .97
    best = 0.98 * 0.97 * 0.98 * 0.97 * 0.98 * 0.97  # 0.859...
    # via c1: a .98 · a→b .97 · b .98 · c1 fails .1 → .9 (c1 and e in one lane)
    worst = 0.98 * 0.97 * 0.98 * 0.9  # 0.838...
    assert r.best == pytest.approx(best)
    assert r.worst == pytest.approx(worst)
    # 80% of the cases take the worst way, 20% the best
    assert r.expected == pytest.approx(0.8 * worst + 0.2 * best)
    assert r.best_path == ("a", "b", "d", "e") and r.worst_path == ("a", "b", "c1", "e")
    assert not r.even_split_assumed
    assert reach_frequency(p) == pytest.approx({"a": 1, "b": 1, "c1": 0.8, "d": 0.2, "e": 1})


def test_branches_without_probabilities_split_evenly() -> None:
    p = load("""\
  q: {actor: s, kind: decision, fails: 0, branches: {x: x, y: y}}
  x: {actor: s, fails: 0.2, delivers: [o]}
  y: {actor: s, fails: 0.4, delivers: [o]}
""")
    r = failure_risk(p, DEFAULTS)
    assert r.frequency == pytest.approx({"q": 1, "x": 0.5, "y": 0.5})
    # .5 · .8 + .5 · .6 = 70%
    assert r.outcomes["o"].expected == pytest.approx(0.7)
    assert (r.outcomes["o"].best, r.outcomes["o"].worst) == pytest.approx((0.8, 0.6))
    assert r.outcomes["o"].even_split_assumed


def test_unknown_branches_share_what_the_given_ones_leave() -> None:
    p = load("""\
  q:
    actor: s
    kind: decision
    branches: {x: {to: x, probability: 0.5}, y: y, z: z}
  x: {actor: s}
  y: {actor: s}
  z: {actor: s}
""")
    # .5 given; y and z share the other .5
    assert reach_frequency(p) == pytest.approx({"q": 1, "x": 0.5, "y": 0.25, "z": 0.25})


def test_a_loop_is_gone_round_once() -> None:
    p = load("""\
  a: {actor: s, kind: start, fails: 0, then: b}
  b: {actor: s, fails: 0.1, then: q}
  q:
    actor: s
    kind: decision
    fails: 0
    branches:
      fix: {to: r, probability: 0.2}
      again: {to: b, probability: 0.1}
      ok: {to: e, probability: 0.7}
  r: {actor: s, fails: 0.5, then: [b]}
  e: {actor: s, kind: end, delivers: [o]}
""")
    assert p.graph.finishing() == {"a", "b", "q", "e"}  # r only leads back into the loop
    r = failure_risk(p, DEFAULTS)
    # the cases that go back (to r, or straight to b) come round once and leave:
    # r keeps its 20%, and e, the only way on, gets every case
    assert r.frequency == pytest.approx({"a": 1, "b": 1, "q": 1, "r": 0.2, "e": 1})
    # b counted once (.9), r not on the way to e: 90% everywhere
    o = r.outcomes["o"]
    assert (o.best, o.worst, o.expected) == pytest.approx((0.9, 0.9, 0.9))
    assert o.worst_path == ("a", "b", "q", "e")


def test_parallel_branches_all_have_to_go_right() -> None:
    p = load("""\
  a: {actor: s, kind: start, fails: 0, then: [b, c]}
  b: {actor: s, fails: 0.1, then: [d], delivers: [o2]}
  c: {actor: s, fails: 0.2, then: [d]}
  d: {actor: s, kind: end, delivers: [o]}
""")
    r = failure_risk(p, DEFAULTS)
    # a is no decision: it runs b and c side by side, and d once per case
    assert r.frequency == pytest.approx({"a": 1, "b": 1, "c": 1, "d": 1})
    # d needs both branches: .9 · .8 = 72% (not the 85% average of the two)
    o = r.outcomes["o"]
    assert (o.best, o.worst, o.expected) == pytest.approx((0.72, 0.72, 0.72))
    assert o.worst_path == ("a", "b", "c", "d")
    # o2 only needs b: c is not on the way
    o2 = r.outcomes["o2"]
    assert (o2.best, o2.worst, o2.expected) == pytest.approx((0.9, 0.9, 0.9))
    assert o2.worst_path == ("a", "b")


def test_a_fork_into_three_branches_and_a_join() -> None:
    p = load("""\
  order: {actor: s, kind: start, then: split}
  split: {actor: s, kind: parallel, then: [pick, bill, check]}
  pick: {actor: s, fails: 0.1, then: join}
  bill: {actor: s, fails: 0.2, then: join}
  check: {actor: s, kind: decision, fails: 0.05, branches: {ok: {to: fine, probability: 0.8}, "no": {to: call, probability: 0.2}}}
  fine: {actor: s, fails: 0, then: join}
  call: {actor: s, fails: 0.5, then: join}
  join: {actor: s, kind: parallel, then: ship}
  ship: {actor: s, fails: 0.1, delivers: [o]}
""")
    # by hand: the gateways do no work and cannot fail; every branch must go
    # right, and within the check branch a case takes one way:
    # .9 (pick) · .8 (bill) · .95 · (.8 · 1 + .2 · .5) (check) · .9 (ship)
    r = failure_risk(p, DEFAULTS).outcomes["o"]
    assert r.expected == pytest.approx(0.9 * 0.8 * 0.95 * (0.8 + 0.2 * 0.5) * 0.9)
    assert r.best == pytest.approx(0.9 * 0.8 * 0.95 * 1.0 * 0.9)  # the check goes fine
    assert r.worst == pytest.approx(0.9 * 0.8 * 0.95 * 0.5 * 0.9)  # the check calls
    assert set(r.worst_path) == {"order", "split", "pick", "bill", "check", "call", "join", "ship"}
    assert reach_frequency(p) == pytest.approx({
        "order": 1, "split": 1, "pick": 1, "bill": 1, "check": 1, "fine": 0.8, "call": 0.2,
        "join": 1, "ship": 1,
    })


def test_a_parallel_split_after_a_decision_joins_once() -> None:
    p = load("""\
  s0: {actor: s, kind: start, then: q}
  q:
    actor: s
    kind: decision
    fails: 0
    branches: {big: {to: x, probability: 0.4}, small: {to: e, probability: 0.6}}
  x: {actor: s, then: [b, c]}
  b: {actor: s, fails: 0.1, then: [d]}
  c: {actor: s, fails: 0.1, then: [d]}
  d: {actor: s, then: [e]}
  e: {actor: s, kind: end, delivers: [o]}
""")
    # d joins the branches x split into; e joins the decision's ways (no parallel join)
    assert p.graph.split_points() == {"d": "x", "e": "q"}
    assert p.graph.parallel_joins() == {"d": "x"}
    r = failure_risk(p, DEFAULTS)
    # b and c run in the 40% of big cases, and d once in each of those: 40%
    assert r.frequency == pytest.approx(
        {"s0": 1, "q": 1, "x": 0.4, "b": 0.4, "c": 0.4, "d": 0.4, "e": 1}
    )
    o = r.outcomes["o"]
    # big: .9 · .9 = .81; small: 1. Expected .4 · .81 + .6 · 1 = 92.4%
    assert o.expected == pytest.approx(0.924)
    assert (o.best, o.worst) == pytest.approx((1.0, 0.81))
    assert o.best_path == ("s0", "q", "e")
    assert o.worst_path == ("s0", "q", "x", "b", "c", "d", "e")


def test_the_first_step_that_delivers_counts() -> None:
    p = load("""\
  a: {actor: s, kind: start, fails: 0, then: b}
  b: {actor: s, fails: 0.1, delivers: [o], then: c}
  c: {actor: s, fails: 0.5, delivers: [o]}
""")
    # reached at b (90%); c delivering it again later changes nothing
    o = failure_risk(p, DEFAULTS).outcomes["o"]
    assert (o.best, o.worst, o.expected) == pytest.approx((0.9, 0.9, 0.9))


def test_an_outcome_no_start_reaches() -> None:
    p = load("""\
  a: {actor: s, kind: start}
  b: {actor: s, delivers: [o]}
""")
    o = failure_risk(p, DEFAULTS).outcomes["o"]
    assert o.reachable is False and o.expected is None
    assert failure_risk(p, DEFAULTS).frequency["b"] == 0.0


def test_cases_enter_evenly_through_the_starts() -> None:
    p = load("""\
  web: {actor: c, kind: start, channel: web, then: [handle]}
  phone: {actor: c, kind: start, channel: phone, then: [handle]}
  handle: {actor: c, fails: 0.1, delivers: [o]}
""")
    r = failure_risk(p, DEFAULTS)
    assert r.frequency == pytest.approx({"web": 0.5, "phone": 0.5, "handle": 1.0})
    # each start is the customer reaching out (a Moment of Truth, .98), then handle .9
    assert r.outcomes["o"].expected == pytest.approx(0.98 * 0.9)


def test_results_are_kept_per_map_and_defaults() -> None:
    p = procmap.loads(BRANCHING)
    assert failure_risk(p, DEFAULTS) is failure_risk(p, RiskDefaults())
    assert failure_risk(p, RiskDefaults(step=0.5)) is not failure_risk(p, DEFAULTS)
