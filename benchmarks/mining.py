"""Discovery from an event log as a user waits for it: procmap's CLI against PM4Py's best.

Builds logs by replicating the cases of the corpus's ``bpic2012.xes.gz`` (new case
ids, times shifted by the span of the log per copy) as CSV, Parquet and gzipped
XES. Then times whole commands, each a process of its own, from the moment it is
started to the moment it exits (start-up and imports included, as a user waits):

* **procmap**: ``procmap discover LOG -o map.yaml --variants variants.md`` (reads
  the log, orders each case's events, counts the directly-follows pairs with their
  waits and the variants, and draws the map);
* **PM4Py**: a Python script doing the same work with PM4Py at its best: XES
  through the Rust importer (``rustxes``, installed for the benchmark only), CSV
  through pandas' pyarrow engine reading only the case, activity and time columns,
  Parquet through ``pandas.read_parquet`` with those columns; then
  ``discover_dfg``, ``discover_performance_dfg`` (the waits) and ``get_variants``;
* **PM4Py + IM**: the same script, and PM4Py's inductive miner
  (``discover_process_tree_inductive``) for a block-structured model, as procmap's
  discovery draws one;
* the **floor**: DuckDB's bare scan of the case, activity and time columns (a
  Python process that imports DuckDB and scans), and for XES ``zcat`` (only
  decompressing the file).

The commands run interleaved (one run of each in turn, ``--repeats`` rounds), so a
busy spell of a shared machine falls on all of them; each cell is the median with
the spread (fastest–slowest). The answers are compared in the run: the cases, the
events, every variant with its count and every directly-follows pair with its count
(procmap's pairs counted from the variants it wrote) must be PM4Py's.

    python benchmarks/mining.py                        # 1k, 1M and 5M events, 5 rounds
    python benchmarks/mining.py --sizes 20k --repeats 3
    python benchmarks/mining.py --im-formats parquet --im-up-to 1M --up-to csv=1M,xes.gz=1M
    python benchmarks/mining.py --table-from build/mining.json

The commands run with Python's bytecode caches, as an installed procmap and PM4Py
do. ``--im-formats``, ``--im-up-to`` and ``--up-to`` leave out the slowest
cells where a full run would not fit the time there is (the header and the table
say what was run: a cell left out is "—").
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = Path(os.environ.get("PROCMAP_CORPUS", ROOT.parent / "shared" / "corpus"))
SOURCE = CORPUS / "logs" / "bpic2012.xes.gz"
FORMATS = ("csv", "parquet", "xes.gz")
COLUMNS = ("case:concept:name", "concept:name", "time:timestamp", "org:resource",
           "lifecycle:transition")
PROCMAP = Path(sys.executable).parent / "procmap"
BENCH_SITE = Path(sys.prefix) / "bench-site"
"""Where ``make bench`` installs rustxes (and polars) for PM4Py, outside the project's
environment so that the tests' PM4Py keeps its own reader."""


def parse_size(text: str) -> int:
    """``100k``, ``1M``, ``5M`` or a plain number of events."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


# --- building the logs --------------------------------------------------------------------


def build_logs(events: int, folder: Path, formats: tuple[str, ...] = FORMATS) -> dict:
    """CSV, Parquet and gzipped XES logs (those of ``formats``) of about ``events`` events
    made from bpic2012."""
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
        if "csv" in formats:
            con.execute(f"COPY (SELECT c AS \"{COLUMNS[0]}\", a AS \"{COLUMNS[1]}\", "
                        f"strftime(t, '%Y-%m-%dT%H:%M:%S.%g+00:00') AS \"{COLUMNS[2]}\", "
                        f"r AS \"{COLUMNS[3]}\", l AS \"{COLUMNS[4]}\" FROM out ORDER BY k, c, n) "
                        f"TO '{paths['csv']}' (HEADER, DELIMITER ',')")
        if "xes.gz" in formats:
            rows = con.execute("SELECT c, a, strftime(t, '%Y-%m-%dT%H:%M:%S.%g+00:00'), r "
                               "FROM out ORDER BY k, c, n")
            _write_xes(rows, paths["xes.gz"])
        actual = con.execute("SELECT count(*) FROM out").fetchone()[0]
    return {"events": actual, **paths}


def _write_xes(cursor, path: Path) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
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


# --- the commands ----------------------------------------------------------------------------

PM4PY = """
import json, sys, warnings
warnings.simplefilter("ignore")
import pandas as pd
import pm4py

fmt, path, answers = sys.argv[1], sys.argv[2], sys.argv[3]
keys = ["case:concept:name", "concept:name", "time:timestamp"]
if fmt == "xes.gz":
    df = pm4py.read_xes(path, show_progress_bar=False)  # rustxes, when it is installed
elif fmt == "csv":
    df = pd.read_csv(path, engine="pyarrow", usecols=keys)
else:
    df = pd.read_parquet(path, columns=keys)
if not isinstance(df["time:timestamp"].dtype, pd.DatetimeTZDtype):
    df["time:timestamp"] = pd.to_datetime(df["time:timestamp"], utc=True, format="ISO8601")
dfg = pm4py.discover_dfg(df)[0]
waits = pm4py.discover_performance_dfg(df)[0]
variants = pm4py.get_variants(df)
if "--inductive" in sys.argv:
    tree = pm4py.discover_process_tree_inductive(df)
with open(answers, "w") as out:
    json.dump({"cases": int(df["case:concept:name"].nunique()), "events": len(df),
               "pairs": [[a, b, n] for (a, b), n in dfg.items()],
               "waits": len(waits),
               "variants": [[list(v), n] for v, n in variants.items()]}, out)
"""

SCAN = """
import sys
import duckdb
fmt, path = sys.argv[1], sys.argv[2]
reader = "read_parquet" if fmt == "parquet" else "read_csv"
used = ", ".join(f'max(hash("{c}"))' for c in ("case:concept:name", "concept:name", "time:timestamp"))
duckdb.connect().execute(f"SELECT count(*), {used} FROM {reader}('{path}')").fetchall()
"""


def commands(fmt: str, log: Path, out: Path, inductive: bool = True) -> dict[str, list[str]]:
    """The commands timed on one log, by column."""
    python = [sys.executable, "-c"]
    found = {
        "procmap": [str(PROCMAP), "discover", str(log), "-o", str(out / "map.yaml"),
                    "--variants", str(out / "variants.md"), "--force"],
        "PM4Py": [*python, PM4PY, fmt, str(log), str(out / "pm4py.json")],
    }
    if inductive:
        found["PM4Py + IM"] = [*python, PM4PY, fmt, str(log), str(out / "pm4py-im.json"),
                               "--inductive"]
    if fmt == "xes.gz":
        found["floor"] = ["sh", "-c", f"zcat '{log}' > /dev/null"]
    else:
        found["floor"] = [*python, SCAN, fmt, str(log)]
    return found


def pm4py_env() -> dict[str, str]:
    """The commands' environment: rustxes on the path when make bench installed it, and
    Python's bytecode caches in use, as in an installed procmap and PM4Py (a
    ``PYTHONDONTWRITEBYTECODE`` of the calling shell would compile procmap's modules
    again in every run)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if BENCH_SITE.is_dir():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH_SITE), env.get("PYTHONPATH")]))
    return env


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The command's wall time, and its CPU time (user + system, every thread and child):
    the work it did, which a busy machine changes less than the wait."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} … failed:\n{done.stderr[-2000:]}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# --- the answers -------------------------------------------------------------------------


def procmap_answers(out: Path) -> dict:
    """Cases, events, variants and directly-follows pairs from procmap's variants file."""
    variants: Counter[tuple[str, ...]] = Counter()
    row = re.compile(r"^\| \d+ \| ([\d,]+) \| [\d.]+% \|(?: [^|]* \|)* (.*) \|$")
    for line in (out / "variants.md").read_text(encoding="utf-8").splitlines():
        found = row.match(line)  # | # | cases | share | … | activities |
        if found:
            variants[tuple(found.group(2).split(" → "))] += int(found.group(1).replace(",", ""))
    pairs: Counter[tuple[str, str]] = Counter()
    for acts, n in variants.items():
        for a, b in zip(acts, acts[1:], strict=False):
            pairs[a, b] += n
    return {"cases": sum(variants.values()), "events": sum(len(v) * n for v, n in variants.items()),
            "variants": variants, "pairs": pairs}


def pm4py_answers(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {"cases": data["cases"], "events": data["events"],
            "variants": Counter({tuple(v): n for v, n in data["variants"]}),
            "pairs": Counter({(a, b): n for a, b, n in data["pairs"]})}


def compare(mine: dict, theirs: dict) -> list[str]:
    """What differs between the two sides' answers (nothing, when they agree)."""
    differences = []
    for key in ("cases", "events"):
        if mine[key] != theirs[key]:
            differences.append(f"{key}: procmap {mine[key]:,}, PM4Py {theirs[key]:,}")
    for key in ("variants", "pairs"):
        if mine[key] != theirs[key]:
            only = len(set(mine[key]) ^ set(theirs[key]))
            counted = sum(mine[key][k] != theirs[key][k] for k in set(mine[key]) & set(theirs[key]))
            differences.append(f"{key}: {only} on one side only, {counted} counted differently")
    return differences


# --- the table ---------------------------------------------------------------------------

COLUMNS_SHOWN = ("procmap", "PM4Py", "PM4Py + IM", "floor")


def cell(times: list[float] | None) -> str:
    if not times:
        return "—"
    return f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})"


def ratio(times: dict[str, list[float]], a: str, b: str) -> str:
    if not times.get(a) or not times.get(b):
        return "—"
    return f"{statistics.median(times[a]) / statistics.median(times[b]):.1f}×"


def table(rows: list[dict]) -> list[str]:
    header = ["events", "format", "procmap", "PM4Py", "PM4Py + IM", "floor", "PM4Py ÷ procmap",
              "PM4Py + IM ÷ procmap", "procmap ÷ floor", "answers"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---:", "---"] + ["---:"] * 7
                                                              + ["---"]) + "|"]
    for r in rows:
        t = r["times"]
        floor = "zcat" if r["format"] == "xes.gz" else "DuckDB scan"
        lines.append("| " + " | ".join([
            f"{r['events']:,}", r["format"], *(cell(t.get(k)) for k in COLUMNS_SHOWN[:3]),
            f"{cell(t['floor'])} {floor}", ratio(t, "PM4Py", "procmap"),
            ratio(t, "PM4Py + IM", "procmap"), ratio(t, "procmap", "floor"),
            r["answers"]]) + " |")
    return lines


def cpu_table(rows: list[dict]) -> list[str]:
    """The CPU time of each command (user + system, median), for the rows that have it."""
    lines = ["| events | format | procmap CPU | PM4Py CPU | PM4Py + IM CPU | PM4Py ÷ procmap "
             "| PM4Py + IM ÷ procmap |", "|---:|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        if "cpu" not in r:
            continue
        c = r["cpu"]
        lines.append("| " + " | ".join([
            f"{r['events']:,}", r["format"], *(cell(c.get(k)) for k in COLUMNS_SHOWN[:3]),
            ratio(c, "PM4Py", "procmap"), ratio(c, "PM4Py + IM", "procmap")]) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,1M,5M", help="comma-separated sizes, e.g. 20k,1M")
    parser.add_argument("--repeats", type=int, default=5, help="rounds of every command (median)")
    parser.add_argument("--json", type=Path, help="also write the times and answers as JSON here")
    parser.add_argument("--without-im", action="store_true",
                        help="leave out the PM4Py + IM column (its miner takes minutes at 1M events)")
    parser.add_argument("--im-formats", default=",".join(FORMATS),
                        help="the formats whose PM4Py + IM column is timed (the miner's own "
                        "time does not depend on how the log was read), e.g. parquet")
    parser.add_argument("--im-up-to", help="time the PM4Py + IM column only up to this size")
    parser.add_argument("--up-to", default="",
                        help="formats timed only up to a size, e.g. csv=1M,xes.gz=1M")
    parser.add_argument("--table-from", type=Path,
                        help="print the table of an earlier run's --json file, and stop")
    import _scale  # --scale: how large a log one machine takes (benchmarks/_scale.py)

    _scale.add_arguments(parser)
    args = parser.parse_args()
    if args.scale:
        _scale.run(args)
        return
    if args.table_from:
        rows = json.loads(args.table_from.read_text(encoding="utf-8"))
        print("\n".join(table(rows)) + "\n\n" + "\n".join(cpu_table(rows)))
        return
    rustxes = (BENCH_SITE / "rustxes").is_dir()
    load = os.getloadavg()
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                            capture_output=True, text=True, check=False).stdout.strip()
    print(f"procmap mining benchmark · procmap {commit or '?'} · {os.cpu_count()} cores · load "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} · Python {sys.version.split()[0]} · "
          f"PM4Py's XES reader: {'rustxes' if rustxes else 'its own (rustxes missing: make bench)'}"
          f" · {args.repeats} rounds, interleaved · sizes {args.sizes}"
          + ("" if args.without_im else f" · PM4Py + IM on {args.im_formats}"
             + (f" up to {args.im_up_to}" if args.im_up_to else ""))
          + (f" · formats up to a size: {args.up_to}" if args.up_to else "") + "\n", flush=True)
    rows = []
    env = pm4py_env()
    # the bytecode caches an installed procmap has (pip compiles a package as it installs it)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "procmap")],
                   env=env, stdout=subprocess.DEVNULL, check=False)
    im_formats = set(args.im_formats.split(","))
    im_up_to = parse_size(args.im_up_to) if args.im_up_to else math.inf
    up_to = {f: parse_size(n) for f, n in (p.split("=") for p in args.up_to.split(",") if p)}
    with tempfile.TemporaryDirectory(prefix="procmap-mining-") as tmp:
        for size in [parse_size(s) for s in args.sizes.split(",")]:
            started = time.perf_counter()
            formats = tuple(f for f in FORMATS if size <= up_to.get(f, math.inf))
            logs = build_logs(size, Path(tmp), formats)
            print(f"built {logs['events']:,} events in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr, flush=True)
            for fmt in formats:
                out = Path(tmp) / f"out-{size}-{fmt}"
                out.mkdir()
                inductive = not args.without_im and fmt in im_formats and size <= im_up_to
                todo = commands(fmt, logs[fmt], out, inductive=inductive)
                times: dict[str, list[float]] = {name: [] for name in todo}
                cpu: dict[str, list[float]] = {name: [] for name in todo}
                for _ in range(args.repeats):
                    for name, command in todo.items():
                        wall, used = run_once(command, env)
                        times[name].append(wall)
                        cpu[name].append(used)
                differences = compare(procmap_answers(out), pm4py_answers(out / "pm4py.json"))
                mine = procmap_answers(out)
                answers = ("; ".join(differences) if differences else
                           f"same {mine['cases']:,} cases, {len(mine['variants']):,} variants, "
                           f"{len(mine['pairs']):,} pairs")
                rows.append({"events": logs["events"], "format": fmt, "times": times, "cpu": cpu,
                             "answers": answers, "agree": not differences})
                print(f"{logs['events']:,} events, {fmt}: " + ", ".join(
                    f"{k} {statistics.median(v):.2f} s" for k, v in times.items())
                    + f"; {answers}", file=sys.stderr, flush=True)
                if args.json:  # kept after every log: a long run's first rows are not lost
                    args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
            for fmt in FORMATS:
                logs[fmt].unlink(missing_ok=True)
    load = os.getloadavg()
    print("\n".join(table(rows)))
    print("\nCPU time (user + system, every thread), medians with the spread:\n")
    print("\n".join(cpu_table(rows)))
    print(f"\nload average after the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    if not all(r["agree"] for r in rows):
        raise SystemExit("procmap's and PM4Py's answers differ")


if __name__ == "__main__":
    main()
