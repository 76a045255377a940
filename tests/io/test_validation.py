"""Pydantic's errors in the words of a map: how values are shown, which fields exist.

The full messages are the golden files in tests/io/bad/; these are the pieces.
"""

from __future__ import annotations

import pytest

from procmap.io.validation import describe_value, fields_of
from procmap.model.process import Branch, Step


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("high", "'high'"),
        ("15", "15"),
        ("-1.5", "-1.5"),
        (2, "2"),
        (True, "true"),
        (False, "false"),
        (None, "empty"),
        ([1], "a list"),
        ({"a": 1}, "a mapping"),
        ("x" * 100, "'" + "x" * 39 + "…'"),
        ("9" * 5000, "9" * 39 + "…"),
    ],
)
def test_values_are_shown_as_a_map_writes_them(value: object, shown: str) -> None:
    assert describe_value(value) == shown


def test_fields_are_named_as_written_in_a_map() -> None:
    assert "with" in fields_of(Step) and "seen-by" in fields_of(Step)
    assert "with_" not in fields_of(Step)
    assert fields_of(Branch) == ["to", "probability"]
