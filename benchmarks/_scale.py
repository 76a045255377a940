"""How large a log one machine takes: ``procmap discover`` from 1M to 50M events,
on DuckDB (bounded by ``--memory-limit``, spilling to its folder) and on local Spark.

Called by ``python benchmarks/mining.py --scale 1M,5M,10M,20M,50M``. The logs are
bpic2012's cases replicated (new case ids, times shifted by the log's span per
copy), as mining.py builds them, but written only as Parquet (and CSV with
``--scale-csv``): XES is not read by Spark, and a 50M-event XES takes longer to
write than to mine. Each command runs as a process of its own, once per size (a
run at 50M takes minutes); the table gives its seconds from start to exit and the
peak memory of its whole process tree (procmap and, on Spark, the JVM it starts),
sampled from ``/proc`` every 0.1 s, with the most that DuckDB had spilled to disk.
All DuckDB sizes run first, then Spark's from the smallest up, until ``--until``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FOLDER = ROOT / "build" / "bench-scale"
PAGE = os.sysconf("SC_PAGE_SIZE")


def build_log(events: int, folder: Path, csv: bool = False) -> dict:
    """A Parquet log (and a CSV one) of about ``events`` events made of bpic2012's
    cases: whole copies of the log, then the first cases of one more copy."""
    from mining import COLUMNS, SOURCE

    from procmap.mining.engine import Engine
    from procmap.mining.read import read_log

    folder.mkdir(parents=True, exist_ok=True)
    paths = {"parquet": folder / f"log-{events}.parquet"}
    if csv:
        paths["csv"] = folder / f"log-{events}.csv"
    if all(p.exists() for p in paths.values()) and (folder / f"log-{events}.json").exists():
        return {**json.loads((folder / f"log-{events}.json").read_text()), **paths}
    with Engine(temp_directory=str(folder / "spill-build")) as engine:
        log = read_log(SOURCE, engine)
        con = engine.con
        full, rest = divmod(events, log.events)
        span = con.execute("SELECT max(ts) - min(ts) + 86400 FROM log").fetchone()[0]
        # the cases of the last, partial copy: those whose events, counted in case
        # order, stay within what is left
        con.execute("CREATE TABLE last AS SELECT case_id FROM (SELECT case_id, sum(count(*)) "
                    "OVER (ORDER BY case_id) AS upto FROM log GROUP BY case_id) WHERE upto <= ?",
                    [rest])
        named = (f'case_id || \'-\' || k AS "{COLUMNS[0]}", activity AS "{COLUMNS[1]}", '
                 f'to_timestamp(ts + k * {span}) AS "{COLUMNS[2]}", resource AS "{COLUMNS[3]}", '
                 f"'COMPLETE' AS \"{COLUMNS[4]}\"")
        rows = (f"SELECT {named}, k, case_id, rownum FROM log, range({full + 1}) AS copies(k) "
                f"WHERE k < {full} OR case_id IN (SELECT case_id FROM last)")
        ordered = f"SELECT * EXCLUDE (k, case_id, rownum) FROM ({rows}) ORDER BY k, case_id, rownum"
        con.execute(f"COPY ({ordered}) TO '{paths['parquet']}' (FORMAT parquet)")
        if csv:
            con.execute(f"COPY (SELECT * REPLACE (strftime(\"{COLUMNS[2]}\", "
                        f"'%Y-%m-%dT%H:%M:%S.%g+00:00') AS \"{COLUMNS[2]}\") "
                        f"FROM read_parquet('{paths['parquet']}')) TO '{paths['csv']}' (HEADER)")
        actual = con.execute(f"SELECT count(*), count(DISTINCT \"{COLUMNS[0]}\") "
                             f"FROM read_parquet('{paths['parquet']}')").fetchone()
    shutil.rmtree(folder / "spill-build", ignore_errors=True)
    found = {"events": actual[0], "cases": actual[1]}
    (folder / f"log-{events}.json").write_text(json.dumps(found))
    return {**found, **paths}


# --- measuring a command -----------------------------------------------------------------


def _tree(root: int) -> list[int]:
    """``root`` and every process under it, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def _size(folder: Path) -> int:
    total = 0
    for path, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(path, name)).st_size
    return total


def measure(command: list[str], env: dict[str, str], spill: Path, timeout: float) -> dict:
    """Run ``command``; its seconds, the peak memory of its process tree and the
    most it spilled under ``spill``."""
    spill.mkdir(parents=True, exist_ok=True)
    peak = {"rss": 0, "spill": 0}
    done = threading.Event()
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)

    def watch() -> None:
        ticks = 0
        while not done.wait(0.1):
            peak["rss"] = max(peak["rss"], _rss(_tree(process.pid)))
            ticks += 1
            if ticks % 10 == 0:
                peak["spill"] = max(peak["spill"], _size(spill))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        _, err = process.communicate(timeout=timeout)
        failed = process.returncode != 0
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        err, failed = f"stopped after {timeout:.0f} s", True
    took = time.perf_counter() - started
    done.set()
    watcher.join()
    shutil.rmtree(spill, ignore_errors=True)
    return {"seconds": took, "peak_bytes": peak["rss"], "spilled_bytes": peak["spill"],
            "failed": (err or "").strip()[-600:] if failed else None}


def command(engine: str, log: Path, out: Path, memory_limit: str, spark_memory: str,
            spill: Path) -> list[str]:
    procmap = str(Path(sys.executable).parent / "procmap")
    found = [procmap, "discover", str(log), "-o", str(out / f"map-{engine}.yaml"),
             "--variants", str(out / f"variants-{engine}.md"), "--force", "--engine", engine]
    if engine == "duckdb":
        return [*found, "--memory-limit", memory_limit]
    return [*found, "--spark-conf", f"spark.driver.memory={spark_memory}",
            "--spark-conf", f"spark.local.dir={spill}"]


# --- the run -------------------------------------------------------------------------------


def _gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


def table(rows: list[dict]) -> list[str]:
    lines = ["| events | cases | format | engine | seconds | peak memory (process tree) "
             "| spilled to disk | same map as DuckDB |",
             "|---:|---:|---|---|---:|---:|---:|---|"]
    for r in rows:
        if r["failed"]:
            lines.append(f"| {r['events']:,} | {r['cases']:,} | {r['format']} | {r['engine']} | "
                         f"— | {_gib(r['peak_bytes'])} at the end | | {r['failed'].splitlines()[-1]} |")
            continue
        spilled = _gib(r["spilled_bytes"])
        same = "" if r["same"] is None else ("yes" if r["same"] else "NO")
        lines.append(f"| {r['events']:,} | {r['cases']:,} | {r['format']} | {r['engine']} | "
                     f"{r['seconds']:.1f} | {_gib(r['peak_bytes'])} | {spilled} | {same} |")
    return lines


def main(sizes: list[int], *, engines: list[str], memory_limit: str, spark_memory: str,
         until: datetime | None, csv: bool, json_path: Path | None, keep: bool,
         folder: Path = FOLDER) -> None:
    load = os.getloadavg()
    print(f"procmap scale benchmark · {os.cpu_count()} cores · "
          f"{os.sysconf('SC_PHYS_PAGES') * PAGE / 2**30:.0f} GiB · load {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f} · DuckDB --memory-limit {memory_limit} · Spark local[*], "
          f"spark.driver.memory={spark_memory} · started {datetime.now(UTC):%H:%M} UTC", flush=True)
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TMPDIR=str(folder / "spill"))
    formats = ["parquet", "csv"] if csv else ["parquet"]
    rows: list[dict] = []
    logs: dict[int, dict] = {}
    for engine in engines:
        stopped = False
        for size in sizes:
            if until and datetime.now(UTC) >= until:
                print(f"{engine} {size:,}: not started, past --until", file=sys.stderr, flush=True)
                stopped = True
            if stopped:
                continue
            if size not in logs:
                started = time.perf_counter()
                logs[size] = build_log(size, folder, csv)
                print(f"built {logs[size]['events']:,} events in {time.perf_counter() - started:.0f} s",
                      file=sys.stderr, flush=True)
            for fmt in formats:
                out = folder / f"out-{size}-{fmt}"
                out.mkdir(exist_ok=True)
                left = (until - datetime.now(UTC)).total_seconds() if until else 24 * 3600
                done = measure(command(engine, logs[size][fmt], out, memory_limit, spark_memory,
                                       folder / "spill"), env, folder / "spill", max(60.0, left))
                same = None
                if engine != "duckdb" and not done["failed"] and (out / "map-duckdb.yaml").exists():
                    same = ((out / "map-duckdb.yaml").read_bytes()
                            == (out / f"map-{engine}.yaml").read_bytes())
                row = {"events": logs[size]["events"], "cases": logs[size]["cases"], "format": fmt,
                       "engine": engine, "same": same, **done}
                rows.append(row)
                print(f"{row['events']:,} events, {fmt}, {engine}: {done['seconds']:.1f} s, peak "
                      f"{_gib(done['peak_bytes'])}, spilled {_gib(done['spilled_bytes'])}"
                      + (f", FAILED: {done['failed']}" if done["failed"] else "")
                      + ("" if same is None else f", same map: {same}"), file=sys.stderr, flush=True)
                if json_path:
                    json_path.write_text(json.dumps(rows, indent=2), encoding="utf-8")
                if done["failed"]:  # a larger log would fail too, or not finish in time
                    stopped = True
    if not keep:
        for size in logs:
            for fmt in formats:
                logs[size][fmt].unlink(missing_ok=True)
    load = os.getloadavg()
    print("\n".join(table(rows)))
    print(f"\nload average after the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
          f"· ended {datetime.now(UTC):%H:%M} UTC")


def run(args: argparse.Namespace) -> None:
    """The ``--scale`` run of mining.py, from its parsed arguments."""
    from mining import parse_size

    until = None
    if args.until:
        hour, minute = (int(x) for x in args.until.split(":"))
        until = datetime.now(UTC).replace(hour=hour, minute=minute, second=0, microsecond=0)
    main([parse_size(s) for s in args.scale.split(",")], engines=args.engines.split(","),
         memory_limit=args.memory_limit, spark_memory=args.spark_memory, until=until,
         csv=args.scale_csv, json_path=args.json, keep=args.keep_logs, folder=args.scale_folder)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """mining.py's options for the ``--scale`` run."""
    parser.add_argument("--scale", help="instead of the comparison with PM4Py: how large a log one "
                        "machine takes, e.g. 1M,5M,10M,20M,50M (DuckDB, then local Spark)")
    parser.add_argument("--engines", default="duckdb,spark", help="with --scale: the engines, in order")
    parser.add_argument("--memory-limit", default="4GB", help="with --scale: DuckDB's --memory-limit")
    parser.add_argument("--spark-memory", default="8g", help="with --scale: spark.driver.memory")
    parser.add_argument("--until", help="with --scale: start no command after this time (UTC, HH:MM)")
    parser.add_argument("--scale-csv", action="store_true", help="with --scale: CSV logs too")
    parser.add_argument("--scale-folder", type=Path, default=FOLDER,
                        help=f"with --scale: where the logs, maps and spill go [{FOLDER.relative_to(ROOT)}]")
    parser.add_argument("--keep-logs", action="store_true",
                        help="with --scale: keep the logs (a later run reuses them)")
