"""Findings and load errors as terminal text, one located line each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from procmap.errors import MapError
from procmap.findings import Finding, Severity

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def numbered(findings: Sequence[Finding]) -> list[tuple[int, Finding]]:
    """Each finding with its number: 1.. within its map, in list order.

    The same numbers as the badges of ``procmap render`` and the findings list of
    ``procmap report``, which number one map's findings in the order the rules
    engine gives them.
    """
    counters: Counter[str] = Counter()
    out = []
    for f in findings:
        counters[f.process] += 1
        out.append((counters[f.process], f))
    return out


def finding_line(finding: Finding, number: int | None = None) -> Text:
    """``file:line:col: warning XF002 message [ping-pong] #3`` with the remedy below.

    ``#3`` is the finding's number in its map, as the diagram's badge shows it.
    """
    where = f"{finding.location}: " if finding.location else f"{finding.process}: "
    line = Text(where)
    line.append(f"{finding.severity.value} ", style=STYLES[finding.severity])
    line.append(f"{finding.rule} ", style="bold")
    line.append(finding.message)
    line.append(f" [{finding.name}]", style="dim")
    if number is not None:
        line.append(f" #{number}", style="bold")
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
    for number, finding in numbered(findings):
        console.print(finding_line(finding, number))
    if errors:
        count = len(errors)
        console.print(
            f"{count} problem{'s' if count != 1 else ''} loading maps; fix them first",
            style="bold red",
            markup=False,
        )
    console.print(summary(findings, maps), markup=False)
