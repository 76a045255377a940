"""The visual map editor: typing, not drawing.

Pages: ``/workshops/{id}/draft/edit`` (a participant's own draft) and
``/workshops/{id}/merged/edit`` (the facilitator's merged map). The page keeps
the map as data (the map's own fields, as procmap reads them) in the browser
(``static/editor.js``), writes it as the YAML procmap reads, and saves it
through the existing map API with the revision it was based on (a stale save is
refused with the difference, never applied).

``POST /api/workshops/{id}/preview {yaml}`` answers the method live without
saving anything: procmap's swimlane SVG with its overlays, the scorecard's
counts, the findings, or the located errors of a map that does not load. It is
size-limited like every save and rate-limited per account. procmap itself
computes everything (through ``lib``); this module only carries it.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import Response
from pydantic import BaseModel

from procmap.web import lib, services
from procmap.web.api.common import call, limit
from procmap.web.pages.common import render, signin_first
from procmap.web.permissions import Actor, action

router = APIRouter()

PREVIEW_BURST = 40
"""Previews an account may ask for at once …"""
PREVIEW_RATE = 15.0
"""… and per second after that (typing fast sends one per keystroke at most; the page
sends the next only when the last has come back)."""


class Preview(BaseModel):
    yaml: str = ""


class _Buckets:
    """A token bucket per account (in memory, per server process)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.state: dict[int | None, tuple[float, float]] = {}

    def take(self, key: int | None) -> float:
        """0 if a preview may run now, else the seconds to wait."""
        now = time.monotonic()
        with self.lock:
            tokens, at = self.state.get(key, (float(PREVIEW_BURST), now))
            tokens = min(float(PREVIEW_BURST), tokens + (now - at) * PREVIEW_RATE)
            if tokens < 1:
                self.state[key] = (tokens, now)
                return (1 - tokens) / PREVIEW_RATE
            self.state[key] = (tokens - 1, now)
            return 0.0


def _buckets(request: Request) -> _Buckets:
    found = getattr(request.app.state, "preview_buckets", None)
    if found is None:
        found = request.app.state.preview_buckets = _Buckets()
    return found


def _counts(data: dict[str, Any], steps: int) -> dict[str, int]:
    counts = data["counts"]
    return {"steps": steps,
            "moments_of_truth": int(counts.get("moments_of_truth", 0)),
            "break_points": int(counts.get("break_points", 0)),
            "business_rules": int(counts.get("business_rules", 0)),
            "findings": len(data["findings"])}


PREVIEWS_KEPT = 8
"""Answers kept by map text: undo, redo and a key typed then deleted ask for a map seen a moment
ago, and get procmap's answer for it again without computing it again."""


def preview(text: str) -> dict[str, Any]:
    """The method on a map text, nothing saved: counts, findings, SVG, or located errors.

    Only what the editor shows, each computed once (the findings badge the diagram and are
    counted on the scorecard)."""
    loaded, errors = lib.try_load(text, "map.yaml")
    if loaded is None:
        return {"loads": False, "errors": errors, "counts": None, "findings": [], "svg": None}
    if not loaded.process.steps:
        return {"loads": True, "errors": [], "findings": [], "svg": None,
                "counts": {"steps": 0, "moments_of_truth": 0, "break_points": 0,
                           "business_rules": 0, "findings": 0}}
    data = lib.preview_analysis(loaded)
    findings = [{k: f.get(k) for k in ("rule", "name", "severity", "message", "elements", "line",
                                        "column")} for f in data["findings"]]
    return {"loads": True, "errors": [], "counts": _counts(data, len(loaded.process.steps)),
            "findings": findings, "svg": data["svg"]}


@router.post("/api/workshops/{workshop_id}/preview", openapi_extra=action("map.preview"),
             tags=["editor"])
def preview_map(workshop_id: int, request: Request,
                body: Annotated[Preview | None, Body()] = None) -> Response:
    """The diagram (procmap's swimlane SVG with overlays), the scorecard's counts and the findings
    of a map text, or its located errors; nothing is saved. For the editor of a draft or the
    merged map: participants and the facilitator. Size-limited like a save, rate-limited."""
    text = body.yaml if body is not None else ""
    with call(request) as (conn, actor):
        w = services.get_workshop(conn, actor, workshop_id)
        services.require(actor, "map.preview", services.Scope(role=w["your_role"]))
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit(request):
        raise services.TooLarge(f"the map is {size:,} bytes; the limit is {limit(request):,} bytes")
    wait = _buckets(request).take(actor.id)
    if wait:
        raise services.RateLimited("too many previews at once; the diagram catches up in a moment",
                                   wait)
    if not text.strip():
        return _json(EMPTY, 0.0)
    started = time.perf_counter()
    answer = _answer(text)
    return _json(answer, time.perf_counter() - started)


EMPTY = json.dumps({
    "loads": False, "counts": None, "findings": [], "svg": None,
    "errors": [{"file": None, "line": None, "column": None, "element": None,
                "message": "the map is empty", "hint": None, "text": "the map is empty"}]}).encode()


@functools.lru_cache(maxsize=PREVIEWS_KEPT)
def _answer(text: str) -> bytes:
    """The preview's JSON body, written once per map text."""
    return json.dumps(preview(text), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json(body: bytes, seconds: float) -> Response:
    """The answer as JSON, with the time procmap took on the server (``Server-Timing``, which
    the editor and the benchmark read to tell the server's part from the browser's)."""
    return Response(body, media_type="application/json",
                    headers={"Server-Timing": f"procmap;dur={seconds * 1000:.1f}"})


# --- the pages --------------------------------------------------------------------------------

def map_data(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """The map as data for the editor: procmap's own reading when it loads (so ``yes`` stays
    a label and durations read as written), else the YAML as plain data; None and why when
    the text is no YAML mapping at all."""
    loaded, _ = lib.try_load(text, "map.yaml")
    if loaded is not None:
        data = loaded.process.model_dump(by_alias=True, exclude_defaults=True, mode="json")
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            return None, f"the YAML cannot be read ({str(exc).splitlines()[0]})"
        if not isinstance(data, dict):
            return None, "the YAML is not a map (a mapping with process, actors and steps)"
        data = json.loads(json.dumps(data, default=str))
    for key in ("actors", "outcomes", "steps"):
        if not isinstance(data.get(key), dict):
            data[key] = {}
    data = {str(k): v for k, v in data.items()}
    data.setdefault("procmap", 1)
    return data, None


def _page(request: Request, actor: Actor, view: dict[str, Any], *, kind: str, title: str,
          back: str, save_url: str, preview_url: str, workshop: dict[str, Any]) -> Response:
    data, problem = map_data(view["yaml"])
    editor = {"kind": kind, "revision": view["revision"], "save_url": save_url,
              "preview_url": preview_url, "back": back, "map": data, "yaml": view["yaml"]}
    crumbs = [("Processes", "/"), (workshop["process_name"], f"/processes/{workshop['process']}"),
              (workshop["title"], f"/workshops/{workshop['id']}"), (title, back),
              ("edit visually", None)]
    return render(request, "editor.html", actor, title=f"Edit visually: {title}", crumbs=crumbs,
                  editor=editor, editor_problem=problem, back=back, heading=title)


@router.get("/workshops/{workshop_id}/draft/edit", openapi_extra=action("draft.own"),
            include_in_schema=False)
def edit_draft(workshop_id: int, request: Request) -> Response:
    """The visual editor of one's own draft."""
    with call(request) as (conn, actor):
        if not actor.signed_in:
            return signin_first(request)
        view = services.get_own_draft(conn, actor, workshop_id, analyse=False)
        w = services.get_workshop(conn, actor, workshop_id)
        if w["state"] != "drafting":
            raise services.Conflict(f"the drafts are closed: the workshop is {w['state']}")
    return _page(request, actor, view, kind="draft", title=f"Your draft: {w['process_name']}",
                 back=f"/workshops/{workshop_id}/draft",
                 save_url=f"/api/workshops/{workshop_id}/draft",
                 preview_url=f"/api/workshops/{workshop_id}/preview", workshop=w)


@router.get("/workshops/{workshop_id}/merged/edit", openapi_extra=action("merged.write"),
            include_in_schema=False)
def edit_merged(workshop_id: int, request: Request) -> Response:
    """The visual editor of the merged map (the facilitator, before the agreement)."""
    with call(request) as (conn, actor):
        if not actor.signed_in:
            return signin_first(request)
        w = services.get_workshop(conn, actor, workshop_id)
        services.require(actor, "merged.write", services.Scope(role=w["your_role"]))
        view = services.get_merged(conn, actor, workshop_id, analyse=False)
        if w["state"] != "merged":
            raise services.Conflict("the merged map can be edited after the merge and before the "
                                    f"agreement (the workshop is {w['state']})")
    return _page(request, actor, view, kind="merged", title=f"The merged map: {w['process_name']}",
                 back=f"/workshops/{workshop_id}/merged",
                 save_url=f"/api/workshops/{workshop_id}/merged",
                 preview_url=f"/api/workshops/{workshop_id}/preview", workshop=w)

