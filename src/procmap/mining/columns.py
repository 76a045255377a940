"""Which column of a log holds the case, the activity, the time, the resource and the lane.

Column names live here once (STYLE §5.10). Each field is either set by the user
or found among the usual names of XES and of the CSV exports of mining tools.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

CANDIDATES: dict[str, tuple[str, ...]] = {
    "case": ("case:concept:name", "case_id", "case", "caseid", "case id"),
    "activity": ("concept:name", "activity", "activity_name", "task"),
    "timestamp": ("time:timestamp", "timestamp", "time", "end_timestamp", "complete_timestamp"),
    "start": ("start_timestamp", "time:start_timestamp"),
    "resource": ("org:resource", "resource", "user"),
    "lane": ("org:group", "org:role", "group", "department"),
    "lifecycle": ("lifecycle:transition", "lifecycle", "transition"),
}
"""The usual names of each column, most specific first (matched case-insensitively)."""

REQUIRED = ("case", "activity", "timestamp")


@dataclass(frozen=True, slots=True)
class EventLogColumns:
    """The log's column for each role; ``None`` means "find it" (or "there is none").

    Example:
        >>> EventLogColumns(lane="org:group").lane
        'org:group'
    """

    case: str | None = None
    activity: str | None = None
    timestamp: str | None = None
    start: str | None = None
    resource: str | None = None
    lane: str | None = None
    lifecycle: str | None = None
    time_format: str | None = None
    """How the times are written when they are text that is not ISO 8601 (or close
    to it): a ``strptime`` format such as ``%d-%m-%Y %H:%M`` (DuckDB's codes)."""

    transitions: tuple[str, ...] = ()
    """Keep only the events of these lifecycle transitions (``complete``), compared
    without case; all events when empty."""

    def resolve(self, available: list[str]) -> EventLogColumns:
        """Fill each unset role with the first usual name found in ``available``.

        Names the user set are kept as they are; whether they exist is checked
        by the reader, which knows the file to name in the message.
        """
        lower = {name.lower(): name for name in reversed(available)}
        found: dict[str, str | None] = {}
        for role, names in CANDIDATES.items():
            if getattr(self, role) is not None:
                continue
            found[role] = next((lower[n] for n in names if n in lower), None)
        resolved = replace(self, **found)
        if resolved.start is not None and resolved.start == resolved.timestamp:
            resolved = replace(resolved, start=None)
        return resolved

    def roles(self) -> dict[str, str]:
        """Role → column for the roles that have a column."""
        return {
            role: name
            for role in CANDIDATES
            if (name := getattr(self, role)) is not None
        }
