"""A process's versions (immutable), their downloads, and the diff between two."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response

from procmap.web import services
from procmap.web.api.common import call, send
from procmap.web.permissions import action

router = APIRouter(tags=["versions"])


@router.get("/processes/{key}/versions", openapi_extra=action("process.read"))
def list_versions(key: str, request: Request) -> list[dict[str, Any]]:
    with call(request) as (conn, actor):
        return services.list_versions(conn, actor, key)


@router.get("/processes/{key}/versions/{number}", openapi_extra=action("process.read"))
def get_version(key: str, number: int, request: Request) -> dict[str, Any]:
    """One version: its YAML, scorecard, findings and diagram."""
    with call(request) as (conn, actor):
        return services.get_version(conn, actor, key, number)


@router.get("/processes/{key}/versions/{number}/download/{fmt}",
            openapi_extra=action("process.read"))
def download_version(key: str, number: int, fmt: str, request: Request) -> Response:
    """yaml, bpmn, svg, png or html (the report)."""
    with call(request) as (conn, actor):
        return send(services.version_download(conn, actor, key, number, fmt))


@router.get("/processes/{key}/diff", openapi_extra=action("process.read"))
def diff(key: str, request: Request, from_: int = Query(..., alias="from"),
         to: int = Query(...)) -> dict[str, Any]:
    """procmap diff's outside-in deltas from one version to another."""
    with call(request) as (conn, actor):
        return services.diff_versions(conn, actor, key, from_, to)
