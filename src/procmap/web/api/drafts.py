"""Drafts: each participant's own map, saved with the revision it was based on."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile

from procmap.web import services
from procmap.web.api.common import call, limit, read_upload, send
from procmap.web.api.workshops import MapSave
from procmap.web.permissions import action

router = APIRouter(tags=["drafts"])


@router.get("/workshops/{workshop_id}/draft", openapi_extra=action("draft.own"))
def get_draft(workshop_id: int, request: Request) -> dict[str, Any]:
    """Your draft: yaml, revision, located errors, and when it loads scorecard, findings, svg."""
    with call(request) as (conn, actor):
        return services.get_own_draft(conn, actor, workshop_id)


@router.put("/workshops/{workshop_id}/draft", openapi_extra=action("draft.own"))
def save_draft(workshop_id: int, body: MapSave, request: Request) -> dict[str, Any]:
    """Save your draft; 409 with the difference when it changed since base_revision.
    A draft that does not load is saved with its located errors."""
    with call(request, write=True) as (conn, actor):
        return services.save_draft(conn, actor, workshop_id, body.yaml, body.base_revision,
                                   limit(request))


@router.post("/workshops/{workshop_id}/draft/upload", openapi_extra=action("draft.own"))
def upload_draft(workshop_id: int, request: Request, file: Annotated[UploadFile, File()],
                 base_revision: Annotated[int, Form()]) -> dict[str, Any]:
    """A YAML or BPMN file as your draft (BPMN imported by procmap; 413 past the size limit)."""
    size = limit(request)
    with call(request, write=True) as (conn, actor):
        return services.upload_draft(conn, actor, workshop_id, file.filename or "upload",
                                     read_upload(file, size), base_revision, size)


@router.get("/workshops/{workshop_id}/draft/download/{fmt}", openapi_extra=action("draft.own"))
def download_draft(workshop_id: int, fmt: str, request: Request) -> Response:
    with call(request) as (conn, actor):
        return send(services.draft_download(conn, actor, workshop_id, fmt))


@router.get("/workshops/{workshop_id}/drafts", openapi_extra=action("drafts.read"))
def list_drafts(workshop_id: int, request: Request) -> list[dict[str, Any]]:
    """Every participant's draft (the facilitator)."""
    with call(request) as (conn, actor):
        return services.list_drafts(conn, actor, workshop_id)


@router.get("/workshops/{workshop_id}/drafts/{user_id}", openapi_extra=action("drafts.read"))
def get_one_draft(workshop_id: int, user_id: int, request: Request) -> dict[str, Any]:
    """One participant's draft (the facilitator; anyone else: 404)."""
    with call(request) as (conn, actor):
        return services.get_draft(conn, actor, workshop_id, user_id)
