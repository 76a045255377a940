"""The command line: exit codes, formats, help, writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from procmap.cli.main import COMMANDS, app
from tests.conftest import ROOT

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_examples_load_clean() -> None:
    result = run("check", str(ROOT / "examples"))
    assert result.exit_code == 0, result.output
    assert "problems loading" not in result.output
    assert "8 maps checked" in result.output


def test_bad_map_exits_2_with_located_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("procmap: 1\nprocess: p\nactors: {s: {kind: tem}}\n", encoding="utf-8")
    result = run("check", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:3:20: actor 's': kind 'tem' is not one of" in result.output
    assert "Traceback" not in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "nope.yaml: no such file or folder" in result.output


def test_good_and_bad_files_are_both_reported(small_map: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("procmap: 1\n", encoding="utf-8")
    result = run("check", str(small_map), str(bad))
    assert result.exit_code == 2
    assert "missing field 'process'" in result.output
    assert "1 map checked" in result.output


def test_unknown_option_exits_2(small_map: Path) -> None:
    result = run("check", str(small_map), "--colour")
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_json_lists_errors_with_places(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("procmap: 1\nprocess: p\nlevel: 9\n", encoding="utf-8")
    result = run("check", str(bad), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.output)
    (error,) = data["errors"]
    assert (error["file"], error["line"], error["column"]) == (str(bad), 3, 8)
    assert error["element"] == "process 'p'"
    assert data["maps"] == []


@pytest.mark.parametrize("command", [name for name, _, _ in COMMANDS])
def test_every_command_has_help_with_examples(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.output


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("procmap ")


def test_schema_writes_and_refuses_to_overwrite_foreign_files(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    assert run("schema", "-o", str(target)).exit_code == 0
    first = json.loads(target.read_text(encoding="utf-8"))
    assert first["title"] == "procmap process map"
    assert run("schema", "-o", str(target)).exit_code == 0  # procmap's own file: replaced
    foreign = tmp_path / "mine.json"
    foreign.write_text("{}", encoding="utf-8")
    result = run("schema", "-o", str(foreign))
    assert result.exit_code == 2
    assert "exists and was not written by procmap; use --force" in result.output
    assert foreign.read_text(encoding="utf-8") == "{}"
    assert run("schema", "-o", str(foreign), "--force").exit_code == 0
    assert "procmap" in foreign.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.json", "schema.json"]


def test_schema_into_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = run("schema", "-o", str(tmp_path / "no" / "schema.json"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_console_script_runs_in_a_real_process(small_map: Path) -> None:
    script = Path(sys.executable).parent / "procmap"
    result = subprocess.run(
        [str(script), "check", str(small_map)], capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1"}, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "1 map checked" in result.stdout


def test_a_file_that_is_no_map_file_is_named(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# notes\n", encoding="utf-8")
    result = run("check", str(notes))
    assert result.exit_code == 2
    assert f"{notes}: is not a map file: procmap reads .yaml, .yml, .bpmn files" in result.output
