"""The workshop end to end in real Chromium (Debian's, driven by Playwright), on SQLite and PostgreSQL.

A real ``procmap serve`` runs as a subprocess on a free loopback port. A
facilitator and three participants, each in their own browser context, run a
workshop on the onboarding example: three different drafts edited in the page,
a stale save in a second tab (shown, not applied), the merge with its conflicts,
a conflict resolved in the merged map's editor, the agreement, and the new
version's outside-in difference from the previous one. Every request the
browser makes goes to the server on 127.0.0.1.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.web.browser import ADMIN_PASSWORD, Requests, launch, serve
from tests.web.conftest import ONBOARDING

pytestmark = pytest.mark.slow
playwright_api = pytest.importorskip("playwright.sync_api")

PASSWORD = "workshop-password-1"
TEXT = ONBOARDING.read_text(encoding="utf-8")
DRAFTS = {
    # three different drafts: two disagree with the map on how long the CRM record takes
    "Ann": TEXT.replace("    duration: 15m\n", "    duration: 30m\n", 1),
    "Bo": TEXT.replace("    duration: 15m\n", "    duration: 1h\n", 1)
          .replace("name: Assign a named success manager", "name: Assign a named customer success manager"),
    "Cy": TEXT.replace("probability: 0.8}", "probability: 0.6}").replace("probability: 0.2}", "probability: 0.4}"),
}


def make_facilitator(url: str) -> None:
    """The admin makes the facilitator's account (over the API: there is no page for it yet)."""
    with httpx.Client(base_url=url) as http:
        token = http.get("/api/csrf").json()["csrf_token"]
        headers = {"X-CSRF-Token": token}
        assert http.post("/api/session", json={"email": "admin", "password": ADMIN_PASSWORD},
                         headers=headers).status_code == 200
        made = http.post("/api/accounts", headers=headers,
                         json={"email": "fran@example.org", "name": "Fran", "password": PASSWORD})
        assert made.status_code == 201, made.text


def sign_in(page, url: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")


def edit(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Edit the map in the page's YAML editor and save it."""
    editor = page.locator("section#editor textarea#yaml")
    editor.fill(text)
    editor.press("End")
    page.get_by_role("button", name="Save", exact=True).click()


def run_workshop(url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    make_facilitator(url)
    requests = Requests()
    with sync_playwright() as pw:
        browser = launch(pw)
        contexts = {name: browser.new_context() for name in ("Fran", *DRAFTS)}
        for context in contexts.values():
            context.on("request", requests.record)
        try:
            fac = contexts["Fran"].new_page()
            sign_in(fac, url, "fran@example.org")
            # the process from the onboarding example, and a workshop on it
            fac.get_by_label("A map as YAML or BPMN (optional)").set_input_files(str(ONBOARDING))
            fac.get_by_role("button", name="Add the process").click()
            fac.wait_for_url(url + "/processes/customer-onboarding")
            expect(fac.locator("#versions")).to_contain_text("first version")
            fac.get_by_label("Title").fill("Onboarding workshop")
            fac.get_by_role("button", name="Open a workshop").click()
            fac.wait_for_url(re.compile(r".*/workshops/\d+$"))
            workshop = fac.url
            # each participant joins by their own invite link and drafts alone
            pages = {}
            for name, draft in DRAFTS.items():
                fac.get_by_label("Role").select_option("participant")
                fac.get_by_role("button", name="Make an invite link").click()
                link = fac.locator("#invite-url").input_value()
                assert link.startswith(url + "/invites/")
                page = contexts[name].new_page()
                page.goto(link)
                page.get_by_label("Your name").fill(name)
                page.locator("#new-email").fill(f"{name.lower()}@example.org")
                page.get_by_label("Password (at least 8 characters)").fill(PASSWORD)
                page.get_by_role("button", name="Create the account and join").click()
                page.wait_for_url(workshop)
                page.get_by_role("link", name="Open your draft").click()
                expect(page.locator("svg.procmap-diagram")).to_be_visible()
                edit(page, draft)
                expect(page.locator(".notice")).to_contain_text("Saved: revision 2")
                pages[name] = page
            # a participant does not see the others' drafts
            pages["Bo"].goto(workshop)
            expect(pages["Bo"].locator("body")).not_to_contain_text("Ann")

            # a stale save in a second tab: the difference is shown, nothing overwritten
            ann = pages["Ann"]
            second = contexts["Ann"].new_page()
            second.goto(workshop + "/draft")
            first_text = DRAFTS["Ann"].replace("note: Half of the forms", "note: Most of the forms")
            edit(ann, first_text)
            expect(ann.locator(".notice")).to_contain_text("Saved: revision 3")
            edit(second, DRAFTS["Ann"].replace("    duration: 30m\n", "    duration: 45m\n", 1))
            expect(second.locator("#stale")).to_contain_text("Nothing was overwritten")
            expect(second.locator("#stale-diff")).to_contain_text("Most of the forms")
            saved = second.request.get(url + workshop.removeprefix(url).replace("/workshops", "/api/workshops")
                                       + "/draft").json()
            assert saved["revision"] == 3 and saved["yaml"] == first_text

            # the facilitator sees who drafted, and merges
            fac.goto(workshop)
            expect(fac.locator("#participants")).to_contain_text("Cy")
            fac.get_by_role("button", name="Merge the drafts").click()
            conflicts = fac.locator("#conflicts")
            expect(conflicts).to_contain_text("different durations")
            expect(conflicts).to_contain_text("Ann: 30m; Bo: 1h; Cy: 15m")
            expect(conflicts).to_contain_text("different branch probabilities")
            for page in pages.values():  # everyone sees the merged map and the report
                page.goto(workshop)
                expect(page.locator("#agreement")).to_contain_text("different durations")
            # the conflict resolved in the merged map's editor
            fac.get_by_role("link", name="Open the merged map").click()
            expect(fac.locator("svg.procmap-diagram")).to_be_visible()
            merged = fac.locator("textarea#yaml").input_value()
            resolved, count = re.subn(r"(  create-crm-record:\n(?:    .*\n)*?    duration: )\S+",
                                      r"\g<1>20m", merged, count=1)
            assert count == 1
            edit(fac, resolved)
            expect(fac.locator(".notice")).to_contain_text("Saved: revision 2")
            fac.goto(workshop)
            fac.get_by_label("What the group agreed (the version's message)").fill(
                "Agreed: the CRM record takes 20 minutes")
            fac.get_by_role("button", name="Agree: make the merged map the next version").click()
            expect(fac.locator("#workshop-state")).to_have_text("agreed")
            expect(fac.locator("#agreed-version")).to_have_text("version 2")
            # the agreed version and its difference from the previous one
            fac.get_by_role("link", name="What changed since version 1").click()
            diff = fac.locator("[data-testid=diff]")
            expect(diff).to_contain_text("Version 1 → version 2")
            expect(diff).to_contain_text("expected cycle time")
            fac.goto(url + "/processes/customer-onboarding/versions/2")
            expect(fac.locator("textarea#yaml")).to_contain_text("duration: 20m")
            expect(fac.locator("body")).to_contain_text("Agreed: the CRM record takes 20 minutes")
            fac.screenshot(path=str(tmp_path / "version.png"), full_page=True)
        finally:
            browser.close()
    assert requests.urls, "no request was recorded"
    assert requests.foreign() == [], f"requests to other hosts: {requests.foreign()}"


def test_a_workshop_end_to_end_in_chromium_on_sqlite(tmp_path: Path) -> None:
    with serve(tmp_path / "data") as server:
        run_workshop(server.url, tmp_path)


def test_a_workshop_end_to_end_in_chromium_on_postgresql(tmp_path: Path, postgres) -> None:  # type: ignore[no-untyped-def]
    with serve(tmp_path / "data", postgres.new_database()) as server:
        run_workshop(server.url, tmp_path)
