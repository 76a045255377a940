"""Where discovery's time goes: reading the log's summaries, mining, replay, building the map.

``procmap discover`` reads a log's summaries with the engine (variants, durations,
each activity's counts), mines a process tree for each noise threshold it tries
(0.2, 0.1, 0.3, 0), builds each map and replays every case through it to choose
the best (token-based fitness and precision). This script times those stages
inside one process in CPU seconds (the engine's threads count in the summaries;
on a shared machine the wall time is mostly waiting for a core, so the last
column gives it apart), on logs made of bpic2012's cases replicated (as
``benchmarks/mining.py`` makes them, read from Parquet), each log read once and
discovered ``--repeats`` times; each cell is the median, in seconds. Beside it, in
the same run, PM4Py's inductive miner with noise threshold 0.2 (IMf, what a user of
PM4Py would run for a block-structured map; wall seconds, against procmap's wall)
on the same log, up to ``--pm4py-up-to`` events.

    python benchmarks/discovery_speed.py                       # 1k, 100k and 1M events
    python benchmarks/discovery_speed.py --sizes 1M,5M --repeats 5 --pm4py-up-to 0
    python benchmarks/discovery_speed.py --log build/log.parquet
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("TQDM_DISABLE", "1")

STAGES = ("summaries", "mining", "replay", "map", "total", "total wall")


def build(events: int, folder: Path) -> Path:
    """A Parquet log of about ``events`` events made from bpic2012 (as benchmarks/mining.py)."""
    from mining import SOURCE

    from procmap.mining.engine import Engine
    from procmap.mining.read import read_log

    path = folder / f"log-{events}.parquet"
    with Engine() as engine:
        log = read_log(SOURCE, engine)
        con = engine.con
        copies = -(-events // log.events)
        span = con.execute("SELECT max(ts) - min(ts) + 86400 FROM log").fetchone()[0]
        cases = max(1, round(events / log.events * log.cases))
        con.execute(
            "CREATE TABLE scaled AS SELECT case_id || '-' || k AS c, activity AS a, "
            "to_timestamp(ts + k * ?) AS t, resource AS r, rownum AS n, k "
            "FROM log, range(?) AS copies(k)", [span, copies])
        con.execute(f"CREATE TABLE wanted AS SELECT c FROM (SELECT DISTINCT c, k FROM scaled) "
                    f"ORDER BY k, c LIMIT {cases}")
        con.execute(f"COPY (SELECT c AS \"case:concept:name\", a AS \"concept:name\", t AS "
                    f"\"time:timestamp\", r AS \"org:resource\" FROM scaled SEMI JOIN wanted USING (c) "
                    f"ORDER BY k, c, n) TO '{path}' (FORMAT parquet)")
    return path


def stages(path: Path, repeats: int) -> tuple[int, dict[str, list[float]]]:
    """Each stage's seconds in each of ``repeats`` discoveries of the log at ``path``."""
    from procmap.mining import discover as found
    from procmap.mining import stats
    from procmap.mining.options import LogOptions, open_log

    spent: dict[str, float] = defaultdict(float)

    def timed(module, name: str, stage: str) -> None:
        original = getattr(module, name)

        def run(*args, **kwargs):
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[stage] += time.process_time() - started
        setattr(module, name, run)

    for name in ("prepare", "variants", "variant_durations", "case_durations", "activities"):
        timed(stats, name, "summaries")
    timed(found, "discover_blocks", "mining")
    timed(found, "quality", "replay")
    times: dict[str, list[float]] = {stage: [] for stage in STAGES}
    with open_log(path, LogOptions(), warn=lambda text: None) as log:
        for _ in range(repeats):
            spent.clear()
            started, cpu = time.perf_counter(), time.process_time()
            found.discover(log)
            total = time.process_time() - cpu
            times["total wall"].append(time.perf_counter() - started)
            for stage in ("summaries", "mining", "replay"):
                times[stage].append(spent[stage])
            times["map"].append(total - sum(spent.values()))
            times["total"].append(total)
        return log.events, times


def pm4py_inductive(path: Path, repeats: int) -> list[float]:
    """Seconds of PM4Py's inductive miner (noise threshold 0.2) on the log, read beforehand."""
    import pandas as pd

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        import pm4py  # its licence banner: not into the table

        frame = pd.read_parquet(path, columns=["case:concept:name", "concept:name", "time:timestamp"])
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            pm4py.discover_process_tree_inductive(frame, noise_threshold=0.2)
            times.append(time.perf_counter() - started)
        return times


def main() -> None:
    from mining import parse_size

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,100k,1M", help="comma-separated sizes, e.g. 1M,5M")
    parser.add_argument("--log", type=Path, action="append", help="time this log instead (repeatable)")
    parser.add_argument("--repeats", type=int, default=5, help="discoveries of each log (median)")
    parser.add_argument("--pm4py-up-to", default="100k",
                        help="time PM4Py's inductive miner on logs up to this size (0: never)")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"discovery stages · {os.cpu_count()} cores · load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
          f" · Python {sys.version.split()[0]} · median of {args.repeats} (seconds)\n")
    header = ["events", *STAGES, "PM4Py IMf", "IMf ÷ total"]
    print("| " + " | ".join(header) + " |\n|" + "---:|" * len(header))
    pm4py_up_to = parse_size(args.pm4py_up_to)
    with tempfile.TemporaryDirectory(prefix="procmap-discovery-") as tmp:
        logs = args.log or [build(parse_size(s), Path(tmp)) for s in args.sizes.split(",")]
        for path in logs:
            events, times = stages(path, args.repeats)
            cells = [f"{events:,}"] + [f"{statistics.median(times[s]):.3f}" for s in STAGES]
            if events <= pm4py_up_to:
                theirs = statistics.median(pm4py_inductive(path, args.repeats))
                cells += [f"{theirs:.3f}", f"{theirs / statistics.median(times['total wall']):.1f}×"]
            else:
                cells += ["—", "—"]
            print("| " + " | ".join(cells) + " |", flush=True)
    load = os.getloadavg()
    print(f"\nload average after the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
