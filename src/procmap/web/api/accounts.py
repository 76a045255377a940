"""Sign in and out, the CSRF token, the signed-in account, accounts made by an admin."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from procmap.web import services
from procmap.web.api.common import address, call, server
from procmap.web.auth import csrf_token
from procmap.web.permissions import action

router = APIRouter(tags=["accounts"])


class SignIn(BaseModel):
    email: str
    password: str


class NewAccount(BaseModel):
    email: str
    name: str
    password: str
    is_admin: bool = False


@router.get("/csrf", openapi_extra=action("public"))
def get_csrf(request: Request) -> dict[str, str]:
    """The CSRF token to send as X-CSRF-Token with every POST, PUT and DELETE (also in the
    procmap_csrf cookie)."""
    return {"csrf_token": csrf_token(request), "header": "X-CSRF-Token"}


@router.post("/session", openapi_extra=action("public"))
def sign_in(body: SignIn, request: Request, response: Response) -> dict[str, Any]:
    """Sign in: sets the session cookie. 401 for a wrong password, 429 after too many."""
    srv = server(request)
    with call(request, write=True) as (conn, _):
        actor = services.login(conn, srv.ctx, body.email, body.password, address(request))
    srv.sessions.start(response, actor.id, csrf_token(request))  # type: ignore[arg-type]
    return services.account(actor)


@router.delete("/session", openapi_extra=action("session.end"))
def sign_out(request: Request, response: Response) -> dict[str, bool]:
    with call(request) as (_, actor):
        services.require(actor, "session.end")
    server(request).sessions.end(response)
    return {"signed_out": True}


@router.get("/me", openapi_extra=action("me.read"))
def get_me(request: Request) -> dict[str, Any]:
    with call(request) as (conn, actor):
        return services.me(conn, actor)


@router.post("/accounts", status_code=201, openapi_extra=action("account.create"))
def create_account(body: NewAccount, request: Request) -> dict[str, Any]:
    """An admin makes an account."""
    with call(request, write=True) as (conn, actor):
        return services.create_account(conn, server(request).ctx, actor, body.email, body.name,
                                       body.password, body.is_admin)
