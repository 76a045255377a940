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

import procmap
from procmap.analysis.scorecard import Scorecard
from procmap.diagram.svg import OVERLAYS, RenderOptions, numbered_findings, render_svg
from procmap.findings import Finding
from procmap.model.durations import describe_duration
from procmap.model.process import Process
from procmap.output.scorecard import DEFAULTS_MEAN, impact_means, risk_rows, timing_rows


@dataclass
class MapSection:
    """What the report shows of one map."""

    card: Scorecard
    svg: str
    findings: list[tuple[int, Finding, str | None]]
    matrix: dict[str, Any]
    depth: int = 0


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
    return MapSection(card, svg, numbered_findings(findings, process), handoff_heatmap(card), depth)


def report_html(sections: list[MapSection], *, title: str, catalog: bool) -> str:
    """The whole report as one HTML document."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        catalog=catalog,
        sections=sections,
        version=procmap.__version__,
        risk_rows=risk_rows,
        timing_rows=timing_rows,
        impact_means=impact_means,
        defaults_mean=DEFAULTS_MEAN,
    )
