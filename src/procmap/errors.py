"""The one error hierarchy of procmap.

Every problem with a user's input is a :class:`MapError`: it knows the file,
line and column, the element it is about, what is wrong and, where procmap can
tell, a hint such as a did-you-mean. Loading a file collects all of them and
raises one :class:`LoadError`. Only the CLI turns these into text and exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A place in a source file: 1-based line and column (0 when unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        if self.column <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


class ProcmapError(Exception):
    """Base class of every error procmap raises on purpose."""


class MapError(ProcmapError):
    """One located problem in a map.

    Args:
        location: where it is, or ``None`` when the file itself is the problem.
        element: what it is about, in the map's words (``step 'send-invite'``).
        what: what is wrong, one phrase (``unknown actor 'sucess'``).
        hint: how to fix it, often a did-you-mean (``did you mean 'success'?``).
    """

    def __init__(
        self,
        location: SourceLocation | None,
        element: str | None,
        what: str,
        hint: str | None = None,
    ) -> None:
        self.location = location
        self.element = element
        self.what = what
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The full one-line message: ``file:line:col: element: what (hint)``."""
        parts = []
        if self.location is not None:
            parts.append(f"{self.location}: ")
        if self.element:
            parts.append(f"{self.element}: ")
        parts.append(self.what)
        if self.hint:
            parts.append(f" ({self.hint})")
        return "".join(parts)

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location or SourceLocation("")
        return (loc.file, loc.line, loc.column, self.what)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view of the error."""
        loc = self.location
        return {
            "file": loc.file if loc else None,
            "line": loc.line if loc and loc.line else None,
            "column": loc.column if loc and loc.column else None,
            "element": self.element,
            "message": self.what,
            "hint": self.hint,
            "text": self.message,
        }


class LoadError(ProcmapError):
    """One or more maps could not be loaded; :attr:`errors` lists every problem."""

    def __init__(self, errors: Iterable[MapError]) -> None:
        self.errors: tuple[MapError, ...] = tuple(sorted(errors, key=MapError.sort_key))
        count = len(self.errors)
        head = self.errors[0].message if self.errors else "the map could not be loaded"
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(head + more)


class OutputError(ProcmapError):
    """An output file could not be written (exists, not writable, …)."""


class ConfigError(ProcmapError):
    """A configuration file or option is wrong."""
