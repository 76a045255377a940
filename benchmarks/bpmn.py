"""BPMN interchange: import and export times, and the export's layout against bpmn-auto-layout.

1. **Speed**: median times of importing and exporting the largest corpus file and
   generated models of about 1,000 and 10,000 BPMN elements (flow nodes, sequence
   and message flows; see ``generate.py``), and of a 10,000-step map. Export
   includes the swimlane layout and the diagram. Target: 10,000 elements
   imported in under 1 s.
2. **Layout quality**: each example map and a generated one exported with the
   customer as a lane (bpmn-auto-layout lays out one process and ignores message
   flows), once with procmap's diagram and once without, laid out by
   bpmn-auto-layout (Node, tests/js). Both are measured the same way from the
   BPMNDI: edge crossings of the sequence flows (a horizontal run of one edge
   crossing a vertical run of another) and the area of the box around every flow
   node shape and waypoint. bpmn-auto-layout draws no lanes, so it may place a step
   anywhere; procmap keeps each step in its actor's lane.

    python benchmarks/bpmn.py            # the full tables (needs npm ci --prefix tests/js)
    python benchmarks/bpmn.py --quick    # tiny sizes, for the smoke test
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from _measure import machine_line, median_time  # noqa: E402
from generate import map_text  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "bpmn"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"
ELEMENTS_PER_STEP = 3.15  # what a generated step becomes: the task, its flows, gateways, events


def element_count(path: Path) -> int:
    """Flow nodes, sequence flows and message flows in a BPMN file."""
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    return len(root.xpath("//b:process/*[not(self::b:laneSet)] | //b:messageFlow",
                          namespaces={"b": BPMN}))


def geometry(path: Path) -> tuple[int, float, int]:
    """Edge crossings, area (px²) and flow-node count of a file's diagram."""
    from lxml import etree

    from procmap.layout import EdgePath, count_crossings

    root = etree.parse(str(path)).getroot()
    kinds = {e.get("id"): etree.QName(e).localname for e in root.iter() if e.get("id")}
    xs: list[float] = []
    ys: list[float] = []
    nodes = 0
    for shape in root.iter(f"{DI}BPMNShape"):
        if kinds.get(shape.get("bpmnElement")) in ("participant", "lane"):
            continue
        b = shape.find(f"{DC}Bounds")
        x, y, w, h = (float(b.get(k)) for k in ("x", "y", "width", "height"))
        xs += [x, x + w]
        ys += [y, y + h]
        nodes += 1
    edges = []
    for edge in root.iter(f"{DI}BPMNEdge"):
        if kinds.get(edge.get("bpmnElement")) != "sequenceFlow":
            continue
        points = tuple((float(p.get("x")), float(p.get("y"))) for p in edge.iter(
            "{http://www.omg.org/spec/DD/20100524/DI}waypoint"))
        xs += [p[0] for p in points]
        ys += [p[1] for p in points]
        edges.append(EdgePath(edge.get("bpmnElement"), "", None, points, False, False))
    area = (max(xs) - min(xs)) * (max(ys) - min(ys)) if xs else 0.0
    return count_crossings(edges), area, nodes


def speed_rows(folder: Path, sizes: list[tuple[str, int]], repeats: int) -> list[list[str]]:
    import procmap
    from procmap.io.bpmn.reader import read_bpmn
    from procmap.io.bpmn.writer import export_bpmn

    rows = []
    inputs: list[tuple[str, Path]] = []
    corpus = sorted(CORPUS.glob("*/*.bpmn"), key=lambda p: p.stat().st_size)
    if corpus:
        largest = corpus[-1]
        inputs.append((f"largest corpus file ({largest.parent.name}/{largest.name})", largest))
    for label, steps in sizes:
        path = folder / f"generated-{steps}.bpmn"
        path.write_bytes(export_bpmn(procmap.loads(map_text(steps))))
        inputs.append((label, path))
    for label, path in inputs:
        process = read_bpmn(path).process
        took_in = median_time(lambda path=path: read_bpmn(path), repeats, before=gc.collect)
        took_out = median_time(lambda process=process: export_bpmn(process), repeats, before=gc.collect)
        rows.append([label, f"{element_count(path):,}", f"{len(process.steps):,}",
                     f"{path.stat().st_size / 2**20:.2f}", f"{took_in:.3f}", f"{took_out:.3f}"])
    return rows


def layout_rows(folder: Path, maps: list[tuple[str, object]]) -> list[list[str]]:
    from procmap.io.bpmn.writer import export_bpmn
    from tests.js.export import node

    plain = []
    for name, process in maps:
        (folder / f"{name}.bpmn").write_bytes(export_bpmn(process, customer_as="lane"))
        path = folder / f"{name}.plain.bpmn"
        path.write_bytes(export_bpmn(process, customer_as="lane", diagram=False))
        plain.append(path)
    auto = node("autolayout.js", str(folder), *map(str, plain))
    rows = []
    for name, _ in maps:
        ours = geometry(folder / f"{name}.bpmn")
        theirs = geometry(Path(auto[f"{name}.plain.bpmn"]["out"]))
        rows.append([name, f"{ours[2]} / {theirs[2]}", f"{ours[0]}", f"{theirs[0]}",
                     f"{ours[1] / 1e6:.2f}", f"{theirs[1] / 1e6:.2f}"])
    return rows


def markdown(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, numbers (all columns but the first) aligned right."""
    lines = [header, ["---", *["---:"] * (len(header) - 1)], *rows]
    return "\n".join(f"| {' | '.join(cells)} |" for cells in lines)


def main() -> int:
    import procmap

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one example")
    args = parser.parse_args()
    if args.quick:
        sizes, repeats = [("generated, ~100 elements", 32)], 1
    else:
        sizes = [("generated, ~1,000 elements", round(1_000 / ELEMENTS_PER_STEP)),
                 ("generated, ~10,000 elements", round(10_000 / ELEMENTS_PER_STEP)),
                 ("generated, 10,000 steps", 10_000)]
        repeats = 5
    examples = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
        (ROOT / "examples" / "marketing").glob("*.yaml")) + sorted(
        (ROOT / "docs" / "examples").glob("*.yaml"))
    maps = [(p.stem, procmap.load(p)) for p in examples
            if "\nprocmap: 1" in "\n" + p.read_text("utf-8")]
    maps = maps[:1] if args.quick else [*maps, ("generated-200", procmap.loads(map_text(200)))]
    print(machine_line("procmap BPMN benchmark"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"\n### Import and export (median of {repeats} runs, seconds)\n")
        rows = speed_rows(folder, sizes, repeats)
        print(markdown(["input", "BPMN elements", "steps", "MiB", "import s", "export s"],
                       rows))
        print("\n### Layout: procmap's diagram vs bpmn-auto-layout (customer as a lane)\n")
        rows = layout_rows(folder, maps)
        print(markdown(["map", "shapes procmap / auto", "crossings procmap", "crossings auto",
                        "area procmap Mpx²", "area auto Mpx²"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
