"""What ``discover`` and ``conform`` share: the log options and loading a log."""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from procmap.cli.common import ReportFormat, err, out

if TYPE_CHECKING:
    from procmap.mining.options import LogOptions
    from procmap.mining.read import EventLog
    from procmap.mining.tables import Section



LogArgument = Annotated[Path, typer.Argument(
    help="The event log: .csv, .parquet, .xes or .xes.gz (with --engine spark: a Parquet or CSV file, or a folder of them).", metavar="LOG", show_default=False)]
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
EngineOption = Annotated[str | None, typer.Option(
    "--engine", help="Where the log is computed: duckdb (this machine) or spark (a Spark cluster, "
    "reading Parquet or CSV files or folders where the cluster reads them). "
    "[default: $PROCMAP_ENGINE, else duckdb]", show_default=False)]
SparkMasterOption = Annotated[str | None, typer.Option(
    "--spark-master", help="The Spark cluster for --engine spark, e.g. spark://host:7077. [default: local[*]]",
    show_default=False)]
SparkConfOption = Annotated[list[str] | None, typer.Option(
    "--spark-conf", help="A Spark setting for --engine spark, key=value (repeat for several), "
    "e.g. spark.executor.memory=8g.", show_default=False)]


LOG_OPTIONS: dict[str, Any] = {
    "case": CaseOption, "activity": ActivityOption, "timestamp": TimestampOption,
    "start": StartOption, "resource": ResourceOption, "lane": LaneOption, "teams": TeamsOption,
    "time_format": TimeFormatOption, "lifecycle": LifecycleOption,
    "customer_activities": CustomerOption, "memory_limit": MemoryOption,
    "engine": EngineOption, "spark_master": SparkMasterOption, "spark_conf": SparkConfOption,
}


def log_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the options that say how to read a log.

    The command's function takes them together as ``log``
    (:class:`procmap.mining.options.LogOptions`, for :func:`open_log`).
    """
    signature = inspect.signature(func, eval_str=True)
    kept = [p for p in signature.parameters.values() if p.name != "log"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=kind)
             for name, kind in LOG_OPTIONS.items()]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from procmap.mining.options import LogOptions

        given = {name: kwargs.pop(name, None) for name in LOG_OPTIONS}
        given["spark_conf"] = tuple(given["spark_conf"] or ())
        return func(*args, log=LogOptions.from_text(**given), **kwargs)

    wrapper.__signature__ = signature.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
    return wrapper


@contextmanager
def open_log(path: Path, options: LogOptions) -> Iterator[EventLog]:
    """:func:`procmap.mining.options.open_log` with its notes and warnings on standard error."""
    from procmap.mining.options import open_log as open_event_log

    console = err()
    with open_event_log(path, options, warn=lambda text: console.print(text, markup=False)) as log:
        yield log


def emit_report(
    title: str, sections: list[Section], data: dict[str, Any], *, format: ReportFormat,
    output: Path | None = None, force: bool = False, command: str,
) -> None:
    """Print a report (text, Markdown or JSON), or write it to ``output`` (Markdown or JSON)."""
    from procmap.mining.tables import markdown, print_sections

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
