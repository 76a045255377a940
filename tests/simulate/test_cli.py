"""``procmap simulate`` on the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from procmap.cli.main import app

runner = CliRunner()


def test_text_report_states_its_defaults() -> None:
    result = runner.invoke(app, ["simulate", "examples/customer-onboarding.yaml", "-n", "200",
                                 "-r", "3"])
    assert result.exit_code == 0, result.output
    for words in ("Per case", "cycle time", "Moments of Truth", "Break Points", "Lanes",
                  "(bottleneck)", "assumed: arrivals not given", "Outcomes"):
        assert words in result.output


def test_json_and_markdown() -> None:
    result = runner.invoke(app, ["simulate", "examples/lead-to-cash.yaml", "-n", "200", "-r", "3",
                                 "--arrivals", "every 4h", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["run"]["replications"] == 3 and data["run"]["arrivals"] == "every 4h (Poisson)"
    assert data["cycle_time"]["mean"]["ci95"] > 0
    assert data["moments_of_truth"] and data["break_points"] and data["bottleneck"]
    md = runner.invoke(app, ["simulate", "examples/lead-to-cash.yaml", "-n", "100", "-r", "2",
                             "-f", "markdown"])
    assert md.exit_code == 0 and "| cycle time |" in md.output


def test_compare(tmp_path) -> None:
    as_is = tmp_path / "as-is.yaml"
    as_is.write_text("""\
procmap: 1
process: desk
arrivals: every 10m
actors: {customer: {kind: customer}, clerk: {kind: team, capacity: 1}}
steps:
  ask: {actor: customer, then: serve}
  serve: {actor: clerk, duration: {mean: 8m, distribution: exponential}, then: tell}
  tell: {actor: customer}
""")
    to_be = tmp_path / "to-be.yaml"
    to_be.write_text(as_is.read_text().replace("capacity: 1", "capacity: 2"))
    result = runner.invoke(app, ["simulate", str(as_is), "--compare", str(to_be), "-n", "2000",
                                 "-r", "4"])
    assert result.exit_code == 0, result.output
    assert "What-if" in result.output and "improved" in result.output


def test_bad_input_exit_2(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("procmap: 1\nprocess: x\narrivals: sometimes\nactors: {a: {kind: team}}\n"
                   "steps: {s: {actor: a}}\n")
    result = runner.invoke(app, ["simulate", str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml:3:" in result.output and "Traceback" not in result.output
    assert runner.invoke(app, ["simulate", "no-such.yaml"]).exit_code == 2
