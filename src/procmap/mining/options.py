"""How to read an event log, as one typed value, and opening a log with it.

What ``discover``, ``conform`` and ``analyze --log`` take as options, for the
library too: which columns hold the case, activity and times, the lanes (a
column, or a teams file), the customer's activities, the lifecycle transitions
to keep and the engine's memory.
"""

from __future__ import annotations

import csv
import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from procmap.errors import MapError, SourceLocation
from procmap.mining.columns import EventLogColumns

if TYPE_CHECKING:
    from procmap.mining.read import EventLog


@dataclass(frozen=True)
class LogOptions(EventLogColumns):
    """How to read an event log; every field may be left out (procmap finds the columns).

    The columns of :class:`EventLogColumns` (``case``, ``activity``, ``timestamp``,
    ``start``, ``resource``, ``lane``, ``lifecycle``; ``time_format`` and the
    lifecycle ``transitions`` to keep), and:

    Attributes:
        teams: a CSV file of ``resource,team`` rows: each resource's team is its lane.
        customer_activities: patterns of the activities the customer takes part in.
        memory_limit: what the engine may use before it spills to disk (``8GB``).
        engine: ``duckdb`` (this machine) or ``spark`` (a Spark cluster); the
            environment's ``PROCMAP_ENGINE`` if left out, else ``duckdb``.
        spark_master: the Spark cluster (``spark://HOST:PORT``); ``local[*]`` if left out.
        spark_conf: Spark settings as ``key=value`` texts.
    """

    teams: Path | None = None
    customer_activities: tuple[str, ...] = ()
    memory_limit: str | None = None
    engine: str | None = None
    spark_master: str | None = None
    spark_conf: tuple[str, ...] = ()

    @classmethod
    def from_text(
        cls, *, lifecycle: str | None = None, customer_activities: str | None = None,
        **fields: str | Path | None,
    ) -> LogOptions:
        """Options as typed on a command line: lists comma-separated."""
        return cls(
            transitions=tuple(t.strip() for t in (lifecycle or "").split(",") if t.strip()),
            customer_activities=tuple(
                p for p in (customer_activities or "").split(",") if p.strip()),
            **fields,  # type: ignore[arg-type]
        )


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


@contextmanager
def open_log(
    path: str | os.PathLike[str],
    options: LogOptions | None = None,
    *,
    warn: Callable[[str], None] | None = None,
    engine: str | None = None,
) -> Iterator[EventLog]:
    """The log loaded into a new engine as ``options`` say, the engine closed afterwards.

    ``engine`` (``duckdb`` or ``spark``) overrides ``options.engine``; on Spark
    the log is read where the cluster reads it (a Parquet or CSV file, or a
    folder of them) and gives the same answers as on DuckDB.

    Rows left out, and events of other lifecycle transitions, are told to
    ``warn`` (one line each; by default they go to the :mod:`warnings` module).
    The engine reads some files again while it computes (Parquet in place), so
    a file it cannot read is reported as the file's fault wherever that shows,
    not as a bug.

    Raises:
        MapError: the log cannot be read, or has no events procmap can use.

    Example:
        >>> from procmap.mining.options import LogOptions, open_log
        >>> with open_log("examples/logs/customer-onboarding.csv", LogOptions()) as log:  # doctest: +SKIP
        ...     result = procmap.mining.discover.discover(log)
    """
    import duckdb

    from procmap.mining.engine import Engine
    from procmap.mining.read import read_log

    options = options or LogOptions()
    if engine is not None:
        options = replace(options, engine=engine)
    path = Path(path)
    tell = warn or (lambda text: warnings.warn(text, stacklevel=3))
    transitions = options.transitions
    columns = EventLogColumns(**{f.name: getattr(options, f.name) for f in fields(EventLogColumns)})
    teams = read_teams(options.teams) if options.teams else None
    from procmap.mining.spark import engine_name

    on_spark = engine_name(options.engine) == "spark"
    if on_spark:
        from procmap.mining.spark import SparkEngine, check_log_path, parse_conf, read_log_spark

        check_log_path(path)
        conf = parse_conf(options.spark_conf)
        engine = SparkEngine(master=options.spark_master, conf=conf)
    else:
        engine = Engine(memory_limit=options.memory_limit)
    try:
        load = read_log_spark if on_spark else read_log
        log = load(path, engine, columns=columns, teams=teams,  # type: ignore[arg-type]
                   customer=list(options.customer_activities))
        fmt = options.time_format
        unreadable = next((bad for bad in log.bad if bad.reason == "time not readable"), None)
        if log.events == 0:
            hint = None if unreadable is None else TIME_FORMAT_HINT if not fmt else (
                f"the times do not match --time-format '{fmt}': {unreadable.examples[0]}")
            raise MapError(SourceLocation(str(path)), None, "has no events procmap can use", hint)
        if log.other_transitions:
            tell(f"note: {path}: {log.other_transitions} events of other lifecycle transitions "
                 f"left out (kept: {', '.join(transitions)})")
        for bad in log.bad:
            hint = f" ({TIME_FORMAT_HINT})" if bad is unreadable and not fmt else ""
            tell(f"warning: {path}: {bad.count} events left out ({bad.reason}), e.g. "
                 + "; ".join(bad.examples) + hint)
        yield log
    except duckdb.Error as exc:
        mistake = isinstance(exc, duckdb.ProgrammingError | duckdb.InternalError)
        if mistake and not isinstance(exc, duckdb.InvalidInputException):
            raise  # procmap's SQL at fault, not the file
        first = str(exc).splitlines()[0].removeprefix("Invalid Input Error: ")
        raise MapError(SourceLocation(str(path)), None, f"cannot be read: {first}") from None
    finally:
        engine.close()
