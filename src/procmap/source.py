"""Where each element of a map stands in its source file."""

from __future__ import annotations

from procmap.errors import SourceLocation

Path = tuple[str | int, ...]
# (key line, key column, value line, value column), 1-based
Marks = tuple[int, int, int, int]


class SourceMap:
    """Maps element paths such as ``("steps", "send-invite", "needs", 0)`` to places.

    A path that was not recorded falls back to its nearest recorded parent, so a
    question about a field that is missing gets the element that lacks it.
    """

    def __init__(self, file: str, marks: dict[Path, Marks] | None = None) -> None:
        self.file = file
        self.marks: dict[Path, Marks] = marks if marks is not None else {}

    def _find(self, path: Path) -> tuple[Marks | None, bool]:
        exact = True
        while path:
            found = self.marks.get(path)
            if found is not None:
                return found, exact
            path = path[:-1]
            exact = False
        return None, False

    def key(self, path: Path) -> SourceLocation:
        """The place of the key that names ``path`` (``send-invite:`` of a step)."""
        marks, _ = self._find(path)
        if marks is None:
            return SourceLocation(self.file, 1, 1)
        return SourceLocation(self.file, marks[0], marks[1])

    def value(self, path: Path) -> SourceLocation:
        """The place of the value at ``path``; a missing one gives its parent's key."""
        while path and isinstance(path[-1], int) and path not in self.marks:
            path = path[:-1]  # a single id written for a one-element list
        marks, exact = self._find(path)
        if marks is None:
            return SourceLocation(self.file, 1, 1)
        if exact:
            return SourceLocation(self.file, marks[2], marks[3])
        return SourceLocation(self.file, marks[0], marks[1])

    def step(self, step_id: str) -> SourceLocation:
        """Where a step is defined."""
        return self.key(("steps", step_id))
