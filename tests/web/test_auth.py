"""Sign-in, sessions, CSRF, rate limiting and the first admin, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.web.conftest import ADMIN_PASSWORD, PASSWORD, new_account


def test_the_first_start_makes_an_admin_whose_password_is_a_hash(app, client) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from procmap.web.store.db import transaction
    from procmap.web.store.tables import users

    admin = client("admin")
    assert admin.user["is_admin"] is True
    with transaction(app.state.server.engine, write=False) as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and ADMIN_PASSWORD not in stored
    assert app.state.server.first_admin is None  # the password was given, not generated


def test_a_generated_admin_password_is_handed_over_once(tmp_path) -> None:
    from procmap.web import Settings, create_app
    from tests.web.conftest import FAST

    settings = Settings(data_dir=tmp_path, secret_key="k", **FAST)
    first = create_app(settings)
    email, password = first.state.server.first_admin
    assert email == "admin" and len(password) >= 12
    again = create_app(settings)
    assert again.state.server.first_admin is None
    for one in (first, again):
        one.state.server.engine.dispose()


def test_writes_without_the_csrf_token_are_refused(client) -> None:  # type: ignore[no-untyped-def]
    admin = client("admin")
    http = admin.http
    assert http.post("/api/processes", json={"key": "a", "name": "A"}).status_code == 403
    assert http.post("/api/processes", json={"key": "a", "name": "A"},
                     headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert http.post("/api/session", json={"email": "admin", "password": ADMIN_PASSWORD}
                     ).status_code == 403  # sign-in too (login CSRF)
    ok = admin.post("/api/processes", json={"key": "a", "name": "A"})
    assert ok.status_code == 201
    # a form field works as well as the header
    form = http.post("/api/session", data={"csrf_token": admin.token, "email": "x"})
    assert form.status_code != 403


def test_the_session_cookie_is_signed_httponly_and_lax(client) -> None:  # type: ignore[no-untyped-def]
    anonymous = client()
    answer = anonymous.post("/api/session", json={"email": "admin", "password": ADMIN_PASSWORD})
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert anonymous.get("/api/me").status_code == 200
    value = anonymous.http.cookies.get("procmap_session")
    fresh = client().http
    assert fresh.get("/api/me", headers={"cookie": f"procmap_session={value}"}).status_code == 200
    forged = value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    assert fresh.get("/api/me", headers={"cookie": f"procmap_session={forged}"}).status_code == 401
    assert anonymous.delete("/api/session").status_code == 200
    assert anonymous.get("/api/me").status_code == 401


def test_five_failures_lock_the_account_for_a_while(client) -> None:  # type: ignore[no-untyped-def]
    admin = client("admin")
    new_account(admin, "ann@example.org", "Ann")
    someone = client()
    for _ in range(5):
        wrong = someone.post("/api/session", json={"email": "ann@example.org", "password": "nope-nope"})
        assert wrong.status_code == 401
    locked = someone.post("/api/session", json={"email": "ann@example.org", "password": PASSWORD})
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    # other accounts are not locked
    assert client().post("/api/session", json={"email": "admin", "password": ADMIN_PASSWORD}
                         ).status_code == 200


def test_wrong_and_unknown_accounts_say_the_same(client) -> None:  # type: ignore[no-untyped-def]
    one = client().post("/api/session", json={"email": "nobody", "password": "whatever1"})
    two = client().post("/api/session", json={"email": "admin", "password": "whatever1"})
    assert one.status_code == two.status_code == 401
    assert one.json()["error"] == two.json()["error"]


def test_only_an_admin_makes_accounts_and_emails_are_unique(client) -> None:  # type: ignore[no-untyped-def]
    admin = client("admin")
    new_account(admin, "ann@example.org", "Ann")
    ann = client("ann@example.org")
    assert ann.post("/api/accounts", json={"email": "b@x", "name": "B", "password": PASSWORD}
                    ).status_code == 403
    assert admin.post("/api/accounts", json={"email": "ANN@example.org", "name": "A",
                                             "password": PASSWORD}).status_code == 409
    assert admin.post("/api/accounts", json={"email": "c@x", "name": "C", "password": "short"}
                      ).status_code == 400


def test_answers_carry_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    answer = client().get("/api/openapi.json")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
