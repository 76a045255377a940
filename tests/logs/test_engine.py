"""The engine: bounded, spilling to a folder of its own that it removes."""

from __future__ import annotations

import gc
from pathlib import Path

from procmap.logs.engine import Engine, spark_sql, sql


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
                   for f in resources.files("procmap.logs").joinpath("sql").iterdir()
                   if f.name.endswith(".sql"))
    assert {"ordered", "dfg", "case_variants", "variants", "endpoints", "activities"} <= set(names)
    for name in names:
        text = spark_sql(name)
        assert text.startswith("/*") or text.upper().startswith(("SELECT", "WITH")), name
        assert "QUANTILE_CONT" not in text.upper()
        assert "PERCENTILE_APPROX" not in text.upper(), name  # percentiles stay exact
    assert "LEAD(activity) OVER (PARTITION BY case_id" in sql("ordered")
    assert "PERCENTILE(wait, 0.9)" in spark_sql("dfg")
    # COLLECT_LIST keeps no order: the variant is sorted by position on Spark
    assert "TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT(position AS k, activity AS v))), e -> e.v)" in (
        spark_sql("case_variants"))
