"""``procmap conform``: the designed map held against what the event log says happened."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import handles_errors
from procmap.cli.logs import LogArgument, ReportFormat, emit_report, log_options, open_log
from procmap.mining.options import LogOptions

HELP = """Hold a map (YAML or BPMN) against an event log: does reality follow the paper?

Log activities are matched to the map's steps by name or id. Reports fitness
and precision as PM4Py's token-based replay computes them (the map as the Petri
net of its BPMN export; precision: how much of what the map allows next the
cases really do), the share
of cases whose path the map allows (each activity may follow the one before
along the map's flows, passing over decisions, starts, ends and waits, or run
in parallel with it), where cases first leave the map, activities that happen
but are not in the map, steps that never happen, hand-offs that happen but are
not on paper, and the real waits against the map's stated 'wait'.

Examples:

  procmap conform running-example.bpmn running-example.csv

  procmap conform onboarding.yaml onboarding.xes.gz --format markdown -o conformance.md

  procmap conform receipt.bpmn receipt.parquet --format json
"""


@handles_errors
@log_options
def conform(
    map_path: Annotated[Path, typer.Argument(help="The map: a YAML map or a BPMN 2.0 file.", metavar="MAP", show_default=False)],
    log_path: LogArgument,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (markdown or json) instead of standard output.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an output file procmap did not write.")] = False,
    log: LogOptions | None = None,
) -> None:
    import procmap
    from procmap.mining.conform import conform as hold
    from procmap.mining.conform import sections

    process = procmap.load(map_path)
    with open_log(log_path, log or LogOptions()) as events:
        result = hold(process, events, map_name=map_path.name)
    title = (f"{map_path.name} against {log_path.name}: {100 * result.fitness:.1f}% of cases follow the map; "
             f"token-based fitness {result.replay_fitness:.3f}, precision {result.precision:.3f}")
    emit_report(title, sections(result), result.to_dict(), format=format, output=output,
                force=force, command="conform")
