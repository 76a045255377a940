"""procmap.dumps writes maps that load back equal.

Random maps are round-tripped in test_properties.py; here the hand-written ones
and every example map (the parametrised test reports as skipped while there are none).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import procmap
from procmap.io.yaml_writer import GENERATED_MARK
from tests.conftest import FLOWS, FULL_MAP, SMALL_MAP, example_maps


def round_trip(process: procmap.Process) -> str:
    text = procmap.dumps(process)
    again = procmap.loads(text)
    assert again == process
    assert procmap.dumps(again) == text  # and writing is stable
    return text


@pytest.mark.parametrize("path", example_maps(), ids=lambda p: p.stem)
def test_examples_round_trip(path: Path) -> None:
    round_trip(procmap.load(path))


@pytest.mark.parametrize("text", [SMALL_MAP, FULL_MAP, FLOWS], ids=["small", "full", "flows"])
def test_hand_written_maps_round_trip(text: str) -> None:
    round_trip(procmap.loads(text))


def test_awkward_values_are_quoted() -> None:
    round_trip(
        procmap.loads(
            "procmap: 1\nprocess: p\nname: 'Yes: a name, with {braces} and # hash'\n"
            "note: |\n  two\n  lines\n"
            "actors: {s: {kind: team, name: 'true'}, '1': {kind: team, name: '- dash'}}\n"
            "steps:\n  'no': {actor: s, kind: decision, branches: {'yes': {to: x, probability: 1},"
            " '~': x, 'null': x, '1.5': x, '': x}}\n"
            "  x: {actor: '1', name: '2024', rule: '*not an alias', duration: 90m, wait: 0.5s}\n"
            "  'on': {actor: s, name: \"it's 'quoted' and \\\"double\\\"\", note: 'café ✓ 🙂'}\n"
        )
    )


def test_names_with_line_separators_come_back_as_typed() -> None:
    """A name pasted from a document may hold a next-line (U+0085) or line separator
    (U+2028): written and read back, it is the same name."""
    for odd in ("Check\x85the form", "Check\u2028the form", "Tab\there"):
        process = procmap.loads(f"procmap: 1\nprocess: p\nactors: {{s: {{kind: team}}}}\n"
                                f"steps:\n  a: {{actor: s, name: {odd!r}}}\n".replace("'", '"'))
        assert process.steps["a"].name == odd
        assert procmap.loads(procmap.dumps(process)).steps["a"].name == odd


def test_header_and_defaults_left_out() -> None:
    text = procmap.dumps(procmap.loads(SMALL_MAP), header="Written by procmap\nsecond line")
    assert text.startswith("# Written by procmap\n# second line\n")
    assert "kind: task" not in text and "for: customer" not in text


def test_simple_branches_stay_on_one_line() -> None:
    text = round_trip(procmap.loads(
        "procmap: 1\nprocess: p\nactors: {s: {kind: team}}\n"
        "steps:\n  d: {actor: s, kind: decision, branches: {yes: a, no: b}}\n"
        "  a: {actor: s}\n  b: {actor: s}\n"
    ))
    assert "    branches: {'yes': a, 'no': b}\n" in text


def test_the_generated_mark_is_what_the_writer_looks_for() -> None:
    from procmap.output.write import MARKS

    assert GENERATED_MARK.lstrip("# ").encode() in MARKS
