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

BAD = Path(__file__).parent / "bad"
CASES = sorted(BAD.glob("*.yaml"))


def messages(path: Path) -> list[str]:
    relative = path.relative_to(BAD.parents[2])
    with pytest.raises(procmap.LoadError) as caught:
        procmap.load(relative)
    return [e.message for e in caught.value.errors]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_bad_map_gives_located_messages(case: Path, in_root: Path, update_golden: bool) -> None:
    found = messages(case)
    expected_file = case.with_suffix(".expected.txt")
    if update_golden:
        expected_file.write_text("\n".join(found) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert found == expected
    for line in found:
        assert line.startswith(f"tests/io/bad/{case.name}:"), line


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
