"""The same SQL, transpiled by SQLGlot, gives the same discovery, evidence and weighing on Spark."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from procmap.mining import stats
from procmap.mining.engine import spark_sql, sql
from procmap.mining.read import read_log
from tests.mining.conftest import corpus_log


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
def test_discovery_on_spark_equals_duckdb(spark, engine, tmp_path: Path) -> None:
    log = read_log(corpus_log("receipt.csv"), engine)
    stats.prepare(log)
    variants = stats.variants(log)
    expected = {(p.source, p.target): p for p in stats.directly_follows(log)}
    events = tmp_path / "log.parquet"
    engine.con.execute(f"COPY (SELECT * FROM log) TO '{events}' (FORMAT parquet)")
    spark.read.parquet(str(events)).createOrReplaceTempView("log")
    for step in stats.preparation(log):
        spark.sql(spark_sql(step.computation)).createOrReplaceTempView(step.table)

    rows = spark.sql(spark_sql("dfg")).collect()
    found = {(r["source"], r["target"]): r for r in rows}
    assert found.keys() == expected.keys()
    for pair, p in expected.items():
        assert (found[pair]["frequency"], found[pair]["cases"]) == (p.frequency, p.cases)
        for column, value in (("mean_wait", p.mean_wait), ("median_wait", p.median_wait),
                              ("p90_wait", p.p90_wait)):  # exact on Spark too, not approximate
            assert found[pair][column] == pytest.approx(value, rel=1e-9, abs=1e-3), (pair, column)

    on_spark = {tuple(r["variant"]): r["cases"] for r in spark.sql("SELECT * FROM variant_counts").collect()}
    assert on_spark == {v.activities: v.cases for v in variants}
    assert len(on_spark) > 100  # many variants, in the order of their events

    ends = spark.sql(spark_sql("endpoints")).collect()
    assert {(r["side"], r["activity"]): r["cases"] for r in ends} == {
        (side, a): n for side, found_ in stats.endpoints(log).items() for a, n in found_.items()}

    acts = {r["activity"]: r for r in spark.sql(spark_sql("activities")).collect()}
    for a in stats.activities(log):
        found = acts[a.name]
        assert (found["events"], found["cases"], found["lane"], found["customer"]) == (
            a.events, a.cases, a.lane, a.customer), a.name
        for column, value in (("position", a.position), ("median_wait", a.median_wait),
                              ("p90_wait", a.p90_wait)):
            expected = None if value is None else pytest.approx(value, rel=1e-9, abs=1e-3)
            assert found[column] == expected, (a.name, column)
    assert len(acts) == len(stats.activities(log))

    # the variants' and the cases' durations (the map's note and the variants table)
    medians = {tuple(r["variant"]): r["median_duration"]
               for r in spark.sql(spark_sql("variant_durations")).collect()}
    for variant, median in stats.variant_durations(log).items():
        assert medians[variant] == pytest.approx(median, rel=1e-9, abs=1e-3), variant
    ((durations,),) = [tuple(r) for r in spark.sql(spark_sql("case_durations")).collect()]
    assert durations == pytest.approx(list(stats.case_durations(log)), rel=1e-9)


def _same_rows(duck: list[dict], spark_rows: list) -> None:
    """The same rows in any order, numbers equal to a millisecond."""
    def plain(row: dict) -> dict:  # Spark's averages of decimals are decimals
        return {k: float(v) if isinstance(v, Decimal) else v for k, v in row.items()}

    def key(row: dict) -> tuple:
        return tuple(str(v) for v in row.values() if not isinstance(v, float))

    found = sorted((plain(r.asDict()) for r in spark_rows), key=key)
    expected = sorted((plain(r) for r in duck), key=key)
    assert len(found) == len(expected) > 0
    for mine, theirs in zip(expected, found, strict=True):
        assert mine.keys() == theirs.keys()
        for column, value in mine.items():
            if isinstance(value, float):
                assert theirs[column] == pytest.approx(value, rel=1e-9, abs=1e-3), column
            else:
                assert theirs[column] == value, column


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::FutureWarning")  # PySpark on pandas 3
def test_evidence_on_spark_equals_duckdb(spark, engine, tmp_path: Path) -> None:
    """Hand-offs, contacts, rework, ping-pong and waits per lane: the same on Spark."""
    log = read_log(corpus_log("receipt.csv"), engine, customer=["Confirmation*"])
    assert log.has_lanes
    stats.order_events(log)
    events = tmp_path / "log.parquet"
    engine.con.execute(f"COPY (SELECT * FROM log) TO '{events}' (FORMAT parquet)")
    spark.read.parquet(str(events)).createOrReplaceTempView("log")
    spark.sql(spark_sql("ordered")).createOrReplaceTempView("ordered")
    engine.materialize("case_evidence", "case_evidence")
    spark.sql(spark_sql("case_evidence")).createOrReplaceTempView("case_evidence")
    for name in ("case_evidence", "evidence_summary", "rework", "ping_pong", "handoff_waits", "lane_waits"):
        cursor = engine.con.execute(sql(name))
        names = [d[0] for d in cursor.description]
        duck = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        _same_rows(duck, spark.sql(spark_sql(name)).collect())


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::FutureWarning")  # PySpark on pandas 3
def test_a_map_weighed_by_its_log_on_spark_equals_duckdb(spark, engine, tmp_path: Path) -> None:
    """``analyze MAP --log LOG``: how often each step and hand-off happens, the same on Spark."""
    import procmap
    from procmap.mining.weigh import weigh

    root = Path(__file__).resolve().parents[2]
    log = read_log(root / "examples" / "logs" / "customer-onboarding.csv", engine)
    weigh(procmap.load(root / "examples" / "customer-onboarding.yaml"), log)
    for table in ("log", "map_steps", "map_points", "map_watch", "map_pairs"):
        path = tmp_path / f"{table}.parquet"
        engine.con.execute(f"COPY (SELECT * FROM {table}) TO '{path}' (FORMAT parquet)")
        spark.read.parquet(str(path)).createOrReplaceTempView(table)
    for name in ("map_steps", "map_handoffs"):
        cursor = engine.con.execute(sql(name))
        names = [d[0] for d in cursor.description]
        duck = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        _same_rows(duck, spark.sql(spark_sql(name)).collect())


@pytest.mark.slow
def test_the_progress_of_a_running_spark_job_is_its_stages_tasks_done(spark, tmp_path: Path) -> None:
    """Spark's status tracker, read as the bar reads it, while a job of four tasks
    has three done and the fourth held until the test lets it go."""
    import threading
    import time

    from procmap.mining.progress import stage_progress

    go = tmp_path / "go"

    def task(i: int) -> int:
        while i == 3 and not go.exists():  # the last task waits for the test
            time.sleep(0.05)
        return i

    tracker = spark.sparkContext.statusTracker()
    assert stage_progress(tracker) is None  # no job running
    got: list[list[int]] = []
    job = threading.Thread(target=lambda: got.append(
        spark.sparkContext.parallelize(range(4), 4).map(task).collect()))
    job.start()
    try:
        seen = None
        deadline = time.monotonic() + 120
        while seen != 75.0 and time.monotonic() < deadline:
            seen = stage_progress(tracker)
            time.sleep(0.05)
        assert seen == 75.0  # three of the four tasks done
    finally:
        go.touch()
        job.join(120)
    assert got == [[0, 1, 2, 3]]
    deadline = time.monotonic() + 30  # Spark's listener learns of the end a moment later
    while stage_progress(tracker) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stage_progress(tracker) is None
