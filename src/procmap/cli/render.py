"""``procmap render``: the swimlane diagram of a map as SVG, PNG or Mermaid."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import ConfigOption, err, handles_errors, out, resolve_config
from procmap.diagram import DEFAULT_WRAP, Format
from procmap.errors import MapError, SourceLocation

HELP = """Draw a map as a swimlane diagram: SVG, PNG or Mermaid.

Lanes are horizontal bands with the customer on top; steps stand in columns by
their order, decisions as diamonds, start and end as circles. Overlays mark
Moments of Truth (M), Business Rules (R), Break Points (orange hand-offs),
findings (numbered as in 'procmap check') and, on request, a heat colouring of
waits and work time. The format follows the output file's suffix (.svg, .png,
.mmd) or --format.

Labels are measured in the fonts they are drawn in (DejaVu Sans, Noto Sans
CJK, Noto Sans Arabic and Hebrew, as installed) and break between words: long
words are hyphenated in the map's language (language: de), Chinese and
Japanese break between characters. A PNG warns, naming them, about characters
no installed font has (they would be empty boxes).

Examples:

  procmap render examples/customer-onboarding.yaml -o onboarding.svg

  procmap render examples/lead-to-cash.yaml -o lead-to-cash.png --overlay heat

  procmap render examples/customer-onboarding.yaml --format mmd

  procmap render examples/customer-onboarding.yaml --no-overlays -o plain.svg

  procmap render docs/examples/kreditantrag.yaml -o kreditantrag.png

  procmap render discovered.yaml -o discovered.svg --wrap 4000

Long maps wrap: a diagram wider than --wrap pixels (8000 unless given, 0
never) is cut between columns into bands stacked top to bottom, at most that
wide, each with every lane and its header. The cuts go where fewest flows
cross. A flow across a cut is drawn as two numbered connectors (BPMN's link
events): a filled one where it leaves ("→ 2": it goes on in part 2), in the
lane it goes to, and an open one where it arrives ("from 1"), in the lane it
comes from.
"""

OVERLAY_HELP = "Add an overlay: mot, bp, rules, findings, heat (repeatable). [default: all but heat]"


@handles_errors
def render(
    path: Annotated[Path, typer.Argument(help="The map file.", metavar="MAP", show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The file to write (.svg, .png, .mmd); standard output if left out.")] = None,
    format: Annotated[str | None, typer.Option("--format", "-f", help="svg, png or mmd. [default: from the output's suffix, else svg]")] = None,
    overlay: Annotated[list[str] | None, typer.Option("--overlay", help=OVERLAY_HELP)] = None,
    only: Annotated[bool, typer.Option("--only", help="Show only the overlays named with --overlay.")] = False,
    no_overlays: Annotated[bool, typer.Option("--no-overlays", help="Lanes, steps and flows only.")] = False,
    wrap: Annotated[int, typer.Option("--wrap", metavar="WIDTH", min=0, help="Cut a diagram wider than WIDTH pixels into bands stacked top to bottom (SVG, PNG); 0: never.")] = int(DEFAULT_WRAP),
    force: Annotated[bool, typer.Option("--force", help="Replace a file procmap did not write.")] = False,
    config: ConfigOption = None,
) -> None:
    import procmap
    from procmap.diagram import render as draw
    from procmap.diagram.mermaid import MERMAID_MAX_EDGES
    from procmap.diagram.png import MissingGlyphsWarning
    from procmap.diagram.svg import DEFAULT_OVERLAYS, OVERLAYS
    from procmap.output.write import write_bytes

    chosen = resolve_format(format, output)
    unknown = [o for o in overlay or [] if o not in OVERLAYS]
    if unknown:
        raise typer.BadParameter(f"unknown overlay {unknown[0]!r}; choose from {', '.join(OVERLAYS)}",
                                 param_hint="--overlay")
    layers = frozenset() if no_overlays else frozenset(overlay or ()) | (
        frozenset() if only else DEFAULT_OVERLAYS)
    from procmap.io.yaml_loader import load_with_source

    process, source = load_with_source(path)
    # located as `procmap check` locates them, so numbered in the same order
    findings = (procmap.check([(process, source)], config=resolve_config(config, [path]))
                if "findings" in layers else [])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = draw(process, chosen, overlays=layers, findings=findings, wrap=wrap or None)
    for warning in caught:  # a character the PNG's fonts lack is said, not a traceback
        if issubclass(warning.category, MissingGlyphsWarning):
            err().print(f"warning: {warning.message}", markup=False)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if chosen == "mmd" and len(process.flows) > MERMAID_MAX_EDGES:
        err().print(f"note: {len(process.flows)} flows; Mermaid draws at most {MERMAID_MAX_EDGES} "
                    "unless the site showing it raises its maxEdges setting", markup=False)
    if output is None:
        if isinstance(result, bytes):
            raise typer.BadParameter("PNG goes to a file: add -o FILE.png", param_hint="--format")
        out().print(result, markup=False, end="")
        return
    data = result if isinstance(result, bytes) else result.encode("utf-8")
    write_bytes(output, data, force=force)
    what = {"svg": "SVG", "png": "PNG", "mmd": "Mermaid"}[chosen]
    err().print(f"wrote {output}: {what} of {process.process}, {len(process.steps)} steps"
                + _findings_said(process, findings), markup=False)


def _findings_said(process, findings: list) -> str:
    """', 8 findings numbered as in procmap check (7 badged, 1 about the whole map)'."""
    if not findings:
        return ""
    from procmap.diagram.svg import numbered_findings

    whole = sum(1 for _, _, anchor in numbered_findings(findings, process) if anchor is None)
    said = f", {len(findings)} finding{'s' if len(findings) != 1 else ''} numbered as in 'procmap check'"
    if whole:
        said += f" ({len(findings) - whole} badged, {whole} about the whole map)"
    return said


def resolve_format(format: str | None, output: Path | None) -> Format:
    """The format asked for, else the one the output's suffix names, else SVG."""
    from procmap.diagram import FORMATS

    if format is not None:
        name = FORMATS.get("." + format.lower().lstrip("."), None)
        if name is None:
            raise typer.BadParameter(f"unknown format {format!r}; choose svg, png or mmd",
                                     param_hint="--format")
        return name
    if output is None:
        return "svg"
    name = FORMATS.get(output.suffix.lower())
    if name is None:
        raise MapError(SourceLocation(str(output)), None,
                       "has no diagram suffix: name a .svg, .png or .mmd file, or give --format")
    return name
