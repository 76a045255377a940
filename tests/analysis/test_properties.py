"""Every rule and the scorecard on random maps: nothing may crash.

The maps are the loader's random valid maps (every step kind but ``parallel``,
decisions with loops back, every field) with some steps made ``parallel`` forks and
joins, and the block-structured maps of the risk and timing enumeration. A rule that
crashes becomes a ``rule-error`` finding (the run goes on, the CLI exits 2): none
may appear. The scorecard is computed and written as JSON and Markdown.
"""

from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import procmap
from procmap.analysis.linter import RULE_ERROR
from procmap.config import Config
from procmap.model.process import Process
from procmap.output.scorecard_formats import scorecard_json, scorecard_markdown
from tests.io.test_properties import valid_maps
from tests.measures.test_brute_force import block_maps

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ALL = Config.model_validate({"preset": "all"})


@st.composite
def maps_with_parallel_steps(draw) -> Process:
    """A random valid map with some of its task steps made ``parallel`` (they do no
    work; with several ways out they fork, with several in they join)."""
    process = draw(valid_maps())
    data = process.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    for sid, step in data["steps"].items():
        if step.get("kind", "task") == "task" and draw(st.integers(0, 2)) == 0:
            step["kind"] = "parallel"
            for field in ("duration", "rule"):
                step.pop(field, None)
        data["steps"][sid] = step
    return Process.model_validate(data)


def assert_no_rule_crashes_and_a_sound_scorecard(process: Process) -> None:
    findings = procmap.check(process, config=ALL)
    crashed = [f.message for f in findings if f.name == RULE_ERROR]
    assert crashed == [], crashed
    card = procmap.analyze(process, config=ALL, findings=findings)
    for outcome in card.risk.outcomes.values():
        for chance in (outcome.best, outcome.worst, outcome.expected):
            assert chance is None or (0.0 <= chance <= 1.0 + 1e-9 and not math.isnan(chance))
        if outcome.reachable:
            assert outcome.worst <= outcome.best + 1e-9
    for often in card.risk.frequency.values():
        assert 0.0 <= often <= 1.0 + 1e-9
    t = card.timing
    assert t.expected.total_seconds() >= 0 and t.work.total_seconds() >= 0
    if t.shortest is not None:
        assert t.shortest <= t.longest
    assert t.efficiency is None or 0.0 <= t.efficiency <= 1.0 + 1e-9
    json.dumps(scorecard_json(card), allow_nan=False)
    assert scorecard_markdown(card).strip()


@SETTINGS
@given(maps_with_parallel_steps())
def test_no_rule_crashes_on_random_maps(process: Process) -> None:
    assert_no_rule_crashes_and_a_sound_scorecard(process)


@SETTINGS
@given(block_maps())
def test_no_rule_crashes_on_random_block_maps(drawn: tuple[Process, bool]) -> None:
    assert_no_rule_crashes_and_a_sound_scorecard(drawn[0])


def test_a_step_named_like_a_reply_is_read_as_work() -> None:
    # "Re" alone (an e-mail's "Re:") once crashed redundant-work: "re" taken off "re"
    # left no word to look up
    process = procmap.loads(
        "procmap: 1\nprocess: p\nactors: {a: {kind: team}, b: {kind: team}}\nsteps:\n"
        "  one: {actor: a, name: 'Re: customer complaint', then: [two]}\n"
        "  two: {actor: b, name: 'Re: customer complaint'}\n")
    findings = procmap.check(process, select=["XF003"])
    assert [f.name for f in findings] == ["redundant-work"]
    assert set(findings[0].elements) == {"one", "two"}
