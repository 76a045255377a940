"""The command line: exit codes, formats, help, writes."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import procmap
from procmap.cli.main import COMMANDS, app
from procmap.output.write import unstamp
from tests.conftest import EXAMPLES, FULL_MAP, example_maps, write_file

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def console_script(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``procmap`` script in a process of its own."""
    script = Path(sys.executable).parent / "procmap"
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1"}, check=False,
    )


# --- check: exit codes ----------------------------------------------------------------------


def test_examples_load_clean() -> None:
    result = run("check", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    assert "problems loading" not in result.output
    count = len(example_maps())
    assert f"{count} map{'s' if count != 1 else ''} checked" in result.output


def test_a_clean_folder_exits_0(tmp_path: Path) -> None:
    write_file(tmp_path, "full.yaml", FULL_MAP)
    write_file(tmp_path, "notes.yaml", "title: not a map\n")
    result = run("check", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "1 map checked" in result.output


def test_bad_map_exits_2_with_located_lines(tmp_path: Path) -> None:
    bad = write_file(tmp_path, "bad.yaml", "procmap: 1\nprocess: p\nactors: {s: {kind: tem}}\n")
    result = run("check", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:3:20: actor 's': kind 'tem' is not one of" in result.output
    assert "Traceback" not in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "nope.yaml: no such file or folder" in result.output


def test_good_and_bad_files_are_both_reported(small_map: Path, tmp_path: Path) -> None:
    bad = write_file(tmp_path, "bad.yaml", "procmap: 1\n")
    result = run("check", str(small_map), str(bad))
    assert result.exit_code == 2
    assert "missing field 'process'" in result.output
    assert "1 map checked" in result.output


def test_unknown_option_exits_2(small_map: Path) -> None:
    result = run("check", str(small_map), "--colour")
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_unknown_command_and_no_path_exit_2() -> None:
    assert run("chek").exit_code == 2
    assert run("check").exit_code == 2


def test_a_file_that_is_no_map_file_is_named(tmp_path: Path) -> None:
    notes = write_file(tmp_path, "notes.md", "# notes\n")
    result = run("check", str(notes))
    assert result.exit_code == 2
    assert f"{notes}: is not a map file: procmap reads .yaml, .yml, .bpmn files" in result.output


# --- check: JSON ----------------------------------------------------------------------------


def test_json_lists_errors_with_places(tmp_path: Path) -> None:
    bad = write_file(tmp_path, "bad.yaml", "procmap: 1\nprocess: p\nlevel: 9\nowner: [x]\n")
    result = run("check", str(bad), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert [(e["file"], e["line"], e["column"], e["element"]) for e in data["errors"]] == [
        (str(bad), 3, 8, "process 'p'"),
        (str(bad), 4, 8, "process 'p'"),
    ]
    assert data["errors"][0]["message"] == "level 9 is outside L1–L4"
    assert data["maps"] == [] and data["findings"] == []


def test_json_lists_the_maps_checked(tmp_path: Path) -> None:
    path = write_file(tmp_path, "full.yaml", FULL_MAP)
    data = json.loads(run("check", str(path), "-f", "json").output)
    assert data["maps"] == [
        {"file": str(path), "process": "order-handling", "name": "Order handling", "level": 3,
         "owner": "Customer Service", "steps": 7}
    ]
    assert data["errors"] == []


# --- help and version ---------------------------------------------------------------------


@pytest.mark.parametrize("command", [c[0] for c in COMMANDS])
def test_every_command_has_help_with_examples(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.output


@pytest.mark.parametrize(("command", "module", "summary"), [(c[0], c[1], c[3]) for c in COMMANDS])
def test_the_listed_summary_is_the_commands_own(command: str, module: str, summary: str) -> None:
    # the app lists commands without importing them: its summary must be the HELP's first line
    help_text = importlib.import_module(f"procmap.cli.{module}").HELP
    assert help_text.splitlines()[0] == summary


def test_the_app_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert all(c[0] in result.output for c in COMMANDS)


def test_help_imports_nothing_heavy() -> None:
    # `procmap --help` starts fast: no command module, no model or engine library
    code = (
        "import sys; sys.argv = ['procmap', '--help']\n"
        "from procmap.cli.main import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "heavy = ('networkx', 'pydantic', 'duckdb', 'lxml', 'jinja2', 'rapidfuzz', 'yaml',\n"
        "         'numpy', 'procmap.cli.check', 'procmap.model')\n"
        "print('LOADED', [m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "check" in out.stdout  # the help was printed
    assert out.stdout.strip().splitlines()[-1] == "LOADED []"


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.output == f"procmap {procmap.__version__}\n"


# --- schema: atomic writes that never replace a foreign file --------------------------------


SHIPPED_SCHEMA = Path(procmap.__file__).parent / "schema" / "procmap-1.schema.json"
"""The schema file in the package, as committed (tests/io/test_schema.py holds it to the model)."""


def a_schema_that_judges_maps(text: str) -> None:
    """``text`` is a JSON Schema that accepts a full map and refuses broken ones."""
    import jsonschema
    import yaml

    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    judge = jsonschema.Draft202012Validator(schema)
    full = yaml.safe_load(FULL_MAP.replace("yes:", "'yes':").replace("no:", "'no':"))
    assert list(judge.iter_errors(full)) == []
    assert not judge.is_valid({**full, "level": 9})
    assert not judge.is_valid({**full, "steps": {"a": {"actor": "service", "kind": "meeting"}}})


def test_schema_goes_to_standard_output() -> None:
    result = run("schema")
    assert result.exit_code == 0
    a_schema_that_judges_maps(result.stdout)
    assert result.stdout == unstamp(SHIPPED_SCHEMA.read_bytes()).decode("utf-8")


def test_schema_writes_and_refuses_to_overwrite_foreign_files(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    assert run("schema", "-o", str(target)).exit_code == 0
    a_schema_that_judges_maps(target.read_text(encoding="utf-8"))
    assert target.read_bytes() == SHIPPED_SCHEMA.read_bytes()
    assert b"(content sha256:" in target.read_bytes()
    assert run("schema", "-o", str(target)).exit_code == 0  # procmap's own file: replaced
    foreign = write_file(tmp_path, "mine.json", "{}")
    result = run("schema", "-o", str(foreign))
    assert result.exit_code == 2
    assert f"{foreign}: exists and was not written by procmap; use --force" in result.output
    assert foreign.read_text(encoding="utf-8") == "{}"
    assert run("schema", "-o", str(foreign), "--force").exit_code == 0
    assert foreign.read_bytes() == target.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.json", "schema.json"]


def test_a_failed_write_leaves_the_old_file_and_no_half_written_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "schema.json"
    assert run("schema", "-o", str(target)).exit_code == 0
    before = target.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)  # after the text is written, before the rename
    result = run("schema", "-o", str(target), "--force")
    assert result.exit_code == 2
    assert f"procmap: {target}: could not be written (No space left on device)" in result.output
    assert "internal error" not in result.output
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]


@pytest.mark.parametrize(
    ("where", "message"),
    [("no/schema.json", "does not exist"), (".", "is a folder; name a file to write")],
)
def test_schema_into_a_missing_folder_or_onto_a_folder_exits_2(
    tmp_path: Path, where: str, message: str
) -> None:
    result = run("schema", "-o", str(tmp_path / where))
    assert result.exit_code == 2
    assert message in result.output


# --- the installed script -------------------------------------------------------------------


def test_console_script_runs_in_a_real_process(small_map: Path, tmp_path: Path) -> None:
    result = console_script("check", str(small_map))
    assert result.returncode == 0, result.stderr
    assert "1 map checked" in result.stdout
    bad = write_file(tmp_path, "bad.yaml", "procmap: 1\nprocess: p\nlevel: two\n")
    result = console_script("check", str(bad))
    assert result.returncode == 2
    assert f"{bad}:3:8: process 'p': level must be a whole number, not 'two'" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_rules_shows_one_rule_by_id_or_name() -> None:
    by_id = run("rules", "XF001")
    assert by_id.exit_code == 0
    assert "slow-handoff" in by_id.output and "long-wait (default 1d" in by_id.output
    assert "Why." in by_id.output and "Fix." in by_id.output
    assert run("rules", "slow-handoff").output == by_id.output
    unknown = run("rules", "ping-pog")
    assert unknown.exit_code == 2 and "did you mean 'ping-pong'?" in unknown.output
    data = json.loads(run("rules", "OI004", "--format", "json").output)
    assert [r["id"] for r in data] == ["OI004"] and data[0]["settings"] == {"min-success": "0.75"}
