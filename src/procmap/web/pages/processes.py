"""The list of processes and workshops, a process with its versions, and comparing two versions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from procmap.web import services
from procmap.web.api.common import call, limit, read_upload
from procmap.web.pages.common import form, number, redirect, render, signin_first, text
from procmap.web.pages.maps import diff_view, map_page
from procmap.web.permissions import action, allowed

router = APIRouter(include_in_schema=False)


@router.get("/", openapi_extra=action("process.list"))
def home(request: Request) -> Response:
    with call(request, write=False) as (conn, actor):
        if not actor.signed_in:
            return signin_first(request)
        rows = services.list_processes(conn, actor)
        processes = [_row(conn, actor, p) for p in rows]
        workshops = [{"id": w["id"], "title": w["title"], "process_name": w["process_name"],
                      "role": w["your_role"] or ("admin" if actor.is_admin else ""), "state": w["state"]}
                     for w in services.list_workshops(conn, actor)]
        return render(request, "home.html", actor, title="Processes and workshops",
                      processes=processes, workshops=workshops)


def _row(conn: Any, actor: Any, p: dict[str, Any]) -> dict[str, Any]:
    latest = p.get("latest_version") or {}
    return {"key": p["key"], "name": p["name"], "level": p["level"], "owner": p["owner"],
            "versions": latest.get("number", 0), "steps": latest.get("steps"),
            "moments_of_truth": latest.get("moments_of_truth"),
            "break_points": latest.get("break_points"), "business_rules": latest.get("business_rules")}


@router.post("/processes", openapi_extra=action("process.create"))
async def create_process(request: Request) -> Response:
    data = await form(request)
    size = limit(request)
    upload = data.get("file")
    with call(request, write=True) as (conn, actor):
        services.require(actor, "process.create")
        if upload is not None and not isinstance(upload, str) and upload.filename:
            yaml, _warnings = services.upload_to_yaml(upload.filename, read_upload(upload, size), size)
            made = services.create_process(conn, actor, yaml=yaml, limit=size, file=upload.filename)
        else:
            made = services.create_process(conn, actor, key=text(data, "key", default=""),
                                           name=text(data, "name", default=""))
    return redirect(f"/processes/{made['key']}")


def _process_page(request: Request, key: str, diff: dict[str, Any] | None = None,
                  pair: tuple[int, int] | None = None) -> Response:
    with call(request, write=False) as (conn, actor):
        if not actor.signed_in:
            return signin_first(request)
        process = services.get_process(conn, actor, key)
        versions = services.list_versions(conn, actor, key)
        workshops = [w for w in services.list_workshops(conn, actor) if w["process"] == key]
        last = versions[-1]["number"] if versions else None
        compare_from, compare_to = pair or ((last - 1, last) if last and last > 1 else (None, None))
        return render(request, "process.html", actor, title=process["name"] or key,
                      crumbs=[("Processes", "/"), (process["name"] or key, None)],
                      process=process, versions=versions, workshops=workshops, diff=diff,
                      compare_from=compare_from, compare_to=compare_to,
                      can_open_workshop=allowed(actor, "workshop.create"))


@router.get("/processes/{key}", openapi_extra=action("process.read"))
def process_page(key: str, request: Request) -> Response:
    return _process_page(request, key)


@router.get("/processes/{key}/diff", openapi_extra=action("process.read"))
def diff_page(key: str, request: Request) -> Response:
    query = request.query_params
    a, b = number(query, "from"), number(query, "to")
    with call(request, write=False) as (conn, actor):
        if not actor.signed_in:
            return signin_first(request)
        result = services.diff_versions(conn, actor, key, a, b)
    view = diff_view(result["summary"], f"Version {a} → version {b}", result["text_diff"])
    return _process_page(request, key, view, (a, b))


@router.get("/processes/{key}/versions/{version}", openapi_extra=action("process.read"))
def version_page(key: str, version: int, request: Request) -> Response:
    with call(request, write=False) as (conn, actor):
        if not actor.signed_in:
            return signin_first(request)
        process = services.get_process(conn, actor, key)
        shown = services.get_version(conn, actor, key, version, analyse=False)
        heading = f"{process['name'] or key}, version {version}"
        subtitle = f"{shown['message'] or ''} · by {shown['author'] or 'unknown'} · {shown['created_at']}"
        return map_page(request, actor, shown, kind="version", heading=heading, subtitle=subtitle,
                        crumbs=[("Processes", "/"), (process["name"] or key, f"/processes/{key}"),
                                (f"version {version}", None)],
                        download_url=f"/api/processes/{key}/versions/{version}/download",
                        self_url=f"/processes/{key}/versions/{version}")


@router.post("/workshops", openapi_extra=action("workshop.create"))
async def create_workshop(request: Request) -> Response:
    data = await form(request)
    with call(request, write=True) as (conn, actor):
        made = services.create_workshop(conn, actor, text(data, "process"), text(data, "title", default=""))
    return redirect(f"/workshops/{made['id']}")
