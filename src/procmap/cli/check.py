"""``procmap check``: load maps and folders, report every problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import EXIT_BAD_INPUT, Loaded, TextOrJson, handles_errors, load_paths, out

HELP = """Check process maps and catalogs: every problem, located by file, line and column.

A folder is read as one catalog: its maps' part-of and calls must name processes
of the same folder.

Exit codes: 0 all maps are sound, 2 bad input (the problems are listed).

Examples:

  procmap check examples/customer-onboarding.yaml

  procmap check examples/          # every map below, as one catalog

  procmap check maps/ --format json
"""


@handles_errors
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Map files (.yaml) or folders of maps.", metavar="PATH", show_default=False),
    ],
    format: Annotated[
        TextOrJson, typer.Option("--format", "-f", help="Output format.")
    ] = TextOrJson.text,
) -> None:
    loaded = load_paths(paths)
    if format is TextOrJson.json:
        out().print(json.dumps(as_json(loaded), indent=2, ensure_ascii=False), markup=False)
    else:
        print_text(loaded)
    if loaded.errors:
        raise typer.Exit(EXIT_BAD_INPUT)


def print_text(loaded: Loaded) -> None:
    console = out()
    for error in sorted(loaded.errors, key=lambda e: e.sort_key()):
        console.print(error.message, markup=False)
    maps = len(loaded.maps)
    noun = "map" if maps == 1 else "maps"
    if loaded.errors:
        bad_files = len({e.location.file for e in loaded.errors if e.location})
        count = len(loaded.errors)
        console.print(
            f"{count} problem{'s' if count != 1 else ''} in {bad_files} "
            f"file{'s' if bad_files != 1 else ''}; {maps} {noun} loaded",
            style="bold red",
            markup=False,
        )
    else:
        steps = sum(len(p.steps) for p, _ in loaded.maps)
        console.print(f"{maps} {noun} checked ({steps} steps): no problems", style="green", markup=False)


def as_json(loaded: Loaded) -> dict[str, object]:
    return {
        "maps": [
            {
                "file": source.file,
                "process": process.process,
                "name": process.title,
                "level": process.level,
                "owner": process.owner,
                "steps": len(process.steps),
            }
            for process, source in loaded.maps
        ],
        "errors": [e.to_dict() for e in sorted(loaded.errors, key=lambda e: e.sort_key())],
        "skipped": loaded.skipped,
        "ok": not loaded.errors,
    }
