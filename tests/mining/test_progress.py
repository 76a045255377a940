"""Progress of long computations: DuckDB's own measure, shown as a bar on a terminal.

Time here is a fake clock that moves only when the test moves it, and the statement
followed is held half-way by a gate (a DuckDB function that waits for the test), so
what is reported when does not depend on how fast or busy the machine is.
"""

from __future__ import annotations

import io
import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pexpect
import pytest

from procmap.mining import progress
from procmap.mining.progress import SHOW_AFTER, computing, follow

ROWS = 1_000_000
HALF_WAY = 600_000


class FakeClock:
    """Time that passes only by :meth:`advance`; the watcher's waits follow it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.until: float | None = None  # the end of the wait the watcher is in
        self.changed = threading.Condition()

    def wait(self, done: threading.Event, seconds: float) -> bool:
        with self.changed:
            self.until = self.now + seconds
            self.changed.notify_all()
            while self.now < self.until and not done.is_set():
                self.changed.wait(0.01)  # for the test to move time, or the block to end
            self.until = None
            self.changed.notify_all()
            return done.is_set()

    def advance(self, seconds: float) -> None:
        """Move time on; return once the watcher has done what fell due and waits again."""
        with self.changed:
            self.now += seconds
            self.changed.notify_all()
            assert self.changed.wait_for(
                lambda: self.until is not None and self.until > self.now, timeout=30)


@contextmanager
def held_statement(con) -> Iterator[threading.Event]:
    """A statement over ROWS rows running on ``con`` in a thread, held at HALF_WAY until
    the event yielded is set."""
    import pyarrow.compute as pc

    reached, go = threading.Event(), threading.Event()

    def gate(values):
        if pc.any(pc.equal(values, HALF_WAY)).as_py():
            reached.set()
            go.wait(60)
        return values

    con.execute("SET threads = 1")
    con.create_function("gate", gate, ["BIGINT"], "BIGINT", type="arrow", side_effects=True)
    failed: list[BaseException] = []

    def run() -> None:
        try:
            con.execute(f"SELECT sum(gate(i)) FROM range({ROWS}) r(i)").fetchall()
        except BaseException as exc:  # noqa: BLE001 - raised in the test below
            failed.append(exc)

    runner = threading.Thread(target=run)
    runner.start()
    try:
        assert reached.wait(60), "the statement never reached its gate"
        yield go
    finally:
        go.set()
        runner.join()
    assert failed == []


def test_follow_reports_duckdbs_progress_once_its_wait_is_over(engine) -> None:
    clock, seen = FakeClock(), []
    with follow(engine.con, seen.append, every=0.1, after=0.5, clock=clock), \
            held_statement(engine.con):
        clock.advance(0.45)
        assert seen == []  # still inside the wait
        clock.advance(0.1)  # 0.55 s: the wait is over, the first report falls due at 0.65
        assert seen == []
        clock.advance(0.1)
        assert len(seen) == 1 and 0 < seen[0] < 100  # half-way through the statement
        clock.advance(0.1)
        assert len(seen) == 2
    # the engine is left as it was: no bar of DuckDB's own
    assert engine.con.execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)


def test_follow_reports_nothing_for_a_statement_shorter_than_its_wait(engine) -> None:
    clock, seen = FakeClock(), []
    with follow(engine.con, seen.append, every=0.1, after=10, clock=clock):
        with held_statement(engine.con):
            clock.advance(9.9)
        engine.con.execute("SELECT count(*) FROM range(1000)").fetchall()
    assert seen == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_shows_on_a_terminal_only_after_its_wait(engine, monkeypatch) -> None:
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.delenv("NO_COLOR", raising=False)
    clock = FakeClock()
    with computing(engine.con, "ordering the events of each case", clock=clock), \
            held_statement(engine.con):
        clock.advance(SHOW_AFTER - 0.01)
        assert screen.getvalue() == ""
        clock.advance(0.05)  # past the wait; the first report falls due 0.1 s on
        assert screen.getvalue() == ""
        clock.advance(0.1)
        shown = screen.getvalue()
    assert "ordering the events of each case" in shown


def test_no_bar_when_standard_error_is_no_terminal(engine, monkeypatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(sys, "stderr", screen)
    with computing(engine.con, "ordering", clock=FakeClock()):
        engine.con.execute("SELECT count(*) FROM range(1000)").fetchall()
    assert screen.getvalue() == ""


# procmap's CLI with a clock on which every wait is over at once: the bar shows as soon
# as DuckDB reports on a statement, however quick the machine
INSTANT = """
import sys
from procmap.mining import progress

class Instant:
    def wait(self, done, seconds):
        return done.wait(0.0005)

progress.CLOCK = Instant()
from procmap.cli.main import run
sys.argv[0] = "procmap"
run()
"""


@pytest.mark.slow
def test_discover_shows_its_steps_on_a_terminal(tmp_path: Path) -> None:
    """A person at a terminal sees a bar while the events of each case are ordered."""
    import duckdb

    assert isinstance(progress.CLOCK, progress.WallClock)  # the real time, unless told
    log = tmp_path / "big.csv"
    duckdb.sql(  # 600k events in 60k cases, times out of order within each case
        "COPY (SELECT 'case ' || (i % 60000) AS \"case:concept:name\", "
        "'activity ' || (hash(i) % 12) AS \"concept:name\", "
        "TIMESTAMP '2026-01-01' + to_seconds(hash(i * 7) % 10000000) AS \"time:timestamp\" "
        f"FROM range(600000) r(i)) TO '{log}' (HEADER)")
    out = tmp_path / "asis.yaml"
    child = pexpect.spawn(sys.executable, ["-c", INSTANT, "discover", str(log), "-o", str(out)],
                          env={**os.environ, "TERM": "xterm"}, encoding="utf-8",
                          timeout=180, dimensions=(40, 160))
    screen = child.read()
    child.close()
    assert child.exitstatus == 0, screen
    assert "ordering the events of each case" in screen
    assert out.is_file()


# --- Spark: the share of the running stages' tasks that are done --------------------------


class Stage:
    def __init__(self, tasks: int, completed: int = 0) -> None:
        self.numTasks, self.numCompletedTasks = tasks, completed


class FakeTracker:
    """Spark's status tracker as the test sets it: the running stages and their tasks."""

    def __init__(self) -> None:
        self.stages: dict[int, Stage] = {}
        self.ended: set[int] = set()  # listed as running, ended before their info is read

    def getActiveStageIds(self) -> list[int]:  # noqa: N802 - Spark's name
        return sorted({*self.stages, *self.ended})

    def getStageInfo(self, stage: int) -> Stage | None:  # noqa: N802
        return self.stages.get(stage)


def test_spark_progress_is_the_running_stages_tasks_done() -> None:
    tracker = FakeTracker()
    assert progress.stage_progress(tracker) is None  # no job: nothing to report
    tracker.stages = {3: Stage(200, 50)}
    assert progress.stage_progress(tracker) == 25.0
    tracker.stages = {3: Stage(200, 150), 4: Stage(200, 0), 5: Stage(0)}  # 5: tasks not yet known
    assert progress.stage_progress(tracker) == 37.5  # (150 + 0) of 400
    tracker.ended = {2}
    assert progress.stage_progress(tracker) == 37.5


def test_follow_spark_reports_the_stages_once_its_wait_is_over() -> None:
    clock, seen, tracker = FakeClock(), [], FakeTracker()
    with progress.follow_spark(tracker, seen.append, every=0.1, after=0.5, clock=clock):
        tracker.stages = {1: Stage(8, 2)}
        clock.advance(0.45)
        assert seen == []  # still inside the wait
        clock.advance(0.1)  # 0.55 s; the first report falls due at 0.65
        assert seen == []
        clock.advance(0.1)
        assert seen == [25.0]
        tracker.stages = {}  # between two jobs: nothing reported
        clock.advance(0.1)
        assert seen == [25.0]
        tracker.stages = {2: Stage(4, 3)}
        clock.advance(0.1)
        assert seen == [25.0, 75.0]


def test_a_spark_bar_shows_on_a_terminal_only_after_its_wait(monkeypatch) -> None:
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.delenv("NO_COLOR", raising=False)
    clock, tracker = FakeClock(), FakeTracker()
    tracker.stages = {7: Stage(10, 4)}
    with progress.computing_spark(tracker, "ordering the events of each case", clock=clock):
        clock.advance(SHOW_AFTER - 0.01)
        assert screen.getvalue() == ""
        clock.advance(0.05)
        assert screen.getvalue() == ""
        clock.advance(0.1)
        shown = screen.getvalue()
    last = shown.rsplit("\r", 1)[-1]  # the bar as drawn last
    assert "ordering the events of each case" in last
    filled = re.search(r"\x1b\[[\d;]+m(━+)\x1b\[0m", last)  # the done part, in its own colour
    assert filled and len(filled.group(1)) == 16  # 4 of 10 tasks: 40% of Rich's 40 columns


def test_no_spark_bar_when_standard_error_is_no_terminal(monkeypatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(sys, "stderr", screen)
    tracker, clock = FakeTracker(), FakeClock()
    tracker.stages = {1: Stage(2, 1)}
    with progress.computing_spark(tracker, "ordering", clock=clock):
        pass
    assert screen.getvalue() == ""
