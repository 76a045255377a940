"""Accessibility: axe-core (npm, tests/js) in Debian's Chromium on the editor, the map page and
the merge page.

A real ``procmap serve`` on SQLite; a participant (Pat) has a draft of the onboarding example,
the facilitator (Fran) merges. axe-core is injected from ``tests/js/node_modules`` (installed by
``npm ci --prefix tests/js``, never fetched at run time) and run on each page as its user sees
it (the contexts bypass the server's Content-Security-Policy so that axe can be put in the
page; nothing else differs): no serious or critical violation. Nothing is asked of any host but 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.browser import Requests, launch, serve
from tests.web.conftest import ONBOARDING
from tests.web.test_editor_browser import PASSWORD, open_editor, set_up

pytestmark = pytest.mark.slow
playwright_api = pytest.importorskip("playwright.sync_api")

AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def violations(page) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical violations of the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("() => axe.run(document).then(r => r.violations.map(v => ({"
                          "id: v.id, impact: v.impact, help: v.help,"
                          "nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))")
    return [v for v in found if v["impact"] in BLOCKING]


def described(found: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in found)


def sign_in(page, url: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")


def merge(url: str, wid: int) -> None:
    with httpx.Client(base_url=url) as fran:
        headers = {"X-CSRF-Token": fran.get("/api/csrf").json()["csrf_token"]}
        assert fran.post("/api/session", json={"email": "fran@example.org", "password": PASSWORD},
                         headers=headers).status_code == 200
        merged = fran.post(f"/api/workshops/{wid}/merge", headers=headers)
        assert merged.status_code == 200, merged.text


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci --prefix tests/js)")
def test_no_serious_or_critical_violations_on_the_editor_the_map_and_the_merge_page(
        tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    requests = Requests()
    with serve(tmp_path / "data") as server:
        url = server.url
        wid = set_up(url, key="customer-onboarding",
                     yaml_text=ONBOARDING.read_text(encoding="utf-8"))
        seen: dict[str, list[dict[str, Any]]] = {}
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                pat_context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
                pat_context.on("request", requests.record)
                pat = pat_context.new_page()
                # the editor, with a step selected (the inspector open) and the diagram drawn
                open_editor(pat, url, wid)
                pat.wait_for_function("() => window.procmapEditor.settled()", polling=50)
                pat.evaluate("() => window.procmapEditor.select('create-crm-record')")
                expect(pat.locator("#ed-inspector")).to_be_visible()
                seen["editor"] = violations(pat)
                # the map page of the draft
                pat.goto(f"{url}/workshops/{wid}/draft")
                expect(pat.locator("svg.procmap-diagram")).to_be_visible()
                seen["map page (draft)"] = violations(pat)

                merge(url, wid)
                fran_context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
                fran_context.on("request", requests.record)
                fran = fran_context.new_page()
                sign_in(fran, url, "fran@example.org")
                fran.goto(f"{url}/workshops/{wid}")
                expect(fran.locator("#agreement")).to_be_visible()
                seen["workshop page after the merge"] = violations(fran)
                fran.goto(f"{url}/workshops/{wid}/merged")
                expect(fran.locator("svg.procmap-diagram")).to_be_visible()
                seen["merged map page"] = violations(fran)
                # the participant's view of the merge
                pat.goto(f"{url}/workshops/{wid}")
                expect(pat.locator("#agreement")).to_be_visible()
                seen["workshop page after the merge (participant)"] = violations(pat)
            finally:
                browser.close()
    problems = {page: described(found) for page, found in seen.items() if found}
    assert not problems, "\n\n".join(f"{page}:\n{text}" for page, text in problems.items())
    assert requests.foreign() == [], f"requests to other hosts: {requests.foreign()}"
