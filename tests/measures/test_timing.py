"""Cycle time and process cycle efficiency (analysis/timing.py), computed by hand.

A step's time is its `duration` (work) plus its `wait`; paths run from a start
to an end with loops cut, expected times weigh each step by how often a case
reaches it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

import procmap
from procmap.measures.timing import cycle_time

HEAD = """\
procmap: 1
process: t
actors: {c: {kind: customer}, s: {kind: team}, crm: {kind: system}}
steps:
"""


def load(steps: str) -> procmap.Process:
    return procmap.loads(HEAD + steps)


def minutes(m: float) -> timedelta:
    return timedelta(minutes=m)


def test_branches_by_hand() -> None:
    t = cycle_time(load("""\
  a: {actor: c, kind: start, then: b}
  b:
    actor: s
    kind: decision
    wait: 1h
    branches: {yes: {to: c1, probability: 0.8}, no: {to: d, probability: 0.2}}
  c1: {actor: s, then: e, duration: 30m}
  d: {actor: c, then: e, duration: 10m, value: none}
  e: {actor: s, kind: end, duration: 5m}
"""))
    # paths: a b c1 e = 60 + 30 + 5 = 95m; a b d e = 60 + 10 + 5 = 75m
    assert (t.shortest, t.longest) == (minutes(75), minutes(95))
    assert t.longest_path == ("a", "b", "c1", "e")
    # expected: b 60·1 + c1 30·.8 + d 10·.2 + e 5·1 = 60 + 24 + 2 + 5 = 91m
    assert t.expected == minutes(91)
    # work 24 + 2 + 5 = 31m, waiting b's 60m
    assert (t.work, t.waiting) == (minutes(31), minutes(60))
    # value-adding: the work of all but d (value: none): 24 + 5 = 29m
    assert t.value_adding == minutes(29)
    assert t.efficiency == pytest.approx(29 / 91)
    # work per lane: c has d's 2m, s has c1's 24m and e's 5m
    assert t.by_lane == {"c": minutes(2), "s": minutes(29)}


def test_a_loop_counts_once() -> None:
    t = cycle_time(load("""\
  a: {actor: s, kind: start, duration: 10m, then: b}
  b: {actor: s, duration: 20m, wait: 1h, then: q}
  q:
    actor: s
    kind: decision
    branches: {fix: {to: r, probability: 0.25}, ok: {to: e, probability: 0.75}}
  r: {actor: s, duration: 15m, then: [b]}
  e: {actor: s, kind: end, duration: 5m}
"""))
    # the only path to the end: a b q e = 10 + 80 + 0 + 5 = 95m (r → b closes the loop)
    assert t.shortest == t.longest == minutes(95)
    assert t.longest_path == ("a", "b", "q", "e")
    # expected: a 10 + b 80 + r 15·.25 + e 5·1 (every case leaves the loop) = 98.75m
    assert t.expected == minutes(98.75)
    assert (t.work, t.waiting) == (minutes(38.75), minutes(60))


def test_parallel_branches_are_waited_for() -> None:
    t = cycle_time(load("""\
  a: {actor: s, kind: start, duration: 10m, then: [b, c]}
  b: {actor: s, duration: 1h, then: [d]}
  c: {actor: crm, duration: 2h, value: business, then: [d]}
  d: {actor: c, kind: end, duration: 5m, value: customer}
"""))
    # a starts b and c at once; d waits for both: 10 + max(60, 120) + 5 = 135m,
    # whichever way one looks (the shortest time also waits for the slower branch)
    assert (t.shortest, t.longest) == (minutes(135), minutes(135))
    assert t.longest_path == ("a", "c", "d")
    assert t.expected == t.work == minutes(135)
    # value-adding, worked out the same way: 10 + max(b 60, c 0 (business)) + 5 = 75m
    assert t.value_adding == minutes(75)
    assert t.efficiency == pytest.approx(75 / 135)
    # the staff time counts both branches: 10 + 60 + 120 + 5 = 195m
    assert t.effort == minutes(195)
    assert t.by_lane == {"c": minutes(5), "crm": minutes(120), "s": minutes(70)}


def test_a_fork_into_three_branches_and_a_join() -> None:
    # worked by hand (flow analysis): the case waits for the slowest branch at the
    # join; within a branch a decision's ways are weighed by their probability
    t = cycle_time(load("""\
  order: {actor: s, kind: start, then: split}
  split: {actor: s, kind: parallel, then: [pick, bill, check]}
  pick: {actor: s, duration: 2h, then: join}
  bill: {actor: crm, duration: 30m, wait: 1h, then: join}
  check: {actor: s, kind: decision, branches: {ok: {to: fine, probability: 0.8}, "no": {to: call, probability: 0.2}}}
  fine: {actor: s, duration: 1h, then: join}
  call: {actor: s, duration: 6h, then: join}
  join: {actor: s, kind: parallel, then: ship}
  ship: {actor: s, duration: 1h, then: done}
  done: {actor: s, kind: end}
"""))
    # branches: pick 2h; bill 1h30m; check 0.8·1h + 0.2·6h = 2h → the join at 2h
    # (the pick and the check branch tie) and the case ends at 2h + ship 1h = 3h
    assert t.expected == minutes(180)
    # the quickest case: every branch at its quickest, the slowest of them: pick 2h
    assert t.shortest == minutes(180)
    # the slowest case: the check goes to the call: 6h + 1h
    assert t.longest == minutes(420)
    assert t.longest_path == ("order", "split", "check", "call", "join", "ship", "done")
    # staff time: 2h + 30m + 0.8·1h + 0.2·6h + 1h = 5h30m
    assert t.effort == minutes(330)


def test_waits_never_add_value() -> None:
    t = cycle_time(load("""\
  a: {actor: s, kind: start, duration: 30m, wait: 90m, then: [b]}
  b: {actor: s, duration: 30m, wait: 1h, value: none}
"""))
    # value-adding: a's 30m of work; expected 30 + 90 + 30 + 60 = 210m
    assert t.value_adding == minutes(30) and t.expected == minutes(210)
    assert t.efficiency == pytest.approx(30 / 210)


def test_no_durations_no_efficiency() -> None:
    t = cycle_time(load("""\
  a: {actor: s, kind: start, wait: 3d, then: [b]}
  b: {actor: s, kind: end}
"""))
    assert t.efficiency is None
    assert t.expected == t.waiting == timedelta(days=3) and t.work == timedelta(0)
    assert t.by_lane == {}


def test_no_end_reached_no_paths() -> None:
    t = cycle_time(load("""\
  a: {actor: s, kind: start, duration: 1h, then: [b]}
  b: {actor: s, duration: 1h}
  z: {actor: s, kind: end}
"""))
    assert (t.shortest, t.longest, t.longest_path) == (None, None, ())
    assert t.expected == timedelta(hours=2)


def test_work_and_waiting_of_parallel_branches_add_up_to_the_expected_time() -> None:
    t = cycle_time(load("""\
  a: {actor: s, kind: start, then: [b, c]}
  b: {actor: s, wait: 1h, duration: 10m, then: [d]}
  c: {actor: crm, duration: 1h, then: [d]}
  d: {actor: s, kind: end}
"""))
    # the case waits for b (70m); the work it needs, worked out the same way, is
    # c's hour; the other 10 minutes it waits; value-adding is never more than work
    assert t.expected == minutes(70)
    assert (t.work, t.waiting) == (minutes(60), minutes(10))
    assert t.value_adding == minutes(60) and t.efficiency == pytest.approx(60 / 70)
    assert t.effort == minutes(70)
