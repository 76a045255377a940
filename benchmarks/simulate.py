"""How fast ``procmap simulate`` runs, against what a user would pick instead.

1. **Correctness at scale**: an M/M/1 map at load 0.8 (a case every 10m, one step
   {mean: 8m, distribution: exponential}, capacity 1) over 10^6 cases: the mean wait
   before the step against 32 minutes (target: within 2%); M/M/3 against Erlang C;
   Little's law (L against λW, target: within 1%).
2. **Speed**: activities (rows of the simulated log) per second of CPU time, medians
   of several runs, of procmap's engine and of a SimPy model of the same map
   (``simpy_model.py``: the same compiled map and random streams, run the SimPy
   way), on the M/M/1 map and the bundled claims examples, at growing sizes.
   Target: at least 2x the SimPy model.
3. **Against Prosimos**: the claims map (without its waits, which Prosimos'
   parameters cannot say) exported as BPMN with a Prosimos parameter file written
   from the same map (``prosimos_files.py``), run by Prosimos from the package index
   in a venv of its own under build/ (created on first use; skipped with a message
   when it cannot be installed); events are rows of each tool's log, CPU time.
   Target: at least 25x Prosimos' events per second.
4. **Log distances**: the four measures of ``log-distance-measures`` (3-gram, absolute
   event, case arrival and cycle time distributions) on the LoanApp log of the corpus
   and its simulation, by the package and by procmap (the same figures).
5. **Memory**: peak resident memory added by a run of 10^6 cases (no log kept).

    python benchmarks/simulate.py            # everything (several minutes)
    python benchmarks/simulate.py --quick    # a smoke run: small sizes (too small for the
                                             # ratios to mean much), no Prosimos, no 10^6 runs
    python benchmarks/simulate.py --no-prosimos
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from _measure import extra_peak_mib, machine_line, table  # noqa: E402

MM1 = """\
procmap: 1
process: mm1
arrivals: every 10m
actors:
  clerk: {kind: team, capacity: CAP}
steps:
  serve: {actor: clerk, duration: {mean: MEAN, distribution: exponential}}
"""
CLAIMS = ROOT / "examples" / "simulate" / "claims-as-is.yaml"
CLAIMS_TO_BE = ROOT / "examples" / "simulate" / "claims-to-be.yaml"
PROSIMOS_VENV = ROOT / "build" / "bench-prosimos"


def mm(capacity: int, mean: str, gap: str = "10m"):
    import procmap

    return procmap.loads(MM1.replace("CAP", str(capacity)).replace("MEAN", mean)
                         .replace("every 10m", f"every {gap}"))


def erlang_c_wait(c: int, gap: float, service: float) -> float:
    a = service / gap
    top = a**c / math.factorial(c) / (1 - a / c)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top) * service / (c - a)


def correctness(cases: int) -> list[list[str]]:
    from procmap.simulation import simulate

    rows = []
    reps = 10
    r = simulate(mm(1, "8m"), cases=cases // reps, replications=reps, seed=1)
    wait = r.waiting["mean"].mean / 60
    rows.append([f"M/M/1 load 0.8, {cases:,} cases", "mean wait 32.00m",
                 f"{wait:.2f}m ± {r.waiting['mean'].half / 60:.2f}", f"{abs(wait / 32 - 1):.2%}",
                 "within 2%"])
    expected = erlang_c_wait(3, 4.0, 10.0)
    r3 = simulate(mm(3, "10m", "4m"), cases=cases // reps, replications=reps, seed=2)
    wait3 = r3.waiting["mean"].mean / 60
    rows.append([f"M/M/3 load 0.83, {cases:,} cases", f"Erlang C {expected:.2f}m",
                 f"{wait3:.2f}m ± {r3.waiting['mean'].half / 60:.2f}",
                 f"{abs(wait3 / expected - 1):.2%}", "within 2%"])
    worst = 0.0
    for rep in r.replication_data:
        lam = rep.arrivals_in_window / rep.window
        worst = max(worst, abs(rep.wip_area / rep.window / (lam * rep.cycle.mean()) - 1))
    rows.append(["Little's law, each replication", "L = λW", f"worst {worst:.3%}",
                 f"{worst:.3%}", "within 1%"])
    return rows


def cpu_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def speed(sizes: dict[str, list[int]], repeats: int) -> list[list[str]]:
    from simpy_model import run_simpy

    import procmap
    from procmap.simulation.engine import run_replication
    from procmap.simulation.model import compile_map

    maps = {"M/M/1": mm(1, "8m"), "claims as-is": procmap.load(CLAIMS),
            "claims to-be": procmap.load(CLAIMS_TO_BE)}
    rows = []
    for name, process in maps.items():
        model = compile_map(process)
        for n in sizes[name]:
            acts = run_replication(model, n, 0, 1, 0).activities
            ours = cpu_time(lambda m=model, n=n: run_replication(m, n, 0, 1, 0), repeats)
            theirs = cpu_time(lambda m=model, n=n: run_simpy(m, n), repeats)
            rows.append([name, f"{n:,}", f"{acts:,}", f"{acts / ours:,.0f}",
                         f"{acts / theirs:,.0f}", f"{theirs / ours:.1f}x"])
    return rows


def memory(cases: int) -> list[list[str]]:
    rows = []
    for name, path in (("M/M/1", None), ("claims as-is", CLAIMS)):
        src = str(ROOT / "src")
        setup = (f"import sys; sys.path.insert(0, {src!r}); import procmap\n"
                 "from procmap.simulation.engine import run_replication\n"
                 "from procmap.simulation.model import compile_map\n")
        if path is None:
            setup += f"process = procmap.loads({MM1.replace('CAP', '1').replace('MEAN', '8m')!r})\n"
        else:
            setup += f"process = procmap.load({str(path)!r})\n"
        setup += "model = compile_map(process)\n"
        work = f"run_replication(model, {cases}, 0, 1, 0)"
        mib = extra_peak_mib(setup, work)
        rows.append([name, f"{cases:,}", f"{mib:,.0f} MiB", f"{mib * 2**20 / cases:,.0f} B"])
    return rows


def distance_speed(corpus: Path, repeats: int = 3) -> list[list[str]]:
    """procmap's log distances against the log-distance-measures package, on the LoanApp log
    and its simulation (the same two logs)."""
    import gzip

    import pandas as pd

    import procmap
    from procmap.mining.options import LogOptions, open_log
    from procmap.simulation import simulate
    from procmap.simulation.distance import distances
    from procmap.simulation.fromlog import parameters_from_log, simulated_log_arrays

    source = corpus / "simulation" / "LoanApp_sequential_9-5_diffres_filtered.csv.gz"
    if not source.exists():
        return [["LoanApp log not found", str(source), "", "", ""]]
    try:
        from datetime import timedelta

        from log_distance_measures.absolute_event_distribution import (
            absolute_event_distribution_distance,
        )
        from log_distance_measures.case_arrival_distribution import (
            case_arrival_distribution_distance,
        )
        from log_distance_measures.config import EventLogIDs
        from log_distance_measures.cycle_time_distribution import (
            cycle_time_distribution_distance,
        )
        from log_distance_measures.n_gram_distribution import n_gram_distribution_distance
    except ImportError:
        return [["log-distance-measures not installed", "", "", "", ""]]
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "loan.csv"
        with gzip.open(source) as packed:
            log.write_bytes(packed.read())
        with open_log(log, LogOptions()) as events:
            fitted = parameters_from_log(procmap.discover(events).process, events)
    run = simulate(fitted.process, cases=1000, replications=1, log=True, unlimited=True)
    sim = simulated_log_arrays(run.model, run.replication_data[0], run.warm_up,
                               float(fitted.real.start.min()))
    ids = EventLogIDs(case="case", activity="activity", start_time="start", end_time="end")

    def frame(a) -> pd.DataFrame:
        return pd.DataFrame({"case": a.case.astype(str), "activity": a.activity,
                             "start": pd.to_datetime(a.start, unit="s", utc=True),
                             "end": pd.to_datetime(a.end, unit="s", utc=True)})

    real_df, sim_df = frame(fitted.real), frame(sim)

    def package() -> dict[str, float]:
        return {
            "n_gram_distance": n_gram_distribution_distance(real_df, ids, sim_df, ids, n=3),
            "absolute_event_distribution_hours": absolute_event_distribution_distance(
                real_df, ids, sim_df, ids),
            "case_arrival_distribution_hours": case_arrival_distribution_distance(
                real_df, ids, sim_df, ids),
            "cycle_time_distribution_hours": cycle_time_distribution_distance(
                real_df, ids, sim_df, ids, bin_size=timedelta(hours=1)),
        }

    ours_value, theirs_value = distances(fitted.real, sim), package()
    ours = cpu_time(lambda: distances(fitted.real, sim), repeats)
    theirs = cpu_time(package, repeats)
    same = all(abs(ours_value[k] - theirs_value[k]) <= 1e-9 * max(1, abs(theirs_value[k]))
               for k in theirs_value)
    return [[f"LoanApp {len(fitted.real.case):,} events vs simulated {len(sim.case):,}",
             f"{theirs:.3f}s", f"{ours:.3f}s", f"{theirs / ours:.0f}x",
             "equal" if same else "DIFFERENT"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; no Prosimos, no 10^6 runs")
    parser.add_argument("--no-prosimos", action="store_true", help="leave Prosimos out")
    args = parser.parse_args()
    print(machine_line("procmap simulate"))
    print("(a shared machine: CPU time, medians)")
    if args.quick:
        checks, sizes, repeats, big = 20_000, {"M/M/1": [2_000], "claims as-is": [300],
                                               "claims to-be": [300]}, 1, None
    else:
        checks, repeats, big = 1_000_000, 3, 1_000_000
        sizes = {"M/M/1": [10_000, 100_000], "claims as-is": [1_000, 10_000],
                 "claims to-be": [1_000, 10_000]}
    print()
    print("\n".join(table(["check", "theory", "simulated", "off by", "target"], correctness(checks))))
    print()
    rows = speed(sizes, repeats)
    print("\n".join(table(["map", "cases", "activities", "procmap act/s", "SimPy act/s",
                           "procmap/SimPy"], rows)))
    if not args.quick and not args.no_prosimos:
        print()
        print(prosimos_comparison())
    print()
    print("\n".join(table(["log distances (4 measures)", "package", "procmap", "faster",
                           "figures"], distance_speed(ROOT.parent / "shared" / "corpus", repeats))))
    if big:
        print()
        print("\n".join(table(["map", "cases", "peak memory added", "per case"], memory(big))))
    ratio = min(float(r[-1].rstrip("x")) for r in rows)
    print()
    print(f"target procmap/SimPy >= 2x: lowest {ratio:.1f}x")


# --- Prosimos --------------------------------------------------------------------------------

def prosimos_python() -> Path | None:
    """The Python of the Prosimos venv, installed on first use; None when it cannot be."""
    python = PROSIMOS_VENV / "bin" / "python"
    if python.exists() and subprocess.run([str(python), "-c", "import prosimos"],
                                          capture_output=True).returncode == 0:
        return python
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PROSIMOS_VENV)], check=True,
                       capture_output=True, timeout=300)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "prosimos"], check=True,
                       capture_output=True, timeout=1200)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"Prosimos left out: it could not be installed ({exc})")
        return None
    return python


def prosimos_comparison(sizes: tuple[int, ...] = (1_000, 5_000)) -> str:
    """Prosimos and procmap on the claims map without its waits, as BPMN + JSON and as YAML."""
    python = prosimos_python()
    if python is None:
        return "Prosimos: skipped (it could not be installed)"
    from prosimos_files import without_waits, write_prosimos_files

    import procmap
    from procmap.simulation.engine import run_replication
    from procmap.simulation.model import compile_map

    process = without_waits(procmap.load(CLAIMS))
    model = compile_map(process)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        bpmn, params = write_prosimos_files(process, Path(tmp))
        for cases in sizes:
            out = Path(tmp) / "log.csv"
            code = (
                "import time\n"
                "from prosimos.simulation_engine import run_simulation\n"
                "start = time.process_time()\n"
                f"run_simulation({str(bpmn)!r}, {str(params)!r}, {cases}, None, {str(out)!r}, "
                "starting_at='2026-01-05T00:00:00.000Z')\n"
                "print(time.process_time() - start)\n"
            )
            done = subprocess.run([str(python), "-c", code], capture_output=True, text=True,
                                  timeout=3600)
            if done.returncode != 0:
                return "Prosimos: failed on the claims map:\n" + done.stderr[-2000:]
            seconds = float(done.stdout.strip().splitlines()[-1])
            with out.open() as log:
                events = sum(1 for _ in log) - 1
            acts = run_replication(model, cases, 0, 1, 0).activities
            ours = cpu_time(lambda n=cases: run_replication(model, n, 0, 1, 0), 3)
            rows.append(["claims as-is, no waits", f"{cases:,}", f"{events:,}",
                         f"{events / seconds:,.0f}", f"{acts:,}", f"{acts / ours:,.0f}",
                         f"{(acts / ours) / (events / seconds):.0f}x"])
    return "\n".join(table(["map (BPMN + Prosimos JSON)", "cases", "Prosimos events",
                            "Prosimos ev/s", "procmap activities", "procmap act/s",
                            "procmap/Prosimos"], rows))


if __name__ == "__main__":
    main()
