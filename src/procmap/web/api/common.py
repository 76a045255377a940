"""What the API routers share: the server object, one transaction per request, downloads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from sqlalchemy import Connection, Engine

from procmap.web.auth import Sessions, actor_of
from procmap.web.permissions import Actor
from procmap.web.services import Context, Download
from procmap.web.settings import Settings
from procmap.web.store.db import transaction


@dataclass
class Server:
    """The app's state: settings, engine, sessions and the services' context."""

    settings: Settings
    engine: Engine
    sessions: Sessions
    ctx: Context
    first_admin: tuple[str, str] | None = None


def server(request: Request) -> Server:
    return request.app.state.server


@contextmanager
def call(request: Request, *, write: bool = False) -> Iterator[tuple[Connection, Actor]]:
    """One transaction and the signed-in actor: committed at the end, rolled back on an error."""
    srv = server(request)
    with transaction(srv.engine, write=write) as conn:
        yield conn, actor_of(conn, srv.sessions.read(request))


def send(download: Download) -> Response:
    """A file as an attachment (never shown inline on the server's own origin)."""
    return Response(download.data, media_type=download.media_type, headers={
        "Content-Disposition": f'attachment; filename="{download.filename}"'})


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def limit(request: Request) -> int:
    return server(request).settings.upload_limit


def read_upload(file: Any, size: int) -> bytes:
    """At most ``size + 1`` bytes of an upload (one more tells it is too large)."""
    return file.file.read(size + 1)
