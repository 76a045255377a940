"""The map pages show procmap's HTML report of the map, not a copy of it.

``procmap.report`` renders a whole document; the page takes its three parts:
the style, the map's section (diagram with overlays, scorecard, hand-offs, the
eliminate/improve list, findings) and the script that links findings and
diagram. The script is served from ``/assets/report.js`` because the server's
Content-Security-Policy allows no inline script.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import procmap


@dataclass(frozen=True)
class ReportParts:
    """The report's style, the map's section and the report's script."""

    css: str
    section: str
    script: str


def _between(html: str, start: str, end: str, *, last: bool = False) -> tuple[str, int]:
    i = html.index(start)
    j = html.rindex(end) if last else html.index(end, i)
    return html[i:j + len(end)], i


def cut(html: str) -> ReportParts:
    """Split one report document into its parts (raises ValueError if the report's shape changed)."""
    style, _ = _between(html, "<style>", "</style>")
    section, _ = _between(html, '<section class="map"', "</section>", last=True)
    script, _ = _between(html, "<script>", "</script>", last=True)
    return ReportParts(style[len("<style>"):-len("</style>")], section,
                       script[len("<script>"):-len("</script>")])


def report_parts(process: procmap.Process, source: Any = None) -> ReportParts:
    """The report's parts for one map (``source`` locates its findings in the YAML)."""
    html, _findings = procmap.report([(process, source)], title=process.name or process.process)
    return cut(html)


@cache
def report_script() -> str:
    """The report's script (the same for every map)."""
    empty = procmap.loads("procmap: 1\nprocess: p\nactors: {x: {kind: team}}\nsteps:\n  a: {actor: x}\n",
                          file="empty.yaml")
    return report_parts(empty).script
