"""The engine: bounded, spilling to a folder of its own that it removes."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from procmap.mining.engine import Engine, spark_sql, sql, to_spark


def test_settings_for_logs_larger_than_memory() -> None:
    with Engine(memory_limit="1GB") as engine:
        settings = dict(engine.con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('memory_limit', 'temp_directory', 'preserve_insertion_order', 'enable_progress_bar')"
        ).fetchall())
        assert Path(settings["temp_directory"]).is_dir()
    assert settings["preserve_insertion_order"] == "false"
    assert settings["enable_progress_bar"] == "false"
    assert settings["memory_limit"].endswith(("MiB", "GiB", "MB", "GB"))


def test_the_spill_folder_goes_at_close_and_when_dropped() -> None:
    engine = Engine()
    folder = Path(engine.temp_directory)
    engine.close()
    assert not folder.exists()
    dropped = Path(Engine().temp_directory)
    gc.collect()
    assert not dropped.exists()


def test_every_computation_transpiles_to_spark() -> None:
    from importlib import resources

    names = sorted(f.name.removesuffix(".sql")
                   for f in resources.files("procmap.mining").joinpath("sql").iterdir()
                   if f.name.endswith(".sql"))
    assert {"ordered", "dfg", "case_variants", "variants", "endpoints", "activities"} <= set(names)
    for name in names:
        text = spark_sql(name)
        assert text.startswith("/*") or text.upper().startswith(("SELECT", "WITH")), name
        assert "QUANTILE_CONT" not in text.upper()
        assert "PERCENTILE_APPROX" not in text.upper(), name  # percentiles stay exact
    assert "LEAD(activity) OVER (PARTITION BY case_id" in sql("ordered")
    # the median and the 90th percentile from one sort; Spark's brackets count from 0
    assert "PERCENTILE(wait, ARRAY(0.5, 0.9))" in spark_sql("dfg")
    assert "w.waits[0] AS median_wait, w.waits[1] AS p90_wait" in spark_sql("dfg")
    # each case's events are sorted as a list, by start, time and file order
    assert ("ARRAY_SORT(COLLECT_LIST(STRUCT(start_ts AS start_ts, ts AS ts, rownum AS rownum, "
            "activity AS activity)))") in spark_sql("paths_started")
    assert "ARRAY_SORT(COLLECT_LIST(STRUCT(ts AS ts, rownum AS rownum, activity AS activity)))" in (
        spark_sql("paths"))
    # lists count from 1 in DuckDB, from 0 in Spark's brackets: 1-based functions on both
    assert "SLICE(events, 2, (SIZE(events)) - (2) + 1)" in spark_sql("pairs")
    assert "ELEMENT_AT(variant, SIZE(variant))" in spark_sql("endpoints")
    assert "LIST_" not in spark_sql("pairs") + spark_sql("endpoints") + spark_sql("activities")


def test_an_ordered_list_keeps_its_order_on_spark() -> None:
    # COLLECT_LIST keeps no order: the list is sorted by its ORDER BY on Spark
    assert to_spark("SELECT LIST(activity ORDER BY position) AS v FROM t GROUP BY c") == (
        "SELECT TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT(position AS k, activity AS v))), e -> e.v) "
        "AS v FROM t GROUP BY c")
    with pytest.raises(ValueError, match="only LIST"):
        to_spark("SELECT LIST(activity ORDER BY position DESC) FROM t")


def test_spill_folders_of_ended_processes_are_removed_and_running_ones_kept(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from procmap.mining.engine import remove_stale_folders

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    dead = tmp_path / f"procmap-duckdb-{ended.stdout.strip()}-abc"
    alive = tmp_path / f"procmap-duckdb-{os.getpid()}-abc"
    other = tmp_path / "someone-elses-folder"
    for folder in (dead, alive, other):
        (folder / "spill").mkdir(parents=True)
    remove_stale_folders(str(tmp_path))
    assert not dead.exists()
    assert alive.is_dir() and other.is_dir()
