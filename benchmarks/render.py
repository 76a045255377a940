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
3. **Long maps wrapped**: the 502- and 5,002-step maps drawn in one band and wrapped
   at ``procmap render``'s default width (8,000 px): bands, size, median times of the
   layout and of the whole SVG, flows cut.
4. **Compact lanes**: every example and generated map laid out by the layout before
   compact lanes (``src/procmap/layout.py`` at commit b623bd9, read with ``git show``)
   and by today's: size, area and the mean lane height.

    python benchmarks/render.py            # both tables (the second needs npm ci --prefix tests/js)
    python benchmarks/render.py --quick    # 20 and 50 steps, one example
    python benchmarks/render.py --quality  # the quality table only
    python benchmarks/render.py --wrap     # the wrapping and compact-lanes tables only
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
BEFORE_COMPACT = "b623bd9"
"""The last commit whose layout had lanes of fixed minimum height and label room in every channel."""


def generated(n: int):
    """A generated map of n steps, its findings, and how many times to time it."""
    import procmap

    process = procmap.loads(map_text(n))
    return process, procmap.check(process), 5 if n <= 500 else 3


def speed_rows(sizes: tuple[int, ...]) -> list[list[str]]:
    from procmap.diagram.mermaid import render_mermaid
    from procmap.diagram.png import svg_to_png
    from procmap.diagram.svg import OVERLAYS, RenderOptions, render_svg
    from procmap.layout import layout

    rows = []
    for n in sizes:
        process, findings, repeats = generated(n)
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


def wrap_rows(sizes: tuple[int, ...]) -> list[list[str]]:
    from procmap.diagram import DEFAULT_WRAP
    from procmap.diagram.bands import wrapped
    from procmap.diagram.svg import OVERLAYS, RenderOptions, render_svg
    from procmap.layout import layout

    rows = []
    for n in sizes:
        process, findings, repeats = generated(n)
        one = layout(process)
        lay = wrapped(process, DEFAULT_WRAP)
        cut = {(f.source, f.target) for f in process.flows} - {(e.source, e.target) for e in lay.edges}
        wide = RenderOptions(overlays=frozenset(OVERLAYS), findings=findings)
        bands = RenderOptions(overlays=frozenset(OVERLAYS), findings=findings, wrap=DEFAULT_WRAP)
        t_one = median_time(lambda p=process: layout(p), repeats)
        t_wrap = median_time(lambda p=process: wrapped(p, DEFAULT_WRAP), repeats)
        s_one = median_time(lambda p=process, o=wide: render_svg(p, o), repeats)
        s_wrap = median_time(lambda p=process, o=bands: render_svg(p, o), repeats)
        rows.append([
            f"{len(process.steps)} steps", f"{one.width:,.0f} × {one.height:,.0f}",
            f"{len(lay.bands)} × {lay.width:,.0f} × {max(b.height for b in lay.bands):,.0f}",
            f"{lay.width:,.0f} × {lay.height:,.0f}", f"{t_one:.3f} / {t_wrap:.3f} s",
            f"{s_one:.3f} / {s_wrap:.3f} s", f"{len(cut)} of {len(process.flows)}",
        ])
    return rows


def _layout_before():
    """``layout`` as it was at :data:`BEFORE_COMPACT`, or None without git."""
    import importlib.util
    import subprocess

    try:
        text = subprocess.run(["git", "show", f"{BEFORE_COMPACT}:src/procmap/layout.py"], cwd=ROOT,
                              check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    folder = Path(tempfile.mkdtemp())
    (folder / "layout_before.py").write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("layout_before", folder / "layout_before.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["layout_before"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module.layout


def compact_rows(maps: list[tuple[str, object]]) -> list[list[str]] | None:
    from procmap.layout import layout

    before = _layout_before()
    if before is None:
        return None
    rows = []
    total = [0.0, 0.0]
    for name, process in maps:
        a, b = before(process), layout(process)
        area_a, area_b = a.width * a.height, b.width * b.height
        total[0] += area_a
        total[1] += area_b
        mean = [sum(lane.box.h for lane in x.lanes) / len(x.lanes) for x in (a, b)]
        rows.append([
            name, f"{a.width:,.0f} × {a.height:,.0f}", f"{b.width:,.0f} × {b.height:,.0f}",
            f"{area_a / 1e6:.2f} → {area_b / 1e6:.2f} ({area_b / area_a - 1:+.0%})",
            f"{mean[0]:.0f} → {mean[1]:.0f}", f"{a.crossings} → {b.crossings}",
        ])
    rows.append(["all", "", "", f"{total[0] / 1e6:.1f} → {total[1] / 1e6:.1f} "
                 f"({total[1] / total[0] - 1:+.0%})", "", ""])
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 and 50 steps, one example")
    parser.add_argument("--quality", action="store_true", help="the quality table only")
    parser.add_argument("--wrap", action="store_true", help="the wrapping and compact-lanes tables only")
    args = parser.parse_args()
    print(machine_line("procmap render benchmark"))
    if not args.quality and not args.wrap:
        sizes = (20, 50) if args.quick else (50, 500, 5000)
        header = ["map", "layout", "SVG (all)", "PNG", "Mermaid", "crossings", "size (px)",
                  "SVG size"]
        print("\n".join(table(header, speed_rows(sizes))))
        print("medians; SVG includes the layout and the overlays' analysis; PNG rasterises that"
              " SVG (scaled to at most 32,000 px a side)")
    if not args.quality:
        sizes = (50,) if args.quick else (500, 5000)
        header = ["map", "one band (px)", "bands × width × tallest", "wrapped (px)",
                  "layout one / wrapped", "SVG one / wrapped", "flows cut"]
        print("\nLong maps wrapped at 8,000 px (procmap render's default), medians:")
        print("\n".join(table(header, wrap_rows(sizes))))
        rows = compact_rows(quality_maps(args.quick))
        if rows is None:
            print("\ncompact lanes: no git history to read the layout before them")
        else:
            print(f"\nCompact lanes: the layout at {BEFORE_COMPACT} → today's")
            header = ["map", "before (px)", "after (px)", "area (Mpx²)", "mean lane height",
                      "crossings"]
            print("\n".join(table(header, rows)))
    if args.wrap:
        return 0
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
