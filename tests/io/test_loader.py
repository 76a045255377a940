"""The YAML loader: typing rules, located errors, hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import procmap
from procmap.io import yaml_loader
from procmap.io.yaml_loader import load_with_source

HEAD = "procmap: 1\nprocess: p\nactors: {s: {kind: team}}\n"


def errors_of(text: str) -> list[str]:
    with pytest.raises(procmap.LoadError) as caught:
        procmap.loads(text, file="m.yaml")
    return [e.message for e in caught.value.errors]


def test_yes_and_no_stay_branch_labels() -> None:
    p = procmap.loads(
        HEAD + "steps:\n  d: {actor: s, kind: decision, branches: {yes: a, no: b, on: a}}\n"
        "  a: {actor: s}\n  b: {actor: s}\n"
    )
    assert list(p.steps["d"].branches) == ["yes", "no", "on"]


def test_ids_that_yaml_11_would_turn_into_booleans_or_numbers_stay_text() -> None:
    p = procmap.loads(HEAD + "steps:\n  'no': {actor: s, then: [off]}\n  off: {actor: s, name: 2024}\n")
    assert p.steps["no"].then == ("off",)
    assert p.steps["off"].name == "2024"


def test_numbers_are_read_where_numbers_are_expected() -> None:
    p = procmap.loads("procmap: 1\nprocess: p\nlevel: 2\nactors: {s: {kind: team}}\n"
                      "steps:\n  a: {actor: s, fails: 0.05}\n")
    assert p.level == 2 and p.steps["a"].fails == 0.05


def test_null_and_empty_values_mean_not_given() -> None:
    p = procmap.loads("procmap: 1\nprocess: p\nowner:\nname: ~\n")
    assert p.owner is None and p.name is None


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + HEAD.encode())
    assert procmap.load(path).process == "p"


def test_anchors_and_aliases_work() -> None:
    p = procmap.loads(
        HEAD + "steps:\n  a: &task {actor: s, duration: 5m}\n  b: *task\n"
    )
    assert p.steps["b"].duration == p.steps["a"].duration


def test_every_error_of_a_file_is_reported_in_order() -> None:
    found = errors_of(
        HEAD + "steps:\n  a: {actor: x}\n  b: {actor: s, needs: [z]}\n  c: {actor: s, kind: dance}\n"
    )
    assert [m.split(":")[1] for m in found] == ["5", "6", "7"]


def test_source_map_locates_elements(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(HEAD + "steps:\n  first: {actor: s}\n  second:\n    actor: s\n", encoding="utf-8")
    _, source = load_with_source(path)
    assert (source.step("first").line, source.step("first").column) == (5, 3)
    assert source.step("second").line == 6
    assert source.value(("steps", "second", "actor")).line == 7


def test_alias_bomb_is_stopped_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_loader, "MAX_NODES", 100_000)
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    text = "procmap: 1\nprocess: p\nnote:\n" + "\n".join(f"  {line}" for line in levels) + "\n"
    start = time.perf_counter()
    found = errors_of(text)
    assert time.perf_counter() - start < 5
    assert any("expands to more than 100,000 elements" in m for m in found)


def test_file_above_the_size_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_loader, "MAX_BYTES", 1024)
    path = tmp_path / "big.yaml"
    path.write_text(HEAD + "#" * 2048 + "\n", encoding="utf-8")
    with pytest.raises(procmap.LoadError, match="larger than the 0 MiB"):
        procmap.load(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(procmap.LoadError, match="no such file"):
        procmap.load(tmp_path / "nope.yaml")
    with pytest.raises(procmap.LoadError, match="is a folder"):
        procmap.load(tmp_path)


def test_error_objects_carry_location_element_and_hint() -> None:
    with pytest.raises(procmap.LoadError) as caught:
        procmap.loads(HEAD + "steps:\n  a: {actor: ss}\n", file="m.yaml")
    (error,) = caught.value.errors
    assert (error.location.file, error.location.line, error.location.column) == ("m.yaml", 5, 14)
    assert error.element == "step 'a'"
    assert error.hint == "did you mean 's'?"
    assert error.to_dict()["line"] == 5
