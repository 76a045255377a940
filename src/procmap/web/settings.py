"""The workshop server's settings: where it stores things and its limits.

One frozen dataclass, built by ``procmap serve`` from its options or by the tests.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

MiB = 2**20


def default_data_dir() -> Path:
    """The folder in the user's data directory (``platformdirs``) where the server keeps its files."""
    import platformdirs

    return Path(platformdirs.user_data_dir("procmap"))


@dataclass(frozen=True)
class Settings:
    """Everything the server needs to know.

    Args:
        data_dir: the folder for the SQLite file (``procmap.sqlite``) and the secret key.
        database_url: ``postgresql://…`` (or any SQLAlchemy URL); ``None`` for SQLite in ``data_dir``.
        secret_key: signs session cookies; ``None`` reads (or creates) ``data_dir/secret.key``.
        session_max_age: seconds a sign-in lasts.
        upload_limit: the largest map (YAML text or uploaded file) in bytes; more gets 413.
        login_failures: failed sign-ins per account within ``login_window`` before 429.
        address_failures: failed sign-ins per client address within ``login_window`` before 429.
        login_window: seconds over which failures are counted.
        admin_email: the first account's sign-in name, made on first start.
        admin_password: its password; ``None`` uses PROCMAP_ADMIN_PASSWORD, else one is generated
            (and shown once by ``procmap serve``).
        secure_cookies: mark cookies Secure (behind HTTPS).
        argon2_time_cost, argon2_memory_kib: the password hash's cost (the tests lower it).
        content_security_policy: the Content-Security-Policy header of every answer.
    """

    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str | None = None
    secret_key: str | None = None
    session_max_age: int = 14 * 24 * 3600
    upload_limit: int = 2 * MiB
    login_failures: int = 5
    address_failures: int = 50
    login_window: int = 15 * 60
    admin_email: str = "admin"
    admin_password: str | None = None
    secure_cookies: bool = False
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    content_security_policy: str = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
        "form-action 'self'"
    )

    @property
    def url(self) -> str:
        """The SQLAlchemy URL: PostgreSQL through psycopg 3, else the SQLite file in data_dir."""
        if self.database_url:
            url = self.database_url
            for plain in ("postgresql://", "postgres://"):
                if url.startswith(plain):
                    return "postgresql+psycopg://" + url[len(plain):]
            return url
        return f"sqlite:///{Path(self.data_dir) / 'procmap.sqlite'}"

    def key(self) -> str:
        """The secret key: given, else kept in ``data_dir/secret.key`` (made once, mode 0600)."""
        if self.secret_key:
            return self.secret_key
        path = Path(self.data_dir) / "secret.key"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        Path(self.data_dir).mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
        return key
