"""Timing, memory and table helpers shared by the benchmark scripts."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence


def median_time(
    fn: Callable[[], object], repeats: int, *, before: Callable[[], object] | None = None
) -> float:
    """Median wall time of ``fn`` over ``repeats`` runs, in seconds.

    ``before`` (untimed) runs ahead of each run, e.g. ``gc.collect`` so that the
    garbage of one run is not collected on the time of the next.
    """
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
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


def extra_peak_mib(setup: str, work: str, *args: str) -> float:
    """Peak memory (MiB) that ``work`` adds to a fresh interpreter that ran ``setup``.

    ``setup`` imports the modules (and reads ``sys.argv``, which holds ``args``);
    the peak reached by then is the baseline, so the number is the cost of
    ``work`` alone, not of starting Python and importing libraries.
    """
    code = f"{setup}\nbefore = peak_kib()\n{work}\nprint(max(0, peak_kib() - before))\n"
    return peak_rss_mib(code, *args)


def machine_info() -> dict[str, object]:
    """What the numbers were measured on: cores, Python, PyYAML and libyaml."""
    import yaml

    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "pyyaml": yaml.__version__,
        "libyaml": bool(yaml.__with_libyaml__),
    }


def machine_line(title: str) -> str:
    """A header naming the machine, so numbers can be compared across runs."""
    info = machine_info()
    return (
        f"{title} · {info['cores']} cores · Python {info['python']} · "
        f"PyYAML {info['pyyaml']} (libyaml {'yes' if info['libyaml'] else 'no'})"
    )


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, left: int = 1) -> list[str]:
    """Plain-text table lines, columns as wide as their widest cell.

    The first ``left`` columns are aligned left (labels), the others right (numbers).
    """
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.ljust(width) if i < left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "  ".join(padded).rstrip()

    return [line(header), line(["-" * width for width in widths]), *(line(row) for row in rows)]
