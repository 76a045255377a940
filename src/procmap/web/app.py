"""The app factory: ``create_app(settings)`` → FastAPI.

Wires the JSON API (/api, OpenAPI at /api/openapi.json, no docs page: it would
load scripts from a CDN), the HTML pages, static files (/static) and templates
(``app.state.templates``, Jinja2 with autoescape); the CSRF check on every
unsafe request; security headers; and the error handlers: 4xx JSON under /api,
an error page elsewhere, never a traceback.

Every route names its action for the route walk test:
``openapi_extra=permissions.action("workshop.read")`` (see permissions.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from procmap.version import __version__
from procmap.web import api
from procmap.web.api.common import Server
from procmap.web.auth import (
    UNSAFE,
    Sessions,
    csrf_ok,
    csrf_sent,
    csrf_token,
    ensure_admin,
    set_csrf_cookie,
)
from procmap.web.services import Context, RateLimited, ServiceError
from procmap.web.settings import Settings
from procmap.web.store.db import make_engine, transaction

HERE = Path(__file__).parent
log = logging.getLogger("procmap.web")


class SafeJSONResponse(JSONResponse):
    """JSON with <, > and & written as \\u escapes: a name typed by a user stays inert even
    if an answer is shown as HTML."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .encode("utf-8"))


class CsrfRefused(Exception):
    """An unsafe request without the right CSRF token."""


async def check_csrf(request: Request) -> None:
    """Every POST, PUT, PATCH and DELETE sends the CSRF token (header or form field)."""
    csrf_token(request)
    if request.method not in UNSAFE:
        return
    sent = await csrf_sent(request)
    session = request.app.state.server.sessions.read(request)
    if not csrf_ok(request, sent, session):
        raise CsrfRefused()


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Before the first request: procmap warmed up for the editor's previews (see
    :func:`procmap.web.lib.settle_heap`)."""
    from procmap.web import lib

    lib.settle_heap()
    yield


def create_app(settings: Settings) -> FastAPI:
    """The workshop server on the settings' database (migrated, first admin made)."""
    engine = make_engine(settings)
    ctx = Context(settings)
    with transaction(engine) as conn:
        first_admin = ensure_admin(conn, settings, ctx.passwords)
    app = FastAPI(title="procmap workshop", version=__version__, lifespan=_lifespan,
                  description="Workshops where each participant maps alone, then the "
                              "facilitator merges (procmap's merge).",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  default_response_class=SafeJSONResponse, dependencies=[Depends(check_csrf)])
    app.state.server = Server(settings, engine, Sessions(settings), ctx, first_admin)
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    # tojson keeps the order of what it writes: a map's lanes and steps are in the map's order
    app.state.templates.env.policies["json.dumps_kwargs"] = {"sort_keys": False}

    @app.middleware("http")
    async def _headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        csrf_token(request)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > settings.upload_limit + 256 * 1024:
            response = _error(request, 413, "the request is too large "
                              f"(the limit is {settings.upload_limit:,} bytes)")
        else:
            response = await call_next(request)
        set_csrf_cookie(request, response, settings)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", settings.content_security_policy)
        return response

    _handlers(app)
    app.include_router(api.router())
    # --- HTML pages: the pages' routers are included below this line ---
    from procmap.web import pages

    app.include_router(pages.router())
    from procmap.web.pages import editor

    app.include_router(editor.router)  # the visual editor's pages and its live preview API
    from procmap.web.pages import bpmn_view

    app.include_router(bpmn_view.router)  # the editor's BPMN view: the map to and from bpmn-js
    # --- end of the HTML pages ---
    if (HERE / "static").is_dir():
        app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/api"


TITLES = {400: "Bad input", 401: "Sign in first", 403: "Not allowed", 404: "Not found",
          405: "Not allowed", 409: "Conflict", 413: "Too large", 422: "Bad input",
          429: "Too many tries", 500: "Something went wrong"}


def _error(request: Request, status: int, message: str, details: dict[str, Any] | None = None,
           headers: dict[str, str] | None = None) -> Any:
    details = details or {}
    if _wants_json(request):
        return SafeJSONResponse({"error": message, "status": status, **details},
                                status_code=status, headers=headers)
    context = {"request": request, "title": TITLES.get(status, "Error"), "status": status,
               "message": message, "errors": details.get("errors") or [], "back": None,
               "user": None, "csrf": csrf_token(request), "csrf_token": csrf_token(request),
               "version": __version__, "details": details}
    try:
        return request.app.state.templates.TemplateResponse(
            request, "error.html", context, status_code=status, headers=headers)
    except Exception:  # the page templates are missing or broken: a plain page, still escaped
        from html import escape

        body = (f"<!DOCTYPE html><title>{escape(TITLES.get(status, 'Error'))}</title>"
                f"<h1>{escape(TITLES.get(status, 'Error'))}</h1><p>Error {status}</p>"
                f"<p>{escape(message)}</p>")
        return HTMLResponse(body, status_code=status, headers=headers)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service(request: Request, exc: ServiceError) -> Any:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return _error(request, exc.status, exc.message, exc.details, headers)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: CsrfRefused) -> Any:
        return _error(request, 403, "the CSRF token is missing or wrong: reload the page "
                      "(scripts: send the procmap_csrf cookie's value as X-CSRF-Token)")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Any:
        problems = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()))
            problems.append({"field": where, "message": str(e.get("msg", "")),
                             "text": f"{where}: {e.get('msg', '')}"})
        return _error(request, 422 if _wants_json(request) else 400,
                      "the request is not what this address expects", {"errors": problems})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Any:
        return _error(request, exc.status_code, str(exc.detail), None,
                      dict(exc.headers) if exc.headers else None)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Any:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return _error(request, 500, "internal error: this is a bug in procmap (see the server log)")
