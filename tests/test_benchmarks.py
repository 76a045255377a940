"""The benchmark scripts run (their numbers are read by people, not asserted here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
@pytest.mark.parametrize("script", ["analyze.py", "merge.py"])  # load.py: test_benchmarks_smoke.py
def test_benchmark_runs_quick(script: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--quick"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "procmap" in result.stdout and "benchmark" in result.stdout
    assert len(result.stdout.splitlines()) >= 4


@pytest.mark.slow
def test_bpmn_benchmark_runs_quick() -> None:
    from tests.js.export import ready

    if ready() is not None:
        pytest.skip(str(ready()))
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bpmn.py"), "--quick"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "procmap BPMN benchmark" in lines[0]
    assert any(line.startswith("| generated, ~100 elements |") for line in lines)
    assert any(line.startswith("| customer-onboarding |") for line in lines)
