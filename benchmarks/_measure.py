"""Timing and memory helpers shared by the benchmark scripts."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``fn`` over ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mib(code: str, *args: str) -> float:
    """Peak resident memory (MiB) of running ``code`` in a fresh interpreter.

    The child prints nothing else; what it measures is up to ``code``: by
    convention it prints the extra peak (after minus before) in KiB.
    """
    result = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    return float(result.stdout.strip().splitlines()[-1]) / 1024


def machine_line(title: str) -> str:
    """A header naming the machine, so numbers can be compared across runs."""
    import yaml

    return (
        f"{title} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"PyYAML {yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'})"
    )
