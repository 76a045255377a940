"""Reading an event log (CSV, Parquet, XES) into the engine's ``events`` table.

The table holds one row per event, in file order (its ``rowid``), with the
columns procmap works on: ``case_id``, ``activity``, ``ts`` and ``start_ts``
(seconds since 1970, UTC), ``resource``, ``lane``. A Parquet file is not
copied: ``events`` is a view that reads it, numbered by its ``rownum``. Rows without a case or an
activity, or whose time is missing or cannot be read, are counted and shown
with examples (:class:`BadRows`), and left out of every computation.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from procmap.errors import MapError, SourceLocation
from procmap.mining.columns import REQUIRED, EventLogColumns
from procmap.mining.engine import Engine, sql_text
from procmap.mining.progress import progress

SUFFIXES = (".csv", ".parquet", ".xes", ".xes.gz")



def _blank(column: str) -> str:
    """SQL true when ``column`` is missing or only spaces.

    ``trim`` is costly on millions of rows, so it only runs on values that sort
    before ``!`` (empty, or beginning with a space or a control character) or
    from U+0080 on (beginning with a character that may be a space too). Those
    two comparisons are answered from each row group's minimum and maximum, so a
    log without such values is not read at all.
    """
    return (f"({column} IS NULL OR (({column} < '!' OR {column} >= '\u0080') "
            f"AND trim({column}) = ''))")


BAD_REASONS = {
    "no case": _blank("case_id"),
    "no activity": _blank("activity"),
    # ts_text holds the text of the time only where it could not be read
    "no time": f"ts IS NULL AND {_blank('ts_text')}",
    "time not readable": f"ts IS NULL AND NOT {_blank('ts_text')}",
}


@dataclass
class BadRows:
    """Rows left out for one reason: how many, and a few of them (row number, values)."""

    reason: str
    count: int
    examples: list[str] = field(default_factory=list)


@dataclass
class EventLog:
    """A log loaded into an engine: the ``events`` table and the view ``log`` over its good rows."""

    path: Path
    engine: Engine
    columns: EventLogColumns
    events: int
    bad: list[BadRows]
    row: str = "rowid"
    """The column of ``events`` that numbers the events in file order."""
    activity_type: str = ""
    """The engine's ENUM type of the activity names (in text order)."""
    has_starts: bool = False
    """Whether some events have a start time besides their time."""
    other_transitions: int = 0
    """Events left out because their lifecycle transition is not one of those kept."""
    known_cases: int | None = None
    """The number of cases once counted (:attr:`cases`)."""

    @property
    def cases(self) -> int:
        """How many cases the log has (its good rows), counted once.

        Ordering the events of each case (:func:`procmap.mining.stats.prepare`)
        counts them on the way, so a prepared log needs no extra pass; a log
        that was not prepared is counted when first asked, or when its engine
        closes.
        """
        if self.known_cases is None:
            (self.known_cases,) = self.engine.con.execute(
                "SELECT count(DISTINCT case_id) FROM all_events").fetchone()
        return self.known_cases

    @property
    def has_lanes(self) -> bool:
        """Whether events carry a lane (from a column or a resource → team file)."""
        return self.columns.lane is not None


def log_format(path: Path) -> str:
    """``csv``, ``parquet`` or ``xes`` from the file name, or a located error."""
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return suffix.split(".")[1]
    raise MapError(
        SourceLocation(str(path)), None,
        f"is not an event log: procmap reads {', '.join(SUFFIXES[:-1])} and {SUFFIXES[-1]} files",
    )


def read_log(
    path: str | Path,
    engine: Engine,
    *,
    columns: EventLogColumns | None = None,
    teams: dict[str, str] | None = None,
    customer: list[str] | None = None,
) -> EventLog:
    """Load ``path`` into ``engine`` and describe what was read.

    Args:
        columns: which columns hold what; the usual names are found on their own.
        teams: resource → team; when given, the team is the event's lane.
        customer: activity patterns (``Submit*``) that mark customer-facing activities.

    Raises:
        MapError: no such file, not a log, malformed XES, or a column that is not there.
    """
    path = Path(path)
    _check_file(path)
    kind = log_format(path)
    con = engine.con
    source, available = _source(path, kind, engine)
    resolved = (columns or EventLogColumns()).resolve(available)
    if not resolved.transitions:  # the lifecycle column is read only to keep some transitions
        resolved = replace(resolved, lifecycle=None)
    elif resolved.lifecycle is None:
        raise MapError(SourceLocation(str(path)), "--lifecycle", "no lifecycle column found",
                       f"the log has {', '.join(available[:12])}")
    _check_columns(path, resolved, available)
    if kind == "parquet" and not resolved.time_format:
        _check_time_types(path, source, resolved, engine)
    if resolved.time_format:
        if kind == "xes":
            raise MapError(SourceLocation(str(path)), "--time-format",
                           "XES writes its times as ISO 8601: a time format is for CSV and Parquet logs")
        _check_time_format(path, resolved.time_format, engine)
    engine.drop("events")
    row = "rowid"  # the file order of each event
    # the columns a computation reads: a start time or a lane when the log has
    # one, the resource only to find its team
    kept = {c for role, c in (("start", "start_ts"), ("lane", "lane"), ("lifecycle", "lifecycle"))
            if role in resolved.roles()}
    if teams is not None:
        kept |= {"resource", "lane"}
    if kind == "xes":
        _load_xes(path, engine, resolved, kept)
    elif kind == "parquet" and teams is None:
        # Parquet is read again by each computation, cheaply (columns, statistics),
        # instead of being copied into the engine; its row numbers are the file order.
        numbered = source.removesuffix(")") + ", file_row_number = true)"
        con.execute(f"CREATE VIEW events AS {_select(resolved, numbered, kept, row='file_row_number')}")
        row = "rownum"
    else:
        import duckdb

        con.execute("SET preserve_insertion_order = true")  # rowid = file order
        try:
            engine.execute(f"CREATE TABLE events AS {_select(resolved, source, kept)}", f"reading {path.name}")
        except duckdb.InvalidInputException as exc:
            raise _csv_error(path, exc) from None
        finally:
            con.execute("SET preserve_insertion_order = false")
    if teams is not None:
        con.execute("CREATE OR REPLACE TABLE teams (resource VARCHAR, team VARCHAR)")
        if teams:
            con.executemany("INSERT INTO teams VALUES (?, ?)", sorted(teams.items()))
        con.execute(
            "UPDATE events SET lane = teams.team FROM teams WHERE events.resource = teams.resource"
        )
        resolved = _with_lane(resolved, "team")
    bad = _bad_rows(con, row)
    log = EventLog(path, engine, resolved, 0, bad, row)
    _create_log_view(log, customer or [])
    (log.events,) = con.execute("SELECT count(*) FROM log").fetchone()
    engine.before_close(lambda: log.cases)  # counted by then, if nothing counted them before
    return log


def _with_lane(columns: EventLogColumns, lane: str) -> EventLogColumns:
    return replace(columns, lane=lane)


def _check_file(path: Path) -> None:
    """A located error unless ``path`` is a regular file (the engine reads a log more than once)."""
    import stat

    where = SourceLocation(str(path))
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise MapError(where, None, "no such file") from None
    except OSError as exc:
        raise MapError(where, None, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise MapError(where, None, "is a folder, not an event log", "name the log file in it")
    if not stat.S_ISREG(mode):
        kind = "a FIFO (pipe)" if stat.S_ISFIFO(mode) else "a device" if (
            stat.S_ISCHR(mode) or stat.S_ISBLK(mode)) else "not a regular file"
        raise MapError(where, None, f"is {kind}: procmap reads an event log from a file, "
                       "more than once", "save it to a file first")
    if not os.access(path, os.R_OK):
        raise MapError(where, None, "cannot be read (permission denied)")


_PLAIN_PATH = re.compile(r"[A-Za-z0-9_./ ,+=@%-]+")
"""Characters DuckDB reads literally in a file name (no glob, no ``~``, no URL)."""


def literal_path(path: Path, engine: Engine) -> str:
    """A name by which the engine reads exactly ``path``, never a pattern or a URL.

    DuckDB takes ``*``, ``?``, ``[…]`` and ``{…}`` as globs (``log[1].csv`` would read
    ``log1.csv``), ``~`` as the home folder, ``s3://`` as a URL: a path with any
    of those is read through a link with a plain name in the engine's own folder.
    """
    absolute = os.path.abspath(path)
    if _PLAIN_PATH.fullmatch(absolute):
        return absolute
    engine_folder = Path(engine.temp_directory)
    link = engine_folder / f"input-{engine.fresh_name('log')}{''.join(path.suffixes[-2:])}"
    if not _PLAIN_PATH.fullmatch(str(link)):
        link = Path(tempfile.mkdtemp(prefix="procmap-link-")) / f"input{''.join(path.suffixes[-2:])}"
        engine.before_close(lambda: shutil.rmtree(link.parent, ignore_errors=True))
    os.symlink(absolute, link)
    return str(link)


def _source(path: Path, kind: str, engine: Engine) -> tuple[str, list[str]]:
    """The table function that reads the file, and the column names it has."""
    import duckdb

    quoted = sql_text(literal_path(path, engine)) if kind != "xes" else ""
    if kind == "xes":
        from procmap.mining.xes import attribute_keys

        return "", attribute_keys(path)
    try:
        if kind == "csv":
            return _sniffed_csv(path, quoted, engine)
        source = f"read_parquet({quoted})"
        names = [row[0] for row in engine.con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        raise MapError(SourceLocation(str(path)), None, f"cannot be read as {kind}: {first}") from None
    return source, names


def _sniffed_csv(path: Path, quoted: str, engine: Engine) -> tuple[str, list[str]]:
    """Find the CSV's dialect and columns once (DuckDB's sniffer), and read it with
    them, every column as text, so that the read does not sniff the file again."""
    _check_csv_text(path)
    delim, quote, escape, new_line, comment, skip, columns = engine.con.execute(
        "SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, Columns "
        f"FROM sniff_csv({quoted}, all_varchar = true, header = true)").fetchone()
    names = [c["name"] for c in columns]
    if skip and comment in ("", "(empty)"):
        _check_row_lengths(path, delim)
    if len(names) == 1 and any(d in names[0] for d in ",;\t|"):
        raise _one_column(path, names[0])
    quote, escape, comment = ("" if v == "(empty)" else v for v in (quote, escape, comment))  # "none"
    if not quote:
        # The sniffer sees a sample of the rows: no quotes in it does not mean none
        # further on (a resource "Smith, John" in row 50,000). Quotes as RFC 4180
        # has them change nothing in a file without any, and a stray quote inside
        # a value (5" screen) is still read as it is.
        quote = escape = '"'
    typed = ", ".join(f"{sql_text(n)}: 'VARCHAR'" for n in names)
    return (f"read_csv({quoted}, auto_detect = false, header = true, delim = {sql_text(delim)}, "
            f"quote = {sql_text(quote)}, escape = {sql_text(escape)}, "
            f"new_line = {sql_text(new_line)}, comment = {sql_text(comment)}, "
            f"skip = {int(skip)}, columns = {{{typed}}})"), names


def _check_csv_text(path: Path) -> None:
    """An empty file, or one whose first mebibyte is not UTF-8, gets a located error."""
    import codecs

    with open(path, "rb") as handle:
        head = handle.read(2**20)
    if not head.strip():
        raise MapError(SourceLocation(str(path)), None, "is empty: a CSV log needs a header "
                       "row and one row per event")
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=len(head) < 2**20)
    except UnicodeDecodeError as exc:
        line = head.count(b"\n", 0, exc.start) + 1
        column = exc.start - (head.rfind(b"\n", 0, exc.start) + 1) + 1
        raise MapError(SourceLocation(str(path), line, column), None,
                       f"is not UTF-8 text (byte 0x{head[exc.start:exc.start + 1].hex()})",
                       "save the file as UTF-8") from None


def _check_row_lengths(path: Path, delim: str) -> None:
    """The sniffer skipped rows to find a header: the first row whose number of
    values differs from the header's is the problem."""
    import csv

    with open(path, encoding="utf-8-sig", errors="replace", newline="") as rows:
        reader = csv.reader(rows, delimiter=delim or ",")
        header = next(reader, None)
        if header is None:
            return
        for number, row in enumerate(reader, start=2):
            if row and len(row) != len(header):
                raise MapError(
                    SourceLocation(str(path), reader.line_num), None,
                    f"has {len(row)} values where the header has {len(header)}",
                    "a value with the delimiter in it needs quotes around it"
                    if len(row) > len(header) else "every row needs a value for each column")
            if number >= 20_480:  # the sniffer's sample
                return


def _one_column(path: Path, name: str) -> MapError:
    """The sniffer found one column named like several: the file's rows do not
    split the same way, most often because of a quote that is not closed."""
    odd = None
    with open(path, encoding="utf-8", errors="replace") as rows:
        for number, row in enumerate(rows, start=1):
            if row.count('"') % 2:
                odd = number
                break
            if number >= 20_480:  # the sniffer's sample
                break
    shown = name if len(name) <= 60 else name[:57] + "..."
    return MapError(
        SourceLocation(str(path), odd or 0), None,
        f"its columns cannot be told apart: the rows read as one column '{shown}'",
        "this line has a quote that is not closed" if odd else
        "check the delimiter and the quotes near the top of the file",
    )


def _csv_error(path: Path, exc: Exception) -> MapError:
    """DuckDB's error on a CSV row as a located error: the line, what is wrong with
    it, and the line itself."""
    import re

    text = str(exc)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    original = re.search(r"Original Line: (.*)", text)
    columns = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if "Invalid unicode" in text:
        what = "is not UTF-8 text"
        original = None
        columns = None
        where = SourceLocation(str(path), int(line.group(1))) if line else SourceLocation(str(path))
        return MapError(where, None, what, "save the file as UTF-8")
    if "unterminated quote" in text:
        what = "a quoted value is not closed (a \" with no \" after it)"
    elif columns:
        expected, found = columns.groups()
        what = f"has {found} values where the header has {expected}"
    else:
        what = "is not a well-formed CSV row: " + text.splitlines()[0].removeprefix("Invalid Input Error: ")
    hint = None
    if original:
        shown = original.group(1) if len(original.group(1)) <= 120 else original.group(1)[:117] + "..."
        hint = f"the line: {shown}"
        if columns and int(columns.group(2)) > int(columns.group(1)):
            hint += " (a value with the delimiter in it needs quotes around it)"
    where = SourceLocation(str(path), int(line.group(1))) if line else SourceLocation(str(path))
    return MapError(where, None, what, hint)


def _check_columns(path: Path, columns: EventLogColumns, available: list[str]) -> None:
    roles = columns.roles()
    for role in REQUIRED:
        if role not in roles:
            raise MapError(
                SourceLocation(str(path)), None, f"no {role} column found",
                f"name it with --{role}; the log has {', '.join(available[:12])}",
            )
    for role, name in roles.items():
        if name not in available:
            from rapidfuzz import process as fuzzy  # only to name the nearest column

            match = fuzzy.extractOne(name, available, score_cutoff=60)
            hint = f"did you mean '{match[0]}'?" if match else f"the log has {', '.join(available[:12])}"
            raise MapError(SourceLocation(str(path)), f"--{role}", f"no column '{name}'", hint)


def _check_time_types(path: Path, source: str, columns: EventLogColumns, engine: Engine) -> None:
    """Times a Parquet file stores as numbers are not read as times: say so."""
    types = dict(engine.con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {source})").fetchall())
    for role, name in columns.roles().items():
        if role not in ("timestamp", "start"):
            continue
        kind = str(types.get(name, "")).upper()
        if kind and any(t in kind for t in ("INT", "DOUBLE", "FLOAT", "DECIMAL", "REAL")):
            raise MapError(SourceLocation(str(path)), f"--{role}",
                           f"the column '{name}' holds numbers ({kind}), not times",
                           "store it as a Parquet timestamp (or text such as 2026-03-02T10:42:00)")


def _check_time_format(path: Path, time_format: str, engine: Engine) -> None:
    import duckdb

    problem = None if "%" in time_format else "has no % codes"
    try:
        engine.con.execute(f"SELECT try_strptime('', {sql_text(time_format)})").fetchall()
    except duckdb.Error as exc:
        problem = str(exc).splitlines()[0].removeprefix("Invalid Input Error: ")
    if problem:
        raise MapError(SourceLocation(str(path)), "--time-format",
                       f"'{time_format}' is not a time format: {problem}",
                       "write it with strptime codes, e.g. '%d-%m-%Y %H:%M:%S'")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _time(expression: str, time_format: str | None = None) -> str:
    """Seconds since 1970 (UTC) of a timestamp column, NULL when it cannot be read:
    as written in ``time_format`` when given, else ISO 8601 and its usual kin."""
    if time_format:
        return f"epoch(try_strptime(CAST({expression} AS VARCHAR), {sql_text(time_format)}))"
    return f"epoch(try_cast({expression} AS TIMESTAMPTZ))"


def _select(columns: EventLogColumns, source: str, kept: set[str], row: str | None = None) -> str:
    """The SELECT that maps a source's columns onto the ``events`` table: case, activity
    and times, the ``kept`` ones of ``start_ts``, ``resource``, ``lane`` and
    ``lifecycle``, and a ``rownum`` column from the source's ``row`` when given."""
    roles = columns.roles()

    def text(role: str) -> str:
        return f"CAST({_quote(roles[role])} AS VARCHAR)" if role in roles else "CAST(NULL AS VARCHAR)"

    ts = _quote(roles["timestamp"])
    start = _time(_quote(roles["start"]), columns.time_format) if "start" in roles else "CAST(NULL AS DOUBLE)"
    numbered = f", {row} AS rownum" if row else ""
    optional = "".join(f", {c}" for c in ("start_ts", "resource", "lane", "lifecycle") if c in kept)
    return (
        "SELECT case_id, activity, CASE WHEN ts IS NULL THEN ts_text END AS ts_text, ts"
        f"{optional}{', rownum' if row else ''} FROM (SELECT {text('case')} AS case_id, "
        f"{text('activity')} AS activity, CAST({ts} AS VARCHAR) AS ts_text, {_time(ts, columns.time_format)} AS ts, "
        f"{start} AS start_ts, {text('resource')} AS resource, {text('lane')} AS lane, "
        f"{text('lifecycle')} AS lifecycle{numbered} "
        f"FROM {source})"
    )


def _load_xes(path: Path, engine: Engine, columns: EventLogColumns, kept: set[str]) -> None:
    """The fast way (:mod:`procmap.mining.xes_text`) when the file's shape allows, else lxml."""
    import pyarrow as pa

    from procmap.mining import xes_text
    from procmap.mining.xes import read_batches

    con = engine.con
    keys = set(columns.roles().values())
    create = f"CREATE OR REPLACE TABLE events AS {_select(columns, _empty_source(keys), kept)}"
    insert = f"INSERT INTO events {_select(columns, 'batch', kept)}"
    con.execute("SET preserve_insertion_order = true")  # rowid = file order
    try:
        con.execute(create)
        with progress(f"reading {path.name}", total=path.stat().st_size) as advance:
            if xes_text.load(path, con, keys, insert, on_progress=advance):
                return
        con.execute(create)
        with progress(f"reading {path.name}", total=path.stat().st_size) as advance:
            for columns_of_batch in read_batches(path, keys, on_progress=advance):
                batch = pa.table({k: pa.array(v, pa.string()) for k, v in columns_of_batch.items()})
                con.register("batch", batch)
                con.execute(insert)
                con.unregister("batch")
    finally:
        con.execute("SET preserve_insertion_order = false")


def _empty_source(keys: set[str]) -> str:
    fields = ", ".join(f"CAST(NULL AS VARCHAR) AS {_quote(k)}" for k in sorted(keys))
    return f"(SELECT {fields} LIMIT 0)"


def _bad_rows(con, row: str) -> list[BadRows]:
    """Count each reason in one pass over the rows that have one; examples only for those that occur."""
    counts = con.execute(
        "SELECT " + ", ".join(f"count(*) FILTER (WHERE {c})" for c in BAD_REASONS.values())
        + " FROM events WHERE " + " OR ".join(f"({c})" for c in BAD_REASONS.values())
    ).fetchone()
    found = []
    for (reason, condition), count in zip(BAD_REASONS.items(), counts, strict=True):
        if not count:
            continue
        rows = con.execute(
            f"SELECT {row} + 1, case_id, activity, coalesce(ts_text, CAST(to_timestamp(ts) AS VARCHAR)) "
            f"FROM events WHERE {condition} "
            f"ORDER BY {row} LIMIT 3"
        ).fetchall()
        examples = [
            f"event {n}: case {c!r}, activity {a!r}, time {t!r}" for n, c, a, t in rows
        ]
        found.append(BadRows(reason, count, examples))
    return found


def mark_customer(log: EventLog, activities: list[str]) -> None:
    """Mark exactly ``activities`` as those where the customer takes part (for a map's
    Moments of Truth); computations prepared before must be prepared again."""
    _create_log_view(log, [], names=activities)


def _create_log_view(log: EventLog, customer: list[str], names: list[str] | None = None) -> None:
    """The view every computation reads: good rows, numbered in file order, customer flag.

    The customer activities are those matching the patterns ``customer``, or ``names``.

    The conditions are left out when they would keep every row, so that a scan
    of the view costs no more than a scan of the table.
    """
    engine, con = log.engine, log.engine.con
    good = " AND ".join(f"NOT ({c})" for c in BAD_REASONS.values()) if log.bad else "true"
    if log.columns.transitions:
        wanted = ", ".join(sql_text(t.strip().lower()) for t in log.columns.transitions)
        wanted_here = f"coalesce(lower(trim(lifecycle)) IN ({wanted}), false)"
        (log.other_transitions,) = con.execute(
            f"SELECT count(*) FROM events WHERE {good} AND NOT {wanted_here}").fetchone()
        good = f"{good} AND {wanted_here}"
    con.execute("CREATE OR REPLACE TABLE customer_activities (activity VARCHAR)")
    flag = "false"
    if customer or names:
        from fnmatch import fnmatchcase

        marked = names or [n for (n,) in con.execute(
            f"SELECT DISTINCT activity FROM events WHERE {good}").fetchall()
            if any(fnmatchcase(n, p.strip()) for p in customer)]
        if marked:  # a pattern no activity matches marks none
            con.executemany("INSERT INTO customer_activities VALUES (?)", [(n,) for n in marked])
        flag = "e.activity IN (SELECT activity FROM customer_activities)"
    present = {name for (name, *_) in con.execute("DESCRIBE events").fetchall()}
    log.has_starts = "start_ts" in present and con.execute(
        "SELECT count(start_ts) > 0 FROM events").fetchall()[0][0]
    start = "coalesce(e.start_ts, e.ts)" if log.has_starts else "e.ts"
    resource, lane = (f"e.{c}" if c in present else "CAST(NULL AS VARCHAR)" for c in ("resource", "lane"))
    # Activities as an ENUM: one small number per event instead of its text, which
    # makes the sorts, groups and lists of every computation cheaper. The values
    # are in text order, so anything ordered by activity comes out as before.
    # A log's events do not change, so its type is made once (mark_customer keeps it).
    if not log.activity_type:
        log.activity_type = engine.fresh_name("activity_name")
        con.execute(f"CREATE TYPE {log.activity_type} AS ENUM "
                    "(SELECT DISTINCT activity FROM events WHERE activity IS NOT NULL ORDER BY activity)")
    activity_type = log.activity_type
    con.execute(
        f"CREATE OR REPLACE VIEW all_events AS SELECT e.{log.row} AS rownum, e.case_id, "
        f"CAST(e.activity AS {activity_type}) AS activity, e.ts, "
        f"{start} AS start_ts, {resource} AS resource, {lane} AS lane, {flag} AS customer "
        f"FROM events e WHERE {good}"
    )
    con.execute("CREATE OR REPLACE VIEW log AS SELECT * FROM all_events")
