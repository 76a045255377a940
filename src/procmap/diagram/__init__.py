"""Diagrams of maps: the swimlane layout, SVG with overlays, PNG and Mermaid."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from procmap.findings import Finding
from procmap.model.process import Process

Format = Literal["svg", "png", "mmd"]
FORMATS: dict[str, Format] = {".svg": "svg", ".png": "png", ".mmd": "mmd", ".mermaid": "mmd"}
DEFAULT_WRAP = 8000.0
"""``procmap render`` wraps a diagram wider than this many pixels into bands (``--wrap``)."""


def render(
    process: Process,
    format: Format = "svg",
    *,
    overlays: Iterable[str] | None = None,
    findings: list[Finding] | None = None,
    wrap: float | None = None,
) -> str | bytes:
    """Draw ``process`` as a swimlane diagram.

    Args:
        process: the map.
        format: ``svg`` (text), ``png`` (bytes) or ``mmd`` (Mermaid text).
        overlays: any of ``mot``, ``bp``, ``rules``, ``findings``, ``heat``;
            ``None`` for the default (all but ``heat``).
        findings: the findings to badge (``procmap.check(process)``).
        wrap: a diagram wider than this many pixels is cut into bands stacked top to
            bottom, each repeating the lanes, flows across a cut drawn as numbered
            connectors (SVG and PNG); ``None`` (the default) draws one band however
            wide. ``procmap render`` wraps at 8,000 px unless told otherwise.

    Example:
        >>> import procmap
        >>> svg = procmap.render(procmap.load("examples/customer-onboarding.yaml"))  # doctest: +SKIP
    """
    from procmap.diagram.svg import DEFAULT_OVERLAYS, RenderOptions, render_svg

    chosen = DEFAULT_OVERLAYS if overlays is None else frozenset(overlays)
    if format == "mmd":
        from procmap.diagram.mermaid import render_mermaid

        return render_mermaid(process, chosen)
    svg = render_svg(process, RenderOptions(overlays=chosen, findings=findings or [], wrap=wrap))
    if format == "png":
        from procmap.diagram.png import svg_to_png

        return svg_to_png(svg)
    return svg
