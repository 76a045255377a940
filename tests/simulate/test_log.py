"""The simulated event log: written as CSV, Parquet and XES, and read like a real one."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from procmap.cli.main import app

runner = CliRunner()
AS_IS = "examples/simulate/claims-as-is.yaml"


@pytest.fixture(scope="module")
def logs(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("logs")
    paths = {}
    for fmt in ("csv", "parquet", "xes"):
        path = folder / f"claims.{fmt}"
        result = runner.invoke(app, ["simulate", AS_IS, "-n", "200", "-r", "2", "--seed", "9",
                                     "--log-out", str(path), "-f", "json"])
        assert result.exit_code == 0, result.output
        paths[fmt] = path
    return paths


def test_same_seed_same_log_byte_for_byte(logs, tmp_path) -> None:
    again = tmp_path / "again.csv"
    result = runner.invoke(app, ["simulate", AS_IS, "-n", "200", "-r", "2", "--seed", "9",
                                 "--log-out", str(again), "-f", "json"])
    assert result.exit_code == 0
    assert again.read_bytes() == logs["csv"].read_bytes()
    other = tmp_path / "other.csv"
    runner.invoke(app, ["simulate", AS_IS, "-n", "200", "-r", "2", "--seed", "10",
                        "--log-out", str(other), "-f", "json"])
    assert other.read_bytes() != logs["csv"].read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xes"])
def test_discover_reads_it(logs, fmt, tmp_path) -> None:
    out = tmp_path / "found.yaml"
    result = runner.invoke(app, ["discover", str(logs[fmt]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "200 of 200 cases" in result.output
    text = out.read_text()
    for activity in ("Log the claim while the customer is on the phone", "Pay the claim",
                     "Assessor sees the car at the customer's home"):
        assert activity in text
    assert "Claims handling" in text and "Loss assessor" in text  # lanes from org:group


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xes"])
def test_the_map_conforms_to_its_own_simulated_log(logs, fmt) -> None:
    result = runner.invoke(app, ["conform", AS_IS, str(logs[fmt])])
    assert result.exit_code == 0, result.output
    assert "100.0% of cases follow the map" in result.output
    assert "Steps of the map that never happen: none" in result.output


def test_analyze_weighs_the_map_by_it(logs) -> None:
    result = runner.invoke(app, ["analyze", AS_IS, "--log", str(logs["csv"])])
    assert result.exit_code == 0, result.output
    assert "200" in result.output


def test_log_out_needs_a_known_format(tmp_path) -> None:
    result = runner.invoke(app, ["simulate", AS_IS, "-n", "10", "-r", "1",
                                 "--log-out", str(tmp_path / "log.txt")])
    assert result.exit_code == 2


def test_log_out_never_replaces_an_input(tmp_path) -> None:
    log = tmp_path / "real.csv"
    log.write_text("case,activity,time\n")
    result = runner.invoke(app, ["simulate", AS_IS, "--from-log", str(log),
                                 "--log-out", str(log)])
    assert result.exit_code == 2 and "input" in result.output
    assert log.read_text() == "case,activity,time\n"  # untouched
    same = tmp_path / "both.json"
    result = runner.invoke(app, ["simulate", AS_IS, "-n", "10", "-r", "1", "-f", "json",
                                 "-o", str(same), "--log-out", str(same)])
    assert result.exit_code == 2
