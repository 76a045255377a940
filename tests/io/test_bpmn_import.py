"""BPMN 2.0 import: every corpus file written by real modelers, and hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.io.bpmn.reader import (
    BPMN,
    DECISIONS,
    EVENTS,
    JOINS,
    SUBPROCESSES,
    TASKS,
    read_bpmn,
)
from tests.conftest import CORPUS, corpus_file

FILES = sorted((CORPUS / "bpmn").glob("*/*.bpmn"))
HOSTILE = Path(__file__).parent / "bpmn" / "hostile"

# From the corpus README (counted from the XML by the working group): lanes, tasks,
# gateways, sequence flows of the reference models that have nothing inside
# sub-processes, so that every element is a step of the imported map.
REFERENCE = {
    "A.1.0": (0, 3, 0, 4), "A.2.0": (0, 4, 2, 9), "A.2.1": (0, 4, 2, 11),
    "C.1.0": (4, 9, 3, 20), "C.1.1": (0, 5, 2, 10), "C.4.0": (2, 22, 6, 41),
    "C.5.0": (3, 18, 12, 40), "C.7.0": (2, 6, 3, 12),
}


def top_level_counts(path: Path) -> tuple[int, int, int, int]:
    """Lanes, tasks, gateways and sequence flows directly in the processes, read with XPath."""
    root = etree.parse(str(path)).getroot()
    ns = {"b": BPMN}
    leaf_lanes = root.xpath("//b:process//b:lane[not(b:childLaneSet/b:lane)]", namespaces=ns)
    direct = root.xpath("//b:process/*", namespaces=ns)
    names = [etree.QName(e).localname for e in direct]
    return (
        len(leaf_lanes),
        sum(n in TASKS for n in names),
        sum(n in DECISIONS or n in JOINS for n in names),
        names.count("sequenceFlow"),
    )


def test_the_corpus_is_there() -> None:
    assert len(FILES) >= 90, (
        f"the BPMN corpus was not found at {CORPUS / 'bpmn'}: check out beside shared/ "
        "or set PROCMAP_CORPUS"
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_corpus_file_imports(path: Path) -> None:
    result = read_bpmn(path)
    c = result.counts
    assert (c.get("lanes", 0), c.get("tasks", 0), c.get("gateways", 0),
            c.get("sequence flows", 0)) == top_level_counts(path)
    assert result.process.steps
    for warning in result.warnings:
        assert warning.location.line >= 1, warning.message
    # the imported map is an ordinary map: it writes and loads back the same
    assert procmap.loads(procmap.dumps(result.process)) == result.process


@pytest.mark.parametrize("model", sorted(REFERENCE))
def test_reference_models_match_the_published_counts(model: str) -> None:
    # the vendors' rebuilds differ in content (Camunda's C.4.0 has one pool of the four),
    # so the published counts are held against the reference files only
    c = read_bpmn(corpus_file("bpmn", "reference", f"{model}.bpmn")).counts
    assert (c.get("lanes", 0), c.get("tasks", 0), c.get("gateways", 0),
            c.get("sequence flows", 0)) == REFERENCE[model]


def test_lanes_become_actors_and_gateways_decisions() -> None:
    process = read_bpmn(corpus_file("bpmn", "reference", "C.1.0.bpmn")).process
    names = {a.name for a in process.actors.values()}
    assert {"Approver", "Accountant"} <= names
    decisions = [s for s in process.steps.values() if s.kind.value == "decision"]
    assert decisions and all(len(d.branches) >= 2 for d in decisions)
    assert any(s.kind.value == "start" for s in process.steps.values())


def test_customer_lanes_become_the_customer(tmp_path: Path) -> None:
    path = tmp_path / "shop.bpmn"
    path.write_text(
        f'<definitions xmlns="{BPMN}" id="d"><process id="p"><laneSet id="ls">'
        '<lane id="l1" name="Customer"><flowNodeRef>a</flowNodeRef></lane>'
        '<lane id="l2" name="Shop"><flowNodeRef>b</flowNodeRef></lane></laneSet>'
        '<userTask id="a" name="Order"/><task id="b" name="Ship"/>'
        '<sequenceFlow id="f" sourceRef="a" targetRef="b"/></process></definitions>',
        encoding="utf-8",
    )
    process = read_bpmn(path).process
    assert process.actors["customer"].kind.value == "customer"
    assert process.steps["a"].channel.value == "app" and process.steps["a"].then == ("b",)
    assert read_bpmn(path, customer_pattern="shop").process.actors["shop"].kind.value == "customer"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("entity-bomb.bpmn", "has a DTD or entity declarations"),
        ("external-entity.bpmn", "has a DTD or entity declarations"),
        ("malformed.bpmn", "is not well-formed XML"),
        ("not-bpmn.bpmn", "is not BPMN 2.0"),
    ],
)
def test_hostile_and_broken_files_exit_2(name: str, message: str) -> None:
    result = CliRunner().invoke(app, ["import", str(HOSTILE / name)])
    assert result.exit_code == 2
    assert message in result.output and str(HOSTILE / name) in result.output
    assert "Traceback" not in result.output


def test_import_command_and_load(tmp_path: Path) -> None:
    source = corpus_file("bpmn", "camunda-bpmn-io-18.6.1", "C.4.0.bpmn")
    out = tmp_path / "c40.yaml"
    result = CliRunner().invoke(app, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert procmap.load(out) == procmap.load(source)
    assert CliRunner().invoke(app, ["check", str(source)]).exit_code == 0


@pytest.mark.parametrize("path", [p for p in FILES if b"subProcess" in p.read_bytes()],
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_expanded_sub_processes_become_child_maps(path: Path) -> None:
    result = read_bpmn(path)
    root = etree.parse(str(path)).getroot()
    ns = {"b": BPMN}
    flow_nodes = {*TASKS, *DECISIONS, *JOINS, *EVENTS, *SUBPROCESSES}
    expanded = [s for s in root.xpath("//b:subProcess", namespaces=ns)
                if any(etree.QName(c).localname in flow_nodes for c in s.iterchildren("{*}*"))]
    assert len(result.children) == len(expanded)
    maps = {p.process: p for p in [result.process, *result.children]}
    for child in result.children:
        parent = maps[child.part_of]
        assert [s for s in parent.steps.values() if s.calls == child.process], child.process
        assert child.steps
    assert not [w for w in result.warnings if "sub-process" in w.message]


def test_import_to_a_folder_writes_a_map_per_sub_process(tmp_path: Path) -> None:
    source = corpus_file("bpmn", "reference", "C.6.0.bpmn")
    out = tmp_path / "maps"
    result = CliRunner().invoke(app, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.glob("*.yaml"))
    expected = read_bpmn(source)
    assert written == sorted(f"{p.process}.yaml" for p in [expected.process, *expected.children])
    catalog = procmap.load_catalog(out)
    assert len(catalog.processes) == len(written)
    checked = CliRunner().invoke(app, ["check", str(out), "--format", "json"])
    assert "calls-unknown-process" not in checked.output


PARALLEL_AFTER_DECISION = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <process id="p">
    <startEvent id="start"/>
    <exclusiveGateway id="ok" name="Complete?"/>
    <parallelGateway id="split"/>
    <task id="a" name="Print the letter"/>
    <task id="b" name="Update the file"/>
    <task id="fix" name="Ask for the rest"/>
    <parallelGateway id="join"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="ok"/>
    <sequenceFlow id="f2" sourceRef="ok" targetRef="split" name="yes"/>
    <sequenceFlow id="f3" sourceRef="ok" targetRef="fix" name="no"/>
    <sequenceFlow id="f4" sourceRef="split" targetRef="a"/>
    <sequenceFlow id="f5" sourceRef="split" targetRef="b"/>
    <sequenceFlow id="f6" sourceRef="a" targetRef="join"/>
    <sequenceFlow id="f7" sourceRef="b" targetRef="join"/>
    <sequenceFlow id="f8" sourceRef="join" targetRef="end"/>
    <sequenceFlow id="f9" sourceRef="fix" targetRef="end"/>
  </process>
</definitions>
"""


def test_a_parallel_split_after_a_decision_stays_parallel(tmp_path: Path) -> None:
    path = tmp_path / "split.bpmn"
    path.write_text(PARALLEL_AFTER_DECISION, encoding="utf-8")
    process = procmap.load(path)
    decision = process.steps["ok"]
    assert {label: b.to for label, b in decision.branches.items()} == {"yes": "split", "no": "fix"}
    split = process.steps["split"]
    assert split.name is None and "parallel" in split.note
    assert sorted(split.then) == ["a", "b"]
    assert "join" not in process.steps  # a join is passed over
    assert sorted(f.target for f in process.flows if f.source == "a") == ["end"]
