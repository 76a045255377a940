"""``procmap serve``: the workshop server (FastAPI on Uvicorn)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any

import typer

from procmap.cli.common import err, handles_errors

HELP = """Open the workshop app: each participant maps alone, then the facilitator merges.

A facilitator opens a workshop on a process and sends invite links; each
participant draws their own draft (YAML in the page, or an uploaded YAML or
BPMN file) without seeing the others'; the facilitator merges the drafts with
procmap's merge, the group walks the agreement report and resolves the
conflicts, and the agreed map becomes the process's next version, compared
with the previous one by diff's outside-in deltas. Roles: admin, facilitator,
participant, viewer (reads, never writes). Everything the pages do is also a
JSON API under /api (OpenAPI at /api/openapi.json).

Data is kept in an SQLite file in --data (default: a folder in your user data
directory), or in PostgreSQL with --database postgresql://…. On first start an
admin account is made; its password is printed once (or set it beforehand with
PROCMAP_ADMIN_PASSWORD). --demo seeds a workshop on the bundled examples with
a facilitator and three participants and prints their passwords (its data
lives in a 'demo' folder of its own unless --data is given).

Examples:

  procmap serve --demo

  procmap serve --port 8080 --data ./workshop-data

  procmap serve --database postgresql://procmap@localhost/procmap --host 0.0.0.0
"""

DEMO_PEOPLE = (("facilitator@demo", "Fay (facilitator)", "facilitator"),
               ("ann@demo", "Ann", "participant"), ("bo@demo", "Bo", "participant"),
               ("cy@demo", "Cy", "participant"))


@handles_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="The address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="The port to listen on.")] = 8000,
    data: Annotated[Path | None, typer.Option("--data", help="The folder for the SQLite file and the secret key. [default: the user data directory]")] = None,
    database: Annotated[str | None, typer.Option("--database", help="A PostgreSQL URL (postgresql://user@host/db) instead of SQLite.")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Seed a workshop on the bundled examples and print its people's passwords.")] = False,
) -> None:
    import sqlalchemy.exc
    import uvicorn

    from procmap.errors import MapError, SourceLocation
    from procmap.web import Settings, create_app
    from procmap.web.settings import default_data_dir

    folder = data if data is not None else default_data_dir() / ("demo" if demo else "")
    where = database.split("@")[-1] if database else str(folder / "procmap.sqlite")
    if database is not None and not database.startswith(("postgresql://", "postgresql+psycopg://",
                                                          "postgres://", "sqlite:///")):
        raise typer.BadParameter("procmap serve stores its data in PostgreSQL "
                                 "(postgresql://user@host:port/name) or in SQLite (--data)",
                                 param_hint="--database")
    try:
        settings = Settings(data_dir=folder.resolve(), database_url=database)
        app = create_app(settings)
    except (sqlalchemy.exc.OperationalError, sqlalchemy.exc.ArgumentError, OSError) as exc:
        # a database that cannot be reached or a folder that cannot be written is the
        # user's setting, not a bug: say which and what the database said
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise MapError(SourceLocation(where), None,
                       f"the database cannot be opened: {first}",
                       "check --database (postgresql://user@host:port/name) or --data") from None
    err().print(f"procmap serve: data in {where}", markup=False)
    first = app.state.server.first_admin
    if first is not None:
        err().print(f"First start: sign in as '{first[0]}' with the password {first[1]} "
                    "(shown only this once)", markup=False)
    url = f"http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{port}/"
    if demo:
        for line in seed_demo(app, url):
            err().print(line, markup=False)
    err().print(f"Open {url} in a browser (Ctrl+C stops the server).", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def examples_folder() -> Path:
    """The bundled examples (beside the package in a checkout)."""
    import procmap

    for base in Path(procmap.__file__).resolve().parents:
        candidate = base / "examples" / "customer-onboarding.yaml"
        if candidate.exists():
            return candidate.parent
    raise typer.BadParameter("the bundled examples are not there (run from a checkout)",
                             param_hint="--demo")


def seed_demo(app: Any, url: str) -> list[str]:
    """The demo: the examples as processes, a workshop on onboarding, four people."""
    from sqlalchemy import select

    from procmap.web import services
    from procmap.web.permissions import Actor
    from procmap.web.store.db import transaction
    from procmap.web.store.tables import users, workshops

    srv = app.state.server
    folder = examples_folder()
    lines = ["Demo workshop on the bundled examples; sign in as:"]
    with transaction(srv.engine) as conn:
        people: dict[str, Actor] = {}
        admin_id = conn.execute(select(users.c.id).where(users.c.is_admin.is_(True))
                                .order_by(users.c.id).limit(1)).scalar_one()
        admin = Actor(admin_id, "admin", "Administrator", True)
        for email, name, role in DEMO_PEOPLE:
            password = secrets.token_urlsafe(9)
            row = conn.execute(select(users.c.id).where(users.c.email == email)).first()
            if row is None:
                made = services.create_account(conn, srv.ctx, admin, email, name, password)
                people[email] = Actor(made["id"], email, name)
            else:
                services.set_password(conn, srv.ctx, row.id, password)
                people[email] = Actor(row.id, email, name)
            lines.append(f"  {role:<12} {email:<18} password {password}")
        fay = people["facilitator@demo"]
        if not services.list_processes(conn, fay):
            for path in sorted(folder.glob("*.yaml")):
                loaded, _ = services.lib.try_load(path.read_text(encoding="utf-8"), path.name)
                if loaded is not None:
                    services.create_process(conn, fay, yaml=path.read_text(encoding="utf-8"),
                                            message="from the bundled examples", file=path.name)
        existing = conn.execute(select(workshops.c.id).order_by(workshops.c.id)).first()
        if existing is None:
            shop = services.create_workshop(conn, fay, "customer-onboarding",
                                            "Customer onboarding: the March workshop")
            for email, _, role in DEMO_PEOPLE[1:]:
                services.add_member(conn, shop["id"], people[email].id, role)
            wid = shop["id"]
        else:
            wid = existing.id
    lines.append(f"The workshop: {url}workshops/{wid}")
    return lines
