"""``procmap diff``: as-is against to-be, checked on the lead-to-cash redesign.

The expectations were read off the two maps: the to-be removes the stock check
in Service (ping-pong), the discount approval, the printout, the second data
entry and the customer's call to Sales, and calls prospects with a script
(fails 15% → 5%).
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.workshop.diff import diff_maps
from tests.conftest import EXAMPLES, ROOT

AS_IS = EXAMPLES / "lead-to-cash.yaml"
TO_BE = ROOT / "docs" / "examples" / "lead-to-cash-to-be.yaml"
runner = CliRunner()


def test_redesign_in_outside_in_words() -> None:
    d = diff_maps(procmap.load(AS_IS), procmap.load(TO_BE))
    mot = "Moments of Truth"
    assert {p.key[0] for p in d.changes(mot, "eliminated")} == {"customer-calls-sales",
                                                                 "delivery-question"}
    (improved,) = d.changes(mot, "improved")
    assert improved.key == ("call-prospect",) and (improved.before, improved.after) == (0.15, 0.05)
    assert [p.key for p in d.changes(mot, "added")] == [("arrange-delivery",)]
    # the customer's start event (downloading the brochure) is a Moment of Truth in both
    assert d.counts == {"Moments of Truth": (13, 12), "Break Points": (18, 14),
                        "Business Rules": (4, 4)}
    assert d.handoffs[("sales", "service")] == (1, 0)
    assert d.handoffs[("service", "sales")] == (1, 0)
    assert d.steps_removed == ["check-stock", "finalise-quote", "approve-discount", "print-order",
                               "capture-customer-details", "delivery-question",
                               "customer-calls-sales", "update-address"]
    assert d.steps_added == ["reduce-discount"]
    before, after = d.timing
    assert after.waiting < before.waiting
    for o in d.outcomes:
        assert o.after >= o.before


def test_a_map_against_itself_changes_nothing() -> None:
    process = procmap.load(AS_IS)
    d = diff_maps(process, process)
    assert d.points == [] and d.handoffs == {} and d.steps_removed == d.steps_added == []


def test_cli_text_markdown_and_json() -> None:
    text = runner.invoke(app, ["diff", str(AS_IS), str(TO_BE)]).output
    assert "Moments of Truth: 13 → 12 (2 eliminated, 1 improved, 1 added)" in text
    assert "improved Call the prospect to understand the need: fails 15% → 5%" in text
    assert "Sales → Customer Service: 1 → 0 (removed)" in text
    md = runner.invoke(app, ["diff", str(AS_IS), str(TO_BE), "-f", "markdown"]).output
    assert md.startswith("# Lead to cash → Lead to cash") and "## Break Points: 18 → 14" in md
    data = json.loads(runner.invoke(app, ["diff", str(AS_IS), str(TO_BE), "-f", "json"]).output)
    assert data["counts"]["Break Points"] == {"before": 18, "after": 14}
    assert {"from": "sales", "to": "service", "before": 1, "after": 0} in data["handoffs"]


def test_bad_input_exits_2(tmp_path) -> None:
    result = runner.invoke(app, ["diff", str(AS_IS), str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "no such file or folder" in result.output



def order_map(ways: str) -> str:
    """Orders are packed and billed, then shipped; ``ways`` says how the route goes on."""
    return f"""procmap: 1
process: order
actors: {{customer: {{kind: customer}}, shop: {{kind: team}}, bank: {{kind: partner}}}}
steps:
  place-order: {{actor: customer, then: [route]}}
  route:
    name: Pack or bill?
    actor: shop
    {ways}
  pack: {{actor: shop, then: [ship]}}
  bill: {{actor: bank, then: [ship]}}
  ship: {{actor: shop}}
"""


def test_a_decision_that_became_parallel_work(tmp_path) -> None:
    """The to-be packs and bills at once instead of choosing: one Business Rule fewer."""
    as_is = tmp_path / "as-is.yaml"
    to_be = tmp_path / "to-be.yaml"
    as_is.write_text(order_map("kind: decision\n    branches: {yes: pack, no: bill}"),
                     encoding="utf-8")
    to_be.write_text(order_map("kind: parallel\n    then: [pack, bill]"), encoding="utf-8")
    d = diff_maps(procmap.load(as_is), procmap.load(to_be))
    (change,) = d.kinds_changed
    assert (change.step, change.before.value, change.after.value) == ("route", "decision", "parallel")
    assert [p.key for p in d.changes("Business Rules", "eliminated")] == [("route",)]
    text = runner.invoke(app, ["diff", str(as_is), str(to_be)]).output
    assert ("changed 'Pack or bill?' was a choice (one branch is taken), is now parallel work "
            "(all ways run at once) (decision → parallel)") in text
    data = json.loads(runner.invoke(app, ["diff", str(as_is), str(to_be), "-f", "json"]).output)
    assert data["kinds_changed"][0]["before"] == "decision"
    assert data["kinds_changed"][0]["after"] == "parallel"
