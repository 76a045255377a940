"""How fast procmap loads maps, against the floor of a bare libyaml parse.

For generated maps of 100, 1,000, 10,000 and 100,000 steps and a catalog of
1,000 maps of 50 steps, prints the median wall time of

* the bare parse: reading the file(s) and ``yaml.load(text, Loader=CSafeLoader)``,
  as usually called and with Python's garbage collector paused (as procmap
  pauses it while it builds a map);
* ``procmap.load`` (``procmap.load_catalog`` for the catalog): parsing with
  locations, validation, reference checks and the flow graph;

their ratios, the time per 1,000 steps, and the peak memory each adds to a fresh
interpreter that has already imported the libraries. Target: procmap at most
1.5× the bare parse, and linear growth (per-1,000-step time at 100k within 1.5×
of the 10k figure).

    python benchmarks/load.py                  # the full table (about three minutes)
    python benchmarks/load.py --quick          # small sizes (a smoke test)
    python benchmarks/load.py --json out.json  # also write the results as JSON
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _measure import extra_peak_mib, machine_info, machine_line, median_time, table  # noqa: E402
from generate import write_catalog, write_map  # noqa: E402

SIZES = [100, 1_000, 10_000, 100_000]
QUICK_SIZES = [100, 1_000]
CATALOG_MAPS, QUICK_CATALOG_MAPS, CATALOG_STEPS = 1_000, 50, 50
RATIO_TARGET = 1.5
GROWTH_TARGET = 1.5

_MEMORY_SETUP = """
import sys
from pathlib import Path
import yaml
import procmap.model.graph  # networkx: the first load imports it, so it is part of the baseline
from procmap.io.yaml_loader import load
from procmap.io.files import find_map_files, load_catalog
how, path = sys.argv[1], Path(sys.argv[2])
files = find_map_files(path) if path.is_dir() else [path]
"""

_MEMORY_WORK = """
if how == "bare":
    kept = [yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for f in files]
elif path.is_dir():
    kept = load_catalog(path)
else:
    kept = load(path)
"""


@dataclass(frozen=True)
class Input:
    """One thing to load: a map file or a catalog folder, and how often to time it."""

    label: str
    target: Path
    steps: int
    repeats: int

    def files(self) -> list[Path]:
        """The map files the bare parse reads: the same ones procmap reads."""
        from procmap.io.files import find_map_files

        return find_map_files(self.target) if self.target.is_dir() else [self.target]


def make_inputs(folder: Path, quick: bool) -> list[Input]:
    """Generate the maps and the catalog into ``folder``."""
    inputs = [
        Input(f"map of {n:,} steps", write_map(folder / f"map-{n}", n), n, 3 if n >= 100_000 else 5)
        for n in (QUICK_SIZES if quick else SIZES)
    ]
    maps = QUICK_CATALOG_MAPS if quick else CATALOG_MAPS
    catalog = write_catalog(folder / "catalog", maps, CATALOG_STEPS)
    inputs.append(Input(f"catalog of {maps:,} maps", catalog, maps * CATALOG_STEPS, 3))
    return inputs


def bare_parse(files: list[Path]) -> None:
    """Read and parse each file with PyYAML's C loader, as it is usually called."""
    import yaml

    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def bare_parse_without_gc(files: list[Path]) -> None:
    """The bare parse with Python's garbage collector paused, as procmap pauses it."""
    gc.disable()
    try:
        bare_parse(files)
    finally:
        gc.enable()


def procmap_load(target: Path) -> object:
    """What a user calls: ``procmap.load`` for a file, ``load_catalog`` for a folder."""
    import procmap

    return procmap.load_catalog(target) if target.is_dir() else procmap.load(target)


def warm_up(first: Input) -> None:
    """Load once untimed, so imports and first-use costs stay out of the medians."""
    bare_parse(first.files())
    procmap_load(first.target)


def measure(item: Input) -> dict[str, object]:
    """Median times, ratios and peak memory of the bare parse and procmap for one input."""
    files = item.files()
    bare = median_time(lambda: bare_parse(files), item.repeats, before=gc.collect)
    bare_no_gc = median_time(lambda: bare_parse_without_gc(files), item.repeats, before=gc.collect)
    ours = median_time(lambda: procmap_load(item.target), item.repeats, before=gc.collect)
    return {
        "input": item.label,
        "files": len(files),
        "steps": item.steps,
        "repeats": item.repeats,
        "bare_s": bare,
        "bare_no_gc_s": bare_no_gc,
        "procmap_s": ours,
        "ratio": ours / bare,
        "ratio_no_gc": ours / bare_no_gc,
        "bare_ms_per_1000_steps": bare / item.steps * 1e6,
        "procmap_ms_per_1000_steps": ours / item.steps * 1e6,
        "bare_peak_mib": extra_peak_mib(_MEMORY_SETUP, _MEMORY_WORK, "bare", str(item.target)),
        "procmap_peak_mib": extra_peak_mib(_MEMORY_SETUP, _MEMORY_WORK, "procmap", str(item.target)),
    }


def table_lines(rows: list[dict[str, object]]) -> list[str]:
    """The results as an aligned plain-text table."""
    header = [
        "input", "steps", "bare parse", "bare no GC", "procmap", "÷ bare", "÷ no GC",
        "ms/1k steps", "bare MiB", "procmap MiB",
    ]
    cells = [
        [
            str(r["input"]),
            f"{r['steps']:,}",
            f"{r['bare_s']:.3f} s",
            f"{r['bare_no_gc_s']:.3f} s",
            f"{r['procmap_s']:.3f} s",
            f"{r['ratio']:.2f}×",
            f"{r['ratio_no_gc']:.2f}×",
            f"{r['procmap_ms_per_1000_steps']:.1f}",
            f"{r['bare_peak_mib']:.1f}",
            f"{r['procmap_peak_mib']:.1f}",
        ]
        for r in rows
    ]
    return table(header, cells)


def verdict(rows: list[dict[str, object]]) -> dict[str, object]:
    """Whether the target holds: the ratio everywhere, and growth from 10k to 100k steps."""
    worst = max(float(r["ratio"]) for r in rows)
    worst_no_gc = max(float(r["ratio_no_gc"]) for r in rows)
    per_1k = {r["steps"]: float(r["procmap_ms_per_1000_steps"]) for r in rows
              if str(r["input"]).startswith("map")}
    growth = per_1k[100_000] / per_1k[10_000] if {10_000, 100_000} <= per_1k.keys() else None
    return {
        "ratio_target": RATIO_TARGET,
        "worst_ratio": worst,
        "worst_ratio_no_gc": worst_no_gc,
        "ratio_met": worst <= RATIO_TARGET,
        "growth_target": GROWTH_TARGET,
        "growth_10k_to_100k": growth,
        "linear": None if growth is None else growth <= GROWTH_TARGET,
    }


def verdict_line(v: dict[str, object]) -> str:
    """The closing line: does procmap.load meet its target on this machine?"""
    ratio = (
        f"procmap.load ≤ {RATIO_TARGET}× the bare parse: {'met' if v['ratio_met'] else 'MISSED'} "
        f"(worst {v['worst_ratio']:.2f}×; {v['worst_ratio_no_gc']:.2f}× against the bare parse "
        "without GC)"
    )
    if v["linear"] is None:
        growth = "linear growth: not judged (needs the 10k and 100k maps; run without --quick)"
    else:
        growth = (
            f"linear growth: {'yes' if v['linear'] else 'NO'} (per-1,000-step time at 100k is "
            f"{v['growth_10k_to_100k']:.2f}× the 10k figure, limit {GROWTH_TARGET}×)"
        )
    holds = v["ratio_met"] and v["linear"] is not False
    return f"target {'holds' if holds else 'does NOT hold'}: {ratio}; {growth}"


def run(quick: bool) -> list[dict[str, object]]:
    """Generate the inputs in a temporary folder and measure each, reporting progress."""
    with tempfile.TemporaryDirectory(prefix="procmap-bench-") as tmp:
        inputs = make_inputs(Path(tmp), quick)
        warm_up(inputs[0])
        rows = []
        for item in inputs:
            print(f"measuring {item.label} ({item.repeats} repeats)…", file=sys.stderr, flush=True)
            rows.append(measure(item))
        return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 steps, 50 maps only")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    args = parser.parse_args()

    rows = run(args.quick)
    outcome = verdict(rows)
    print(machine_line("procmap load benchmark"))
    print("median wall time; ÷: procmap time over the bare parse (as usually called, and with")
    print("the garbage collector paused as procmap pauses it); MiB: peak RSS the load adds to")
    print("a fresh interpreter with the libraries imported\n")
    print("\n".join(table_lines(rows)))
    print()
    print(verdict_line(outcome))
    if args.json:
        payload = {"machine": machine_info(), "quick": args.quick, "rows": rows, "target": outcome}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
