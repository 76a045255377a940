"""The evidence of real cases, held against the same numbers counted in plain Python."""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from datetime import datetime

import pytest

from procmap.mining.evidence import evidence
from procmap.mining.read import read_log
from tests.mining.conftest import corpus_log


@pytest.fixture(scope="module")
def receipt_cases() -> dict[str, list[tuple[str, str]]]:
    """Each case's (activity, lane) in time order, ties in file order: counted without procmap."""
    cases: dict[str, list[tuple[float, int, str, str]]] = defaultdict(list)
    with corpus_log("receipt.csv").open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            ts = datetime.fromisoformat(row["time:timestamp"]).timestamp()
            cases[row["case:concept:name"]].append((ts, i, row["concept:name"], row["org:group"]))
    return {c: [(a, g) for _, _, a, g in sorted(evs)] for c, evs in cases.items()}


def test_per_case_numbers(engine, receipt_cases) -> None:
    log = read_log(corpus_log("receipt.csv"), engine, customer=["Confirmation*"])
    found = evidence(log)
    handoffs = [sum(1 for x, y in zip(evs, evs[1:], strict=False) if x[1] != y[1])
                for evs in receipt_cases.values()]
    contacts = [sum(1 for a, _ in evs if a.startswith("Confirmation")) for evs in receipt_cases.values()]
    rework = [len(evs) - len({a for a, _ in evs}) for evs in receipt_cases.values()]
    s = found.summary
    assert s["cases"] == len(receipt_cases)
    assert s["mean_handoffs"] == pytest.approx(statistics.mean(handoffs))
    assert s["median_handoffs"] == statistics.median(handoffs)
    assert s["max_handoffs"] == max(handoffs)
    assert s["mean_contacts"] == pytest.approx(statistics.mean(contacts))
    assert s["rework_share"] == pytest.approx(sum(1 for r in rework if r) / len(rework))
    assert found.customer_activities == ["Confirmation of receipt"]


def test_ping_pong_and_rework(engine, receipt_cases) -> None:
    log = read_log(corpus_log("receipt.csv"), engine)
    found = evidence(log)
    bounces: Counter[tuple[str, str]] = Counter()
    for evs in receipt_cases.values():
        lanes = [g for _, g in evs]
        changes = [(a, b) for a, b in zip(lanes, lanes[1:], strict=False) if a != b]
        for (a, b), (_, c) in zip(changes, changes[1:], strict=False):
            if c == a:
                bounces[(a, b)] += 1
    top = found.ping_pong[0]
    assert (top["lane"], top["next_lane"]) == bounces.most_common(1)[0][0]
    assert top["times"] == bounces.most_common(1)[0][1]
    again: Counter[str] = Counter()
    for evs in receipt_cases.values():
        for activity, n in Counter(a for a, _ in evs).items():
            again[activity] += n - 1
    assert found.rework[0]["activity"] == again.most_common(1)[0][0]
    assert found.rework[0]["extra"] == again.most_common(1)[0][1]


def test_slowest_handoffs_are_ranked_by_median_wait(engine) -> None:
    log = read_log(corpus_log("receipt.csv"), engine)
    found = evidence(log)
    medians = [r["median_wait"] for r in found.slowest_handoffs]
    assert medians == sorted(medians, reverse=True) and medians
    assert all(r["handoffs"] >= 5 for r in found.slowest_handoffs)
    totals = [r["total_wait"] for r in found.lane_waits]
    assert totals == sorted(totals, reverse=True)
