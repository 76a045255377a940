"""The workshop server under load: 50 participants saving their drafts at once, and a merge.

Against a real ``procmap serve`` over loopback, on SQLite and on PostgreSQL (a
throwaway cluster from Debian's binaries, as the tests start one, unless
``--postgresql URL`` is given):

* ``--clients`` participants (50), each with their own account, session and
  draft in one workshop, save their drafts as fast as the server answers for
  ``--seconds`` (60): p50/p95/p99 save latency and saves per second. Every
  tenth save of a client (from its third) is deliberately based on an older revision: it must be
  refused (409) showing exactly the client's last acknowledged text and
  revision (a true conflict). At the end every client reads its draft back:
  it must be its last acknowledged revision and text. Lost saves, silently
  applied stale saves and 409s on an up-to-date save are counted and must be 0.
* a merge of 12 drafts of 50 steps (benchmarks/merge.py's participants), with
  its agreement report: the time of ``POST /api/workshops/{id}/merge``
  (target under 1 s), and of the merged map's HTML report.

    python benchmarks/serve.py                 # 60 s per database
    python benchmarks/serve.py --seconds 2     # the smoke run
    python benchmarks/serve.py --databases sqlite
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from _measure import machine_line, table  # noqa: E402
from merge import participant_text  # noqa: E402

ONBOARDING = (ROOT / "examples" / "customer-onboarding.yaml").read_text(encoding="utf-8")
PASSWORD = "benchmark-password-1"
STALE_EVERY = 10


class Session:
    """One person's HTTP session: cookies, and the CSRF token on every write."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=60)
        self.token = self.http.get("/api/csrf").json()["csrf_token"]

    def send(self, method: str, path: str, **kw: object) -> httpx.Response:
        return self.http.request(method, path, headers={"X-CSRF-Token": self.token}, **kw)  # type: ignore[arg-type]

    def ok(self, method: str, path: str, **kw: object) -> dict:
        answer = self.send(method, path, **kw)
        if answer.status_code >= 300:
            raise RuntimeError(f"{method} {path}: {answer.status_code} {answer.text[:300]}")
        return answer.json()


def join(url: str, facilitator: Session, workshop: int, name: str, person: Session | None = None) -> Session:
    """A participant joins by an invite link (making an account unless already signed in)."""
    token = facilitator.ok("POST", f"/api/workshops/{workshop}/invites", json={"role": "participant"})["token"]
    if person is None:
        person = Session(url)
        person.ok("POST", f"/api/invites/{token}/accept",
                  json={"email": f"{name}@example.org", "name": name, "password": PASSWORD})
    else:
        person.ok("POST", f"/api/invites/{token}/accept", json={})
    return person


@dataclass
class Tally:
    """What one client saw."""

    latencies: list[float] = field(default_factory=list)
    saves: int = 0
    true_conflicts: int = 0
    false_conflicts: int = 0
    stale_applied: int = 0
    errors: list[str] = field(default_factory=list)
    revision: int = 1
    text: str = ""


def participant(person: Session, workshop: int, who: int, until: float, tally: Tally) -> None:
    """Save the draft again and again; the third save and every tenth after it are stale on purpose."""
    path = f"/api/workshops/{workshop}/draft"
    n = 0
    while time.monotonic() < until:
        n += 1
        text = ONBOARDING.replace("note: Half of the forms", f"note: client {who} save {n}: Half of the forms", 1)
        stale = n % STALE_EVERY == 3 and tally.revision > 1
        base = tally.revision - 1 if stale else tally.revision
        start = time.perf_counter()
        answer = person.send("PUT", path, json={"yaml": text, "base_revision": base})
        took = time.perf_counter() - start
        if answer.status_code == 200:
            body = answer.json()
            if stale:
                tally.stale_applied += 1
            tally.latencies.append(took)
            tally.saves += 1
            tally.revision, tally.text = body["revision"], text
        elif answer.status_code == 409:
            current = answer.json().get("current", {})
            if stale and current.get("revision") == tally.revision and current.get("yaml") == tally.text:
                tally.true_conflicts += 1
            else:
                tally.false_conflicts += 1
        else:
            tally.errors.append(f"{answer.status_code} {answer.text[:200]}")
            return


@dataclass
class Result:
    database: str
    clients: int
    seconds: float
    tallies: list[Tally]
    lost: int
    merge_seconds: float
    report_seconds: float
    merged_steps: int
    conflicts: int

    @property
    def latencies(self) -> list[float]:
        return sorted(x for t in self.tallies for x in t.latencies)

    def quantile(self, q: float) -> float:
        values = self.latencies
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(q * len(values)))] * 1000

    def total(self, name: str) -> int:
        return sum(getattr(t, name) for t in self.tallies)


def run(url: str, database: str, clients: int, seconds: float, drafts: int, steps: int) -> Result:
    admin = Session(url)
    admin.ok("POST", "/api/session", json={"email": "admin", "password": PASSWORD})
    admin.ok("POST", "/api/processes", json={"yaml": ONBOARDING})
    workshop = admin.ok("POST", "/api/workshops", json={"process": "customer-onboarding",
                                                         "title": "Load"})["id"]
    people = [join(url, admin, workshop, f"p{i:02d}") for i in range(clients)]
    tallies = [Tally(text=ONBOARDING) for _ in people]  # each draft is seeded from version 1
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=participant, args=(p, workshop, i, until, t))
               for i, (p, t) in enumerate(zip(people, tallies, strict=True))]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - started
    lost = 0
    for person, tally in zip(people, tallies, strict=True):
        back = person.ok("GET", f"/api/workshops/{workshop}/draft")
        if back["revision"] != tally.revision or back["yaml"] != tally.text:
            lost += 1
    # the merge of 12 drafts of 50 steps, with its agreement report
    second = admin.ok("POST", "/api/workshops", json={"process": "customer-onboarding",
                                                      "title": "Merge"})["id"]
    for who, person in enumerate(people[:drafts]):
        join(url, admin, second, "", person)
        person.ok("PUT", f"/api/workshops/{second}/draft",
                  json={"yaml": participant_text(steps, who), "base_revision": 1})
    start = time.perf_counter()
    merged = admin.ok("POST", f"/api/workshops/{second}/merge")
    merge_seconds = time.perf_counter() - start
    start = time.perf_counter()
    report = admin.send("GET", f"/api/workshops/{second}/merged/download/html")
    report_seconds = time.perf_counter() - start
    assert report.status_code == 200, report.text[:300]
    steps_merged = merged.get("scorecard", {}).get("counts", {}).get("steps") or merged["yaml"].count("\n    name: ")
    for person in people:
        person.http.close()
    admin.http.close()
    return Result(database, clients, took, tallies, lost, merge_seconds, report_seconds,
                  steps_merged, len(merged["report"]["conflicts"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the clients save (60)")
    parser.add_argument("--clients", type=int, default=50, help="participants saving at once (50)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--postgresql", help="a PostgreSQL URL (default: a throwaway cluster)")
    parser.add_argument("--drafts", type=int, default=12, help="drafts in the merge (12)")
    parser.add_argument("--steps", type=int, default=50, help="steps per merged draft (50)")
    args = parser.parse_args()
    if args.drafts > args.clients:
        parser.error("--drafts cannot exceed --clients (the merge takes the first clients' drafts)")
    from tests.web.browser import serve

    print(machine_line("procmap serve benchmark"))
    print(f"{args.clients} participants saving their drafts for {args.seconds:g} s over loopback; "
          f"every {STALE_EVERY}th save stale on purpose; a merge of {args.drafts} drafts of {args.steps} steps\n")
    results = []
    cluster = None
    try:
        for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
            url = None
            if database == "postgresql":
                url = args.postgresql
                if url is None:
                    from tests.web.conftest import Postgres

                    cluster = cluster or Postgres()
                    url = cluster.new_database()
            with tempfile.TemporaryDirectory() as tmp, \
                    serve(Path(tmp) / "data", url, extra_env={"PROCMAP_ADMIN_PASSWORD": PASSWORD}) as server:
                results.append(run(server.url, database, args.clients, args.seconds, args.drafts, args.steps))
    finally:
        if cluster is not None:
            cluster.stop()
    header = ["database", "clients", "saves", "saves/s", "p50 ms", "p95 ms", "p99 ms",
              "409 true", "409 false", "stale applied", "lost", "merge s", "report s"]
    rows = [[r.database, str(r.clients), str(r.total("saves")), f"{r.total('saves') / r.seconds:.0f}",
             f"{r.quantile(0.50):.1f}", f"{r.quantile(0.95):.1f}", f"{r.quantile(0.99):.1f}",
             str(r.total("true_conflicts")), str(r.total("false_conflicts")), str(r.total("stale_applied")),
             str(r.lost), f"{r.merge_seconds:.2f}", f"{r.report_seconds:.2f}"] for r in results]
    print("\n".join(table(header, rows)))
    failures = []
    for r in results:
        errors = [e for t in r.tallies for e in t.errors]
        if errors:
            failures.append(f"{r.database}: {len(errors)} clients stopped on errors, first: {errors[0]}")
        if r.lost or r.total("false_conflicts") or r.total("stale_applied"):
            failures.append(f"{r.database}: saves lost or overwritten")
        print(f"{r.database}: merge of {args.drafts} drafts × {args.steps} steps → {r.merged_steps} steps, "
              f"{r.conflicts} conflicts in the report, {r.merge_seconds:.2f} s")
    print("target: 0 lost or silently overwritten saves; a merge of 12 drafts of 50 steps under 1 s")
    for failure in failures:
        print("FAILED", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
