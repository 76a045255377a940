"""Helpers of the browser test: a real ``procmap serve`` and Debian's Chromium.

The server runs as a subprocess on a free loopback port with its own data
folder (SQLite) or a PostgreSQL URL; Chromium is Debian's (never downloaded),
driven by Playwright's Python API. Every request a page makes is recorded, so
a test can hold that nothing but the server was asked for anything.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ADMIN_EMAIL = "admin"
ADMIN_PASSWORD = "admin-password-for-tests"


def free_port() -> int:
    """A TCP port nobody listens on at the moment."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running ``procmap serve``."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def serve_command() -> list[str]:
    """``procmap serve`` from this environment."""
    script = Path(sys.executable).with_name("procmap")
    return [str(script) if script.exists() else "procmap", "serve"]


@contextlib.contextmanager
def serve(data: Path, database: str | None = None, *, extra_env: dict[str, str] | None = None,
          timeout: float = 60.0) -> Iterator[Server]:
    """Start ``procmap serve`` on a free loopback port and stop it afterwards."""
    port = free_port()
    data.mkdir(parents=True, exist_ok=True)
    command = [*serve_command(), "--host", "127.0.0.1", "--port", str(port), "--data", str(data)]
    if database:
        command += ["--database", database]
    env = {**os.environ, "PROCMAP_ADMIN_PASSWORD": ADMIN_PASSWORD, **(extra_env or {})}
    log = data / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"procmap serve stopped ({process.returncode}):\n{server.output()}")
            try:
                if httpx.get(server.url + "/signin", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"procmap serve did not answer in {timeout:.0f} s:\n{server.output()}")
            time.sleep(0.2)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the server (its own process group, which this helper started) and wait for it."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@dataclass
class Requests:
    """Every URL the browser asked for."""

    urls: list[str] = field(default_factory=list)

    def record(self, request) -> None:  # type: ignore[no-untyped-def]
        self.urls.append(request.url)

    def foreign(self) -> list[str]:
        """The requests that went anywhere but the server on 127.0.0.1."""
        return [u for u in self.urls
                if not (u.startswith(("data:", "blob:", "about:")) or urlsplit(u).hostname == "127.0.0.1")]


def launch(playwright):  # type: ignore[no-untyped-def]
    """Debian's Chromium, headless, with nothing of its own going to the network."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
