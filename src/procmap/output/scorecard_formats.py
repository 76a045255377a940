"""The outside-in scorecard as terminal tables, Markdown and JSON."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from procmap.analysis.scorecard import (
    WEIGHT_CUSTOMER_MEETS,
    WEIGHT_CUSTOMER_PATH,
    WEIGHT_OTHER,
    Scorecard,
)
from procmap.model.durations import describe_duration as format_duration
from procmap.output.markdown import cell


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _dur(value: timedelta | None) -> str:
    return "–" if value is None else format_duration(value)


def _header(card: Scorecard) -> str:
    p = card.process
    bits = [f"{p.title} ({p.process})"]
    if p.level:
        bits.append(f"L{p.level}")
    bits.append(f"owner {p.owner}" if p.owner else "no owner")
    return " · ".join(bits)


def _counts_line(card: Scorecard) -> str:
    c = card.counts
    return (
        f"{c['moments_of_truth']} Moments of Truth · {c['break_points']} Break Points · "
        f"{c['business_rules']} Business Rules · {len(card.process.steps)} steps"
    )


def _weighed_line(card: Scorecard) -> str:
    w = card.weights
    return (f"Weighed by {w.log}: {w.cases} cases, {w.events} events; how often cases pass "
            "each point is what the log says")


def _passes(card: Scorecard, sid: str) -> list[str]:
    """The cells 'cases' and 'per case' of a step, from the log."""
    w = card.weights
    passes = w.step(sid)
    if not passes.cases:
        return ["never seen", "–"]
    return [f"{passes.cases} ({w.share(passes):.0%})", f"{w.per_case(passes):.2f}"]


def break_point_rows(card: Scorecard) -> Iterator[list[str]]:
    """One row per Break Point, from the log: lanes, steps, cases, per case, median wait, map's wait."""
    p, w = card.process, card.weights
    for bp in card.break_points:
        f = bp.flow
        passes = w.handoff(f.source, f.target)
        lanes = f"{p.actor_title(bp.from_actor)} → {p.actor_title(bp.to_actor)}"
        steps = f"{p.step_title(f.source)} → {p.step_title(f.target)}"
        if passes.cases:
            seen = [f"{passes.cases} ({w.share(passes):.0%})", f"{w.per_case(passes):.2f}",
                    _seconds(passes.median_wait)]
        else:
            seen = ["never seen", "–", "–"]
        yield [lanes, steps, *seen, _dur(bp.wait)]


def _seconds(value: float | None) -> str:
    return "–" if value is None else format_duration(timedelta(seconds=round(value)))


BREAK_POINT_HEADERS = ("hand-off", "steps", "cases", "per case", "median wait", "map says")


def impact_means(card: Scorecard) -> str:
    """One plain sentence: what the impact score of the ranking measures."""
    how_often = ("the share of the log's cases that pass it" if card.weights is not None
                 else "the share of cases that pass it")
    return (
        f"Impact = the chance a point goes wrong × {how_often} × a customer weight "
        f"({WEIGHT_CUSTOMER_MEETS:g} where the customer takes part, {WEIGHT_CUSTOMER_PATH:g} on the way "
        f"to a customer outcome, {WEIGHT_OTHER:g} elsewhere): the share of all cases in which "
        "it fails, weighed by how much the customer feels it. A step of no value, or one that "
        "serves no outcome, counts as going wrong every time."
    )


DEFAULTS_MEAN = (
    "On default rates: of the points on the worst path that can go wrong, how many take their "
    "chance from the defaults ([risk] in the configuration; hand-offs always do) instead of a "
    "`fails` in the map, and their share of the risk."
)


@dataclass(frozen=True)
class DefaultShare:
    """How much of an outcome's risk rests on default failure rates."""

    points: int
    """Points on the worst path whose chance of going wrong is a default."""
    of: int
    """Points on the worst path that can go wrong at all."""
    risk: float
    """Share of the risk on the worst path that the default points carry (0..1)."""

    def __str__(self) -> str:
        return f"{self.points} of {self.of} ({self.risk:.0%})" if self.of else "–"


def default_share(card: Scorecard, outcome: str) -> DefaultShare | None:
    """How many points on the worst path to ``outcome`` use default rates, and their share of the risk.

    A point is a step with a chance of going wrong (its ``fails``, else the
    defaults of its point types) or a hand-off (always the default). The share
    of the risk adds up −ln(1 − p) of the points, so it splits the chance of
    failing on the way among them. ``None`` when the outcome is not reached.
    """
    r = card.risk.outcomes[outcome]
    if not r.reachable:
        return None
    steps = card.process.steps
    on_way = set(r.worst_path)
    weights: list[tuple[bool, float]] = [
        (steps[sid].fails is None, _weight(p))
        for sid in r.worst_path
        if (p := card.risk.step_risk.get(sid, 0.0)) > 0
    ]
    if card.risk.handoff_risk > 0:
        weights += [(True, _weight(card.risk.handoff_risk)) for bp in card.break_points
                    if bp.flow.source in on_way and bp.flow.target in on_way]
    total = sum(w for _, w in weights)
    defaults = sum(w for d, w in weights if d)
    return DefaultShare(sum(1 for d, _ in weights if d), len(weights),
                        defaults / total if total else 0.0)


def _weight(p: float) -> float:
    return -math.log(max(1e-9, 1.0 - p))


RISK_HEADERS = ("outcome", "for", "expected", "best", "worst", "weakest point on worst path",
                "on default rates")


def risk_rows(card: Scorecard) -> Iterator[list[str]]:
    """One row per outcome: name, for, expected, best, worst, weakest point on the worst path,
    and how much of it rests on default rates."""
    p = card.process
    for oid, outcome in p.outcomes.items():
        r = card.risk.outcomes[oid]
        if not r.reachable:
            yield [outcome.name, outcome.for_.value, "not reached", "–", "–", "", "–"]
            continue
        weakest = max(r.worst_path, key=lambda s: card.risk.step_risk.get(s, 0.0), default=None)
        path = ""
        if weakest is not None and card.risk.step_risk.get(weakest, 0.0) > 0:
            path = f"{p.step_title(weakest)} ({card.risk.step_risk[weakest]:.0%})"
        expected = _pct(r.expected) + (" *" if r.even_split_assumed else "")
        yield [outcome.name, outcome.for_.value, expected, _pct(r.best), _pct(r.worst), path,
               str(default_share(card, oid))]


def timing_rows(card: Scorecard) -> list[tuple[str, str]]:
    """Cycle time and efficiency, label → value."""
    t = card.timing
    return [
        ("quickest case", _dur(t.shortest)),
        ("slowest case", _dur(t.longest)),
        ("expected per case", _dur(t.expected)),
        ("of which work", _dur(t.work)),
        ("of which waiting", _dur(t.waiting)),
        ("value-adding", _dur(t.value_adding)),
        ("cycle efficiency", _pct(t.efficiency)),
        ("staff time per case (every branch)", _dur(t.effort)),
    ]


def print_scorecard(console: Console, card: Scorecard) -> None:
    """The scorecard as a workshop would read it on screen."""
    console.print(Text(_header(card), style="bold"))
    console.print(_counts_line(card), markup=False)
    if card.weights is not None:
        console.print(_weighed_line(card), markup=False)
    console.print()

    risk = Table(title="Failure risk per outcome (chance of getting there with nothing going wrong)",
                 title_justify="left", expand=False)
    for col in RISK_HEADERS:
        risk.add_column(col, overflow="fold")
    for row in risk_rows(card):
        risk.add_row(*row)
    console.print(risk)
    if any(r.even_split_assumed for r in card.risk.outcomes.values()):
        console.print("* some decisions on the way give no branch probabilities: even split assumed",
                      style="dim", markup=False)
    console.print(DEFAULTS_MEAN, style="dim", markup=False)

    console.print(_matrix_table(card))

    timing = Table(title="Cycle time", title_justify="left", show_header=False)
    timing.add_column("measure")
    timing.add_column("value", justify="right")
    for label, value in timing_rows(card):
        timing.add_row(label, value)
    console.print(timing)

    top = Table(title=f"Top {len(card.candidates)} to eliminate or improve (by expected impact)",
                title_justify="left")
    for col in ("#", "action", "impact", "reason"):
        top.add_column(col, overflow="fold")
    for i, c in enumerate(card.candidates, 1):
        style = "red" if c.action.value == "eliminate" else "yellow"
        top.add_row(str(i), Text(c.action.value, style=style), f"{c.impact:.4f}", c.reason)
    console.print(top)
    console.print(impact_means(card), style="dim", markup=False)

    console.print(_inventory(card))
    if card.weights is not None:
        points = Table(title="Break Points in the log (cases that pass, times per case, real wait)",
                       title_justify="left")
        for i, col in enumerate(BREAK_POINT_HEADERS):
            points.add_column(col, overflow="fold", justify="left" if i < 2 else "right",
                              no_wrap=i >= 2)
        for row in break_point_rows(card):
            points.add_row(*row)
        console.print(points)
    if card.findings:
        counts: dict[str, int] = {}
        for f in card.findings:
            counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
        said = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
        console.print(f"Findings: {said}; 'procmap check' on this map lists them", markup=False)
    if card.weights is not None:
        from procmap.mining.tables import print_sections
        from procmap.mining.weigh import sections

        console.print()
        print_sections(console, f"Evidence from {card.weights.log}", sections(card.weights))


def _matrix_table(card: Scorecard) -> Table:
    p = card.process
    actors = sorted({a for pair in card.handoffs for a in pair}, key=list(p.actors).index)
    table = Table(title="Hand-offs (from row to column: count, total wait)", title_justify="left")
    table.add_column("from \\ to")
    for a in actors:
        table.add_column(p.actor_title(a), justify="center")
    for src in actors:
        row = []
        for dst in actors:
            cell_ = card.handoffs.get((src, dst))
            if cell_ is None:
                row.append("")
            else:
                wait = f" ({format_duration(cell_.wait)})" if cell_.wait else ""
                row.append(f"{cell_.count}{wait}")
        table.add_row(p.actor_title(src), *row)
    return table


def _inventory(card: Scorecard) -> Group:
    p = card.process
    logged = card.weights is not None
    seen = ("cases", "per case") if logged else ()
    mots = Table(title="Moments of Truth", title_justify="left")
    for col in ("step", "customer meets", "interaction", "channel"):
        mots.add_column(col)
    for col in seen:
        mots.add_column(col, justify="right")
    for m in card.moments_of_truth:
        mots.add_row(p.step_title(m.step), p.actor_title(m.counterpart) if m.counterpart else "–",
                     m.interaction, m.channel.value if m.channel else "–",
                     *(_passes(card, m.step) if logged else ()))
    rules = Table(title="Business Rules", title_justify="left")
    for col in ("step", "rule"):
        rules.add_column(col)
    for col in seen:
        rules.add_column(col, justify="right")
    for r in card.business_rules:
        rules.add_row(p.step_title(r.step), r.rule or "(decision)",
                      *(_passes(card, r.step) if logged else ()))
    return Group(mots, rules)


def scorecard_json(card: Scorecard) -> dict[str, Any]:
    """Everything of the scorecard, JSON-ready."""
    p = card.process
    t = card.timing
    seconds = lambda d: None if d is None else d.total_seconds()  # noqa: E731
    data = {
        "process": p.process,
        "name": p.title,
        "level": p.level,
        "owner": p.owner,
        "counts": card.counts,
        "moments_of_truth": [
            {"step": m.step, "customer": m.customer, "counterpart": m.counterpart,
             "interaction": m.interaction, "channel": m.channel.value if m.channel else None}
            for m in card.moments_of_truth
        ],
        "break_points": [
            {"from_step": b.flow.source, "to_step": b.flow.target, "from_actor": b.from_actor,
             "to_actor": b.to_actor, "wait_seconds": seconds(b.wait)}
            for b in card.break_points
        ],
        "business_rules": [
            {"step": r.step, "rule": r.rule, "decision": r.is_decision} for r in card.business_rules
        ],
        "failure_risk": {
            oid: {"reachable": r.reachable, "expected": r.expected, "best": r.best,
                  "worst": r.worst, "best_path": list(r.best_path),
                  "worst_path": list(r.worst_path), "even_split_assumed": r.even_split_assumed,
                  "on_default_rates": _share_json(default_share(card, oid))}
            for oid, r in card.risk.outcomes.items()
        },
        "on_default_rates_means": DEFAULTS_MEAN,
        "handoffs": [
            {"from": a, "to": b, "count": c.count, "wait_seconds": c.wait.total_seconds(),
             "longest_wait_seconds": c.longest.total_seconds()}
            for (a, b), c in card.handoffs.items()
        ],
        "cycle_time": {
            "shortest_seconds": seconds(t.shortest), "longest_seconds": seconds(t.longest),
            "expected_seconds": seconds(t.expected), "work_seconds": seconds(t.work),
            "waiting_seconds": seconds(t.waiting), "value_adding_seconds": seconds(t.value_adding),
            "efficiency": t.efficiency, "longest_path": list(t.longest_path),
            "effort_seconds": seconds(t.effort),
        },
        "impact_measures": impact_means(card),
        "candidates": [
            {"rank": i, "action": c.action.value, "kind": c.kind, "elements": list(c.elements),
             "reason": c.reason, "impact": c.impact, "failure": c.failure,
             "frequency": c.frequency, "customer_weight": c.weight,
             **({"keep": c.keep, "remove": list(c.remove)} if c.keep else {})}
            for i, c in enumerate(card.candidates, 1)
        ],
        "findings": [f.to_dict() for f in card.findings],
    }
    if card.weights is not None:
        _add_weights(card, data)
    return data


def _share_json(share: DefaultShare | None) -> dict[str, float | int] | None:
    if share is None:
        return None
    return {"points": share.points, "of": share.of, "risk_share": round(share.risk, 4)}


def _add_weights(card: Scorecard, data: dict[str, Any]) -> None:
    """What the log says: cases and times beside each point, and the log's own section."""
    w = card.weights
    for entry in (*data["moments_of_truth"], *data["business_rules"]):
        passes = w.step(entry["step"])
        entry.update(cases=passes.cases, times=passes.times, per_case=w.per_case(passes))
    for entry in data["break_points"]:
        passes = w.handoff(entry["from_step"], entry["to_step"])
        entry.update(cases=passes.cases, times=passes.times, per_case=w.per_case(passes),
                     median_wait_seconds_in_log=passes.median_wait,
                     p90_wait_seconds_in_log=passes.p90_wait)
    data["log"] = w.to_dict()


def scorecard_markdown(card: Scorecard) -> str:
    """The scorecard as Markdown, for a wiki page or a pull request."""
    p = card.process
    logged = card.weights is not None
    lines = [f"# {cell(p.title)}", "", f"_{cell(_header(card))}_", "", f"**{_counts_line(card)}**", ""]
    if logged:
        lines += [cell(_weighed_line(card)), ""]
    lines += ["## Failure risk per outcome", "",
              "| " + " | ".join(h[:1].upper() + h[1:] for h in RISK_HEADERS) + " |",
              "|---" * len(RISK_HEADERS) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in risk_rows(card)]
    lines += ["", f"_{cell(DEFAULTS_MEAN)}_"]
    actors = sorted({a for pair in card.handoffs for a in pair}, key=list(p.actors).index)
    lines += ["", "## Hand-offs", "", "| from \\ to | " + " | ".join(cell(p.actor_title(a)) for a in actors) + " |",
              "|---" * (len(actors) + 1) + "|"]
    for src in actors:
        row = []
        for dst in actors:
            c = card.handoffs.get((src, dst))
            row.append("" if c is None else f"{c.count}" + (f" ({format_duration(c.wait)})" if c.wait else ""))
        lines.append(f"| {cell(p.actor_title(src))} | " + " | ".join(row) + " |")
    lines += ["", "## Cycle time", "", "| Measure | Value |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in timing_rows(card)]
    lines += ["", "## Top candidates to eliminate or improve", "",
              f"_{cell(impact_means(card))}_", "",
              "| # | Action | Impact | Reason |", "|---|---|---|---|"]
    lines += [f"| {i} | {c.action.value} | {c.impact:.4f} | {cell(c.reason)} |"
              for i, c in enumerate(card.candidates, 1)]
    seen = (lambda sid: "".join(f" {c} |" for c in _passes(card, sid))) if logged else (lambda sid: "")
    more, rule = (" Cases | Per case |", "---|---|") if logged else ("", "")
    lines += ["", "## Moments of Truth", "", f"| Step | Customer meets | Interaction | Channel |{more}",
              f"|---|---|---|---|{rule}"]
    lines += [f"| {cell(p.step_title(m.step))} | {cell(p.actor_title(m.counterpart)) if m.counterpart else '–'} | "
              f"{m.interaction} | {m.channel.value if m.channel else '–'} |{seen(m.step)}" for m in card.moments_of_truth]
    lines += ["", "## Business Rules", "", f"| Step | Rule |{more}", f"|---|---|{rule}"]
    lines += [f"| {cell(p.step_title(r.step))} | {cell(r.rule or '(decision)')} |{seen(r.step)}"
              for r in card.business_rules]
    lines.append("")
    if logged:
        from procmap.mining.tables import markdown
        from procmap.mining.weigh import sections

        lines += ["## Break Points in the log", "",
                  "| " + " | ".join(h.capitalize() for h in BREAK_POINT_HEADERS) + " |",
                  "|" + "---|" * len(BREAK_POINT_HEADERS)]
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in break_point_rows(card)]
        lines.append("")
        lines.append(markdown(f"Evidence from {cell(card.weights.log)}", sections(card.weights), level=2))
    return "\n".join(lines)
