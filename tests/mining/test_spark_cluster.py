"""``--engine spark`` against a real Spark standalone cluster: a master and one worker on
127.0.0.1, started from the pyspark package; the maps written are those DuckDB writes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mining.conftest import corpus_log

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::FutureWarning")]

SPARK_CONF = ["spark.ui.enabled=false", "spark.sql.shuffle.partitions=2",
              "spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1",
              "spark.executor.memory=1g", "spark.sql.adaptive.coalescePartitions.enabled=true"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spark_class() -> Path:
    pyspark = pytest.importorskip("pyspark", reason="the pyspark test extra is not installed")
    return Path(pyspark.__file__).parent / "bin" / "spark-class"


def _wait_for(log: Path, text: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            pytest.fail(f"{log.name} stopped: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.3)
    pytest.fail(f"no '{text}' in {log.name} after {seconds}s: {log.read_text(errors='replace')[-2000:]}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A standalone master and one worker on the loopback interface, stopped afterwards."""
    spark_class = _spark_class()
    if shutil.which("java") is None:
        pytest.skip("no Java on this machine: Spark cannot start")
    folder = tmp_path_factory.mktemp("spark-cluster")
    env = {**os.environ, "SPARK_HOME": str(spark_class.parents[1]), "SPARK_LOCAL_IP": "127.0.0.1",
           "SPARK_NO_DAEMONIZE": "1"}
    port = _free_port()
    master_url = f"spark://127.0.0.1:{port}"
    started: list[subprocess.Popen] = []
    logs = []
    try:
        for name, args in (
            ("master", ["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                        "--port", str(port), "--webui-port", str(_free_port())]),
            ("worker", ["org.apache.spark.deploy.worker.Worker", master_url, "--host", "127.0.0.1",
                        "--webui-port", str(_free_port()), "--cores", "2", "--memory", "1500m",
                        "--work-dir", str(folder / "work")]),
        ):
            log = folder / f"{name}.log"
            logs.append(log)
            with log.open("wb") as handle:
                started.append(subprocess.Popen([str(spark_class), *args], env=env, stdout=handle,
                                                stderr=subprocess.STDOUT, start_new_session=True))
            _wait_for(log, "Successfully registered with master" if name == "worker"
                      else "I have been elected leader", started[-1], 60)
        yield master_url, folder / "work"
    finally:
        for process in reversed(started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _procmap(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "procmap"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PROCMAP_ENGINE": ""})


def test_discover_on_a_standalone_cluster_writes_the_map_duckdb_writes(
        cluster: tuple[str, Path], tmp_path: Path) -> None:
    master, work = cluster
    log = corpus_log("receipt.parquet")
    spark_args = ["--engine", "spark", "--spark-master", master]
    for conf in SPARK_CONF:
        spark_args += ["--spark-conf", conf]
    on_duckdb = _procmap("discover", str(log), "-o", "duckdb.yaml", cwd=tmp_path)
    assert on_duckdb.returncode == 0, on_duckdb.stderr
    on_spark = _procmap("discover", *spark_args, str(log), "-o", "x.yaml", cwd=tmp_path)
    assert on_spark.returncode == 0, on_spark.stderr[-3000:]
    expected = (tmp_path / "duckdb.yaml").read_bytes()
    assert (tmp_path / "x.yaml").read_bytes() == expected
    assert b"steps:" in expected and b"Discovered from receipt.parquet: 1434 cases" in expected
    # the cluster's worker ran it: an executor of an application in its work folder
    assert list(work.glob("app-*/*/stderr"))


ROOT = Path(__file__).resolve().parents[2]


def _in_process(*args: str) -> str:
    """``procmap ARGS`` in this process (its Spark driver started once for the module), as JSON."""
    from typer.testing import CliRunner

    from procmap.cli.main import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def test_conform_and_analyze_on_a_standalone_cluster_give_the_json_duckdb_gives(
        cluster: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    master, _work = cluster
    monkeypatch.delenv("PROCMAP_ENGINE", raising=False)
    spark_args = ["--engine", "spark", "--spark-master", master]
    for conf in SPARK_CONF:
        spark_args += ["--spark-conf", conf]
    example = ROOT / "examples" / "customer-onboarding.yaml"
    csv_log = ROOT / "examples" / "logs" / "customer-onboarding.csv"  # CSV, read by the cluster
    conform = ["conform", str(example), str(csv_log), "--format", "json"]
    on_duckdb = _in_process(*conform)
    assert '"fitness"' in on_duckdb
    assert _in_process(*conform, *spark_args) == on_duckdb  # byte for byte

    # analyze --log: the same JSON; a 90th percentile between two waits may differ in its
    # last binary digit (Spark weighs the two neighbours, DuckDB adds to the lower one)
    analyze = ["analyze", str(example), "--log", str(csv_log), "--format", "json"]
    on_duckdb = json.loads(_in_process(*analyze))
    on_spark = json.loads(_in_process(*analyze, *spark_args))
    assert on_spark == _approx(on_duckdb)
    assert {m["step"]: m["times"] for m in on_spark["moments_of_truth"]}["submit-details"] == 508


def test_simulate_from_a_log_on_a_standalone_cluster_gives_the_report_duckdb_gives(
        cluster: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    master, _work = cluster
    monkeypatch.delenv("PROCMAP_ENGINE", raising=False)
    spark_args = ["--engine", "spark", "--spark-master", master,
                  *[a for c in SPARK_CONF for a in ("--spark-conf", c)]]
    simulate = ["simulate", str(ROOT / "examples" / "customer-onboarding.yaml"), "--from-log",
                str(ROOT / "examples" / "logs" / "customer-onboarding.csv"), "-r", "2", "-f", "json"]
    on_duckdb = json.loads(_in_process(*simulate))
    on_spark = json.loads(_in_process(*simulate, *spark_args))
    # the log's means and deviations are summed by the cluster in its own order: the same
    # figures to their last digits or so, and the same run of the simulation from them
    assert on_spark == _approx(on_duckdb)
    assert on_spark["run"]["cases"] == 400  # as many as the log has


def _approx(value: object) -> object:
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-12)
    if isinstance(value, dict):
        return {k: _approx(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_approx(v) for v in value]
    return value


def test_a_path_the_cluster_cannot_read_is_exit_2(cluster: tuple[str, Path], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from procmap.cli.main import app

    master, _work = cluster
    missing = tmp_path / "orders" / "part-0.parquet"
    result = CliRunner().invoke(app, ["discover", str(missing), "--engine", "spark",
                                      "--spark-master", master, *[a for c in SPARK_CONF for a in ("--spark-conf", c)]])
    assert result.exit_code == 2, (result.output, result.exception)
    assert f"{missing}: cannot be read by Spark" in result.output
    assert "Path does not exist" in result.output
