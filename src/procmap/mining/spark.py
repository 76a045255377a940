"""The Spark engine: the same computations as on DuckDB, run by a Spark cluster.

A log is read where the cluster reads it (a Parquet or CSV file, or a folder
of them, partitioned datasets included) and every computation of ``sql/`` runs
on Spark after SQLGlot has transpiled it (:func:`procmap.mining.engine.to_spark`).
Only what a computation returns (a few rows per activity, pair or variant)
comes back to this machine, where the maps are drawn as on DuckDB.

:class:`SparkEngine` answers as :class:`procmap.mining.engine.Engine` does: its
``con`` takes the few statements procmap writes in DuckDB's dialect beside the
SQL files (tables of a few rows, views, counts) and runs them on Spark.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from procmap.errors import ConfigError, MapError, SourceLocation
from procmap.mining.engine import sql, sql_text, to_spark

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from procmap.mining.columns import EventLogColumns
    from procmap.mining.read import EventLog

ENGINES = ("duckdb", "spark")
DEFAULT_MASTER = "local[*]"
CONNECT_SECONDS = 5.0


def engine_name(given: str | None) -> str:
    """The engine asked for (``--engine``, else ``PROCMAP_ENGINE``, else ``duckdb``), checked."""
    name = (given or os.environ.get("PROCMAP_ENGINE") or "duckdb").strip().lower()
    if name not in ENGINES:
        source = "--engine" if given else "PROCMAP_ENGINE"
        raise ConfigError(f"{source} '{name}': the engines are {' and '.join(ENGINES)}")
    return name


def parse_conf(pairs: Sequence[str]) -> dict[str, str]:
    """``key=value`` texts (``--spark-conf``) as a dict, or an error naming the wrong one."""
    conf: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--spark-conf '{pair}': expected key=value, e.g. spark.executor.memory=8g")
        conf[key.strip()] = value.strip()
    return conf


def _check_java() -> None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return
    if shutil.which("java") is None:
        raise ConfigError("Spark needs Java, and none was found: install Java 17 or 21 "
                          "(e.g. apt install openjdk-17-jre-headless) or set JAVA_HOME")


def _check_master(master: str) -> None:
    """Fail within seconds when a standalone master cannot be reached (Spark would retry for minutes)."""
    if master.startswith(("local", "yarn", "k8s://")):
        return
    if not master.startswith("spark://"):
        raise ConfigError(f"--spark-master '{master}': expected local[*], spark://HOST:PORT, yarn or k8s://…")
    for each in master.removeprefix("spark://").split(","):
        where = urlparse(f"spark://{each}")
        host, port = where.hostname, where.port or 7077
        try:
            with socket.create_connection((host, port), timeout=CONNECT_SECONDS):
                return
        except OSError as exc:
            reason = exc.strerror or str(exc) or type(exc).__name__
    raise ConfigError(f"--spark-master '{master}': the cluster cannot be reached ({reason})",)


class SparkCursor:
    """The rows of one statement, read as DuckDB's cursor is read."""

    def __init__(self, rows: list[tuple], names: list[str]):
        self.rows = rows
        self.description = [(n,) for n in names]

    def fetchall(self) -> list[tuple]:
        return self.rows

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None

    def fetchnumpy(self) -> dict[str, Any]:
        import numpy as np

        return {name: np.array([row[i] for row in self.rows])
                for i, (name,) in enumerate(self.description)}


_CREATE_AS = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(TABLE|VIEW)\s+(\w+)\s+AS\s+(.*)$", re.I | re.S)
_CREATE_COLUMNS = re.compile(r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(\w+)\s*\((.*)\)\s*$", re.I | re.S)
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s+VALUES", re.I)
_ENUM = re.compile(r"^\s*CREATE\s+TYPE\s+(\w+)\s+AS\s+ENUM\s*\((.*)\)\s*$", re.I | re.S)
_DROP = re.compile(r"^\s*DROP\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?(\w+)\s*$", re.I)
_DESCRIBE = re.compile(r"^\s*DESCRIBE\s+(\w+)\s*$", re.I)
_ENUM_RANGE = re.compile(r"enum_range\(NULL::(\w+)\)", re.I)
_SPARK_TYPES = {"VARCHAR": "STRING", "DOUBLE": "DOUBLE", "BIGINT": "BIGINT", "INTEGER": "INT"}


class SparkConnection:
    """What procmap asks of a DuckDB connection, answered by a SparkSession."""

    def __init__(self, session: Any, engine: SparkEngine):
        self.session = session
        self.engine = engine
        self.enums: dict[str, list[str]] = {}
        self.small: dict[str, tuple[list[str], list[tuple]]] = {}  # tables given row by row

    def execute(self, statement: str, params: Any = None) -> SparkCursor:
        statement = _bind(statement.strip().rstrip(";"), params)
        if statement.upper().startswith("SET "):
            return SparkCursor([], [])
        for name in self.enums:  # the ENUM type of activities is text on Spark
            statement = re.sub(rf"\bCAST\((.+?) AS {name}\)", r"\1", statement)
        if found := _ENUM.match(statement):
            rows = self._collect(self.session.sql(to_spark(found.group(2))))
            self.enums[found.group(1)] = [r[0] for r in rows]
            return SparkCursor([], [])
        if found := _ENUM_RANGE.search(statement):
            return SparkCursor([(self.enums[found.group(1)],)], ["range"])
        if "ENUM_CODE(UNNEST(variant))" in statement:  # each variant's activities, as codes
            names = next(iter(self.enums.values()))
            code = {name: i for i, name in enumerate(names)}
            rows = self._collect(self.session.sql("SELECT variant FROM variant_counts ORDER BY number"))
            return SparkCursor([(code[a],) for r in rows for a in r[0]], ["code"])
        if found := _DROP.match(statement):
            self.engine.drop(found.group(1))
            return SparkCursor([], [])
        if found := _DESCRIBE.match(statement):
            fields = self.session.table(found.group(1)).schema.fields
            return SparkCursor([(f.name, f.dataType.simpleString()) for f in fields], ["column_name", "column_type"])
        if found := _CREATE_COLUMNS.match(statement):
            names = [c.split()[0] for c in found.group(2).split(",")]
            types = [_SPARK_TYPES.get(c.split()[1].upper(), "STRING") for c in found.group(2).split(",")]
            self.small[found.group(1)] = (names, [])
            self._types = getattr(self, "_types", {})
            self._types[found.group(1)] = types
            self._show_small(found.group(1))
            return SparkCursor([], [])
        if found := _CREATE_AS.match(statement):
            kind, table, query = found.groups()
            self.engine.store(table, to_spark(query), stored=kind.upper() == "TABLE")
            return SparkCursor([], [])
        frame = self.session.sql(to_spark(statement))
        return SparkCursor([tuple(_plain(v) for v in r) for r in self._collect(frame)], frame.columns)

    def _collect(self, frame: Any) -> list[Any]:
        """The rows of ``frame``, with a bar of its jobs' stages on a terminal."""
        from procmap.mining.progress import computing_spark

        with computing_spark(self.session.sparkContext.statusTracker(), self.engine.take_doing()):
            return frame.collect()

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        found = _INSERT.match(statement)
        if not found or found.group(1) not in self.small:
            raise NotImplementedError(f"on Spark: {statement}")
        self.small[found.group(1)][1].extend(tuple(r) for r in rows)
        self._show_small(found.group(1))

    def _show_small(self, table: str) -> None:
        names, rows = self.small[table]
        schema = ", ".join(f"`{n}` {t}" for n, t in zip(names, self._types[table], strict=True))
        self.session.createDataFrame(rows, schema).createOrReplaceTempView(table)

    def interrupt(self) -> None:
        self.session.sparkContext.cancelAllJobs()

    def close(self) -> None:
        pass


def _plain(value: Any) -> Any:
    """A value as DuckDB returns it: Spark's averages of decimals are decimals, DuckDB's floats."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _bind(statement: str, params: Any) -> str:
    """``statement`` with its parameters (``?`` or ``$name``) written as literals."""
    if not params:
        return statement

    def literal(value: Any) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return repr(value)
        return sql_text(str(value))

    if isinstance(params, dict):
        for name, value in sorted(params.items(), key=lambda kv: -len(kv[0])):
            statement = statement.replace(f"${name}", literal(value))
        return statement
    values = iter(params)
    return re.sub(r"\?", lambda _: literal(next(values)), statement)


class SparkEngine:
    """A SparkSession with the interface of :class:`procmap.mining.engine.Engine`.

    Args:
        master: the cluster (``spark://HOST:PORT``, ``yarn``, ``k8s://…``) or
            ``local[*]`` for every core of this machine.
        conf: Spark settings (``spark.executor.memory`` …), passed as given.

    Raises:
        ConfigError: no Java, or a standalone master that does not answer
            within a few seconds.
    """

    dialect = "spark"

    def __init__(self, *, master: str | None = None, conf: dict[str, str] | None = None):
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise ConfigError("the Spark engine needs pyspark: pip install 'procmap[spark]'") from None
        master = master or DEFAULT_MASTER
        _check_java()
        _check_master(master)
        builder = SparkSession.builder.master(master).appName("procmap")
        # Parquet times in nanoseconds (pandas' and DuckDB's) are read as numbers of
        # nanoseconds, which read_log_spark turns into times, instead of refused
        settings = {"spark.sql.session.timeZone": "UTC", "spark.ui.showConsoleProgress": "false",
                    "spark.sql.legacy.parquet.nanosAsLong": "true", **(conf or {})}
        for key, value in settings.items():
            builder = builder.config(key, value)
        try:
            self.session = builder.getOrCreate()
        except Exception as exc:  # the JVM did not start, or refused a setting
            said = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ConfigError(f"Spark did not start on '{master}': {said}") from None
        self.session.sparkContext.setLogLevel("ERROR")
        self.master = master
        self.con = SparkConnection(self.session, self)
        self.temp_directory = None
        self._names = 0
        self._stored: dict[str, Any] = {}
        self._doing: str | None = None
        self._before_close: list[Callable[[], object]] = []

    def fresh_name(self, prefix: str) -> str:
        self._names += 1
        return f"{prefix}_{self._names}"

    def run(self, name: str, **params: Any) -> list[tuple]:
        """Run the computation ``sql/<name>.sql`` on Spark and return its rows."""
        return self.con.execute(sql(name), params or None).fetchall()

    def store(self, table: str, query: str, *, stored: bool) -> None:
        """``table`` as the result of ``query`` (Spark SQL): kept by the executors when ``stored``."""
        self.drop(table)
        frame = self.session.sql(query)
        if stored:
            frame = frame.persist()
            self._stored[table] = frame
        frame.createOrReplaceTempView(table)

    def materialize(self, table: str, name: str, doing: str | None = None) -> None:
        self.store(table, to_spark(sql(name), name), stored=True)
        self._doing = doing or self._doing

    def take_doing(self) -> str:
        """What the next Spark job does, for its progress bar: a stored table is
        computed by the first job that reads it, so that job shows what it stores."""
        doing, self._doing = self._doing, None
        return doing or "computing on Spark"

    def view(self, table: str, name: str) -> None:
        self.store(table, to_spark(sql(name), name), stored=False)

    def execute(self, statement: str, doing: str | None = None) -> None:
        self._doing = doing or self._doing
        self.con.execute(statement)

    def drop(self, name: str) -> None:
        if (frame := self._stored.pop(name, None)) is not None:
            frame.unpersist()
        self.session.catalog.dropTempView(name)
        self.con.small.pop(name, None)

    def before_close(self, callback: Callable[[], object]) -> None:
        self._before_close.append(callback)

    def close(self) -> None:
        callbacks, self._before_close = self._before_close, []
        try:
            for callback in callbacks:
                callback()
        finally:
            for name in list(self._stored):
                self.drop(name)
            self.session.stop()

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unix_seconds(text: str) -> str:
    """DuckDB's ``epoch`` keeps fractions of a second; Spark's ``UNIX_TIMESTAMP`` does not."""
    return re.sub(r"UNIX_TIMESTAMP\((TRY_CAST\(.*? AS TIMESTAMP\))\)",
                  r"(CAST(UNIX_MICROS(\1) AS DOUBLE) / 1000000)", text)


def check_log_path(path: Path) -> None:
    """A located error, before Spark starts, for a log Spark cannot read (XES)."""
    if path.name.lower().endswith((".xes", ".xes.gz")):
        raise MapError(SourceLocation(str(path)), "--engine", "Spark reads Parquet and CSV logs, not XES",
                       "convert it to Parquet first, e.g. with pm4py: "
                       "pm4py.write_parquet(pm4py.read_xes(LOG), 'log.parquet')")


def _spark_frame(session: Any, path: Path) -> tuple[Any, str]:
    """The log at ``path`` (a file or a folder of Parquet or CSV files) as a Spark DataFrame."""
    name = path.name.lower()
    where = SourceLocation(str(path))
    check_log_path(path)
    if name.endswith(".csv"):
        kind = "csv"
    elif name.endswith(".parquet") or path.is_dir():
        kind = "parquet"
        if path.is_dir() and not any(path.rglob("*.parquet")) and any(path.rglob("*.csv")):
            kind = "csv"
    else:
        raise MapError(where, None, "is not an event log Spark reads: a .parquet or .csv file, or a folder of them")
    target = str(path if "://" in str(path) else path.resolve())
    try:
        reader = session.read
        frame = (reader.option("header", "true").option("multiLine", "true").csv(target)
                 if kind == "csv" else reader.parquet(target))
    except Exception as exc:  # AnalysisException: no such path, not Parquet, …
        said = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise MapError(where, None, f"cannot be read by Spark: {said}") from None
    return frame, kind


def read_log_spark(
    path: Path,
    engine: SparkEngine,
    *,
    columns: EventLogColumns | None = None,
    teams: dict[str, str] | None = None,
    customer: list[str] | None = None,
) -> EventLog:
    """Load ``path`` on Spark as :func:`procmap.mining.read.read_log` loads it on DuckDB:
    the same ``events`` and ``log`` tables, the same bad rows left out."""
    from procmap.mining.columns import EventLogColumns
    from procmap.mining.read import EventLog, _bad_rows, _check_columns, _create_log_view, _select

    frame, _kind = _spark_frame(engine.session, path)
    available = list(frame.columns)
    resolved = (columns or EventLogColumns()).resolve(available)
    if not resolved.transitions:
        resolved = replace(resolved, lifecycle=None)
    elif resolved.lifecycle is None:
        raise MapError(SourceLocation(str(path)), "--lifecycle", "no lifecycle column found",
                       f"the log has {', '.join(available[:12])}")
    _check_columns(path, resolved, available)
    if resolved.time_format:
        raise MapError(SourceLocation(str(path)), "--time-format",
                       "on Spark the times must be ISO 8601 or typed timestamps",
                       "read it with --engine duckdb, or store the times as timestamps in Parquet")
    from pyspark.sql import functions
    from pyspark.sql.types import LongType

    roles = resolved.roles()
    for role in ("timestamp", "start"):
        column = roles.get(role)
        if column and _kind == "parquet" and isinstance(frame.schema[column].dataType, LongType):
            # nanoseconds since 1970 (see spark.sql.legacy.parquet.nanosAsLong)
            frame = frame.withColumn(column, functions.timestamp_micros(
                functions.floor(functions.col(f"`{column}`") / 1000)))
    # the file order of the events: increasing within and across the file's parts
    frame.withColumn("__row", functions.monotonically_increasing_id()).createOrReplaceTempView("log_source")
    kept = {c for role, c in (("start", "start_ts"), ("lane", "lane"), ("lifecycle", "lifecycle"))
            if role in resolved.roles()}
    if teams is not None:
        kept |= {"resource", "lane"}
    select = _unix_seconds(to_spark(_select(resolved, "log_source", kept, row="__row")))
    try:
        engine.store("events", select, stored=True)
        if teams is not None:
            con = engine.con
            con.execute("CREATE OR REPLACE TABLE teams (resource VARCHAR, team VARCHAR)")
            con.executemany("INSERT INTO teams VALUES (?, ?)", sorted(teams.items()))
            others = ", ".join(f"e.{c}" for c in engine.session.table("events").columns if c != "lane")
            engine.store("events_teamed", f"SELECT {others}, coalesce(t.team, e.lane) AS lane FROM events e "
                         "LEFT JOIN teams t ON e.resource = t.resource", stored=True)
            engine.store("events", "SELECT * FROM events_teamed", stored=True)
            resolved = replace(resolved, lane="team")
        bad = _bad_rows(engine.con, "rownum")
        log = EventLog(path, engine, resolved, 0, bad, "rownum")  # type: ignore[arg-type]
        _create_log_view(log, customer or [])
        (log.events,) = engine.con.execute("SELECT count(*) FROM log").fetchone()
    except MapError:
        raise
    except Exception as exc:
        if type(exc).__module__.startswith(("pyspark", "py4j")):
            said = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise MapError(SourceLocation(str(path)), None, f"cannot be read by Spark: {said}") from None
        raise
    return log


__all__ = ["SparkEngine", "engine_name", "parse_conf", "read_log_spark", "sql_text"]
