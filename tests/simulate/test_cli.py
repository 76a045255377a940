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


def test_bundled_as_is_against_to_be_reads_like_a_redesign_summary() -> None:
    result = runner.invoke(app, ["simulate", "examples/simulate/claims-as-is.yaml", "--compare",
                                 "examples/simulate/claims-to-be.yaml", "-n", "300", "-r", "4",
                                 "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    per_case = {d["label"]: d for d in data["per_case"]}
    for label in ("cycle time (mean)", "waiting time (mean)", "cost per case",
                  "contacts per case"):
        assert per_case[label]["status"] == "improved", per_case[label]
        assert per_case[label]["change"]["ci95"] is not None
    # the phone report and the emailed photos are gone, the assessor's visit is still there
    moments = {d["label"]: d["status"] for d in data["moments_of_truth"]}
    assert moments["customer's wait before 'Log the claim while the customer is on the phone'"] == "eliminated"
    assert moments["customer's wait before 'Assessor sees the car at the customer's home'"] == "improved"
    handoffs = [d["status"] for d in data["break_points"]]
    assert handoffs.count("eliminated") >= 5
    lanes = {d["label"]: d["status"] for d in data["lanes"]}
    assert lanes["Call centre: work per case"] == "eliminated"
    assert lanes["Claims system: work per case"] == "added"


def test_procmap_simulate_stays_the_function_once_the_engine_is_imported() -> None:
    import procmap
    import procmap.simulation.engine  # noqa: F401 - the package is procmap.simulation

    run = procmap.simulate("examples/lead-to-cash.yaml", cases=50, replications=2)
    assert run.replications == 2 and run.cycle["mean"].mean > 0
