"""How far a simulated log is from a real one: the measures of ``log-distance-measures``.

The same definitions as that package (its defaults), computed on numpy arrays
instead of a pandas group-by per case:

* **n-gram distance** (n = 3): the 3-grams of activities of every case (padded with
  two blanks at each end, activities in order of start then end), counted in both
  logs; the sum of the absolute differences of the counts over the sum of all
  counts (0: the same paths as often, 1: nothing in common);
* **absolute event distribution**: every start and end time, in whole hours from the
  first hour of either log; the Wasserstein distance (in hours) between the two;
* **case arrival distribution**: the first start of each case, likewise;
* **cycle time distribution**: each case's last end minus its first start, in whole
  hours above the shortest case of either log; Wasserstein distance in hours.

A log is given as :class:`LogArrays`: per event, its case, activity, start and end
in seconds (any common origin).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

HOUR = 3600.0


@dataclass(frozen=True)
class LogArrays:
    case: np.ndarray
    """Case ids (any type numpy can sort)."""
    activity: np.ndarray
    """Activity names (objects)."""
    start: np.ndarray
    """Seconds."""
    end: np.ndarray


def wasserstein(u: np.ndarray, v: np.ndarray) -> float:
    """The 1-Wasserstein distance between two samples (as scipy.stats.wasserstein_distance)."""
    u = np.sort(np.asarray(u, dtype=float))
    v = np.sort(np.asarray(v, dtype=float))
    if len(u) == 0 or len(v) == 0:
        return float("nan")
    values = np.concatenate([u, v])
    values.sort(kind="mergesort")
    deltas = np.diff(values)
    u_cdf = np.searchsorted(u, values[:-1], "right") / len(u)
    v_cdf = np.searchsorted(v, values[:-1], "right") / len(v)
    return float(np.sum(np.abs(u_cdf - v_cdf) * deltas))


def _ordered(log: LogArrays) -> tuple[np.ndarray, np.ndarray]:
    """Events by case, and within a case by start then end (ties in log order)."""
    order = np.lexsort((np.arange(len(log.case)), log.end, log.start, log.case))
    return log.case[order], log.activity[order]


def n_grams(log: LogArrays, n: int = 3) -> Counter:
    cases, acts = _ordered(log)
    counts: Counter = Counter()
    if len(cases) == 0:
        return counts
    cuts = np.flatnonzero(cases[1:] != cases[:-1]) + 1
    blank = (None,) * (n - 1)
    for trace in np.split(acts, cuts):
        padded = blank + tuple(trace.tolist()) + blank
        counts.update(zip(*(padded[k:] for k in range(n)), strict=False))
    return counts


def n_gram_distance(a: LogArrays, b: LogArrays, n: int = 3) -> float:
    """Sum of absolute differences of the n-gram counts over the sum of all counts."""
    ca, cb = n_grams(a, n), n_grams(b, n)
    total = sum(ca.values()) + sum(cb.values())
    if total == 0:
        return 0.0
    return sum(abs(ca.get(k, 0) - cb.get(k, 0)) for k in ca.keys() | cb.keys()) / total


def _floor_hour(seconds: float) -> float:
    return math.floor(seconds / HOUR) * HOUR


def absolute_event_distance(a: LogArrays, b: LogArrays) -> float:
    """Wasserstein distance (hours) between all start and end times, by the hour."""
    origin = _floor_hour(min(a.start.min(), b.start.min()))

    def hours(log: LogArrays) -> np.ndarray:
        return np.floor((np.concatenate([log.start, log.end]) - origin) / HOUR)

    return wasserstein(hours(a), hours(b))


def _per_case(log: LogArrays) -> tuple[np.ndarray, np.ndarray]:
    """Each case's first start and last end."""
    _, inverse = np.unique(log.case, return_inverse=True)
    k = inverse.max() + 1 if len(inverse) else 0
    first = np.full(k, np.inf)
    last = np.full(k, -np.inf)
    np.minimum.at(first, inverse, log.start)
    np.maximum.at(last, inverse, log.end)
    return first, last


def case_arrival_distance(a: LogArrays, b: LogArrays) -> float:
    """Wasserstein distance (hours) between the cases' first starts, by the hour."""
    fa, _ = _per_case(a)
    fb, _ = _per_case(b)
    origin = _floor_hour(min(fa.min(), fb.min()))
    return wasserstein(np.floor((fa - origin) / HOUR), np.floor((fb - origin) / HOUR))


def cycle_time_distance(a: LogArrays, b: LogArrays, bin_size: float = HOUR) -> float:
    """Wasserstein distance (in bins, hours by default) between the cases' cycle times."""
    fa, la = _per_case(a)
    fb, lb = _per_case(b)
    ca, cb = la - fa, lb - fb
    low = min(ca.min(), cb.min())
    return wasserstein(np.floor((ca - low) / bin_size), np.floor((cb - low) / bin_size))


def distances(real: LogArrays, simulated: LogArrays) -> dict[str, float]:
    """Every measure, by name."""
    return {
        "n_gram_distance": n_gram_distance(real, simulated),
        "absolute_event_distribution_hours": absolute_event_distance(real, simulated),
        "case_arrival_distribution_hours": case_arrival_distance(real, simulated),
        "cycle_time_distribution_hours": cycle_time_distance(real, simulated),
    }
