"""E2E003 level-not-below-parent: a child map's level is not its parent's + 1."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class LevelNotBelowParent(Rule):
    """A process is not one level below the process it is part of.

    Why: End-to-end process definition (seed 003) breaks functions (L1) into
    processes level by level, L2 and L3, L4 at most. A map whose `part-of`
    parent sits at level n should sit at level n + 1; anything else mixes levels
    of detail in the catalog.

    Example:
        # marketing.yaml: level: 1
        process: lead-scoring
        part-of: marketing
        level: 3

    Fix: set the level to the parent's + 1, or attach the map to the right
    parent.
    """

    id = "E2E003"
    name = "level-not-below-parent"
    default_severity = Severity.WARNING

    def check_catalog(self, processes: dict[str, Process], ctx: Context) -> Iterator[Finding]:
        for process in processes.values():
            parent = processes.get(process.part_of or "")
            if parent is None or parent.level is None or process.level is None:
                continue
            if process.level == parent.level + 1:
                continue
            yield self.finding(
                f"Process '{process.title}' is at level {process.level}, but its parent "
                f"'{parent.title}' is at level {parent.level}",
                process=process.process,
                suggestion=Suggestion.improve(f"Set level: {parent.level + 1}, or move it under another parent"),
            )
