"""The finding contract shared by rules, the engine and every output format.

A rule says *what* is wrong and about *which* elements; the engine adds the
severity (from configuration), the source location and a fingerprint.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from enum import StrEnum

from procmap.errors import SourceLocation


class Severity(StrEnum):
    """How much a finding matters; ``error`` is the most severe."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for error, 1 for warning, 0 for info: higher is more severe."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]

    def at_least(self, other: Severity) -> bool:
        """Whether this severity is ``other`` or more severe."""
        return self.rank >= other.rank


class Action(StrEnum):
    """What the analyst should do about a finding (seed 001: eliminate or improve)."""

    ELIMINATE = "eliminate"
    IMPROVE = "improve"
    ASSIGN_OWNER = "assign-owner"
    SPLIT = "split"
    MERGE = "merge"
    ADD = "add"


@dataclass(frozen=True)
class Suggestion:
    """A remedy: an action and one sentence on how."""

    action: Action
    text: str

    @classmethod
    def eliminate(cls, text: str) -> Suggestion:
        return cls(Action.ELIMINATE, text)

    @classmethod
    def improve(cls, text: str) -> Suggestion:
        return cls(Action.IMPROVE, text)

    @classmethod
    def assign_owner(cls, text: str) -> Suggestion:
        return cls(Action.ASSIGN_OWNER, text)

    @classmethod
    def split(cls, text: str) -> Suggestion:
        return cls(Action.SPLIT, text)

    @classmethod
    def merge(cls, text: str) -> Suggestion:
        return cls(Action.MERGE, text)

    @classmethod
    def add(cls, text: str) -> Suggestion:
        return cls(Action.ADD, text)


@dataclass(frozen=True)
class Finding:
    """One thing a rule found about a map.

    Attributes:
        rule: permanent id, family prefix and three digits (``XF002``).
        name: kebab-case rule name (``ping-pong``).
        severity: set by the engine from the rule default and configuration.
        message: one sentence for an analyst, about the first element.
        elements: the element ids it is about, primary first.
        process: the id of the process it is about.
        location: where the primary element stands in its file, if known.
        suggestion: what to do about it.
        data: numbers behind the finding (a probability, a wait), for reports.
    """

    rule: str
    name: str
    message: str
    elements: tuple[str, ...] = ()
    process: str = ""
    severity: Severity = Severity.INFO
    location: SourceLocation | None = None
    suggestion: Suggestion | None = None
    data: dict[str, float | int | str] = field(default_factory=dict, compare=False)

    @property
    def fingerprint(self) -> str:
        """A stable hash of rule, process and elements (not lines), for baselines."""
        key = "\x1f".join((self.rule, self.process, *self.elements))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def sort_key(self) -> tuple[object, ...]:
        """Most severe first, then by file, line, rule and elements."""
        loc = self.location or SourceLocation("")
        return (-self.severity.rank, loc.file, loc.line, loc.column, self.rule, self.elements)

    def with_(self, **changes: object) -> Finding:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view of the finding."""
        loc = self.location
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "process": self.process,
            "elements": list(self.elements),
            "file": loc.file if loc else None,
            "line": loc.line if loc and loc.line else None,
            "column": loc.column if loc and loc.column else None,
            "suggestion": (
                {"action": self.suggestion.action.value, "text": self.suggestion.text}
                if self.suggestion
                else None
            ),
            "fingerprint": self.fingerprint,
            "data": dict(self.data),
        }
