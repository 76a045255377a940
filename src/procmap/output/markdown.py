"""Findings as a Markdown table, for pull requests and wikis."""

from __future__ import annotations

from collections.abc import Sequence

from procmap.errors import MapError
from procmap.findings import Finding
from procmap.output.text import numbered, summary


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def findings_markdown(
    findings: Sequence[Finding], errors: Sequence[MapError] = (), maps: int = 0
) -> str:
    """A heading, the load errors, and a table of findings with their remedies."""
    lines = ["# procmap findings", "", summary(findings, maps), ""]
    if errors:
        lines += ["## Problems loading maps", ""]
        lines += [f"- `{cell(e.message)}`" for e in errors]
        lines.append("")
    if findings:
        lines += [
            "| # | Severity | Rule | Where | Finding | Suggestion |",
            "|---|---|---|---|---|---|",
        ]
        for number, f in numbered(findings):
            where = str(f.location) if f.location else f.process
            suggestion = f"**{f.suggestion.action.value}**: {f.suggestion.text}" if f.suggestion else ""
            lines.append(
                f"| {number} | {f.severity.value} | {f.rule} {f.name} | `{cell(where)}` | "
                f"{cell(f.message)} | {cell(suggestion)} |"
            )
        lines.append("")
    return "\n".join(lines)
