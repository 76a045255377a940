"""The load benchmark runs and prints its table (speed itself is never asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

QUICK_ROWS = ["map of 100 steps", "map of 1,000 steps", "catalog of 50 maps"]


@pytest.mark.slow
def test_load_benchmark_quick_prints_every_row(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "load.py"), "--quick", "--json", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "cores" in lines[0] and "Python" in lines[0] and "libyaml" in lines[0]
    for row in QUICK_ROWS:
        assert any(line.startswith(row) for line in lines), f"no row '{row}' in:\n{result.stdout}"
    assert lines[-1].startswith("target ")
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert [r["input"] for r in rows] == QUICK_ROWS


@pytest.mark.slow
def test_render_benchmark_quick_prints_its_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "render.py"), "--quick"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "cores" in lines[0]
    assert lines[1].split()[:4] == ["map", "layout", "SVG", "(all)"]
    rows = [line for line in lines if line.endswith("KiB")]
    assert [r.split()[0] for r in rows] == ["22", "52"]  # generated maps add start and end


@pytest.mark.slow
def test_mining_benchmark_at_a_tiny_size_prints_its_table(tmp_path: Path) -> None:
    from tests.conftest import CORPUS

    if not (CORPUS / "logs" / "bpic2012.xes.gz").exists():
        pytest.skip("the corpus log bpic2012.xes.gz is missing")
    out = tmp_path / "mining.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "mining.py"), "--sizes", "3k", "--repeats", "1",
         "--json", str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "| events | format | procmap | PM4Py | PM4Py + IM | floor |" in result.stdout
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [r["format"] for r in rows] == ["csv", "parquet", "xes.gz"]
    for row in rows:
        assert 2_000 <= row["events"] <= 4_000
        assert set(row["times"]) == {"procmap", "PM4Py", "PM4Py + IM", "floor"}
        assert all(len(t) == 1 and t[0] > 0 for t in row["times"].values())
        # the two sides found the same cases, variants and directly-follows pairs
        assert row["agree"] and row["answers"].startswith("same "), row["answers"]
        assert f"| {row['events']:,} | {row['format']} |" in result.stdout


@pytest.mark.slow
def test_startup_benchmark_prints_its_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "startup.py"), "--repeats", "1"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for row in ("python -c pass", "procmap --help", "procmap check"):
        assert any(line.startswith(row) for line in lines), result.stdout
    assert lines[-1].startswith("target procmap --help within 0.25 s")


@pytest.mark.slow
def test_serve_benchmark_for_two_seconds_prints_its_table_and_loses_nothing() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "serve.py"), "--seconds", "2", "--clients", "12"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "cores" in lines[0]
    header = next(line for line in lines if line.startswith("database"))
    for column in ("p50 ms", "p95 ms", "p99 ms", "saves/s", "lost", "merge s"):
        assert column in header
    rows = {line.split()[0]: line.split() for line in lines if line.startswith(("sqlite ", "postgresql "))}
    assert set(rows) == {"sqlite", "postgresql"}
    for row in rows.values():
        assert row[8:11] == ["0", "0", "0"]  # no false 409, no stale save applied, nothing lost


@pytest.mark.slow
def test_editor_benchmark_prints_its_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "editor.py"), "--sizes", "20", "--samples", "3",
         "--warm", "1"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("map"))
    for column in ("p50 ms", "p95 ms", "max ms", "samples", "steps shown"):
        assert column in header
    row = next(line for line in lines if line.startswith("20 steps")).split()
    # the last two columns: three keystrokes measured; the map's 22 steps shown
    assert row[-2:] == ["3", "22"]
    assert lines[-1].startswith("target p95 under 150 ms at 200 steps")


@pytest.mark.slow
def test_simulate_benchmark_quick_prints_its_tables() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "simulate.py"), "--quick"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for row in ("M/M/1 load 0.8", "M/M/3 load 0.83", "Little's law", "claims as-is", "claims to-be"):
        assert row in out, f"no row '{row}' in:\n{out}"
    assert "SimPy act/s" in out and out.rstrip().splitlines()[-1].startswith("target ")


@pytest.mark.slow
def test_text_benchmark_quick_prints_its_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "text.py"), "--quick"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "cores" in lines[0]
    assert any(line.startswith("English      50") for line in lines), result.stdout
    assert any(line.startswith("de/ja/ar     50") for line in lines), result.stdout
    assert lines[-1].startswith("first use in a fresh process: fonts ")


def test_scale_benchmarks_memory_is_the_whole_process_trees(tmp_path: Path) -> None:
    """The peak of a parent that holds 50 MiB and starts a child holding 200 MiB is
    their sum (as procmap's own process and the Spark JVM it starts)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import _scale
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    child = "import time; x = bytearray(200 * 2**20); time.sleep(1.5)"
    parent = (f"import subprocess, sys; x = bytearray(50 * 2**20); "
              f"subprocess.run([sys.executable, '-c', {child!r}], check=True)")
    found = _scale.measure([sys.executable, "-c", parent], dict(os.environ), tmp_path / "spill", 60)
    assert found["failed"] is None
    assert 250 * 2**20 <= found["peak_bytes"] < 400 * 2**20  # two interpreters add ~20 MiB


@pytest.mark.slow
def test_scale_benchmark_at_a_tiny_size_prints_its_table(tmp_path: Path) -> None:
    out = tmp_path / "scale.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "mining.py"), "--scale", "3k", "--engines", "duckdb",
         "--memory-limit", "1GB", "--scale-folder", str(tmp_path / "scale"), "--json", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "DuckDB --memory-limit 1GB" in result.stdout.splitlines()[0]
    (row,) = json.loads(out.read_text(encoding="utf-8"))
    assert row["engine"] == "duckdb" and row["failed"] is None
    assert 2_900 <= row["events"] <= 3_000  # whole cases of bpic2012, up to 3,000 events
    assert row["peak_bytes"] > 20 * 2**20  # a Python process with DuckDB at least
    assert f"| {row['events']:,} | {row['cases']:,} | parquet | duckdb |" in result.stdout
    assert "Discovered from log-" in (tmp_path / "scale" / "out-3000-parquet" / "map-duckdb.yaml").read_text()


@pytest.mark.slow
def test_discovery_speed_benchmark_at_a_tiny_size_prints_its_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "discovery_speed.py"), "--sizes", "1k",
         "--repeats", "1", "--pm4py-up-to", "0"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "cores" in lines[0] and "median of 1" in lines[0]
    assert lines[2].split(" | ")[1:6] == ["summaries", "mining", "replay", "map", "total"]
    (row,) = [line for line in lines if line.startswith("| 1,")]  # about 1,000 events of whole cases
    cells = row.strip("| ").split(" | ")
    assert 900 <= int(cells[0].replace(",", "")) <= 1_300
    assert float(cells[5]) > 0 and cells[-1] == "—"  # PM4Py left out
