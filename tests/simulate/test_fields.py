"""The map's simulation fields: arrivals, capacity, cost, calendars and distributions."""

from __future__ import annotations

from datetime import timedelta

import pytest

import procmap
from procmap.errors import LoadError
from procmap.model.calendar import parse_calendar
from procmap.model.durations import Timing, parse_arrivals, parse_timing

MAP = """\
procmap: 1
process: desk
arrivals: every 10m
calendar: Mon-Fri 08:00-18:00
actors:
  customer: {kind: customer}
  clerk: {kind: team, capacity: 2, cost: 40, calendar: Mon-Fri 09:00-17:00}
steps:
  ask: {actor: customer, then: serve}
  serve: {actor: clerk, duration: {mean: 8m, distribution: exponential}, wait: 1m..3m}
"""


def test_fields_load_and_write_back_as_written() -> None:
    p = procmap.loads(MAP)
    assert p.arrivals == "every 10m" and p.calendar == "Mon-Fri 08:00-18:00"
    clerk = p.actors["clerk"]
    assert (clerk.capacity, clerk.cost, clerk.calendar) == (2, 40.0, "Mon-Fri 09:00-17:00")
    serve = p.steps["serve"]
    assert isinstance(serve.duration, Timing) and serve.duration.distribution == "exponential"
    # everything that reads durations as figures sees the mean
    assert serve.duration == timedelta(minutes=8) and serve.wait == timedelta(minutes=2)
    again = procmap.loads(procmap.dumps(p))
    assert again.steps["serve"].duration.distribution == "exponential"
    assert "duration: {mean: 8m, distribution: exponential}" in procmap.dumps(p)
    assert "wait: 1m..3m" in procmap.dumps(p)


@pytest.mark.parametrize(("text", "mean", "kind"), [
    ("15m", 900, None),
    ("10m..30m", 1200, "uniform"),
    ({"mean": "8m", "sd": "3m", "distribution": "lognormal"}, 480, "lognormal"),
    ({"mean": "1h", "sd": "10m", "distribution": "normal"}, 3600, "normal"),
    ({"min": "5m", "mode": "10m", "max": "30m", "distribution": "triangular"}, 900, "triangular"),
    ("{'mean': '8m', 'distribution': 'exponential'}", 480, "exponential"),  # as BPMN keeps it
])
def test_timings(text: object, mean: float, kind: str | None) -> None:
    t = parse_timing(text)
    assert t.total_seconds() == mean
    assert getattr(t, "distribution", None) == kind


def test_arrivals_and_calendars() -> None:
    assert parse_arrivals("every 10m").gap == 600
    assert parse_arrivals("200 per day").gap == pytest.approx(432)
    assert parse_arrivals("every 5m fixed").fixed
    week = parse_calendar("Mon-Fri 09:00-12:00 13:00-17:00; Sat 10:00-14:00")
    assert week.open_per_week == (5 * 7 + 4) * 3600
    office = parse_calendar("Mon-Fri 09:00-17:00")
    # Friday 16:00 plus two hours of work ends Monday 10:00
    assert office.add_work(4 * 86400 + 16 * 3600, 7200) == 7 * 86400 + 10 * 3600
    assert office.next_open(5 * 86400) == 7 * 86400 + 9 * 3600


BAD = """\
procmap: 1
process: bad
arrivals: every tuesday
actors:
  clerk: {kind: team, capacity: 0, calendar: Mon-Fri}
steps:
  serve: {actor: clerk, duration: {mean: 8m, distribution: exponentail}}
  two: {actor: clerk, needs: serve, duration: 30m..10m}
  three: {actor: clerk, needs: two, duration: {mean: 8m, distribution: lognormal}}
"""


def test_bad_fields_are_located() -> None:
    with pytest.raises(LoadError) as caught:
        procmap.loads(BAD, file="bad.yaml")
    messages = [e.message for e in caught.value.errors]
    expected = [
        ("bad.yaml:3:", "arrivals 'every tuesday' is not a rate of arrivals"),
        ("bad.yaml:5:", "capacity 0 is out of range"),
        ("bad.yaml:5:", "calendar 'Mon-Fri' gives days without hours"),
        ("bad.yaml:7:", "did you mean exponential?"),
        ("bad.yaml:8:", "runs backwards"),
        ("bad.yaml:9:", "needs sd for a lognormal distribution"),
    ]
    for where, what in expected:
        assert any(m.startswith(where) and what in m for m in messages), (what, messages)


def test_bad_fields_exit_2(tmp_path) -> None:
    from typer.testing import CliRunner

    from procmap.cli.main import app

    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "bad.yaml:7:" in result.output and "Traceback" not in result.output
