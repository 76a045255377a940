"""Golden files: ``--update-golden`` writes them and never passes; without it they judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import matches_golden


def test_updating_a_golden_file_writes_it_and_does_not_pass(tmp_path: Path) -> None:
    golden = tmp_path / "golden" / "out.txt"
    with pytest.raises(pytest.skip.Exception, match="review the diff"):
        matches_golden(golden, "new text\n", update=True)
    assert golden.read_text(encoding="utf-8") == "new text\n"


def test_without_the_option_a_difference_fails_and_nothing_is_written(tmp_path: Path) -> None:
    golden = tmp_path / "out.txt"
    golden.write_text("reviewed text\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        matches_golden(golden, "other text\n", update=False)
    assert golden.read_text(encoding="utf-8") == "reviewed text\n"
    with pytest.raises(AssertionError, match="is missing"):
        matches_golden(tmp_path / "none.txt", "text\n", update=False)
    matches_golden(golden, "reviewed text\n", update=False)
