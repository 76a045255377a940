"""A crash during a save leaves the last good version: the real server (Uvicorn, SQLite) is
killed with SIGKILL while saves stream in, then restarted; the draft is a complete revision
that was sent, never older than the last acknowledged save, never a torn write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.web.conftest import ADMIN_PASSWORD, PASSWORD, TINY, free_port


def start(data: Path, port: int) -> subprocess.Popen:
    procmap = Path(sys.executable).parent / "procmap"
    env = {**os.environ, "PROCMAP_ADMIN_PASSWORD": ADMIN_PASSWORD}
    server = subprocess.Popen([str(procmap), "serve", "--data", str(data), "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/csrf", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError("the server did not start within 60 s")


def session(port: int, email: str, password: str) -> httpx.Client:
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    token = http.get("/api/csrf").json()["csrf_token"]
    http.headers["X-CSRF-Token"] = token
    answer = http.post("/api/session", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return http


def text_of(n: int) -> str:
    """Save n: the map, a marker, and enough padding that a write takes a while."""
    return TINY + f"# save {n}\n" + f"# {n:08d} {'x' * 90}\n" * 4000


def test_a_kill_during_saves_leaves_the_last_good_save(tmp_path) -> None:
    data, port = tmp_path / "data", free_port()
    server = start(data, port)
    try:
        admin = session(port, "admin", ADMIN_PASSWORD)
        assert admin.post("/api/accounts", json={"email": "ann@x", "name": "Ann",
                                                 "password": PASSWORD}).status_code == 201
        assert admin.post("/api/processes", json={"yaml": TINY}).status_code == 201
        wid = admin.post("/api/workshops", json={"process": "tiny"}).json()["id"]
        token = admin.post(f"/api/workshops/{wid}/invites", json={}).json()["token"]
        ann = session(port, "ann@x", PASSWORD)
        assert ann.post(f"/api/invites/{token}/accept", json={}).status_code == 200
        sent: dict[int, str] = {}      # revision a save would make → its text
        acknowledged: list[int] = []   # revisions the server confirmed
        first = ann.put(f"/api/workshops/{wid}/draft", json={"yaml": text_of(1), "base_revision": 1})
        assert first.status_code == 200
        sent[2] = text_of(1)
        acknowledged.append(2)
        stop = threading.Event()

        def stream() -> None:
            revision, n = 2, 2
            while not stop.is_set():
                sent[revision + 1] = text_of(n)
                try:
                    answer = ann.put(f"/api/workshops/{wid}/draft",
                                     json={"yaml": text_of(n), "base_revision": revision})
                except httpx.HTTPError:
                    return  # the server died mid-save
                if answer.status_code != 200:
                    return
                revision = answer.json()["revision"]
                acknowledged.append(revision)
                n += 1

        saver = threading.Thread(target=stream)
        saver.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 6 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.013)  # somewhere inside the next save
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        stop.set()
        saver.join(timeout=60)
        assert len(acknowledged) >= 6, "the saves did not get going"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    server = start(data, port)  # the same data folder
    try:
        ann = session(port, "ann@x", PASSWORD)
        draft = ann.get(f"/api/workshops/{wid}/draft").json()
        revision = draft["revision"]
        assert revision >= acknowledged[-1], (revision, acknowledged[-1])
        assert revision <= acknowledged[-1] + 1  # at most the save in flight, if it committed
        assert draft["yaml"] == sent[revision], "the stored draft is not the save of its revision"
        assert draft["loads"]
        # and the server goes on saving from there
        again = ann.put(f"/api/workshops/{wid}/draft", json={"yaml": TINY, "base_revision": revision})
        assert again.status_code == 200 and again.json()["revision"] == revision + 1
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
