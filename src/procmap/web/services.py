"""Every operation of the workshop server, as a function ``(conn, actor, ...) -> result``.

The JSON API and the HTML pages both call these, so they do the same thing. A
function runs inside the caller's transaction (``store.db.transaction``) and
raises a :class:`ServiceError` (NotFound, Forbidden, Stale, BadInput, …) that
the app turns into 4xx JSON or an error page. Rights are asked of
``permissions.allowed`` through :func:`require`; the method (analysis, merge,
diff, drawing) is procmap's, through ``lib``.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from procmap.web import lib
from procmap.web.auth import Passwords, RateLimiter, new_token, now, rehash, token_hash
from procmap.web.permissions import Actor, Scope, allowed, refusal
from procmap.web.settings import Settings
from procmap.web.store.tables import (
    comments,
    drafts,
    invites,
    memberships,
    processes,
    users,
    versions,
    workshops,
)

ROLES = ("participant", "viewer")
"""Roles an invite can give."""


# --- errors -----------------------------------------------------------------------------------

class ServiceError(Exception):
    """A refused or impossible request: an HTTP status, a message and details for the body."""

    status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadInput(ServiceError):
    status = 400


class Unauthorized(ServiceError):
    status = 401


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    """The workshop is not in the state the request needs."""

    status = 409


class Stale(ServiceError):
    """A save based on an older revision: refused, with the difference."""

    status = 409


class TooLarge(ServiceError):
    status = 413


class RateLimited(ServiceError):
    status = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message, retry_after=int(retry_after + 0.999))
        self.retry_after = int(retry_after + 0.999)


_STATUS = {401: Unauthorized, 403: Forbidden, 404: NotFound}


def require(actor: Actor, action: str, obj: Scope | None = None) -> None:
    """Raise the refusal ``permissions`` gives, unless ``actor`` may do ``action``."""
    if allowed(actor, action, obj):
        return
    status = refusal(actor, action, obj)
    words = {401: "sign in first", 403: "you may not do this here", 404: "not found"}
    raise _STATUS[status](words[status])


# --- context and helpers ----------------------------------------------------------------------

@dataclass
class Context:
    """What some services need besides the connection: settings, hashing, the rate limiter."""

    settings: Settings
    passwords: Passwords = field(init=False)
    limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.passwords = Passwords(self.settings)
        self.limiter = RateLimiter(self.settings.login_window)


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


def _check_size(text: str, limit: int) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise TooLarge(f"the map is {size:,} bytes; the limit is {limit:,} bytes")


def map_view(text: str, revision: int | None, file: str, *, analyse: bool = True) -> dict[str, Any]:
    """A map as the API shows it: yaml, revision, located errors, and when it loads
    procmap's scorecard, findings and swimlane SVG."""
    loaded, errors = lib.try_load(text, file)
    view: dict[str, Any] = {"yaml": text, "revision": revision, "loads": loaded is not None,
                            "errors": errors}
    if loaded is not None and analyse:
        view.update(lib.analysis(loaded))
    return view


def _user_name(conn: Connection, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return conn.execute(select(users.c.name).where(users.c.id == user_id)).scalar_one_or_none()


# --- accounts and sessions --------------------------------------------------------------------

def login(conn: Connection, ctx: Context, email: str, password: str, address: str) -> Actor:
    """Check a password; too many failures for the account or the address give 429."""
    keys = [(f"account:{email.strip().lower()}", ctx.settings.login_failures),
            (f"address:{address}", ctx.settings.address_failures)]
    for key, limit in keys:
        wait = ctx.limiter.blocked(key, limit)
        if wait:
            raise RateLimited("too many failed sign-ins; try again later", wait)
    row = conn.execute(select(users).where(func.lower(users.c.email) == email.strip().lower())).first()
    if row is None or not ctx.passwords.verify(row.password_hash, password):
        if row is None:  # as slow as a wrong password: who has an account does not show
            ctx.passwords.verify(_DUMMY.get(ctx), password)
        for key, _ in keys:
            ctx.limiter.fail(key)
        raise Unauthorized("wrong email or password")
    ctx.limiter.clear(keys[0][0])
    rehash(conn, ctx.passwords, row.id, row.password_hash, password)
    return Actor(row.id, row.email, row.name, bool(row.is_admin))


class _Dummy:
    def __init__(self) -> None:
        self.hashes: dict[int, str] = {}

    def get(self, ctx: Context) -> str:
        key = id(ctx)
        if key not in self.hashes:
            self.hashes[key] = ctx.passwords.hash("not a password")
        return self.hashes[key]


_DUMMY = _Dummy()


def _new_user(conn: Connection, ctx: Context, email: str, name: str, password: str,
              is_admin: bool = False) -> Actor:
    email, name = email.strip(), name.strip()
    if not email or len(email) > 200 or any(c.isspace() for c in email):
        raise BadInput("give an email (or sign-in name) without spaces, at most 200 characters")
    if not name or len(name) > 200:
        raise BadInput("give a name of 1 to 200 characters")
    if len(password) < 8:
        raise BadInput("a password needs at least 8 characters")
    exists = conn.execute(select(users.c.id).where(func.lower(users.c.email) == email.lower())).first()
    if exists:
        raise Conflict(f"there is already an account for {email}")
    new_id = conn.execute(insert(users).values(
        email=email, name=name, password_hash=ctx.passwords.hash(password), is_admin=is_admin,
        created_at=now())).inserted_primary_key[0]
    return Actor(new_id, email, name, is_admin)


def create_account(conn: Connection, ctx: Context, actor: Actor, email: str, name: str,
                   password: str, is_admin: bool = False) -> dict[str, Any]:
    """An admin makes an account."""
    require(actor, "account.create")
    return account(_new_user(conn, ctx, email, name, password, is_admin))


def account(actor: Actor) -> dict[str, Any]:
    return {"id": actor.id, "email": actor.email, "name": actor.name, "is_admin": actor.is_admin}


def me(conn: Connection, actor: Actor) -> dict[str, Any]:
    """The signed-in account and its workshops."""
    require(actor, "me.read")
    return {**account(actor), "workshops": list_workshops(conn, actor)}


# --- processes and versions -------------------------------------------------------------------

def _process_row(conn: Connection, key: str) -> Any:
    row = conn.execute(select(processes).where(processes.c.key == key)).first()
    if row is None:
        raise NotFound(f"no process {key!r}")
    return row


def _process_json(conn: Connection, row: Any) -> dict[str, Any]:
    latest = conn.execute(select(versions).where(versions.c.process_id == row.id)
                          .order_by(versions.c.number.desc()).limit(1)).first()
    return {"key": row.key, "name": row.name, "level": row.level, "owner": row.owner,
            "part_of": row.part_of, "created_by": _user_name(conn, row.created_by),
            "created_at": iso(row.created_at),
            "latest_version": None if latest is None else _version_json(conn, latest)}


def _version_json(conn: Connection, row: Any) -> dict[str, Any]:
    return {"number": row.number, "author": _user_name(conn, row.author_id),
            "message": row.message, "created_at": iso(row.created_at), "steps": row.steps,
            "moments_of_truth": row.moments_of_truth, "break_points": row.break_points,
            "business_rules": row.business_rules}


def list_processes(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    """The catalog: every process, by level then key."""
    require(actor, "process.list")
    rows = conn.execute(select(processes).order_by(processes.c.level, processes.c.key)).all()
    return [_process_json(conn, r) for r in rows]


def get_process(conn: Connection, actor: Actor, key: str) -> dict[str, Any]:
    require(actor, "process.read")
    return _process_json(conn, _process_row(conn, key))


def _add_version(conn: Connection, process_id: int, loaded: lib.Loaded, text: str,
                 author: Actor, message: str) -> Any:
    number = (conn.execute(select(func.max(versions.c.number))
                           .where(versions.c.process_id == process_id)).scalar() or 0) + 1
    new_id = conn.execute(insert(versions).values(
        process_id=process_id, number=number, yaml=text, author_id=author.id,
        message=message or f"version {number}", created_at=now(),
        **lib.counts(loaded))).inserted_primary_key[0]
    return conn.execute(select(versions).where(versions.c.id == new_id)).one()


def _catalog_fields(loaded: lib.Loaded) -> dict[str, Any]:
    fields = lib.describe(loaded)
    return {"name": str(fields["name"])[:300], "level": None if fields["level"] is None else str(fields["level"]),
            "owner": fields["owner"], "part_of": fields["part_of"]}


def create_process(conn: Connection, actor: Actor, *, yaml: str | None = None,
                   key: str | None = None, name: str | None = None, message: str = "",
                   limit: int = 2**21, file: str = "process.yaml") -> dict[str, Any]:
    """A new process: from a map (its version 1) or empty (a key and a name, no version yet)."""
    require(actor, "process.create")
    loaded = None
    if yaml is not None:
        _check_size(yaml, limit)
        loaded, errors = lib.try_load(yaml, file)
        if loaded is None:
            raise BadInput("the map does not load", errors=errors)
        key = str(lib.describe(loaded)["key"])
        fields = _catalog_fields(loaded)
    else:
        key = (key or "").strip()
        if not key or len(key) > 200 or not all(c.isalnum() or c in "-_." for c in key):
            raise BadInput("give the process a key of letters, digits, - _ or . (at most 200)")
        fields = {"name": (name or key).strip()[:300] or key, "level": None, "owner": None,
                  "part_of": None}
    if conn.execute(select(processes.c.id).where(processes.c.key == key)).first():
        raise Conflict(f"there is already a process {key!r}")
    try:
        pid = conn.execute(insert(processes).values(key=key, created_by=actor.id, created_at=now(),
                                                    **fields)).inserted_primary_key[0]
    except IntegrityError:
        raise Conflict(f"there is already a process {key!r}") from None
    if loaded is not None and yaml is not None:
        _add_version(conn, pid, loaded, yaml, actor, message or "first version")
    return _process_json(conn, conn.execute(select(processes).where(processes.c.id == pid)).one())


def upload_to_yaml(filename: str, data: bytes, limit: int) -> tuple[str, list[dict[str, Any]]]:
    """An uploaded file (YAML or BPMN) as map YAML and warnings; 413 past the limit, 400 when
    procmap refuses it (malformed, an XML attack) with the located message."""
    if len(data) > limit:
        raise TooLarge(f"the file is {len(data):,} bytes; the limit is {limit:,} bytes")
    name = (filename or "upload").rsplit("/", 1)[-1][:100] or "upload"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if name.lower().endswith((".bpmn", ".xml", ".bpmn2")) or head == b"<":
        try:
            return lib.bpmn_to_yaml(data, name)
        except Exception as exc:  # procmap.LoadError, or anything the XML parser says
            raise BadInput("the BPMN file could not be read", errors=lib.errors_of(exc)) from None
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        raise BadInput(f"{name}: not UTF-8 text (byte {exc.start})") from None


def list_versions(conn: Connection, actor: Actor, key: str) -> list[dict[str, Any]]:
    require(actor, "process.read")
    row = _process_row(conn, key)
    rows = conn.execute(select(versions).where(versions.c.process_id == row.id)
                        .order_by(versions.c.number)).all()
    return [_version_json(conn, v) for v in rows]


def _version_row(conn: Connection, key: str, number: int) -> Any:
    row = _process_row(conn, key)
    version = conn.execute(select(versions).where(versions.c.process_id == row.id,
                                                  versions.c.number == number)).first()
    if version is None:
        raise NotFound(f"process {key!r} has no version {number}")
    return version


def get_version(conn: Connection, actor: Actor, key: str, number: int, *,
                analyse: bool = True) -> dict[str, Any]:
    """One version; ``analyse=False`` leaves out the scorecard, findings and SVG (a page
    that draws the map itself)."""
    require(actor, "process.read")
    row = _version_row(conn, key, number)
    return {**_version_json(conn, row), "process": key,
            **map_view(row.yaml, None, f"{key}-v{number}.yaml", analyse=analyse)}


def diff_versions(conn: Connection, actor: Actor, key: str, a: int, b: int) -> dict[str, Any]:
    """procmap's outside-in deltas from version ``a`` to version ``b``, and the text diff."""
    require(actor, "process.read")
    before, after = _version_row(conn, key, a), _version_row(conn, key, b)
    one, _ = lib.try_load(before.yaml, f"{key}-v{a}.yaml")
    two, _ = lib.try_load(after.yaml, f"{key}-v{b}.yaml")
    return {"process": key, "from": a, "to": b,
            "summary": lib.diff(one, two) if one is not None and two is not None else None,
            "text_diff": _text_diff(before.yaml, after.yaml, f"v{a}", f"v{b}")}


def _text_diff(a: str, b: str, name_a: str, name_b: str) -> str:
    return "".join(difflib.unified_diff(a.splitlines(keepends=True), b.splitlines(keepends=True),
                                        fromfile=name_a, tofile=name_b))


@dataclass
class Download:
    """A file to send."""

    data: bytes
    media_type: str
    filename: str


def _download(text: str, fmt: str, base: str, title: str) -> Download:
    if fmt not in lib.FORMATS:
        raise NotFound(f"no format {fmt!r}; choose from {', '.join(lib.FORMATS)}")
    media, suffix = lib.FORMATS[fmt]
    loaded = None
    if fmt != "yaml":
        loaded, errors = lib.try_load(text, f"{base}.yaml")
        if loaded is None:
            raise BadInput("the map does not load; only its YAML can be downloaded", errors=errors)
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in base)[:100] or "map"
    return Download(lib.download(text, loaded, fmt, title), media, f"{safe}.{suffix}")


def version_download(conn: Connection, actor: Actor, key: str, number: int, fmt: str) -> Download:
    require(actor, "process.read")
    row = _version_row(conn, key, number)
    return _download(row.yaml, fmt, f"{key}-v{number}", f"{key}, version {number}")


# --- workshops, invites, membership -----------------------------------------------------------

def _workshop(conn: Connection, actor: Actor, workshop_id: int) -> tuple[Any, Scope]:
    """The workshop and the actor's role in it; 404 when it does not exist."""
    row = conn.execute(select(workshops).where(workshops.c.id == workshop_id)).first()
    if row is None:
        raise NotFound("no such workshop")
    role = None
    if actor.signed_in:
        role = conn.execute(select(memberships.c.role).where(
            memberships.c.workshop_id == workshop_id,
            memberships.c.user_id == actor.id)).scalar_one_or_none()
    return row, Scope(role=role)


def _workshop_json(conn: Connection, row: Any, scope: Scope | None = None) -> dict[str, Any]:
    process = conn.execute(select(processes).where(processes.c.id == row.process_id)).one()
    base = None
    if row.base_version_id is not None:
        base = conn.execute(select(versions.c.number).where(
            versions.c.id == row.base_version_id)).scalar_one()
    agreed = None
    if row.agreed_version_id is not None:
        agreed = conn.execute(select(versions.c.number).where(
            versions.c.id == row.agreed_version_id)).scalar_one()
    members = conn.execute(select(users.c.id, users.c.name, memberships.c.role)
                           .join(users, users.c.id == memberships.c.user_id)
                           .where(memberships.c.workshop_id == row.id)
                           .order_by(memberships.c.role, users.c.name)).all()
    return {"id": row.id, "title": row.title, "process": process.key, "process_name": process.name,
            "state": row.state, "facilitator": _user_name(conn, row.facilitator_id),
            "base_version": base, "agreed_version": agreed,
            "merged_revision": row.merged_revision or None,
            "members": [{"id": m.id, "name": m.name, "role": m.role} for m in members],
            "your_role": scope.role if scope else None, "created_at": iso(row.created_at)}


def create_workshop(conn: Connection, actor: Actor, process_key: str, title: str = "") -> dict[str, Any]:
    """A workshop on a process, seeded from its latest version; the actor facilitates it."""
    require(actor, "workshop.create")
    process = _process_row(conn, process_key)
    latest = conn.execute(select(versions.c.id).where(versions.c.process_id == process.id)
                          .order_by(versions.c.number.desc()).limit(1)).scalar_one_or_none()
    title = (title or "").strip()[:300] or f"Workshop: {process.name}"
    wid = conn.execute(insert(workshops).values(
        process_id=process.id, title=title, facilitator_id=actor.id, state="drafting",
        base_version_id=latest, merged_revision=0, created_at=now())).inserted_primary_key[0]
    conn.execute(insert(memberships).values(workshop_id=wid, user_id=actor.id, role="facilitator"))
    row, scope = _workshop(conn, actor, wid)
    return _workshop_json(conn, row, scope)


def list_workshops(conn: Connection, actor: Actor) -> list[dict[str, Any]]:
    """The workshops the actor is in (an admin: all)."""
    require(actor, "workshop.list")
    query = select(workshops).order_by(workshops.c.id)
    if not actor.is_admin:
        query = query.join(memberships, memberships.c.workshop_id == workshops.c.id).where(
            memberships.c.user_id == actor.id)
    result = []
    for row in conn.execute(query).all():
        _, scope = _workshop(conn, actor, row.id)
        result.append(_workshop_json(conn, row, scope))
    return result


def get_workshop(conn: Connection, actor: Actor, workshop_id: int) -> dict[str, Any]:
    row, scope = _workshop(conn, actor, workshop_id)
    require(actor, "workshop.read", scope)
    return _workshop_json(conn, row, scope)


def create_invite(conn: Connection, actor: Actor, workshop_id: int, role: str = "participant",
                  days: float = 7) -> dict[str, Any]:
    """An invite link for one person: a token shown once, its role and expiry."""
    row, scope = _workshop(conn, actor, workshop_id)
    require(actor, "invite.create", scope)
    if role not in ROLES:
        raise BadInput(f"an invite's role is one of {', '.join(ROLES)}")
    if not 0 < days <= 90:
        raise BadInput("an invite lasts more than 0 and at most 90 days")
    if row.state == "agreed":
        raise Conflict("the workshop is over (agreed)")
    token = new_token()
    expires = now() + timedelta(days=days)
    conn.execute(insert(invites).values(token_hash=token_hash(token), workshop_id=workshop_id,
                                        role=role, expires_at=expires, created_by=actor.id))
    return {"token": token, "role": role, "expires_at": iso(expires), "workshop": workshop_id,
            "path": f"/invites/{token}", "accept": f"/api/invites/{token}/accept"}


def _join(conn: Connection, workshop: Any, user_id: int, role: str) -> None:
    conn.execute(insert(memberships).values(workshop_id=workshop.id, user_id=user_id, role=role))
    if role == "participant":
        text = None
        if workshop.base_version_id is not None:
            text = conn.execute(select(versions.c.yaml).where(
                versions.c.id == workshop.base_version_id)).scalar_one()
        if text is None:
            process = conn.execute(select(processes).where(processes.c.id == workshop.process_id)).one()
            text = lib.empty_map(process.key, process.name)
        conn.execute(insert(drafts).values(workshop_id=workshop.id, user_id=user_id, yaml=text,
                                           revision=1, updated_at=now()))


def invite_info(conn: Connection, token: str) -> dict[str, Any]:
    """What an invite link is for (shown before signing in): workshop title, role, expiry."""
    invite = _open_invite(conn, token)
    row = conn.execute(select(workshops).where(workshops.c.id == invite.workshop_id)).one()
    return {"workshop": row.id, "title": row.title, "role": invite.role,
            "expires_at": iso(invite.expires_at)}


def _open_invite(conn: Connection, token: str) -> Any:
    invite = conn.execute(select(invites).where(invites.c.token_hash == token_hash(token))).first()
    if invite is None or invite.used_at is not None or invite.expires_at < now():
        raise NotFound("this invite link is unknown, used or expired")
    return invite


def accept_invite(conn: Connection, ctx: Context, actor: Actor, token: str, *,
                  email: str | None = None, name: str | None = None,
                  password: str | None = None) -> tuple[Actor, dict[str, Any]]:
    """Join a workshop by an invite: signed in, or creating an account (email, name, password)."""
    from procmap.web.permissions import allowed as may

    if not may(actor, "invite.accept"):
        require(actor, "invite.accept")
    invite = _open_invite(conn, token)
    if not actor.signed_in:
        if not (email and name and password):
            raise Unauthorized("sign in, or give an email, a name and a password to create an account")
        actor = _new_user(conn, ctx, email, name, password)
    row, scope = _workshop(conn, actor, invite.workshop_id)
    if scope.role is not None:
        raise Conflict(f"you are already in this workshop (as {scope.role})")
    if row.state == "agreed":
        raise Conflict("the workshop is over (agreed)")
    done = conn.execute(update(invites).where(invites.c.id == invite.id, invites.c.used_at.is_(None))
                        .values(used_by=actor.id, used_at=now()))
    if done.rowcount != 1:
        raise NotFound("this invite link is unknown, used or expired")
    _join(conn, row, actor.id, invite.role)
    row, scope = _workshop(conn, actor, invite.workshop_id)
    return actor, _workshop_json(conn, row, scope)


def add_member(conn: Connection, workshop_id: int, user_id: int, role: str) -> None:
    """Put an account in a workshop directly (the demo seeding)."""
    row = conn.execute(select(workshops).where(workshops.c.id == workshop_id)).one()
    _join(conn, row, user_id, role)


# --- drafts -----------------------------------------------------------------------------------

def _draft_row(conn: Connection, workshop_id: int, user_id: int) -> Any:
    row = conn.execute(select(drafts).where(drafts.c.workshop_id == workshop_id,
                                            drafts.c.user_id == user_id)).first()
    if row is None:
        raise NotFound("no such draft")
    return row


def _draft_json(conn: Connection, row: Any, *, analyse: bool = True) -> dict[str, Any]:
    return {"workshop": row.workshop_id, "user_id": row.user_id,
            "author": _user_name(conn, row.user_id), "updated_at": iso(row.updated_at),
            **map_view(row.yaml, row.revision, "draft.yaml", analyse=analyse)}


def get_own_draft(conn: Connection, actor: Actor, workshop_id: int, *,
                  analyse: bool = True) -> dict[str, Any]:
    """The actor's own draft, with its scorecard, findings and diagram (unless ``analyse``
    is false), or its located errors."""
    _, scope = _workshop(conn, actor, workshop_id)
    require(actor, "draft.own", scope)
    return _draft_json(conn, _draft_row(conn, workshop_id, actor.id), analyse=analyse)


def _save_draft(conn: Connection, actor: Actor, workshop_id: int, text: str, base_revision: int,
                limit: int, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    row, scope = _workshop(conn, actor, workshop_id)
    require(actor, "draft.own", scope)
    _check_size(text, limit)
    if row.state != "drafting":
        raise Conflict(f"the drafts are closed: the workshop is {row.state}")
    draft = _draft_row(conn, workshop_id, actor.id)
    done = conn.execute(update(drafts).where(drafts.c.id == draft.id,
                                             drafts.c.revision == base_revision)
                        .values(yaml=text, revision=drafts.c.revision + 1, updated_at=now()))
    if done.rowcount != 1:
        current = _draft_row(conn, workshop_id, actor.id)
        raise _stale(current.yaml, current.revision, text, base_revision, "draft")
    saved = _draft_row(conn, workshop_id, actor.id)
    return {**_draft_json(conn, saved, analyse=False), **(extra or {})}


def save_draft(conn: Connection, actor: Actor, workshop_id: int, text: str, base_revision: int,
               limit: int) -> dict[str, Any]:
    """Save the actor's draft if it is still at ``base_revision``; else 409 with the difference.

    A draft that does not load is saved all the same, with its located errors."""
    return _save_draft(conn, actor, workshop_id, text, base_revision, limit)


def upload_draft(conn: Connection, actor: Actor, workshop_id: int, filename: str, data: bytes,
                 base_revision: int, limit: int) -> dict[str, Any]:
    """A YAML or BPMN file as the actor's draft (the same stale-save rule)."""
    _, scope = _workshop(conn, actor, workshop_id)
    require(actor, "draft.own", scope)
    text, warnings = upload_to_yaml(filename, data, limit)
    return _save_draft(conn, actor, workshop_id, text, base_revision, limit, {"warnings": warnings})


def _stale(current: str, revision: int, yours: str, base: int, what: str) -> Stale:
    one, _ = lib.try_load(current, "current.yaml")
    two, _ = lib.try_load(yours, "yours.yaml")
    return Stale(
        f"the {what} changed since revision {base}: it is at revision {revision}; "
        "nothing was saved — merge your change into the current text and save again",
        current={"yaml": current, "revision": revision}, your_base_revision=base,
        diff=_text_diff(current, yours, f"current (revision {revision})", "yours"),
        summary=lib.diff(one, two) if one is not None and two is not None else None)


def list_drafts(conn: Connection, actor: Actor, workshop_id: int) -> list[dict[str, Any]]:
    """Every participant's draft (the facilitator): author, revision, whether it loads."""
    _, scope = _workshop(conn, actor, workshop_id)
    require(actor, "drafts.read", scope)
    rows = conn.execute(select(drafts).where(drafts.c.workshop_id == workshop_id)
                        .order_by(drafts.c.user_id)).all()
    result = []
    for row in rows:
        view = _draft_json(conn, row, analyse=False)
        view.pop("yaml")
        result.append(view)
    return result


def get_draft(conn: Connection, actor: Actor, workshop_id: int, user_id: int, *,
              analyse: bool = True) -> dict[str, Any]:
    """One participant's draft: its owner and the facilitator only (others: 404)."""
    _, scope = _workshop(conn, actor, workshop_id)
    if user_id != actor.id:
        require(actor, "drafts.read", scope)
    else:
        require(actor, "draft.own", scope)
    return _draft_json(conn, _draft_row(conn, workshop_id, user_id), analyse=analyse)


def draft_download(conn: Connection, actor: Actor, workshop_id: int, fmt: str) -> Download:
    _, scope = _workshop(conn, actor, workshop_id)
    require(actor, "draft.own", scope)
    row = _draft_row(conn, workshop_id, actor.id)
    return _download(row.yaml, fmt, f"draft-{workshop_id}", "Draft")


# --- merge, resolve, agree --------------------------------------------------------------------

def merge(conn: Connection, actor: Actor, workshop_id: int) -> dict[str, Any]:
    """procmap's merge of every draft that loads; the merged map and agreement report are stored."""
    row, scope = _workshop(conn, actor, workshop_id)
    require(actor, "merge", scope)
    if row.state != "drafting":
        raise Conflict(f"the workshop is already {row.state}")
    rows = conn.execute(select(drafts, users.c.name, users.c.email)
                        .join(users, users.c.id == drafts.c.user_id)
                        .where(drafts.c.workshop_id == workshop_id)
                        .order_by(users.c.name, users.c.id)).all()
    maps: list[tuple[str, lib.Loaded]] = []
    left_out = []
    revisions: dict[str, int] = {}
    names = [r.name for r in rows]
    for r in rows:
        name = r.name if names.count(r.name) == 1 else f"{r.name} ({r.email})"
        loaded, errors = lib.try_load(r.yaml, f"{name}.yaml")
        if loaded is None or not loaded.process.steps:
            left_out.append({"participant": name, "revision": r.revision,
                             "reason": "it does not load" if loaded is None else "it has no steps",
                             "errors": errors})
        else:
            maps.append((name, loaded))
            revisions[name] = r.revision
    if not maps:
        raise Conflict("no draft loads with steps yet: nothing to merge", left_out=left_out)
    text, report = lib.merge(maps)
    report["left_out"] = left_out
    report["revisions"] = revisions
    done = conn.execute(update(workshops).where(workshops.c.id == workshop_id,
                                                workshops.c.state == "drafting")
                        .values(state="merged", merged_yaml=text, merged_report=json.dumps(report),
                                merged_revision=1))
    if done.rowcount != 1:
        raise Conflict("the workshop was merged meanwhile")
    return get_merged(conn, actor, workshop_id)


def get_merged(conn: Connection, actor: Actor, workshop_id: int, *,
               analyse: bool = True) -> dict[str, Any]:
    """The merged map with the agreement report (everyone in the workshop, after the merge)."""
    row, scope = _workshop(conn, actor, workshop_id)
    require(actor, "merged.read", scope)
    if row.merged_yaml is None:
        raise NotFound("the drafts are not merged yet")
    return {"workshop": workshop_id, "state": row.state,
            "report": json.loads(row.merged_report or "{}"),
            **map_view(row.merged_yaml, row.merged_revision, "merged.yaml", analyse=analyse)}


def save_merged(conn: Connection, actor: Actor, workshop_id: int, text: str, base_revision: int,
                limit: int) -> dict[str, Any]:
    """The facilitator's edit of the merged map (resolving conflicts): the stale-save rule."""
    row, scope = _workshop(conn, actor, workshop_id)
    require(actor, "merged.write", scope)
    _check_size(text, limit)
    if row.state != "merged":
        raise Conflict("the merged map can be edited after the merge and before the agreement"
                       f" (the workshop is {row.state})")
    done = conn.execute(update(workshops).where(workshops.c.id == workshop_id,
                                                workshops.c.merged_revision == base_revision)
                        .values(merged_yaml=text, merged_revision=workshops.c.merged_revision + 1))
    if done.rowcount != 1:
        current = conn.execute(select(workshops).where(workshops.c.id == workshop_id)).one()
        raise _stale(current.merged_yaml, current.merged_revision, text, base_revision, "merged map")
    saved = conn.execute(select(workshops).where(workshops.c.id == workshop_id)).one()
    return {"workshop": workshop_id, "state": saved.state,
            **map_view(saved.merged_yaml, saved.merged_revision, "merged.yaml", analyse=False)}


def choose(conn: Connection, actor: Actor, workshop_id: int, conflict: int, participant: str,
           base_revision: int) -> dict[str, Any]:
    """Settle a conflict by taking one participant's value (a step's channel, duration, wait or
    chance of failure) into the merged map: the stale-save rule as for an edit."""
    row, scope = _workshop(conn, actor, workshop_id)
    require(actor, "merged.write", scope)
    if row.state != "merged":
        raise Conflict(f"conflicts are settled after the merge (the workshop is {row.state})")
    report = json.loads(row.merged_report or "{}")
    conflicts = report.get("conflicts", [])
    if not 0 <= conflict < len(conflicts):
        raise NotFound(f"no conflict {conflict}")
    chosen = conflicts[conflict]
    if chosen["kind"] not in lib.CHOOSABLE:
        raise BadInput(f"a {chosen['kind']} conflict is settled by editing the merged map; "
                       f"picking a value works for {', '.join(lib.CHOOSABLE)}")
    matched = report.get("matched", {}).get(participant)
    if matched is None:
        raise NotFound(f"no participant {participant!r} in the merge")
    theirs = next((sid for sid, merged in matched.items() if merged == chosen["element"]), None)
    if theirs is None:
        raise BadInput(f"{participant} did not draw {chosen['element']!r}")
    users_rows = conn.execute(select(drafts.c.yaml, users.c.name, users.c.email)
                              .join(users, users.c.id == drafts.c.user_id)
                              .where(drafts.c.workshop_id == workshop_id)).all()
    names = [r.name for r in users_rows]
    draft = next((r.yaml for r in users_rows if participant in (
        r.name if names.count(r.name) == 1 else f"{r.name} ({r.email})",)), None)
    if draft is None:
        raise NotFound(f"no draft of {participant!r}")
    try:
        text = lib.choose(row.merged_yaml, draft, chosen["element"], theirs, chosen["kind"])
    except Exception as exc:  # the merged map was edited so that it no longer loads
        raise BadInput("the value cannot be taken over: the merged map does not load",
                       errors=lib.errors_of(exc)) from None
    result = save_merged(conn, actor, workshop_id, text, base_revision, 2**31)
    return {**result, "chosen": {"conflict": chosen, "participant": participant}}


def merged_download(conn: Connection, actor: Actor, workshop_id: int, fmt: str) -> Download:
    row, scope = _workshop(conn, actor, workshop_id)
    require(actor, "merged.read", scope)
    if row.merged_yaml is None:
        raise NotFound("the drafts are not merged yet")
    return _download(row.merged_yaml, fmt, f"merged-{workshop_id}", row.title)


def agree(conn: Connection, actor: Actor, workshop_id: int, message: str,
          base_revision: int | None = None) -> dict[str, Any]:
    """The merged map becomes the process's next version (immutable); the workshop is agreed."""
    row, scope = _workshop(conn, actor, workshop_id)
    require(actor, "agree", scope)
    if row.state != "merged":
        raise Conflict(f"only a merged workshop can be agreed (it is {row.state})")
    if base_revision is not None and base_revision != row.merged_revision:
        raise _stale(row.merged_yaml, row.merged_revision, row.merged_yaml, base_revision,
                     "merged map")
    loaded, errors = lib.try_load(row.merged_yaml, "merged.yaml")
    if loaded is None:
        raise BadInput("the merged map does not load: fix it before agreeing", errors=errors)
    message = (message or "").strip()[:2000] or f"agreed in workshop '{row.title}'"
    version = _add_version(conn, row.process_id, loaded, row.merged_yaml, actor, message)
    fields = _catalog_fields(loaded)
    conn.execute(update(processes).where(processes.c.id == row.process_id).values(**fields))
    done = conn.execute(update(workshops).where(workshops.c.id == workshop_id,
                                                workshops.c.state == "merged",
                                                workshops.c.merged_revision == row.merged_revision)
                        .values(state="agreed", agreed_version_id=version.id))
    if done.rowcount != 1:
        raise Conflict("the merged map changed meanwhile; look again before agreeing")
    process = conn.execute(select(processes).where(processes.c.id == row.process_id)).one()
    return {"workshop": workshop_id, "state": "agreed", "process": process.key,
            "version": _version_json(conn, version)}


# --- comments ---------------------------------------------------------------------------------

def _comment_json(conn: Connection, row: Any, draft_owner: int | None,
                  version_number: int | None) -> dict[str, Any]:
    return {"id": row.id, "workshop": row.workshop_id, "target": row.target,
            "draft_user_id": draft_owner, "version": version_number, "step_id": row.step_id,
            "parent_id": row.parent_id, "author": _user_name(conn, row.author_id),
            "author_id": row.author_id, "body": row.body,
            "resolved_by": _user_name(conn, row.resolved_by), "resolved_at": iso(row.resolved_at),
            "created_at": iso(row.created_at)}


def _may_see_draft(actor: Actor, scope: Scope, owner: int) -> bool:
    return owner == actor.id or allowed(actor, "drafts.read", scope)


def list_comments(conn: Connection, actor: Actor, workshop_id: int) -> list[dict[str, Any]]:
    """The workshop's comments the actor may see (a draft's: its owner and the facilitator)."""
    _, scope = _workshop(conn, actor, workshop_id)
    require(actor, "comment.read", scope)
    rows = conn.execute(select(comments, drafts.c.user_id.label("owner"),
                               versions.c.number.label("vnumber"))
                        .outerjoin(drafts, drafts.c.id == comments.c.draft_id)
                        .outerjoin(versions, versions.c.id == comments.c.version_id)
                        .where(comments.c.workshop_id == workshop_id)
                        .order_by(comments.c.id)).all()
    return [_comment_json(conn, r, r.owner, r.vnumber) for r in rows
            if r.target != "draft" or _may_see_draft(actor, scope, r.owner)]


def add_comment(conn: Connection, actor: Actor, workshop_id: int, *, body: str,
                target: str = "merged", step_id: str | None = None, parent_id: int | None = None,
                version: int | None = None, draft_user_id: int | None = None) -> dict[str, Any]:
    """A comment pinned to a step of a draft, the merged map or a version; or a reply."""
    row, scope = _workshop(conn, actor, workshop_id)
    require(actor, "comment.write", scope)
    body = (body or "").strip()
    if not body or len(body) > 10000:
        raise BadInput("a comment has 1 to 10,000 characters")
    draft_id = version_id = None
    if parent_id is not None:
        parent = conn.execute(select(comments).where(comments.c.id == parent_id,
                                                     comments.c.workshop_id == workshop_id)).first()
        if parent is None:
            raise NotFound("no such comment to answer")
        target, draft_id, version_id = parent.target, parent.draft_id, parent.version_id
        step_id = parent.step_id
        if target == "draft":
            owner = conn.execute(select(drafts.c.user_id).where(drafts.c.id == draft_id)).scalar_one()
            if not _may_see_draft(actor, scope, owner):
                raise NotFound("no such comment to answer")
        text = None
    elif target == "draft":
        owner = actor.id if draft_user_id is None else draft_user_id
        if not _may_see_draft(actor, scope, owner):
            raise NotFound("no such draft")
        draft = _draft_row(conn, workshop_id, owner)
        draft_id, text = draft.id, draft.yaml
    elif target == "merged":
        if row.merged_yaml is None:
            raise NotFound("the drafts are not merged yet")
        text = row.merged_yaml
    elif target == "version":
        if version is None:
            raise BadInput("say which version")
        vrow = conn.execute(select(versions).where(versions.c.process_id == row.process_id,
                                                   versions.c.number == version)).first()
        if vrow is None:
            raise NotFound(f"no version {version}")
        version_id, text = vrow.id, vrow.yaml
    else:
        raise BadInput("a comment's target is draft, merged or version")
    if step_id is not None and text is not None:
        loaded, _ = lib.try_load(text, "map.yaml")
        if loaded is not None and step_id not in loaded.process.steps:
            raise BadInput(f"the map has no step {step_id!r}")
    new_id = conn.execute(insert(comments).values(
        workshop_id=workshop_id, target=target, draft_id=draft_id, version_id=version_id,
        step_id=step_id, parent_id=parent_id, author_id=actor.id, body=body,
        created_at=now())).inserted_primary_key[0]
    return _one_comment(conn, new_id)


def _one_comment(conn: Connection, comment_id: int) -> dict[str, Any]:
    r = conn.execute(select(comments, drafts.c.user_id.label("owner"),
                            versions.c.number.label("vnumber"))
                     .outerjoin(drafts, drafts.c.id == comments.c.draft_id)
                     .outerjoin(versions, versions.c.id == comments.c.version_id)
                     .where(comments.c.id == comment_id)).one()
    return _comment_json(conn, r, r.owner, r.vnumber)


def resolve_comment(conn: Connection, actor: Actor, comment_id: int) -> dict[str, Any]:
    """Mark a comment resolved (the facilitator or its author)."""
    row = conn.execute(select(comments).where(comments.c.id == comment_id)).first()
    if row is None:
        raise NotFound("no such comment")
    _, scope = _workshop(conn, actor, row.workshop_id)
    if scope.role is None and not actor.is_admin:
        require(actor, "comment.read", scope)  # outside the workshop: 404 (401 when anonymous)
    if row.target == "draft":
        owner = conn.execute(select(drafts.c.user_id).where(drafts.c.id == row.draft_id)).scalar_one()
        if not _may_see_draft(actor, scope, owner):
            raise NotFound("no such comment")
    require(actor, "comment.resolve", Scope(role=scope.role, author_id=row.author_id))
    if row.resolved_at is None:
        conn.execute(update(comments).where(comments.c.id == comment_id)
                     .values(resolved_by=actor.id, resolved_at=now()))
    return _one_comment(conn, comment_id)


def set_password(conn: Connection, ctx: Context, user_id: int, password: str) -> None:
    """Give an account a new password (the demo's accounts, on each start)."""
    conn.execute(update(users).where(users.c.id == user_id)
                 .values(password_hash=ctx.passwords.hash(password)))
