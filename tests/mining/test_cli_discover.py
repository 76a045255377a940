"""``procmap discover`` on the command line: the map, the evidence, the variants, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from tests.mining.conftest import corpus_log

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def test_discover_writes_a_map_that_checks(tmp_path: Path) -> None:
    target = tmp_path / "asis.yaml"
    variants = tmp_path / "variants.md"
    result = run("discover", corpus_log("receipt.csv"), "-o", target, "--coverage", "0.8",
                 "--variants", variants)
    assert result.exit_code == 0, result.output
    assert "of 1434 cases" in result.output
    assert procmap.load(target).process == "receipt"
    assert run("check", target).exit_code == 0
    assert "116 variants" in variants.read_text(encoding="utf-8")
    again = run("discover", corpus_log("receipt.csv"), "-o", target)  # procmap's own file
    assert again.exit_code == 0, again.output


def test_discover_prints_the_map_by_default() -> None:
    result = run("discover", corpus_log("running-example.xes"))
    assert result.exit_code == 0, result.output
    assert procmap.loads(result.stdout).steps["register-request"].name == "register request"


def test_evidence_in_three_formats() -> None:
    log = corpus_log("receipt.csv")
    text = run("discover", log, "--evidence")
    assert text.exit_code == 0 and "Ping-pong between lanes" in text.output
    md = run("discover", log, "--evidence", "--format", "markdown")
    assert "# Evidence from receipt.csv" in md.stdout and "| hand-offs |" in md.stdout
    data = json.loads(run("discover", log, "--evidence", "--format", "json",
                          "--customer-activities", "Confirmation*").stdout)
    assert data["cases"] == 1434 and data["customer_activities"] == ["Confirmation of receipt"]
    assert data["summary"]["mean_contacts"] > 0


def test_bad_input_exits_2_with_a_message(tmp_path: Path) -> None:
    missing = run("discover", tmp_path / "nope.xes")
    assert missing.exit_code == 2 and "nope.xes: no such file" in missing.output
    column = run("discover", corpus_log("receipt.csv"), "--case", "case:id")
    assert column.exit_code == 2 and "--case: no column 'case:id'" in column.output
    other = tmp_path / "mine.yaml"
    other.write_text("not procmap's\n", encoding="utf-8")
    refused = run("discover", corpus_log("running-example.csv"), "-o", other)
    assert refused.exit_code == 2 and "use --force" in refused.output


def test_help_has_examples() -> None:
    result = run("discover", "--help")
    assert result.exit_code == 0 and "procmap discover running-example.xes" in result.output


def test_teams_file_gives_lanes(tmp_path: Path) -> None:
    teams = tmp_path / "teams.csv"
    teams.write_text("resource,team\nPete,Front\nMike,Front\nSara,Back\nEllen,Finance\n"
                     "Sue,Back\nSean,Back\n", encoding="utf-8")
    result = run("discover", corpus_log("running-example.xes"), "--teams", teams,
                 "--evidence", "--format", "json")
    data = json.loads(result.stdout)
    assert data["has_lanes"] and data["summary"]["mean_handoffs"] > 0
    assert {(r["lane"], r["next_lane"]) for r in data["ping_pong"]} <= {
        (a, b) for a in ("Front", "Back", "Finance") for b in ("Front", "Back", "Finance") if a != b}
    mapped = run("discover", corpus_log("running-example.xes"), "--teams", teams)
    assert {a.name for a in procmap.loads(mapped.stdout).actors.values()} == {"Front", "Back", "Finance"}
    bad = tmp_path / "bad.csv"
    bad.write_text("only-one-column\n", encoding="utf-8")
    refused = run("discover", corpus_log("running-example.xes"), "--teams", bad)
    assert refused.exit_code == 2 and "bad.csv:1: expected two columns: resource,team" in refused.output


def test_a_parquet_log_damaged_inside_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    """Parquet is read in place, so damage past the footer shows while computing."""
    from procmap.mining.engine import Engine

    source = tmp_path / "log.parquet"
    with Engine() as engine:  # many row groups, so that the damage sits in the data
        engine.con.execute(
            f"COPY (SELECT * FROM read_csv('{corpus_log('receipt.csv')}', all_varchar = true), "
            f"range(40)) TO '{source}' (FORMAT parquet, ROW_GROUP_SIZE 2048)")
    data = bytearray(source.read_bytes())
    middle = len(data) // 3
    data[middle:middle + 20_000] = b"A" * 20_000
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(bytes(data))
    target = tmp_path / "asis.yaml"
    for args in (("discover", damaged, "-o", target),
                 ("analyze", Path("examples/customer-onboarding.yaml"), "--log", damaged),
                 ("conform", Path("examples/customer-onboarding.yaml"), damaged)):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert f"{damaged}: cannot be read" in result.output
        assert "internal error" not in result.output
    assert not target.exists()


def test_times_written_day_first_are_read_with_a_time_format(tmp_path: Path) -> None:
    log = tmp_path / "dayfirst.csv"
    log.write_text("case,activity,time\n1,Submit,10-03-2024 14:05\n1,Review,11-03-2024 09:00\n"
                   "2,Submit,12-03-2024 08:00\n2,Review,12-03-2024 18:30\n", encoding="utf-8")
    target = tmp_path / "asis.yaml"
    unread = run("discover", log, "-o", target)
    assert unread.exit_code == 2
    assert "has no events procmap can use (if the times are written another way, name it " \
           "with --time-format" in unread.output
    assert not target.exists()

    result = run("discover", log, "-o", target, "--time-format", "%d-%m-%Y %H:%M")
    assert result.exit_code == 0, result.output
    review = procmap.load(target).steps["review"]
    # waits of 18h 55m and 10h 30m: the median is their mean (14h 42m 30s, to the minute)
    assert review.note is not None and "median 14h 42m, p90 18h 4m" in review.note

    mismatch = run("discover", log, "--time-format", "%Y-%m-%d %H:%M")
    assert mismatch.exit_code == 2 and "has no events procmap can use (the times do not match " \
        "--time-format '%Y-%m-%d %H:%M': event 1: case '1', activity 'Submit', time '10-03-2024 14:05')" \
        in mismatch.output.replace("\n", " ")
    for wrong, message in (("%Q", "'%Q' is not a time format: Failed to parse format specifier"),
                           ("dd-mm-yyyy", "'dd-mm-yyyy' is not a time format: has no % codes")):
        bad = run("discover", log, "--time-format", wrong)
        assert bad.exit_code == 2 and f"dayfirst.csv: --time-format: {message}" in bad.output
    xes = run("discover", corpus_log("running-example.xes"), "--time-format", "%d")
    assert xes.exit_code == 2 and "a time format is for CSV and Parquet logs" in xes.output


def test_lifecycle_keeps_the_complete_events(tmp_path: Path) -> None:
    target = tmp_path / "asis.yaml"
    result = run("discover", corpus_log("reviewing.xes"), "--lifecycle", "complete", "-o", target)
    assert result.exit_code == 0, result.output
    assert "1452 events of other lifecycle transitions left out (kept: complete)" in result.output
    note = procmap.load(target).note or ""
    assert "2278 events" in note and "Only the events of lifecycle complete; 1452 others left out." in note
    every = run("discover", corpus_log("reviewing.xes"))
    assert every.exit_code == 0 and "3730 events" in every.stdout

    missing = run("discover", corpus_log("helpdesk.xes.gz"), "--lifecycle", "complete")
    assert missing.exit_code == 2
    assert "helpdesk.xes.gz: --lifecycle: no lifecycle column found (the log has" in missing.output


def test_variants_table_with_median_durations_and_the_cycle_time_beside_the_log(tmp_path: Path) -> None:
    import csv
    import statistics
    from collections import defaultdict
    from datetime import datetime

    log = corpus_log("running-example.csv")
    cases: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    with log.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            ts = datetime.fromisoformat(row["time:timestamp"]).timestamp()
            cases[row["case:concept:name"]].append((ts, i, row["concept:name"]))
    durations = sorted(max(e)[0] - min(e)[0] for e in cases.values())
    target, variants = tmp_path / "asis.yaml", tmp_path / "variants.md"
    result = run("discover", log, "-o", target, "--variants", variants)
    assert result.exit_code == 0, result.output
    table = variants.read_text(encoding="utf-8")
    assert "| # | cases | share | median duration | activities |" in table
    from procmap.mining.discover import seconds

    assert f"Cases take a median {seconds(statistics.median(durations))}" in table
    # each variant's row: its cases' median duration (here one case per variant)
    first = min(cases.values(), key=lambda e: [a for _, _, a in sorted(e)] != [
        "register request", "examine casually", "check ticket", "decide", "reinitiate request",
        "check ticket", "examine casually", "decide", "pay compensation"])
    assert seconds(max(first)[0] - min(first)[0]) in table
    note = procmap.load(target).note or ""
    assert f"Cases take a median {seconds(statistics.median(durations))}" in note
    assert "the map's expected cycle time is" in note
    assert "fitness 1.000" in note


def test_the_map_cycle_time_far_from_the_log_is_a_warning(tmp_path: Path) -> None:
    result = run("discover", corpus_log("receipt.csv"), "-o", tmp_path / "asis.yaml")
    assert result.exit_code == 0, result.output
    said = result.output.replace("\n", " ")
    assert "Warning: the map's expected cycle time" in said and "median case (48m)" in said
    assert "fit to the log: fitness" in said


def test_noise_can_be_given(tmp_path: Path) -> None:
    every = tmp_path / "every.yaml"
    assert run("discover", corpus_log("receipt.csv"), "--noise", "0", "-o", every).exit_code == 0
    assert "no path left out" in (procmap.load(every).note or "")
    bad = run("discover", corpus_log("receipt.csv"), "--noise", "2")
    assert bad.exit_code == 2
