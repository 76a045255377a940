"""Findings and load errors as terminal text, one located line each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from procmap.errors import MapError
from procmap.findings import Finding, Severity

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def finding_line(finding: Finding) -> Text:
    """``file:line:col: warning XF002 message [ping-pong]`` with the remedy below."""
    where = f"{finding.location}: " if finding.location else f"{finding.process}: "
    line = Text(where)
    line.append(f"{finding.severity.value} ", style=STYLES[finding.severity])
    line.append(f"{finding.rule} ", style="bold")
    line.append(finding.message)
    line.append(f" [{finding.name}]", style="dim")
    if finding.suggestion:
        line.append(f"\n    → {finding.suggestion.action.value}: {finding.suggestion.text}", style="dim")
    return line


def summary(findings: Sequence[Finding], maps: int) -> str:
    """``2 maps checked: 3 findings (1 error, 2 warnings)`` or ``2 maps checked: no findings``."""
    noun = "map" if maps == 1 else "maps"
    if not findings:
        return f"{maps} {noun} checked: no findings"
    counts = Counter(f.severity for f in findings)
    parts = [
        f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in Severity if counts[s]
    ]
    total = len(findings)
    return f"{maps} {noun} checked: {total} finding{'s' if total != 1 else ''} ({', '.join(parts)})"


def print_report(
    console: Console, errors: Sequence[MapError], findings: Sequence[Finding], maps: int
) -> None:
    """Load errors first (they stop a map from being analysed), then findings, then a summary."""
    for error in errors:
        console.print(error.message, markup=False)
    for finding in findings:
        console.print(finding_line(finding))
    if errors:
        count = len(errors)
        console.print(
            f"{count} problem{'s' if count != 1 else ''} loading maps; fix them first",
            style="bold red",
            markup=False,
        )
    console.print(summary(findings, maps), markup=False)
