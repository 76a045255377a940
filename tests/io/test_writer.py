"""procmap.dumps writes maps that load back equal."""

from __future__ import annotations

from pathlib import Path

import pytest

import procmap
from tests.conftest import SMALL_MAP, example_maps


@pytest.mark.parametrize("path", example_maps(), ids=lambda p: p.stem)
def test_examples_round_trip(path: Path) -> None:
    process = procmap.load(path)
    text = procmap.dumps(process)
    again = procmap.loads(text)
    assert again == process
    assert procmap.dumps(again) == text


def test_awkward_values_are_quoted() -> None:
    process = procmap.loads(
        "procmap: 1\nprocess: p\nname: 'Yes: a name, with {braces} and # hash'\n"
        "note: |\n  two\n  lines\n"
        "actors: {s: {kind: team, name: 'true'}}\n"
        "steps:\n  'no': {actor: s, kind: decision, branches: {'yes': {to: x, probability: 1}}}\n"
        "  x: {actor: s, name: '2024', duration: 90m}\n"
    )
    assert procmap.loads(procmap.dumps(process)) == process


def test_header_and_defaults_left_out() -> None:
    text = procmap.dumps(procmap.loads(SMALL_MAP), header="Written by procmap\nsecond line")
    assert text.startswith("# Written by procmap\n# second line\n")
    assert "kind: task" not in text and "for: customer" not in text
