"""How long a user waits before procmap does anything: the command line's start.

Times whole processes, interleaved, median of ``--repeats`` runs each: a bare
Python start, ``procmap --help``, ``procmap --version``, ``procmap rules XF001``
(one command's module loaded), ``procmap check`` on the onboarding example
(the model, the rules and the YAML loader loaded) and ``procmap discover`` on a
log of about 1,000 events (bpic2012's first cases, as CSV: the engine, the
discovery and the map writer loaded). Besides the wall time, the CPU time the
process used (user + system, its threads included), which a busy machine
changes less. The targets: ``procmap --help`` within 0.25 s of the bare Python
start, and ``procmap discover`` on 1,000 events in under 0.5 s.

The commands run as an installed procmap runs: with Python's bytecode caches
(a ``PYTHONDONTWRITEBYTECODE`` of the calling shell is not passed on, and one
untimed round writes the caches first).

    .venv/bin/python benchmarks/startup.py [--repeats 11]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import machine_line, table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PROCMAP = str(Path(sys.executable).parent / "procmap")
RUNS = [
    ("python -c pass (bare start)", [sys.executable, "-c", "pass"]),
    ("procmap --help", [PROCMAP, "--help"]),
    ("procmap --version", [PROCMAP, "--version"]),
    ("procmap rules XF001", [PROCMAP, "rules", "XF001"]),
    ("procmap check (the onboarding example)",
     [PROCMAP, "check", str(ROOT / "examples" / "customer-onboarding.yaml")]),
]
TARGET = 0.25
DISCOVER_TARGET = 0.5
DISCOVER = "procmap discover (1,000 events)"


def one_thousand_events(folder: Path) -> Path:
    """A CSV log of bpic2012's first cases, about 1,000 events (the mining benchmark's 1k)."""
    from mining import build_logs

    return build_logs(1_000, folder)["csv"]


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the process's threads included) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=11)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="procmap-startup-") as tmp:
        log = one_thousand_events(Path(tmp))
        runs = [*RUNS, (DISCOVER, [PROCMAP, "discover", str(log), "-o", str(Path(tmp) / "map.yaml"),
                                   "--force"])]
        for _, cmd in runs:  # untimed: writes the bytecode caches an installed procmap has
            run_once(cmd, env)
        times: dict[str, list[float]] = {label: [] for label, _ in runs}
        cpu: dict[str, list[float]] = {label: [] for label, _ in runs}
        for _ in range(args.repeats):  # interleaved, so a busy moment hits every command alike
            for label, cmd in runs:
                wall, used = run_once(cmd, env)
                times[label].append(wall)
                cpu[label].append(used)
    bare = statistics.median(times[runs[0][0]])
    rows = []
    for label, _ in runs:
        values = times[label]
        median = statistics.median(values)
        rows.append([label, f"{median:.3f}", f"{min(values):.3f}–{max(values):.3f}",
                     f"{median - bare:+.3f}", f"{statistics.median(cpu[label]):.3f}"])
    load = os.getloadavg()
    print(machine_line(f"procmap start-up, median of {args.repeats} runs each (seconds)")
          + f" · load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    for line in table(["command", "median", "spread", "over bare Python", "CPU"], rows):
        print(line)
    found = statistics.median(times[DISCOVER])
    print(f"target {DISCOVER} under {DISCOVER_TARGET} s: {found:.3f} s "
          f"(CPU {statistics.median(cpu[DISCOVER]):.3f} s; "
          f"{'met' if found < DISCOVER_TARGET else 'NOT met'})")
    over = statistics.median(times["procmap --help"]) - bare
    print(f"target procmap --help within {TARGET} s of a bare Python start: "
          f"{over:.3f} s over ({'met' if over <= TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
