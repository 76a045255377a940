"""Titled tables printed as text (Rich) or Markdown: the reports of ``discover`` and ``conform``."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table


@dataclass
class Section:
    """One table of a report, with notes printed under it."""

    title: str
    headers: list[str]
    rows: list[list[object]]
    notes: list[str] = field(default_factory=list)


def print_sections(console: Console, title: str, sections: list[Section]) -> None:
    """The report on a terminal (or as plain text in a pipe)."""
    console.print(title, style="bold", markup=False)
    for section in sections:
        console.print()
        if not section.rows:
            console.print(f"{section.title}: none", markup=False)
        else:
            table = Table(title=section.title, title_justify="left", show_edge=False)
            for i, header in enumerate(section.headers):
                table.add_column(header, justify="left" if i == 0 else "right")
            for row in section.rows:
                table.add_row(*(str(v) for v in row))
            console.print(table)
        for note in section.notes:
            console.print(f"  {note}", markup=False)


def markdown(title: str, sections: list[Section], *, level: int = 1) -> str:
    """The report as Markdown: a heading (of ``level``), then one table per section under it."""
    mark = "#" * level
    lines = [f"{mark} {title}", ""]
    for section in sections:
        lines += [f"{mark}# {section.title}", ""]
        if section.rows:
            lines.append("| " + " | ".join(section.headers) + " |")
            lines.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(section.headers))) + "|")
            lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in section.rows]
        else:
            lines.append("none")
        lines += [*(f"- {note}" for note in section.notes), ""]
    return "\n".join(lines)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|")
