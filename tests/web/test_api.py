"""The JSON API through FastAPI's TestClient, on SQLite and PostgreSQL: the whole workshop flow
on the bundled onboarding example, stale saves, hidden drafts, read-only viewers, bad input."""

from __future__ import annotations

import json

import pytest

from tests.web.conftest import ONBOARDING, PASSWORD, Client, new_account

BASE = ONBOARDING.read_text(encoding="utf-8")
ANN = BASE.replace("Half of the forms arrive", "Most forms arrive")          # agrees with the map
BO = BASE.replace("duration: 10m\n    fails: 0.05", "duration: 30m\n    fails: 0.05")  # longer
CY = BASE.replace("wait: 4h", "wait: 2d")                                    # a longer wait


def workshop_with(client, people: dict[str, str]) -> tuple[Client, dict[str, Client], int]:  # type: ignore[no-untyped-def]
    """A facilitator's workshop on the onboarding example; people: name → role, each joined by
    an invite link."""
    admin = client("admin")
    new_account(admin, "fay@example.org", "Fay")
    fay = client("fay@example.org")
    made = fay.post("/api/processes", json={"yaml": BASE, "message": "as-is"})
    assert made.status_code == 201, made.text
    assert made.json()["latest_version"]["moments_of_truth"] > 0
    shop = fay.post("/api/workshops", json={"process": "customer-onboarding", "title": "March"})
    assert shop.status_code == 201, shop.text
    wid = shop.json()["id"]
    clients = {}
    for name, role in people.items():
        new_account(admin, f"{name}@example.org", name.title())
        invite = fay.post(f"/api/workshops/{wid}/invites", json={"role": role, "days": 2})
        assert invite.status_code == 201, invite.text
        person = client(f"{name}@example.org")
        joined = person.post(f"/api/invites/{invite.json()['token']}/accept", json={})
        assert joined.status_code == 200, joined.text
        assert joined.json()["your_role"] == role
        clients[name] = person
    return fay, clients, wid


def test_the_whole_workshop_flow(client) -> None:  # type: ignore[no-untyped-def]
    fay, people, wid = workshop_with(client, {"ann": "participant", "bo": "participant",
                                              "cy": "participant", "vic": "viewer"})
    # each participant drafts alone, starting from the process's latest version
    for name, text in (("ann", ANN), ("bo", BO), ("cy", CY)):
        mine = people[name].get(f"/api/workshops/{wid}/draft").json()
        assert mine["revision"] == 1 and mine["loads"] and mine["errors"] == []
        assert mine["scorecard"]["counts"]["moments_of_truth"] > 0 and "<svg" in mine["svg"]
        saved = people[name].put(f"/api/workshops/{wid}/draft",
                                 json={"yaml": text, "base_revision": 1})
        assert saved.status_code == 200, saved.text
        assert saved.json()["revision"] == 2
    # nobody sees another's draft; the facilitator sees them all
    bo_id = people["bo"].user["id"]
    assert people["ann"].get(f"/api/workshops/{wid}/drafts/{bo_id}").status_code == 404
    assert people["vic"].get(f"/api/workshops/{wid}/drafts/{bo_id}").status_code == 404
    assert people["ann"].get(f"/api/workshops/{wid}/merged").status_code == 404
    listed = fay.get(f"/api/workshops/{wid}/drafts").json()
    assert sorted(d["author"] for d in listed) == ["Ann", "Bo", "Cy"]
    assert fay.get(f"/api/workshops/{wid}/drafts/{bo_id}").json()["yaml"] == BO
    # the merge: procmap's, with the conflicts to discuss
    merged = fay.post(f"/api/workshops/{wid}/merge")
    assert merged.status_code == 200, merged.text
    report = merged.json()["report"]
    assert report["participants"] == ["Ann", "Bo", "Cy"]
    assert report["conflicts"], report
    assert any("submit-details" in c["element"] for c in report["conflicts"])
    assert merged.json()["revision"] == 1 and merged.json()["loads"]
    # everyone in the workshop sees the merged map and its report; drafts are closed
    for person in people.values():
        seen = person.get(f"/api/workshops/{wid}/merged")
        assert seen.status_code == 200 and seen.json()["report"] == report
    closed = people["ann"].put(f"/api/workshops/{wid}/draft", json={"yaml": ANN, "base_revision": 2})
    assert closed.status_code == 409
    # the facilitator settles a conflict by taking a participant's value …
    conflicts = report["conflicts"]
    index = next(i for i, c in enumerate(conflicts) if c["kind"] == "duration")
    chose = fay.post(f"/api/workshops/{wid}/merged/choose",
                     json={"conflict": index, "participant": "Bo", "base_revision": 1})
    assert chose.status_code == 200, chose.text
    assert chose.json()["revision"] == 2 and "duration: 30m" in chose.json()["yaml"]
    assert fay.post(f"/api/workshops/{wid}/merged/choose", json={
        "conflict": index, "participant": "Bo", "base_revision": 1}).status_code == 409
    assert fay.post(f"/api/workshops/{wid}/merged/choose", json={
        "conflict": 99, "participant": "Bo", "base_revision": 2}).status_code == 404
    assert people["bo"].post(f"/api/workshops/{wid}/merged/choose", json={
        "conflict": index, "participant": "Bo", "base_revision": 2}).status_code == 403
    # … and by editing the merged map (the same stale-save rule)
    text = chose.json()["yaml"]
    resolved = text.replace("duration: 30m", "duration: 20m") if "duration: 30m" in text else text
    resolved = resolved + "\n# resolved in the room\n"
    put = fay.put(f"/api/workshops/{wid}/merged", json={"yaml": resolved, "base_revision": 2})
    assert put.status_code == 200 and put.json()["revision"] == 3
    stale = fay.put(f"/api/workshops/{wid}/merged", json={"yaml": text, "base_revision": 2})
    assert stale.status_code == 409 and stale.json()["current"]["revision"] == 3
    # comments pin to a step, are answered and resolved; viewers read but do not write
    note = people["bo"].post(f"/api/workshops/{wid}/comments",
                             json={"target": "merged", "step_id": "submit-details",
                                   "body": "Filling the form takes us half an hour"})
    assert note.status_code == 201, note.text
    reply = fay.post(f"/api/workshops/{wid}/comments",
                     json={"parent_id": note.json()["id"], "body": "Agreed: 20 minutes"})
    assert reply.status_code == 201 and reply.json()["step_id"] == "submit-details"
    assert people["vic"].post(f"/api/workshops/{wid}/comments",
                              json={"target": "merged", "body": "x"}).status_code == 403
    assert people["cy"].post(f"/api/comments/{note.json()['id']}/resolve").status_code == 403
    done = fay.post(f"/api/comments/{note.json()['id']}/resolve")
    assert done.status_code == 200 and done.json()["resolved_by"] == "Fay"
    assert len(people["vic"].get(f"/api/workshops/{wid}/comments").json()) == 2
    bad_step = fay.post(f"/api/workshops/{wid}/comments",
                        json={"target": "merged", "step_id": "no-such-step", "body": "x"})
    assert bad_step.status_code == 400
    # agree: the merged map becomes version 2
    agreed = fay.post(f"/api/workshops/{wid}/agree", json={"message": "agreed in March"})
    assert agreed.status_code == 200, agreed.text
    assert agreed.json()["version"]["number"] == 2
    assert agreed.json()["version"]["author"] == "Fay"
    versions = fay.get("/api/processes/customer-onboarding/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[1]["message"] == "agreed in March"
    v2 = people["vic"].get("/api/processes/customer-onboarding/versions/2").json()
    assert v2["yaml"] == resolved and v2["scorecard"]["counts"]
    assert fay.post(f"/api/workshops/{wid}/agree", json={}).status_code == 409
    # the diff between versions: procmap diff's outside-in deltas
    diff = fay.get("/api/processes/customer-onboarding/diff?from=1&to=2")
    assert diff.status_code == 200, diff.text
    assert set(diff.json()["summary"]["counts"]) == {"Moments of Truth", "Break Points",
                                                     "Business Rules"}
    assert "resolved in the room" in diff.json()["text_diff"]
    # downloads of every format
    for fmt, kind in (("yaml", "yaml"), ("bpmn", "xml"), ("svg", "svg"), ("png", "png"),
                      ("html", "html")):
        got = people["vic"].get(f"/api/processes/customer-onboarding/versions/2/download/{fmt}")
        assert got.status_code == 200, (fmt, got.text)
        assert kind in got.headers["content-type"] and got.content
        assert "attachment" in got.headers["content-disposition"]
    assert fay.get(f"/api/workshops/{wid}/merged/download/bpmn").status_code == 200
    assert fay.get("/api/processes/customer-onboarding/versions/2/download/exe").status_code == 404


def test_a_stale_save_is_refused_with_the_difference_and_changes_nothing(client) -> None:  # type: ignore[no-untyped-def]
    _, people, wid = workshop_with(client, {"ann": "participant"})
    ann = people["ann"]
    first = ann.put(f"/api/workshops/{wid}/draft", json={"yaml": BO, "base_revision": 1})
    assert first.json()["revision"] == 2
    stale = ann.put(f"/api/workshops/{wid}/draft", json={"yaml": CY, "base_revision": 1})
    assert stale.status_code == 409
    body = stale.json()
    assert body["current"] == {"yaml": BO, "revision": 2}
    assert "-    wait: 4h" in body["diff"] or "wait: 2d" in body["diff"]
    assert body["summary"]["counts"]["Moments of Truth"]
    after = ann.get(f"/api/workshops/{wid}/draft").json()
    assert after["yaml"] == BO and after["revision"] == 2


def test_a_draft_that_does_not_load_is_saved_with_located_errors(client) -> None:  # type: ignore[no-untyped-def]
    _, people, wid = workshop_with(client, {"ann": "participant"})
    broken = BASE.replace("actor: sales\n    name: Are the details", "actor: salez\n    name: Are the details")
    saved = people["ann"].put(f"/api/workshops/{wid}/draft", json={"yaml": broken, "base_revision": 1})
    assert saved.status_code == 200
    view = people["ann"].get(f"/api/workshops/{wid}/draft").json()
    assert not view["loads"] and view["revision"] == 2
    error = view["errors"][0]
    assert error["file"] == "draft.yaml" and error["line"] > 0 and "salez" in error["text"]
    malformed = people["ann"].put(f"/api/workshops/{wid}/draft",
                                  json={"yaml": "steps: [\n", "base_revision": 2})
    assert malformed.status_code == 200 and malformed.json()["errors"][0]["line"]


def test_a_viewer_writes_nothing_and_a_participant_not_the_merge(client) -> None:  # type: ignore[no-untyped-def]
    fay, people, wid = workshop_with(client, {"ann": "participant", "vic": "viewer"})
    vic, ann = people["vic"], people["ann"]
    assert vic.get(f"/api/workshops/{wid}").status_code == 200
    for method, url, body in (
        ("PUT", f"/api/workshops/{wid}/draft", {"yaml": BASE, "base_revision": 1}),
        ("POST", f"/api/workshops/{wid}/merge", None),
        ("POST", f"/api/workshops/{wid}/invites", {"role": "viewer"}),
        ("POST", f"/api/workshops/{wid}/comments", {"body": "hi", "target": "version", "version": 1}),
        ("POST", f"/api/workshops/{wid}/agree", {}),
    ):
        assert vic.request(method, url, json=body).status_code == 403, url
    assert ann.post(f"/api/workshops/{wid}/merge").status_code == 403
    assert ann.post(f"/api/workshops/{wid}/invites", json={"role": "viewer"}).status_code == 403
    assert fay.get(f"/api/workshops/{wid}/draft").status_code == 403  # the facilitator drafts not


def test_another_workshops_ids_give_404(client) -> None:  # type: ignore[no-untyped-def]
    fay, people, wid = workshop_with(client, {"ann": "participant"})
    admin = client("admin")
    new_account(admin, "zed@example.org", "Zed")
    zed = client("zed@example.org")
    zed.post("/api/processes", json={"key": "other", "name": "Other"})
    other = zed.post("/api/workshops", json={"process": "other"}).json()["id"]
    ann = people["ann"]
    for url in (f"/api/workshops/{other}", f"/api/workshops/{other}/draft",
                f"/api/workshops/{other}/comments", f"/api/workshops/{other}/merged",
                f"/api/workshops/{other}/drafts", "/api/workshops/99999"):
        assert ann.get(url).status_code == 404, url
    assert ann.put(f"/api/workshops/{other}/draft",
                   json={"yaml": BASE, "base_revision": 1}).status_code == 404
    assert zed.get(f"/api/workshops/{wid}/drafts/{ann.user['id']}").status_code == 404
    note = ann.post(f"/api/workshops/{wid}/comments",
                    json={"body": "mine", "target": "draft", "step_id": "submit-details"}).json()
    assert zed.post(f"/api/comments/{note['id']}/resolve").status_code == 404
    # a comment on Ann's draft is hers and the facilitator's
    assert [c["body"] for c in fay.get(f"/api/workshops/{wid}/comments").json()] == ["mine"]


def test_uploads_yaml_and_bpmn_and_refuses_bad_files(client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import procmap

    _, people, wid = workshop_with(client, {"ann": "participant"})
    ann = people["ann"]
    url = f"/api/workshops/{wid}/draft/upload"
    bpmn = procmap.export_bpmn(procmap.loads(BO))
    up = ann.post(url, files={"file": ("bo.bpmn", bpmn, "application/xml")},
                  data={"base_revision": "1"})
    assert up.status_code == 200, up.text
    assert up.json()["revision"] == 2 and up.json()["loads"]
    up = ann.post(url, files={"file": ("cy.yaml", CY.encode(), "application/yaml")},
                  data={"base_revision": "2"})
    assert up.status_code == 200 and up.json()["yaml"] == CY
    stale = ann.post(url, files={"file": ("cy.yaml", CY.encode())}, data={"base_revision": "1"})
    assert stale.status_code == 409
    bad = ann.post(url, files={"file": ("bad.bpmn", b"<definitions><process", "text/xml")},
                   data={"base_revision": "3"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["text"]
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "&lol%s;&lol%s;&lol%s;&lol%s;">' % (i, *(str(i - 1).encode() if i > 1 else b"",) * 4)
                       for i in range(1, 9))
            + b']><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol8;</definitions>')
    attacked = ann.post(url, files={"file": ("bomb.bpmn", bomb)}, data={"base_revision": "3"})
    assert attacked.status_code == 400, attacked.text
    assert attacked.json()["errors"][0]["text"]
    big = ann.post(url, files={"file": ("big.yaml", b"#" * (3 * 2**20))}, data={"base_revision": "3"})
    assert big.status_code == 413
    too_long = ann.put(f"/api/workshops/{wid}/draft",
                       json={"yaml": "# " + "x" * (2 * 2**20), "base_revision": 3})
    assert too_long.status_code == 413
    binary = ann.post(url, files={"file": ("x.yaml", b"\xff\xfe\x00bad")}, data={"base_revision": "3"})
    assert binary.status_code == 400
    assert ann.get(f"/api/workshops/{wid}/draft").json()["yaml"] == CY


def test_script_in_step_names_is_escaped_everywhere(client) -> None:  # type: ignore[no-untyped-def]
    evil = "<script>alert(1)</script>"
    text = BASE.replace("name: Submit name, email and order details", f"name: '{evil}'")
    fay, people, wid = workshop_with(client, {"ann": "participant"})
    ann = people["ann"]
    saved = ann.put(f"/api/workshops/{wid}/draft", json={"yaml": text, "base_revision": 1})
    assert saved.status_code == 200
    view = ann.get(f"/api/workshops/{wid}/draft")
    assert b"<script" not in view.content  # JSON writes < as \u003c
    data = view.json()
    assert evil in data["yaml"] and evil not in data["svg"] and "&lt;script&gt;" in data["svg"]
    merged = fay.post(f"/api/workshops/{wid}/merge")
    assert merged.status_code == 200 and b"<script" not in merged.content
    agreed = fay.post(f"/api/workshops/{wid}/agree", json={"message": evil})
    assert agreed.status_code == 200 and b"<script" not in agreed.content
    for fmt in ("svg", "html"):
        got = fay.get(f"/api/processes/customer-onboarding/versions/2/download/{fmt}")
        assert got.status_code == 200 and evil.encode() not in got.content, fmt
    listed = fay.get("/api/processes/customer-onboarding/versions")
    assert b"<script" not in listed.content and listed.json()[1]["message"] == evil


@pytest.mark.parametrize("body", [
    {"yaml": "process: [unclosed"},
    {"yaml": "procmap: 1\nprocess: x\nsteps: {a: {actor: nobody}}\n"},
    {"key": "has space"},
    {},
])
def test_bad_processes_get_400_with_located_errors(client, body) -> None:  # type: ignore[no-untyped-def]
    admin = client("admin")
    answer = admin.post("/api/processes", json=body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]
    if "yaml" in body:
        assert answer.json()["errors"][0]["line"]


def test_bad_requests_get_4xx_never_500(client) -> None:  # type: ignore[no-untyped-def]
    fay, people, wid = workshop_with(client, {"ann": "participant"})
    ann = people["ann"]
    for answer in (
        ann.put(f"/api/workshops/{wid}/draft", content=b"{not json",
                headers={"content-type": "application/json"}),
        ann.put(f"/api/workshops/{wid}/draft", json={"yaml": 5}),
        ann.get("/api/workshops/not-a-number"),
        ann.get("/api/processes/customer-onboarding/versions/77"),
        ann.get("/api/processes/customer-onboarding/diff?from=1&to=9"),
        ann.get("/api/processes/customer-onboarding/diff"),
        ann.post("/api/invites/not-a-token/accept", json={}),
        fay.post(f"/api/workshops/{wid}/invites", json={"role": "admin"}),
        fay.post(f"/api/workshops/{wid}/invites", json={"days": -1}),
        fay.post(f"/api/workshops/{wid}/agree", json={}),
        ann.get("/api/no-such-thing"),
        ann.post(f"/api/workshops/{wid}/comments", json={"body": ""}),
    ):
        assert 400 <= answer.status_code < 500, (answer.request.url, answer.status_code, answer.text)
        assert "Traceback" not in answer.text and answer.json()["error"]


def test_openapi_describes_the_api(client) -> None:  # type: ignore[no-untyped-def]
    spec = client().get("/api/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert "/api/workshops/{workshop_id}/draft" in paths
    assert paths["/api/workshops/{workshop_id}/merge"]["post"]["x-procmap-action"] == "merge"
    assert json.loads(spec.text)["info"]["title"] == "procmap workshop"


def test_an_invite_can_create_an_account_once(client) -> None:  # type: ignore[no-untyped-def]
    fay, _, wid = workshop_with(client, {})
    token = fay.post(f"/api/workshops/{wid}/invites", json={"role": "participant"}).json()["token"]
    newcomer = client()
    info = newcomer.get(f"/api/invites/{token}")
    assert info.status_code == 200 and info.json()["role"] == "participant"
    assert newcomer.post(f"/api/invites/{token}/accept", json={}).status_code == 401
    joined = newcomer.post(f"/api/invites/{token}/accept",
                           json={"email": "new@example.org", "name": "New", "password": PASSWORD})
    assert joined.status_code == 200, joined.text
    assert newcomer.get(f"/api/workshops/{wid}/draft").json()["revision"] == 1
    again = client().post(f"/api/invites/{token}/accept",
                          json={"email": "late@example.org", "name": "Late", "password": PASSWORD})
    assert again.status_code == 404


def test_two_tabs_racing_never_overwrite_each_other_silently(client) -> None:  # type: ignore[no-untyped-def]
    import threading

    _, people, wid = workshop_with(client, {"ann": "participant"})
    email = "ann@example.org"
    tabs = [client(email) for _ in range(4)]
    acknowledged: list[tuple[int, str]] = []
    lock = threading.Lock()

    def tab(i: int) -> None:
        for n in range(6):
            current = tabs[i].get(f"/api/workshops/{wid}/draft").json()["revision"]
            text = BASE + f"# tab {i} save {n}\n"
            answer = tabs[i].put(f"/api/workshops/{wid}/draft",
                                 json={"yaml": text, "base_revision": current})
            assert answer.status_code in (200, 409), answer.text
            if answer.status_code == 200:
                with lock:
                    acknowledged.append((answer.json()["revision"], text))

    threads = [threading.Thread(target=tab, args=(i,)) for i in range(len(tabs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    revisions = [r for r, _ in acknowledged]
    assert len(revisions) == len(set(revisions))  # one winner per revision
    final = people["ann"].get(f"/api/workshops/{wid}/draft").json()
    assert final["revision"] == max(revisions) == len(revisions) + 1
    assert final["yaml"] == dict(acknowledged)[final["revision"]]
