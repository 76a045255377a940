"""The catalog of processes: list, create (from YAML, an upload, or empty), read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import BaseModel

from procmap.web import services
from procmap.web.api.common import call, limit, read_upload
from procmap.web.permissions import action

router = APIRouter(tags=["processes"])


class NewProcess(BaseModel):
    yaml: str | None = None
    key: str | None = None
    name: str | None = None
    message: str = ""


@router.get("/processes", openapi_extra=action("process.list"))
def list_processes(request: Request) -> list[dict[str, Any]]:
    with call(request) as (conn, actor):
        return services.list_processes(conn, actor)


@router.post("/processes", status_code=201, openapi_extra=action("process.create"))
def create_process(body: NewProcess, request: Request) -> dict[str, Any]:
    """A process from a map's YAML (its version 1; the key is the map's process id), or empty
    from a key and a name."""
    with call(request, write=True) as (conn, actor):
        return services.create_process(conn, actor, yaml=body.yaml, key=body.key, name=body.name,
                                       message=body.message, limit=limit(request))


@router.post("/processes/upload", status_code=201, openapi_extra=action("process.create"))
def upload_process(request: Request, file: Annotated[UploadFile, File()],
                   message: Annotated[str, Form()] = "") -> dict[str, Any]:
    """A process from an uploaded YAML or BPMN file (BPMN is imported by procmap)."""
    with call(request, write=True) as (conn, actor):
        services.require(actor, "process.create")
        text, warnings = services.upload_to_yaml(file.filename or "upload",
                                                 read_upload(file, limit(request)), limit(request))
        result = services.create_process(conn, actor, yaml=text, message=message or
                                         f"imported from {file.filename}", limit=limit(request),
                                         file=file.filename or "upload.yaml")
        return {**result, "warnings": warnings}


@router.get("/processes/{key}", openapi_extra=action("process.read"))
def get_process(key: str, request: Request) -> dict[str, Any]:
    with call(request) as (conn, actor):
        return services.get_process(conn, actor, key)
