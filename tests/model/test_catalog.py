"""Folders of maps as catalogs: the L1-L4 hierarchy and errors across files."""

from __future__ import annotations

from pathlib import Path

import pytest

import procmap
from tests.conftest import EXAMPLES


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def map_text(pid: str, level: int, part_of: str | None = None, calls: str | None = None) -> str:
    lines = ["procmap: 1", f"process: {pid}", f"level: {level}"]
    if part_of:
        lines.append(f"part-of: {part_of}")
    lines += ["actors: {t: {kind: team}}", "steps:"]
    if calls:
        lines.append(f"  run: {{actor: t, kind: subprocess, calls: {calls}}}")
    else:
        lines.append("  work: {actor: t}")
    return "\n".join(lines) + "\n"


def test_marketing_example_hierarchy() -> None:
    catalog = procmap.load_catalog(EXAMPLES / "marketing")
    assert catalog.roots() == ["marketing"]
    assert sorted(catalog.children("marketing")) == [
        "campaign-management", "content-production", "lead-management"
    ]
    tree = [(depth, p.process, p.level) for depth, p in catalog.depth_first()]
    assert tree[0] == (0, "marketing", 1)
    assert all(level == depth + 1 for depth, _, level in tree)
    assert catalog.called_by("lead-scoring") == [("lead-management", "score")]
    assert catalog.file_of("lead-scoring").endswith("lead-scoring.yaml")


def test_non_map_yaml_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", map_text("a", 1))
    write(tmp_path, "notes.yml", "title: not a map\n")
    write(tmp_path, ".hidden/b.yaml", map_text("b", 2, part_of="nope"))
    catalog = procmap.load_catalog(tmp_path)
    assert [p.process for p in catalog] == ["a"]
    assert catalog.skipped == (str(tmp_path / "notes.yml"),)


def errors(folder: Path) -> list[str]:
    with pytest.raises(procmap.LoadError) as caught:
        procmap.load_catalog(folder)
    return [e.message for e in caught.value.errors]


def test_unknown_part_of_and_calls_are_located_with_did_you_mean(tmp_path: Path) -> None:
    write(tmp_path, "top.yaml", map_text("lead-management", 1))
    write(tmp_path, "child.yaml", map_text("scoring", 2, part_of="lead-managment"))
    write(tmp_path, "caller.yaml", map_text("caller", 2, part_of="lead-management", calls="scorng"))
    found = errors(tmp_path)
    assert found == [
        f"{tmp_path / 'caller.yaml'}:7:44: step 'run': calls 'scorng', which is not a process "
        "of this catalog (did you mean 'scoring'?)",
        f"{tmp_path / 'child.yaml'}:4:10: process 'scoring': part-of 'lead-managment', which is "
        "not a process of this catalog (did you mean 'lead-management'?)",
    ]


def test_duplicate_process_id_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", map_text("same", 1))
    write(tmp_path, "b.yaml", map_text("same", 2))
    (message,) = errors(tmp_path)
    assert message.startswith(f"{tmp_path / 'b.yaml'}:2:10: process 'same': is defined twice")
    assert f"also in {tmp_path / 'a.yaml'}:2:10" in message


def test_part_of_circle(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", map_text("a", 1, part_of="b"))
    write(tmp_path, "b.yaml", map_text("b", 2, part_of="a"))
    (message,) = errors(tmp_path)
    assert "part-of runs in a circle: a → b → a" in message


def test_errors_of_every_file_are_collected(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "procmap: 1\nprocess: a\nlevel: 9\n")
    write(tmp_path, "b.yaml", "procmap: 1\nprocess: b\nowner: [x]\n")
    found = errors(tmp_path)
    assert [Path(m.split(":")[0]).name for m in found] == ["a.yaml", "b.yaml"]


def test_a_single_map_may_name_parents_kept_elsewhere(tmp_path: Path) -> None:
    path = write(tmp_path, "solo.yaml", map_text("solo", 3, part_of="elsewhere", calls="other"))
    assert procmap.load_catalog(path).processes["solo"].part_of == "elsewhere"
