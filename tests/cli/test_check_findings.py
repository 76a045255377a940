"""``procmap check`` with rules: exit codes, selection, formats, configuration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sarif_pydantic import Sarif
from typer.testing import CliRunner

from procmap.cli.main import app
from procmap.findings import Finding
from procmap.rules import all_rules
from tests.conftest import EXAMPLES

runner = CliRunner()
LEAD = str(EXAMPLES / "lead-to-cash.yaml")


def run(*args: str):
    return runner.invoke(app, list(args))


def test_fail_on_sets_the_exit_code() -> None:
    assert run("check", LEAD).exit_code == 0  # warnings only; default fail-on is error
    result = run("check", LEAD, "--fail-on", "warning")
    assert result.exit_code == 1
    assert "warning XF002" in result.output


def test_select_and_ignore_by_id_name_and_family() -> None:
    only = run("check", LEAD, "--select", "ping-pong", "--format", "json")
    rules = {f["rule"] for f in json.loads(only.output)["findings"]}
    assert rules == {"XF002"}
    family = run("check", LEAD, "--select", "XF", "--ignore", "XF001,XF004", "--format", "json")
    rules = {f["rule"] for f in json.loads(family.output)["findings"]}
    assert rules == {"XF002", "XF003", "XF005"}


def test_unknown_rule_is_bad_input_with_did_you_mean() -> None:
    result = run("check", LEAD, "--select", "XF02")
    assert result.exit_code == 2
    assert "'XF02' is not a rule id, name or family" in result.output
    assert "did you mean" in result.output


def test_json_findings_carry_location_and_suggestion() -> None:
    data = json.loads(run("check", LEAD, "--select", "XF002", "--format", "json").output)
    (finding,) = data["findings"]
    assert finding["file"].endswith("lead-to-cash.yaml") and finding["line"] == 97
    assert finding["elements"][0] == "check-stock"
    assert finding["suggestion"]["action"] == "eliminate"
    assert len(finding["fingerprint"]) == 16


def test_markdown_is_a_table() -> None:
    text = run("check", LEAD, "--format", "markdown").output
    assert text.startswith("# procmap findings")
    assert "| Severity | Rule | Where | Finding | Suggestion |" in text
    assert "| warning | XF002 ping-pong |" in text


def test_sarif_is_valid_2_1_0() -> None:
    result = run("check", str(EXAMPLES), "--format", "sarif")
    log = json.loads(result.output)
    Sarif.model_validate(log)
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert ids == [r.id for r in all_rules() if not r.inventory]
    for res in run_["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1
        assert res["level"] in {"error", "warning", "note"}
        assert res["partialFingerprints"]["procmap/v1"]


def test_sarif_reports_load_errors_as_notifications(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("procmap: 1\nprocess: p\nlevel: 9\n", encoding="utf-8")
    result = run("check", str(bad), "--format", "sarif")
    assert result.exit_code == 2
    invocation = json.loads(result.output)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "level 9 is outside L1–L4" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_config_file_is_found_next_to_the_maps(tmp_path: Path, small_map: Path) -> None:
    (small_map.parent / "procmap.toml").write_text(
        'preset = "all"\nfail-on = "info"\n[severity]\nOI002 = "warning"\n', encoding="utf-8"
    )
    data = json.loads(run("check", str(small_map), "--format", "json").output)
    handoffs = [f for f in data["findings"] if f["rule"] == "OI002"]
    assert handoffs and all(f["severity"] == "warning" for f in handoffs)
    assert run("check", str(small_map)).exit_code == 1


def test_pyproject_section_and_explicit_config(tmp_path: Path) -> None:
    # a customer step with one way on (E2E006) in a map whose steps serve no outcome
    # a customer is told of (WB007): both rules fire until the configuration ignores them
    from tests.conftest import SMALL_MAP

    text = SMALL_MAP.replace("    then: [answer]\n", "    then: [fill-form]\n  fill-form:\n"
                             "    actor: customer\n    name: Fill in the form\n"
                             "    then: [answer]\n")
    path = tmp_path / "maps" / "small.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    data = json.loads(run("check", str(path), "-f", "json").output)
    assert {"WB007", "E2E006"} <= {f["rule"] for f in data["findings"]}
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.procmap]\nignore = ["WB007", "E2E006"]\n', encoding="utf-8")
    data = json.loads(run("check", str(path), "--config", str(pyproject), "-f", "json").output)
    rules = {f["rule"] for f in data["findings"]}
    assert not {"WB007", "E2E006"} & rules
    assert data["maps"] and data["errors"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('preset = "everything"\n', "preset"),
        ("[risk]\nbreak-point = 2\n", "risk.break-point"),
        ("fail-on = \n", "not valid TOML"),
        ("colour = 1\n", "colour"),
    ],
)
def test_bad_config_is_bad_input(tmp_path: Path, small_map: Path, content: str, message: str) -> None:
    config = tmp_path / "procmap.toml"
    config.write_text(content, encoding="utf-8")
    result = run("check", str(small_map), "--config", str(config))
    assert result.exit_code == 2
    assert str(config) in result.output and message in result.output
    assert "Traceback" not in result.output


def test_a_crashing_rule_is_reported_and_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    from procmap.rules.cross_functional.ping_pong import PingPong

    def boom(self, process, ctx):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(PingPong, "check", boom)
    result = run("check", LEAD)
    assert result.exit_code == 2
    assert "Rule XF002 (ping-pong) failed: ZeroDivisionError: division by zero" in result.output
    assert "warning XF001" in result.output  # the other rules still ran


def test_findings_sort_most_severe_first() -> None:
    data = json.loads(run("check", str(EXAMPLES), "--format", "json").output)
    ranks = {"error": 2, "warning": 1, "info": 0}
    severities = [ranks[f["severity"]] for f in data["findings"]]
    assert severities == sorted(severities, reverse=True)


def test_fingerprint_ignores_lines() -> None:
    a = Finding("XF002", "ping-pong", "m", ("x", "y"), "p")
    b = Finding("XF002", "ping-pong", "other text", ("x", "y"), "p")
    assert a.fingerprint == b.fingerprint
    assert a.fingerprint != Finding("XF002", "ping-pong", "m", ("y", "x"), "p").fingerprint


# -- finding numbers: check, render and report agree ---------------------------

DOCS_EXAMPLES = EXAMPLES.parent / "docs" / "examples"


def _maps_to_number() -> list[Path]:
    from tests.conftest import example_maps

    return [*example_maps(), *sorted(DOCS_EXAMPLES.rglob("*.yaml"))]


def _checked(*paths: Path) -> dict[str, list[tuple[int, str, str]]]:
    """Per process: (number, rule, message) of each finding, as ``check --format json`` numbers them."""
    data = json.loads(run("check", *map(str, paths), "--format", "json").output)
    out: dict[str, list[tuple[int, str, str]]] = {}
    for f in data["findings"]:
        out.setdefault(f["process"], []).append((f["number"], f["rule"], f["message"]))
    return out


def _reported(html: str) -> dict[str, list[tuple[int, str, str]]]:
    """Per process: (number, rule, message) of each finding in the report's lists."""
    import html as markup
    import re

    out: dict[str, list[tuple[int, str, str]]] = {}
    for pid, number, rule, message in re.findall(
        r'<li id="([^"]+):finding-(\d+)"[^>]*>\s*<span class="num-badge">\d+</span>'
        r'<span class="sev \w+">\w+</span><code>(\w+)</code> ([^\n]*)\n', html
    ):
        out.setdefault(pid, []).append((int(number), rule, markup.unescape(message)))
    return out


@pytest.mark.parametrize("path", _maps_to_number(), ids=lambda p: p.name)
def test_check_render_and_report_number_the_findings_alike(path: Path, tmp_path: Path) -> None:
    import re

    from lxml import etree

    import procmap

    checked = _checked(path)
    process = procmap.load(path)
    listed = checked.get(process.process, [])
    svg_file, html_file = tmp_path / "map.svg", tmp_path / "map.html"
    rendered = run("render", str(path), "-o", str(svg_file))
    assert rendered.exit_code == 0, rendered.output
    if listed:
        assert f"{len(listed)} finding{'s' if len(listed) != 1 else ''} numbered" in rendered.output
    # every badge carries the number and the finding check gives that number
    svg = etree.parse(str(svg_file))
    badges = svg.xpath("//*[@data-finding and not(contains(@class, 'legend'))]")
    by_number = {n: (rule, message) for n, rule, message in listed}
    for badge in badges:
        title = badge.findtext("{http://www.w3.org/2000/svg}title") or ""
        for line in title.splitlines():
            number, rule, message = re.match(r"(\d+)\. (\w+) (.*)", line).groups()
            assert by_number[int(number)] == (rule, message)
    anchored = {n for n, _, _ in listed} - _whole_map_numbers(process, path)
    assert {int(b.get("data-finding")) for b in badges} <= anchored
    shown = {int(n) for b in badges for n in re.findall(r"^(\d+)\.", b.findtext(
        "{http://www.w3.org/2000/svg}title") or "", re.M)}
    assert shown == anchored
    reported = run("report", str(path), "-o", str(html_file))
    assert reported.exit_code == 0, reported.output
    assert f"{sum(len(v) for v in checked.values())} findings" in reported.output
    assert _reported(html_file.read_text("utf-8")).get(process.process, []) == listed


def _whole_map_numbers(process, path: Path) -> set[int]:
    """Numbers of the findings about no step or lane (no badge for them)."""
    data = json.loads(run("check", str(path), "--format", "json").output)
    known = set(process.steps) | set(process.actors)
    return {f["number"] for f in data["findings"]
            if f["process"] == process.process and not known & set(f["elements"])}


def test_a_catalog_is_numbered_alike_by_check_and_report(tmp_path: Path) -> None:
    folder = EXAMPLES / "marketing"
    checked = _checked(folder)
    html_file = tmp_path / "catalog.html"
    result = run("report", str(folder), "-o", str(html_file))
    assert result.exit_code == 0, result.output
    assert f"{sum(len(v) for v in checked.values())} findings" in result.output
    assert _reported(html_file.read_text("utf-8")) == checked
    assert len(checked) > 1 and all(v[0][0] == 1 for v in checked.values())
