"""Export maps and drive the Node tools in tests/js (bpmn-js, bpmnlint, bpmn-auto-layout).

Shared by the browser tests, ``screenshots.py`` and the BPMN benchmark: a local
HTTP server for the viewer page, and ``node`` runs that answer JSON.
"""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

JS = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")


def node(script: str, *args: str, timeout: float = 300) -> dict:
    """Run ``node tests/js/<script> ARGS`` and answer the JSON it prints."""
    result = subprocess.run(["node", str(JS / script), *args], capture_output=True, text=True,
                            timeout=timeout, check=False, cwd=JS)
    if result.returncode != 0:
        raise RuntimeError(f"node {script} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def viewer_url() -> Iterator[str]:
    """Serve tests/js on 127.0.0.1 (an ephemeral port); yield the viewer page's URL."""
    handler = functools.partial(_Quiet, directory=str(JS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/viewer.html"
    finally:
        server.shutdown()
        server.server_close()


def show(files: list[Path], out_dir: Path | None = None) -> dict:
    """Open each BPMN file in bpmn-js (headless Chromium) and say what it drew; with
    ``out_dir``, screenshot each into it."""
    with viewer_url() as url:
        return node("show.js", url, str(out_dir) if out_dir else "-", *map(str, files))


def ready() -> str | None:
    """Why the Node tools cannot run here, or None when they can."""
    if not (JS / "node_modules" / "bpmn-js").is_dir():
        return "tests/js/node_modules is missing: run make test (npm ci --prefix tests/js)"
    if not CHROMIUM.exists():
        return "Debian's chromium is missing: run make test"
    return None
