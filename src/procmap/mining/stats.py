"""The computations on a loaded log, as plain Python values.

Each function runs one SQL file of ``sql/`` on the engine; :func:`prepare`
orders the events of each case once and finds the variants, and every other
computation reads what it stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from procmap.mining.read import EventLog


@dataclass(frozen=True, slots=True)
class Pair:
    """Two activities that directly follow each other, with counts and waits (seconds)."""

    source: str
    target: str
    frequency: int
    cases: int
    mean_wait: float
    median_wait: float
    p90_wait: float


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity of the log: how often, its lane, and the wait before it (seconds)."""

    name: str
    events: int
    cases: int
    lane: str | None
    customer: bool
    median_wait: float | None
    p90_wait: float | None
    position: float


@dataclass(frozen=True, slots=True)
class Variant:
    """One path through the process and how many cases took it."""

    activities: tuple[str, ...]
    cases: int


def prepare(log: EventLog) -> None:
    """Order the events of each case once, and find the variants.

    Stores ``paths`` (each case's events as one ordered list), ``pairs`` (each
    event with the one that directly follows it, and the wait between),
    ``case_variants`` and ``variant_counts``: what the discovery reads. The
    evidence reads one row per event instead (:func:`order_events`).
    """
    for step in preparation(log):
        if step.view:
            log.engine.view(step.table, step.computation)
        else:
            log.engine.materialize(step.table, step.computation, step.doing)
    if log.known_cases is None:  # the first preparation is of every case
        (log.known_cases,) = log.engine.con.execute("SELECT count(*) FROM paths").fetchone()


@dataclass(frozen=True, slots=True)
class Step:
    """One table of :func:`prepare`: the computation (``sql/<computation>.sql``)
    that fills it, and what it is doing (for a progress bar). A view is not
    stored: what reads it computes it."""

    table: str
    computation: str
    doing: str | None = None
    view: bool = False


def preparation(log: EventLog) -> list[Step]:
    """What :func:`prepare` stores, in order.

    The events of a log with start times are ordered and paired by their start
    too; a log whose events have one time each leaves it out of its lists, which
    makes them a fifth cheaper to sort. Each case's variant is a view: only the
    variants' counts and the coverage filter read it.
    """
    started = "_started" if log.has_starts else ""
    return [Step("paths", f"paths{started}", "ordering the events of each case"),
            Step("pairs", f"pairs{started}", "pairing each event with the next"),
            Step("case_variants", "case_variants", view=True),
            Step("variant_counts", "variants", "finding the variants")]


def order_events(log: EventLog) -> None:
    """Order the events of each case into the ``ordered`` table: one row per event,
    with its position and the next event's activity, lane and wait.

    A log without lanes has none to carry through the sort: its ordered events
    are stored without them, and ``ordered`` is a view that adds them as NULL.
    """
    engine = log.engine
    engine.drop("ordered")
    doing = "ordering the events of each case"
    if log.has_lanes:
        engine.materialize("ordered", "ordered", doing)
        return
    engine.execute("CREATE OR REPLACE TABLE ordered_events AS "
                   f"SELECT * EXCLUDE (lane, next_lane) FROM ({_sql('ordered')})", doing)
    engine.con.execute("CREATE VIEW ordered AS SELECT *, CAST(NULL AS VARCHAR) AS lane, "
                       "CAST(NULL AS VARCHAR) AS next_lane FROM ordered_events")


def keep_coverage(log: EventLog, coverage: float) -> tuple[int, int]:
    """Keep the most frequent variants that cover ``coverage`` of the cases.

    Redefines the ``log`` view over the cases of the kept variants (ties at the
    boundary are broken by the variant's order) and prepares again (needs
    :func:`prepare` first). Returns the number of variants and of cases kept.
    """
    con = log.engine.con
    con.execute(
        "CREATE OR REPLACE TABLE kept_variants AS "
        "SELECT variant, cases FROM (SELECT variant, cases, "
        "SUM(cases) OVER (ORDER BY cases DESC, variant ROWS UNBOUNDED PRECEDING) - cases AS before "
        "FROM variant_counts) WHERE before < ? * (SELECT sum(cases) FROM variant_counts)",
        [coverage],
    )
    con.execute("CREATE OR REPLACE TABLE kept_cases AS SELECT case_id FROM case_variants "
                "SEMI JOIN kept_variants USING (variant)")
    con.execute("CREATE OR REPLACE VIEW log AS SELECT * FROM all_events "
                "WHERE case_id IN (SELECT case_id FROM kept_cases)")
    prepare(log)
    return con.execute("SELECT count(*), coalesce(sum(cases), 0) FROM kept_variants").fetchone()


def _sql(name: str) -> str:
    from procmap.mining.engine import sql

    return sql(name)


def directly_follows(log: EventLog) -> list[Pair]:
    """The directly-follows pairs, most frequent first (needs :func:`prepare`)."""
    return [Pair(*row) for row in log.engine.run("dfg")]


def endpoints(log: EventLog) -> dict[str, dict[str, int]]:
    """``{"start": {activity: cases}, "end": {...}}`` (needs :func:`prepare`)."""
    found: dict[str, dict[str, int]] = {"start": {}, "end": {}}
    for side, activity, cases in log.engine.run("endpoints"):
        found[side][activity] = cases
    return found


def activity_names(log: EventLog) -> list[str]:
    """The names of the log's activities, without ordering any case (no :func:`prepare`)."""
    return [name for (name,) in log.engine.con.execute(
        "SELECT DISTINCT activity FROM log ORDER BY activity").fetchall()]


def activities(log: EventLog) -> list[Activity]:
    """Every activity, in the order they come in a case on average (needs :func:`prepare`)."""
    return [Activity(*row) for row in log.engine.run("activities")]


def variants(log: EventLog) -> list[Variant]:
    """The variants, most frequent first (needs :func:`prepare`)."""
    import numpy as np

    con = log.engine.con
    # The activities come as one flat column of ENUM codes, in variant order, and
    # are named by one lookup: a list per variant, or a Python string per
    # activity, costs several times more when there are many variants.
    sizes = con.execute("SELECT ARRAY_LENGTH(variant) AS n, cases FROM variant_counts "
                        "ORDER BY number").fetchnumpy()
    if not len(sizes["n"]):
        return []
    codes = con.execute(
        "SELECT code FROM (SELECT number, GENERATE_SUBSCRIPTS(variant, 1) AS i, "
        "ENUM_CODE(UNNEST(variant)) AS code FROM variant_counts) ORDER BY number, i").fetchnumpy()["code"]
    ((names,),) = con.execute(f"SELECT enum_range(NULL::{log.activity_type})").fetchall()
    named = np.array(names, dtype=object)[codes].tolist()
    found, start = [], 0
    for end, cases in zip(np.cumsum(sizes["n"]).tolist(), sizes["cases"].tolist(), strict=True):
        found.append(Variant(tuple(named[start:end]), cases))
        start = end
    return found


def variant_durations(log: EventLog) -> dict[tuple[str, ...], float]:
    """Each variant's median case duration, first event to last, in seconds (needs :func:`prepare`)."""
    return {tuple(variant): median for variant, median in log.engine.run("variant_durations")}


def case_durations(log: EventLog) -> tuple[float | None, float | None]:
    """The median and 90th percentile of the cases' durations in seconds (needs :func:`prepare`)."""
    ((found,),) = log.engine.run("case_durations")
    return (found[0], found[1]) if found else (None, None)
