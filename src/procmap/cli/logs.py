"""What ``discover`` and ``conform`` share: the log options and loading a log."""

from __future__ import annotations

import csv
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from procmap.cli.common import err
from procmap.errors import MapError, SourceLocation

if TYPE_CHECKING:
    from procmap.logs.engine import Engine
    from procmap.logs.read import EventLog


class ReportFormat(StrEnum):
    """Output formats of the log reports."""

    text = "text"
    markdown = "markdown"
    json = "json"


LogArgument = Annotated[Path, typer.Argument(
    help="The event log: .csv, .parquet, .xes or .xes.gz.", metavar="LOG", show_default=False)]
CaseOption = Annotated[str | None, typer.Option(
    "--case", help="Column of the case id. [default: case:concept:name, case_id, …]", show_default=False)]
ActivityOption = Annotated[str | None, typer.Option(
    "--activity", help="Column of the activity. [default: concept:name, activity, …]", show_default=False)]
TimestampOption = Annotated[str | None, typer.Option(
    "--timestamp", help="Column of the time. [default: time:timestamp, timestamp, …]", show_default=False)]
StartOption = Annotated[str | None, typer.Option(
    "--start", help="Column of the start time, for logs with start and end. [default: start_timestamp]",
    show_default=False)]
ResourceOption = Annotated[str | None, typer.Option(
    "--resource", help="Column of the resource. [default: org:resource, resource]", show_default=False)]
LaneOption = Annotated[str | None, typer.Option(
    "--lane", help="Column of the lane (team). [default: org:group, org:role, group]", show_default=False)]
TeamsOption = Annotated[Path | None, typer.Option(
    "--teams", help="CSV file of resource,team rows: the team of each resource is its lane.",
    show_default=False)]
CustomerOption = Annotated[str | None, typer.Option(
    "--customer-activities", help="Comma-separated patterns of the activities where the customer takes part, e.g. 'Submit*,Call*'.",
    show_default=False)]
MemoryOption = Annotated[str | None, typer.Option(
    "--memory-limit", help="Memory the engine may use before it spills to disk, e.g. 8GB. [default: half the machine's]",
    show_default=False)]


def read_teams(path: Path) -> dict[str, str]:
    """resource → team from a two-column CSV file (a header row resource,team is skipped)."""
    if not path.is_file():
        raise MapError(SourceLocation(str(path)), None, "no such file")
    teams: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.reader(handle), 1):
            if not row or (line == 1 and [c.strip().lower() for c in row[:2]] == ["resource", "team"]):
                continue
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise MapError(SourceLocation(str(path), line), None,
                               "expected two columns: resource,team")
            teams[row[0].strip()] = row[1].strip()
    return teams


def open_log(
    path: Path, engine: Engine, *, case: str | None, activity: str | None, timestamp: str | None,
    start: str | None, resource: str | None, lane: str | None, teams: Path | None,
    customer: str | None,
) -> EventLog:
    """Load the log with the command's options and warn about the rows left out."""
    from procmap.logs.columns import EventLogColumns
    from procmap.logs.read import read_log

    columns = EventLogColumns(case=case, activity=activity, timestamp=timestamp, start=start,
                              resource=resource, lane=lane)
    patterns = [p for p in (customer or "").split(",") if p.strip()]
    log = read_log(path, engine, columns=columns, teams=read_teams(teams) if teams else None,
                   customer=patterns)
    console = err()
    for bad in log.bad:
        console.print(f"warning: {path}: {bad.count} events left out ({bad.reason}), e.g. "
                      + "; ".join(bad.examples), markup=False)
    if log.events == 0:
        raise MapError(SourceLocation(str(path)), None, "has no events procmap can use")
    return log
