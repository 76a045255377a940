"""``procmap rules``: the rule catalogue."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from procmap.cli.common import ReportFormat, handles_errors, out

HELP = """List every rule, or show one: id, name, default severity and what it checks.

With a rule's id or name, prints that rule's documentation: why it matters (its
method), an example that triggers it, how to fix it, and the settings it reads.

Examples:

  procmap rules

  procmap rules XF001

  procmap rules ping-pong

  procmap rules --format markdown > docs/rules.md

  procmap rules --format json
"""



@handles_errors
def rules(
    rule: Annotated[
        str | None, typer.Argument(help="A rule's id (XF001) or name (slow-handoff): show its doc.")
    ] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
) -> None:
    from rich.table import Table

    from procmap.rules import all_rules, get_rule

    console = out()
    found = all_rules()
    if rule is not None:
        one = get_rule(rule)
        if one is None:
            from procmap.model.checks import did_you_mean

            hint = did_you_mean(rule, [r.id for r in found] + [r.name for r in found])
            raise typer.BadParameter(f"no rule '{rule}'" + (f" ({hint})" if hint else "")
                                     + "; 'procmap rules' lists them", param_hint="RULE")
        found = (one,)
        if format is ReportFormat.text:
            from rich.markdown import Markdown

            from procmap.output.rules_doc import rule_markdown

            console.print(Markdown(rule_markdown(one)))
            return
    if format is ReportFormat.markdown:
        from procmap.output.rules_doc import rule_markdown, rules_markdown

        text = rule_markdown(found[0]) if rule is not None else rules_markdown(found)
        console.print(text, markup=False, end="")
    elif format is ReportFormat.json:
        from procmap.output.rules_doc import setting_defaults

        data = [
            {"id": r.id, "name": r.name, "severity": r.default_severity.value,
             "inventory": r.inventory, "summary": r.doc().summary, **r.doc().sections,
             "settings": setting_defaults(r)}
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
