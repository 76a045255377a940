"""What the scorecard needs to know of an event log: how often cases pass each point.

The mining layer computes it (:func:`procmap.mining.weigh.weigh`); the scorecard
only reads it, through this protocol, so the analysis does not depend on how
logs are read.
"""

from __future__ import annotations

from typing import Protocol


class Passing(Protocol):
    """How often cases pass one point (a step or a hand-off)."""

    cases: int
    times: int
    median_wait: float | None


class PointWeights(Protocol):
    """How often the cases of a log pass the points of a map."""

    log: str
    cases: int
    events: int

    def step(self, sid: str) -> Passing:
        """How often cases pass step ``sid``."""
        ...

    def handoff(self, source: str, target: str) -> Passing:
        """How often the hand-off from ``source`` to ``target`` happens."""
        ...

    def share(self, passes: Passing) -> float:
        """The share of the log's cases that pass."""
        ...
