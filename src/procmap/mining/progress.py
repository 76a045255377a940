"""Progress bars on standard error, shown only when it is a terminal: DuckDB's own
measure of its statement, or the share of a Spark job's tasks that are done."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, Protocol

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

    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")  # DuckDB's own bar, on standard output
    con.execute("SET progress_bar_time = 0")

    def percent() -> float | None:
        found = con.query_progress()
        return None if found < 0 else found  # -1: no statement running, or none that reports

    try:
        with _watching(percent, on_progress, every, after, clock):
            yield
    finally:
        with suppress(duckdb.Error):  # a failed statement's own error is the one to see
            con.execute("SET enable_progress_bar = false")


class StageInfo(Protocol):
    """What :func:`stage_progress` reads of a Spark stage (``SparkStageInfo``)."""

    numTasks: int  # noqa: N815 - Spark's names
    numCompletedTasks: int  # noqa: N815


class StatusTracker(Protocol):
    """What :func:`follow_spark` asks of Spark (``SparkContext.statusTracker()``)."""

    def getActiveStageIds(self) -> list[int]: ...  # noqa: N802 - Spark's names

    def getStageInfo(self, stageId: int) -> StageInfo | None: ...  # noqa: N802, N803


def stage_progress(tracker: StatusTracker) -> float | None:
    """The percent of the tasks of Spark's running stages that are done (as Spark's
    own console bar counts them), or None when no stage runs."""
    done = total = 0
    for stage in tracker.getActiveStageIds():
        info = tracker.getStageInfo(stage)
        if info is not None and info.numTasks > 0:  # None: the stage ended meanwhile
            done += info.numCompletedTasks
            total += info.numTasks
    return 100.0 * done / total if total else None


@contextmanager
def follow_spark(tracker: StatusTracker, on_progress: Callable[[float], None],
                 every: float = 0.1, after: float = 0.0, clock: Clock | None = None) -> Iterator[None]:
    """As :func:`follow`, for the Spark jobs run inside the block: ``on_progress(percent)``
    with the share of their running stages' tasks that are done."""
    with _watching(lambda: stage_progress(tracker), on_progress, every, after, clock):
        yield


@contextmanager
def _watching(percent: Callable[[], float | None], on_progress: Callable[[float], None],
              every: float, after: float, clock: Clock | None) -> Iterator[None]:
    """A thread that calls ``on_progress(percent())`` every ``every`` seconds once
    ``after`` seconds have passed, while the block runs (None: nothing to report)."""
    clock = clock or CLOCK
    done = threading.Event()

    def poll() -> None:
        if clock.wait(done, after):
            return
        while not clock.wait(done, every):
            found = percent()
            if found is not None:
                on_progress(min(found, 100.0))

    watcher = threading.Thread(target=poll, name="procmap-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


@contextmanager
def computing(con: duckdb.DuckDBPyConnection, description: str,
              clock: Clock | None = None) -> Iterator[None]:
    """A bar with DuckDB's progress of the statements run inside the block, on a
    terminal, once they have taken longer than :data:`SHOW_AFTER` (by ``clock``)."""
    with _showing(description, lambda advance: follow(con, advance, after=SHOW_AFTER, clock=clock)):
        yield


@contextmanager
def computing_spark(tracker: StatusTracker, description: str,
                    clock: Clock | None = None) -> Iterator[None]:
    """The same bar, fed by the stages of the Spark jobs run inside the block."""
    with _showing(description,
                  lambda advance: follow_spark(tracker, advance, after=SHOW_AFTER, clock=clock)):
        yield


@contextmanager
def _showing(description: str, following: Callable[[Callable[[float], None]], Any]) -> Iterator[None]:
    if not sys.stderr.isatty():
        yield
        return
    bar = _bar()
    task = bar.add_task(description, total=100)

    def advance(percent: float) -> None:
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=percent)
        bar.refresh()  # drawn as soon as known, not at the next tick of Rich's own timer

    try:
        with following(advance):
            yield
    finally:
        bar.stop()
