"""The benchmark scripts run (their numbers are read by people, not asserted here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
@pytest.mark.parametrize("script", ["analyze.py", "merge.py", "bpmn.py"])  # load.py: *_smoke.py
def test_benchmark_runs_quick(script: str) -> None:
    from tests.js.export import ready

    if script == "bpmn.py" and ready() is not None:  # it runs bpmn-auto-layout in Node
        pytest.skip(str(ready()))
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--quick"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "procmap" in result.stdout and "benchmark" in result.stdout
    assert len(result.stdout.splitlines()) >= 4

