"""E2E002 shared-owner: more than one team owns the process."""

from __future__ import annotations

import re
from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule

SEPARATORS = re.compile(r"\s+(?:and|&|\+)\s+|\s*[/,;]\s*", re.IGNORECASE)


class SharedOwner(Rule):
    """The owner names more than one team.

    Why: End-to-end process definition (seed 003): "if there is something that
    you partially own then it probably needs to be broken down and each of the
    processes need to be owned by someone". An owner such as "Sales and
    Marketing" is no owner: each team defers to the other.

    Example:
        owner: Sales and Marketing

    Fix: split the process so that each part has one owner, or assign it to
    the one team accountable for the outcome.
    """

    id = "E2E002"
    name = "shared-owner"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        if not process.owner:
            return
        teams = [t for t in SEPARATORS.split(process.owner) if t.strip()]
        if len(teams) < 2:
            return
        yield self.finding(
            f"Process '{process.title}' is owned by {len(teams)} teams: "
            + ", ".join(f"'{t.strip()}'" for t in teams),
            suggestion=Suggestion.split(
                "Split the process so that each part has one owner, or assign it to one team"
            ),
            data={"owners": len(teams)},
        )
