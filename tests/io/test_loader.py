"""The YAML loader: typing rules, located errors, hostile input."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import procmap
from procmap.io import yaml_loader
from procmap.io.yaml_loader import load_with_source
from tests.conftest import load_messages, write_file

HEAD = "procmap: 1\nprocess: p\nactors: {s: {kind: team}}\n"


def errors_of(text: str) -> list[str]:
    return load_messages(lambda: procmap.loads(text, file="m.yaml"))


def billion_laughs(key: str = "note") -> str:
    """Ten to the ninth elements once every alias is expanded, in 400 bytes."""
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return f"procmap: 1\nprocess: p\n{key}:\n" + "\n".join(f"  {line}" for line in levels) + "\n"


# --- typing: YAML 1.2 scalars, keys as text -------------------------------------------


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


@pytest.mark.parametrize(
    "value", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "1:30", "2024-01-31", "0o17",
              "0x1F", "1_000", "1e3", ".inf", "=", "<<"],
)
def test_yaml_11_oddities_stay_text(value: str) -> None:
    p = procmap.loads(f"procmap: 1\nprocess: p\nname: {value}\nowner: {value}\n")
    assert p.name == p.owner == value


def test_quoted_true_is_text_and_plain_true_is_no_text() -> None:
    assert procmap.loads("procmap: 1\nprocess: p\nname: 'true'\n").name == "true"
    assert errors_of("procmap: 1\nprocess: p\nname: true\n") == [
        "m.yaml:3:7: process 'p': name must be text, not true"
    ]


def test_numbers_are_read_where_numbers_are_expected() -> None:
    p = procmap.loads("procmap: 1\nprocess: p\nlevel: 2\nactors: {s: {kind: team}}\n"
                      "steps:\n  a: {actor: s, fails: 0.05}\n  b: {actor: s, fails: 1}\n")
    assert p.level == 2 and p.steps["a"].fails == 0.05 and p.steps["b"].fails == 1.0


def test_null_and_empty_values_mean_not_given() -> None:
    p = procmap.loads("procmap: 1\nprocess: p\nowner:\nname: ~\nauthor: null\n")
    assert p.owner is None and p.name is None and p.author is None


# --- text: encodings and line ends ------------------------------------------------------


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + HEAD.encode())
    assert procmap.load(path).process == "p"


def test_utf16_is_named_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes(HEAD.encode("utf-16"))
    assert load_messages(lambda: procmap.load(path)) == [
        f"{path}:1:1: is not UTF-8 text (byte 0xff) (save the file as UTF-8)"
    ]


@pytest.mark.parametrize("end", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends_count_lines(end: str) -> None:
    text = "procmap: 1\nprocess: p\nlevel: 9\n".replace("\n", end)
    assert errors_of(text)[0].startswith("m.yaml:3:8: ")


def test_a_control_character_is_located_in_characters_not_bytes() -> None:
    # libyaml reports a byte offset; 'é' and '🙂' are 2 and 4 bytes, one column each
    assert errors_of("procmap: 1\nname: é🙂 \x07\n") == [
        "m.yaml:2:10: contains the control character U+0007, which YAML does not allow "
        "(delete it; it often comes from text copied out of another program)"
    ]


def test_a_lone_surrogate_in_python_text_is_located() -> None:
    assert errors_of("procmap: 1\nprocess: p\nname: a\ud800\n") == ["m.yaml:3:8: is not valid Unicode text"]


# --- aliases and hostile nesting -------------------------------------------------------


def test_anchors_and_aliases_work() -> None:
    p = procmap.loads(HEAD + "steps:\n  a: &task {actor: s, duration: 5m}\n  b: *task\n")
    assert p.steps["b"].duration == p.steps["a"].duration


def test_an_alias_is_located_where_it_is_used_not_where_it_is_anchored() -> None:
    found = errors_of(
        HEAD + "steps:\n  a:\n    actor: s\n    needs: &first [nope]\n  b:\n    actor: s\n"
        "    needs: *first\n"
    )
    assert [m.split(": ")[0] for m in found] == ["m.yaml:7:20", "m.yaml:10:5"]


def test_alias_bomb_stays_as_small_as_its_text() -> None:
    # each aliased node is built once, as PyYAML's own constructor does; it was expanded
    # before (38 s and 4.8 GiB for this text, stopped by the element budget only)
    start = time.perf_counter()
    found = errors_of(billion_laughs())
    assert time.perf_counter() - start < 2
    assert found == ["m.yaml:4:3: process 'p': note must be text, not a mapping"]


def test_alias_bomb_in_the_steps_is_refused_quickly() -> None:
    start = time.perf_counter()
    found = errors_of(billion_laughs("steps"))
    assert time.perf_counter() - start < 2
    assert found[0] == "m.yaml:4:7: step 'a0': must be a mapping of fields (actor:, name:, …), not a list"


def test_an_alias_inside_itself_is_reported_and_left_out() -> None:
    assert errors_of("procmap: 1\nprocess: p\nnote: &a {x: *a}\n") == [
        "m.yaml:3:7: process 'p': note must be text, not a mapping",
        "m.yaml:3:11: an alias refers to the list or mapping it is part of",
    ]


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = yaml_loader.MAX_DEPTH - 1  # the map itself is the first level
    found = errors_of("procmap: 1\nprocess: p\nnote: " + "[" * depth + "]" * depth + "\n")
    assert found == ["m.yaml:3:7: process 'p': note must be text, not a list"]


def test_deep_nesting_gives_an_error_not_a_crash() -> None:
    # libyaml's composer recurses in C: 100,000 brackets crashed the interpreter (SIGSEGV),
    # so this runs in a child process, where a crash fails the test instead of the run
    code = (
        "import procmap\n"
        "try:\n"
        "    procmap.loads('procmap: 1\\nnote: ' + '[' * 100_000 + ']' * 100_000, file='m.yaml')\n"
        "except procmap.LoadError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    # libyaml stops at its own limit (1,000 levels) in PyYAML 6.0.3 and newer, at a later column
    assert re.fullmatch(r"m\.yaml:2:\d+: lists and mappings are nested more than 100 levels deep\n",
                        result.stdout)


def test_more_elements_than_the_budget_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_loader, "MAX_NODES", 50)
    found = errors_of("procmap: 1\nprocess: p\nnote: [" + ", ".join(["x"] * 60) + "]\n")
    assert "m.yaml:3:146: has more than 50 elements (split it into several maps linked by part-of)" in found


def test_file_above_the_size_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_loader, "MAX_BYTES", 1024)
    path = write_file(tmp_path, "big.yaml", HEAD + "#" * 2048 + "\n")
    assert load_messages(lambda: procmap.load(path)) == [
        f"{path}: is larger than the 1,024 bytes a map may be "
        "(split it into several maps linked by part-of)"
    ]
    write_file(tmp_path, "big.yaml", HEAD)
    assert procmap.load(path).process == "p"


# --- errors: all of them, located --------------------------------------------------------


def test_every_error_of_a_file_is_reported_in_order() -> None:
    found = errors_of(
        HEAD + "level: nine\nsteps:\n  a: {actor: x}\n  b: {actor: s, needs: [z]}\n"
        "  c: {actor: s, kind: dance}\n  c: {actor: s}\n"
    )
    assert [m.split(":")[1] for m in found] == ["4", "6", "7", "8", "9"]


def test_a_typo_in_one_field_does_not_hide_a_broken_reference_in_another() -> None:
    found = errors_of(HEAD + "steps:\n  a: {actor: s, fails: high, then: [bb]}\n  b: {actor: s}\n")
    assert found == [
        "m.yaml:5:24: step 'a': fails must be a number, not 'high'",
        "m.yaml:5:37: step 'a': then 'bb', which is not a step (did you mean 'b'?)",
    ]


def test_source_map_locates_elements(tmp_path: Path) -> None:
    path = write_file(tmp_path, "m.yaml", HEAD + "steps:\n  first: {actor: s}\n  second:\n    actor: s\n")
    _, source = load_with_source(path)
    assert (source.step("first").line, source.step("first").column) == (5, 3)
    assert source.step("second").line == 6
    assert source.value(("steps", "second", "actor")).line == 7


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert load_messages(lambda: procmap.load(tmp_path / "nope.yaml")) == [
        f"{tmp_path / 'nope.yaml'}: no such file"
    ]
    assert load_messages(lambda: procmap.load(tmp_path)) == [
        f"{tmp_path}: is a folder, not a map file"
    ]


def test_error_objects_carry_location_element_and_hint() -> None:
    with pytest.raises(procmap.LoadError) as caught:
        procmap.loads(HEAD + "steps:\n  a: {actor: ss}\n", file="m.yaml")
    (error,) = caught.value.errors
    assert (error.location.file, error.location.line, error.location.column) == ("m.yaml", 5, 14)
    assert error.element == "step 'a'"
    assert error.hint == "did you mean 's'?"
    assert error.to_dict() == {
        "file": "m.yaml", "line": 5, "column": 14, "element": "step 'a'",
        "message": "actor 'ss' is not declared under actors", "hint": "did you mean 's'?",
        "text": "m.yaml:5:14: step 'a': actor 'ss' is not declared under actors (did you mean 's'?)",
    }
    assert str(caught.value) == error.message


def test_text_without_a_file_name_is_called_string() -> None:
    with pytest.raises(procmap.LoadError, match=r"^<string>:1:1: is empty, not a map$"):
        procmap.loads("")
