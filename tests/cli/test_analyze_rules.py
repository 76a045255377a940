"""``procmap analyze`` and ``procmap rules``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from procmap.cli.main import app
from procmap.output.rules_doc import rules_markdown
from procmap.rules import all_rules
from tests.conftest import EXAMPLES

runner = CliRunner()
ONBOARDING = str(EXAMPLES / "customer-onboarding.yaml")


def test_text_scorecard_shows_the_wall() -> None:
    result = runner.invoke(app, ["analyze", ONBOARDING])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "10 Moments of Truth · 17 Break Points · 3 Business Rules · 20 steps" in out
    for heading in ("Failure risk per outcome", "Hand-offs", "Cycle time",
                    "Top 10 to eliminate or improve", "Moments of Truth", "Business Rules"):
        assert heading in out


def test_json_scorecard_ranks_candidates() -> None:
    card = json.loads(runner.invoke(app, ["analyze", str(EXAMPLES / "lead-to-cash.yaml"),
                                          "-f", "json"]).output)
    top = card["candidates"]
    assert len(top) == 10
    assert [c["rank"] for c in top] == list(range(1, 11))
    impacts = [c["impact"] for c in top]
    assert impacts == sorted(impacts, reverse=True)
    # Sales and Customer Service both enter the customer details (XF003): 15 minutes of
    # redundant work on the customer's way on 40% of cases rank above the printed order
    assert top[0]["kind"] == "redundant work" and top[0]["action"] == "eliminate"
    assert top[0]["keep"] == "lead-to-cash/enter-customer-details"
    assert top[0]["remove"] == ["lead-to-cash/capture-customer-details"]
    assert top[1]["elements"] == ["print-order"] and top[1]["action"] == "eliminate"
    risk = card["failure_risk"]["delivered"]
    assert risk["worst"] <= risk["expected"] <= risk["best"]
    assert 0 < card["cycle_time"]["efficiency"] < 0.05


def test_markdown_to_a_file_and_refusal_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "card.md"
    assert runner.invoke(app, ["analyze", ONBOARDING, "-f", "markdown", "-o", str(out)]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "# Customer onboarding" in text and "## Hand-offs" in text
    assert runner.invoke(app, ["analyze", ONBOARDING, "-f", "markdown", "-o", str(out)]).exit_code == 0
    mine = tmp_path / "mine.md"
    mine.write_text("my notes", encoding="utf-8")
    result = runner.invoke(app, ["analyze", ONBOARDING, "-f", "markdown", "-o", str(mine)])
    assert result.exit_code == 2 and mine.read_text(encoding="utf-8") == "my notes"


def test_folder_gives_one_scorecard_per_map() -> None:
    data = json.loads(runner.invoke(app, ["analyze", str(EXAMPLES / "marketing"), "-f", "json"]).output)
    assert sorted(c["process"] for c in data) == [
        "campaign-management", "content-production", "lead-management", "lead-scoring",
        "marketing", "webinar-campaign",
    ]


def test_analyze_bad_map_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("procmap: 1\nprocess: p\nsteps: {a: {actor: nobody}}\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:3:20: step 'a': actor 'nobody' is not declared under actors" in result.output


def test_rules_lists_every_rule() -> None:
    text = runner.invoke(app, ["rules", "-f", "json"]).output
    data = json.loads(text)
    assert [r["id"] for r in data] == [r.id for r in all_rules()]
    assert all(r["Why"] and r["Example"] and r["Fix"] for r in data)
    md = runner.invoke(app, ["rules", "-f", "markdown"]).output
    assert md == rules_markdown(all_rules())


SMALL = """\
procmap: 1
process: quote
actors: {customer: {kind: customer}, sales: {kind: team}}
outcomes: {quoted: {name: Customer has a quote}}
steps:
  asks: {actor: customer, kind: start, channel: web, then: [quote]}
  quote: {actor: sales, fails: 0.1, delivers: [quoted]}
"""


def test_risk_says_how_much_rests_on_default_rates(tmp_path) -> None:
    import math

    path = tmp_path / "quote.yaml"
    path.write_text(SMALL, encoding="utf-8")
    card = json.loads(runner.invoke(app, ["analyze", str(path), "--format", "json"]).output)
    # on the way: the customer's start event (a Moment of Truth, default 2%), the
    # hand-off to Sales (default 3%) and the quote (fails 10%, from the map)
    defaults = -math.log(0.98) - math.log(0.97)
    share = defaults / (defaults - math.log(0.9))
    assert card["failure_risk"]["quoted"]["on_default_rates"] == {
        "points": 2, "of": 3, "risk_share": round(share, 4)}
    text = runner.invoke(app, ["analyze", str(path)]).output
    assert f"2 of 3 ({share:.0%})" in text
    assert "On default rates:" in text


def test_the_ranking_says_what_impact_measures(tmp_path) -> None:
    path = tmp_path / "quote.yaml"
    path.write_text(SMALL, encoding="utf-8")
    said = "Impact = the chance a point goes wrong × the share of cases that pass it"
    card = json.loads(runner.invoke(app, ["analyze", str(path), "--format", "json"]).output)
    assert card["impact_measures"].startswith(said)
    for fmt in ("text", "markdown"):
        out = runner.invoke(app, ["analyze", str(path), "--format", fmt]).output
        assert said in " ".join(out.split()), fmt
    html = tmp_path / "quote.html"
    assert runner.invoke(app, ["report", str(path), "-o", str(html)]).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert said in page and "On default rates" in page
