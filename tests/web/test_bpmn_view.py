"""The editor's BPMN view, server side, on SQLite and PostgreSQL: the map to BPMN
(POST /api/workshops/{id}/to-bpmn) and the BPMN back into the draft
(POST /api/workshops/{id}/draft/from-bpmn, …/merged/from-bpmn).

Every bundled example sent through the BPMN view comes back as a draft on which procmap
measures the same; a task added in BPMN comes back; what cannot come back is named with
its line; bad XML, entity bombs and oversized XML are refused with a located 4xx, and
nothing is saved then."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any

import pytest

import procmap
from tests.conftest import EXAMPLES
from tests.web.test_editor import TEXT, workshop

MAPS = sorted(Path(p) for p in glob.glob(str(EXAMPLES / "*.yaml")) +
              glob.glob(str(EXAMPLES / "marketing" / "*.yaml")))
MAPS = [p for p in MAPS if "procmap: 1" in p.read_text(encoding="utf-8")]  # not the answers file


def measures(text: str) -> dict[str, Any]:
    """What procmap measures on a map: counts, findings (rule and elements), outcomes, actors,
    and each step's lane, name and outcomes delivered."""
    process = procmap.loads(text)
    findings = procmap.check([(process, None)])
    card = procmap.analyze(process, findings=findings)
    return {
        "counts": {k: card.counts.get(k, 0) for k in
                   ("moments_of_truth", "break_points", "business_rules")},
        "findings": sorted((f.rule, tuple(f.elements)) for f in findings),
        "outcomes": {k: (o.name, str(o.for_)) for k, o in process.outcomes.items()},
        "actors": {k: (a.name, str(a.kind)) for k, a in process.actors.items()},
        "steps": {k: (s.actor, s.name, tuple(s.delivers or ())) for k, s in process.steps.items()},
        "owner": process.owner,
    }


def bpmn_of(person, wid: int, text: str) -> str:  # type: ignore[no-untyped-def]
    answer = person.post(f"/api/workshops/{wid}/to-bpmn", json={"yaml": text})
    assert answer.status_code == 200, answer.text
    assert answer.json()["xml"].lstrip().startswith("<?xml")
    return answer.json()["xml"]


def apply(person, wid: int, xml: str, base: int, what: str = "draft"):  # type: ignore[no-untyped-def]
    return person.post(f"/api/workshops/{wid}/{what}/from-bpmn",
                       json={"xml": xml, "base_revision": base})


def test_every_example_comes_back_measuring_the_same(client) -> None:  # type: ignore[no-untyped-def]
    assert len(MAPS) >= 8
    wid, people = workshop(client)
    pat = people["pat"]
    revision = pat.get(f"/api/workshops/{wid}/draft").json()["revision"]
    for path in MAPS:
        text = path.read_text(encoding="utf-8")
        answer = apply(pat, wid, bpmn_of(pat, wid, text), revision)
        assert answer.status_code == 200, (path.name, answer.text)
        body = answer.json()
        assert body["revision"] == revision + 1 and body["loads"], (path.name, body["errors"])
        assert body["warnings"] == [], (path.name, body["warnings"])
        assert body["map"]["steps"] and body["map"]["actors"]  # the editor's data
        revision = body["revision"]
        draft = pat.get(f"/api/workshops/{wid}/draft").json()
        assert draft["revision"] == revision and draft["yaml"] == body["yaml"]
        before, after = measures(text), measures(draft["yaml"])
        assert after == before, path.name
        counts = draft["scorecard"]["counts"]
        for key, value in before["counts"].items():
            assert counts[key] == value, (path.name, key)
        assert sorted((f["rule"], tuple(f["elements"])) for f in draft["findings"]) == \
            before["findings"], path.name


def _onboarding_xml(client) -> tuple[int, dict, str, int]:  # type: ignore[no-untyped-def]
    wid, people = workshop(client)
    pat = people["pat"]
    return wid, people, bpmn_of(pat, wid, TEXT), pat.get(f"/api/workshops/{wid}/draft").json()["revision"]


def add_task(xml: str) -> str:
    """What bpmn-js writes when a task is appended after the kickoff call in the Customer
    Success lane: the task, its sequence flow and its place in the lane."""
    xml = xml.replace("<bpmn:flowNodeRef>kickoff-call</bpmn:flowNodeRef>",
                      "<bpmn:flowNodeRef>kickoff-call</bpmn:flowNodeRef>"
                      "<bpmn:flowNodeRef>Activity_0k3x9qa</bpmn:flowNodeRef>", 1)
    head, tail = xml.rsplit("</bpmn:process>", 1)
    return (head + '<bpmn:task id="Activity_0k3x9qa" name="Call the customer back">'
            '<bpmn:incoming>Flow_1m2n3o4</bpmn:incoming></bpmn:task>'
            '<bpmn:sequenceFlow id="Flow_1m2n3o4" sourceRef="kickoff-call" '
            'targetRef="Activity_0k3x9qa"/>\n  </bpmn:process>' + tail)


def test_a_task_added_in_bpmn_comes_back(client) -> None:  # type: ignore[no-untyped-def]
    wid, people, xml, revision = _onboarding_xml(client)
    assert xml.count("</bpmn:process>") >= 2
    answer = apply(people["pat"], wid, add_task(xml), revision)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["loads"], body["errors"]
    process = procmap.loads(body["yaml"])
    added = [k for k, s in process.steps.items() if s.name == "Call the customer back"]
    assert len(added) == 1
    step = process.steps[added[0]]
    assert step.actor == "success"
    kickoff = process.steps["kickoff-call"]
    assert added[0] in (kickoff.then or ()) or "kickoff-call" in (step.needs or ())
    assert len(process.steps) == len(procmap.loads(TEXT).steps) + 1
    assert body["map"]["steps"][added[0]]["name"] == "Call the customer back"


def test_what_cannot_come_back_is_named_with_its_line(client) -> None:  # type: ignore[no-untyped-def]
    wid, people, xml, revision = _onboarding_xml(client)
    head, tail = xml.rsplit("</bpmn:process>", 1)
    xml = (head + '<bpmn:textAnnotation id="TextAnnotation_1"><bpmn:text>Ask legal about the '
           'contract</bpmn:text></bpmn:textAnnotation>\n  </bpmn:process>' + tail)
    line = xml[:xml.index("TextAnnotation_1")].count("\n") + 1
    answer = apply(people["pat"], wid, xml, revision)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["loads"] and body["revision"] == revision + 1
    named = [w for w in body["warnings"] if "Ask legal about the" in w["message"]]
    assert named, body["warnings"]
    assert named[0]["line"] == line and "not mapped" in named[0]["message"]
    assert measures(body["yaml"]) == measures(TEXT)  # the rest came back whole


BAD = {
    "not xml": (b"this is not < xml", 400),
    "broken": (b'<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn='
               b'"http://www.omg.org/spec/BPMN/20100524/MODEL">\n<bpmn:process id="p">\n', 400),
    "entity bomb": (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
                    b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
                    b'&lol2;</bpmn:definitions>', 400),
    "external entity": (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM '
                        b'"file:///etc/passwd">]>\n<bpmn:definitions xmlns:bpmn="http://www.omg'
                        b'.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>', 400),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_xml_is_refused_located_and_nothing_is_saved(client, case: str) -> None:  # type: ignore[no-untyped-def]
    wid, people, _, revision = _onboarding_xml(client)
    pat = people["pat"]
    data, status = BAD[case]
    answer = apply(pat, wid, data.decode(), revision)
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["errors"] and body["errors"][0]["message"], body
    assert "Traceback" not in answer.text
    if case == "broken":
        assert body["errors"][0]["line"]
    if case in ("entity bomb", "external entity"):
        assert "DTD" in body["errors"][0]["message"] and "root:" not in answer.text
    assert pat.get(f"/api/workshops/{wid}/draft").json()["revision"] == revision


def test_oversized_xml_and_bad_bodies_are_4xx(client, app) -> None:  # type: ignore[no-untyped-def]
    wid, people, xml, revision = _onboarding_xml(client)
    pat = people["pat"]
    size = app.state.server.settings.upload_limit
    big = xml.replace("</bpmn:definitions>", "<!--" + "x" * (size + 10) + "--></bpmn:definitions>")
    answer = apply(pat, wid, big, revision)
    assert answer.status_code == 413, answer.text[:200]
    assert "limit" in answer.json()["error"]
    assert pat.post(f"/api/workshops/{wid}/draft/from-bpmn", json={"xml": xml}).status_code == 422
    assert pat.post(f"/api/workshops/{wid}/draft/from-bpmn", content=b"{",
                    headers={"Content-Type": "application/json"}).status_code == 422
    assert pat.get(f"/api/workshops/{wid}/draft").json()["revision"] == revision
    # a map that does not load has no BPMN: its errors, located
    bad = TEXT.replace("    needs: [set-up-account]\n", "    needs: [no-such-step]\n", 1)
    refused = pat.post(f"/api/workshops/{wid}/to-bpmn", json={"yaml": bad})
    assert refused.status_code == 400 and refused.json()["errors"][0]["line"]
    assert pat.post(f"/api/workshops/{wid}/to-bpmn", json={}).status_code == 400


def test_stale_bpmn_is_refused_with_the_difference(client) -> None:  # type: ignore[no-untyped-def]
    wid, people, xml, revision = _onboarding_xml(client)
    pat = people["pat"]
    assert apply(pat, wid, xml, revision).status_code == 200
    stale = apply(pat, wid, add_task(xml), revision)
    assert stale.status_code == 409
    body = stale.json()
    assert body["current"]["revision"] == revision + 1 and "Call the customer back" in body["diff"]
    assert pat.get(f"/api/workshops/{wid}/draft").json()["revision"] == revision + 1


def test_only_who_may_write_the_map_brings_bpmn_back(client) -> None:  # type: ignore[no-untyped-def]
    wid, people, xml, revision = _onboarding_xml(client)
    for who, status in (("vic", 403), ("out", 404), ("anon", 401), ("fran", 403)):
        answer = apply(people[who], wid, xml, revision)
        assert answer.status_code == status, (who, answer.text)
    assert people["vic"].post(f"/api/workshops/{wid}/to-bpmn", json={"yaml": TEXT}).status_code == 403
    assert people["out"].post(f"/api/workshops/{wid}/to-bpmn", json={"yaml": TEXT}).status_code == 404
    # the facilitator brings BPMN back into the merged map, after the merge
    fran = people["fran"]
    assert apply(people["pat"], wid, xml, revision).status_code == 200
    assert fran.post(f"/api/workshops/{wid}/merge", json={}).status_code == 200
    merged = fran.get(f"/api/workshops/{wid}/merged").json()
    answer = apply(fran, wid, add_task(bpmn_of(fran, wid, merged["yaml"])), merged["revision"],
                   "merged")
    assert answer.status_code == 200, answer.text
    assert "Call the customer back" in answer.json()["yaml"]
    assert apply(people["pat"], wid, xml, 1, "merged").status_code == 403
