"""Accounts, sessions, CSRF, login rate limiting, invite tokens and the first admin.

* **Passwords** are argon2id hashes (argon2-cffi), rehashed on sign-in when the cost changes.
* **Session**: the cookie ``procmap_session`` holds the account id and the CSRF token,
  signed with the server's secret (itsdangerous), HttpOnly, SameSite=Lax, expiring
  after ``Settings.session_max_age``.
* **CSRF** (double submit, bound to the session): every answer carries the cookie
  ``procmap_csrf`` (readable by scripts, not HttpOnly) when the request had none.
  Every unsafe request (POST, PUT, PATCH, DELETE), JSON and HTML form alike, must
  send the same value in the header ``X-CSRF-Token`` or in the form field
  ``csrf_token``; a signed-in request must also match the token in its session.
  Otherwise: 403. Pages read the token as ``request.state.csrf_token`` (set on every
  request; the template variable ``csrf_token`` of the pages) and put it in a hidden
  ``<input name="csrf_token">``; scripts read the ``procmap_csrf`` cookie or
  ``GET /api/csrf`` and send the header.
* **Login rate limiting**, in memory (one server process; it forgets on restart):
  ``Settings.login_failures`` failures per account and ``Settings.address_failures``
  per client address within ``Settings.login_window`` seconds, then 429 with
  Retry-After until the oldest failure ages out. A success clears the account's count.
* **Invites**: a random token shown once; only its SHA-256 is stored.
* **First start**: with no account yet, an admin is made (``Settings.admin_email``, the
  password from the settings, PROCMAP_ADMIN_PASSWORD, or generated and handed to
  ``procmap serve`` to print once).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Connection, func, insert, select, update
from starlette.requests import Request
from starlette.responses import Response

from procmap.web.permissions import Actor
from procmap.web.settings import Settings
from procmap.web.store.tables import users

SESSION_COOKIE = "procmap_session"
CSRF_COOKIE = "procmap_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def now() -> datetime:
    """The current UTC time, without a zone (as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Passwords:
    """argon2id hashing with the settings' cost."""

    def __init__(self, settings: Settings) -> None:
        self.hasher = PasswordHasher(time_cost=settings.argon2_time_cost,
                                     memory_cost=settings.argon2_memory_kib)

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self.hasher.check_needs_rehash(stored)


class Sessions:
    """Signed session cookies."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.signer = URLSafeTimedSerializer(settings.key(), salt="procmap-session")

    def read(self, request: Request) -> dict | None:
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw:
            return None
        try:
            data = self.signer.loads(raw, max_age=self.settings.session_max_age)
        except BadSignature:
            return None
        return data if isinstance(data, dict) else None

    def start(self, response: Response, user_id: int, csrf: str) -> None:
        value = self.signer.dumps({"u": user_id, "c": csrf})
        response.set_cookie(SESSION_COOKIE, value, max_age=self.settings.session_max_age,
                            httponly=True, samesite="lax", secure=self.settings.secure_cookies,
                            path="/")

    def end(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                               secure=self.settings.secure_cookies)


def csrf_token(request: Request) -> str:
    """The request's CSRF token: its cookie's, or a new one the answer will set."""
    token = getattr(request.state, "csrf_token", None)
    if token:
        return token
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    request.state.csrf_token = token
    return token


def set_csrf_cookie(request: Request, response: Response, settings: Settings) -> None:
    """Give the browser the CSRF cookie when it has none (or a different one)."""
    token = getattr(request.state, "csrf_token", None)
    if token and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, max_age=settings.session_max_age,
                            httponly=False, samesite="lax", secure=settings.secure_cookies,
                            path="/")


async def csrf_sent(request: Request) -> str | None:
    """The token an unsafe request sent: the header, else the form field."""
    sent = request.headers.get(CSRF_HEADER)
    if sent:
        return sent
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        try:
            form = await request.form()
        except Exception:  # a broken form body: no token
            return None
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def csrf_ok(request: Request, sent: str | None, session: dict | None) -> bool:
    """Does the sent token match the cookie (and the session's, when signed in)?"""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not sent or not cookie or not secrets.compare_digest(sent, cookie):
        return False
    if session is not None and session.get("c") is not None:
        return secrets.compare_digest(str(session["c"]), sent)
    return True


class RateLimiter:
    """Failed sign-ins per key (account, client address) within a window, in memory."""

    def __init__(self, window: float) -> None:
        self.window = window
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def _recent(self, key: str, at: float) -> deque[float]:
        times = self.failures[key]
        while times and times[0] <= at - self.window:
            times.popleft()
        return times

    def blocked(self, key: str, limit: int) -> float:
        """Seconds until ``key`` may try again (0: now)."""
        at = time.monotonic()
        with self.lock:
            times = self._recent(key, at)
            if len(times) < limit:
                return 0.0
            return max(1.0, times[0] + self.window - at)

    def fail(self, key: str) -> None:
        with self.lock:
            self.failures[key].append(time.monotonic())

    def clear(self, key: str) -> None:
        with self.lock:
            self.failures.pop(key, None)


def actor_of(conn: Connection, session: dict | None) -> Actor:
    """The signed-in account of a session, or anonymous."""
    if not session or not isinstance(session.get("u"), int):
        return Actor()
    row = conn.execute(select(users.c.id, users.c.email, users.c.name, users.c.is_admin)
                       .where(users.c.id == session["u"])).first()
    if row is None:
        return Actor()
    return Actor(row.id, row.email, row.name, bool(row.is_admin))


def token_hash(token: str) -> str:
    """How an invite token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


def ensure_admin(conn: Connection, settings: Settings, passwords: Passwords) -> tuple[str, str] | None:
    """Make the first admin when there is no account; returns (email, password) when generated."""
    if conn.execute(select(func.count()).select_from(users)).scalar_one():
        return None
    given = settings.admin_password or os.environ.get("PROCMAP_ADMIN_PASSWORD")
    password = given or secrets.token_urlsafe(12)
    conn.execute(insert(users).values(email=settings.admin_email, name="Administrator",
                                      password_hash=passwords.hash(password), is_admin=True,
                                      created_at=now()))
    return None if given else (settings.admin_email, password)


def rehash(conn: Connection, passwords: Passwords, user_id: int, stored: str, password: str) -> None:
    """Store a new hash when the cost settings changed."""
    if passwords.needs_rehash(stored):
        conn.execute(update(users).where(users.c.id == user_id)
                     .values(password_hash=passwords.hash(password)))
