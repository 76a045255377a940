"""Small hostile inputs: a right answer or a located exit 2, in seconds and bounded memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.errors import LoadError
from procmap.io.bpmn.reader import read_bpmn
from procmap.io.yaml_loader import MAX_ERRORS
from tests.hostile import inputs

runner = CliRunner()
PROCMAP = [str(Path(sys.executable).parent / "procmap")]


def run(*args: str):
    return runner.invoke(app, list(args))


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


# --- BPMN -----------------------------------------------------------------------------


def test_gateway_diamonds_are_read_without_enumerating_paths(tmp_path: Path) -> None:
    started = time.perf_counter()
    result = read_bpmn(write(tmp_path, "d.bpmn", inputs.gateway_diamonds(40)))  # 2**40 paths
    assert time.perf_counter() - started < 20
    assert "do-the-work" in result.process.steps


def test_a_chain_of_gateways_is_no_recursion_error(tmp_path: Path) -> None:
    result = run("import", str(write(tmp_path, "c.bpmn", inputs.gateway_chain(3000))))
    assert result.exit_code == 0, result.output
    assert "do-the-work" in result.stdout


def test_duplicate_ids_are_refused_with_both_lines(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        read_bpmn(write(tmp_path, "dup.bpmn", inputs.duplicate_ids()))
    assert "the id 'a' is used twice, by the task at line 5 and the task at line 6" in str(caught.value)


def test_ids_that_share_their_first_200_characters_stay_two_steps(tmp_path: Path) -> None:
    process = read_bpmn(write(tmp_path, "ids.bpmn", inputs.long_shared_ids())).process
    assert {s.name for s in process.steps.values()} >= {"One", "Two"}


def test_text_around_an_entity_reference_is_kept(tmp_path: Path) -> None:
    process = read_bpmn(write(tmp_path, "e.bpmn", inputs.entity_text())).process
    assert [s.name for s in process.steps.values() if s.name] == ["Check & approve the order"]
    assert [s.note for s in process.steps.values() if s.note] == ["Terms <v2> and the rest"]


@pytest.mark.parametrize("variant", [{"encoding": "utf-16"}, {"encoding": "utf-8", "comment": 70_000},
                                     {"encoding": "utf-16-le"}])
def test_a_dtd_is_refused_in_any_encoding_and_anywhere(tmp_path: Path, variant: dict) -> None:
    path = write(tmp_path, "dtd.bpmn", inputs.internal_dtd(**variant))
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "has a DTD or entity declarations" in result.output
    assert "EXPANDED" not in result.output


def test_a_device_or_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.bpmn"
    with huge.open("wb") as handle:
        handle.truncate(10 * 2**30)  # sparse: 10 GiB that take no room
    result = run("import", str(huge))
    assert result.exit_code == 2 and "is larger than the 64 MiB a BPMN file may be" in result.output
    result = run("import", "/dev/zero")
    assert result.exit_code == 2 and "/dev/zero: is a device" in result.output
    result = run("check", "/dev/zero")
    assert result.exit_code == 2


def test_a_bad_customer_pattern_is_a_located_refusal(tmp_path: Path) -> None:
    path = write(tmp_path, "e.bpmn", inputs.entity_text())
    result = run("import", str(path), "--customer", "(")
    assert result.exit_code == 2 and "--customer '(': not a regular expression" in result.output


# --- YAML -----------------------------------------------------------------------------


def test_errors_are_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path, "refs.yaml", inputs.many_bad_references(MAX_ERRORS + 2500))
    with pytest.raises(LoadError) as caught:
        procmap.load(path)
    errors = caught.value.errors
    assert len(errors) == MAX_ERRORS + 1
    assert errors[-1].message.endswith("… and 2,500 more problems like these, not listed "
                                       "(fix the ones above first)")
    result = run("check", str(path))
    assert result.exit_code == 2
    assert result.output.count("which is not a step") == MAX_ERRORS


def test_an_alias_bomb_of_answers_is_refused_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.yaml", inputs.alias_bomb(40))
    result = run("new", "--backwards", "--answers", str(path), "-o", str(tmp_path / "m.yaml"))
    assert result.exit_code == 2 and "answer 1 is a list or a mapping" in result.output
    assert not (tmp_path / "m.yaml").exists()


def test_new_with_standard_input_closed_writes_nothing(tmp_path: Path) -> None:
    result = subprocess.run(
        [*PROCMAP, "new", "--backwards", "-o", str(tmp_path / "m.yaml")],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "stopped before the first answer" in result.stderr
    assert not (tmp_path / "m.yaml").exists()


# --- logs -----------------------------------------------------------------------------


def test_a_path_with_glob_characters_is_read_literally(tmp_path: Path) -> None:
    write(tmp_path, "log1.csv", inputs.SMALL_LOG.replace("Ask", "Wrong"))
    literal = write(tmp_path, "log[1].csv", inputs.SMALL_LOG)
    result = run("discover", str(literal))
    assert result.exit_code == 0, result.output
    assert "ask:" in result.stdout and "wrong" not in result.stdout


def test_the_activities_of_one_long_case_take_linear_time() -> None:
    from procmap.mining.engine import Engine

    with Engine(memory_limit="1GB") as engine:
        con = engine.con
        con.execute("CREATE TABLE pairs AS SELECT 'A1' AS target, 1.0 AS wait")
        con.execute("CREATE TABLE log AS SELECT 'A' || i AS activity, 'ops' AS lane, false AS customer "
                    "FROM range(5) AS t(i)")
        times = []
        for n in (50_000, 200_000):
            con.execute("CREATE OR REPLACE TABLE variant_counts AS SELECT 1::BIGINT AS number, "
                        f"[('A' || (i % 5)) FOR i IN range({n})] AS variant, 1 AS cases")
            started = time.perf_counter()
            rows = engine.run("activities")
            times.append(time.perf_counter() - started)
            assert sorted((r[0], r[1]) for r in rows) == [(f"A{k}", n // 5) for k in range(5)]
    assert times[1] < 10  # the list compared per position took minutes at 20,000


@pytest.mark.parametrize(("name", "data", "said"), [
    ("empty.csv", b"", "empty.csv: is empty"),
    ("latin1.csv", b"case,activity,timestamp\nc1,Caf\xe9,2026-01-01T10:00:00\n",
     "latin1.csv:2:7: is not UTF-8 text (byte 0xe9)"),
    ("count.csv", b"case,activity,timestamp\nc1,Ask,2026-01-01T10:00:00\nc1,Answer,2026-01-01T11:00:00,x\n",
     "count.csv:3: has 4 values where the header has 3"),
])
def test_a_bad_csv_names_its_cause(tmp_path: Path, name: str, data: bytes, said: str) -> None:
    result = run("discover", str(write(tmp_path, name, data)))
    assert result.exit_code == 2
    assert said in result.output


def test_parquet_times_stored_as_numbers_are_named(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "numbers.parquet"
    pq.write_table(pa.table({"case:concept:name": ["c1", "c1"], "concept:name": ["A", "B"],
                             "time:timestamp": [1767225600, 1767229200]}), path)
    result = run("discover", str(path))
    assert result.exit_code == 2
    assert "the column 'time:timestamp' holds numbers (BIGINT), not times" in result.output


def test_a_folder_a_fifo_or_a_bad_memory_limit_is_said(tmp_path: Path) -> None:
    result = run("discover", str(tmp_path))
    assert result.exit_code == 2 and "is a folder, not an event log" in result.output
    fifo = tmp_path / "log.csv"
    os.mkfifo(fifo)
    result = run("discover", str(fifo))
    assert result.exit_code == 2 and "is a FIFO (pipe)" in result.output
    log = write(tmp_path, "log.xes.csv", inputs.SMALL_LOG)
    result = run("discover", str(log), "--memory-limit", "banana")
    assert result.exit_code == 2 and "--memory-limit 'banana'" in result.output


def test_a_decompression_bomb_stops_at_what_a_log_can_hold(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from procmap.mining import xes

    monkeypatch.setattr(xes, "MIN_UNPACKED", 4 * 2**20)
    path = tmp_path / "ws.xes.gz"
    inputs.whitespace_xes_gz(path, 40)
    result = run("discover", str(path))
    assert result.exit_code == 2
    assert "unpacks to more than 4 MiB" in result.output


@pytest.mark.slow
def test_ctrl_c_stops_a_query_within_a_second(tmp_path: Path) -> None:
    log = write(tmp_path, "long.csv", inputs.one_long_case(1_500_000))
    target = tmp_path / "map.yaml"
    process = subprocess.Popen(
        [*PROCMAP, "discover", str(log), "--case", "case", "--activity",
         "activity", "--timestamp", "timestamp", "-o", str(target)],
        stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(5)
    if process.poll() is not None:
        pytest.skip("the machine read the log before the signal")
    process.send_signal(signal.SIGINT)
    sent = time.perf_counter()
    _, stderr = process.communicate(timeout=60)
    assert time.perf_counter() - sent < 2
    assert process.returncode == 130
    assert "internal error" not in stderr and "stopped" in stderr
    assert not target.exists()
    assert not list(tmp_path.glob(".procmap-*"))
