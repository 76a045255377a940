"""How long a user waits before procmap does anything: the command line's start.

Times whole processes, interleaved, median of ``--repeats`` runs each: a bare
Python start, ``procmap --help``, ``procmap --version``, ``procmap rules XF001``
(one command's module loaded) and ``procmap check`` on the onboarding example
(the model, the rules and the YAML loader loaded). The target (a thin CLI
that starts fast) is ``procmap --help`` within 0.25 s of the bare Python start.

    .venv/bin/python benchmarks/startup.py [--repeats 11]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=11)
    args = parser.parse_args()
    runs = RUNS
    times: dict[str, list[float]] = {label: [] for label, _ in runs}
    for _ in range(args.repeats):  # interleaved, so a busy moment hits every command alike
        for label, cmd in runs:
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[label].append(time.perf_counter() - start)
    bare = statistics.median(times[runs[0][0]])
    rows = []
    for label, _ in runs:
        values = times[label]
        median = statistics.median(values)
        rows.append([label, f"{median:.3f}", f"{min(values):.3f}–{max(values):.3f}",
                     f"{median - bare:+.3f}"])
    print(machine_line(f"procmap start-up, median of {args.repeats} runs each (seconds)"))
    for line in table(["command", "median", "spread", "over bare Python"], rows):
        print(line)
    over = statistics.median(times["procmap --help"]) - bare
    print(f"target procmap --help within {TARGET} s of a bare Python start: "
          f"{over:.3f} s over ({'met' if over <= TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
