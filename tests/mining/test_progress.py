"""Progress of long computations: DuckDB's own measure, shown as a bar on a terminal."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from procmap.mining.progress import follow

# a few seconds of work on these machines: a window over millions of rows
LONG = ("CREATE OR REPLACE TABLE t AS SELECT i % 5000 AS g, "
        "lead(i) OVER (PARTITION BY i % 5000 ORDER BY hash(i)) AS n FROM range(6000000) r(i)")


def test_follow_reports_duckdbs_progress_of_a_long_statement(engine) -> None:
    seen: list[float] = []
    with follow(engine.con, seen.append, every=0.02):
        engine.con.execute(LONG)
    assert seen, "no progress was reported"
    assert all(0 <= p <= 100 for p in seen)
    assert any(0 < p < 100 for p in seen)  # a value from inside the statement
    # the engine is left as it was: no bar of DuckDB's own
    assert engine.con.execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)


def test_follow_reports_nothing_for_a_statement_shorter_than_its_wait(engine) -> None:
    seen: list[float] = []
    with follow(engine.con, seen.append, after=10):
        engine.con.execute("SELECT count(*) FROM range(1000)").fetchall()
    assert seen == []


@pytest.mark.slow
def test_discover_shows_its_steps_on_a_terminal(tmp_path: Path) -> None:
    """A person at a terminal sees a bar while the events of each case are ordered."""
    import duckdb

    log = tmp_path / "big.csv"
    duckdb.sql(  # 4M events in 400k cases, times out of order within each case
        "COPY (SELECT 'case ' || (i % 400000) AS \"case:concept:name\", "
        "'activity ' || (hash(i) % 12) AS \"concept:name\", "
        "TIMESTAMP '2026-01-01' + to_seconds(hash(i * 7) % 10000000) AS \"time:timestamp\" "
        f"FROM range(4000000) r(i)) TO '{log}' (HEADER)")
    script = Path(sys.executable).parent / "procmap"
    out = tmp_path / "asis.yaml"
    child = pexpect.spawn(str(script), ["discover", str(log), "-o", str(out)],
                          env={**os.environ, "TERM": "xterm"}, encoding="utf-8",
                          timeout=180, dimensions=(40, 160))
    screen = child.read()
    child.close()
    assert child.exitstatus == 0, screen
    assert "ordering the events of each case" in screen
    assert out.is_file()
