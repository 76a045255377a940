"""``procmap report``: one self-contained HTML file a workshop can email.

The diagram with its overlays, the outside-in scorecard, the hand-off matrix as
a heatmap, failure risk per outcome, the ranked eliminate/improve list and every
finding, linked to the element it is about. For a catalog, an index of the L1–L4
hierarchy with owners comes first, then one section per map. Nothing is fetched
from the network: styles and scripts are inline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

import jinja2

from procmap.analysis.scorecard import Scorecard
from procmap.config import Config
from procmap.diagram.svg import OVERLAYS, RenderOptions, numbered_findings, render_svg
from procmap.findings import Finding
from procmap.model.catalog import Catalog
from procmap.model.durations import describe_duration
from procmap.model.process import Process
from procmap.output.scorecard_formats import DEFAULTS_MEAN, impact_means, risk_rows, timing_rows
from procmap.source import SourceMap
from procmap.version import __version__


@dataclass
class MapSection:
    """What the report shows of one map."""

    card: Scorecard
    svg: str
    findings: list[tuple[int, Finding, str | None]]
    matrix: dict[str, Any]
    depth: int = 0
    simulation: dict[str, Any] | None = None
    """The what-if run of a map that says its arrivals (see :func:`simulation_part`)."""


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("procmap.output", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["duration"] = lambda s: "–" if s is None else describe_duration(timedelta(seconds=s))
    env.filters["pct"] = lambda v: "–" if v is None else f"{v:.0%}"
    return env


def handoff_heatmap(card: Scorecard) -> dict[str, Any]:
    """The hand-off matrix as rows of cells with a heat level 0..4 by count."""
    process = card.process
    actors = [a for a in process.actors if any(a in key for key in card.handoffs)]
    most = max((cell.count for cell in card.handoffs.values()), default=0)
    rows = []
    for source in actors:
        cells = []
        for target in actors:
            cell = card.handoffs.get((source, target))
            if cell is None:
                cells.append(None)
                continue
            level = 0 if most == 0 else min(4, 1 + int(3 * (cell.count - 1) / max(most - 1, 1)))
            cells.append({"count": cell.count, "wait": cell.wait.total_seconds(),
                          "longest": cell.longest.total_seconds(), "level": level})
        rows.append({"actor": source, "cells": cells})
    names = {a: (process.actors[a].name or a) for a in actors}
    return {"actors": actors, "names": names, "rows": rows}


def section(process: Process, card: Scorecard, findings: list[Finding], depth: int = 0) -> MapSection:
    """Render one map's diagram and gather its tables."""
    prefix = f"{process.process}:"
    svg = render_svg(process, RenderOptions(overlays=frozenset(OVERLAYS) - {"heat"},
                                            findings=findings, id_prefix=prefix, file_mark=False))
    return MapSection(card, svg, numbered_findings(findings, process), handoff_heatmap(card), depth,
                      simulation=simulation_part(process))


SIMULATION_CASES, SIMULATION_REPLICATIONS = 500, 5


def simulation_part(process: Process) -> dict[str, Any] | None:
    """A short what-if run of a map that says its ``arrivals``: its tables and histograms.

    Maps without arrivals get none (the report stays as quick as the map is).
    """
    if process.arrivals is None:
        return None
    from procmap.simulation import SimulationError, simulate
    from procmap.simulation.report import run_sections

    try:
        run = simulate(process, cases=SIMULATION_CASES, replications=SIMULATION_REPLICATIONS)
    except SimulationError as exc:
        return {"note": f"The map cannot run: {exc}", "tables": [], "histograms": []}
    sections = run_sections(run)
    note = " ".join(sections[0].notes)
    tables = [{"title": t.title, "headers": t.headers, "rows": [[str(v) for v in r] for r in t.rows]}
              for t in sections if t.rows]
    names = {"cycle": "Cycle time per case (hours)", "waiting": "Waiting time per case (hours)"}
    histograms = [{"title": names[k], "svg": histogram_svg(h["edges_hours"], h["counts"])}
                  for k, h in run.histograms.items()]
    return {"note": f"procmap simulate: {note}", "tables": tables, "histograms": histograms}


def histogram_svg(edges: list[float], counts: list[int], width: int = 360, height: int = 120) -> str:
    """Bars of a histogram as a small inline SVG, the first and last edge labelled."""
    most = max(counts, default=0) or 1
    bar = width / max(len(counts), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 16}" '
             f'role="img" viewBox="0 0 {width} {height + 16}">']
    for i, c in enumerate(counts):
        h = height * c / most
        parts.append(f'<rect x="{i * bar:.1f}" y="{height - h:.1f}" width="{bar - 1:.1f}" '
                     f'height="{h:.1f}" fill="#4c78a8"><title>{edges[i]:.3g}–{edges[i + 1]:.3g} h: '
                     f'{c} cases</title></rect>')
    parts.append(f'<text x="0" y="{height + 13}" font-size="11">{edges[0]:.3g}</text>')
    parts.append(f'<text x="{width}" y="{height + 13}" font-size="11" text-anchor="end">'
                 f'{edges[-1]:.3g} h</text></svg>')
    return "".join(parts)


def report_html(sections: list[MapSection], *, title: str, catalog: bool) -> str:
    """The whole report as one HTML document."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        catalog=catalog,
        sections=sections,
        version=__version__,
        risk_rows=risk_rows,
        timing_rows=timing_rows,
        impact_means=impact_means,
        defaults_mean=DEFAULTS_MEAN,
    )


def report(
    maps: list[tuple[Process, SourceMap | None]] | Catalog,
    *,
    title: str | None = None,
    config: Config | None = None,
) -> tuple[str, list[Finding]]:
    """The HTML report of one or more maps, or of a catalog, and the findings in it.

    The whole of ``procmap report``: the maps are checked together (cross-map
    rules see them all), each gets its scorecard and diagram, and a catalog's
    maps come in the order of their hierarchy with an index first.

    Example:
        >>> html, findings = report([(procmap.load("examples/customer-onboarding.yaml"), None)])  # doctest: +SKIP
    """
    from procmap.analysis.linter import check
    from procmap.analysis.scorecard import analyze

    settings = config or Config()
    is_catalog = isinstance(maps, Catalog)
    if is_catalog:
        ordered = list(maps.depth_first())
        pairs = [(p, maps.sources.get(p.process)) for _, p in ordered]
        depths = [d for d, _ in ordered]
        default_title = "Process catalog"
    else:
        pairs = list(maps)
        depths = [0] * len(pairs)
        first = pairs[0][0]
        default_title = f"Outside-in report: {first.name or first.process}"
    findings = check(pairs, config=settings)
    sections = []
    for (process, source), depth in zip(pairs, depths, strict=True):
        own = [f for f in findings if f.process == process.process]
        card = analyze(process, config=settings, source=source, findings=own)
        sections.append(section(process, card, own, depth))
    return report_html(sections, title=title or default_title, catalog=is_catalog), findings

