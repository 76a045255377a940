"""Failure risk, reach frequency, cycle time and the outside-in points, by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

import procmap
from procmap.analysis.config import RiskDefaults
from procmap.analysis.points import break_points, business_rules, moments_of_truth
from procmap.analysis.risk import failure_risk, reach_frequency
from procmap.analysis.timing import cycle_time

DEFAULTS = RiskDefaults()  # MoT 2%, Break Point 3%, Business Rule 2%

BRANCHING = """\
procmap: 1
process: t
actors: {c: {kind: customer}, s: {kind: team}}
outcomes: {o: {name: Done}}
steps:
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


@pytest.fixture
def branching() -> procmap.Process:
    return procmap.loads(BRANCHING)


def test_best_worst_and_expected_by_hand(branching: procmap.Process) -> None:
    r = failure_risk(branching, DEFAULTS).outcomes["o"]
    # a→b hand-off .97 · b rule .98 · b→d hand-off .97 · d MoT .98 · d→e hand-off .97
    best = 0.97 * 0.98 * 0.97 * 0.98 * 0.97
    # a→b .97 · b .98 · c1 fails .9 (same lane, no hand-off) · c1→e same lane
    worst = 0.97 * 0.98 * 0.9
    assert r.best == pytest.approx(best)
    assert r.worst == pytest.approx(worst)
    assert r.expected == pytest.approx(0.8 * worst + 0.2 * best)
    assert r.best_path == ("a", "b", "d", "e") and r.worst_path == ("a", "b", "c1", "e")
    assert not r.even_split_assumed


def test_frequency_follows_branch_probabilities(branching: procmap.Process) -> None:
    freq = reach_frequency(branching)
    assert freq == pytest.approx({"a": 1.0, "b": 1.0, "c1": 0.8, "d": 0.2, "e": 1.0})


def test_missing_probabilities_split_evenly() -> None:
    p = procmap.loads(BRANCHING.replace("probability: 0.8", "").replace(", probability: 0.2", "")
                      .replace("{to: c1, }", "c1").replace("{to: d}", "d"))
    r = failure_risk(p, DEFAULTS)
    assert r.frequency["c1"] == pytest.approx(0.5)
    assert r.outcomes["o"].even_split_assumed


def test_parallel_split_and_loops_are_counted_once() -> None:
    p = procmap.loads("""\
procmap: 1
process: t
actors: {s: {kind: team}}
outcomes: {o: {name: Done}}
steps:
  a: {actor: s, kind: start, then: [b, c]}
  b: {actor: s, then: [d]}
  c: {actor: s, then: [d]}
  d: {actor: s, kind: decision, branches: {again: {to: a, probability: 0.5}, done: {to: e, probability: 0.5}}}
  e: {actor: s, kind: end, delivers: [o]}
""")
    freq = reach_frequency(p)
    assert freq["b"] == freq["c"] == 1.0  # both parallel branches run
    assert freq["d"] == 1.0  # capped at once per case
    assert freq["e"] == pytest.approx(0.5)  # the loop back is cut
    assert failure_risk(p, DEFAULTS).outcomes["o"].reachable


def test_unreachable_outcome() -> None:
    p = procmap.loads("""\
procmap: 1
process: t
actors: {s: {kind: team}}
outcomes: {o: {name: Done}}
steps:
  a: {actor: s, kind: start}
  b: {actor: s, delivers: [o]}
""")
    assert failure_risk(p, DEFAULTS).outcomes["o"].reachable is False


def test_cycle_time_by_hand(branching: procmap.Process) -> None:
    t = cycle_time(branching)
    # paths: a b c1 e = 1h + 30m + 5m; a b d e = 1h + 10m + 5m
    assert t.longest == timedelta(minutes=95) and t.shortest == timedelta(minutes=75)
    assert t.longest_path == ("a", "b", "c1", "e")
    # expected: b 1h·1 + c1 30m·.8 + d 10m·.2 + e 5m·1 = 60 + 24 + 2 + 5 = 91m
    assert t.expected == timedelta(minutes=91)
    assert t.waiting == timedelta(hours=1) and t.work == timedelta(minutes=31)
    # value-adding: all work but d (value: none): 24 + 5 = 29m
    assert t.value_adding == timedelta(minutes=29)
    assert t.efficiency == pytest.approx(29 / 91)
    assert t.by_lane == {"c": timedelta(minutes=2), "s": timedelta(minutes=29)}


def test_points_follow_the_definitions() -> None:
    p = procmap.loads("""\
procmap: 1
process: t
actors:
  cust: {kind: customer}
  sales: {kind: team}
  portal: {kind: system}
steps:
  start: {actor: cust, kind: start, then: [fill-form]}
  fill-form: {actor: cust, then: [call]}
  call: {actor: sales, with: [cust], channel: phone, then: [chat-bot]}
  chat-bot: {actor: portal, with: [cust], then: [approve]}
  approve: {actor: sales, rule: Credit under 5k only, then: [route]}
  route: {actor: sales, kind: decision, branches: {a: done, b: done}}
  done: {actor: cust, kind: end}
""")
    mots = {m.step: (m.counterpart, m.interaction) for m in moments_of_truth(p)}
    assert mots == {
        "fill-form": ("sales", "person"),  # no channel; the next lane is a team
        "call": ("sales", "person"),
        "chat-bot": ("portal", "system"),
    }
    assert [(b.flow.source, b.flow.target) for b in break_points(p)] == [
        ("fill-form", "call"), ("call", "chat-bot"), ("chat-bot", "approve"),
        ("route", "done"),
    ]
    assert [(r.step, r.is_decision) for r in business_rules(p)] == [
        ("approve", False), ("route", True)
    ]
