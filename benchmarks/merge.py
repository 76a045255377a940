"""How long the workshop merge takes: 10 participants' maps of 500 steps each.

Each participant's map is the same generated process drawn a little differently:
a tenth of the step ids renamed (so steps must be matched by name and lane) and
another tenth of the names reworded. Prints the median time of the merge and of
loading the maps, for 2, 5 and 10 participants. Target: 10 × 500 steps < 2 s.

    python benchmarks/merge.py            # the full table
    python benchmarks/merge.py --quick    # 3 participants × 100 steps
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _measure import machine_line, median_time  # noqa: E402
from generate import map_text  # noqa: E402

REWORDS = [("Capture", "Enter"), ("Check", "Verify"), ("Send", "Email"), ("Update", "Change")]


def participant_text(steps: int, who: int) -> str:
    """The generated map as participant ``who`` drew it."""
    rng = random.Random(who)
    text = map_text(steps, process="onboarding").replace("procmap: 1", f"procmap: 1\nauthor: p{who:02d}", 1)
    if who == 0:
        return text
    for i in rng.sample(range(steps), steps // 10):
        text = re.sub(rf"\bs{i}\b", f"p{who}-step-{i}", text)
    for i in rng.sample(range(steps), steps // 10):
        old, new = rng.choice(REWORDS)
        text = re.sub(rf"(name: ){old}(\s\S+ \S+ {i}\n)", rf"\g<1>{new}\2", text)
    return text


def main() -> int:
    import procmap
    from procmap.workshop.merge import Participant, merge

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 participants × 100 steps")
    args = parser.parse_args()
    steps = 100 if args.quick else 500
    counts = [3] if args.quick else [2, 5, 10]
    print(machine_line("procmap merge benchmark"))
    print(f"participants' maps of {steps} steps; median of 3 runs\n")
    print(f"{'participants':>12} {'steps in':>9} {'merged':>7} {'load':>8} {'merge':>8}")
    for n in counts:
        texts = [participant_text(steps, who) for who in range(n)]
        maps = [procmap.loads(t) for t in texts]
        people = [Participant(m.author or f"p{i}", m) for i, m in enumerate(maps)]
        load = median_time(lambda texts=texts: [procmap.loads(t) for t in texts], 3)
        took = median_time(lambda people=people: merge(people), 3)
        merged = merge(people)
        print(f"{n:>12} {n * steps:>9,} {len(merged.process.steps):>7,} {load:>7.3f}s {took:>7.3f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
