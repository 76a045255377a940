"""How long drawing a map takes, and how clean the drawing is.

For generated maps of 50, 500 and 5,000 steps across eight lanes, prints the
median time of the swimlane layout, of the whole SVG (layout included, all
overlays), of the PNG (SVG rasterised by resvg) and of the Mermaid text, with
the number of edge crossings and the diagram's size. Target: 500 steps drawn
(SVG) in under 1 s.

    python benchmarks/render.py            # the full table
    python benchmarks/render.py --quick    # 20 and 50 steps
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _measure import machine_line, median_time, table  # noqa: E402
from generate import map_text  # noqa: E402


def main() -> int:
    import procmap
    from procmap.diagram.mermaid import render_mermaid
    from procmap.diagram.png import svg_to_png
    from procmap.diagram.svg import OVERLAYS, RenderOptions, render_svg
    from procmap.layout import layout

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 and 50 steps only")
    args = parser.parse_args()
    sizes = (20, 50) if args.quick else (50, 500, 5000)
    print(machine_line("procmap render benchmark"))
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
    header = ["map", "layout", "SVG (all)", "PNG", "Mermaid", "crossings", "size (px)", "SVG size"]
    print("\n".join(table(header, rows)))
    print("medians; SVG includes the layout and the overlays' analysis; PNG rasterises that SVG"
          " (scaled to at most 32,000 px a side)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
