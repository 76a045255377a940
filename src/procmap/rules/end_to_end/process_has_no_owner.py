"""E2E001 process-has-no-owner."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class ProcessHasNoOwner(Rule):
    """The process has no owner.

    Why: End-to-end process definition (seed 003): "each of the processes need
    to be owned by someone – it is important that a department or a team feels
    like they own this, otherwise they will naturally defer".

    Example:
        process: lead-management
        name: Lead management      # no owner:

    Fix: name the one team that owns the process in `owner:`.
    """

    id = "E2E001"
    name = "process-has-no-owner"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        if process.owner:
            return
        yield self.finding(
            f"Process '{process.title}' has no owner",
            suggestion=Suggestion.assign_owner("Name the one team that owns it in owner:"),
        )
