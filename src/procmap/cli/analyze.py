"""``procmap analyze``: the outside-in scorecard of each map."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import (
    EXIT_BAD_INPUT,
    ConfigOption,
    ReportFormat,
    err,
    handles_errors,
    out,
    resolve_config,
)
from procmap.cli.logs import LOG_OPTIONS, log_options, open_log
from procmap.errors import LoadError
from procmap.io.files import load_paths
from procmap.mining.options import LogOptions

HELP = """The outside-in scorecard of a map: what a workshop puts on the wall.

Counts of Moments of Truth (where the customer meets the organisation), Break
Points (hand-offs) and Business Rules (decisions); the chance of reaching each
outcome with nothing going wrong (best, worst and expected path); the hand-off
matrix between actors; cycle time and efficiency; and the top 10 points to
eliminate or improve, ranked by expected impact (failure chance × how often
cases pass × customer weight).

With --log, the map is weighed by an event log: steps are matched to the
log's activities as 'procmap conform' matches them, and the scorecard says
how many cases really pass each Moment of Truth, Break Point and Business
Rule (and how often per case) and the real median wait of each hand-off; the
ranking weighs each point by the log's share of cases (a point never seen
weighs 0). The evidence of the log follows: hand-offs and customer contacts
per case, rework, ping-pong between lanes, the slowest hand-offs, where cases
wait, and the activities that match no step. Customer contacts are the
events of the map's Moments of Truth unless --customer-activities names
them. The log options are those of 'procmap discover'.

Examples:

  procmap analyze examples/customer-onboarding.yaml

  procmap analyze examples/lead-to-cash.yaml --format markdown -o scorecard.md

  procmap analyze examples/marketing/ --format json

  procmap analyze onboarding.yaml --log onboarding.csv --format markdown

  procmap analyze asis.yaml --log orders.csv --teams teams.csv
"""



@handles_errors
@log_options
def analyze(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Map files or folders (every map in a folder gets a scorecard).",
                       metavar="MAP", show_default=False),
    ],
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an output file procmap did not write.")] = False,
    config: ConfigOption = None,
    log_path: Annotated[
        Path | None, typer.Option("--log", help="Weigh the map by this event log (.csv, .parquet, .xes, .xes.gz).",
                                  metavar="LOG", show_default=False)
    ] = None,
    log: LogOptions | None = None,
) -> None:
    from procmap.analysis.linter import check
    from procmap.analysis.scorecard import analyze as scorecard
    from procmap.output.scorecard_formats import print_scorecard, scorecard_json, scorecard_markdown

    settings = resolve_config(config, paths)
    loaded = load_paths(paths)
    if loaded.errors:
        raise LoadError(loaded.errors)
    findings = check(loaded.maps, config=settings)
    weights = _weigh([p for p, _ in loaded.maps], log_path, log or LogOptions())
    cards = [
        scorecard(p, config=settings, source=s,
                  findings=[f for f in findings if f.process == p.process], weights=w)
        for (p, s), w in zip(loaded.maps, weights, strict=True)
    ]
    if format is ReportFormat.json:
        data = [scorecard_json(c) for c in cards]
        text = json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False) + "\n"
    elif format is ReportFormat.markdown:
        text = "\n".join(scorecard_markdown(c) for c in cards)
    else:
        text = None
    if output is not None:
        from procmap.output.write import write_text

        if text is None:
            raise typer.BadParameter("writing to a file needs --format json or markdown", param_hint="--output")
        if format is ReportFormat.markdown:
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


def _weigh(processes: list, log_path: Path | None, options: LogOptions) -> list:
    """Each map weighed by the log, or ``None`` for each without ``--log``."""
    if log_path is None:
        given = [name for name in LOG_OPTIONS  # --lifecycle names the transitions to keep
                 if getattr(options, "transitions" if name == "lifecycle" else name) not in (None, ())]
        if given:
            flag = "--" + given[0].replace("_", "-")
            raise typer.BadParameter("is a log option: name the log with --log", param_hint=flag)
        return [None] * len(processes)
    from procmap.mining.weigh import weigh

    with open_log(log_path, options) as events:
        mapped = not options.customer_activities
        return [weigh(p, events, customer_from_map=mapped) for p in processes]
