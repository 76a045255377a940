"""The rule reference, generated from the rules themselves (docs/rules.md)."""

from __future__ import annotations

from collections.abc import Sequence

from procmap.rules.base import FAMILIES, Rule

INTRO = """\
<!-- Written by procmap rules --format markdown: do not edit by hand -->
# procmap rules

Every check procmap makes, generated from the rule modules (`procmap rules
--format markdown > docs/rules.md`). Each rule has a permanent id, a name, a
default severity (change it in `procmap.toml` under `[severity]`), the method it
comes from, an example that triggers it and how to fix it.

Rules marked *inventory* list every Moment of Truth, Break Point or Business
Rule; they run with `preset = "all"` or `--select`, and `procmap analyze` shows
them as a scorecard.
"""


def anchor(rule: Rule) -> str:
    """The Markdown heading anchor of a rule."""
    return f"{rule.id.lower()}-{rule.name}"


def rules_markdown(rules: Sequence[Rule]) -> str:
    """The full reference: an index table, then one section per rule."""
    lines = [INTRO, "| Id | Name | Severity | Summary |", "|---|---|---|---|"]
    for rule in rules:
        extra = " (inventory)" if rule.inventory else ""
        lines.append(
            f"| [{rule.id}](#{anchor(rule)}) | {rule.name} | {rule.default_severity.value}{extra} | "
            f"{rule.doc().summary} |"
        )
    family = None
    for rule in rules:
        if rule.family != family:
            family = rule.family
            lines += ["", f"## {FAMILIES[family]}"]
        lines += ["", *rule_markdown(rule).splitlines()]
    return "\n".join(lines) + "\n"


def rule_markdown(rule: Rule) -> str:
    """One rule's section: its summary, severity, settings, *Why*, example and fix."""
    doc = rule.doc()
    lines = [
        f"### {rule.id} {rule.name}",
        "",
        f"{doc.summary}",
        "",
        f"Default severity: **{rule.default_severity.value}**"
        + (" · inventory (preset `all`)" if rule.inventory else ""),
    ]
    if rule.settings:
        lines += ["", "Settings: " + ", ".join(
            f"`{key}` (default {default}, under `[thresholds]`)"
            for key, default in setting_defaults(rule).items()
        )]
    lines += [
        "",
        f"**Why.** {_paragraph(doc.sections['Why'])}",
        "",
        "**Example.**",
        "",
        "```yaml",
        doc.sections["Example"].strip("\n"),
        "```",
        "",
        f"**Fix.** {_paragraph(doc.sections['Fix'])}",
    ]
    return "\n".join(lines) + "\n"


def setting_defaults(rule: Rule) -> dict[str, str]:
    """The default of each ``[thresholds]`` setting the rule declares, as written in TOML."""
    from datetime import timedelta

    from procmap.config import Thresholds
    from procmap.model.durations import describe_duration

    defaults = Thresholds()
    by_key = {(f.alias or name): getattr(defaults, name)
              for name, f in Thresholds.model_fields.items()}
    return {
        key: describe_duration(by_key[key]) if isinstance(by_key[key], timedelta) else f"{by_key[key]:g}"
        for key in rule.settings
    }


def _paragraph(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())
