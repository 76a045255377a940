"""How long a full analysis takes: every rule and the scorecard, on generated maps.

Prints, for maps of 1,000, 10,000 and 100,000 steps, the median time of a full
analysis as ``procmap analyze`` runs it (the recommended rules and the
scorecard), of the same with every rule (preset ``all``: one inventory finding
per Moment of Truth, Break Point and Business Rule on top), and the peak memory
of a run in a fresh process; then the time of the rules across a catalog of
1,000 maps of 50 steps, with the redundant-work rule (XF003) on its own. Each
run starts from a freshly loaded map, so nothing computed before is reused.

Targets: a 10,000-step map fully analysed in under 1 s; redundant work across the
1,000-map catalog in under 10 s.

    python benchmarks/analyze.py            # the full table
    python benchmarks/analyze.py --quick    # small sizes only (a smoke test)
    python benchmarks/analyze.py --catalog  # the 1,000-map catalog only
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _measure import machine_line, median_time, peak_rss_mib  # noqa: E402
from generate import write_catalog, write_map  # noqa: E402


def median_fresh(path: Path, run, repeats: int) -> float:
    """Median time of ``run(process)``, each time on a freshly loaded map."""
    import procmap

    times = []
    for _ in range(repeats):
        process = procmap.load(path)
        start = time.perf_counter()
        run(process)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


_CHILD = """
import resource, sys, procmap
from procmap.config import Config, Preset
from procmap.analysis.scorecard import analyze
kind, path = sys.argv[1], sys.argv[2]
before = peak_kib()
target = procmap.load_catalog(path) if kind == "catalog" else procmap.load(path)
config = Config(preset=Preset.ALL)
if kind == "catalog":
    procmap.check(target, config=config)
else:
    analyze(target, config=config)
after = peak_kib()
print(max(0, after - before))
"""


def bench_map(folder: Path, steps: int, repeats: int) -> dict[str, float]:
    import procmap
    from procmap.analysis.scorecard import analyze
    from procmap.config import Config, Preset

    path = write_map(folder, steps)
    every_rule = Config(preset=Preset.ALL)
    rules = median_fresh(path, lambda p: procmap.check(p), repeats)
    full = median_fresh(path, lambda p: analyze(p), repeats)
    full_all = median_fresh(path, lambda p: analyze(p, config=every_rule), repeats)
    return {
        "steps": steps,
        "rules_s": rules,
        "analysis_s": full,
        "analysis_all_rules_s": full_all,
        "per_1000_steps_ms": full / steps * 1e6,
        "peak_mib": peak_rss_mib(_CHILD, "map", str(path)),
    }


def bench_catalog(folder: Path, maps: int, steps: int, repeats: int) -> dict[str, float]:
    import procmap
    from procmap.config import Config, Preset

    write_catalog(folder, maps, steps)
    catalog = procmap.load_catalog(folder)
    config = Config(preset=Preset.ALL)
    xf003 = median_time(lambda: procmap.check(catalog, config=config, select=["XF003"]), repeats)
    everything = median_time(lambda: procmap.check(catalog, config=config), repeats)
    return {
        "maps": maps,
        "steps": maps * steps,
        "redundant_work_s": xf003,
        "all_rules_s": everything,
        "peak_mib": peak_rss_mib(_CHILD, "catalog", str(folder)),
    }



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--catalog", action="store_true", help="the 1,000-map catalog only")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    sizes = [] if args.catalog else [100, 1_000] if args.quick else [1_000, 10_000, 100_000]
    catalog_maps = 50 if args.quick else 1_000

    print(machine_line("procmap analysis benchmark"))
    print("median of repeats on freshly loaded maps; memory: peak RSS of loading and analysing,")
    print("above the interpreter with procmap imported, in a fresh process\n")
    results: dict[str, list[dict[str, float]]] = {"maps": [], "catalogs": []}
    with tempfile.TemporaryDirectory() as tmp:
        if sizes:
            print(f"{'steps':>8} {'rules':>10} {'analysis':>10} {'all rules':>10} "
                  f"{'per 1k steps':>13} {'peak MiB':>9}")
        for steps in sizes:
            repeats = 3 if steps >= 100_000 else 5
            row = bench_map(Path(tmp) / f"map-{steps}", steps, repeats)
            results["maps"].append(row)
            print(
                f"{steps:>8,} {row['rules_s']:>9.3f}s {row['analysis_s']:>9.3f}s "
                f"{row['analysis_all_rules_s']:>9.3f}s "
                f"{row['per_1000_steps_ms']:>11.1f}ms {row['peak_mib']:>9.1f}"
            )
        print(f"\n{'catalog':>16} {'XF003 alone':>12} {'all rules':>10} {'peak MiB':>9}")
        row = bench_catalog(Path(tmp) / "catalog", catalog_maps, 50, 3)
        results["catalogs"].append(row)
        print(
            f"{row['maps']:>5,} maps × 50 {row['redundant_work_s']:>11.3f}s "
            f"{row['all_rules_s']:>9.3f}s {row['peak_mib']:>9.1f}"
        )
    if not args.quick:
        targets = []
        ten_k = next((r for r in results["maps"] if r["steps"] == 10_000), None)
        if ten_k is not None:
            ok_map = ten_k["analysis_s"] < 1.0
            targets.append(f"10,000 steps < 1 s: {'met' if ok_map else 'MISSED'} "
                           f"({ten_k['analysis_s']:.3f} s)")
        ok_catalog = results["catalogs"][0]["redundant_work_s"] < 10.0
        targets.append(f"redundant work across 1,000 maps < 10 s: {'met' if ok_catalog else 'MISSED'} "
                       f"({results['catalogs'][0]['redundant_work_s']:.3f} s)")
        print("\ntarget " + "; ".join(targets))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
