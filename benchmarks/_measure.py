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


PEAK_KIB = """
def peak_kib():
    # the high-water mark of this process's memory; unlike ru_maxrss it does not
    # inherit the peak of the parent that started it
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""


def peak_rss_mib(code: str, *args: str) -> float:
    """Extra peak resident memory (MiB) of running ``code`` in a fresh interpreter.

    ``code`` may call ``peak_kib()`` (defined for it) before and after the work
    it measures and prints the difference in KiB as its last line.
    """
    code = PEAK_KIB + code
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
