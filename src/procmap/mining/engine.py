"""The DuckDB engine: one embedded database per log, bounded in memory, spilling to disk.

Every computation is one SQL file in ``sql/`` written in DuckDB's dialect over
plain tables (``log``, then ``paths``, ``pairs`` and the variants for the
discovery, ``ordered`` for the evidence), so the same text runs on Spark after
SQLGlot has transpiled it (:func:`spark_sql`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import weakref
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    import duckdb


def default_memory_limit() -> str:
    """Half the machine's memory: the engine spills to disk beyond it."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return "4GB"
    return f"{max(1, total // 2 // 2**20)}MB"


class Engine:
    """A DuckDB connection set up for logs larger than memory.

    Args:
        memory_limit: DuckDB's ``memory_limit`` (e.g. ``"8GB"``); half the
            machine's memory if left out.
        temp_directory: where DuckDB spills; a fresh temporary folder if left
            out, removed by :meth:`close`.
    """

    def __init__(self, *, memory_limit: str | None = None, temp_directory: str | None = None):
        import duckdb

        self._own_temp = temp_directory is None
        if self._own_temp:
            remove_stale_folders()
        self.temp_directory = temp_directory or tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")
        if self._own_temp:  # removed at close, or when the engine is dropped, or at exit
            self._cleanup = weakref.finalize(self, shutil.rmtree, self.temp_directory, True)
        try:
            self.con: duckdb.DuckDBPyConnection = duckdb.connect(
                ":memory:",
                config={
                    "memory_limit": memory_limit or default_memory_limit(),
                    "temp_directory": self.temp_directory,
                    "preserve_insertion_order": False,
                },
            )
        except duckdb.Error as exc:
            if self._own_temp:
                self._cleanup()
            from procmap.errors import ConfigError

            said = str(exc).splitlines()[0].split("Error: ", 1)[-1]
            raise ConfigError(f"--memory-limit '{memory_limit}': {said}") from None
        self.con.execute("SET enable_progress_bar = false")  # its bar would go to standard output
        # A time without an offset is UTC, as PM4Py reads it, whatever the machine's
        # zone: read as local time, waits across a change of clocks would be off.
        self.con.execute("SET TimeZone = 'UTC'")
        self._names = 0
        self._before_close: list[Callable[[], object]] = []
        _watch(self)

    def fresh_name(self, prefix: str) -> str:
        """A name not used before in this engine (for types that tables may still hold)."""
        self._names += 1
        return f"{prefix}_{self._names}"

    def run(self, name: str, **params: Any) -> list[tuple]:
        """Run the computation ``sql/<name>.sql`` and return its rows."""
        return self.con.execute(sql(name), params or None).fetchall()

    def materialize(self, table: str, name: str, doing: str | None = None) -> None:
        """Store the result of ``sql/<name>.sql`` as table ``table``; with a
        progress bar described by ``doing`` on a terminal."""
        self.execute(f"CREATE OR REPLACE TABLE {table} AS {sql(name)}", doing)

    def view(self, table: str, name: str) -> None:
        """Define ``table`` as the view of ``sql/<name>.sql``: not stored, computed by
        what reads it."""
        self.drop(table)
        self.con.execute(f"CREATE VIEW {table} AS {sql(name)}")

    def execute(self, statement: str, doing: str | None = None) -> None:
        """Run ``statement``; with a progress bar described by ``doing`` on a terminal."""
        if doing is None:
            self.con.execute(statement)
            return
        from procmap.mining.progress import computing

        with computing(self.con, doing):
            self.con.execute(statement)

    def drop(self, name: str) -> None:
        """Drop the table or view ``name`` if there is one."""
        kinds = self.con.execute(
            "SELECT 'TABLE' FROM duckdb_tables() WHERE table_name = $name AND NOT temporary "
            "UNION ALL SELECT 'VIEW' FROM duckdb_views() WHERE view_name = $name AND NOT temporary",
            {"name": name},
        ).fetchall()
        for (kind,) in kinds:
            self.con.execute(f"DROP {kind} {name}")

    def before_close(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` when the engine closes, while it still answers."""
        self._before_close.append(callback)

    def close(self) -> None:
        callbacks, self._before_close = self._before_close, []
        try:
            for callback in callbacks:
                callback()
        finally:
            self.con.close()
            _unwatch(self)
        if self._own_temp:
            self._cleanup()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_PREFIX = "procmap-duckdb-"
_open: weakref.WeakSet[Engine] = weakref.WeakSet()
_watcher: dict[str, Any] = {}
_interrupted = threading.Event()


def interrupted() -> bool:
    """Whether Ctrl-C (or SIGTERM) stopped a query of an engine in this process."""
    return _interrupted.is_set()


def _watch(engine: Engine) -> None:
    """Let Ctrl-C stop the engine's query at once.

    Python runs its signal handlers only between bytecodes, so a long query
    would hold Ctrl-C until it ends. The C-level handler also writes the signal
    to a wake-up socket, which a thread watches to interrupt every open engine.
    Nothing is set up outside the main thread, or when someone else (an event
    loop) owns the wake-up descriptor.
    """
    _open.add(engine)
    if _watcher or threading.current_thread() is not threading.main_thread():
        return
    import signal
    import socket

    reader, writer = socket.socketpair()
    writer.setblocking(False)
    try:
        previous = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    except (ValueError, OSError):
        reader.close()
        writer.close()
        return
    if previous != -1:  # an event loop's: leave it alone
        signal.set_wakeup_fd(previous)
        reader.close()
        writer.close()
        return
    stops = {int(signal.SIGINT), int(signal.SIGTERM)}

    def watch() -> None:
        while True:
            try:
                data = reader.recv(64)
            except OSError:
                return
            if not data:
                return
            if stops & set(data):
                _interrupted.set()
                for each in list(_open):
                    with contextlib.suppress(Exception):  # closed meanwhile
                        each.con.interrupt()

    thread = threading.Thread(target=watch, name="procmap-interrupt", daemon=True)
    thread.start()
    _watcher.update(reader=reader, writer=writer, thread=thread)


def _unwatch(engine: Engine) -> None:
    _open.discard(engine)
    if _open or not _watcher or threading.current_thread() is not threading.main_thread():
        return
    import signal

    with contextlib.suppress(ValueError, OSError):
        signal.set_wakeup_fd(-1)
    writer, reader = _watcher.pop("writer"), _watcher.pop("reader")
    _watcher.clear()
    writer.close()
    with contextlib.suppress(OSError):
        reader.shutdown(2)
    reader.close()


def remove_stale_folders(base: str | None = None) -> None:
    """Remove the spill folders that engines of ended processes left (a killed run)."""
    import time

    base = base or tempfile.gettempdir()
    try:
        entries = list(os.scandir(base))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(_PREFIX) or not entry.is_dir(follow_symlinks=False):
            continue
        pid = entry.name[len(_PREFIX):].split("-", 1)[0]
        if pid.isdigit():
            from procmap.io.files import process_alive  # imported only when there is a folder

            stale = not process_alive(int(pid))
        else:  # named before the process id was: stale after a day
            try:
                stale = time.time() - entry.stat(follow_symlinks=False).st_mtime > 86400
            except OSError:
                stale = False
        if stale:
            shutil.rmtree(entry.path, ignore_errors=True)


@cache
def sql_text(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def sql(name: str) -> str:
    """The text of the computation ``name`` (DuckDB dialect), without its trailing ``;``."""
    text = resources.files("procmap.mining").joinpath("sql", f"{name}.sql").read_text("utf-8")
    return text.strip().rstrip(";")


def spark_sql(name: str) -> str:
    """The computation ``name`` transpiled to Spark SQL by SQLGlot (:func:`to_spark`)."""
    return to_spark(sql(name), name)


def to_spark(text: str, name: str = "statement") -> str:
    """A statement in DuckDB's dialect, transpiled to Spark SQL by SQLGlot.

    Some of DuckDB's functions have no exact equal that SQLGlot writes on its
    own, so they are rewritten before:

    - ``PERCENTILE_CONT(q) WITHIN GROUP (ORDER BY x)`` becomes Spark's exact
      ``PERCENTILE(x, q)`` (not the approximate ``PERCENTILE_APPROX``), and
      ``QUANTILE_CONT(x, [p, q])`` (several from one sort) ``PERCENTILE(x, ARRAY(p, q))``;
    - an ordered list ``LIST(x ORDER BY y)`` becomes
      ``TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT(y, x))), …)`` (``COLLECT_LIST``
      alone keeps no order);
    - ``LIST_EXTRACT(l, i)`` (from 1) becomes ``ELEMENT_AT(l, i)`` (from 1 too),
      and ``LIST_SLICE(l, a, b)`` (a to b) becomes ``SLICE(l, a, b - a + 1)``
      (from a, that many).
    """
    import sqlglot
    from sqlglot import exp

    def exact(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.WithinGroup) and isinstance(node.this, exp.PercentileCont):
            column = node.expression.expressions[0].this
            return exp.Anonymous(this="PERCENTILE", expressions=[column.copy(), node.this.this.copy()])
        if isinstance(node, exp.PercentileCont) and node.expression is not None:
            return exp.Anonymous(this="PERCENTILE", expressions=[node.this.copy(), node.expression.copy()])
        if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
            value, order = node.this.this, node.this.expressions
            if len(order) != 1 or order[0].args.get("desc"):
                raise ValueError(f"{name}: only LIST(x ORDER BY y) is written for Spark")
            by, what = order[0].this.sql("spark"), value.sql("spark")
            return sqlglot.parse_one(
                f"TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT({by} AS k, {what} AS v))), e -> e.v)",
                read="spark")
        if isinstance(node, exp.Anonymous) and node.name.upper() == "LIST_EXTRACT":
            return exp.Anonymous(this="ELEMENT_AT", expressions=[e.copy() for e in node.expressions])
        if isinstance(node, exp.Anonymous) and node.name.upper() == "LIST_SLICE":
            values, first, last = (e.copy() for e in node.expressions)
            count = exp.Add(this=exp.Sub(this=exp.paren(last), expression=exp.paren(first)),
                            expression=exp.Literal.number(1))
            return exp.Anonymous(this="SLICE", expressions=[values, first, count])
        return node

    tree = sqlglot.parse_one(text, read="duckdb").transform(exact)
    return tree.sql(dialect="spark")
