"""The editor's BPMN view: the same map in bpmn-js, for those who want to draw BPMN.

``POST /api/workshops/{id}/to-bpmn {yaml}`` answers the editor's map (saved or not) as
procmap's BPMN export (``procmap.export_bpmn``, with procmap's extension elements that
keep lanes as actors, owners, outcomes and the step fields BPMN has no place for); the
page shows it in bpmn-js's Modeler (``static/bpmn-view.js``, bpmn-js vendored under
``static/vendor/bpmn-js``). Nothing is saved.

``POST /api/workshops/{id}/draft/from-bpmn {xml, base_revision}`` (and
``…/merged/from-bpmn`` for the facilitator's merged map) brings the BPMN back: procmap
reads it (``procmap.read_bpmn_bytes``: no DTD, no entities, size-limited, errors located),
and the map it reads is saved with the stale-save rule (409 with the difference when the
map changed since ``base_revision``). The answer carries the importer's located warnings
(what could not come back: the elements procmap cannot map, named) and the map as the
editor's data, so the editor reloads it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from pydantic import BaseModel

from procmap.web import lib, services
from procmap.web.api.common import call, limit
from procmap.web.pages.editor import map_data
from procmap.web.permissions import action

router = APIRouter(tags=["editor"])

FILE = "bpmn-view.bpmn"
"""The name the BPMN view's XML goes by in located messages."""


class ToBpmn(BaseModel):
    yaml: str = ""


class FromBpmn(BaseModel):
    xml: str
    base_revision: int


def export(text: str, size: int) -> dict[str, Any]:
    """A map text as procmap's BPMN; 400 with the located errors when it does not load."""
    used = len(text.encode("utf-8", "surrogatepass"))
    if used > size:
        raise services.TooLarge(f"the map is {used:,} bytes; the limit is {size:,} bytes")
    if not text.strip():
        raise services.BadInput("the map is empty: draw a step first")
    loaded, errors = lib.try_load(text, "map.yaml")
    if loaded is None:
        raise services.BadInput("the map does not load yet, so it has no BPMN: fix its errors "
                                "first", errors=errors)
    if not loaded.process.steps:
        raise services.BadInput("the map has no steps yet: draw a step first")
    xml = lib.download(text, loaded, "bpmn", loaded.process.name or loaded.process.process)
    return {"xml": xml.decode("utf-8"), "file": f"{loaded.process.process}.bpmn"}


def read(xml: str, size: int) -> tuple[str, list[dict[str, Any]]]:
    """The BPMN view's XML as map YAML and the importer's located warnings (413 past the
    size limit, 400 with located errors when procmap refuses it)."""
    data = xml.encode("utf-8", "surrogatepass")
    if len(data) > size:
        raise services.TooLarge(f"the BPMN is {len(data):,} bytes; the limit is {size:,} bytes")
    return services.upload_to_yaml(FILE, data, size)


def _answer(saved: dict[str, Any], warnings: list[dict[str, Any]]) -> dict[str, Any]:
    data, _ = map_data(saved["yaml"])
    return {**saved, "warnings": warnings, "map": data}


@router.post("/api/workshops/{workshop_id}/to-bpmn", openapi_extra=action("map.preview"))
def to_bpmn(workshop_id: int, request: Request,
            body: Annotated[ToBpmn | None, Body()] = None) -> dict[str, Any]:
    """The editor's map as procmap's BPMN export (``xml``), for the BPMN view; nothing saved.
    400 with the located errors when the map does not load."""
    with call(request) as (conn, actor):
        w = services.get_workshop(conn, actor, workshop_id)
        services.require(actor, "map.preview", services.Scope(role=w["your_role"]))
    return export(body.yaml if body is not None else "", limit(request))


@router.post("/api/workshops/{workshop_id}/draft/from-bpmn", openapi_extra=action("draft.own"))
def draft_from_bpmn(workshop_id: int, body: FromBpmn, request: Request) -> dict[str, Any]:
    """The BPMN view's changes into your draft: procmap reads the XML and the map is saved if
    the draft is still at ``base_revision`` (else 409 with the difference). ``warnings``: what
    could not come back, located and named; ``map``: the draft as the editor's data."""
    size = limit(request)
    with call(request, write=True) as (conn, actor):
        w = services.get_workshop(conn, actor, workshop_id)
        services.require(actor, "draft.own", services.Scope(role=w["your_role"]))
        text, warnings = read(body.xml, size)
        saved = services.save_draft(conn, actor, workshop_id, text, body.base_revision, size)
    return _answer(saved, warnings)


@router.post("/api/workshops/{workshop_id}/merged/from-bpmn",
             openapi_extra=action("merged.write"))
def merged_from_bpmn(workshop_id: int, body: FromBpmn, request: Request) -> dict[str, Any]:
    """The BPMN view's changes into the merged map (the facilitator, before the agreement),
    with the same stale-save rule and warnings."""
    size = limit(request)
    with call(request, write=True) as (conn, actor):
        w = services.get_workshop(conn, actor, workshop_id)
        services.require(actor, "merged.write", services.Scope(role=w["your_role"]))
        text, warnings = read(body.xml, size)
        saved = services.save_merged(conn, actor, workshop_id, text, body.base_revision, size)
    return _answer(saved, warnings)
