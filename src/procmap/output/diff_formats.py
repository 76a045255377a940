"""``procmap diff``'s report, as text or Markdown lines and as JSON data."""

from __future__ import annotations

from typing import Any

from procmap.model.durations import describe_duration
from procmap.workshop.diff import KINDS, MapDiff, seconds


def _pct(value: float | None, digits: int = 0) -> str:
    return "not reached" if value is None else f"{value:.{digits}%}"


def diff_lines(d: MapDiff, *, markdown: bool = False) -> list[str]:
    """The comparison as lines of text, or of Markdown."""
    h2 = "## " if markdown else ""
    item = "- " if markdown else "  "
    lines = [f"{'# ' if markdown else ''}{d.before.title} → {d.after.title}", ""]
    for kind in KINDS:
        old, new = d.counts[kind]
        parts = [f"{len(d.changes(kind, s))} {s}" for s in ("eliminated", "improved", "added")]
        lines.append(f"{h2}{kind}: {old} → {new} ({', '.join(parts)})")
        for status in ("eliminated", "improved", "worsened", "added"):
            for p in d.changes(kind, status):
                risk = ""
                if status in ("improved", "worsened"):
                    risk = f": fails {p.before:.0%} → {p.after:.0%}"
                lines.append(f"{item}{status} {p.label}{risk}")
        lines.append("")
    if d.handoffs:
        lines.append(f"{h2}Hand-offs between actors")
        for (a, b), (old, new) in d.handoffs.items():
            title = d.after if a in d.after.actors and b in d.after.actors else d.before
            word = "removed" if new == 0 else "added" if old == 0 else "changed"
            lines.append(f"{item}{title.actor_title(a)} → {title.actor_title(b)}: {old} → {new} ({word})")
        lines.append("")
    if d.steps_removed or d.steps_added or d.kinds_changed:
        lines.append(f"{h2}Steps")
        lines += [f"{item}removed '{d.before.step_title(s)}' ({s})" for s in d.steps_removed]
        lines += [f"{item}added '{d.after.step_title(s)}' ({s})" for s in d.steps_added]
        lines += [f"{item}changed {c.words}" for c in d.kinds_changed]
        lines.append("")
    t0, t1 = d.timing
    lines.append(f"{h2}Time per case")
    for label, a, b in (
        ("waiting", t0.waiting, t1.waiting),
        ("expected cycle time", t0.expected, t1.expected),
        ("slowest case", t0.longest, t1.longest),
    ):
        lines.append(f"{item}{label}: {_dur(a)} → {_dur(b)}")
    lines.append(f"{item}cycle efficiency: {_pct(t0.efficiency, 1)} → {_pct(t1.efficiency, 1)}")
    lines += ["", f"{h2}Chance of reaching each outcome with nothing going wrong"]
    for o in d.outcomes:
        lines.append(f"{item}{o.name}: {_pct(o.before)} → {_pct(o.after)}")
    return lines


def _dur(value: Any) -> str:
    return "–" if value is None else describe_duration(value)


def diff_json(d: MapDiff) -> dict[str, Any]:
    """Everything of the comparison, JSON-ready."""
    t0, t1 = d.timing
    return {
        "before": d.before.process,
        "after": d.after.process,
        "counts": {k: {"before": a, "after": b} for k, (a, b) in d.counts.items()},
        "points": [
            {"kind": p.kind, "elements": list(p.key), "status": p.status, "label": p.label,
             "fails_before": p.before, "fails_after": p.after}
            for p in d.points
        ],
        "handoffs": [
            {"from": a, "to": b, "before": old, "after": new}
            for (a, b), (old, new) in d.handoffs.items()
        ],
        "steps_removed": d.steps_removed,
        "steps_added": d.steps_added,
        "kinds_changed": [
            {"step": c.step, "before": c.before.value, "after": c.after.value, "text": c.words}
            for c in d.kinds_changed
        ],
        "time": {
            name: {"before": seconds(getattr(t0, name)), "after": seconds(getattr(t1, name))}
            for name in ("waiting", "expected", "longest", "shortest", "work", "value_adding")
        },
        "efficiency": {"before": t0.efficiency, "after": t1.efficiency},
        "outcomes": [
            {"outcome": o.outcome, "name": o.name, "before": o.before, "after": o.after}
            for o in d.outcomes
        ],
    }
