"""BPMN 2.0 export: valid against the OMG schema, and import gives the map back."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.io.bpmn.extensions import TAG
from procmap.io.bpmn.reader import BPMN, read_bpmn
from procmap.io.bpmn.shapes import BPMNDI
from procmap.io.bpmn.writer import export_bpmn
from procmap.model.process import Process
from tests.conftest import ROOT, corpus_file, example_maps, matches_golden
from tests.io.test_bpmn_import import IMPORTED

CORPUS_FILES = IMPORTED
"""The corpus files that import (the others are held to their refusal in the import tests)."""
EXAMPLES = [*example_maps(), *sorted((ROOT / "docs" / "examples").glob("*.yaml"))]
MODES = ["pool", "lane"]


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(corpus_file("bpmn", "xsd", "BPMN20.xsd"))))


def name(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def export(process: Process, tmp_path: Path, mode: str) -> Path:
    path = tmp_path / f"{process.process}-{mode}.bpmn"
    path.write_bytes(export_bpmn(process, customer_as=mode))  # type: ignore[arg-type]
    return path


def assert_valid(schema: etree.XMLSchema, path: Path) -> None:
    if not schema.validate(etree.parse(str(path))):
        pytest.fail("\n".join(str(e) for e in schema.error_log[:5]))


def same_map(a: Process, b: Process) -> None:
    """Equal maps, the order in which a step lists its next and previous steps aside."""

    def steps(p: Process) -> dict:
        return {k: s.model_copy(update={"needs": tuple(sorted(s.needs)),
                                        "then": tuple(sorted(s.then))})
                for k, s in p.steps.items()}

    assert a.model_copy(update={"steps": {}}) == b.model_copy(update={"steps": {}})
    assert steps(a) == steps(b)
    assert set(a.flows) == set(b.flows)


def semantic_xml(path: Path) -> bytes:
    """The XML without its diagram (coordinates depend on the layout)."""
    root = etree.parse(str(path)).getroot()
    for diagram in root.findall(f"{{{BPMNDI}}}BPMNDiagram"):
        root.remove(diagram)
    return etree.tostring(root)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", EXAMPLES, ids=name)
def test_examples_export_valid_and_come_back(path: Path, mode: str, schema, tmp_path) -> None:
    process = procmap.load(path)
    exported = export(process, tmp_path, mode)
    assert_valid(schema, exported)
    result = read_bpmn(exported)
    assert result.warnings == []
    same_map(process, result.process)
    again = tmp_path / "again.bpmn"
    again.write_bytes(export_bpmn(result.process, customer_as=mode))  # type: ignore[arg-type]
    assert semantic_xml(again) == semantic_xml(exported)


def as_work(process: Process) -> Process:
    """The map with its start and end events made work steps: a case then begins at a
    step with nothing before it and ends at one with nothing after it (DESIGN §2)."""
    data = process.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    for step in data["steps"].values():
        if step.get("kind") in ("start", "end"):
            del step["kind"]
    return Process.model_validate(data)


ADDED = TAG + "added"
"""procmap:added, the mark of the events and gateways the export adds."""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", EXAMPLES, ids=name)
def test_a_map_without_events_exports_with_added_ones_and_comes_back(
    path: Path, mode: str, schema, tmp_path
) -> None:
    process = as_work(procmap.load(path))
    assert not [s for s in process.steps.values() if s.kind.value in ("start", "end")]
    exported = export(process, tmp_path, mode)
    assert_valid(schema, exported)
    root = etree.parse(str(exported)).getroot()
    ns = {"b": BPMN}
    # every step that begins a case has a start event before it, every step that ends
    # one an end event after it, each marked as added by the export
    flows = root.xpath("//b:sequenceFlow", namespaces=ns)
    before = {f.get("targetRef"): f.get("sourceRef") for f in flows}
    after: dict[str, list[str]] = {}
    for f in flows:
        after.setdefault(f.get("sourceRef"), []).append(f.get("targetRef"))
    tags = {e.get("id"): etree.QName(e).localname for e in root.xpath("//b:process/*[@id]",
                                                                      namespaces=ns)}
    added = {e.getparent().getparent().get("id") for e in root.iter(ADDED)}
    for step in process.steps:
        if not process.graph.predecessors(step):
            start = before.get(step)
            assert start in added and tags[start] == "startEvent", (step, start)
        if not process.graph.successors(step):
            ends = [n for n in after.get(step, []) if n in added]
            assert [tags[n] for n in ends] == ["endEvent"], (step, ends)
    # and no event but these: the map has none
    assert {t for n, t in tags.items() if n not in added} & {"startEvent", "endEvent"} == set()
    result = read_bpmn(exported)
    assert result.warnings == []
    same_map(process, result.process)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=name)
def test_corpus_files_reexport_valid_and_come_back(path: Path, schema, tmp_path) -> None:
    process = read_bpmn(path).process
    for mode in MODES:
        exported = export(process, tmp_path, mode)
        assert_valid(schema, exported)
        back = read_bpmn(exported).process
        same_map(process, back)
        again = tmp_path / "again.bpmn"
        again.write_bytes(export_bpmn(back, customer_as=mode))  # type: ignore[arg-type]
        assert semantic_xml(again) == semantic_xml(exported)


def test_the_customer_is_a_pool_with_message_flows(tmp_path: Path) -> None:
    process = procmap.load(ROOT / "examples" / "customer-onboarding.yaml")
    root = etree.parse(str(export(process, tmp_path, "pool"))).getroot()
    ns = {"b": BPMN, "di": BPMNDI}
    assert len(root.xpath("//b:participant", namespaces=ns)) == 2
    lanes = root.xpath("//b:lane/@name", namespaces=ns)
    assert "New customer" not in lanes and "Sales" in lanes
    handoffs = [f for f in process.flows
                if (process.actors[process.steps[f.source].actor].kind.value == "customer")
                != (process.actors[process.steps[f.target].actor].kind.value == "customer")]
    assert len(root.xpath("//b:messageFlow", namespaces=ns)) == len(handoffs) > 0
    # every pool's process is connected: each flow node has a way in and a way out
    for node in root.xpath("//b:process/*[b:incoming or b:outgoing]", namespaces=ns):
        tag = etree.QName(node).localname
        assert tag == "startEvent" or node.xpath("b:incoming", namespaces=ns), node.get("id")
        assert tag == "endEvent" or node.xpath("b:outgoing", namespaces=ns), node.get("id")
    # every flow node, pool and lane has a shape; every flow an edge with waypoints
    drawn = set(root.xpath("//di:BPMNShape/@bpmnElement | //di:BPMNEdge/@bpmnElement",
                           namespaces=ns))
    elements = root.xpath("//b:process/*[@id][not(self::b:laneSet)] | //b:participant"
                          " | //b:lane | //b:messageFlow", namespaces=ns)
    assert {e.get("id") for e in elements} <= drawn
    decisions = root.xpath("//b:exclusiveGateway[b:outgoing[2]]", namespaces=ns)
    assert decisions
    for gateway in decisions:
        for flow in root.xpath(f"//b:sequenceFlow[@sourceRef='{gateway.get('id')}']",
                               namespaces=ns):
            assert flow.get("name") and flow.find(f"{{{BPMN}}}conditionExpression") is not None


def test_ids_become_valid_ncnames_and_come_back(tmp_path: Path, schema) -> None:
    process = procmap.loads(
        "procmap: 1\nprocess: odd-ids\nactors:\n  customer: {kind: customer}\n"
        "  crm:team: {kind: system}\nsteps:\n  1st-call: {actor: customer, then: [crm:sync]}\n"
        "  crm:sync: {actor: crm:team, kind: wait, wait: 2d}\n"
    )
    exported = export(process, tmp_path, "pool")
    assert_valid(schema, exported)
    text = exported.read_text("utf-8")
    assert 'id="_1st-call"' in text and 'id="crm_sync"' in text and "<bpmn:timeDuration" in text
    same_map(process, read_bpmn(exported).process)


def test_export_command_writes_and_refuses_foreign_files(tmp_path: Path) -> None:
    out = tmp_path / "onboarding.bpmn"
    source = ROOT / "examples" / "customer-onboarding.yaml"
    written = []
    for _ in range(2):  # the second run replaces procmap's own file
        result = CliRunner().invoke(app, ["export", str(source), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert f"wrote {out}" in result.output
        written.append(out.read_bytes())
    assert written[0] == written[1] and b"<bpmn:definitions" in written[0]
    same_map(procmap.load(source), procmap.load(out))  # the file read back is the map
    foreign = tmp_path / "foreign.bpmn"
    foreign.write_text("<definitions/>", encoding="utf-8")
    result = CliRunner().invoke(app, ["export", str(source), "-o", str(foreign)])
    assert result.exit_code == 2 and "--force" in result.output
    result = CliRunner().invoke(app, ["export", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_export_is_deterministic_and_matches_the_golden_file(
    update_golden: bool, tmp_path: Path
) -> None:
    # the semantic part; the diagram follows procmap.layout, which has tests of
    # its own. Refresh with pytest --update-golden
    golden = ROOT / "tests" / "golden" / "customer-onboarding.bpmn"
    process = procmap.load(ROOT / "examples" / "customer-onboarding.yaml")
    exported = export(process, tmp_path, "pool")
    assert export_bpmn(process) == exported.read_bytes()
    root = etree.fromstring(semantic_xml(exported))
    root.set("exporterVersion", "VERSION")
    text = etree.tostring(root, encoding="unicode") + "\n"
    matches_golden(golden, text, update_golden)


def test_unused_actors_get_empty_lanes_and_unlabelled_ways_out_are_defaults(
    tmp_path: Path, schema
) -> None:
    process = procmap.loads(
        "procmap: 1\nprocess: small\nactors:\n  team: {kind: team}\n  idle: {kind: team}\n"
        "  customer: {kind: customer}\n  crm: {kind: system}\nsteps:\n"
        "  ask: {actor: customer, then: [decide]}\n"
        "  decide: {actor: team, kind: decision, branches: {yes: record}, then: [reply]}\n"
        "  record: {actor: crm}\n  reply: {actor: team}\n"
    )
    exported = export(process, tmp_path, "pool")
    assert_valid(schema, exported)
    same_map(process, read_bpmn(exported).process)
    root = etree.parse(str(exported)).getroot()
    ns = {"b": BPMN, "di": BPMNDI, "dc": "http://www.omg.org/spec/DD/20100524/DC"}
    gateway = root.xpath("//b:exclusiveGateway[@id='decide']", namespaces=ns)[0]
    default = root.xpath(f"//b:sequenceFlow[@id='{gateway.get('default')}']", namespaces=ns)[0]
    assert default.get("targetRef") == "reply" and default.get("name") is None
    bands = []
    for lane in root.xpath("//b:lane/@id | //b:participant/@id", namespaces=ns):
        bounds = root.xpath(f"//di:BPMNShape[@bpmnElement='{lane}']/dc:Bounds", namespaces=ns)[0]
        bands.append((lane, float(bounds.get("y")), float(bounds.get("height"))))
    lanes = sorted((y, y + h) for lane, y, h in bands if lane.startswith("Lane_"))
    assert len(lanes) == 3 and all(a[1] <= b[0] for a, b in zip(lanes, lanes[1:], strict=False))


def test_an_export_edited_in_a_modeler_keeps_the_edits(tmp_path: Path) -> None:
    # a lane and a task drawn in after the export, without procmap's extensions
    process = procmap.load(ROOT / "examples" / "marketing" / "lead-scoring.yaml")
    root = etree.fromstring(export_bpmn(process, customer_as="lane"))
    proc = root.find(f"{{{BPMN}}}process")
    lane = etree.SubElement(proc.find(f"{{{BPMN}}}laneSet"), f"{{{BPMN}}}lane", id="Lane_new",
                            name="Legal")
    etree.SubElement(lane, f"{{{BPMN}}}flowNodeRef").text = "Task_new"
    etree.SubElement(proc, f"{{{BPMN}}}task", id="Task_new", name="Check the contract")
    first = next(iter(process.steps))
    etree.SubElement(proc, f"{{{BPMN}}}sequenceFlow", id="Flow_new", sourceRef=first,
                     targetRef="Task_new")
    edited = tmp_path / "edited.bpmn"
    edited.write_bytes(etree.tostring(root))
    back = read_bpmn(edited).process
    assert set(back.steps) - set(process.steps) == {"check-the-contract"}
    new = back.steps["check-the-contract"]
    assert back.actors["legal"].name == "Legal" and new.actor == "legal"
    assert new.bpmn_id == "Task_new" and "check-the-contract" in back.steps[first].then
    assert {s: back.steps[s] for s in process.steps if s != first} == {
        s: process.steps[s] for s in process.steps if s != first}


FORK = """procmap: 1
process: order-fulfilment
actors:
  customer: {kind: customer}
  warehouse: {kind: team}
  billing: {kind: team}
steps:
  order-placed: {actor: customer, kind: start, name: Customer places an order, then: [accept]}
  accept: {actor: warehouse, name: Accept the order, then: [fork]}
  fork: {actor: warehouse, kind: parallel, name: Start the three jobs, then: [pack, bill, notify]}
  pack: {actor: warehouse, duration: 2h, then: [join]}
  bill: {actor: billing, duration: 30m, then: [join]}
  notify: {actor: warehouse, channel: email, duration: 5m, then: [join]}
  join: {actor: warehouse, kind: parallel, then: [ship]}
  ship: {actor: warehouse, then: [received]}
  received: {actor: customer, kind: end, name: Customer receives the parcel}
"""


@pytest.mark.parametrize("mode", MODES)
def test_a_fork_and_join_round_trip_with_two_parallel_gateways(mode: str, schema,
                                                               tmp_path: Path) -> None:
    process = procmap.loads(FORK)
    exported = export(process, tmp_path, mode)
    assert_valid(schema, exported)
    root = etree.parse(str(exported)).getroot()
    ns = {"b": BPMN}
    gateways = root.xpath("//b:parallelGateway", namespaces=ns)
    assert sorted(g.get("id") for g in gateways) == ["fork", "join"]
    fork = root.xpath("//b:parallelGateway[@id='fork']", namespaces=ns)[0]
    assert fork.get("name") == "Start the three jobs"
    assert len(fork.xpath("b:outgoing", namespaces=ns)) == 3
    # start and end steps are events, not tasks
    assert root.xpath("//b:startEvent[@id='order-placed']", namespaces=ns)
    assert root.xpath("//b:endEvent[@id='received']", namespaces=ns)
    assert not root.xpath("//b:*[contains(local-name(), 'ask')][@id='order-placed' or "
                          "@id='received']", namespaces=ns)
    back = read_bpmn(exported)
    assert back.warnings == []
    same_map(process, back.process)


def test_a_step_without_a_name_has_no_label_box(tmp_path: Path) -> None:
    process = procmap.loads(FORK)
    root = etree.parse(str(export(process, tmp_path, "lane"))).getroot()
    ns = {"b": BPMN, "di": BPMNDI, "dc": "http://www.omg.org/spec/DD/20100524/DC"}
    labelled = {s.get("bpmnElement"): s.find(f"{{{BPMNDI}}}BPMNLabel")
                for s in root.xpath("//di:BPMNShape", namespaces=ns)}
    assert process.steps["join"].name is None and labelled["join"] is None
    assert process.steps["fork"].name and labelled["fork"] is not None
    for label in root.xpath("//di:BPMNLabel/dc:Bounds", namespaces=ns):
        assert float(label.get("width")) > 0 and float(label.get("height")) > 0


def test_a_task_with_several_next_steps_forks_in_bpmn(schema, tmp_path: Path) -> None:
    process = procmap.loads(FORK.replace("then: [fork]", "then: [pack, bill, notify]")
                            .replace("  fork: {actor: warehouse, kind: parallel, name: Start "
                                     "the three jobs, then: [pack, bill, notify]}\n", ""))
    exported = export(process, tmp_path, "lane")
    assert_valid(schema, exported)
    root = etree.parse(str(exported)).getroot()
    ns = {"b": BPMN}
    # the split BPMN wants after the task is a parallel gateway, dropped again on import
    split = root.xpath("//b:sequenceFlow[@sourceRef='accept']/@targetRef", namespaces=ns)
    assert len(split) == 1
    assert root.xpath(f"//b:parallelGateway[@id='{split[0]}']", namespaces=ns)
    same_map(process, read_bpmn(exported).process)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("text", [
    "procmap: 1\nprocess: empty\n",
    "procmap: 1\nprocess: lanes-only\nactors:\n  customer: {kind: customer}\n"
    "  sales: {kind: team}\n",
], ids=["nothing", "actors-only"])
def test_a_map_without_steps_exports_an_empty_process(text: str, mode: str, schema,
                                                      tmp_path: Path) -> None:
    source = tmp_path / "empty.yaml"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "empty.bpmn"
    result = CliRunner().invoke(app, ["export", str(source), "--customer-as", mode,
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_valid(schema, out)
    back = read_bpmn(out)
    assert back.process.steps == {} and set(back.process.actors) == set(
        procmap.load(source).actors)


def test_a_lane_renamed_in_a_modeler_keeps_its_new_name(tmp_path) -> None:
    process = procmap.load("examples/customer-onboarding.yaml")
    xml = export_bpmn(process, customer_as="lane").decode("utf-8")
    assert 'name="Customer Success"' in xml
    path = tmp_path / "renamed.bpmn"
    path.write_text(xml.replace('name="Customer Success"', 'name="Success team"'), encoding="utf-8")
    back = procmap.load(path)
    assert back.actors["success"].name == "Success team"  # the modeler's name, the map's id
    assert {a: x.kind for a, x in back.actors.items()} == {a: x.kind for a, x in process.actors.items()}
