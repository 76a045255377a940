"""How long drawing a map takes, and how clean the drawing is.

1. **Speed**: for generated maps of 50, 500 and 5,000 steps across eight lanes,
   the median time of the swimlane layout, of the whole SVG (layout included, all
   overlays), of the PNG (SVG rasterised by resvg) and of the Mermaid text, with
   the number of edge crossings and the diagram's size. Target: 500 steps drawn
   (SVG) in under 1 s.
2. **Quality against the field**: every example map and generated maps, exported
   as BPMN with the customer as a lane, once with procmap's diagram and once
   without it, laid out by bpmn-auto-layout (Node, tests/js). Both drawings are
   measured the same way from their BPMNDI sequence flows: crossings (a horizontal
   run of one edge properly crossing a vertical run of another), bends (corners of
   the polylines), total edge length and the area of the box around every shape
   and waypoint. bpmn-auto-layout draws no lanes and places each element freely;
   procmap keeps every step in its actor's lane. Target: no more crossings than
   bpmn-auto-layout on every example.

    python benchmarks/render.py            # both tables (the second needs npm ci --prefix tests/js)
    python benchmarks/render.py --quick    # 20 and 50 steps, one example
    python benchmarks/render.py --quality  # the quality table only
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from _measure import machine_line, median_time, table  # noqa: E402
from generate import map_text  # noqa: E402

DI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"
WAYPOINT = "{http://www.omg.org/spec/DD/20100524/DI}waypoint"
QUALITY_SIZES = (50, 200)


def speed_rows(sizes: tuple[int, ...]) -> list[list[str]]:
    import procmap
    from procmap.diagram.mermaid import render_mermaid
    from procmap.diagram.png import svg_to_png
    from procmap.diagram.svg import OVERLAYS, RenderOptions, render_svg
    from procmap.layout import layout

    rows = []
    for n in sizes:
        process = procmap.loads(map_text(n))
        findings = procmap.check(process)
        repeats = 5 if n <= 500 else 3
        lay = layout(process)
        options = RenderOptions(overlays=frozenset(OVERLAYS), findings=findings)
        t_layout = median_time(lambda p=process: layout(p), repeats)
        t_svg = median_time(lambda p=process, o=options: render_svg(p, o), repeats)
        svg = render_svg(process, options)
        t_png = median_time(lambda s=svg: svg_to_png(s), repeats)
        t_mmd = median_time(lambda p=process: render_mermaid(p, frozenset(OVERLAYS)), repeats)
        rows.append([
            f"{len(process.steps)} steps, {len(process.flows)} flows",
            f"{t_layout:.3f} s", f"{t_svg:.3f} s",
            f"{t_png:.3f} s", f"{t_mmd:.3f} s",
            str(lay.crossings), f"{lay.width:.0f} × {lay.height:.0f}", f"{len(svg) // 1024} KiB",
        ])
    return rows


def measure(path: Path) -> dict[str, float]:
    """Crossings, bends, total edge length (px) and area (px²) of a BPMN file's diagram."""
    from lxml import etree

    from procmap.layout import EdgePath, count_crossings

    root = etree.parse(str(path)).getroot()
    kinds = {e.get("id"): etree.QName(e).localname for e in root.iter() if e.get("id")}
    xs: list[float] = []
    ys: list[float] = []
    for shape in root.iter(f"{DI}BPMNShape"):
        if kinds.get(shape.get("bpmnElement")) in ("participant", "lane"):
            continue
        b = shape.find(f"{DC}Bounds")
        x, y, w, h = (float(b.get(k)) for k in ("x", "y", "width", "height"))
        xs += [x, x + w]
        ys += [y, y + h]
    edges = []
    bends = 0
    length = 0.0
    for edge in root.iter(f"{DI}BPMNEdge"):
        if kinds.get(edge.get("bpmnElement")) != "sequenceFlow":
            continue
        points = tuple((float(p.get("x")), float(p.get("y"))) for p in edge.iter(WAYPOINT))
        xs += [p[0] for p in points]
        ys += [p[1] for p in points]
        bends += _bends(points)
        length += sum(abs(ax - bx) + abs(ay - by)
                      for (ax, ay), (bx, by) in zip(points, points[1:], strict=False))
        edges.append(EdgePath(edge.get("bpmnElement"), "", None, points, False, False))
    area = (max(xs) - min(xs)) * (max(ys) - min(ys)) if xs else 0.0
    return {"crossings": count_crossings(edges), "bends": bends, "length": length, "area": area}


def _bends(points: tuple[tuple[float, float], ...]) -> int:
    """Corners of a polyline: points where its direction changes."""
    count = 0
    for (ax, ay), (bx, by), (cx, cy) in zip(points, points[1:], points[2:], strict=False):
        if abs((bx - ax) * (cy - by) - (by - ay) * (cx - bx)) > 1e-6:
            count += 1
    return count


def quality_maps(quick: bool) -> list[tuple[str, object]]:
    import procmap

    examples = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
        (ROOT / "examples" / "marketing").glob("*.yaml")) + sorted(
        (ROOT / "docs" / "examples").glob("*.yaml"))
    maps = [(p.stem, procmap.load(p)) for p in examples
            if "\nprocmap: 1" in "\n" + p.read_text("utf-8")]
    if quick:
        return maps[:1]
    return [*maps, *((f"generated-{n}", procmap.loads(map_text(n))) for n in QUALITY_SIZES)]


def quality_rows(maps: list[tuple[str, object]]) -> list[list[str]]:
    from procmap.io.bpmn.writer import export_bpmn
    from procmap.layout import layout
    from tests.js.export import node

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain = []
        for name, process in maps:
            (folder / f"{name}.bpmn").write_bytes(export_bpmn(process, customer_as="lane"))
            path = folder / f"{name}.plain.bpmn"
            path.write_bytes(export_bpmn(process, customer_as="lane", diagram=False))
            plain.append(path)
        auto = node("autolayout.js", str(folder), *map(str, plain))
        for name, process in maps:
            ours = measure(folder / f"{name}.bpmn")
            theirs = measure(Path(auto[f"{name}.plain.bpmn"]["out"]))
            rows.append([
                name, str(layout(process).crossings),
                f"{ours['crossings']} / {theirs['crossings']}",
                f"{ours['bends']} / {theirs['bends']}",
                f"{ours['length'] / 1e3:.1f} / {theirs['length'] / 1e3:.1f}",
                f"{ours['area'] / 1e6:.2f} / {theirs['area'] / 1e6:.2f}",
            ])
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 and 50 steps, one example")
    parser.add_argument("--quality", action="store_true", help="the quality table only")
    args = parser.parse_args()
    print(machine_line("procmap render benchmark"))
    if not args.quality:
        sizes = (20, 50) if args.quick else (50, 500, 5000)
        header = ["map", "layout", "SVG (all)", "PNG", "Mermaid", "crossings", "size (px)",
                  "SVG size"]
        print("\n".join(table(header, speed_rows(sizes))))
        print("medians; SVG includes the layout and the overlays' analysis; PNG rasterises that"
              " SVG (scaled to at most 32,000 px a side)")
    from tests.js.export import ready

    why = ready()
    if why is not None:
        print(f"\nquality against bpmn-auto-layout skipped: {why}")
        return 0
    print("\nLayout quality, procmap / bpmn-auto-layout on the same BPMN (customer as a lane):")
    header = ["map", "SVG crossings", "crossings", "bends", "edge length (kpx)", "area (Mpx²)"]
    print("\n".join(table(header, quality_rows(quality_maps(args.quick)))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
