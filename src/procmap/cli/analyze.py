"""``procmap analyze``: the outside-in scorecard of each map."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import (
    EXIT_BAD_INPUT,
    ConfigOption,
    err,
    handles_errors,
    load_paths,
    out,
    resolve_config,
)
from procmap.errors import LoadError

HELP = """The outside-in scorecard of a map: what a workshop puts on the wall.

Counts of Moments of Truth (where the customer meets the organisation), Break
Points (hand-offs) and Business Rules (decisions); the chance of reaching each
outcome with nothing going wrong (best, worst and expected path); the hand-off
matrix between actors; cycle time and efficiency; and the top 10 points to
eliminate or improve, ranked by expected impact (failure chance × how often
cases pass × customer weight).

Examples:

  procmap analyze examples/customer-onboarding.yaml

  procmap analyze examples/lead-to-cash.yaml --format markdown -o scorecard.md

  procmap analyze examples/marketing/ --format json
"""


class AnalyzeFormat(StrEnum):
    """Output formats of ``analyze``."""

    text = "text"
    json = "json"
    markdown = "markdown"


@handles_errors
def analyze(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Map files or folders (every map in a folder gets a scorecard).",
                       metavar="MAP", show_default=False),
    ],
    format: Annotated[AnalyzeFormat, typer.Option("--format", "-f", help="Output format.")] = AnalyzeFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an output file procmap did not write.")] = False,
    config: ConfigOption = None,
) -> None:
    from procmap.analysis.engine import check
    from procmap.analysis.scorecard import analyze as scorecard
    from procmap.output.scorecard import print_scorecard, scorecard_json, scorecard_markdown

    settings = resolve_config(config, paths)
    loaded = load_paths(paths)
    if loaded.errors:
        raise LoadError(loaded.errors)
    findings = check(loaded.maps, config=settings)
    cards = [
        scorecard(p, config=settings, source=s,
                  findings=[f for f in findings if f.process == p.process])
        for p, s in loaded.maps
    ]
    if format is AnalyzeFormat.json:
        data = [scorecard_json(c) for c in cards]
        text = json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False) + "\n"
    elif format is AnalyzeFormat.markdown:
        text = "\n".join(scorecard_markdown(c) for c in cards)
    else:
        text = None
    if output is not None:
        from procmap.output.write import write_text

        if text is None:
            raise typer.BadParameter("writing to a file needs --format json or markdown", param_hint="--output")
        if format is AnalyzeFormat.markdown:
            text = "<!-- Written by procmap analyze -->\n" + text
        write_text(output, text, force=force)
        err().print(f"wrote {output}", markup=False)
        return
    console = out()
    if text is not None:
        console.print(text, markup=False, end="")
        return
    for i, card in enumerate(cards):
        if i:
            console.rule()
        print_scorecard(console, card)
    if not cards:
        raise typer.Exit(EXIT_BAD_INPUT)
