"""The visual editor's server side: its pages and the live preview (POST /api/workshops/{id}/preview),
on SQLite and PostgreSQL.

The preview answers what procmap itself counts on the map (no saving), the located errors of
a map that does not load, keeps names inert, and is refused to whoever may not preview."""

from __future__ import annotations

import json
import re

import procmap
from procmap.web import lib
from tests.web.conftest import ONBOARDING, new_account

TEXT = ONBOARDING.read_text(encoding="utf-8")


def workshop(client):  # type: ignore[no-untyped-def]
    """Admin, a facilitator's workshop on the onboarding example, a participant and a viewer."""
    admin = client("admin")
    for who in ("fran", "pat", "vic", "out"):
        new_account(admin, f"{who}@example.org", who.title())
    fran = client("fran@example.org")
    assert fran.post("/api/processes", json={"yaml": TEXT}).status_code == 201
    wid = fran.post("/api/workshops", json={"process": "customer-onboarding"}).json()["id"]
    people = {"fran": fran}
    for who, role in (("pat", "participant"), ("vic", "viewer")):
        token = fran.post(f"/api/workshops/{wid}/invites", json={"role": role}).json()["token"]
        person = client(f"{who}@example.org")
        assert person.post(f"/api/invites/{token}/accept", json={}).status_code == 200
        people[who] = person
    people["out"] = client("out@example.org")
    people["anon"] = client()
    return wid, people


def test_preview_answers_what_procmap_counts_without_saving(client) -> None:  # type: ignore[no-untyped-def]
    wid, people = workshop(client)
    pat = people["pat"]
    before = pat.get(f"/api/workshops/{wid}/draft").json()
    answer = pat.post(f"/api/workshops/{wid}/preview", json={"yaml": TEXT})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    process = procmap.loads(TEXT)
    card = procmap.analyze(process)
    assert body["loads"] is True and body["errors"] == []
    assert body["counts"]["steps"] == len(process.steps)
    for key in ("moments_of_truth", "break_points", "business_rules"):
        assert body["counts"][key] == card.counts[key], key
    assert body["counts"]["findings"] == len(procmap.check([(process, None)])) == len(body["findings"])
    assert "<svg" in body["svg"] and 'class="procmap-diagram' in body["svg"]
    assert any(f["elements"] for f in body["findings"])  # a finding names its steps
    after = pat.get(f"/api/workshops/{wid}/draft").json()
    assert after["revision"] == before["revision"] and after["yaml"] == before["yaml"]  # nothing saved
    # the facilitator previews too (the merged map's editor)
    assert people["fran"].post(f"/api/workshops/{wid}/preview", json={"yaml": TEXT}).status_code == 200


def test_a_map_that_does_not_load_gets_its_errors_located(client) -> None:  # type: ignore[no-untyped-def]
    wid, people = workshop(client)
    bad = TEXT.replace("    needs: [set-up-account]\n", "    needs: [no-such-step]\n", 1)
    body = people["pat"].post(f"/api/workshops/{wid}/preview", json={"yaml": bad}).json()
    assert body["loads"] is False and body["svg"] is None and body["counts"] is None
    error = body["errors"][0]
    line = bad.splitlines().index("    needs: [no-such-step]") + 1
    assert error["line"] == line and error["column"]
    assert "no-such-step" in error["message"]
    broken = people["pat"].post(f"/api/workshops/{wid}/preview", json={"yaml": "steps: [unclosed\n"}).json()
    assert broken["loads"] is False and broken["errors"][0]["line"]
    empty = people["pat"].post(f"/api/workshops/{wid}/preview", json={})
    assert empty.status_code == 200 and empty.json()["errors"][0]["message"] == "the map is empty"


def test_names_with_script_stay_text(client) -> None:  # type: ignore[no-untyped-def]
    wid, people = workshop(client)
    evil = TEXT.replace("name: Customer signs the order", "name: <script>alert(1)</script> signs")
    answer = people["pat"].post(f"/api/workshops/{wid}/preview", json={"yaml": evil})
    assert answer.status_code == 200
    assert "<script>" not in answer.text  # JSON carries \u003c, the SVG &lt;
    assert "&lt;script&gt;" in answer.json()["svg"]
    # saved as the draft, the editor page carries the name as inert JSON text
    pat = people["pat"]
    rev = pat.get(f"/api/workshops/{wid}/draft").json()["revision"]
    assert pat.put(f"/api/workshops/{wid}/draft", json={"yaml": evil, "base_revision": rev}).status_code == 200
    page = pat.get(f"/workshops/{wid}/draft/edit")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    data = re.search(r'<script type="application/json" id="editor-data">(.*?)</script>', page.text, re.S)
    assert data is not None
    editor = json.loads(data.group(1))
    assert editor["map"]["steps"]["order-signed"]["name"] == "<script>alert(1)</script> signs"
    assert editor["revision"] == rev + 1 and editor["save_url"] == f"/api/workshops/{wid}/draft"


def test_who_may_preview_and_edit(client) -> None:  # type: ignore[no-untyped-def]
    wid, people = workshop(client)
    url = f"/api/workshops/{wid}/preview"
    assert people["anon"].post(url, json={"yaml": TEXT}).status_code == 401
    assert people["vic"].post(url, json={"yaml": TEXT}).status_code == 403    # a viewer never writes
    assert people["out"].post(url, json={"yaml": TEXT}).status_code == 404    # not shown to exist
    assert people["pat"].http.post(url, json={"yaml": TEXT}).status_code == 403  # no CSRF token
    # pages: the participant's own draft; the viewer has none; the merged map's editor is the facilitator's
    assert people["pat"].get(f"/workshops/{wid}/draft/edit").status_code == 200
    assert people["vic"].get(f"/workshops/{wid}/draft/edit").status_code == 403
    assert people["out"].get(f"/workshops/{wid}/draft/edit").status_code == 404
    anon = people["anon"].get(f"/workshops/{wid}/draft/edit", follow_redirects=False)
    assert anon.status_code == 303 and "/signin" in anon.headers["location"]
    assert people["fran"].get(f"/workshops/{wid}/merged/edit").status_code == 404  # not merged yet
    # the viewer cannot save through the API the editor uses either
    assert people["vic"].put(f"/api/workshops/{wid}/draft", json={"yaml": TEXT, "base_revision": 1}).status_code in (403, 404)
    # a participant's draft page links to the visual editor
    assert f'href="/workshops/{wid}/draft/edit"' in people["pat"].get(f"/workshops/{wid}/draft").text


def test_preview_is_size_and_rate_limited(client, app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from procmap.web.pages import editor

    monkeypatch.setattr(editor, "PREVIEW_RATE", 0.5)

    wid, people = workshop(client)
    limit = app.state.server.settings.upload_limit
    too_big = people["pat"].post(f"/api/workshops/{wid}/preview", json={"yaml": "#" * (limit + 1)})
    assert too_big.status_code == 413
    small = "procmap: 1\nprocess: p\nactors: {a: {kind: team}}\nsteps: {s: {actor: a}}\n"
    codes = [people["pat"].post(f"/api/workshops/{wid}/preview", json={"yaml": small}).status_code
             for _ in range(editor.PREVIEW_BURST + 5)]
    assert 429 in codes and codes[0] == 200


def test_the_merged_map_opens_in_the_editor_for_the_facilitator(client) -> None:  # type: ignore[no-untyped-def]
    wid, people = workshop(client)
    pat, fran = people["pat"], people["fran"]
    assert fran.post(f"/api/workshops/{wid}/merge").status_code == 200
    page = fran.get(f"/workshops/{wid}/merged/edit")
    assert page.status_code == 200 and f"/api/workshops/{wid}/merged" in page.text
    assert pat.get(f"/workshops/{wid}/merged/edit").status_code == 403
    assert pat.get(f"/workshops/{wid}/draft/edit").status_code == 409  # drafts are closed


def test_the_editor_keeps_the_maps_order_of_lanes_and_steps(client) -> None:  # type: ignore[no-untyped-def]
    # the lanes are drawn in the map's order (the customer first, then as the map lists
    # them), and a save writes them back so: the page's data must not sort them
    wid, people = workshop(client)
    page = people["pat"].get(f"/workshops/{wid}/draft/edit").text
    data = json.loads(re.search(r'<script type="application/json" id="editor-data">(.*?)</script>',
                                page, re.S).group(1))
    example = procmap.loads(TEXT)
    assert list(data["map"]["actors"]) == list(example.actors)
    assert list(data["map"]["steps"]) == list(example.steps)


def test_a_page_showing_a_diagram_gets_only_its_changed_parts(client) -> None:  # type: ignore[no-untyped-def]
    """With the shown diagram's id as base, a rename answers the changed parts only (the step
    renamed, badges that quote it); the same map with an unknown base, or none, answers the whole
    SVG, with the same id; what the page shows is procmap's SVG for the map."""
    wid, people = workshop(client)
    pat = people["pat"]
    url = f"/api/workshops/{wid}/preview"
    first = pat.post(url, json={"yaml": TEXT}).json()
    assert first["svg_id"] and first["svg"] and "patch" not in first
    process = procmap.loads(TEXT)
    sid = next(s for s, st in process.steps.items() if st.kind.value == "task" and st.name)
    name = process.steps[sid].name
    renamed = TEXT.replace(f"name: {name}\n", f"name: {name} again\n", 1)
    assert renamed != TEXT
    patched = pat.post(url, json={"yaml": renamed, "base": first["svg_id"]}).json()
    assert patched["svg"] is None and patched["patch"]["base"] == first["svg_id"]
    parts = patched["patch"]["parts"]
    assert parts and any(f'data-step="{sid}"' in text and f"{name} again" in text for _, _, text in parts)
    assert sum(len(text) for _, _, text in parts) < len(first["svg"]) / 10
    whole = pat.post(url, json={"yaml": renamed, "base": "not-a-diagram-shown"}).json()
    assert "patch" not in whole and whole["svg_id"] == patched["svg_id"] != first["svg_id"]
    # procmap's SVG of the map: a fresh layout in the participants' lane order, the findings
    # located in the text
    from procmap.diagram.svg import RenderOptions, render_svg
    from procmap.layout import layout

    loaded = lib.load(renamed, "map.yaml")
    findings = procmap.check([(loaded.process, loaded.source)])
    assert whole["svg"] == render_svg(loaded.process, RenderOptions(findings=findings),
                                      layout(loaded.process, keep_lane_order=True))
    assert whole["counts"] == patched["counts"] and whole["findings"] == patched["findings"]
    again = pat.post(url, json={"yaml": renamed, "base": patched["svg_id"]}).json()
    assert again["patch"] == {"base": patched["svg_id"], "parts": []}


def test_the_editor_draws_the_lanes_in_the_order_the_participants_gave_them() -> None:
    """A finished map's drawing may order the lanes below the customer's to cross least; the
    editor keeps the map's order, which its lane buttons change (moving a lane must move it)."""
    from procmap.layout import layout

    loaded = lib.load(TEXT, "map.yaml")
    given = list(loaded.process.actors)
    assert [lane.actor for lane in layout(loaded.process).lanes] != given  # the case at hand
    svg = lib.preview_analysis(loaded)["svg"]
    drawn = re.findall(r'class="lane[^"]*" id="lane-[^"]+" data-actor="([^"]+)"', svg)
    assert drawn == given, drawn


def test_a_name_typed_gets_what_a_fresh_check_of_the_map_gives() -> None:
    """While a name is typed, the map drawn a moment ago lends the new one what procmap derived
    from its structure (risk, cycle time, dominators); the rules still run on the new names.
    Renames that name-based rules react to (a customer chasing the status of their case, two
    steps of the same name, a name without a verb) and a change that is more than a rename (a duration)
    answer what procmap gives on the map loaded afresh, finding for finding and count for count."""
    from procmap.analysis.scorecard import analyze

    def fresh(text: str) -> tuple[list[dict], dict]:
        process = procmap.loads(text)
        loaded = lib.load(text, "map.yaml")
        findings = procmap.check([(loaded.process, loaded.source)])
        assert process == loaded.process
        card = analyze(loaded.process, source=loaded.source, findings=findings)
        return [f.to_dict() for f in findings], dict(card.counts)

    edits = [
        TEXT.replace("name: Submit name, email and order details",
                     "name: Submit name, email and order details again"),
        TEXT.replace("name: Watch the getting-started videos",
                     "name: Chase the status of my account"),          # status chasing
        TEXT.replace("name: Watch the getting-started videos",
                     "name: Submit name, email and order details"),    # the same work twice
        TEXT.replace("name: Watch the getting-started videos\n", "name: Videos\n"),
        TEXT.replace("order details\n    channel: web\n    needs: [order-signed]\n    duration: 10m\n",
                     "order details\n    channel: web\n    needs: [order-signed]\n    duration: 3d\n", 1),
    ]
    assert all(e != TEXT for e in edits)
    lib.preview_analysis(lib.load(TEXT, "map.yaml"))
    before = lib.load(TEXT, "map.yaml")
    lib.preview_analysis(before)
    renamed = lib.load(edits[0], "map.yaml")
    data = lib.preview_analysis(renamed)
    # lent, not computed again: the cycle time is the object the map before it computed
    assert renamed.process.graph.memo["cycle_time"] is before.process.graph.memo["cycle_time"]
    for text in edits:
        data = lib.preview_analysis(lib.load(text, "map.yaml"))
        findings, counts = fresh(text)
        assert data["findings"] == findings and data["counts"] == counts
    rules = {f["rule"] for text in edits for f in lib.preview_analysis(lib.load(text, "map.yaml"))["findings"]}
    plain = {f["rule"] for f in fresh(TEXT)[0]}
    assert rules - plain, "the renames changed what the rules find"
    assert not lib.renamed_only(lib.load(TEXT, "map.yaml").process, lib.load(edits[-1], "map.yaml").process)
    assert lib.renamed_only(lib.load(TEXT, "map.yaml").process, lib.load(edits[1], "map.yaml").process)


def test_a_name_typed_is_read_into_the_map_as_the_loader_reads_the_whole_text(monkeypatch) -> None:
    """The preview reads a text that differs from the last one in a step's one-line name into
    the map loaded a moment ago; the map and its source map are the loader's on the whole text,
    for plain, quoted and tricky names alike, and a name the loader refuses is refused with the
    loader's located error. Anything more than one name is loaded afresh."""
    line = "    name: Submit name, email and order details\n"
    assert TEXT.count(line) == 1
    names = ["Submit name, email and order details again", "Chase the status of my order",
             '"yes"', "yes", "null", "123", "2024-01-01", "'it''s quoted'", '"a \\"json\\" quote"',
             "x # a comment", "a: b", "|", ">", "&anchor x", "*alias", "'unclosed", '"\\u00e9t\\u00e9"',
             "été 東京", '"  padded  "', '""', "''", "   ", "[a, b]", "{a: b}", "- x", "!!str 5", "x" * 300]
    fresh = {n: lib.try_load(TEXT.replace(line, f"    name: {n}\n"), "map.yaml") for n in names}
    assert sum(1 for got, _ in fresh.values() if got is None) >= 5   # the refused ones are covered
    whole = lib.load
    afresh: list[str] = []
    monkeypatch.setattr(lib, "load", lambda text, file: afresh.append(text) or whole(text, file))
    lib._loads.clear()
    for n in names:
        lib.try_load_edited(TEXT, "map.yaml")
        afresh.clear()
        text = TEXT.replace(line, f"    name: {n}\n")
        got, errors = lib.try_load_edited(text, "map.yaml")
        want, want_errors = fresh[n]
        assert errors == want_errors, n
        if want is None:
            assert got is None, n
            continue
        assert got.process == want.process, n
        assert got.process.model_dump() == want.process.model_dump(), n
        assert got.source.marks == want.source.marks, n
        assert [f.to_dict() for f in procmap.check([(got.process, got.source)])] == \
            [f.to_dict() for f in procmap.check([(want.process, want.source)])], n
        if n in names[:2]:
            assert not afresh, f"{n!r} was loaded afresh"
    # two names changed, or a name and a duration: the whole text
    lib.try_load_edited(TEXT, "map.yaml")
    afresh.clear()
    two = TEXT.replace(line, "    name: Other\n").replace("name: Watch the getting-started videos",
                                                           "name: Watch them")
    assert lib.try_load_edited(two, "map.yaml")[0].process == whole(two, "map.yaml").process
    assert afresh == [two]
