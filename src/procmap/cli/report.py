"""``procmap report``: one self-contained HTML report of a map or a catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import ConfigOption, err, handles_errors, resolve_config
from procmap.errors import LoadError

HELP = """Write one self-contained HTML report that a workshop can email and print.

It holds the swimlane diagram with overlays you can switch on and off, the
outside-in scorecard, the hand-off matrix as a heatmap, failure risk per
outcome, the ranked list of what to eliminate or improve, and every finding:
click one to highlight its element in the diagram. For a folder (a catalog), an
index of the L1–L4 hierarchy with owners comes first. Nothing is fetched from
the network to view it.

Examples:

  procmap report examples/customer-onboarding.yaml -o onboarding.html

  procmap report examples/marketing/ -o marketing.html
"""


@handles_errors
def report(
    path: Annotated[Path, typer.Argument(help="A map file, or a folder of maps (a catalog).", metavar="MAP|FOLDER", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.", show_default=False)],
    title: Annotated[str | None, typer.Option("--title", help="The report's title. [default: the map's or the folder's name]")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a file procmap did not write.")] = False,
    config: ConfigOption = None,
) -> None:
    from procmap.io.files import load_catalog, load_paths
    from procmap.output.html_report import report as make_report
    from procmap.output.write import write_text

    settings = resolve_config(config, [path])
    if path.is_dir():
        maps = load_catalog(path)
        default_title = f"Process catalog: {path.resolve().name}"
    else:
        loaded = load_paths([path])
        if loaded.errors:
            raise LoadError(loaded.errors)
        maps = loaded.maps
        default_title = None
    html, findings = make_report(maps, title=title or default_title, config=settings)
    write_text(output, html, force=force)
    count = len(maps.processes) if path.is_dir() else len(maps)
    err().print(f"wrote {output}: {count} map{'s' if count != 1 else ''}, "
                f"{len(findings)} findings, {len(html) // 1024} KiB", markup=False)
