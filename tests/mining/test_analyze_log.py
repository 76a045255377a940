"""``procmap analyze MAP --log LOG``: the scorecard weighed by real cases, held against
the same numbers counted in plain Python over the log."""

from __future__ import annotations

import csv
import json
import statistics
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.mining.engine import Engine
from procmap.mining.read import read_log
from tests.mining.conftest import corpus_log

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "examples" / "customer-onboarding.yaml"
LOG = ROOT / "examples" / "logs" / "customer-onboarding.csv"
runner = CliRunner()

Event = tuple[str, str, float]  # activity, lane, time


def read_cases(path: Path, *, case: str = "case:concept:name") -> dict[str, list[Event]]:
    """Each case's events in time order, ties in file order: read without procmap."""
    cases: dict[str, list[tuple[float, int, str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            ts = datetime.fromisoformat(row["time:timestamp"]).timestamp()
            cases[row[case]].append((ts, i, row["concept:name"], row["org:group"]))
    return {c: [(a, g, ts) for ts, _, a, g in sorted(evs)] for c, evs in cases.items()}


def passes(cases: dict[str, list[Event]], source: str, target: str,
           watched: set[str] | None = None) -> tuple[int, int, list[float]]:
    """Cases, times and waits of a hand-off: among the events of the watched activities
    (the two by default), one of ``source`` directly followed by one of ``target``."""
    watched = watched or {source, target}
    n_cases, times, waits = 0, 0, []
    for events in cases.values():
        seen = [e for e in events if e[0] in watched]
        found = [(a, b) for a, b in zip(seen, seen[1:], strict=False)
                 if a[0] == source and b[0] == target]
        n_cases += bool(found)
        times += len(found)
        waits += [b[2] - a[2] for a, b in found]
    return n_cases, times, waits


@pytest.fixture(scope="module")
def onboarding() -> dict[str, list[Event]]:
    return read_cases(LOG)


@pytest.fixture(scope="module")
def card() -> dict:
    result = runner.invoke(app, ["analyze", str(MAP), "--log", str(LOG), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _break_point(card: dict, source: str, target: str) -> dict:
    return next(b for b in card["break_points"] if (b["from_step"], b["to_step"]) == (source, target))


def test_break_points_count_the_cases_that_really_pass_them(card, onboarding) -> None:
    process = procmap.load(MAP)
    name = process.step_title
    # a hand-off to parallel work: never directly followed in the log, yet always done
    bp = _break_point(card, "create-crm-record", "check-payment-terms")
    n, times, waits = passes(onboarding, name("create-crm-record"), name("check-payment-terms"))
    assert (bp["cases"], bp["times"]) == (n, times) == (400, 400)
    assert bp["median_wait_seconds_in_log"] == pytest.approx(statistics.median(waits))
    # a rework loop: each time round is a hand-off
    bp = _break_point(card, "submit-details", "check-details")
    n, times, waits = passes(onboarding, name("submit-details"), name("check-details"))
    assert (bp["cases"], bp["times"]) == (n, times) == (400, 508)
    assert bp["per_case"] == pytest.approx(508 / 400)
    assert bp["median_wait_seconds_in_log"] == pytest.approx(statistics.median(waits))
    # after a decision only one way is taken
    ways = {name(s) for s in ("big-order", "assign-manager", "send-welcome-video")}
    for target in ("assign-manager", "send-welcome-video"):
        bp = _break_point(card, "big-order", target)
        n, times, _ = passes(onboarding, name("big-order"), name(target), ways)
        assert (bp["cases"], bp["times"]) == (n, times)
    assert _break_point(card, "big-order", "assign-manager")["cases"] == 111
    assert _break_point(card, "big-order", "send-welcome-video")["cases"] == 289


def test_moments_of_truth_and_rules_count_real_cases(card, onboarding) -> None:
    process = procmap.load(MAP)
    for entry in card["moments_of_truth"] + card["business_rules"]:
        activity = process.step_title(entry["step"])
        times = sum(a == activity for events in onboarding.values() for a, _, _ in events)
        cases = sum(any(a == activity for a, _, _ in events) for events in onboarding.values())
        assert (entry["cases"], entry["times"]) == (cases, times), entry["step"]
        assert entry["per_case"] == pytest.approx(times / len(onboarding))
    ask = next(m for m in card["moments_of_truth"] if m["step"] == "ask-missing-details")
    assert (ask["cases"], ask["times"]) == (81, 108)


def test_the_ranking_weighs_by_the_real_share_of_cases(card, onboarding) -> None:
    shares = {}
    for entry in card["moments_of_truth"] + card["business_rules"]:
        shares[(entry["step"],)] = entry["cases"] / len(onboarding)
    for bp in card["break_points"]:
        shares[(bp["from_step"], bp["to_step"])] = bp["cases"] / len(onboarding)
    for c in card["candidates"]:
        assert c["frequency"] == pytest.approx(shares[tuple(c["elements"])])
        assert c["impact"] == pytest.approx(c["failure"] * c["frequency"] * c["customer_weight"])
    kickoff = next(c for c in card["candidates"] if c["elements"] == ["kickoff-call"])
    assert kickoff["frequency"] == pytest.approx(111 / 400)
    assert "on 28% of the log's cases" in kickoff["reason"]


def test_the_evidence_per_case(card, onboarding) -> None:
    process = procmap.load(MAP)
    meets = {process.step_title(m["step"]) for m in card["moments_of_truth"]}
    handoffs = [sum(a[1] != b[1] for a, b in zip(evs, evs[1:], strict=False)) for evs in onboarding.values()]
    contacts = [sum(a in meets for a, _, _ in evs) for evs in onboarding.values()]
    summary = card["log"]["evidence"]["summary"]
    assert summary["mean_handoffs"] == pytest.approx(statistics.mean(handoffs))
    assert summary["max_handoffs"] == max(handoffs)
    assert summary["mean_contacts"] == pytest.approx(statistics.mean(contacts))
    assert summary["median_contacts"] == statistics.median(contacts)
    calls = [evs for evs in onboarding.values() if any(a.startswith("Customer calls") for a, _, _ in evs)]
    assert card["log"]["not_in_map"] == [{
        "activity": "Customer calls support: cannot log in", "cases": len(calls),
        "events": sum(a.startswith("Customer calls") for evs in calls for a, _, _ in evs)}]
    assert card["log"]["never_happen"] == []
    assert (card["log"]["cases"], card["log"]["events"]) == (400, sum(map(len, onboarding.values())))


SCHEMA = {
    "type": "object",
    "required": ["process", "counts", "moments_of_truth", "break_points", "business_rules",
                 "candidates", "log"],
    "properties": {
        "moments_of_truth": {"type": "array", "items": {
            "type": "object", "required": ["step", "cases", "times", "per_case"],
            "properties": {"cases": {"type": "integer", "minimum": 0},
                           "times": {"type": "integer", "minimum": 0},
                           "per_case": {"type": "number", "minimum": 0}}}},
        "business_rules": {"type": "array", "items": {
            "type": "object", "required": ["step", "cases", "times", "per_case"]}},
        "break_points": {"type": "array", "items": {
            "type": "object",
            "required": ["from_step", "to_step", "cases", "times", "per_case",
                         "median_wait_seconds_in_log", "p90_wait_seconds_in_log"],
            "properties": {"cases": {"type": "integer", "minimum": 0},
                           "median_wait_seconds_in_log": {"type": ["number", "null"]}}}},
        "candidates": {"type": "array", "maxItems": 10, "items": {
            "type": "object", "required": ["frequency", "impact", "reason"],
            "properties": {"frequency": {"type": "number", "minimum": 0, "maximum": 1}}}},
        "log": {
            "type": "object", "required": ["log", "cases", "events", "not_in_map", "never_happen", "evidence"],
            "properties": {
                "cases": {"type": "integer"},
                "not_in_map": {"type": "array", "items": {
                    "type": "object", "required": ["activity", "events", "cases"]}},
                "never_happen": {"type": "array", "items": {
                    "type": "object", "required": ["step", "name"]}},
                "evidence": {"type": "object", "required": [
                    "summary", "rework", "ping_pong", "slowest_handoffs", "lane_waits",
                    "customer_activities"]},
            }},
    },
}


def test_the_json_has_the_log_beside_each_point(card) -> None:
    jsonschema.validate(card, SCHEMA)
    assert card["counts"]["break_points"] == len(card["break_points"]) == 17


def test_without_a_log_the_json_says_nothing_of_one() -> None:
    result = runner.invoke(app, ["analyze", str(MAP), "--format", "json"])
    data = json.loads(result.stdout)
    assert "log" not in data
    assert all("cases" not in e for e in data["moments_of_truth"] + data["break_points"])


def test_text_and_markdown_show_the_log() -> None:
    text = runner.invoke(app, ["analyze", str(MAP), "--log", str(LOG)])
    assert text.exit_code == 0, text.output
    for said in ("Weighed by customer-onboarding.csv: 400 cases", "Break Points in the log",
                 "Evidence from customer-onboarding.csv", "Customer calls support: cannot log in",
                 "Ping-pong between lanes", "Slowest hand-offs", "Where cases wait", "111 (28%)"):
        assert said in text.stdout, said
    md = runner.invoke(app, ["analyze", str(MAP), "--log", str(LOG), "-f", "markdown"])
    assert md.exit_code == 0, md.output
    for said in ("## Break Points in the log", "## Evidence from customer-onboarding.csv",
                 "### Rework: activities done again in a case",
                 "| New customer → Sales | Submit name, email and order details → "
                 "Are the details complete? | 400 (100%) | 1.27 | 3h 57m | 4h |"):
        assert said in md.stdout, said


def test_a_step_the_log_never_shows_weighs_nothing(tmp_path: Path, monkeypatch) -> None:
    from procmap.analysis import scorecard
    from procmap.mining.weigh import weigh

    renamed = tmp_path / "onboarding.yaml"
    renamed.write_text(MAP.read_text(encoding="utf-8").replace(
        "name: Kick-off call showing the most important features", "name: Kick-off call"), encoding="utf-8")
    process = procmap.load(renamed)
    monkeypatch.setattr(scorecard, "TOP", 100)
    with Engine() as engine:
        weights = weigh(process, read_log(LOG, engine))
    card = procmap.analyze(process, weights=weights)
    assert {"step": "kickoff-call", "name": "Kick-off call"} in weights.never_happen
    assert {"activity": "Kick-off call showing the most important features", "events": 111,
            "cases": 111} in weights.not_in_map
    kickoff = next(c for c in card.candidates if c.elements == ("kickoff-call",))
    assert (kickoff.frequency, kickoff.impact) == (0, 0)
    assert kickoff.reason.endswith("never seen in the log; flagged long-wait")
    result = runner.invoke(app, ["analyze", str(renamed), "--log", str(LOG)])
    assert "never seen" in result.stdout


def test_a_discovered_map_is_weighed_by_the_log_it_came_from(tmp_path: Path) -> None:
    from procmap.io.yaml_writer import dumps
    from procmap.mining.discover import discover

    path = corpus_log("receipt.csv")
    with Engine() as engine:
        found = discover(read_log(path, engine))
    asis = tmp_path / "receipt.yaml"
    asis.write_text(dumps(found.process), encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(asis), "--log", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    cases = read_cases(path)
    process = found.process
    # on a discovered map the work steps are the activities: a hand-off from one work step
    # straight to another is counted, in each case's events of the two, as often as one
    # of the source is directly followed by one of the target
    work = {sid for sid, s in process.steps.items() if s.kind.value == "task"}
    direct = [bp for bp in card["break_points"] if {bp["from_step"], bp["to_step"]} <= work]
    assert len(card["break_points"]) > 10 and direct
    for bp in direct:
        source, target = process.step_title(bp["from_step"]), process.step_title(bp["to_step"])
        two = [[e for e in evs if e[0] in (source, target)] for evs in cases.values()]
        pairs = [sum(a[0] == source and b[0] == target for a, b in zip(evs, evs[1:], strict=False))
                 for evs in two]
        assert (bp["cases"], bp["times"]) == (sum(map(bool, pairs)), sum(pairs)), (source, target)
    handoffs = [sum(a[1] != b[1] for a, b in zip(evs, evs[1:], strict=False)) for evs in cases.values()]
    summary = card["log"]["evidence"]["summary"]
    assert summary["mean_handoffs"] == pytest.approx(statistics.mean(handoffs))
    assert card["log"]["not_in_map"] == [] and card["log"]["cases"] == len(cases) == 1434
    rules = {r["step"]: r["cases"] for r in card["business_rules"]}
    for c in card["candidates"]:
        if len(c["elements"]) != 2 and c["elements"][0] not in rules:
            continue  # not a hand-off nor a rule (e.g. a long wait)
        seen = (_break_point(card, *c["elements"])["cases"] if len(c["elements"]) == 2
                else rules[c["elements"][0]])
        assert c["frequency"] == pytest.approx(seen / 1434)


@pytest.mark.parametrize(("args", "said"), [
    (["--log", "missing.csv"], "missing.csv: no such file"),
    (["--log", str(LOG), "--case", "order"], "customer-onboarding.csv: --case: no column 'order'"),
    (["--log", str(ROOT / "README.md")], "README.md: is not an event log"),
    (["--lane", "org:group"], "name the log with --log"),
])
def test_bad_input_is_located_and_exits_2(args: list[str], said: str) -> None:
    result = runner.invoke(app, ["analyze", str(MAP), *args])
    assert result.exit_code == 2, result.output
    assert said in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


GATEWAY_MAP = """\
procmap: 1
process: quotes
name: Quotes
actors:
  customer: {kind: customer, name: Customer}
  sales: {kind: team, name: Sales}
  ops: {kind: team, name: Operations}
outcomes:
  answered: {name: Customer has an answer}
steps:
  ask: {actor: customer, name: Ask for a quote, then: [gate]}
  gate:
    kind: decision
    actor: sales
    rule: Only stock items get a quote
    branches: {stock: quote, other: reject}
  quote: {actor: sales, name: Send a quote, delivers: [answered]}
  reject: {actor: ops, name: Turn the request down, delivers: [answered]}
"""

GATEWAY_LOG = """\
case:concept:name,concept:name,time:timestamp
c1,Ask for a quote,2026-01-01T09:00:00
c1,Send a quote,2026-01-01T10:00:00
c2,Ask for a quote,2026-01-01T09:00:00
c2,Turn the request down,2026-01-01T09:30:00
c3,Ask for a quote,2026-01-01T09:00:00
c3,Turn the request down,2026-01-01T11:00:00
c3,Ask for a quote,2026-01-02T09:00:00
c3,Send a quote,2026-01-02T09:10:00
"""


def test_a_step_no_activity_stands_for_is_looked_through(tmp_path: Path) -> None:
    # the unnamed decision is no activity: its hand-offs are counted between the steps on
    # either side of it, and it passes as often as the step before it
    (tmp_path / "quotes.yaml").write_text(GATEWAY_MAP, encoding="utf-8")
    (tmp_path / "quotes.csv").write_text(GATEWAY_LOG, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(tmp_path / "quotes.yaml"), "--log",
                                 str(tmp_path / "quotes.csv"), "--format", "json"])
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    rule = card["business_rules"][0]
    assert (rule["step"], rule["cases"], rule["times"]) == ("gate", 3, 4)
    into = _break_point(card, "ask", "gate")  # the customer hands to Sales: 4 asks in 3 cases
    assert (into["cases"], into["times"]) == (3, 4)
    turned = _break_point(card, "gate", "reject")  # Sales to Operations: c2, and c3's first ask
    assert (turned["cases"], turned["times"]) == (2, 2)
    assert turned["median_wait_seconds_in_log"] == pytest.approx(statistics.median([1800, 7200]))
    assert card["log"]["never_happen"] == [] and card["log"]["not_in_map"] == []
    contacts = card["log"]["evidence"]["summary"]
    assert contacts["mean_contacts"] == pytest.approx(4 / 3)  # the asks: the Moment of Truth
