"""The facilitator's report of ``procmap merge``: text, Markdown or JSON."""

from __future__ import annotations

import json

from procmap.output.formats import ReportFormat
from procmap.workshop.merge import MergeResult, report_data


def render_report(result: MergeResult, kind: ReportFormat, *, mark: bool = False) -> str:
    """The facilitator's report as text, Markdown or JSON."""
    if kind is ReportFormat.json:
        return json.dumps(report_data(result), indent=2, ensure_ascii=False) + "\n"
    md = kind is ReportFormat.markdown
    h1, h2, item = ("# ", "## ", "- ") if md else ("", "", "  ")
    p = result.process
    lines = []
    if mark:
        lines.append("<!-- Written by procmap merge -->" if md else "Written by procmap merge")
    lines += [f"{h1}Workshop merge: {p.title}", "",
              f"Participants: {', '.join(result.participants)}", ""]
    lines.append(f"{h2}Agreement")
    for element, score in result.agreement().items():
        lines.append(f"{item}{element}: {score:.0%}")
    lines += ["", f"{h2}Everyone drew"]
    everyone = result.seen_by_all("steps")
    lines += [f"{item}{p.step_title(s)} ({s})" for s in everyone] or [f"{item}(no step)"]
    lines += ["", f"{h2}Only one participant drew"]
    lonely = [(kind_, e, who) for kind_ in ("steps", "flows", "outcomes", "actors")
              for e, who in result.seen_by_one(kind_).items()]
    lines += [f"{item}{kind_[:-1]} {e}: {who}" for kind_, e, who in lonely] or [f"{item}(nothing)"]
    lines += ["", f"{h2}Conflicts to discuss"]
    lines += [f"{item}{c.kind}: {c.element}: {c.text}" for c in result.conflicts] or [f"{item}(none)"]
    return "\n".join(lines) + "\n"
