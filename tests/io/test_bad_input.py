"""Bad maps as data: tests/io/bad/<case>.yaml beside <case>.expected.txt.

Each expected file holds the exact located messages, one per line, as
``procmap check`` prints them (paths relative to the repository root).
Refresh with ``pytest --update-golden`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from tests.conftest import ROOT, load_messages, matches_golden

BAD = Path(__file__).parent / "bad"
CASES = sorted(BAD.glob("*.yaml"))


def relative(case: Path) -> str:
    """The case as ``tests/io/bad/<case>.yaml``: tests run from the repository root."""
    return case.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_bad_map_gives_located_messages(case: Path, in_root: Path, update_golden: bool) -> None:
    found = load_messages(lambda: procmap.load(relative(case)))
    for line in found:
        assert line.startswith(f"tests/io/bad/{case.name}:"), line
    matches_golden(case.with_suffix(".expected.txt"), "\n".join(found) + "\n", update_golden)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_check_prints_the_same_lines_and_exits_2(case: Path, in_root: Path) -> None:
    result = CliRunner().invoke(app, ["check", relative(case)])
    assert result.exit_code == 2
    printed = [line for line in result.output.splitlines() if line.startswith(relative(case))]
    expected = case.with_suffix(".expected.txt").read_text(encoding="utf-8").splitlines()
    assert printed == expected
    assert "Traceback" not in result.output


def test_every_case_has_a_reviewed_expectation() -> None:
    for case in CASES:
        assert case.with_suffix(".expected.txt").exists(), case.name


def test_five_mistakes_print_five_located_lines_and_exit_2(in_root: Path) -> None:
    result = CliRunner().invoke(app, ["check", "tests/io/bad/five-mistakes.yaml"])
    assert result.exit_code == 2
    lines = [
        line for line in result.output.splitlines()
        if line.startswith("tests/io/bad/five-mistakes.yaml:")
    ]
    assert len(lines) == 5
    assert {line.split(":")[1] for line in lines} == {"12", "20", "24", "27", "29"}
    assert "Traceback" not in result.output
