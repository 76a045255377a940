"""Folders of maps as catalogs: the L1-L4 hierarchy and errors across files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import procmap
from tests.conftest import EXAMPLES, load_messages, write_file


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


def errors(folder: Path) -> list[str]:
    return load_messages(lambda: procmap.load_catalog(folder))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """sales (L1) > lead-management, order-handling (L2) > scoring (L3); billing alone."""
    write_file(tmp_path, "sales.yaml", map_text("sales", 1))
    write_file(tmp_path, "sales/leads.yaml", map_text("lead-management", 2, "sales", calls="scoring"))
    write_file(tmp_path, "sales/orders.yml", map_text("order-handling", 2, "sales", calls="scoring"))
    write_file(tmp_path, "sales/leads/scoring.yaml", map_text("scoring", 3, "lead-management"))
    write_file(tmp_path, "billing.yaml", map_text("billing", 1))
    return tmp_path


def test_a_folder_of_maps_is_linked_into_a_hierarchy(tree: Path) -> None:
    catalog = procmap.load_catalog(tree)
    assert len(catalog) == 5
    assert sorted(catalog.roots()) == ["billing", "sales"]
    assert sorted(catalog.children("sales")) == ["lead-management", "order-handling"]
    assert catalog.children("scoring") == []
    assert [(depth, p.process) for depth, p in catalog.depth_first()] == [
        (0, "billing"),
        (0, "sales"),
        (1, "lead-management"),
        (2, "scoring"),
        (1, "order-handling"),
    ]
    assert sorted(catalog.called_by("scoring")) == [("lead-management", "run"), ("order-handling", "run")]
    assert catalog.called_by("sales") == []
    assert catalog.file_of("order-handling") == str(tree / "sales" / "orders.yml")
    assert catalog.sources["scoring"].value(("part-of",)).line == 4


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


def test_non_map_yaml_and_hidden_files_are_skipped(tmp_path: Path) -> None:
    write_file(tmp_path, "a.yaml", map_text("a", 1))
    write_file(tmp_path, "notes.yml", "title: not a map\n")
    write_file(tmp_path, "answers.yaml", "- customer-onboarding\n- '2'\n")
    write_file(tmp_path, "readme.md", "procmap: 1\n")
    write_file(tmp_path, ".hidden/b.yaml", map_text("b", 2, part_of="nope"))
    write_file(tmp_path, ".c.yaml", map_text("c", 2, part_of="nope"))
    catalog = procmap.load_catalog(tmp_path)
    assert [p.process for p in catalog] == ["a"]
    assert catalog.skipped == (str(tmp_path / "answers.yaml"), str(tmp_path / "notes.yml"))


def test_maps_with_quoted_keys_or_in_json_style_are_maps_too(tmp_path: Path) -> None:
    write_file(tmp_path, "quoted.yaml", "# a comment first\n'procmap': 1\n'process': quoted\n")
    write_file(tmp_path, "json.yaml", '{"procmap": 1, "process": "json-style"}\n')
    write_file(tmp_path, "config.yaml", "tools:\n  procmap: 1\n")
    catalog = procmap.load_catalog(tmp_path)
    assert sorted(catalog.processes) == ["json-style", "quoted"]
    assert catalog.skipped == (str(tmp_path / "config.yaml"),)


def test_unknown_part_of_is_located_with_did_you_mean(tmp_path: Path) -> None:
    write_file(tmp_path, "top.yaml", map_text("lead-management", 1))
    write_file(tmp_path, "child.yaml", map_text("scoring", 2, part_of="lead-managment"))
    assert errors(tmp_path) == [
        f"{tmp_path / 'child.yaml'}:4:10: process 'scoring': part-of 'lead-managment', which is "
        "not a process of this catalog (did you mean 'lead-management'?)",
    ]


def catalog_with_a_call_not_mapped(folder: Path) -> Path:
    """Sales calls 'scoring' (mapped) and 'scorng' (a typo) and 'pricing' (not mapped yet)."""
    write_file(folder, "sales.yaml", map_text("sales", 1))
    write_file(folder, "scoring.yaml", map_text("scoring", 2, part_of="sales"))
    write_file(folder, "leads.yaml", "\n".join([
        "procmap: 1", "process: lead-management", "level: 2", "part-of: sales",
        "actors: {t: {kind: team}, c: {kind: customer}}",
        "outcomes: {scored: {name: Lead is scored}}",
        "steps:",
        "  ask: {actor: c, then: [score]}",
        "  score: {actor: t, kind: subprocess, calls: scorng, then: [price]}",
        "  price: {actor: t, kind: subprocess, calls: pricing, delivers: [scored]}",
    ]) + "\n")
    return folder


def test_calls_to_a_process_not_in_the_catalog_load_and_are_findings(tmp_path: Path) -> None:
    catalog = procmap.load_catalog(catalog_with_a_call_not_mapped(tmp_path))
    assert sorted(catalog.processes) == ["lead-management", "sales", "scoring"]
    found = [f for f in procmap.check(catalog) if f.rule == "E2E007"]
    assert [(f.elements, f.severity.value) for f in found] == [(("score",), "info"),
                                                               (("price",), "info")]
    assert "(did you mean 'scoring'?)" in found[0].message
    assert found[1].location is not None and found[1].location.line == 10


def test_cli_checks_analyses_and_reports_such_a_catalog(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from procmap.cli.main import app

    folder = catalog_with_a_call_not_mapped(tmp_path / "maps")
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    assert "E2E007 Subprocess 'Price' calls 'pricing', which is not among the maps checked" in result.output
    assert "3 maps checked" in result.output
    strict = runner.invoke(app, ["check", str(folder), "--fail-on", "info"])
    assert strict.exit_code == 1 and "E2E007" in strict.output
    analysed = runner.invoke(app, ["analyze", str(folder), "-f", "json"])
    assert analysed.exit_code == 0, analysed.output
    cards = json.loads(analysed.output)
    assert sorted(card["process"] for card in cards) == ["lead-management", "sales", "scoring"]
    html = tmp_path / "catalog.html"
    reported = runner.invoke(app, ["report", str(folder), "-o", str(html)])
    assert reported.exit_code == 0, reported.output
    assert "3 maps" in reported.output and "pricing" in html.read_text(encoding="utf-8")


def test_duplicate_process_id_names_both_files(tmp_path: Path) -> None:
    write_file(tmp_path, "a.yaml", map_text("same", 1))
    write_file(tmp_path, "b.yaml", map_text("same", 2))
    assert errors(tmp_path) == [
        f"{tmp_path / 'b.yaml'}:2:10: process 'same': is defined twice "
        f"(also in {tmp_path / 'a.yaml'}:2:10) (give each map its own process id)"
    ]


def test_part_of_circle(tmp_path: Path) -> None:
    write_file(tmp_path, "a.yaml", map_text("a", 1, part_of="c"))
    write_file(tmp_path, "b.yaml", map_text("b", 2, part_of="a"))
    write_file(tmp_path, "c.yaml", map_text("c", 3, part_of="b"))
    write_file(tmp_path, "d.yaml", map_text("d", 4, part_of="c"))  # hangs off the circle
    assert errors(tmp_path) == [
        f"{tmp_path / 'a.yaml'}:4:10: process 'a': part-of runs in a circle: a → c → b → a "
        "(a process is part of one parent one level up)"
    ]


def test_errors_of_every_file_are_collected(tmp_path: Path) -> None:
    write_file(tmp_path, "a.yaml", "procmap: 1\nprocess: a\nlevel: 9\n")
    write_file(tmp_path, "b.yaml", "procmap: 1\nprocess: b\nowner: [x]\n")
    (tmp_path / "c.yaml").write_bytes(b"procmap: 1\nprocess: c\nname: Caf\xe9\n")
    write_file(tmp_path, "d.yaml", map_text("d", 2, part_of="a"))
    found = errors(tmp_path)
    assert [m.split(":")[:3] for m in found] == [
        [str(tmp_path / "a.yaml"), "3", "8"],
        [str(tmp_path / "b.yaml"), "3", "8"],
        [str(tmp_path / "c.yaml"), "3", "10"],
    ]
    assert "is not UTF-8 text (byte 0xe9)" in found[2]


def test_a_single_map_may_name_parents_kept_elsewhere(tmp_path: Path) -> None:
    path = write_file(tmp_path, "solo.yaml", map_text("solo", 3, part_of="elsewhere", calls="other"))
    assert procmap.load_catalog(path).processes["solo"].part_of == "elsewhere"
    write_file(tmp_path, "sub/only.yaml", map_text("only", 2, part_of="elsewhere"))
    assert procmap.load_catalog(tmp_path / "sub").roots() == ["only"]


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    assert errors(tmp_path / "nope") == [f"{tmp_path / 'nope'}: no such folder"]


def test_an_empty_folder_is_an_empty_catalog(tmp_path: Path) -> None:
    catalog = procmap.load_catalog(tmp_path)
    assert len(catalog) == 0 and catalog.roots() == [] and list(catalog.depth_first()) == []
