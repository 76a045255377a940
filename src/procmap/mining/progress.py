"""Progress bars on standard error, shown only when it is a terminal."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import duckdb
    from rich.progress import Progress

SHOW_AFTER = 0.5
"""Seconds a computation runs before its bar appears (quick ones show none)."""


class Clock(Protocol):
    """How the progress watcher waits (tests give it a clock of their own)."""

    def wait(self, done: threading.Event, seconds: float) -> bool:
        """Wait ``seconds`` or until ``done`` is set; answer whether it is set."""
        ...


class WallClock:
    """The real time."""

    def wait(self, done: threading.Event, seconds: float) -> bool:
        return done.wait(seconds)


CLOCK: Clock = WallClock()
"""The clock :func:`follow` waits by unless it is given one."""


@contextmanager
def progress(description: str, total: float | None = None) -> Iterator[Callable[[float], None]]:
    """A Rich progress bar; yields ``update(completed)``. Silent when stderr is no terminal."""
    if not sys.stderr.isatty():
        yield lambda completed: None
        return
    bar = _bar()
    task = bar.add_task(description, total=total)
    with bar:
        yield lambda completed: bar.update(task, completed=completed)


def _bar() -> Progress:
    """The bar both helpers show: on standard error, gone when done."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)


@contextmanager
def follow(con: duckdb.DuckDBPyConnection, on_progress: Callable[[float], None],
           every: float = 0.1, after: float = 0.0, clock: Clock | None = None) -> Iterator[None]:
    """Call ``on_progress(percent)`` with DuckDB's progress of the statement that
    ``con`` runs inside the block, from a thread, every ``every`` seconds once
    ``after`` seconds have passed (by ``clock``, the real time by default)."""
    import duckdb

    clock = clock or CLOCK

    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")  # DuckDB's own bar, on standard output
    con.execute("SET progress_bar_time = 0")
    done = threading.Event()

    def poll() -> None:
        if clock.wait(done, after):
            return
        while not clock.wait(done, every):
            percent = con.query_progress()
            if percent >= 0:  # -1: no statement running, or none that reports
                on_progress(min(percent, 100.0))

    watcher = threading.Thread(target=poll, name="procmap-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        with suppress(duckdb.Error):  # a failed statement's own error is the one to see
            con.execute("SET enable_progress_bar = false")


@contextmanager
def computing(con: duckdb.DuckDBPyConnection, description: str,
              clock: Clock | None = None) -> Iterator[None]:
    """A bar with DuckDB's progress of the statements run inside the block, on a
    terminal, once they have taken longer than :data:`SHOW_AFTER` (by ``clock``)."""
    if not sys.stderr.isatty():
        yield
        return
    bar = _bar()
    task = bar.add_task(description, total=100)

    def advance(percent: float) -> None:
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=percent)

    try:
        with follow(con, advance, after=SHOW_AFTER, clock=clock):
            yield
    finally:
        bar.stop()
