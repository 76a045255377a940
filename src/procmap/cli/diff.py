"""``procmap diff``: as-is against to-be, in outside-in words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import ConfigOption, ReportFormat, handles_errors, out, resolve_config
from procmap.output.diff_formats import diff_json, diff_lines

HELP = """Compare an as-is map with a to-be map: what the redesign eliminated, improved and added.

Moments of Truth, Break Points and Business Rules eliminated, improved (a lower
chance of going wrong) or added; hand-offs removed between which departments;
steps removed and added, and steps that became another kind (a decision
that became parallel work); waiting, cycle time and efficiency; the chance of
reaching each outcome with nothing going wrong, before and after.

Examples:

  procmap diff examples/lead-to-cash.yaml docs/examples/lead-to-cash-to-be.yaml

  procmap diff as-is.yaml to-be.yaml --format markdown > redesign.md
"""



@handles_errors
def diff(
    as_is: Annotated[Path, typer.Argument(help="The map as it is.", metavar="AS_IS", show_default=False)],
    to_be: Annotated[Path, typer.Argument(help="The map as it should be.", metavar="TO_BE", show_default=False)],
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
    config: ConfigOption = None,
) -> None:
    from procmap.errors import LoadError
    from procmap.io.files import load_paths
    from procmap.workshop.diff import diff_maps

    loaded = load_paths([as_is, to_be])
    if loaded.errors:
        raise LoadError(loaded.errors)
    (before, _), (after, _) = loaded.maps
    result = diff_maps(before, after, config=resolve_config(config, [as_is]))
    console = out()
    if format is ReportFormat.json:
        console.print(json.dumps(diff_json(result), indent=2, ensure_ascii=False), markup=False)
    else:
        lines = diff_lines(result, markdown=format is ReportFormat.markdown)
        lines.insert(1, f"as-is: {as_is}   to-be: {to_be}")
        console.print("\n".join(lines), markup=False)
