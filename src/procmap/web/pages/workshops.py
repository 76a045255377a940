"""A workshop: invites and participants, drafts, the merge and agreement report, the agreement;
the draft and merged map pages; comments."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from procmap.web import services
from procmap.web.api.common import call, limit, read_upload
from procmap.web.pages.common import back_to, form, number, redirect, render, signin_first, text
from procmap.web.pages.maps import diff_view, map_page, stale_view
from procmap.web.permissions import Actor, action

router = APIRouter(include_in_schema=False)


def _crumbs(w: dict[str, Any], last: str | None = None) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [("Processes", "/"), (w["process_name"], f"/processes/{w['process']}"),
                                            (w["title"], f"/workshops/{w['id']}" if last else None)]
    if last:
        crumbs.append((last, None))
    return crumbs


def _role(w: dict[str, Any], actor: Actor) -> str:
    return w["your_role"] or ("admin" if actor.is_admin else "")


def _workshop_page(request: Request, workshop_id: int, invite_url: str | None = None,
                   notice: str | None = None) -> Response:
    with call(request, write=False) as (conn, actor):
        if not actor.signed_in:
            return signin_first(request)
        w = services.get_workshop(conn, actor, workshop_id)
        role = _role(w, actor)
        facilitating = services.allowed(actor, "drafts.read", services.Scope(role=w["your_role"]))
        own = None
        if w["your_role"] == "participant":
            own = services.get_own_draft(conn, actor, workshop_id, analyse=False)
        participants = []
        if facilitating:
            by_user = {d["user_id"]: d for d in services.list_drafts(conn, actor, workshop_id)}
            for m in w["members"]:
                if m["role"] == "facilitator":
                    continue
                d = by_user.get(m["id"])
                participants.append({"user_id": m["id"], "name": m["name"], "role": m["role"],
                                     "has_draft": d is not None,
                                     "revision": d["revision"] if d else None,
                                     "updated_at": d["updated_at"] if d else None,
                                     "loads": d["loads"] if d else None})
        report = None
        if w["state"] != "drafting":
            report = services.get_merged(conn, actor, workshop_id, analyse=False)["report"]
            report["left_out"] = [x["participant"] for x in report.get("left_out", [])]
        diff = None
        agreed = w["agreed_version"]
        if w["state"] == "agreed" and agreed and agreed > 1:
            result = services.diff_versions(conn, actor, w["process"], agreed - 1, agreed)
            diff = diff_view(result["summary"], f"Version {agreed - 1} → version {agreed}",
                             result["text_diff"])
        view = {"id": w["id"], "title": w["title"], "state": w["state"], "process_key": w["process"],
                "process_name": w["process_name"], "facilitator_name": w["facilitator"],
                "merged_revision": w["merged_revision"]}
        return render(request, "workshop.html", actor, title=w["title"], crumbs=_crumbs(w),
                      workshop=view, role=role, own_draft=own, participants=participants,
                      report=report, agreed_version=agreed, diff=diff, invite_url=invite_url,
                      notice=notice or _notice(request))


def _notice(request: Request) -> str | None:
    saved = request.query_params.get("saved")
    return f"Saved: revision {saved}." if saved and saved.isdigit() else None


@router.get("/workshops/{workshop_id}", openapi_extra=action("workshop.read"))
def workshop_page(workshop_id: int, request: Request) -> Response:
    return _workshop_page(request, workshop_id)


@router.post("/workshops/{workshop_id}/invites", openapi_extra=action("invite.create"))
async def invite(workshop_id: int, request: Request) -> Response:
    data = await form(request)
    with call(request, write=True) as (conn, actor):
        made = services.create_invite(conn, actor, workshop_id, text(data, "role", default="participant"),
                                      number(data, "days", default=7))
    url = str(request.base_url).rstrip("/") + made["path"]
    return _workshop_page(request, workshop_id, invite_url=url,
                          notice=f"Invite link for one {made['role']} made; it works until {made['expires_at']}.")


@router.post("/workshops/{workshop_id}/merge", openapi_extra=action("merge"))
async def merge(workshop_id: int, request: Request) -> Response:
    with call(request, write=True) as (conn, actor):
        services.merge(conn, actor, workshop_id)
    return redirect(f"/workshops/{workshop_id}#agreement")


@router.post("/workshops/{workshop_id}/agree", openapi_extra=action("agree"))
async def agree(workshop_id: int, request: Request) -> Response:
    data = await form(request)
    base = data.get("merged_revision")
    with call(request, write=True) as (conn, actor):
        services.agree(conn, actor, workshop_id, text(data, "message", default=""),
                       number(data, "merged_revision") if base not in (None, "") else None)
    return redirect(f"/workshops/{workshop_id}")


# --- drafts ---------------------------------------------------------------------------------

def _comments(conn: Any, actor: Actor, workshop_id: int, target: str,
              owner: int | None = None) -> list[dict[str, Any]]:
    return [c for c in services.list_comments(conn, actor, workshop_id)
            if c["target"] == target and (owner is None or c["draft_user_id"] == owner)]


def _draft_page(request: Request, workshop_id: int, *, stale: dict[str, Any] | None = None,
                yours: str | None = None, errors: list[dict[str, Any]] | None = None,
                status: int = 200) -> Response:
    with call(request, write=False) as (conn, actor):
        if not actor.signed_in:
            return signin_first(request)
        view = services.get_own_draft(conn, actor, workshop_id, analyse=False)
        w = services.get_workshop(conn, actor, workshop_id)
        if errors:
            view = {**view, "errors": errors}
        open_ = w["state"] == "drafting"
        base = f"/workshops/{workshop_id}/draft"
        return map_page(
            request, actor, view, kind="draft", heading=f"Your draft: {w['process_name']}",
            subtitle=f"{w['title']} · only you and the facilitator see it"
            + ("" if open_ else f" · the workshop is {w['state']}: drafts are closed"),
            crumbs=_crumbs(w, "your draft"), download_url=f"/api{base}/download", self_url=base,
            save_url=base if open_ else None, upload_url=f"{base}/upload" if open_ else None,
            comments_url=f"/workshops/{workshop_id}/comments",
            comments=_comments(conn, actor, workshop_id, "draft", actor.id),
            can_comment=services.allowed(actor, "comment.write", services.Scope(role=w["your_role"])),
            stale=stale, editor_text=yours, notice=_notice(request), status=status)


@router.get("/workshops/{workshop_id}/draft", openapi_extra=action("draft.own"))
def draft_page(workshop_id: int, request: Request) -> Response:
    return _draft_page(request, workshop_id)


async def _save_form(request: Request, workshop_id: int, save: Any, page: Any, where: str) -> Response:
    """Save the YAML of a page's editor with the revision it was based on; a stale save
    shows the page again with the difference and the text as typed (409)."""
    data = await form(request)
    yaml, base = text(data, "yaml").replace("\r\n", "\n"), number(data, "base_revision")
    try:
        with call(request, write=True) as (conn, actor):
            saved = save(conn, actor, workshop_id, yaml, base, limit(request))
    except services.Stale as exc:
        return page(request, workshop_id, stale=stale_view(exc, base), yours=yaml, status=409)
    return redirect(f"/workshops/{workshop_id}/{where}?saved={saved['revision']}")


@router.post("/workshops/{workshop_id}/draft", openapi_extra=action("draft.own"))
async def save_draft(workshop_id: int, request: Request) -> Response:
    return await _save_form(request, workshop_id, services.save_draft, _draft_page, "draft")


@router.post("/workshops/{workshop_id}/draft/upload", openapi_extra=action("draft.own"))
async def upload_draft(workshop_id: int, request: Request) -> Response:
    data = await form(request)
    upload = data.get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise services.BadInput("choose a YAML or BPMN file to upload")
    base = number(data, "base_revision")
    size = limit(request)
    content = read_upload(upload, size)
    try:
        with call(request, write=True) as (conn, actor):
            saved = services.upload_draft(conn, actor, workshop_id, upload.filename, content, base, size)
    except services.Stale as exc:
        return _draft_page(request, workshop_id, stale=stale_view(exc, base), status=409)
    return redirect(f"/workshops/{workshop_id}/draft?saved={saved['revision']}")


@router.get("/workshops/{workshop_id}/drafts/{user_id}", openapi_extra=action("drafts.read"))
def someones_draft(workshop_id: int, user_id: int, request: Request) -> Response:
    with call(request, write=False) as (conn, actor):
        if not actor.signed_in:
            return signin_first(request)
        view = services.get_draft(conn, actor, workshop_id, user_id, analyse=False)
        w = services.get_workshop(conn, actor, workshop_id)
        return map_page(
            request, actor, view, kind="draft", heading=f"{view['author']}'s draft: {w['process_name']}",
            subtitle=f"{w['title']} · you see it as the facilitator", crumbs=_crumbs(w, f"{view['author']}'s draft"),
            download_url=None, self_url=f"/workshops/{workshop_id}/drafts/{user_id}",
            comments_url=f"/workshops/{workshop_id}/comments?draft={user_id}",
            comments=_comments(conn, actor, workshop_id, "draft", user_id),
            can_comment=services.allowed(actor, "comment.write", services.Scope(role=w["your_role"])))


# --- the merged map -------------------------------------------------------------------------

def _merged_page(request: Request, workshop_id: int, *, stale: dict[str, Any] | None = None,
                 yours: str | None = None, status: int = 200) -> Response:
    with call(request, write=False) as (conn, actor):
        if not actor.signed_in:
            return signin_first(request)
        view = services.get_merged(conn, actor, workshop_id, analyse=False)
        w = services.get_workshop(conn, actor, workshop_id)
        scope = services.Scope(role=w["your_role"])
        editable = w["state"] == "merged" and services.allowed(actor, "merged.write", scope)
        base = f"/workshops/{workshop_id}/merged"
        return map_page(
            request, actor, view, kind="merged", heading=f"The merged map: {w['process_name']}",
            subtitle=f"{w['title']} · merged from the drafts of {', '.join(view['report'].get('participants', []))}",
            crumbs=_crumbs(w, "merged map"), download_url=f"/api{base}/download", self_url=base,
            save_url=base if editable else None, upload_url=None,
            comments_url=f"/workshops/{workshop_id}/comments",
            comments=_comments(conn, actor, workshop_id, "merged"),
            can_comment=services.allowed(actor, "comment.write", scope),
            stale=stale, editor_text=yours, notice=_notice(request), status=status)


@router.get("/workshops/{workshop_id}/merged", openapi_extra=action("merged.read"))
def merged_page(workshop_id: int, request: Request) -> Response:
    return _merged_page(request, workshop_id)


@router.post("/workshops/{workshop_id}/merged", openapi_extra=action("merged.write"))
async def save_merged(workshop_id: int, request: Request) -> Response:
    return await _save_form(request, workshop_id, services.save_merged, _merged_page, "merged")


# --- comments -------------------------------------------------------------------------------

@router.post("/workshops/{workshop_id}/comments", openapi_extra=action("comment.write"))
async def comment(workshop_id: int, request: Request) -> Response:
    data = await form(request)
    draft_user = request.query_params.get("draft")
    parent = data.get("parent_id")
    back = back_to(data, f"/workshops/{workshop_id}")
    target = "draft" if back.endswith("/draft") or draft_user else "merged"
    with call(request, write=True) as (conn, actor):
        services.add_comment(
            conn, actor, workshop_id, body=text(data, "body", default=""), target=target,
            step_id=text(data, "step_id", default="") or None,
            parent_id=number(data, "parent_id") if parent not in (None, "") else None,
            draft_user_id=number({"draft": draft_user}, "draft") if draft_user else None)
    return redirect(back + "#comments")


@router.post("/comments/{comment_id}/resolve", openapi_extra=action("comment.resolve"))
async def resolve(comment_id: int, request: Request) -> Response:
    data = await form(request)
    with call(request, write=True) as (conn, actor):
        done = services.resolve_comment(conn, actor, comment_id)
    return redirect(back_to(data, f"/workshops/{done['workshop']}") + "#comments")
