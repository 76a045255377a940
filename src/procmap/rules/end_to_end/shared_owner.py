"""E2E002 shared-owner: more than one team owns the process."""

from __future__ import annotations

import re
from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule

SEPARATORS = re.compile(r"\s*(?:\band\b|&|\+|/|,|;)\s*", re.IGNORECASE)
ONE_DEPARTMENT = frozenset([  # names of one department that read like two
    "research and development", "health and safety", "learning and development",
    "mergers and acquisitions", "sales and operations planning", "s&op", "r&d", "p&l",
])


class SharedOwner(Rule):
    """The owner names more than one team.

    Why: End-to-end process definition (seed 003): "if there is something that
    you partially own then it probably needs to be broken down and each of the
    processes need to be owned by someone". An owner such as "Sales and
    Marketing" is no owner: each team defers to the other.

    An owner that is the name of one of the map's lanes ("Sales and Marketing"
    as a team of its own) or of a department such as Research and Development
    is one team.

    Example:
        owner: Sales and Marketing

    Fix: split the process so that each part has one owner, or assign it to
    the one team accountable for the outcome.
    """

    id = "E2E002"
    name = "shared-owner"
    default_severity = Severity.WARNING

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        if not process.owner or _one_team(process):
            return
        named = re.sub(r"\([^)]*\)", " ", process.owner)  # "Marketing (EMEA/APAC)" is one
        teams = [t for t in SEPARATORS.split(named) if t.strip()]
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


def _one_team(process: Process) -> bool:
    """Whether the owner is one team whose name only reads like several."""
    owner = " ".join(process.owner.lower().split()) if process.owner else ""
    lanes = {a.lower() for a in process.actors} | {
        " ".join(a.name.lower().split()) for a in process.actors.values() if a.name
    }
    return owner in ONE_DEPARTMENT or owner in lanes
