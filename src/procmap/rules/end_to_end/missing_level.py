"""E2E008 missing-level: the map does not say its level."""

from __future__ import annotations

from collections.abc import Iterator

from procmap.findings import Finding, Severity, Suggestion
from procmap.model.process import Process
from procmap.rules.base import Context, Rule


class MissingLevel(Rule):
    """The map does not say at which level (L1–L4) the process sits.

    Why: End-to-end process definition (seed 003) places every process in a
    hierarchy from functions (L1) down to L3, L4 at most; without a level the
    catalog cannot tell how detailed a map is meant to be.

    Example:
        process: lead-scoring      # no level:

    Fix: add `level:` 1 to 4.
    """

    id = "E2E008"
    name = "missing-level"
    default_severity = Severity.INFO

    def check(self, process: Process, ctx: Context) -> Iterator[Finding]:
        if process.level is None:
            yield self.finding(
                f"Process '{process.title}' has no level",
                suggestion=Suggestion.add("Add level: 1 to 4 (L1 a function, L4 the deepest)"),
            )
