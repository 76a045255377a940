"""SourceMap: element paths to places, falling back to the nearest recorded parent."""

from __future__ import annotations

from procmap.errors import SourceLocation
from procmap.source import SourceMap

SOURCE = SourceMap(
    "m.yaml",
    {
        ("steps",): (4, 1, 5, 3),
        ("steps", "call"): (5, 3, 6, 5),
        ("steps", "call", "needs"): (6, 5, 6, 12),
        ("steps", "call", "needs", 0): (6, 13, 6, 13),
        ("steps", "mail", "then"): (9, 5, 9, 11),
    },
)


def test_keys_and_values_of_recorded_paths() -> None:
    assert SOURCE.key(("steps", "call")) == SourceLocation("m.yaml", 5, 3)
    assert SOURCE.value(("steps", "call")) == SourceLocation("m.yaml", 6, 5)
    assert SOURCE.value(("steps", "call", "needs", 0)) == SourceLocation("m.yaml", 6, 13)
    assert SOURCE.step("call") == SourceLocation("m.yaml", 5, 3)


def test_a_missing_field_is_placed_at_the_key_of_its_element() -> None:
    assert SOURCE.value(("steps", "call", "actor")) == SourceLocation("m.yaml", 5, 3)
    assert SOURCE.key(("steps", "call", "actor")) == SourceLocation("m.yaml", 5, 3)


def test_a_single_id_for_a_list_is_placed_at_the_value() -> None:
    # `then: mail` is read as [mail]: item 0 was never written, the value was
    assert SOURCE.value(("steps", "mail", "then", 0)) == SourceLocation("m.yaml", 9, 11)


def test_an_unknown_path_falls_back_to_the_start_of_the_file() -> None:
    assert SOURCE.value(("actors", "x")) == SourceLocation("m.yaml", 1, 1)
    assert SOURCE.key(()) == SourceLocation("m.yaml", 1, 1)
    assert str(SourceLocation("m.yaml")) == "m.yaml"
    assert str(SourceLocation("m.yaml", 3)) == "m.yaml:3"
