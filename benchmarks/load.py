"""How fast procmap loads maps, against the floor of a bare libyaml parse.

For generated maps of 100, 1,000, 10,000 and 100,000 steps and a catalog of
1,000 maps of 50 steps, prints the median time of

* the bare parse: reading the file(s) and ``yaml.load(text, Loader=CSafeLoader)``;
* ``procmap.load`` (``procmap.load_catalog`` for the catalog): parsing with
  locations, validation, reference checks and the flow graph;

their ratio, the time per 1,000 steps, and the extra peak memory of each in a
fresh process. Target: procmap at most 1.5× the bare parse, and linear growth.

    python benchmarks/load.py            # the full table (about two minutes)
    python benchmarks/load.py --quick    # small sizes (a smoke test)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _measure import machine_line, median_time, peak_rss_mib  # noqa: E402
from generate import write_catalog, write_map  # noqa: E402

_MEMORY = """
import sys
from pathlib import Path
import yaml, procmap
from procmap.model.catalog import find_map_files
how, path = sys.argv[1], Path(sys.argv[2])
files = find_map_files(path) if path.is_dir() else [path]
before = peak_kib()
if how == "bare":
    kept = [yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for f in files]
elif path.is_dir():
    kept = procmap.load_catalog(path)
else:
    kept = procmap.load(path)
    kept.graph
after = peak_kib()
print(max(0, after - before))
"""


def bare_parse(paths: list[Path]) -> None:
    import yaml

    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def bare_parse_without_gc(paths: list[Path]) -> None:
    """The bare parse with Python's garbage collector paused, as procmap runs its own."""
    import gc

    gc.disable()
    try:
        bare_parse(paths)
    finally:
        gc.enable()


def measure(label: str, target: Path, steps: int, repeats: int) -> dict[str, float | str]:
    import procmap
    from procmap.model.catalog import find_map_files

    files = find_map_files(target) if target.is_dir() else [target]
    if target.is_dir():
        load = lambda: procmap.load_catalog(target)  # noqa: E731
    else:
        load = lambda: procmap.load(target).graph  # noqa: E731
    bare = median_time(lambda: bare_parse(files), repeats)
    bare_no_gc = median_time(lambda: bare_parse_without_gc(files), repeats)
    ours = median_time(load, repeats)
    return {
        "input": label,
        "steps": steps,
        "bare_s": bare,
        "bare_no_gc_s": bare_no_gc,
        "procmap_s": ours,
        "ratio": ours / bare,
        "ratio_no_gc": ours / bare_no_gc,
        "procmap_ms_per_1000_steps": ours / steps * 1e6,
        "bare_peak_mib": peak_rss_mib(_MEMORY, "bare", str(target)),
        "procmap_peak_mib": peak_rss_mib(_MEMORY, "procmap", str(target)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    sizes = [100, 1_000] if args.quick else [100, 1_000, 10_000, 100_000]
    catalog_maps = 50 if args.quick else 1_000

    print(machine_line("procmap load benchmark"))
    print("median wall time; memory: extra peak RSS of the load in a fresh process\n")
    print("bare parse: yaml.load(CSafeLoader) as usually called; 'no GC': with the garbage")
    print("collector paused, as procmap.load does; ratios are procmap ÷ each\n")
    header = (
        f"{'input':<22} {'steps':>8} {'bare parse':>11} {'no GC':>8} {'procmap':>9} {'ratio':>6} "
        f"{'no GC':>6} {'ms/1k steps':>12} {'bare MiB':>9} {'procmap MiB':>12}"
    )
    print(header)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        inputs = [
            (f"map of {n:,} steps", write_map(Path(tmp) / f"m{n}", n), n, 3 if n >= 100_000 else 5)
            for n in sizes
        ]
        inputs.append(
            (f"catalog of {catalog_maps:,} maps", write_catalog(Path(tmp) / "catalog", catalog_maps, 50),
             catalog_maps * 50, 3)
        )
        for label, target, steps, repeats in inputs:
            row = measure(label, target, steps, repeats)
            rows.append(row)
            print(
                f"{label:<22} {steps:>8,} {row['bare_s']:>10.3f}s {row['bare_no_gc_s']:>7.3f}s "
                f"{row['procmap_s']:>8.3f}s {row['ratio']:>5.2f}× {row['ratio_no_gc']:>5.2f}× "
                f"{row['procmap_ms_per_1000_steps']:>11.1f} "
                f"{row['bare_peak_mib']:>9.1f} {row['procmap_peak_mib']:>12.1f}"
            )
    maps = [r for r in rows if not str(r["input"]).startswith("catalog")]
    worst = max(float(r["ratio"]) for r in rows)
    if not args.quick:
        per_10k = next(float(r["procmap_ms_per_1000_steps"]) for r in maps if r["steps"] == 10_000)
        per_100k = next(float(r["procmap_ms_per_1000_steps"]) for r in maps if r["steps"] == 100_000)
        print(
            f"\ntarget ≤ 1.5× the bare parse: {'met' if worst <= 1.5 else 'MISSED'} (worst {worst:.2f}×, "
            f"{max(float(r['ratio_no_gc']) for r in rows):.2f}× against the bare parse without GC); "
            f"linear growth: {'yes' if per_100k <= 1.5 * per_10k else 'NO'} "
            f"({per_10k:.1f} ms per 1,000 steps at 10k, {per_100k:.1f} at 100k)"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
