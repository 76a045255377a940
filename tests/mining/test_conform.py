"""Conformance: the designed map held against the log."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.mining.conform import conform, match_steps
from procmap.mining.discover import discover
from procmap.mining.engine import Engine
from procmap.mining.read import read_log
from tests.mining.conftest import corpus_log

runner = CliRunner()


def test_the_running_example_follows_its_bpmn_model(engine) -> None:
    process = procmap.load(corpus_log("running-example.bpmn"))
    result = conform(process, read_log(corpus_log("running-example.csv"), engine))
    assert (result.fitting_cases, result.cases) == (6, 6)
    assert result.not_in_map == [] and result.never_happen == []
    assert result.deviations == []


def test_receipt_follows_its_bpmn_model_at_least_as_often_as_pm4py_replays_it(engine) -> None:
    # the model's parallel split after a decision must stay parallel work, not become
    # more ways out of the decision (read that way, only 9% of the cases fitted)
    import pandas as pd
    import pm4py

    process = procmap.load(corpus_log("receipt.bpmn"))
    result = conform(process, read_log(corpus_log("receipt.csv"), engine))
    assert result.cases == 1434 and result.not_in_map == []
    frame = pm4py.format_dataframe(pd.read_csv(corpus_log("receipt.csv")),
                                   case_id="case:concept:name", activity_key="concept:name",
                                   timestamp_key="time:timestamp")
    net, initial, final = pm4py.convert_to_petri_net(pm4py.read_bpmn(str(corpus_log("receipt.bpmn"))))
    replay = pm4py.fitness_token_based_replay(frame, net, initial, final)
    # PM4Py replays tokens through the Petri net (99.0% of traces fit); procmap replays the
    # map's flows, where a parallel join waits for nothing, so it may allow a few more
    assert replay["perc_fit_traces"] > 98
    assert 100 * result.fitting_cases / result.cases >= replay["perc_fit_traces"]
    assert sum(d["cases"] for d in result.deviations) <= result.cases - result.fitting_cases


@pytest.mark.parametrize("coverage", [1.0, 0.8])
def test_a_discovered_map_allows_the_cases_it_was_drawn_from(coverage: float) -> None:
    # without leaving out rare paths (noise 0), the inductive miner's structure fits every case
    path = corpus_log("receipt.csv")
    with Engine() as one:
        found = discover(read_log(path, one), coverage=coverage, noise=0.0)
    with Engine() as two:
        result = conform(found.process, read_log(path, two))
    assert result.fitting_cases >= found.kept_cases
    if coverage == 1.0:
        assert result.fitting_cases == result.cases
        assert result.not_in_map == [] and result.handoffs_not_on_paper == []
    else:
        assert result.not_in_map  # the rare activities were left off the map


def test_a_step_removed_from_the_map_shows_as_a_deviation(engine) -> None:
    process = procmap.load(corpus_log("running-example.bpmn"))
    assert process.steps["decide"].name == "decide"  # ids are made from names
    # the step renamed, id and name, so that nothing in the map matches the activity
    text = re.sub(r"\bdecide\b", "rule-on-it", procmap.dumps(process))
    changed = procmap.loads(text.replace("name: rule-on-it", "name: decide on the request"))
    result = conform(changed, read_log(corpus_log("running-example.csv"), engine))
    assert result.fitting_cases == 0
    assert {"activity": "decide", "events": 9, "cases": 6} in result.not_in_map
    assert {"step": "rule-on-it", "name": "decide on the request"} in result.never_happen


def test_real_waits_against_the_stated_ones(engine) -> None:
    path = corpus_log("running-example.csv")
    process = discover(read_log(path, engine)).process
    with Engine() as other:
        result = conform(process, read_log(path, other))
    by_step = {w["step"]: w for w in result.waits}
    assert by_step["decide"]["stated"] == pytest.approx(by_step["decide"]["median"], abs=60)


def test_steps_match_by_name_or_id() -> None:
    process = procmap.loads(
        "procmap: 1\nprocess: p\nactors: {t: {kind: team}}\n"
        "steps:\n  check-ticket: {actor: t}\n  b: {actor: t, name: Decide  Now, needs: check-ticket}\n")
    assert match_steps(process, ["Check ticket", "check-ticket", "decide now", "other"]) == {
        "Check ticket": "check-ticket", "check-ticket": "check-ticket", "decide now": "b"}


def test_conform_command_in_three_formats(tmp_path: Path) -> None:
    args = ["conform", str(corpus_log("running-example.bpmn")), str(corpus_log("running-example.xes"))]
    text = runner.invoke(app, args)
    assert text.exit_code == 0 and "100.0% of cases follow the map" in text.output
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert data["fitness"] == 1.0 and data["cases"] == 6
    target = tmp_path / "conformance.md"
    written = runner.invoke(app, [*args, "--format", "markdown", "-o", str(target)])
    assert written.exit_code == 0 and "## Where cases leave the map" in target.read_text("utf-8")
    missing = runner.invoke(app, ["conform", str(tmp_path / "no.yaml"), args[2]])
    assert missing.exit_code == 2
    assert "procmap conform running-example.bpmn" in runner.invoke(app, ["conform", "--help"]).output
