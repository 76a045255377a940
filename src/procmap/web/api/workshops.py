"""Workshops, invites, the merge, the merged map and the agreement."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from procmap.web import services
from procmap.web.api.common import call, limit, send, server
from procmap.web.auth import csrf_token
from procmap.web.permissions import action

router = APIRouter(tags=["workshops"])


class NewWorkshop(BaseModel):
    process: str
    title: str = ""


class NewInvite(BaseModel):
    role: str = "participant"
    days: float = 7


class Acceptance(BaseModel):
    email: str | None = None
    name: str | None = None
    password: str | None = None


class MapSave(BaseModel):
    yaml: str
    base_revision: int


class Choice(BaseModel):
    conflict: int
    participant: str
    base_revision: int


class Agreement(BaseModel):
    message: str = ""
    base_revision: int | None = None


@router.get("/workshops", openapi_extra=action("workshop.list"))
def list_workshops(request: Request) -> list[dict[str, Any]]:
    with call(request) as (conn, actor):
        return services.list_workshops(conn, actor)


@router.post("/workshops", status_code=201, openapi_extra=action("workshop.create"))
def create_workshop(body: NewWorkshop, request: Request) -> dict[str, Any]:
    """A workshop on a process; you facilitate it."""
    with call(request, write=True) as (conn, actor):
        return services.create_workshop(conn, actor, body.process, body.title)


@router.get("/workshops/{workshop_id}", openapi_extra=action("workshop.read"))
def get_workshop(workshop_id: int, request: Request) -> dict[str, Any]:
    with call(request) as (conn, actor):
        return services.get_workshop(conn, actor, workshop_id)


@router.post("/workshops/{workshop_id}/invites", status_code=201,
             openapi_extra=action("invite.create"))
def create_invite(workshop_id: int, body: NewInvite, request: Request) -> dict[str, Any]:
    """An invite link (participant or viewer) that expires; the token is shown once."""
    with call(request, write=True) as (conn, actor):
        return services.create_invite(conn, actor, workshop_id, body.role, body.days)


@router.post("/invites/{token}/accept", openapi_extra=action("invite.accept"))
def accept_invite(token: str, body: Acceptance, request: Request,
                  response: Response) -> dict[str, Any]:
    """Join by an invite: signed in, or with email, name and password for a new account."""
    srv = server(request)
    with call(request, write=True) as (conn, actor):
        joined, workshop = services.accept_invite(conn, srv.ctx, actor, token, email=body.email,
                                                  name=body.name, password=body.password)
    if not actor.signed_in:
        srv.sessions.start(response, joined.id, csrf_token(request))  # type: ignore[arg-type]
    return workshop


@router.post("/workshops/{workshop_id}/merge", openapi_extra=action("merge"))
def merge(workshop_id: int, request: Request) -> dict[str, Any]:
    """procmap's merge of every draft that loads: the merged map and the agreement report."""
    with call(request, write=True) as (conn, actor):
        return services.merge(conn, actor, workshop_id)


@router.get("/workshops/{workshop_id}/merged", openapi_extra=action("merged.read"))
def get_merged(workshop_id: int, request: Request) -> dict[str, Any]:
    with call(request) as (conn, actor):
        return services.get_merged(conn, actor, workshop_id)


@router.put("/workshops/{workshop_id}/merged", openapi_extra=action("merged.write"))
def save_merged(workshop_id: int, body: MapSave, request: Request) -> dict[str, Any]:
    """The facilitator resolves conflicts by editing the merged map; 409 when stale."""
    with call(request, write=True) as (conn, actor):
        return services.save_merged(conn, actor, workshop_id, body.yaml, body.base_revision,
                                    limit(request))


@router.post("/workshops/{workshop_id}/merged/choose", openapi_extra=action("merged.write"))
def choose(workshop_id: int, body: Choice, request: Request) -> dict[str, Any]:
    """Settle a conflict (its index in the report) with one participant's value; 409 when stale."""
    with call(request, write=True) as (conn, actor):
        return services.choose(conn, actor, workshop_id, body.conflict, body.participant,
                               body.base_revision)


@router.get("/workshops/{workshop_id}/merged/download/{fmt}", openapi_extra=action("merged.read"))
def download_merged(workshop_id: int, fmt: str, request: Request) -> Response:
    with call(request) as (conn, actor):
        return send(services.merged_download(conn, actor, workshop_id, fmt))


@router.post("/workshops/{workshop_id}/agree", openapi_extra=action("agree"))
def agree(workshop_id: int, body: Agreement, request: Request) -> dict[str, Any]:
    """The merged map becomes the process's next version."""
    with call(request, write=True) as (conn, actor):
        return services.agree(conn, actor, workshop_id, body.message, body.base_revision)


@router.get("/invites/{token}", openapi_extra=action("public"))
def invite_info(token: str, request: Request) -> dict[str, Any]:
    """What an invite link is for (workshop, role, expiry); 404 when unknown, used or expired."""
    with call(request) as (conn, _):
        return services.invite_info(conn, token)
