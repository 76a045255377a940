"""The same SQL, transpiled by SQLGlot, gives the same directly-follows graph on Spark."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from procmap.logs import stats
from procmap.logs.engine import spark_sql
from procmap.logs.read import read_log
from tests.logs.conftest import corpus_log


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="the pyspark test extra is not installed")
    if shutil.which("java") is None:
        pytest.skip("no Java on this machine: Spark cannot start")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]").appName("procmap-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::FutureWarning")  # PySpark on pandas 3
def test_directly_follows_on_spark_equals_duckdb(spark, engine, tmp_path: Path) -> None:
    log = read_log(corpus_log("receipt.csv"), engine)
    stats.prepare(log)
    expected = {(p.source, p.target): (p.frequency, p.cases, p.mean_wait)
                for p in stats.directly_follows(log)}
    events = tmp_path / "log.parquet"
    engine.con.execute(f"COPY (SELECT * FROM log) TO '{events}' (FORMAT parquet)")
    spark.read.parquet(str(events)).createOrReplaceTempView("log")
    spark.sql(spark_sql("ordered")).createOrReplaceTempView("ordered")
    rows = spark.sql(spark_sql("dfg")).collect()
    found = {(r["source"], r["target"]): (r["frequency"], r["cases"], r["mean_wait"]) for r in rows}
    assert found.keys() == expected.keys()
    for pair, (frequency, cases, mean) in expected.items():
        assert found[pair][:2] == (frequency, cases)
        assert found[pair][2] == pytest.approx(mean, rel=1e-9, abs=1e-3)
    ends = spark.sql(spark_sql("endpoints")).collect()
    assert {(r["side"], r["activity"]): r["cases"] for r in ends} == {
        (side, a): n for side, found_ in stats.endpoints(log).items() for a, n in found_.items()}
