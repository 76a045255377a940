"""Fixtures of the workshop server's tests: every storage test runs on SQLite AND PostgreSQL.

PostgreSQL is a throwaway cluster started once per test session from Debian's
binaries (/usr/lib/postgresql/*/bin): initdb into a temporary folder, pg_ctl
start on a free port with its socket in that folder, and stopped and removed at
the end. As root it runs as the ``postgres`` system user (initdb refuses root).
Without the binaries the PostgreSQL variants fail and say so (``make test``
installs them).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

FAST = {"argon2_time_cost": 1, "argon2_memory_kib": 8192}
"""Cheap password hashing for tests."""

ADMIN_PASSWORD = "admin-password-1"
PASSWORD = "password-123"
ONBOARDING = EXAMPLES / "customer-onboarding.yaml"
TINY = """procmap: 1
process: tiny
name: Tiny
actors:
  customer: {kind: customer, name: Customer}
  team: {kind: team, name: Team}
outcomes:
  served: {name: Customer is served}
steps:
  ask: {kind: start, actor: customer, name: Customer asks}
  serve: {actor: team, name: Serve the customer, needs: [ask], delivers: [served]}
"""
"""A map of two steps: the customer asks, a team serves."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throwaway PostgreSQL cluster."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise RuntimeError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
                               "run `make test`, or apt-get install postgresql")
        self.bin = Path(found[-1]).parent
        self.root = Path(tempfile.mkdtemp(prefix="procmap-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            user = "postgres"
            if subprocess.run(["id", "-u", user], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", user], check=True)
            shutil.chown(self.root, user, user)
            os.chmod(self.root, 0o700)
            self.prefix = ["runuser", "-u", user, "--"]
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "procmap", "--no-sync",
                 "-E", "UTF8")
        options = (f"-k {self.root} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200")
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
                 "-w", "start")

    def run(self, tool: str, *args: str) -> None:
        result = subprocess.run([*self.prefix, str(self.bin / tool), *args], capture_output=True,
                                text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed: {result.stdout}{result.stderr}")

    def new_database(self) -> str:
        """An empty database on the cluster; its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        self.run("createdb", "-h", str(self.root), "-p", str(self.port), "-U", "procmap", name)
        return f"postgresql://procmap@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    try:
        cluster = Postgres()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    """The database URL of one test: None (SQLite in the data folder) or a new PostgreSQL one."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture
def settings(database: str | None, tmp_path: Path):  # type: ignore[no-untyped-def]
    from procmap.web.settings import Settings

    return Settings(data_dir=tmp_path / "data", database_url=database, secret_key="test-secret",
                    admin_password=ADMIN_PASSWORD, **FAST)


@pytest.fixture
def app(settings):  # type: ignore[no-untyped-def]
    from procmap.web import create_app

    application = create_app(settings)
    yield application
    application.state.server.engine.dispose()


class Client:
    """A TestClient of one person: signs in, and sends the CSRF token with every write."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        from fastapi.testclient import TestClient

        self.http = TestClient(app, raise_server_exceptions=False)
        self.token = self.http.get("/api/csrf").json()["csrf_token"]
        self.user: dict = {}

    def _headers(self, headers: dict | None) -> dict:
        return {"X-CSRF-Token": self.token, **(headers or {})}

    def get(self, url: str, **kw):  # type: ignore[no-untyped-def]
        return self.http.get(url, **kw)

    def post(self, url: str, headers: dict | None = None, **kw):  # type: ignore[no-untyped-def]
        return self.http.post(url, headers=self._headers(headers), **kw)

    def put(self, url: str, headers: dict | None = None, **kw):  # type: ignore[no-untyped-def]
        return self.http.put(url, headers=self._headers(headers), **kw)

    def delete(self, url: str, headers: dict | None = None, **kw):  # type: ignore[no-untyped-def]
        return self.http.delete(url, headers=self._headers(headers), **kw)

    def request(self, method: str, url: str, headers: dict | None = None, **kw):  # type: ignore[no-untyped-def]
        return self.http.request(method, url, headers=self._headers(headers), **kw)

    def sign_in(self, email: str, password: str) -> Client:
        answer = self.post("/api/session", json={"email": email, "password": password})
        assert answer.status_code == 200, answer.text
        self.user = answer.json()
        return self


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    """Make clients: ``client()`` anonymous, ``client("admin")`` signed in as the admin."""

    def make(email: str | None = None, password: str = PASSWORD) -> Client:
        one = Client(app)
        if email == "admin":
            return one.sign_in("admin", ADMIN_PASSWORD)
        if email:
            return one.sign_in(email, password)
        return one

    return make


def new_account(admin: Client, email: str, name: str | None = None) -> int:
    answer = admin.post("/api/accounts", json={"email": email, "name": name or email.split("@")[0],
                                               "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]
