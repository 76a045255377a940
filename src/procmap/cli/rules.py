"""``procmap rules``: the rule catalogue."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from procmap.cli.common import handles_errors, out

HELP = """List every rule: id, name, default severity and what it checks.

Examples:

  procmap rules

  procmap rules --format markdown > docs/rules.md

  procmap rules --format json
"""


class RulesFormat(StrEnum):
    """Output formats of ``rules``."""

    text = "text"
    json = "json"
    markdown = "markdown"


@handles_errors
def rules(
    format: Annotated[RulesFormat, typer.Option("--format", "-f", help="Output format.")] = RulesFormat.text,
) -> None:
    from rich.table import Table

    from procmap.rules import all_rules

    console = out()
    found = all_rules()
    if format is RulesFormat.markdown:
        from procmap.output.rules_doc import rules_markdown

        console.print(rules_markdown(found), markup=False, end="")
    elif format is RulesFormat.json:
        data = [
            {"id": r.id, "name": r.name, "severity": r.default_severity.value,
             "inventory": r.inventory, "summary": r.doc().summary, **r.doc().sections}
            for r in found
        ]
        console.print(json.dumps(data, indent=2, ensure_ascii=False), markup=False)
    else:
        table = Table(show_edge=False, box=None)
        for col in ("id", "name", "severity", "summary"):
            table.add_column(col, overflow="fold")
        for r in found:
            severity = r.default_severity.value + (" (inventory)" if r.inventory else "")
            table.add_row(r.id, r.name, severity, r.doc().summary)
        console.print(table)
