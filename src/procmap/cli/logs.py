"""What ``discover`` and ``conform`` share: the log options and loading a log."""

from __future__ import annotations

import csv
import functools
import inspect
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from procmap.cli.common import err, out
from procmap.errors import MapError, SourceLocation

if TYPE_CHECKING:
    from procmap.logs.read import EventLog
    from procmap.logs.report import Section


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
TimeFormatOption = Annotated[str | None, typer.Option(
    "--time-format", help="How the times are written when not as ISO 8601, in strptime codes, e.g. '%d-%m-%Y %H:%M'.",
    show_default=False)]
LifecycleOption = Annotated[str | None, typer.Option(
    "--lifecycle", help="Keep only the events of these lifecycle transitions (lifecycle:transition), "
    "comma-separated, e.g. complete.", show_default=False)]
MemoryOption = Annotated[str | None, typer.Option(
    "--memory-limit", help="Memory the engine may use before it spills to disk, e.g. 8GB. [default: half the machine's]",
    show_default=False)]


TIME_FORMAT_HINT = "if the times are written another way, name it with --time-format, e.g. '%d-%m-%Y %H:%M'"


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


LOG_OPTIONS: dict[str, Any] = {
    "case": CaseOption, "activity": ActivityOption, "timestamp": TimestampOption,
    "start": StartOption, "resource": ResourceOption, "lane": LaneOption, "teams": TeamsOption,
    "time_format": TimeFormatOption, "lifecycle": LifecycleOption,
    "customer_activities": CustomerOption, "memory_limit": MemoryOption,
}


def log_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the options that say how to read a log.

    The command's function takes them together as ``log`` (a dict for :func:`open_log`).
    """
    signature = inspect.signature(func, eval_str=True)
    kept = [p for p in signature.parameters.values() if p.name != "log"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=kind)
             for name, kind in LOG_OPTIONS.items()]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        options = {name: kwargs.pop(name, None) for name in LOG_OPTIONS}
        return func(*args, log=options, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
    return wrapper


@contextmanager
def open_log(path: Path, options: dict[str, Any]) -> Iterator[EventLog]:
    """The log loaded into a new engine with the command's options, closed afterwards.

    Rows left out get a warning. The engine reads some files again while it
    computes (Parquet in place), so a file it cannot read is reported as the
    file's fault wherever that shows, not as a bug.
    """
    import duckdb

    from procmap.logs.columns import EventLogColumns
    from procmap.logs.engine import Engine
    from procmap.logs.read import read_log

    transitions = tuple(t.strip() for t in (options["lifecycle"] or "").split(",") if t.strip())
    columns = EventLogColumns(**{role: options[role] for role in
                                 ("case", "activity", "timestamp", "start", "resource", "lane",
                                  "time_format")}, transitions=transitions)
    patterns = [p for p in (options["customer_activities"] or "").split(",") if p.strip()]
    teams = read_teams(options["teams"]) if options["teams"] else None
    engine = Engine(memory_limit=options["memory_limit"])
    try:
        log = read_log(path, engine, columns=columns, teams=teams, customer=patterns)
        fmt = options["time_format"]
        unreadable = next((bad for bad in log.bad if bad.reason == "time not readable"), None)
        if log.events == 0:
            hint = None if unreadable is None else TIME_FORMAT_HINT if not fmt else (
                f"the times do not match --time-format '{fmt}': {unreadable.examples[0]}")
            raise MapError(SourceLocation(str(path)), None, "has no events procmap can use", hint)
        console = err()
        if log.other_transitions:
            console.print(f"note: {path}: {log.other_transitions} events of other lifecycle transitions "
                          f"left out (kept: {', '.join(transitions)})", markup=False)
        for bad in log.bad:
            hint = f" ({TIME_FORMAT_HINT})" if bad is unreadable and not fmt else ""
            console.print(f"warning: {path}: {bad.count} events left out ({bad.reason}), e.g. "
                          + "; ".join(bad.examples) + hint, markup=False)
        yield log
    except duckdb.Error as exc:
        mistake = isinstance(exc, duckdb.ProgrammingError | duckdb.InternalError)
        if mistake and not isinstance(exc, duckdb.InvalidInputException):
            raise  # procmap's SQL at fault, not the file
        first = str(exc).splitlines()[0].removeprefix("Invalid Input Error: ")
        raise MapError(SourceLocation(str(path)), None, f"cannot be read: {first}") from None
    finally:
        engine.close()


def emit_report(
    title: str, sections: list[Section], data: dict[str, Any], *, format: ReportFormat,
    output: Path | None = None, force: bool = False, command: str,
) -> None:
    """Print a report (text, Markdown or JSON), or write it to ``output`` (Markdown or JSON)."""
    from procmap.logs.report import markdown, print_sections

    if format is ReportFormat.text:
        if output is not None:
            raise typer.BadParameter("writing to a file needs --format json or markdown",
                                     param_hint="--output")
        print_sections(out(), title, sections)
        return
    if format is ReportFormat.json:
        text = json.dumps({"$comment": f"Generated by procmap {command}", **data},
                          indent=2, ensure_ascii=False) + "\n"
    else:
        text = f"<!-- Written by procmap {command} -->\n" + markdown(title, sections)
    if output is None:
        out().print(text, markup=False, end="")
        return
    from procmap.output.write import write_text

    write_text(output, text, force=force)
    err().print(f"wrote {output}", markup=False)
