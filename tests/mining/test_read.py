"""Reading logs: the usual column names, bad rows counted with examples, bad input located."""

from __future__ import annotations

from pathlib import Path

import pytest

from procmap.errors import MapError
from procmap.mining import stats
from procmap.mining.columns import EventLogColumns
from procmap.mining.engine import Engine
from procmap.mining.read import read_log
from tests.mining.conftest import corpus_log


def test_the_usual_names_are_found(engine) -> None:
    log = read_log(corpus_log("receipt.csv"), engine)
    assert log.columns == EventLogColumns(
        case="case:concept:name", activity="concept:name", timestamp="time:timestamp",
        resource="org:resource", lane="org:group",
    )
    assert (log.events, log.cases) == (8577, 1434)
    assert log.bad == []


def test_csv_parquet_and_xes_of_one_log_agree(engine) -> None:
    from procmap.mining.engine import Engine

    csv = read_log(corpus_log("running-example.csv"), engine)
    with Engine() as other:
        xes = read_log(corpus_log("running-example.xes"), other)
        rows = other.con.execute("SELECT case_id, activity, ts FROM log ORDER BY rownum").fetchall()
    assert (csv.events, csv.cases) == (xes.events, xes.cases) == (42, 6)
    assert engine.con.execute("SELECT case_id, activity, ts FROM log ORDER BY rownum").fetchall() == rows


def test_interval_logs_have_a_start_column(engine) -> None:
    log = read_log(corpus_log("interval_event_log.xes"), engine)
    assert log.columns.start == "start_timestamp" and log.has_starts
    assert [step.computation for step in stats.preparation(log)][:2] == ["paths_started", "pairs_started"]
    assert not read_log(corpus_log("receipt.csv"), Engine()).has_starts


def test_cases_are_counted_by_the_preparation_or_when_the_engine_closes() -> None:
    with Engine() as engine:
        log = read_log(corpus_log("running-example.csv"), engine)
        assert log.known_cases is None  # no pass over the events for it yet
        stats.prepare(log)
        assert log.known_cases == 6
        stats.keep_coverage(log, 0.3)  # fewer cases kept: the log still has 6
        assert log.cases == 6
    with Engine() as engine:
        unprepared = read_log(corpus_log("running-example.csv"), engine)
    assert unprepared.cases == 6


def test_bad_rows_are_counted_with_examples(engine, tmp_path: Path) -> None:
    text = corpus_log("running-example.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    case, ts = header.index("case:concept:name"), header.index("time:timestamp")
    rows = [line.split(",") for line in text[1:]]
    rows[4][case] = ""
    rows[7][ts] = "not a time"
    rows[9][ts] = ""
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([text[0], *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    log = read_log(path, engine)
    found = {b.reason: b for b in log.bad}
    assert {r: b.count for r, b in found.items()} == {
        "no case": 1, "no time": 1, "time not readable": 1}
    assert found["time not readable"].examples == [
        f"event 8: case '{rows[7][case]}', activity '{rows[7][1]}', time 'not a time'"]
    assert log.events == 39
    assert found["no case"].examples == [
        f"event 5: case None, activity '{rows[4][1]}', time '2011-01-06 11:18:00+00'"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "missing.csv: no such file"),
        ("log.txt", "a,b\n", "log.txt: is not an event log: procmap reads .csv, .parquet, .xes and .xes.gz files"),
        ("broken.xes", "<log><trace><event></trace></log>", "broken.xes:1:"),
        ("broken.xes.gz", "not gzip", "broken.xes.gz: cannot be read as XES"),
        ("nocase.csv", "x,y\n1,2\n", "nocase.csv: no case column found (name it with --case; the log has x, y)"),
    ],
)
def test_bad_input_gets_a_located_message(engine, tmp_path: Path, name, content, message) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(MapError) as caught:
        read_log(path, engine)
    assert message in caught.value.message


def _late_csv(path: Path, rows: int, special: dict[int, str]) -> Path:
    """A CSV log of ``rows`` events whose lane is "Sales" but for the rows in ``special``."""
    lines = ["case:concept:name,concept:name,time:timestamp,org:group"]
    lines += [f"{i // 3},Step {i % 3},2024-01-01T10:{i % 60:02d}:00,{special.get(i, 'Sales')}"
              for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_quoted_value_after_the_sniffers_sample_is_read(engine, tmp_path: Path) -> None:
    # the sniffer sees the first 20,480 rows, none quoted; row 25,000 is
    path = _late_csv(tmp_path / "late.csv", 30_000, {25_000: '"Sales, North"', 26_000: 'Rev"iew'})
    log = read_log(path, engine)
    assert (log.events, log.bad) == (30_000, [])
    lanes = dict(engine.con.execute("SELECT lane, count(*) FROM log GROUP BY lane").fetchall())
    # a quote inside a value is kept as it is
    assert lanes == {"Sales": 29_998, "Sales, North": 1, 'Rev"iew': 1}


@pytest.mark.parametrize(
    ("special", "message"),
    [
        ({25_000: '"Sales'}, 'late.csv:25002: a quoted value is not closed (a " with no " after it) '
                             '(the line: 8333,Step 1,2024-01-01T10:40:00,"Sales)'),
        ({25_000: "Sales,North"}, "late.csv:25002: has 5 values where the header has 4 (the line: "
                                  "8333,Step 1,2024-01-01T10:40:00,Sales,North (a value with the "
                                  "delimiter in it needs quotes around it))"),
    ],
)
def test_a_bad_csv_row_is_located(engine, tmp_path: Path, special, message) -> None:
    with pytest.raises(MapError) as caught:
        read_log(_late_csv(tmp_path / "late.csv", 30_000, special), engine)
    assert caught.value.message.endswith(message)


def test_rows_that_do_not_split_into_columns_are_located(engine, tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('case,activity,time\n1,"Submit, online",2024-01-01T10:00:00\n'
                    '2,"Submit,2024-01-02T10:00:00\n2,Review,2024-01-02T11:00:00\n', encoding="utf-8")
    with pytest.raises(MapError) as caught:
        read_log(path, engine)
    assert caught.value.message.endswith(
        "quote.csv:3: its columns cannot be told apart: the rows read as one column "
        "'case,activity,time' (this line has a quote that is not closed)")


def test_an_unknown_column_gets_a_did_you_mean(engine) -> None:
    with pytest.raises(MapError) as caught:
        read_log(corpus_log("receipt.csv"), engine, columns=EventLogColumns(lane="org:grop"))
    assert caught.value.message.endswith("--lane: no column 'org:grop' (did you mean 'org:group'?)")


def test_teams_and_customer_activities(engine) -> None:
    log = read_log(corpus_log("running-example.csv"), engine,
                   teams={"Pete": "front", "Mike": "front", "Sara": "back"},
                   customer=["register*", "pay *"])
    lanes = dict(engine.con.execute(
        "SELECT resource, any_value(lane) FROM log GROUP BY resource").fetchall())
    assert lanes["Pete"] == "front" and lanes["Sara"] == "back" and lanes["Ellen"] is None
    marked = {r[0] for r in engine.con.execute("SELECT DISTINCT activity FROM log WHERE customer").fetchall()}
    assert marked == {"register request", "pay compensation"}
    assert log.has_lanes


def test_cases_and_activities_of_spaces_only_are_bad_rows(engine, tmp_path: Path) -> None:
    path = tmp_path / "spaces.csv"
    path.write_text(
        "case,activity,time\n"
        "1,Submit,2024-01-01T10:00:00\n"
        "   ,Submit,2024-01-01T10:01:00\n"
        "\u00a0,Submit,2024-01-01T10:02:00\n"
        "2,\u3000,2024-01-01T10:03:00\n"
        "2,Émettre,2024-01-01T10:04:00\n"
        "3, Review,   \n",
        encoding="utf-8",
    )
    log = read_log(path, engine)
    assert {b.reason: b.count for b in log.bad} == {"no case": 2, "no activity": 1, "no time": 1}
    assert engine.con.execute("SELECT case_id, activity FROM log ORDER BY rownum").fetchall() == [
        ("1", "Submit"), ("2", "Émettre")]


def test_a_parquet_log_reads_as_its_csv(tmp_path: Path) -> None:
    """Parquet is read in place (a view): the same bad rows, row numbers and file order
    as the same rows in CSV, ties in time included."""
    rows = ["case,activity,time,resource",
            "1,Submit,2024-01-01T10:00:00,ann", "1,Check,2024-01-01T10:00:00,bob",
            ",Submit,2024-01-01T10:01:00,ann", "2,Check,later,bob",
            "2,Submit,2024-01-01T09:00:00,ann", "1,Approve,2024-01-01T10:00:00,cy"]
    csv = tmp_path / "log.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    parquet = tmp_path / "log.parquet"
    with Engine() as writer:
        writer.con.execute(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) "
                           f"TO '{parquet}' (FORMAT parquet)")
    found = {}
    for path in (csv, parquet):
        with Engine() as engine:
            log = read_log(path, engine)
            stats.prepare(log)
            found[path.suffix] = (
                [(b.reason, b.count, b.examples) for b in log.bad],
                engine.con.execute("SELECT rownum, case_id, activity FROM log ORDER BY rownum").fetchall(),
                [(v.activities, v.cases) for v in stats.variants(log)],
            )
    assert found[".csv"] == found[".parquet"]
    bad, events, variants = found[".parquet"]
    assert [b[:2] for b in bad] == [("no case", 1), ("time not readable", 1)]
    assert [r[0] for r in events] == [0, 1, 4, 5]
    assert variants == [(("Submit",), 1), (("Submit", "Check", "Approve"), 1)]  # ties in text order


def test_a_parquet_log_takes_teams_too(tmp_path: Path) -> None:
    parquet = tmp_path / "log.parquet"
    with Engine() as writer:
        writer.con.execute(
            "COPY (SELECT * FROM (VALUES ('1', 'Submit', TIMESTAMPTZ '2024-01-01 10:00:00+00', 'ann'), "
            "('1', 'Check', TIMESTAMPTZ '2024-01-01 11:00:00+00', 'bob')) "
            f"AS t(\"case\", activity, \"time\", resource)) TO '{parquet}' (FORMAT parquet)")
    with Engine() as engine:
        read_log(parquet, engine, teams={"ann": "Front desk", "bob": "Back office"})
        assert engine.con.execute("SELECT activity, lane FROM log ORDER BY rownum").fetchall() == [
            ("Submit", "Front desk"), ("Check", "Back office")]


def test_times_without_an_offset_are_utc_on_every_machine(tmp_path: Path, monkeypatch) -> None:
    # 2024-03-10 is when New York's clocks go forward: read as local time there,
    # the two hours between the events would be one
    import time

    path = tmp_path / "dst.csv"
    path.write_text("case,activity,time\n1,A,2024-03-10 01:30:00\n1,B,2024-03-10 03:30:00\n",
                    encoding="utf-8")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        with Engine() as engine:
            log = read_log(path, engine)
            stats.prepare(log)
            (pair,) = stats.directly_follows(log)
            times = [t for (t,) in engine.con.execute("SELECT ts FROM log ORDER BY ts").fetchall()]
    finally:
        monkeypatch.undo()
        time.tzset()
    assert pair.mean_wait == 7200
    assert times[0] == 1710034200  # 2024-03-10T01:30:00Z, as PM4Py reads it
