"""The visual map editor: typing, not drawing.

Pages: ``/workshops/{id}/draft/edit`` (a participant's own draft) and
``/workshops/{id}/merged/edit`` (the facilitator's merged map). The page keeps
the map as data (the map's own fields, as procmap reads them) in the browser
(``static/editor.js``), writes it as the YAML procmap reads, and saves it
through the existing map API with the revision it was based on (a stale save is
refused with the difference, never applied).

``POST /api/workshops/{id}/preview {yaml, base}`` answers the method live
without saving anything: procmap's swimlane SVG with its overlays, the
scorecard's counts, the findings, or the located errors of a map that does not
load. Each SVG has an id (``svg_id``); a page that shows one sends it as
``base``, and when the new diagram differs from it only in some lanes, flows,
steps or badges, the answer carries just those (``patch``), the page puts them
in place of the old ones and shows the same document, byte for byte. It is
size-limited like every save and rate-limited per account. procmap itself
computes everything (through ``lib``); this module only carries it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
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
    base: str | None = None
    """The ``svg_id`` of the diagram the page shows: the answer may carry only what differs."""


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
    counted on the scorecard); the SVG also in its parts (``drawing``, not sent). A name being
    typed is read into the map loaded a moment ago, not the whole text again."""
    loaded, errors = lib.try_load_edited(text, "map.yaml")
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
            "findings": findings, "svg": data["svg"], "drawing": data["drawing"]}


@router.post("/api/workshops/{workshop_id}/preview", openapi_extra=action("map.preview"),
             tags=["editor"])
def preview_map(workshop_id: int, request: Request,
                body: Annotated[Preview | None, Body()] = None) -> Response:
    """The diagram (procmap's swimlane SVG with overlays), the scorecard's counts and the findings
    of a map text, or its located errors; nothing is saved. For the editor of a draft or the
    merged map: participants and the facilitator. Size-limited like a save, rate-limited."""
    text = body.yaml if body is not None else ""
    base = body.base if body is not None else None
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
        return _json(EMPTY, 0.0, 0.0)
    started, cpu = time.perf_counter(), time.thread_time()
    body = _answer(text).against(base)
    return _json(body, time.perf_counter() - started, time.thread_time() - cpu)


EMPTY = json.dumps({
    "loads": False, "counts": None, "findings": [], "svg": None, "svg_id": None,
    "errors": [{"file": None, "line": None, "column": None, "element": None,
                "message": "the map is empty", "hint": None, "text": "the map is empty"}]}).encode()


def _dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class _Answer:
    """procmap's answer for one map text: the JSON of all of it but the diagram (``rest``, an
    object left open), the diagram's id and its parts."""

    rest: bytes
    svg_id: str | None
    drawing: Any

    @functools.cached_property
    def full(self) -> bytes:
        """The whole answer, the SVG in it."""
        svg = None if self.drawing is None else self.drawing.text
        return self.rest + b',"svg":' + _dumps(svg) + b',"svg_id":' + _dumps(self.svg_id) + b"}"

    def against(self, base: str | None) -> bytes:
        """The answer for a page that shows the diagram ``base``: only the parts of the diagram
        that differ from it (``patch``) when it is known and they are few, else the whole."""
        before = _drawings.get(base) if base and self.drawing is not None else None
        changes = None if before is None else self.drawing.changes(before)
        if changes is None:
            return self.full
        patch = {"base": base, "parts": changes}
        return (self.rest + b',"svg":null,"svg_id":' + _dumps(self.svg_id) + b',"patch":'
                + _dumps(patch) + b"}")


class _Drawings:
    """The diagrams answered last, by id (the parts a patch is made against)."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self.lock = threading.Lock()
        self.found: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str) -> Any:
        with self.lock:
            return self.found.get(key)

    def put(self, key: str, drawing: Any) -> None:
        with self.lock:
            self.found[key] = drawing
            self.found.move_to_end(key)
            while len(self.found) > self.kept:
                self.found.popitem(last=False)


_drawings = _Drawings(2 * PREVIEWS_KEPT)


@functools.lru_cache(maxsize=PREVIEWS_KEPT)
def _answer(text: str) -> _Answer:
    """The preview's answer, computed and written once per map text."""
    data = preview(text)
    drawing = data.pop("drawing", None)
    del data["svg"]
    svg_id = None
    if drawing is not None:
        svg_id = hashlib.blake2b(drawing.text.encode("utf-8"), digest_size=12).hexdigest()
        _drawings.put(svg_id, drawing)
    return _Answer(_dumps(data)[:-1], svg_id, drawing)


def _json(body: bytes, seconds: float, cpu: float) -> Response:
    """The answer as JSON, with the time procmap took on the server and the processor time it
    used (``Server-Timing``, which the editor and the benchmark read to tell the server's part
    from the browser's; on a busy machine the first grows with the wait for a processor)."""
    return Response(body, media_type="application/json", headers={
        "Server-Timing": f"procmap;dur={seconds * 1000:.1f}, cpu;dur={cpu * 1000:.1f}"})


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

