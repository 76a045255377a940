"""Comments pinned to a step of a draft, the merged map or a version; replies; resolving."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from procmap.web import services
from procmap.web.api.common import call
from procmap.web.permissions import action

router = APIRouter(tags=["comments"])


class NewComment(BaseModel):
    body: str
    target: str = "merged"  # draft | merged | version
    step_id: str | None = None
    parent_id: int | None = None
    version: int | None = None
    draft_user_id: int | None = None


@router.get("/workshops/{workshop_id}/comments", openapi_extra=action("comment.read"))
def list_comments(workshop_id: int, request: Request) -> list[dict[str, Any]]:
    with call(request) as (conn, actor):
        return services.list_comments(conn, actor, workshop_id)


@router.post("/workshops/{workshop_id}/comments", status_code=201,
             openapi_extra=action("comment.write"))
def add_comment(workshop_id: int, body: NewComment, request: Request) -> dict[str, Any]:
    with call(request, write=True) as (conn, actor):
        return services.add_comment(conn, actor, workshop_id, body=body.body, target=body.target,
                                    step_id=body.step_id, parent_id=body.parent_id,
                                    version=body.version, draft_user_id=body.draft_user_id)


@router.post("/comments/{comment_id}/resolve", openapi_extra=action("comment.resolve"))
def resolve(comment_id: int, request: Request) -> dict[str, Any]:
    with call(request, write=True) as (conn, actor):
        return services.resolve_comment(conn, actor, comment_id)
