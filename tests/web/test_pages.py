"""The HTML pages, on SQLite and PostgreSQL: who sees which page, names escaped everywhere,
bad form input answered with an error page (never a 500), the stale save shown, the whole flow."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.web.conftest import ONBOARDING, PASSWORD, Client, new_account

SCRIPT = "<script>alert(1)</script>"


def form(c: Client, **fields: object) -> dict[str, object]:
    return {"csrf_token": c.token, **fields}


def revision(page: str) -> int:
    return int(re.search(r'name="base_revision" value="(\d+)"', page).group(1))


def textarea(page: str) -> str:
    import html

    return html.unescape(re.search(r'<textarea id="yaml"[^>]*>(.*?)</textarea>', page, re.S).group(1))


@dataclass
class Workshop:
    id: int
    fac: Client
    ann: Client
    bo: Client
    viewer: Client
    outsider: Client
    anonymous: Client
    admin: Client


def join(app, fac: Client, role: str, name: str, email: str) -> Client:  # type: ignore[no-untyped-def]
    page = fac.post("/workshops/1/invites", data=form(fac, role=role, days="3"))
    assert page.status_code == 200, page.text
    path = re.search(r'id="invite-url" readonly value="http://testserver([^"]+)"', page.text).group(1)
    person = Client(app)
    assert person.get(path).status_code == 200
    answer = person.post(path, data=form(person, mode="create", name=name, email=email,
                                         password=PASSWORD), follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return person


@pytest.fixture
def shop(app, client) -> Workshop:  # type: ignore[no-untyped-def]
    admin = client("admin")
    new_account(admin, "fran@example.org", "Fran")
    new_account(admin, "out@example.org", "Otto")
    fac = client("fran@example.org")
    made = fac.post("/processes", data=form(fac),
                    files={"file": ("onboarding.yaml", ONBOARDING.read_bytes())}, follow_redirects=False)
    assert made.status_code == 303, made.text
    opened = fac.post("/workshops", data=form(fac, process="customer-onboarding", title="March"),
                      follow_redirects=False)
    assert opened.headers["location"] == "/workshops/1"
    ann = join(app, fac, "participant", "Ann", "ann@example.org")
    bo = join(app, fac, "participant", "Bo", "bo@example.org")
    viewer = join(app, fac, "viewer", "Vic", "vic@example.org")
    return Workshop(1, fac, ann, bo, viewer, client("out@example.org"), client(), admin)


def save(c: Client, text: str, base: int, url: str = "/workshops/1/draft"):  # type: ignore[no-untyped-def]
    return c.post(url, data=form(c, yaml=text, base_revision=str(base)), follow_redirects=False)


def ann_draft_url(shop: Workshop) -> str:
    return f"/workshops/1/drafts/{shop.ann.get('/api/me').json()['id']}"


def test_each_page_answers_for_the_roles_that_may_see_it(shop: Workshop) -> None:
    ann_url = ann_draft_url(shop)
    expect = {
        "/": {"fac": 200, "ann": 200, "viewer": 200, "outsider": 200, "anonymous": 303},
        "/processes/customer-onboarding": {"fac": 200, "ann": 200, "outsider": 200, "anonymous": 303},
        "/processes/customer-onboarding/versions/1": {"fac": 200, "viewer": 200, "anonymous": 303},
        "/workshops/1": {"fac": 200, "ann": 200, "viewer": 200, "outsider": 404, "anonymous": 303,
                         "admin": 200},
        "/workshops/1/draft": {"ann": 200, "bo": 200, "fac": 403, "viewer": 403, "outsider": 404},
        ann_url: {"fac": 200, "ann": 200, "bo": 404, "viewer": 404, "outsider": 404},
        "/workshops/1/merged": {"fac": 404, "ann": 404},  # not merged yet
        "/signin": {"anonymous": 200, "ann": 200},
    }
    for path, answers in expect.items():
        for who, status in answers.items():
            got = getattr(shop, who).get(path, follow_redirects=False)
            assert got.status_code == status, f"{who} GET {path}: {got.status_code}\n{got.text[:500]}"
            assert "Traceback" not in got.text
    assert shop.anonymous.get("/workshops/1", follow_redirects=False).headers["location"] == \
        "/signin?next=/workshops/1"
    # every form on every page carries the CSRF token
    for path in expect:
        for who in ("fac", "ann", "viewer"):
            page = getattr(shop, who).get(path).text
            fields = re.findall(r'<input type="hidden" name="csrf_token" value="([^"]*)">', page)
            assert all(value == getattr(shop, who).token for value in fields), (who, path)
    # the participant's draft is not listed to the other participant, nor its existence
    assert ann_url not in shop.bo.get("/workshops/1").text
    assert ann_url in shop.fac.get("/workshops/1").text


def test_a_facilitator_merges_resolves_and_agrees_in_the_pages(shop: Workshop) -> None:
    text = ONBOARDING.read_text(encoding="utf-8")
    ann = text.replace("    duration: 15m\n", "    duration: 30m\n", 1)
    bo = text.replace("    duration: 15m\n", "    duration: 1h\n", 1)
    assert save(shop.ann, ann, 1).status_code == 303
    assert save(shop.bo, bo, 1).status_code == 303
    facing = shop.fac.get("/workshops/1").text
    assert "Merge the drafts" in facing and "Ann" in facing and "Bo" in facing
    merged = shop.fac.post("/workshops/1/merge", data=form(shop.fac), follow_redirects=True)
    assert merged.status_code == 200
    assert "The agreement report" in merged.text and "different durations" in merged.text
    for who in (shop.ann, shop.bo, shop.viewer):
        page = who.get("/workshops/1")
        assert "different durations" in page.text and "Agree:" not in page.text
        assert who.get("/workshops/1/merged").status_code == 200
    merged_page = shop.fac.get("/workshops/1/merged").text
    assert 'id="editor"' in merged_page and "procmap-diagram" in merged_page
    resolved = re.sub(r"(create-crm-record:\n(?:.*\n)*?    duration: )\S+", r"\g<1>20m",
                      textarea(merged_page), count=1)
    assert save(shop.fac, resolved, revision(merged_page), "/workshops/1/merged").status_code == 303
    agreed = shop.fac.post("/workshops/1/agree", data=form(shop.fac, message="Agreed in March",
                                                           merged_revision="2"), follow_redirects=True)
    assert agreed.status_code == 200, agreed.text
    assert "version 2" in agreed.text and 'data-testid="diff"' in agreed.text
    diff = shop.fac.get("/processes/customer-onboarding/diff?from=1&to=2")
    assert diff.status_code == 200 and "Version 1 → version 2" in diff.text
    assert "expected cycle time" in diff.text
    version = shop.viewer.get("/processes/customer-onboarding/versions/2").text
    assert "20m" in textarea(version) and "Agreed in March" in version


def test_a_stale_save_shows_the_difference_and_overwrites_nothing(shop: Workshop) -> None:
    text = ONBOARDING.read_text(encoding="utf-8")
    first = text.replace("name: Customer onboarding", "name: Onboarding, first tab", 1)
    second = text.replace("name: Customer onboarding", "name: Onboarding, second tab", 1)
    assert save(shop.ann, first, 1).status_code == 303
    stale = save(shop.ann, second, 1)
    assert stale.status_code == 409
    assert 'id="stale"' in stale.text and "Nothing was overwritten" in stale.text
    assert "Onboarding, first tab" in stale.text  # the saved text, in the difference
    assert textarea(stale.text) == second and revision(stale.text) == 2  # yours kept to merge
    assert shop.ann.get("/api/workshops/1/draft").json()["yaml"] == first


def test_a_draft_that_does_not_load_is_saved_and_shows_located_errors(shop: Workshop) -> None:
    broken = ONBOARDING.read_text(encoding="utf-8").replace("actor: sales\n", "actor: nobody\n", 1)
    saved = save(shop.ann, broken, 1)
    page = shop.ann.get(saved.headers["location"]).text
    assert "The map does not load" in page and "nobody" in page
    assert re.search(r"line \d+, column \d+", page)
    assert "procmap-diagram" not in page and textarea(page) == broken


def test_names_typed_by_users_are_escaped_on_every_page(shop: Workshop, app) -> None:  # type: ignore[no-untyped-def]
    evil = ONBOARDING.read_text(encoding="utf-8").replace(
        "name: Create the customer record in the CRM", f"name: '{SCRIPT}'", 1).replace(
        "name: Customer onboarding", f"name: '{SCRIPT} onboarding'", 1)
    assert save(shop.ann, evil, 1).status_code == 303
    step = shop.ann.post("/workshops/1/comments", data=form(
        shop.ann, step_id="create-crm-record", body=SCRIPT, back="/workshops/1/draft"),
        follow_redirects=False)
    assert step.status_code == 303, step.text
    mallory = join(app, shop.fac, "participant", SCRIPT, "mallory@example.org")
    assert save(mallory, evil, 1).status_code == 303
    shop.fac.post("/workshops", data=form(shop.fac, process="customer-onboarding", title=SCRIPT))
    shop.fac.post("/processes", data=form(shop.fac, key="evil", name=SCRIPT))
    pages = ["/", "/processes/customer-onboarding", "/processes/evil", "/workshops/1",
             "/workshops/2", ann_draft_url(shop)]
    seen = [shop.fac.get(p) for p in pages] + [shop.ann.get("/workshops/1/draft")]
    shop.fac.post("/workshops/1/merge", data=form(shop.fac))
    seen += [shop.fac.get("/workshops/1"), shop.fac.get("/workshops/1/merged"),
             shop.ann.get("/workshops/1/merged")]
    for page in seen:
        assert page.status_code == 200, page.text[:300]
        assert SCRIPT not in page.text, page.url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in seen[-1].text


@pytest.mark.parametrize("path, fields, status", [
    ("/workshops/1/draft", {"yaml": "a: b", "base_revision": "one"}, 400),
    ("/workshops/1/draft", {"base_revision": "1"}, 400),
    ("/workshops/1/invites", {"role": "king", "days": "3"}, 400),
    ("/workshops/1/invites", {"role": "viewer", "days": "many"}, 400),
    ("/workshops/1/invites", {"role": "viewer", "days": "1000"}, 400),
    ("/workshops/99/draft", {"yaml": "a: b", "base_revision": "1"}, 404),
    ("/workshops/1/comments", {"body": "", "step_id": "x", "back": "/workshops/1/draft"}, 400),
    ("/workshops/1/comments", {"body": "hi", "parent_id": "x"}, 400),
    ("/comments/12345/resolve", {}, 404),
    ("/workshops", {"process": "no-such-process", "title": "t"}, 404),
    ("/processes", {"key": "bad key!", "name": "x"}, 400),
    ("/invites/not-a-token", {"mode": "join"}, 404),
])
def test_bad_form_input_gets_an_error_page(shop: Workshop, path: str, fields: dict[str, str],
                                           status: int) -> None:
    who = shop.fac if "invites" in path or path in ("/workshops", "/processes") else shop.ann
    answer = who.post(path, data=form(who, **fields), follow_redirects=False)
    assert answer.status_code == status, answer.text[:500]
    assert "<!DOCTYPE html>" in answer.text and "Traceback" not in answer.text
    assert f"Error {status}" in answer.text


def test_bad_uploads_queries_and_tokens_get_error_pages(shop: Workshop) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<definitions>&b;</definitions>")
    for name, data in (("map.bpmn", b"<definitions"), ("map.bpmn", bomb), ("map.yaml", b"\xff\xfe\x00")):
        answer = shop.ann.post("/workshops/1/draft/upload", data=form(shop.ann, base_revision="1"),
                               files={"file": (name, data)}, follow_redirects=False)
        assert answer.status_code == 400, answer.text[:300]
        assert "Traceback" not in answer.text
    answer = shop.ann.post("/workshops/1/draft/upload", data=form(shop.ann, base_revision="1"),
                           files={"file": ("big.yaml", b"#" * (3 * 2**20))}, follow_redirects=False)
    assert answer.status_code == 413
    assert shop.fac.get("/processes/customer-onboarding/diff?from=x&to=1").status_code == 400
    assert shop.fac.get("/processes/customer-onboarding/diff?from=1&to=7").status_code == 404
    refused = shop.ann.http.post("/workshops/1/draft", data={"yaml": "a", "base_revision": "1",
                                                            "csrf_token": "forged"})
    assert refused.status_code == 403 and "CSRF" in refused.text
    assert shop.ann.get("/workshops/abc").status_code in (400, 404)


def test_downloads_of_a_draft_and_comments_with_replies(shop: Workshop) -> None:
    page = shop.ann.get("/workshops/1/draft").text
    for fmt in ("yaml", "bpmn", "svg", "png", "html"):
        assert f'href="/api/workshops/1/draft/download/{fmt}"' in page
        assert shop.ann.get(f"/api/workshops/1/draft/download/{fmt}").status_code == 200
    shop.ann.post("/workshops/1/comments", data=form(shop.ann, step_id="kickoff-call",
                                                     body="Is it 45 minutes?", back="/workshops/1/draft"))
    page = shop.ann.get("/workshops/1/draft").text
    comment_id = re.search(r'id="comment-(\d+)"', page).group(1)
    shop.ann.post("/workshops/1/comments", data=form(shop.ann, parent_id=comment_id, step_id="kickoff-call",
                                                     body="Yes, usually", back="/workshops/1/draft"))
    shop.ann.post(f"/comments/{comment_id}/resolve", data=form(shop.ann, back="/workshops/1/draft"))
    page = shop.ann.get("/workshops/1/draft").text
    assert "Is it 45 minutes?" in page and "Yes, usually" in page and "resolved" in page
    assert "Kick-off call" in page
    assert "Is it 45 minutes?" not in shop.bo.get("/workshops/1/draft").text


def test_sign_in_and_out_through_the_pages(app) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import ADMIN_PASSWORD

    visitor = Client(app)
    wrong = visitor.post("/signin", data=form(visitor, email="admin", password="nope"))
    assert wrong.status_code == 401 and "wrong email or password" in wrong.text
    right = visitor.post("/signin", data=form(visitor, email="admin", password=ADMIN_PASSWORD,
                                              next="/processes/x"), follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/processes/x"
    away = visitor.post("/signin", data=form(visitor, email="admin", password=ADMIN_PASSWORD,
                                             next="//evil.example"), follow_redirects=False)
    assert away.headers["location"] == "/"
    assert "Signed in as" in visitor.get("/").text
    assert visitor.get("/assets/report.js").status_code == 200
    assert visitor.get("/static/app.css").status_code == 200
