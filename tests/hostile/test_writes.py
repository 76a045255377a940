"""Nothing the user had is lost: outputs never replace inputs, edited files or device nodes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from procmap.cli.main import app
from procmap.output.write import unstamp, written_by_procmap
from tests.conftest import SMALL_MAP, corpus_file
from tests.hostile.inputs import SMALL_LOG, with_subprocesses

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    target = tmp_path / "inv.yaml"
    assert run("import", str(corpus_file("bpmn", "reference", "C.1.0.bpmn")), "-o", str(target)).exit_code == 0
    return target


def test_export_over_its_own_input_is_refused(imported: Path) -> None:
    before = imported.read_bytes()
    result = run("export", str(imported), "-o", str(imported))
    assert result.exit_code == 2
    assert "names an input of this command" in result.output
    assert imported.read_bytes() == before


@pytest.mark.parametrize("command", [["render"], ["report"], ["export"]])
def test_no_command_writes_over_its_input_by_another_name(imported: Path, command: list[str]) -> None:
    before = imported.read_bytes()
    other = imported.parent / "." / "sub" / ".." / imported.name
    (imported.parent / "sub").mkdir()
    result = run(*command, str(imported), "-o", str(other), "--force")
    assert result.exit_code == 2, result.output
    assert imported.read_bytes() == before


def test_a_map_edited_since_procmap_wrote_it_needs_force(imported: Path) -> None:
    bpmn = str(corpus_file("bpmn", "reference", "C.1.0.bpmn"))
    assert run("import", bpmn, "-o", str(imported)).exit_code == 0  # unchanged: replaced
    edited = imported.read_text(encoding="utf-8") + "# my note\n"
    imported.write_text(edited, encoding="utf-8")
    assert not written_by_procmap(imported)
    result = run("import", bpmn, "-o", str(imported))
    assert result.exit_code == 2
    assert "was changed since procmap wrote it" in result.output
    assert imported.read_text(encoding="utf-8") == edited
    assert run("import", bpmn, "-o", str(imported), "--force").exit_code == 0


def test_rediscovering_over_a_hand_edited_discovered_map_keeps_the_edits(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(SMALL_LOG, encoding="utf-8")
    target = tmp_path / "asis.yaml"
    assert run("discover", str(log), "-o", str(target)).exit_code == 0
    edited = target.read_text(encoding="utf-8").replace("name: Ask", "name: Ask by phone")
    target.write_text(edited, encoding="utf-8")
    result = run("discover", str(log), "-o", str(target))
    assert result.exit_code == 2 and "changed since procmap wrote it" in result.output
    assert target.read_text(encoding="utf-8") == edited


def test_merge_output_and_report_may_not_be_the_same_file(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text(SMALL_MAP, encoding="utf-8")
    target = tmp_path / "x.yaml"
    result = run("merge", str(a), str(a), "-o", str(target), "--report", str(target))
    assert result.exit_code == 2
    assert "--output and --report name the same file" in result.output
    assert not target.exists()


def test_an_import_into_a_folder_writes_all_or_nothing(tmp_path: Path) -> None:
    bpmn = tmp_path / "parts.bpmn"
    bpmn.write_text(with_subprocesses(3), encoding="utf-8")
    out = tmp_path / "maps"
    out.mkdir()
    mine = out / "hostile--part-2.yaml"  # a file of the user's where the third map would go
    mine.write_text("mine\n", encoding="utf-8")
    result = run("import", str(bpmn), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in out.iterdir()) == ["hostile--part-2.yaml"]  # nothing else, no .tmp
    assert mine.read_text(encoding="utf-8") == "mine\n"
    mine.unlink()
    assert run("import", str(bpmn), "-o", str(out)).exit_code == 0
    assert len(list(out.glob("*.yaml"))) == 4


def test_force_onto_a_symlink_replaces_its_target_and_keeps_the_link(imported: Path) -> None:
    real = imported.parent / "real.bpmn"
    real.write_text("mine", encoding="utf-8")
    link = imported.parent / "link.bpmn"
    link.symlink_to(real.name)
    assert run("export", str(imported), "-o", str(link)).exit_code == 2
    assert run("export", str(imported), "-o", str(link), "--force").exit_code == 0
    assert link.is_symlink() and b"Written by procmap export" in real.read_bytes()


def test_force_onto_a_device_writes_to_it_and_leaves_the_node(imported: Path) -> None:
    result = run("export", str(imported), "-o", os.devnull, "--force")
    assert result.exit_code == 0, result.output
    assert Path(os.devnull).is_char_device()


def test_a_fifo_is_written_as_a_stream_never_read_first(imported: Path) -> None:
    fifo = imported.parent / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = run("export", str(imported), "-o", str(fifo))
    reader.join(10)
    assert result.exit_code == 0, result.output
    assert fifo.is_fifo() and got and got[0].startswith(b"<?xml")


def test_dash_is_standard_output(imported: Path) -> None:
    result = run("export", str(imported), "-o", "-")
    assert result.exit_code == 0
    assert "<bpmn:definitions" in result.stdout
    assert not (imported.parent / "-").exists()


def test_the_stamp_is_the_hash_of_what_was_written(imported: Path) -> None:
    data = imported.read_bytes()
    assert b"(content sha256:" in data.split(b"\n", 1)[0]
    import hashlib

    token = data.split(b"(content sha256:", 1)[1][:16].decode()
    assert hashlib.sha256(unstamp(data)).hexdigest()[:16] == token


def test_dev_stdout_into_a_pipe_is_written_not_read(imported: Path) -> None:
    import subprocess
    import sys

    script = Path(sys.executable).parent / "procmap"
    result = subprocess.run([str(script), "export", str(imported), "-o", "/dev/stdout"],
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"<?xml")
    assert Path("/dev/stdout").is_symlink() or not Path("/dev/stdout").is_file()
