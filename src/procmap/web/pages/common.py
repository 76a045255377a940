"""What the page routers share: rendering a template, reading forms, redirects."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from procmap.version import __version__
from procmap.web.auth import csrf_token
from procmap.web.permissions import Actor
from procmap.web.services import BadInput


def render(request: Request, template: str, actor: Actor | None, status: int = 200,
           **context: Any) -> HTMLResponse:
    """A page: the template with the signed-in user, the CSRF token and the version."""
    token = csrf_token(request)
    user = actor if actor is not None and actor.signed_in else None
    base = {"user": user, "csrf": token, "csrf_token": token, "version": __version__,
            "title": "", "crumbs": None, "notice": None, "problem": None}
    return request.app.state.templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status)


def redirect(url: str) -> RedirectResponse:
    """After a form: see the page (303, so a reload does not post again)."""
    return RedirectResponse(url, status_code=303)


async def form(request: Request) -> Any:
    """The posted form (url-encoded or multipart); a broken body is bad input."""
    try:
        return await request.form()
    except Exception:
        raise BadInput("the form could not be read: send it again from the page") from None


def text(data: Any, name: str, *, default: str | None = None, limit: int = 10_000_000) -> str:
    """A text field of a form; missing → bad input (unless a default is given)."""
    value = data.get(name)
    if value is None or not isinstance(value, str):
        if default is not None:
            return default
        raise BadInput(f"the form has no field {name!r}")
    if len(value) > limit:
        raise BadInput(f"{name} is too long (at most {limit:,} characters)")
    return value


def number(data: Any, name: str, *, default: int | None = None) -> int:
    """A whole number field of a form."""
    raw = data.get(name)
    if (raw is None or raw == "") and default is not None:
        return default
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        raise BadInput(f"{name} must be a whole number (got {str(raw)[:40]!r})") from None


def back_to(data: Any, fallback: str) -> str:
    """A same-site path to return to (never another host)."""
    value = data.get("back")
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return fallback


def signin_first(request: Request) -> RedirectResponse:
    """The anonymous visitor of a page goes to the sign-in page, and comes back after."""
    from urllib.parse import quote

    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(f"/signin?next={quote(path, safe='/')}")
