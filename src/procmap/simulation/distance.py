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
  hours above the shortest case of either log; Wasserstein distance in hours;
* **control-flow log distance** (CFLD): every case's activities in order (as for the
  n-grams); the Damerau-Levenshtein distance between two cases over the length of
  the longer; the cases of one log paired one-to-one with the other's so that the
  sum of these distances is least (as many pairs as the smaller log has cases); the
  mean distance of the pairs (0: the same paths, 1: nothing in common). Distances are
  computed once per pair of distinct paths (rapidfuzz, in C) rather than per pair of
  cases, and the pairing is found over cases (scipy's ``linear_sum_assignment``, as the
  package does) or, for large logs, as the equivalent transportation problem over the
  distinct paths (HiGHS), whose optimum is the same.

A log is given as :class:`LogArrays`: per event, its case, activity, start and end
in seconds (any common origin).
"""

from __future__ import annotations

import math
import statistics
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


def _variants(log: LogArrays, codes: dict) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """The distinct paths (activity codes in order) and how many cases walk each."""
    cases, acts = _ordered(log)
    if len(cases) == 0:
        return [], np.zeros(0, dtype=np.int64)
    cuts = np.flatnonzero(cases[1:] != cases[:-1]) + 1
    counts: Counter = Counter(tuple(codes[a] for a in trace.tolist())
                              for trace in np.split(acts, cuts))
    return list(counts), np.fromiter(counts.values(), dtype=np.int64, count=len(counts))


CASE_PAIRS_LIMIT = 1_000_000
"""Above this many pairs of cases, the pairing is solved over distinct paths instead."""


def control_flow_log_distance(a: LogArrays, b: LogArrays, *,
                              case_pairs_limit: int = CASE_PAIRS_LIMIT) -> float:
    """Mean normalised Damerau-Levenshtein distance of the best one-to-one pairing of cases."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    codes = {act: k for k, act in enumerate(dict.fromkeys(
        np.concatenate([a.activity, b.activity]).tolist()))}
    va, na = _variants(a, codes)
    vb, nb = _variants(b, codes)
    if not va or not vb:
        return float("nan")
    edits = process.cdist(va, vb, scorer=DamerauLevenshtein.distance, dtype=np.int64)
    longer = np.maximum.outer(np.array([len(v) for v in va]), np.array([len(v) for v in vb]))
    cost = edits / longer  # per pair of paths; the package's figure per pair of cases
    pairs = int(min(na.sum(), nb.sum()))
    if int(na.sum()) * int(nb.sum()) <= case_pairs_limit:
        from scipy.optimize import linear_sum_assignment

        full = cost[np.repeat(np.arange(len(va)), na)][:, np.repeat(np.arange(len(vb)), nb)]
        rows, cols = linear_sum_assignment(full)
        return float(statistics.mean(full[rows, cols].tolist()))  # exactly, as the package
    return _transport(cost, na, nb) / pairs


def _transport(cost: np.ndarray, supply: np.ndarray, demand: np.ndarray) -> float:
    """Least total cost of pairing min(cases) cases: paths of one log with paths of the other."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_array, vstack

    m, n = cost.shape
    idx = np.arange(m * n)
    rows = coo_array((np.ones(m * n), (idx // n, idx)), shape=(m, m * n))
    cols = coo_array((np.ones(m * n), (idx % n, idx)), shape=(n, m * n))
    # the smaller log's cases are all paired; the larger log's at most once each
    if supply.sum() <= demand.sum():
        eq, eq_b, ub, ub_b = rows, supply, cols, demand
    else:
        eq, eq_b, ub, ub_b = cols, demand, rows, supply
    res = linprog(cost.ravel(), A_ub=vstack([ub]).tocsr(), b_ub=ub_b.astype(float),
                  A_eq=vstack([eq]).tocsr(), b_eq=eq_b.astype(float), bounds=(0, None),
                  method="highs")
    if not res.success:  # pragma: no cover - a feasible bounded problem
        raise RuntimeError(f"control-flow log distance: {res.message}")
    return float(res.fun)


def distances(real: LogArrays, simulated: LogArrays) -> dict[str, float]:
    """Every measure, by name."""
    return {
        "n_gram_distance": n_gram_distance(real, simulated),
        "control_flow_log_distance": control_flow_log_distance(real, simulated),
        "absolute_event_distribution_hours": absolute_event_distance(real, simulated),
        "case_arrival_distribution_hours": case_arrival_distance(real, simulated),
        "cycle_time_distribution_hours": cycle_time_distance(real, simulated),
    }
