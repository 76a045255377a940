"""The map page (a draft, the merged map, a version) and the outside-in comparison's view.

The page shows procmap's report section of the map (diagram with overlays,
scorecard, findings), the YAML editor in ``<section id="editor">`` (where the
visual editor will slot in), downloads and comments pinned to steps.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

import procmap
from procmap.web import lib
from procmap.web.pages.common import render
from procmap.web.pages.report import report_parts
from procmap.web.permissions import Actor

STATUS_ORDER = ("eliminated", "improved", "worsened", "added")


def _pct(value: float | None) -> str:
    return "not reached" if value is None else f"{value:.0%}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h" + (f" {minutes}m" if minutes else "")
    days, hours = divmod(hours, 24)
    return f"{days}d" + (f" {hours}h" if hours else "")


def diff_view(summary: dict[str, Any] | None, title: str, text_diff: str = "") -> dict[str, Any]:
    """procmap.diff's outside-in deltas (the API's JSON) as headed lists of sentences."""
    sections: list[dict[str, Any]] = []
    if summary is None:
        sections.append({"heading": "One of the two maps does not load",
                         "items": ["Only the line-by-line difference can be shown."]})
    else:
        for kind, pair in summary["counts"].items():
            points = [p for p in summary["points"] if p["kind"] == kind]
            tally = ", ".join(f"{sum(1 for p in points if p['status'] == s)} {s}"
                              for s in ("eliminated", "improved", "added"))
            items = []
            for status in STATUS_ORDER:
                for p in points:
                    if p["status"] != status:
                        continue
                    risk = ""
                    if status in ("improved", "worsened") and p["fails_before"] is not None:
                        risk = f": fails {_pct(p['fails_before'])} → {_pct(p['fails_after'])}"
                    items.append(f"{status} {p['label']}{risk}")
            sections.append({"heading": f"{kind}: {pair['before']} → {pair['after']} ({tally})",
                             "items": items})
        if summary["handoffs"]:
            items = []
            for h in summary["handoffs"]:
                word = "removed" if h["after"] == 0 else "added" if h["before"] == 0 else "changed"
                items.append(f"{word} {h['from']} → {h['to']}: {h['before']} → {h['after']}")
            sections.append({"heading": "Hand-offs between actors", "items": items})
        steps = ([f"removed {s}" for s in summary["steps_removed"]]
                 + [f"added {s}" for s in summary["steps_added"]]
                 + [f"changed {c['text']}" for c in summary["kinds_changed"]])
        if steps:
            sections.append({"heading": "Steps", "items": steps})
        t = summary["time"]
        eff = summary["efficiency"]
        sections.append({"heading": "Time per case", "items": [
            f"waiting: {_duration(t['waiting']['before'])} → {_duration(t['waiting']['after'])}",
            f"expected cycle time: {_duration(t['expected']['before'])} → {_duration(t['expected']['after'])}",
            f"slowest case: {_duration(t['longest']['before'])} → {_duration(t['longest']['after'])}",
            "cycle efficiency: "
            + " → ".join("–" if v is None else f"{v:.1%}" for v in (eff["before"], eff["after"]))]})
        if summary["outcomes"]:
            sections.append({"heading": "Chance of reaching each outcome with nothing going wrong",
                             "items": [f"{o['name']}: {_pct(o['before'])} → {_pct(o['after'])}"
                                       for o in summary["outcomes"]]})
    return {"title": title, "sections": sections, "text_diff": text_diff.splitlines()}


def _error(e: dict[str, Any]) -> dict[str, Any]:
    return {"line": e.get("line"), "column": e.get("column"), "element": e.get("element"),
            "message": e.get("message") or e.get("text") or ""}


def _threads(comments: list[dict[str, Any]], steps: dict[str, str]) -> list[dict[str, Any]]:
    """Comments with their replies under them; each names its step."""
    tops = [dict(c, replies=[]) for c in comments if c["parent_id"] is None]
    by_id = {c["id"]: c for c in tops}
    for c in comments:
        if c["parent_id"] is not None and c["parent_id"] in by_id:
            by_id[c["parent_id"]]["replies"].append(c)
    for c in tops:
        c["resolved"] = c["resolved_at"] is not None
        c["step_title"] = steps.get(c["step_id"] or "", c["step_id"] or "the whole map")
    return tops


def map_page(request: Request, actor: Actor, view: dict[str, Any], *, kind: str, heading: str,
             subtitle: str, crumbs: list[tuple[str, str | None]], download_url: str | None,
             self_url: str, save_url: str | None = None, upload_url: str | None = None,
             comments_url: str | None = None, comments: list[dict[str, Any]] | None = None,
             can_comment: bool = False, stale: dict[str, Any] | None = None,
             editor_text: str | None = None, notice: str | None = None,
             status: int = 200) -> HTMLResponse:
    """Render the map page for one map view of the services (yaml, revision, errors, loads)."""
    loaded, _ = lib.try_load(view["yaml"], f"{kind}.yaml")
    parts = None
    steps: dict[str, str] = {}
    if loaded is not None:
        process: procmap.Process = loaded.process
        steps = {sid: process.step_title(sid) for sid in process.steps}
        if steps:
            parts = report_parts(process, loaded.source)
    page_map = {"kind": kind, "heading": heading, "subtitle": subtitle, "yaml": view["yaml"],
                "revision": view.get("revision"), "loads": loaded is not None,
                "errors": [_error(e) for e in view.get("errors") or []],
                "can_edit": save_url is not None, "save_url": save_url, "upload_url": upload_url,
                "download_url": download_url, "comments_url": comments_url, "self_url": self_url}
    return render(request, "map.html", actor, status=status, title=heading, crumbs=crumbs,
                  map=page_map, parts=parts, stale=stale, notice=notice,
                  editor_text=view["yaml"] if editor_text is None else editor_text,
                  comments=_threads(comments or [], steps), can_comment=can_comment,
                  steps=list(steps.items()))


def stale_view(exc: Any, yours_base: int) -> dict[str, Any]:
    """What a refused (stale) save shows: the saved revision, the outside-in summary, the lines."""
    details = exc.details
    summary = details.get("summary")
    return {"current_revision": details["current"]["revision"], "base_revision": yours_base,
            "current_yaml": details["current"]["yaml"],
            "summary": diff_view(summary, "How your text differs from the saved map (saved → yours)")
            if summary is not None else None,
            "diff_lines": details.get("diff", "").splitlines()}
