"""``procmap merge`` on three participants' maps with known overlaps and conflicts.

docs/examples/workshop/: Ann (Sales) and Bo (Customer Success) drew the training
and the welcome; Bo calls the CRM record 'enter-customer-record' ("Create customer
record in CRM"), puts the training invite in his own lane and adds an 'unsure'
branch that asks Finance; Cy (Finance) drew the billing part, at level 3 with
Finance as owner, and put the training invite before the CRM record.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.workshop.merge import Participant, merge
from tests.conftest import ROOT, example_maps
from tests.io.test_properties import valid_maps

WORKSHOP = ROOT / "docs" / "examples" / "workshop"
FILES = [WORKSHOP / f"{name}.yaml" for name in ("ann", "bo", "cy")]
runner = CliRunner()


def people(files=FILES) -> list[Participant]:
    return [Participant(procmap.load(f).author or f.stem, procmap.load(f)) for f in files]


def test_known_overlaps_and_conflicts() -> None:
    result = merge(people())
    assert result.participants == ["Ann", "Bo", "Cy"]
    steps = result.process.steps
    assert "enter-customer-record" not in steps  # matched to create-crm-record by name and lane
    assert result.seen["steps"]["create-crm-record"] == ["Ann", "Bo", "Cy"]
    assert result.seen_by_all("steps") == ["submit-details", "create-crm-record",
                                           "send-training-invite", "done"]
    assert result.seen_by_one("steps") == {
        "ask-finance": "Bo", "create-billing-profile": "Cy", "add-payment-method": "Cy",
        "send-billing-guide": "Cy",
    }
    kinds = {(c.kind, c.element) for c in result.conflicts}
    assert kinds == {
        ("branches", "big-order"), ("lane", "done"), ("lane", "send-training-invite"),
        ("level", "customer-onboarding"), ("owner", "customer-onboarding"),
        ("order", "create-crm-record"), ("duration", "create-crm-record"),
        ("wait", "assign-manager"), ("probabilities", "big-order"),
    }
    assert steps["send-training-invite"].actor == "crm"  # two of three drew it there
    assert set(steps["big-order"].branches) == {"yes", "no", "unsure"}
    # Ann: yes 0.3, no 0.7; Bo: yes 0.2, no 0.7, unsure 0.1 (Ann drew no 'unsure': 0 for her)
    shares = {label: b.probability for label, b in steps["big-order"].branches.items()}
    assert shares == pytest.approx({"yes": (0.3 + 0.2) / 2, "no": 0.7, "unsure": 0.1 / 2})
    (said,) = [c.text for c in result.conflicts if c.kind == "probabilities"]
    assert "Ann: yes 30%, no 70%; Bo: yes 20%, no 70%, unsure 10%" in said
    assert steps["ask-finance"].seen_by == ("Bo",)
    assert steps["create-crm-record"].seen_by == ()  # everyone drew it
    assert result.process.owner == "Customer Success" and result.process.level == 2
    assert result.agreement()["steps"] == (4 * 3 + 4 * 2 + 4 * 1) / (3 * 12)


def test_match_option_joins_steps_the_names_do_not(tmp_path: Path) -> None:
    a = procmap.loads("procmap: 1\nprocess: p\nactors: {s: {kind: team}}\n"
                      "steps:\n  call-customer: {actor: s}\n")
    b = procmap.loads("procmap: 1\nprocess: p\nactors: {s: {kind: team}}\n"
                      "steps:\n  phone-client: {actor: s}\n")
    apart = merge([Participant("a", a), Participant("b", b)])
    assert len(apart.process.steps) == 2
    joined = merge([Participant("a", a), Participant("b", b)],
                   matches=[("call-customer", "phone-client")])
    assert list(joined.process.steps) == ["call-customer"]


def test_cli_writes_map_and_report(tmp_path: Path) -> None:
    merged, report = tmp_path / "merged.yaml", tmp_path / "merge.md"
    result = runner.invoke(app, ["merge", *map(str, FILES), "-o", str(merged),
                                 "--report", str(report)])
    assert result.exit_code == 0, result.output
    process = procmap.load(merged)  # an ordinary map every command reads
    assert process.steps["ask-finance"].seen_by == ("Bo",)
    text = report.read_text(encoding="utf-8")
    assert "# Workshop merge: Customer onboarding" in text
    assert "- branches: big-order: decision with different branches" in text
    data = json.loads(runner.invoke(app, ["merge", *map(str, FILES), "-f", "json"]).output)
    assert data["participants"] == ["Ann", "Bo", "Cy"]
    assert runner.invoke(app, ["check", str(merged)]).exit_code == 0


def test_bad_match_option_exits_2() -> None:
    result = runner.invoke(app, ["merge", *map(str, FILES), "--match", "only-one-id"])
    assert result.exit_code == 2
    assert "is not two step ids joined by '='" in result.output


def test_merge_does_not_depend_on_the_order_of_the_files() -> None:
    forward = merge(people(FILES))
    backward = merge(people(list(reversed(FILES))))
    assert forward.process == backward.process
    assert forward.conflicts == backward.conflicts
    assert procmap.dumps(forward.process) == procmap.dumps(backward.process)


def test_merging_each_example_with_itself_changes_nothing() -> None:
    for path in example_maps():
        process = procmap.load(path)
        result = merge([Participant("me", process), Participant("me", process)])
        assert result.process == process, path.name
        assert result.conflicts == []


@settings(max_examples=60, deadline=None)
@given(valid_maps(), valid_maps(), valid_maps(), st.permutations(range(3)))
def test_order_independence_on_random_maps(a, b, c, order) -> None:
    maps = [Participant(name, m) for name, m in zip(("ann", "bo", "cy"), (a, b, c), strict=True)]
    first = merge(maps)
    second = merge([maps[i] for i in order])
    assert first.process == second.process
    assert first.conflicts == second.conflicts


@settings(max_examples=60, deadline=None)
@given(valid_maps())
def test_random_map_merged_with_itself_is_unchanged(process) -> None:
    assert merge([Participant("x", process), Participant("x", process)]).process == process
