"""Outside-in evidence from a log: what real cases go through.

Per case: hand-offs, customer contacts, rework; across cases: ping-pong between
lanes (A → B → A), the slowest hand-offs (lane → lane median wait) and the lanes
where cases wait longest. Each number is one SQL file run on the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procmap.mining import stats
from procmap.mining.discover import seconds
from procmap.mining.read import EventLog
from procmap.mining.tables import Section

TOP = 10
MIN_HANDOFFS = 5
"""A lane → lane hand-off is ranked among the slowest only when seen this often."""


@dataclass
class Evidence:
    """The evidence of one log, JSON-ready (waits in seconds)."""

    log: str
    cases: int
    events: int
    has_lanes: bool
    customer_activities: list[str]
    summary: dict[str, float | None]
    rework: list[dict] = field(default_factory=list)
    ping_pong: list[dict] = field(default_factory=list)
    slowest_handoffs: list[dict] = field(default_factory=list)
    lane_waits: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _rows(log: EventLog, name: str) -> list[dict]:
    cursor = log.engine.con.execute(_sql(name))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _sql(name: str) -> str:
    from procmap.mining.engine import sql

    return sql(name)


def evidence(log: EventLog) -> Evidence:
    """The evidence of every case of a loaded log."""
    stats.order_events(log)
    log.engine.materialize("case_evidence", "case_evidence", "weighing the evidence of each case")
    summary = _rows(log, "evidence_summary")[0]
    customer = [r[0] for r in log.engine.con.execute(
        "SELECT activity FROM customer_activities ORDER BY activity").fetchall()]
    return Evidence(
        log=log.path.name,
        cases=log.cases,
        events=log.events,
        has_lanes=log.has_lanes,
        customer_activities=customer,
        summary=summary,
        rework=_rows(log, "rework")[:TOP],
        ping_pong=_rows(log, "ping_pong")[:TOP],
        slowest_handoffs=[r for r in _rows(log, "handoff_waits") if r["handoffs"] >= MIN_HANDOFFS][:TOP],
        lane_waits=_rows(log, "lane_waits")[:TOP],
    )


def sections(ev: Evidence) -> list[Section]:
    """The evidence as titled tables, for the text and Markdown reports."""
    s = ev.summary
    per_case = Section(
        f"Per case ({ev.cases} cases, {ev.events} events)",
        ["measure", "mean", "median", "max"],
        [
            ["hand-offs", f"{s['mean_handoffs']:.2f}", f"{s['median_handoffs']:g}", f"{s['max_handoffs']}"],
            ["customer contacts", f"{s['mean_contacts']:.2f}", f"{s['median_contacts']:g}", f"{s['max_contacts']}"],
            ["rework (repeated activities)", f"{s['mean_rework']:.2f}", "", ""],
        ],
        [
            f"{100 * s['rework_share']:.1f}% of cases repeat an activity; case duration "
            f"median {seconds(s['median_duration'])}, p90 {seconds(s['p90_duration'])}",
        ],
    )
    if not ev.has_lanes:
        per_case.notes.append("the log has no lanes: name one with --lane or --teams to see hand-offs")
    if not ev.customer_activities:
        per_case.notes.append("no customer activities marked: name them with --customer-activities")
    return [
        per_case,
        Section("Rework: activities done again in a case", ["activity", "cases", "extra times"],
                [[r["activity"], r["cases"], r["extra"]] for r in ev.rework]),
        Section("Ping-pong between lanes (A → B → A)", ["from", "to and back", "times", "cases"],
                [[r["lane"], r["next_lane"], r["times"], r["cases"]] for r in ev.ping_pong]),
        Section(f"Slowest hand-offs (median wait; seen at least {MIN_HANDOFFS} times)", ["from", "to", "hand-offs", "median wait", "p90 wait"],
                [[r["lane"], r["next_lane"], r["handoffs"], seconds(r["median_wait"]),
                  seconds(r["p90_wait"])] for r in ev.slowest_handoffs]),
        Section("Where cases wait (before the lane's events)", ["lane", "events", "total wait", "median", "p90"],
                [[r["lane"], r["events"], seconds(r["total_wait"]), seconds(r["median_wait"]),
                  seconds(r["p90_wait"])] for r in ev.lane_waits]),
    ]
