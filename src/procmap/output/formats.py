"""The output formats the commands and the library share."""

from __future__ import annotations

from enum import StrEnum


class ReportFormat(StrEnum):
    """Output formats of the commands that write a report: text, JSON or Markdown."""

    text = "text"
    json = "json"
    markdown = "markdown"
