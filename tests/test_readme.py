"""The README's examples are true: its first map checks as shown."""

from __future__ import annotations

from typer.testing import CliRunner

from procmap.cli.main import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    head = README.split("\n\n", 2)[1]
    assert "make demo" in head and "make test" in head


def test_first_map_output_is_what_the_readme_shows(tmp_path, monkeypatch) -> None:
    section = README.split("## A first map", 1)[1]
    yaml_text = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    shown = section.split("```console\n", 1)[1].split("```", 1)[0].splitlines()
    (tmp_path / "onboarding.yaml").write_text(yaml_text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "onboarding.yaml"])
    assert result.exit_code == 0
    expected = [line for line in shown[1:] if not line.startswith("$")]
    assert result.output.splitlines() == expected


def test_first_map_counts_are_what_the_readme_says() -> None:
    import re

    import procmap

    section = README.split("## A first map", 1)[1].split("\n## ", 1)[0]
    yaml_text = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    card = procmap.analyze(procmap.loads(yaml_text))
    said = re.search(r"counts (\d+) Moments of Truth .*?, (\d+) Break Points .*? and (no|\d+) Business",
                     section.replace("\n", " "))
    assert said, "the README no longer says the first map's counts"
    mots, bps, brs = (0 if n == "no" else int(n) for n in said.groups())
    assert card.counts == {"moments_of_truth": mots, "break_points": bps, "business_rules": brs}
    # the map marks no work as an event: its start is a trigger, in the customer's lane
    assert not procmap.check(procmap.loads(yaml_text), select=["MAP007"])
    assert mots >= 1


def test_the_python_api_example_runs(monkeypatch, capsys) -> None:
    # the README's Python API section, run as written from the project's folder
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    code = code.replace('procmap.read_bpmn("order.bpmn")',
                        'procmap.read_bpmn("tests/golden/customer-onboarding.bpmn")')
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102
    assert scope["html"].startswith("<!DOCTYPE html>") and scope["findings"]
    assert scope["merged"].process.steps and scope["delta"] is not None
    assert scope["as_is"].steps and scope["fit"].cases == 400
    assert scope["weighed"].weights is not None
