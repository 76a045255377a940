"""``--engine spark`` refuses what it cannot run with exit 2 and a clear message, before
(or instead of) starting Spark: no Java, a master that does not answer, XES, a wrong setting."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from procmap.cli.main import app
from tests.mining.conftest import corpus_log

runner = CliRunner()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is


def _discover(*args: str):
    return runner.invoke(app, ["discover", str(corpus_log("receipt.parquet")), *args])


def test_a_master_nobody_listens_on_is_exit_2_within_seconds() -> None:
    began = time.monotonic()
    result = _discover("--engine", "spark", "--spark-master", f"spark://127.0.0.1:{_closed_port()}")
    assert result.exit_code == 2, result.output
    assert "cannot be reached" in result.output and "--spark-master" in result.output
    assert time.monotonic() - began < 30  # not Spark's minutes of retries


def test_a_master_that_is_not_a_spark_url_is_exit_2() -> None:
    result = _discover("--engine", "spark", "--spark-master", "127.0.0.1:7077")
    assert result.exit_code == 2
    assert "expected local[*], spark://HOST:PORT" in result.output


def test_no_java_is_exit_2_naming_java(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no java on it
    monkeypatch.delenv("JAVA_HOME", raising=False)
    result = _discover("--engine", "spark")
    assert result.exit_code == 2, result.output
    assert "Spark needs Java" in result.output and "JAVA_HOME" in result.output


def test_xes_on_spark_is_exit_2_saying_to_convert_it() -> None:
    result = runner.invoke(app, ["discover", str(corpus_log("running-example.xes")), "--engine", "spark"])
    assert result.exit_code == 2
    assert "Spark reads Parquet and CSV logs, not XES" in result.output and "Parquet first" in result.output


@pytest.mark.parametrize(("args", "said"), [
    (["--engine", "sparkle"], "--engine 'sparkle': the engines are duckdb and spark"),
    (["--engine", "spark", "--spark-conf", "spark.executor.memory"], "--spark-conf 'spark.executor.memory': expected key=value"),
])
def test_a_wrong_engine_or_setting_is_exit_2(args: list[str], said: str) -> None:
    result = _discover(*args)
    assert result.exit_code == 2
    assert said in result.output


def test_procmap_engine_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCMAP_ENGINE", "nosuch")
    result = _discover()
    assert result.exit_code == 2
    assert "PROCMAP_ENGINE 'nosuch'" in result.output
    monkeypatch.setenv("PROCMAP_ENGINE", "duckdb")
    assert _discover().exit_code == 0


def test_simulate_from_a_log_takes_the_engine_too() -> None:
    root = Path(__file__).resolve().parents[2]
    result = runner.invoke(app, ["simulate", str(root / "examples" / "customer-onboarding.yaml"),
                                 "--from-log", str(root / "examples" / "logs" / "customer-onboarding.csv"),
                                 "--engine", "sparkle"])
    assert result.exit_code == 2
    assert "--engine 'sparkle': the engines are duckdb and spark" in result.output
