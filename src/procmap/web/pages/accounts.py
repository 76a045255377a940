"""Sign in and out, and invite links (sign in or create an account, then join)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from procmap.web import services
from procmap.web.api.common import address, call, server
from procmap.web.auth import csrf_token
from procmap.web.pages.common import back_to, form, redirect, render, text
from procmap.web.permissions import action

router = APIRouter(include_in_schema=False)


@router.get("/signin", openapi_extra=action("public"))
def signin_page(request: Request, next: str = "/") -> Response:
    with call(request, write=False) as (_, actor):
        return render(request, "signin.html", actor, title="Sign in", next=_local(next))


def _local(path: str) -> str:
    return path if path.startswith("/") and not path.startswith("//") else "/"


@router.post("/signin", openapi_extra=action("public"))
async def signin(request: Request) -> Response:
    data = await form(request)
    email, password = text(data, "email", default=""), text(data, "password", default="")
    srv = server(request)
    try:
        with call(request, write=True) as (conn, _):
            actor = services.login(conn, srv.ctx, email, password, address(request))
    except services.Unauthorized as exc:
        return render(request, "signin.html", None, status=401, title="Sign in",
                      problem=exc.message, email=email, next=back_to({"back": data.get("next")}, "/"))
    response = redirect(back_to({"back": data.get("next")}, "/"))
    srv.sessions.start(response, actor.id, csrf_token(request))  # type: ignore[arg-type]
    return response


@router.post("/signout", openapi_extra=action("session.end"))
def signout(request: Request) -> Response:
    with call(request, write=False) as (_, actor):
        services.require(actor, "session.end")
    response = redirect("/signin")
    server(request).sessions.end(response)
    return response


@router.get("/invites/{token}", openapi_extra=action("invite.accept"))
def invite_page(token: str, request: Request) -> Response:
    with call(request, write=False) as (conn, actor):
        info = services.invite_info(conn, token)
        return render(request, "invite.html", actor, title="Invitation", invite=info, token=token)


@router.post("/invites/{token}", openapi_extra=action("invite.accept"))
async def accept(token: str, request: Request) -> Response:
    data = await form(request)
    mode = text(data, "mode", default="join")
    srv = server(request)
    started = None
    with call(request, write=True) as (conn, actor):
        if mode == "signin" and not actor.signed_in:
            actor = services.login(conn, srv.ctx, text(data, "email", default=""),
                                   text(data, "password", default=""), address(request))
            started = actor
        if mode == "create" and not actor.signed_in:
            joined, workshop = services.accept_invite(
                conn, srv.ctx, actor, token, email=text(data, "email", default=""),
                name=text(data, "name", default=""), password=text(data, "password", default=""))
            started = joined
        else:
            _, workshop = services.accept_invite(conn, srv.ctx, actor, token)
    response = redirect(f"/workshops/{workshop['id']}")
    if started is not None:
        srv.sessions.start(response, started.id, csrf_token(request))  # type: ignore[arg-type]
    return response
