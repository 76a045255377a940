"""Process mining on logs of 1M and 5M events: procmap (DuckDB) against PM4Py.

Builds logs by replicating the cases of the corpus's ``bpic2012.xes.gz`` (new
case ids, times shifted by the span of the log per copy) and writes each as
CSV, Parquet and XES in a temporary folder. Then, each in a fresh process of
its own, runs procmap and PM4Py on every format: reading the log, the
directly-follows graph with frequencies, the performance DFG (mean waits) and
the variants; and DuckDB's bare scan of the same file as the floor (``count(*)``,
which Parquet answers from its metadata, and a scan of the case, activity and
time columns). Prints the median wall time of each step and the peak memory of
each process (VmHWM) as a Markdown table.

PM4Py gets its best setup: its own XES reader; for CSV, pandas with typed
columns, the timestamp parsed as ISO 8601 and ``pm4py.format_dataframe``; for
Parquet, ``pandas.read_parquet`` and ``format_dataframe``. procmap computes the
frequencies and the mean waits of the pairs in one query, so its performance
DFG is part of its directly-follows row.

    python benchmarks/mining.py                       # 1M and 5M events (about 15 minutes)
    python benchmarks/mining.py --sizes 100k --repeats 1
    python benchmarks/mining.py --sizes 10M --only procmap
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from _measure import PEAK_KIB  # noqa: E402

CORPUS = Path(os.environ.get("PROCMAP_CORPUS", ROOT.parent / "shared" / "corpus"))
SOURCE = CORPUS / "logs" / "bpic2012.xes.gz"
FORMATS = ("csv", "parquet", "xes")
STEPS = ("read", "prepare", "dfg", "perf", "variants")
COLUMNS = ("case:concept:name", "concept:name", "time:timestamp", "org:resource",
           "lifecycle:transition")


def parse_size(text: str) -> int:
    """``100k``, ``1M``, ``5M`` or a plain number of events."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


# --- building the logs --------------------------------------------------------------------


def build_logs(events: int, folder: Path) -> dict[str, Path]:
    """CSV, Parquet and XES logs of about ``events`` events made from copies of bpic2012."""
    from procmap.mining.engine import Engine
    from procmap.mining.read import read_log

    paths = {fmt: folder / f"log-{events}.{fmt}" for fmt in FORMATS}
    with Engine() as engine:
        log = read_log(SOURCE, engine)
        con = engine.con
        copies = math.ceil(events / log.events)
        span = con.execute("SELECT max(ts) - min(ts) + 86400 FROM log").fetchone()[0]
        con.execute(
            "CREATE TABLE scaled AS SELECT case_id || '-' || k AS c, activity AS a, "
            "to_timestamp(ts + k * ?) AS t, resource AS r, 'COMPLETE' AS l, rownum AS n, k "
            "FROM log, range(?) AS copies(k)", [span, copies])
        cases = max(1, round(events / log.events * log.cases))
        con.execute(f"CREATE TABLE wanted AS SELECT c FROM (SELECT DISTINCT c, k FROM scaled) "
                    f"ORDER BY k, c LIMIT {cases}")
        con.execute("CREATE TABLE out AS SELECT s.* FROM scaled s SEMI JOIN wanted USING (c) "
                    "ORDER BY k, c, n")
        named = ", ".join(f'{x} AS "{name}"' for x, name in zip("catrl", COLUMNS, strict=True))
        con.execute(f"COPY (SELECT {named} FROM out ORDER BY k, c, n) TO '{paths['parquet']}' "
                    "(FORMAT parquet)")
        con.execute(f"COPY (SELECT c AS \"{COLUMNS[0]}\", a AS \"{COLUMNS[1]}\", "
                    f"strftime(t, '%Y-%m-%dT%H:%M:%S.%g+00:00') AS \"{COLUMNS[2]}\", "
                    f"r AS \"{COLUMNS[3]}\", l AS \"{COLUMNS[4]}\" FROM out ORDER BY k, c, n) "
                    f"TO '{paths['csv']}' (HEADER, DELIMITER ',')")
        rows = con.execute("SELECT c, a, strftime(t, '%Y-%m-%dT%H:%M:%S.%g+00:00'), r "
                           "FROM out ORDER BY k, c, n")
        _write_xes(rows, paths["xes"])
        actual = con.execute("SELECT count(*) FROM out").fetchone()[0]
    return {"events": actual, **paths}  # type: ignore[dict-item]


def _write_xes(cursor, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8" ?>\n'
                  '<log xes.version="1.0" xmlns="http://www.xes-standard.org/">\n')
        current = None
        while batch := cursor.fetchmany(100_000):
            parts = []
            for case, activity, ts, resource in batch:
                if case != current:
                    if current is not None:
                        parts.append("\t</trace>\n")
                    parts.append(f'\t<trace>\n\t\t<string key="concept:name" value="{escape(case)}"/>\n')
                    current = case
                parts.append(
                    f'\t\t<event>\n\t\t\t<string key="concept:name" value="{escape(activity)}"/>\n'
                    + (f'\t\t\t<string key="org:resource" value="{escape(resource)}"/>\n' if resource else "")
                    + '\t\t\t<string key="lifecycle:transition" value="COMPLETE"/>\n'
                    f'\t\t\t<date key="time:timestamp" value="{ts}"/>\n\t\t</event>\n')
            out.write("".join(parts))
        if current is not None:
            out.write("\t</trace>\n")
        out.write("</log>\n")


# --- the measured work, each in a process of its own -----------------------------------------

WORKER = PEAK_KIB + """
import json, sys, time, warnings
warnings.simplefilter("ignore")
tool, fmt, path = sys.argv[1], sys.argv[2], sys.argv[3]
times = {}
def timed(step, fn):
    start = time.perf_counter(); result = fn(); times[step] = time.perf_counter() - start
    return result
if tool == "procmap":
    from procmap.mining.engine import Engine
    from procmap.mining.read import read_log
    from procmap.mining import stats
    import duckdb, lxml.etree, pyarrow, rapidfuzz  # imported before the clock starts, as pm4py is
    engine = Engine()
    log = timed("read", lambda: read_log(path, engine))
    timed("prepare", lambda: stats.prepare(log))  # order the events of each case
    variants = timed("variants", lambda: stats.variants(log))
    pairs = timed("dfg", lambda: stats.directly_follows(log))
    size = (len(pairs), len(variants))
elif tool == "pm4py":
    import pandas as pd
    import pm4py
    def read():
        if fmt == "xes":
            return pm4py.read_xes(path, show_progress_bar=False)
        if fmt == "csv":
            df = pd.read_csv(path, dtype={"case:concept:name": "string", "concept:name": "string",
                                          "org:resource": "string", "lifecycle:transition": "string"})
            df["time:timestamp"] = pd.to_datetime(df["time:timestamp"], utc=True, format="ISO8601")
        else:
            df = pd.read_parquet(path)
        return pm4py.format_dataframe(df)
    df = timed("read", read)
    dfg = timed("dfg", lambda: pm4py.discover_dfg(df)[0])
    perf = timed("perf", lambda: pm4py.discover_performance_dfg(df)[0])
    variants = timed("variants", lambda: pm4py.get_variants(df))
    size = (len(dfg), len(variants))
else:  # the floor: DuckDB's bare scan
    import duckdb
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    timed("read", lambda: con.execute(f"SELECT count(*) FROM {reader}('{path}')").fetchall())
    # functions of the values, so that no answer comes from Parquet's statistics
    used = ", ".join(f'max(hash("{c}"))' for c in ("case:concept:name", "concept:name", "time:timestamp"))
    timed("columns", lambda: con.execute(f"SELECT {used} FROM {reader}('{path}')").fetchall())
    size = ()
print(json.dumps({"times": times, "peak_mib": peak_kib() / 1024, "size": list(size)}))
"""


def measure(tool: str, fmt: str, path: Path, repeats: int) -> dict:
    """Median times per step and the largest peak memory over ``repeats`` fresh processes."""
    runs = []
    for _ in range(repeats):
        result = subprocess.run([sys.executable, "-c", WORKER, tool, fmt, str(path)],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"{tool} on {path.name} failed:\n{result.stderr[-2000:]}")
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    steps = runs[0]["times"].keys()
    return {
        "times": {s: statistics.median(r["times"][s] for r in runs) for s in steps},
        "peak_mib": max(r["peak_mib"] for r in runs),
        "size": runs[0]["size"],
    }


# --- the table ---------------------------------------------------------------------------


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def report(events: int, results: dict) -> list[str]:
    rows = []
    for fmt in FORMATS:
        p, q = results.get(("procmap", fmt)), results.get(("pm4py", fmt))
        floor = results.get(("floor", fmt))
        for step in (*STEPS, "total"):
            mine = _total(p) if step == "total" else (p["times"].get(step) if p else None)
            theirs = _total(q) if step == "total" else (q["times"].get(step) if q else None)
            if step == "perf" and p:
                mine = None  # in the dfg row: one query gives frequencies and waits
            ratio = f"{theirs / mine:.1f}x" if mine and theirs else ""
            note = ""
            if step == "read":
                note = f"{events / mine / 1e3:,.0f}k events/s" if mine else ""
            if step == "total" and floor and mine:
                bare, columns = floor["times"]["read"], floor["times"]["columns"]
                note = (f"{mine / bare:.1f}x the bare scan ({_s(bare)}); {mine / columns:.1f}x a scan "
                        f"of the case, activity and time columns ({_s(columns)})")
            rows.append([fmt, step, _s(mine), _s(theirs), ratio,
                         f"{p['peak_mib']:,.0f}" if p and step == "total" else "",
                         f"{q['peak_mib']:,.0f}" if q and step == "total" else "", note])
    header = ["format", "step", "procmap", "PM4Py", "PM4Py / procmap", "procmap peak MiB",
              "PM4Py peak MiB", "note"]
    return [f"### {events:,} events", "", "| " + " | ".join(header) + " |",
            "|" + "|".join(["---"] * 2 + ["---:"] * 6) + "|",
            *("| " + " | ".join(r) + " |" for r in rows), ""]


def _total(result: dict | None) -> float | None:
    return sum(t for step, t in result["times"].items() if step in STEPS) if result else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1M,5M", help="comma-separated sizes, e.g. 100k,1M")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--only", choices=["procmap", "pm4py"], help="measure one tool (and the floor)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    tools = [t for t in ("procmap", "pm4py", "floor") if args.only in (None, t) or t == "floor"]
    print(f"procmap mining benchmark · {__import__('os').cpu_count()} cores · "
          f"Python {sys.version.split()[0]} · source {SOURCE.name}\n")
    everything = []
    with tempfile.TemporaryDirectory(prefix="procmap-mining-") as tmp:
        for size in [parse_size(s) for s in args.sizes.split(",")]:
            started = time.perf_counter()
            logs = build_logs(size, Path(tmp))
            print(f"built {logs['events']:,} events in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
            results = {}
            for fmt in FORMATS:
                for tool in tools:
                    if tool == "floor" and fmt == "xes":
                        continue
                    results[(tool, fmt)] = measure(tool, fmt, logs[fmt], args.repeats)
            print("\n".join(report(logs["events"], results)), flush=True)
            everything.append({"events": logs["events"],
                               "results": [{"tool": t, "format": f, **r} for (t, f), r in results.items()]})
            for fmt in FORMATS:
                logs[fmt].unlink()
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2), encoding="utf-8")
    print("\ntarget: XES read ≥10x PM4Py's events/s; end to end ≥10x PM4Py, "
          "within 5x of the bare scan")

if __name__ == "__main__":
    main()
