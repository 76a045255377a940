"""A BPMN model with a Prosimos parameter file runs as Prosimos would run it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from procmap.cli.main import app
from procmap.simulation import simulate
from procmap.simulation.prosimos import ProsimosError, read_prosimos, timing
from tests.conftest import corpus_file

runner = CliRunner()


@pytest.mark.parametrize("variant", ["diffres_filtered", "timers"])
def test_the_corpus_models_run(variant) -> None:
    # Prosimos 2.1.0 itself stops on both of these files (see the corpus README)
    bpmn = corpus_file("simulation", f"LoanApp_sequential_9-5_{variant}.bpmn")
    params = corpus_file("simulation", f"LoanApp_sequential_9-5_{variant}.json")
    model = read_prosimos(bpmn, params)
    data = json.loads(params.read_text())
    p = model.process
    # every task of the file found by its id or its name, so no work step goes without time
    tasks = [s for s in p.steps.values() if s.kind.value == "task"]
    assert tasks and all(s.duration is not None for s in tasks)
    # every gateway's probabilities found through the BPMN's flows
    decisions = [s for s in p.steps.values() if s.kind.value == "decision"]
    assert decisions and all(b.probability is not None for s in decisions for b in s.branches.values())
    people = sum(r["amount"] for pool in data["resource_profiles"] for r in pool["resource_list"])
    (actor,) = p.actors.values()
    assert actor.capacity == people and actor.calendar and p.calendar
    run = simulate(p, cases=300, replications=2)
    assert run.unfinished == 0 and run.cycle["mean"].mean > 0
    assert not any("no duration" in a or "split their cases evenly" in a for a in run.assumptions)


def test_distributions_as_prosimos_writes_them() -> None:
    def d(name, *values):
        return {"distribution_name": name, "distribution_params": [{"value": v} for v in values]}

    assert timing(d("expon", 3600, 0, 7200), "x").distribution == "exponential"
    assert timing(d("norm", 600, 60, 0, 1200), "x").sd == 60
    lognormal = timing(d("lognorm", 600, 3600, 0, 1200), "x")
    assert lognormal.distribution == "lognormal" and lognormal.sd == 60
    assert timing(d("uniform", 10, 30), "x").total_seconds() == 20
    with pytest.raises(ProsimosError, match="cannot draw from a 'weibull'"):
        timing(d("weibull", 1, 2), "task 'A'")
    with pytest.raises(ProsimosError, match="lognorm distribution needs a mean above zero"):
        timing(d("lognorm", 0, 1, 0, 1), "task 'A'")


def test_cli(tmp_path) -> None:
    bpmn = corpus_file("simulation", "LoanApp_sequential_9-5_diffres_filtered.bpmn")
    params = corpus_file("simulation", "LoanApp_sequential_9-5_diffres_filtered.json")
    result = runner.invoke(app, ["simulate", str(bpmn), "--prosimos", str(params), "-n", "200",
                                 "-r", "2", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert any("16 people" in n for n in data["prosimos"]["notes"])
    broken = tmp_path / "broken.json"
    broken.write_text('{"arrival_time_distribution": ')
    result = runner.invoke(app, ["simulate", str(bpmn), "--prosimos", str(broken)])
    assert result.exit_code == 2 and "broken.json:1:" in result.output
    result = runner.invoke(app, ["simulate", "examples/customer-onboarding.yaml", "--prosimos",
                                 str(params)])
    assert result.exit_code == 2
