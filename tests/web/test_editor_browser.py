"""The visual editor in real Chromium (Debian's, driven by Playwright) against a real procmap serve
on SQLite.

A participant builds the first ten steps of the onboarding example with the keyboard and the
mouse only (lanes, steps typed into lanes, Enter for the next step, a flow picked by name
completion and one with the mouse, decisions with their branches, durations in words, an
outcome delivered), saves, and the saved draft loads and equals the example's first ten steps
(steps, actors, flows, kinds). Then the guided working-backwards mode, answered as
examples/onboarding-backwards.answers.yaml answers procmap's builder, rebuilds the example's
outcomes and their chains. Nothing is asked of any host but 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

import procmap
from tests.web.browser import ADMIN_PASSWORD, Requests, launch, serve
from tests.web.conftest import ONBOARDING

pytestmark = pytest.mark.slow
playwright_api = pytest.importorskip("playwright.sync_api")

PASSWORD = "editor-password-1"
EXAMPLE = procmap.loads(ONBOARDING.read_text(encoding="utf-8"))
FIRST_TEN = list(EXAMPLE.steps)[:10]
ANSWERS = ONBOARDING.parent / "onboarding-backwards.answers.yaml"


def set_up(url: str, key: str = "customer-onboarding", name: str = "Customer onboarding",
           yaml_text: str | None = None) -> int:
    """A facilitator's workshop on a process (empty, or the given map), and the participant Pat in it."""
    with httpx.Client(base_url=url) as http:
        headers = {"X-CSRF-Token": http.get("/api/csrf").json()["csrf_token"]}
        assert http.post("/api/session", json={"email": "admin", "password": ADMIN_PASSWORD},
                         headers=headers).status_code == 200
        for who in ("fran", "pat"):
            made = http.post("/api/accounts", headers=headers, json={
                "email": f"{who}@example.org", "name": who.title(), "password": PASSWORD})
            assert made.status_code in (201, 409), made.text
    with httpx.Client(base_url=url) as fran:
        headers = {"X-CSRF-Token": fran.get("/api/csrf").json()["csrf_token"]}
        assert fran.post("/api/session", json={"email": "fran@example.org", "password": PASSWORD},
                         headers=headers).status_code == 200
        body: dict[str, Any] = {"yaml": yaml_text} if yaml_text else {"key": key, "name": name}
        assert fran.post("/api/processes", json=body, headers=headers).status_code == 201
        wid = fran.post("/api/workshops", json={"process": key}, headers=headers).json()["id"]
        token = fran.post(f"/api/workshops/{wid}/invites", json={"role": "participant"},
                          headers=headers).json()["token"]
    with httpx.Client(base_url=url) as pat:
        headers = {"X-CSRF-Token": pat.get("/api/csrf").json()["csrf_token"]}
        assert pat.post("/api/session", json={"email": "pat@example.org", "password": PASSWORD},
                        headers=headers).status_code == 200
        assert pat.post(f"/api/invites/{token}/accept", json={}, headers=headers).status_code == 200
    return wid


def open_editor(page, url: str, wid: int) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/signin")
    page.get_by_label("Email").fill("pat@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")
    page.goto(f"{url}/workshops/{wid}/draft")
    page.get_by_role("link", name="Edit visually").click()
    page.wait_for_url(f"{url}/workshops/{wid}/draft/edit")
    page.wait_for_function("() => window.procmapEditor && window.procmapEditor.updates() >= 1")


# --- keyboard and mouse -------------------------------------------------------------------------

def add_lane(page, text: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    page.click("#ed-lane-name")
    page.keyboard.type(text)
    page.keyboard.press("Tab")           # to the kind
    page.keyboard.type(kind)             # type-ahead picks the kind
    page.keyboard.press("Enter")


def type_step(page, lane: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """A step typed into a lane; Enter adds it after the selected step."""
    page.click(f'[data-key="add:{lane}"]')
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def select_step(page, sid: str) -> None:  # type: ignore[no-untyped-def]
    page.click(f'[data-key="step:{sid}"]')


def set_kind(page, kind: str) -> None:  # type: ignore[no-untyped-def]
    page.click("#ed-step-name")
    page.keyboard.press("Tab")           # the lane
    page.keyboard.press("Tab")           # the kind
    page.keyboard.type(kind)


def words(page, field: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page.click(f"#ed-step-{field}")
    page.keyboard.type(text)


def branch(page, label: str, text: str, lane_name: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """A branch of the selected decision: its label, then the next step (new or drawn)."""
    page.click("#ed-branch-label")
    page.keyboard.type(label)
    page.keyboard.press("Tab")
    page.keyboard.type(text)
    if lane_name:
        page.keyboard.press("Escape")
        page.keyboard.press("Tab")       # the lane of the new step
        page.keyboard.type(lane_name)
    page.keyboard.press("Enter")


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the diagram and the scorecard show the map as it is now."""
    page.wait_for_function("() => window.procmapEditor.settled()", polling=50)


def build_first_ten(page) -> None:  # type: ignore[no-untyped-def]
    add_lane(page, "sales: Sales", "team")
    add_lane(page, "customer: New customer", "customer")    # the customer's lane goes on top
    add_lane(page, "crm: CRM", "system")
    add_lane(page, "success: Customer Success", "team")
    page.click("#ed-outcome-name")
    page.keyboard.type("informed: Customer knows how to use the service")
    page.keyboard.press("Enter")

    type_step(page, "customer", "order-signed: Customer signs the order")
    set_kind(page, "start")
    type_step(page, "customer", "submit-details: Submit name, email and order details")
    type_step(page, "sales", "check-details: Are the details complete?")
    set_kind(page, "decision")
    words(page, "wait", "4 hours")
    branch(page, "complete", "create-crm-record: Create the customer record in the CRM")
    branch(page, "incomplete", "ask-missing-details: Ask the customer for the missing details")
    # back to the missing details: its next step picked with the mouse, in the diagram
    select_step(page, "ask-missing-details")
    settle(page)
    page.click("#ed-pick")
    page.click('#ed-diagram .node[data-step="submit-details"]')
    # the CRM record, then a chain typed with Enter
    select_step(page, "create-crm-record")
    words(page, "duration", "15 min")
    type_step(page, "crm", "set-up-account: Create the customer's account and users")
    page.keyboard.press("Control+z")   # undo …
    page.keyboard.press("Control+y")   # … and redo
    page.click("#ed-step-name")
    page.keyboard.press("Enter")       # Enter in a step's name: its next step
    page.keyboard.type("send-training-invite: Send the invite to the training videos")
    page.keyboard.press("Enter")
    page.keyboard.type("watch-training: Watch the getting-started videos")
    page.keyboard.press("Tab")
    page.keyboard.type("New")           # the lane of the new step (type-ahead)
    page.keyboard.press("Enter")
    words(page, "duration", "1 hour")
    words(page, "wait", "2 days")
    page.get_by_role("checkbox", name="Customer knows how to use the service").check()
    # a second decision after the CRM record, found by name completion
    select_step(page, "create-crm-record")
    type_step(page, "sales", "big-order: Is it a big order?")
    set_kind(page, "decision")
    page.click("#ed-branch-label")
    page.keyboard.type("yes")
    page.keyboard.press("Tab")
    page.keyboard.type("assign-manager: Assign a named success manager")
    page.keyboard.press("Tab")
    page.keyboard.type("Cu")            # the lane: Customer Success
    page.keyboard.press("Enter")
    settle(page)


def expected_first_ten() -> procmap.Process:
    """The example's first ten steps, their actors and the flows among them."""
    data = EXAMPLE.model_dump(by_alias=True, exclude_defaults=True, mode="json")
    keep = set(FIRST_TEN)
    steps = {}
    for sid in FIRST_TEN:
        step = dict(data["steps"][sid])
        for key in ("needs", "then"):
            if key in step:
                step[key] = [s for s in step[key] if s in keep]
        if "branches" in step:
            step["branches"] = {k: v for k, v in step["branches"].items() if v["to"] in keep}
        steps[sid] = step
    actors = {a: data["actors"][a] for a in {s["actor"] for s in steps.values()}}
    return procmap.Process.model_validate({**data, "actors": actors, "steps": steps,
                                           "outcomes": {"informed": data["outcomes"]["informed"]}})


def shape(process: procmap.Process) -> dict[str, Any]:
    graph = process.graph
    return {
        "steps": {sid: (s.name, s.actor, s.kind.value) for sid, s in process.steps.items()},
        "actors": {a: (x.kind.value, x.name) for a, x in process.actors.items()},
        "flows": sorted((p, sid) for sid in process.steps for p in graph.predecessors(sid)),
        "branches": {sid: sorted((label, b.to) for label, b in s.branches.items())
                     for sid, s in process.steps.items() if s.branches},
        "delivers": {sid: sorted(s.delivers) for sid, s in process.steps.items() if s.delivers},
    }


def saved_draft(url: str, wid: int) -> dict[str, Any]:
    with httpx.Client(base_url=url) as pat:
        headers = {"X-CSRF-Token": pat.get("/api/csrf").json()["csrf_token"]}
        pat.post("/api/session", json={"email": "pat@example.org", "password": PASSWORD}, headers=headers)
        return pat.get(f"/api/workshops/{wid}/draft").json()


def test_the_first_ten_onboarding_steps_typed_and_saved(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with serve(tmp_path / "data") as server:
        wid = set_up(server.url)
        requests = Requests()
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                context = browser.new_context()
                context.on("request", requests.record)
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                open_editor(page, server.url, wid)
                build_first_ten(page)
                # the lanes: the customer's on top
                lanes = page.locator("#ed-lanes code").all_text_contents()
                assert lanes[0] == "customer", lanes
                # the scorecard is procmap's on the map as it stands
                text = page.evaluate("window.procmapEditor.yaml()")
                card = procmap.analyze(procmap.loads(text))
                expect(page.locator("#ed-mot")).to_have_text(str(card.counts["moments_of_truth"]))
                expect(page.locator("#ed-bp")).to_have_text(str(card.counts["break_points"]))
                expect(page.locator("#ed-br")).to_have_text(str(card.counts["business_rules"]))
                # clicking a finding selects its step
                finding = page.locator("#ed-findings button[data-step]:not([data-step=''])").first
                target = finding.get_attribute("data-step")
                finding.click()
                expect(page.locator("#ed-step-id")).to_have_text(target)
                page.get_by_role("button", name="Save", exact=True).click()
                expect(page.locator("#ed-status")).to_contain_text("Saved: revision 2")
                assert not errors, errors
            finally:
                browser.close()
        draft = saved_draft(server.url, wid)
        assert draft["revision"] == 2 and draft["errors"] == [], draft["errors"]
        saved = procmap.loads(draft["yaml"])
        assert shape(saved) == shape(expected_first_ten())
        assert saved.steps["check-details"].wait is not None and str(saved.steps["check-details"].wait) == "4:00:00"
        assert str(saved.steps["watch-training"].wait) == "2 days, 0:00:00"
        assert str(saved.steps["watch-training"].duration) == "1:00:00"
        assert not requests.foreign(), requests.foreign()


def test_a_stale_save_is_shown_and_not_applied(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with serve(tmp_path / "data") as server:
        wid = set_up(server.url, yaml_text=ONBOARDING.read_text(encoding="utf-8"))
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                context = browser.new_context()
                one, two = context.new_page(), context.new_page()
                open_editor(one, server.url, wid)
                two.goto(f"{server.url}/workshops/{wid}/draft/edit")
                two.wait_for_function("() => window.procmapEditor && window.procmapEditor.updates() >= 1")
                type_step(one, "sales", "call-back: Call the customer back")
                one.get_by_role("button", name="Save", exact=True).click()
                expect(one.locator("#ed-status")).to_contain_text("Saved: revision 2")
                type_step(two, "finance", "double-check: Double-check the terms")
                two.get_by_role("button", name="Save", exact=True).click()
                expect(two.locator("#ed-stale")).to_be_visible()
                expect(two.locator("#ed-stale-summary")).to_contain_text("call-back")
            finally:
                browser.close()
        draft = saved_draft(server.url, wid)
        assert draft["revision"] == 2 and "call-back" in draft["yaml"] and "double-check" not in draft["yaml"]


def builder_answers() -> list[str]:
    """The answers file's answers after the process questions (the draft has its process)."""
    return [str(a) for a in yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))][4:]


def test_working_backwards_rebuilds_the_outcomes_and_their_chains(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with serve(tmp_path / "data") as server:
        wid = set_up(server.url)
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                page = browser.new_context().new_page()
                open_editor(page, server.url, wid)
                page.get_by_role("button", name="Work backwards (guided)").click()
                expect(page.locator("#ed-guide-question")).to_contain_text("What should the customer have")
                for answer in builder_answers():
                    page.locator("#ed-guide-answer").fill(answer)
                    page.keyboard.press("Enter")
                expect(page.locator("#ed-guide")).to_be_hidden()
                settle(page)
                page.get_by_role("button", name="Save", exact=True).click()
                expect(page.locator("#ed-status")).to_contain_text("Saved: revision 2")
            finally:
                browser.close()
        built = procmap.loads(saved_draft(server.url, wid)["yaml"])
    # the same outcomes, delivered by the same steps, reached through the same chains of needs
    assert {o: (x.name, x.for_.value if hasattr(x, "for_") else None) for o, x in built.outcomes.items()} == \
        {o: (x.name, x.for_.value if hasattr(x, "for_") else None) for o, x in EXAMPLE.outcomes.items()}

    def chains(process: procmap.Process) -> dict[str, set[tuple[str, str]]]:
        graph, found = process.graph, {}
        for oid in process.outcomes:
            seen, todo, edges = set(), list(graph.delivering(oid)), set()
            while todo:
                sid = todo.pop()
                if sid in seen:
                    continue
                seen.add(sid)
                for p in graph.predecessors(sid):
                    edges.add((p, sid))
                    todo.append(p)
            found[oid] = edges
        return found

    want, got = chains(EXAMPLE), chains(built)
    for oid in EXAMPLE.outcomes:
        assert got[oid] <= want[oid] and got[oid], oid
        missing = want[oid] - got[oid]
        # the builder asks for needs only: flows the example draws forwards (then, branches)
        # from steps outside the chain may be missing, never wrong ones
        assert all(a in EXAMPLE.steps and b in EXAMPLE.steps for a, b in missing)
    assert {s: x.actor for s, x in built.steps.items()} == {s: x.actor for s, x in EXAMPLE.steps.items() if s in built.steps}
    assert built.steps["order-signed"].kind.value == "start" and built.steps["onboarded"].kind.value == "end"


SAME_AS_PROCMAP = """async () => {
  // the diagram in the page, and procmap's whole SVG for the map the editor holds, parsed alike
  const live = document.querySelector("#ed-diagram svg").cloneNode(true);
  live.querySelectorAll(".highlight").forEach((n) => n.classList.remove("highlight"));
  const csrf = document.cookie.match(/(?:^|; )procmap_csrf=([^;]*)/);
  const answer = await (await fetch(location.pathname.replace(/\\/(draft|merged)\\/edit$/, "/preview")
    .replace("/workshops/", "/api/workshops/"), {method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf ? decodeURIComponent(csrf[1]) : ""},
    body: JSON.stringify({yaml: window.procmapEditor.yaml()})})).json();
  const t = document.createElement("template");
  t.innerHTML = answer.svg;
  const whole = t.content.querySelector("svg");
  return [live.outerHTML === whole.outerHTML, live.querySelectorAll("*").length, answer.svg.length];
}"""


def test_the_diagram_changed_part_by_part_is_procmap_s_whole_diagram(tmp_path: Path) -> None:
    """Typing sends the shown diagram's id and gets back only its changed lanes, flows, steps and
    badges; after renames (some that rewrap a label, some that do not), a step added, a lane
    changed and an undo, the page's diagram is procmap's whole SVG for the map, node for node."""
    from playwright.sync_api import sync_playwright

    with serve(tmp_path / "data") as server:
        wid = set_up(server.url, yaml_text=ONBOARDING.read_text(encoding="utf-8"))
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                page = browser.new_context().new_page()
                open_editor(page, server.url, wid)
                settle(page)
                sid = FIRST_TEN[2]
                select_step(page, sid)
                page.click("#ed-step-name")
                page.keyboard.press("End")
                checked = 0
                for key in "xy and a few more words":
                    page.keyboard.type(key)
                    settle(page)
                    same, elements, _ = page.evaluate(SAME_AS_PROCMAP)
                    assert same and elements > 100, key
                    checked += 1
                assert page.evaluate("() => window.procmapEditor.patched()") >= 10
                type_step(page, "sales", "call-back: Call the customer back")
                settle(page)
                assert page.evaluate(SAME_AS_PROCMAP)[0]
                select_step(page, sid)
                page.select_option("#ed-step-lane", "finance")
                settle(page)
                assert page.evaluate(SAME_AS_PROCMAP)[0]
                page.click("#ed-undo")
                settle(page)
                assert page.evaluate(SAME_AS_PROCMAP)[0]
                assert checked == len("xy and a few more words")
            finally:
                browser.close()
