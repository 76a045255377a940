"""``procmap check``: load maps and folders, run the rules, report every finding."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from procmap.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    ConfigOption,
    handles_errors,
    out,
    resolve_config,
)
from procmap.findings import Severity
from procmap.io.files import load_paths

HELP = """Check process maps and catalogs: load errors and rule findings, located by file and line.

A folder is read as one catalog: its maps' part-of and calls must name processes
of the same folder, and rules that look across maps (redundant work, levels) see
them all.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above --fail-on,
2 bad input (a map that does not load, an unknown rule, a rule that crashed).

Examples:

  procmap check examples/

  procmap check examples/lead-to-cash.yaml --fail-on warning

  procmap check maps/ --select XF --ignore XF005 --format sarif > procmap.sarif

  procmap check maps/ --format markdown >> $GITHUB_STEP_SUMMARY
"""


class CheckFormat(StrEnum):
    """Output formats of ``check``."""

    text = "text"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"


@handles_errors
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Map files (.yaml) or folders of maps.", metavar="PATH", show_default=False),
    ],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    fail_on: Annotated[
        Severity | None,
        typer.Option("--fail-on", help="Exit 1 when a finding is this severe or more. [default: error, or the configuration's]"),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", "-s", help="Run only these rules: ids, names or families (OI, WB, XF, E2E, MAP). Repeatable, or comma-separated."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", "-i", help="Do not run these rules. Repeatable, or comma-separated."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    from procmap.analysis.linter import check as run_rules
    from procmap.analysis.linter import has_rule_errors, selected_rules

    settings = resolve_config(config, paths)
    selection = _split(select)
    ignored = _split(ignore)
    rules = selected_rules(settings, select=selection, ignore=ignored)
    loaded = load_paths(paths)
    findings = run_rules(loaded.maps, config=settings, select=selection, ignore=ignored) if loaded.maps else []
    errors = sorted(loaded.errors, key=lambda e: e.sort_key())
    maps = len(loaded.maps)
    console = out()
    if format is CheckFormat.json:
        from procmap.output.text import numbered

        payload = {
            "maps": [
                {"file": s.file, "process": p.process, "name": p.title, "level": p.level,
                 "owner": p.owner, "steps": len(p.steps)}
                for p, s in loaded.maps
            ],
            "errors": [e.to_dict() for e in errors],
            "findings": [{**f.to_dict(), "number": n} for n, f in numbered(findings)],
            "skipped": loaded.skipped,
        }
        console.print(json.dumps(payload, indent=2, ensure_ascii=False), markup=False)
    elif format is CheckFormat.markdown:
        from procmap.output.markdown import findings_markdown

        console.print(findings_markdown(findings, errors, maps), markup=False)
    elif format is CheckFormat.sarif:
        from procmap.output.sarif import sarif_log

        console.print(json.dumps(sarif_log(findings, rules, errors), indent=2), markup=False)
    else:
        from procmap.output.text import print_report

        print_report(console, errors, findings, maps)
    threshold = fail_on or settings.fail_on
    if errors or has_rule_errors(findings):
        raise typer.Exit(EXIT_BAD_INPUT)
    if any(f.severity.at_least(threshold) for f in findings):
        raise typer.Exit(EXIT_FINDINGS)


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]
