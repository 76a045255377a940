"""``procmap trace``: chains to outcomes, the needs tree, steps without purpose."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import procmap
from procmap.analysis.trace import chains_from, needs_tree, outcomes_served
from procmap.cli.main import app
from tests.conftest import EXAMPLES

ONBOARDING = EXAMPLES / "customer-onboarding.yaml"
runner = CliRunner()


def test_a_step_leads_to_each_outcome_it_serves() -> None:
    process = procmap.load(ONBOARDING)
    chains = {c.outcome: c.steps for c in chains_from(process, "create-crm-record")}
    assert chains == {
        "informed": ("create-crm-record", "set-up-account", "send-training-invite", "watch-training"),
        "excited": ("create-crm-record", "big-order", "send-welcome-video"),
        "pays-on-time": ("create-crm-record", "check-payment-terms", "create-billing-profile",
                         "add-payment-method", "send-billing-guide"),
        "account-live": ("create-crm-record", "set-up-account", "activate-account"),
    }


def test_outcome_tree_goes_back_to_the_start_and_marks_repeats() -> None:
    process = procmap.load(ONBOARDING)
    (root,) = needs_tree(process, "informed")
    path = []
    node = root
    while node.needs:
        path.append(node.step)
        node = node.needs[0]
    path.append(node.step)
    assert path[:6] == ["watch-training", "send-training-invite", "set-up-account",
                        "create-crm-record", "check-details", "submit-details"]
    text = runner.invoke(app, ["trace", str(ONBOARDING), "informed"]).output
    assert "check-details: Are the details complete? (Sales, waits 4h) — see above" in text


def test_no_argument_lists_steps_that_serve_nothing_first() -> None:
    process = procmap.load(EXAMPLES / "lead-to-cash.yaml")
    rows = outcomes_served(process)
    first = [sid for sid, outcomes in rows if not outcomes]
    assert "print-order" in first
    assert rows[: len(first)] == [(s, []) for s in first]
    text = runner.invoke(app, ["trace", str(EXAMPLES / "lead-to-cash.yaml")]).output
    assert "print-order (Sales): serves no outcome" in text
    assert "order-closed (Finance): end of the process" in text


def test_json_and_cli_chain_text() -> None:
    result = runner.invoke(app, ["trace", str(ONBOARDING), "big-order", "-f", "json"])
    # the shortest of the two chains: the welcome video, not the manager and the call
    assert json.loads(result.output) == [
        {"outcome": "excited", "steps": ["big-order", "send-welcome-video"]}
    ]
    text = runner.invoke(app, ["trace", str(ONBOARDING), "send-training-invite"]).output
    assert text.strip() == "send-training-invite → watch-training → informed"


def test_unknown_element_gets_did_you_mean_and_exit_2() -> None:
    result = runner.invoke(app, ["trace", str(ONBOARDING), "create-crm-recrd"])
    assert result.exit_code == 2
    assert "'create-crm-recrd' is neither a step nor an outcome of this map" in result.output
    assert "did you mean 'create-crm-record'?" in result.output
