"""The editor's BPMN view in real Chromium (Debian's, driven by Playwright) against a real
procmap serve on SQLite.

A participant opens the visual editor on the onboarding example and switches to the BPMN
view: bpmn-js (served from the package) draws every step of the draft with no import
warning and its bpmn.io watermark visible. A task and a lane are renamed through bpmn-js's
modeling API and the changes brought into the map: the draft read back through the API has
the new names, and the editor shows them; a text annotation attached to nothing is listed
as what could not come back. Then every bundled example goes through the real bpmn-js (import,
save) and back through the server: procmap measures the same. Nothing is asked of any host
but 127.0.0.1, and the page breaks no Content-Security-Policy rule.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import procmap
from tests.web.browser import Requests, launch, serve
from tests.web.conftest import ONBOARDING
from tests.web.test_bpmn_view import MAPS, measures
from tests.web.test_editor_browser import PASSWORD, open_editor, set_up

pytestmark = pytest.mark.slow
playwright_api = pytest.importorskip("playwright.sync_api")

TEXT = ONBOARDING.read_text(encoding="utf-8")
EXAMPLE = procmap.loads(TEXT)
NEW_NAME = "Hold the kickoff call with the customer"


@contextlib.contextmanager
def pat_client(url: str) -> Iterator[httpx.Client]:
    """Pat, signed in through the API, sending the CSRF token with every write."""
    with httpx.Client(base_url=url) as http:
        headers = {"X-CSRF-Token": http.get("/api/csrf").json()["csrf_token"]}
        assert http.post("/api/session", json={"email": "pat@example.org", "password": PASSWORD},
                         headers=headers).status_code == 200
        http.headers.update(headers)
        yield http


def test_bpmn_view_draws_the_draft_and_brings_a_change_back(tmp_path: Path) -> None:
    with serve(tmp_path / "data") as server, playwright_api.sync_playwright() as pw:
        wid = set_up(server.url, yaml_text=TEXT)
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            requests, problems = Requests(), []
            page.on("request", requests.record)
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            open_editor(page, server.url, wid)
            revision = page.evaluate("() => window.procmapEditor.revision()")

            page.get_by_role("button", name="BPMN view").click()
            page.wait_for_function("() => window.procmapBpmn.modeler() && "
                                   "document.getElementById('bpmn-status').textContent"
                                   ".startsWith('Drawn')", timeout=30000)
            assert page.get_by_role("button", name="BPMN view").get_attribute("aria-pressed") == "true"
            assert page.evaluate("() => window.procmapBpmn.importWarnings().length") == 0
            drawn = page.evaluate("""(ids) => {
                const reg = window.procmapBpmn.modeler().get('elementRegistry');
                return {steps: ids.filter(id => reg.get(id)).length,
                        shapes: reg.filter(e => !e.waypoints && e.type !== 'label').length,
                        svg: document.querySelectorAll('#bpmn-canvas .djs-element.djs-shape').length};
            }""", list(EXAMPLE.steps))
            assert drawn["steps"] == len(EXAMPLE.steps), drawn
            assert drawn["svg"] >= drawn["shapes"] > len(EXAMPLE.steps)
            # the bpmn.io watermark: there, linking to bpmn.io, visible and not covered
            mark = page.locator("#bpmn-canvas .bjs-powered-by")
            assert mark.count() == 1 and mark.is_visible()
            assert "bpmn.io" in (mark.get_attribute("href") or "")
            mark.scroll_into_view_if_needed()
            assert page.evaluate("""() => {
                const m = document.querySelector('#bpmn-canvas .bjs-powered-by');
                const r = m.getBoundingClientRect();
                const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return r.width > 0 && r.height > 0 && (hit === m || m.contains(hit)) ||
                    [r.width, r.height, hit && hit.outerHTML.slice(0, 120)];
            }""") is True

            page.evaluate("""(name) => {
                const m = window.procmapBpmn.modeler(), reg = m.get('elementRegistry');
                m.get('modeling').updateLabel(reg.get('kickoff-call'), name);
                m.get('modeling').updateLabel(reg.get('Lane_sales'), 'Sales team');
            }""", NEW_NAME)
            page.get_by_role("button", name="Bring the changes into the map").click()
            page.wait_for_function("() => window.procmapBpmn.lastAnswer() !== null")
            answer = page.evaluate("() => window.procmapBpmn.lastAnswer()")
            assert answer["status"] == 200, answer
            assert answer["body"]["warnings"] == []
            assert answer["body"]["revision"] == revision + 1
            status = page.locator("#bpmn-status").text_content() or ""
            assert f"revision {revision + 1}" in status
            assert page.locator("#bpmn-problems").is_hidden()

            with pat_client(server.url) as pat:
                draft = pat.get(f"/api/workshops/{wid}/draft").json()
            assert draft["revision"] == revision + 1 and draft["loads"]
            saved = procmap.loads(draft["yaml"])
            assert saved.steps["kickoff-call"].name == NEW_NAME
            assert saved.actors["sales"].name == "Sales team"  # a lane renamed in bpmn-js
            renamed = measures(draft["yaml"])
            renamed["steps"]["kickoff-call"] = measures(TEXT)["steps"]["kickoff-call"]
            renamed["actors"]["sales"] = measures(TEXT)["actors"]["sales"]
            assert renamed == measures(TEXT)  # nothing else changed
            # the editor reloaded the saved map and saves on from it
            assert page.evaluate("() => window.procmapEditor.revision()") == revision + 1
            assert page.evaluate("() => window.procmapEditor.model().steps['kickoff-call'].name") == NEW_NAME
            # what cannot come back is listed, with its line
            page.evaluate("""() => {
                const m = window.procmapBpmn.modeler(), reg = m.get('elementRegistry');
                const note = m.get('bpmnFactory').create('bpmn:TextAnnotation', {text: 'Ask legal first'});
                m.get('modeling').createShape({type: 'bpmn:TextAnnotation', businessObject: note},
                                              {x: 400, y: 300}, reg.get('Participant_customer-onboarding'));
            }""")
            page.get_by_role("button", name="Bring the changes into the map").click()
            page.wait_for_function("(r) => window.procmapBpmn.lastAnswer().body.revision === r",
                                   arg=revision + 2)
            problems_box = page.locator("#bpmn-problems")
            assert problems_box.is_visible()
            listed = problems_box.locator("li").all_text_contents()
            assert any("Ask legal first" in t and t.startswith("line ") for t in listed), listed
            page.get_by_role("button", name="Back to the editor").click()
            assert page.locator("#bpmn-view").is_hidden() and page.locator(".ed-columns").is_visible()

            # every example through the real bpmn-js (import, save) and back: the same measures
            xmls = [procmap.export_bpmn(procmap.loads(p.read_text(encoding="utf-8"))).decode()
                    for p in MAPS]
            through = page.evaluate("""async (xmls) => {
                const box = document.createElement('div');
                box.style.width = '800px'; box.style.height = '600px';
                document.body.appendChild(box);
                const m = new window.BpmnJS({container: box});
                const out = [];
                for (const x of xmls) {
                    const got = await m.importXML(x);
                    out.push({warnings: got.warnings.length, xml: (await m.saveXML({format: true})).xml});
                }
                m.destroy(); box.remove();
                return out;
            }""", xmls)
            base = revision + 2
            with pat_client(server.url) as pat:
                for path, result in zip(MAPS, through, strict=True):
                    assert result["warnings"] == 0, path.name
                    back = pat.post(f"/api/workshops/{wid}/draft/from-bpmn",
                                    json={"xml": result["xml"], "base_revision": base})
                    assert back.status_code == 200, (path.name, back.text)
                    assert back.json()["warnings"] == [], (path.name, back.json()["warnings"])
                    base = back.json()["revision"]
                    assert measures(back.json()["yaml"]) == \
                        measures(path.read_text(encoding="utf-8")), path.name

            assert requests.foreign() == [], requests.foreign()
            assert any("/static/vendor/bpmn-js/bpmn-modeler.production.min.js" in u
                       for u in requests.urls)
            assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
        finally:
            browser.close()
