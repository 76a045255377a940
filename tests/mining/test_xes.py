"""XES: the fast text way and the streamed XML parser read the same events."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from procmap.mining import xes_text
from procmap.mining.engine import Engine
from procmap.mining.read import read_log
from tests.mining.conftest import corpus_log

XES_LOGS = ["running-example.xes", "helpdesk.xes.gz", "reviewing.xes",
            "interval_event_log.xes", "hospital_log_high.xes.gz", "roadtraffic50traces.xes"]

ROWS = "SELECT case_id, activity, ts, start_ts, resource, lane FROM log ORDER BY rownum"


def _rows(path: Path, *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    if not fast:
        monkeypatch.setattr(xes_text, "load", lambda *args, **kwargs: False)
    with Engine() as engine:
        read_log(path, engine, teams={})  # with teams, the resources are read too
        rows = engine.con.execute(ROWS).fetchall()
    monkeypatch.undo()
    return rows


@pytest.mark.parametrize("name", [n for n in XES_LOGS if ".xes" in n])
def test_both_ways_read_the_same_events(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = corpus_log(name)
    assert _rows(path, fast=True, monkeypatch=monkeypatch) == _rows(path, fast=False, monkeypatch=monkeypatch)


def test_the_fast_way_reads_the_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    path = corpus_log("running-example.xes")
    used = []
    real = xes_text.load
    monkeypatch.setattr(xes_text, "load", lambda *a, **k: used.append(real(*a, **k)) or used[-1])
    with Engine() as engine:
        read_log(path, engine)
    assert used == [True]


TRACE = """<trace><string key="concept:name" value="{case}"/>
  <event><string key="concept:name" value="{a}"/><date key="time:timestamp" value="2020-01-0{d}T10:00:00+00:00"/></event>
</trace>
"""


@pytest.mark.parametrize(
    ("case", "activity", "extra"),
    [
        ("c&amp;1", "Pay &lt;now&gt;", ""),                   # named entities: the fast way decodes them
        ("c2", "Pay &#60;now&#62;", ""),                      # character references: the parser's job
        ("c3", "Call", "<!-- a comment in a trace -->"),      # comments: the parser's job
        ("c4", "Call", '<list key="tags"><values><string key="concept:name" value="x"/></values></list>'),
    ],
)
def test_unusual_shapes_read_right(tmp_path: Path, case: str, activity: str, extra: str) -> None:
    body = TRACE.format(case=case, a=activity, d=1).replace("</event>", extra + "</event>")
    body += TRACE.format(case="other", a="Close", d=2)
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<log xmlns="http://www.xes-standard.org/">\n{body}</log>\n'
    path = tmp_path / "odd.xes.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    with Engine() as engine:
        read_log(path, engine)
        rows = engine.con.execute("SELECT case_id, activity FROM log ORDER BY rownum").fetchall()
    from xml.sax.saxutils import unescape

    decoded = unescape(activity).replace("&#60;", "<").replace("&#62;", ">")
    assert rows == [(unescape(case), decoded), ("other", "Close")]


def test_a_cut_short_file_gets_a_located_error(tmp_path: Path) -> None:
    from procmap.errors import MapError

    text = corpus_log("running-example.xes").read_text(encoding="utf-8")
    path = tmp_path / "cut.xes"
    path.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    with Engine() as engine, pytest.raises(MapError) as caught:
        read_log(path, engine)
    assert caught.value.message.startswith(f"{path}:") and "is not well-formed XES" in caught.value.message


def test_a_file_cut_after_a_trace_gets_a_located_error(tmp_path: Path) -> None:
    from procmap.errors import MapError

    text = corpus_log("running-example.xes").read_text(encoding="utf-8")
    path = tmp_path / "cut.xes"
    path.write_text(text[: text.rindex("</trace>") + len("</trace>")], encoding="utf-8")
    with Engine() as engine, pytest.raises(MapError) as caught:
        read_log(path, engine)
    assert "is not well-formed XES" in caught.value.message


@pytest.mark.parametrize(
    "event",
    [
        # a value that reads like the key, before the key
        '<string key="note" value="concept:name"/><string key="concept:name" value="Pay"/>',
        # the value written before the key
        '<string value="Pay" key="concept:name"/>',
        # spaces around =
        '<string key = "concept:name" value = "Pay"/>',
        # single quotes
        "<string key='concept:name' value='Pay'/>",
    ],
)
def test_attributes_written_otherwise_read_right(tmp_path: Path, event: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    time = '<date key="time:timestamp" value="2020-01-01T10:00:00+00:00"/>'
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<log xmlns="http://www.xes-standard.org/">\n'
            f'<trace><string key="concept:name" value="c1"/>\n<event>{event}{time}</event>\n</trace>\n'
            f'<trace><string key="concept:name" value="c2"/>\n'
            f'<event><string key="concept:name" value="Close"/>{time}</event>\n</trace>\n</log>\n')
    path = tmp_path / "odd.xes"
    path.write_text(text, encoding="utf-8")
    rows = _rows(path, fast=True, monkeypatch=monkeypatch)
    assert [(r[0], r[1]) for r in rows] == [("c1", "Pay"), ("c2", "Close")]


def test_trace_attributes_after_its_events_read_right(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<log xmlns="http://www.xes-standard.org/">\n'
            '<trace><event><string key="concept:name" value="Pay"/>'
            '<date key="time:timestamp" value="2020-01-01T10:00:00+00:00"/></event>\n'
            '<string key="concept:name" value="late"/></trace>\n</log>\n')
    path = tmp_path / "late.xes"
    path.write_text(text, encoding="utf-8")
    rows = _rows(path, fast=True, monkeypatch=monkeypatch)
    assert [(r[0], r[1]) for r in rows] == [("late", "Pay")]
