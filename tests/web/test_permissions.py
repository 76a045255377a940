"""Every route × every role, against the rights matrix (permissions.MATRIX), on both databases.

The routes are enumerated from the app (API and pages alike): each names its action
(``openapi_extra=permissions.action(...)``). For each role — anonymous, viewer,
participant, another workshop's participant, facilitator, admin — the expected answer
is computed from ``permissions.allowed`` and ``permissions.refusal``: 2xx (or a
redirect, for pages) where allowed, 401/403/404 where refused. Each call gets a fresh
workshop, so writes (merge, agree, accepting an invite) do not disturb the others.
"""

from __future__ import annotations

import itertools
from typing import Any

import procmap
from procmap.web import services
from procmap.web.permissions import MATRIX, Actor, Scope, allowed, refusal
from procmap.web.store.db import transaction
from tests.web.conftest import ADMIN_PASSWORD, PASSWORD, TINY, Client

ROLES = ("anonymous", "viewer", "participant", "outsider", "facilitator", "admin")
"""``outsider``: a participant of another workshop."""

MERGED_STATE = {"merged.read", "merged.write", "agree"}
"""Actions tried on a workshop whose drafts are merged; the others on one still drafting."""

UNNAMED = {"/api/openapi.json", "/static"}
"""Routes with no action: open to everyone, nothing stored behind them."""

_serial = itertools.count()


def routes(app) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    """(method, path, action) of every route, through included routers."""
    found = []

    def visit(route: Any) -> None:
        if hasattr(route, "effective_route_contexts"):
            for context in route.effective_route_contexts():
                visit_one(context.path, getattr(context, "methods", None) or
                          getattr(context.original_route, "methods", None),
                          getattr(context, "openapi_extra", None) or
                          getattr(context.original_route, "openapi_extra", None))
        else:
            visit_one(route.path, getattr(route, "methods", None),
                      getattr(route, "openapi_extra", None))

    def visit_one(path: str, methods: Any, extra: Any) -> None:
        for method in sorted(methods or {"GET"}):
            if method != "HEAD":
                found.append((method, path, (extra or {}).get("x-procmap-action")))

    for route in app.routes:
        visit(route)
    return found


class World:
    """The people of the walk, and a fresh workshop for each call."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.engine = app.state.server.engine
        self.ctx = app.state.server.ctx
        with transaction(self.engine) as conn:
            admin_id = conn.exec_driver_sql("SELECT id FROM users WHERE email = 'admin'").scalar_one()
            self.admin = Actor(admin_id, "admin", "Administrator", True)
            self.people = {"admin": self.admin}
            for name in ("facilitator", "participant", "other", "viewer", "outsider", "host"):
                self.people[name] = Actor(**{k: v for k, v in services.create_account(
                    conn, self.ctx, self.admin, f"{name}@example.org", name.title(), PASSWORD).items()})
            services.create_process(conn, self.people["facilitator"], yaml=TINY)
            elsewhere = services.create_workshop(conn, self.people["host"], "tiny")["id"]
            services.add_member(conn, elsewhere, self.people["outsider"].id, "participant")

    def fresh(self, state: str) -> dict[str, Any]:
        """A workshop: facilitator, two participants, a viewer; a comment; an invite to another."""
        p = self.people
        with transaction(self.engine) as conn:
            wid = services.create_workshop(conn, p["facilitator"], "tiny")["id"]
            for who, role in (("participant", "participant"), ("other", "participant"),
                              ("viewer", "viewer")):
                services.add_member(conn, wid, p[who].id, role)
            comment = services.add_comment(conn, p["other"], wid, body="c", target="version",
                                           version=1)
            if state == "merged":  # the two participants differ on a duration: a conflict
                for who, took in (("participant", "10m"), ("other", "30m")):
                    services.save_draft(conn, p[who], wid, TINY.replace(
                        "needs: [ask]", f"needs: [ask], duration: {took}"), 1, 2**21)
                services.merge(conn, p["facilitator"], wid)
            host_shop = services.create_workshop(conn, p["host"], "tiny")["id"]
            token = services.create_invite(conn, p["host"], host_shop, "participant")["token"]
        return {"workshop_id": wid, "user_id": p["other"].id, "key": "tiny", "number": 1,
                "fmt": "yaml", "version": 1, "token": token, "comment_id": comment["id"],
                "comment_author": p["other"].id}

    def client(self, role: str) -> Client:
        one = Client(self.app)
        if role == "admin":
            return one.sign_in("admin", ADMIN_PASSWORD)
        if role != "anonymous":
            return one.sign_in(f"{role}@example.org", PASSWORD)
        return one

    def actor(self, role: str) -> Actor:
        return Actor() if role == "anonymous" else self.people[role]


def scope(role: str, action: str, ids: dict[str, Any]) -> Scope:
    """The object an action is on, as the role stands to it."""
    in_workshop = {"facilitator": "facilitator", "participant": "participant",
                   "viewer": "viewer"}.get(role)
    return Scope(role=in_workshop,
                 author_id=ids["comment_author"] if action == "comment.resolve" else None)


def body(method: str, path: str, role: str, ids: dict[str, Any]) -> dict[str, Any]:
    """What a call sends for the allowed case to succeed."""
    n = next(_serial)
    tiny_copy = TINY.replace("process: tiny", f"process: tiny-{n}")
    known: dict[tuple[str, str], dict[str, Any]] = {
        ("POST", "/api/session"): {"json": {"email": "admin", "password": ADMIN_PASSWORD}},
        ("POST", "/api/accounts"): {"json": {"email": f"new{n}@example.org", "name": "New",
                                             "password": PASSWORD}},
        ("POST", "/api/processes"): {"json": {"key": f"p{n}", "name": "P"}},
        ("POST", "/api/processes/upload"): {"files": {"file": ("t.yaml", tiny_copy.encode())}},
        ("POST", "/api/workshops"): {"json": {"process": "tiny"}},
        ("POST", "/api/workshops/{workshop_id}/invites"): {"json": {"role": "viewer"}},
        ("POST", "/api/invites/{token}/accept"): {"json": {} if role != "anonymous" else {
            "email": f"joiner{n}@example.org", "name": "Joiner", "password": PASSWORD}},
        ("PUT", "/api/workshops/{workshop_id}/draft"): {"json": {"yaml": TINY, "base_revision": 1}},
        ("POST", "/api/workshops/{workshop_id}/draft/upload"): {
            "files": {"file": ("t.yaml", TINY.encode())}, "data": {"base_revision": "1"}},
        ("PUT", "/api/workshops/{workshop_id}/merged"): {"json": {"yaml": TINY, "base_revision": 1}},
        ("POST", "/api/workshops/{workshop_id}/agree"): {"json": {}},
        ("POST", "/api/workshops/{workshop_id}/merged/choose"): {
            "json": {"conflict": 0, "participant": "Other", "base_revision": 1}},
        ("POST", "/api/workshops/{workshop_id}/comments"): {
            "json": {"body": "hello", "target": "version", "version": 1}},
        ("POST", "/api/workshops/{workshop_id}/to-bpmn"): {"json": {"yaml": TINY}},
        ("POST", "/api/workshops/{workshop_id}/draft/from-bpmn"): {
            "json": {"xml": procmap.export_bpmn(procmap.loads(TINY)).decode(), "base_revision": 1}},
        ("POST", "/api/workshops/{workshop_id}/merged/from-bpmn"): {
            "json": {"xml": procmap.export_bpmn(procmap.loads(TINY)).decode(), "base_revision": 1}},
    }
    pages: dict[tuple[str, str], dict[str, Any]] = {
        ("POST", "/signin"): {"data": {"email": "admin", "password": ADMIN_PASSWORD}},
        ("POST", "/invites/{token}"): {"data": {} if role != "anonymous" else {
            "mode": "create", "email": f"joiner{n}@example.org", "name": "Joiner",
            "password": PASSWORD}},
        ("POST", "/processes"): {"data": {"key": f"p{n}", "name": "P"}},
        ("POST", "/workshops"): {"data": {"process": "tiny"}},
        ("POST", "/workshops/{workshop_id}/invites"): {"data": {"role": "viewer"}},
        ("POST", "/workshops/{workshop_id}/draft"): {"data": {"yaml": TINY, "base_revision": "1"}},
        ("POST", "/workshops/{workshop_id}/draft/upload"): {
            "files": {"file": ("t.yaml", TINY.encode())}, "data": {"base_revision": "1"}},
        ("POST", "/workshops/{workshop_id}/merged"): {"data": {"yaml": TINY, "base_revision": "1"}},
        ("POST", "/workshops/{workshop_id}/comments"): {
            "data": {"body": "hello", "parent_id": str(ids["comment_id"])}},
    }
    return known.get((method, path)) or pages.get((method, path), {})


def query(path: str) -> str:
    return "?from=1&to=1" if path.endswith("/diff") else ""


def test_every_route_answers_every_role_as_the_matrix_says(app) -> None:  # type: ignore[no-untyped-def]
    world = World(app)
    listed = routes(app)
    assert len(listed) > 30
    unnamed = [(m, p) for m, p, a in listed if a is None and p not in UNNAMED]
    assert not unnamed, f"routes without an action (openapi_extra=action(...)): {unnamed}"
    wrong = []
    for method, path, action in listed:
        if action is None:
            continue
        assert action in MATRIX, action
        for role in ROLES:
            ids = world.fresh("merged" if action in MERGED_STATE else "drafting")
            url = path.format(**{k: v for k, v in ids.items() if "{" + k + "}" in path}) + query(path)
            person = world.client(role)
            answer = person.request(method, url, follow_redirects=False,
                                    **body(method, path, role, ids))
            actor, obj = world.actor(role), scope(role, action, ids)
            if allowed(actor, action, obj):
                ok = 200 <= answer.status_code < 300 or (
                    not path.startswith("/api") and answer.status_code in (302, 303))
                expected = "2xx"
            else:
                expected = refusal(actor, action, obj)
                ok = answer.status_code == expected or (
                    expected == 401 and not path.startswith("/api")
                    and answer.status_code in (302, 303)
                    and "signin" in answer.headers.get("location", ""))
            if not ok:
                wrong.append(f"{method} {path} as {role}: {answer.status_code}, expected "
                             f"{expected} ({action}): {answer.text[:160]}")
    assert not wrong, "\n".join(wrong)


def test_the_matrix_keeps_its_promises() -> None:
    participant, viewer = Scope(role="participant"), Scope(role="viewer")
    someone = Actor(7, "a", "A")
    assert not allowed(someone, "drafts.read", participant)
    assert refusal(someone, "drafts.read", participant) == 404  # other drafts are not shown
    assert refusal(someone, "workshop.read", Scope()) == 404    # nor other workshops
    assert refusal(Actor(), "workshop.read", Scope()) == 401
    writes = {"draft.own", "merge", "merged.write", "agree", "comment.write", "invite.create",
              "comment.resolve"}
    assert not any(allowed(someone, a, viewer) for a in writes)  # a viewer never writes
    assert allowed(Actor(1, "admin", "A", True), "merge", Scope())
