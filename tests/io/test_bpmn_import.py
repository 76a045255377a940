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
from procmap.measures.points import business_rules
from tests.conftest import CORPUS, corpus_file

FILES = sorted((CORPUS / "bpmn").glob("*/*.bpmn"))
HOSTILE = Path(__file__).parent / "bpmn" / "hostile"


def key(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


IMPORTS = ("imports", "")
"""Imports with steps and without a single warning."""


def warns(text: str) -> tuple[str, str]:
    """Imports, with a located warning containing ``text`` (what was left out)."""
    return ("warns", text)


def refused(text: str) -> tuple[str, str]:
    """Refused: exit 2 and a located message containing ``text``."""
    return ("refused", text)


# What every corpus file must give (see the corpus README for what each holds). A file
# without a single step but with pools or lanes imports as a map of actors with a
# warning; without those either, or without a process, or broken, it is refused.
EXPECTED: dict[str, tuple[str, str]] = {
    "aris-10.2025.07/A.1.0": IMPORTS,
    "aris-10.2025.07/A.2.0": IMPORTS,
    "aris-10.2025.07/A.2.1": IMPORTS,
    "aris-10.2025.07/A.3.0": IMPORTS,
    "aris-10.2025.07/A.4.0": IMPORTS,
    "aris-10.2025.07/A.4.1": IMPORTS,
    "aris-10.2025.07/B.1.0": IMPORTS,
    "aris-10.2025.07/B.2.0": IMPORTS,
    "aris-10.2025.07/C.1.0": IMPORTS,
    "aris-10.2025.07/C.1.1": IMPORTS,
    "aris-10.2025.07/C.2.0": warns("connects a pool, not two steps"),
    "aris-10.2025.07/C.3.0": IMPORTS,
    "aris-10.2025.07/C.4.0": IMPORTS,
    "aris-10.2025.07/C.5.0": IMPORTS,
    "aris-10.2025.07/C.6.0": IMPORTS,
    "aris-10.2025.07/C.7.0": IMPORTS,
    "aris-10.2025.07/C.8.0": IMPORTS,
    "aris-10.2025.07/C.8.1": IMPORTS,
    "aris-10.2025.07/C.9.0": IMPORTS,
    "aris-10.2025.07/C.9.1": IMPORTS,
    "aris-10.2025.07/C.9.2": IMPORTS,
    "bizagi-2.8.0.8/A.1.0": warns("is empty: its process holds no steps"),
    "bizagi-2.8.0.8/A.2.0": warns("is empty: its process holds no steps"),
    "bizagi-2.8.0.8/A.3.0": warns("is empty: its process holds no steps"),
    "bizagi-2.8.0.8/A.4.0": warns("is empty: its process holds no steps"),
    "bizagi-2.8.0.8/A.4.1": warns("is empty: its process holds no steps"),
    "bizagi-2.8.0.8/B.1.0": warns("is empty: its process holds no steps"),
    "bizagi-2.8.0.8/B.2.0": warns("is empty: its process holds no steps"),
    "bpmn-js-fixtures/bpmn-js__collaboration-collaboration-empty-participant": warns("holds no steps"),  # a participant whose process is empty: the pool as an actor
    "bpmn-js-fixtures/bpmn-js__collaboration-message-flows": warns("connects a pool, not two steps"),
    "bpmn-js-fixtures/bpmn-js__collaboration-vertical": IMPORTS,
    "bpmn-js-fixtures/bpmn-js__collaboration": IMPORTS,
    "bpmn-js-fixtures/bpmn-js__complex": warns("has no process (a collapsed pool)"),
    "bpmn-js-fixtures/bpmn-js__containers": IMPORTS,  # sub-processes and transactions, nested
    "bpmn-js-fixtures/bpmn-js__draw-pools-with-collection-marker": warns("holds no steps"),  # pools and lanes only: the skeleton of a map
    "bpmn-js-fixtures/bpmn-js__draw-pools": warns("holds no steps"),
    "bpmn-js-fixtures/bpmn-js__draw-vertical-pools": warns("holds no steps"),
    "bpmn-js-fixtures/bpmn-js__error-di-plane-no-bpmn-element": refused("holds no steps"),  # an empty process, no pool or lane; its plane points nowhere
    "bpmn-js-fixtures/bpmn-js__error-duplicate-ids": refused("the id 'test' is used twice, by the process at line 8 and the process at line 9"),
    "bpmn-js-fixtures/bpmn-js__error-invalid-child": refused("holds no process and no collaboration"),  # an element that is not BPMN, and nothing else
    "bpmn-js-fixtures/bpmn-js__error-missing-namespace": refused("has no BPMN namespace"),  # a modeler refuses it too; importing it would be a guess
    "bpmn-js-fixtures/bpmn-js__error-no-process-collaboration": refused("holds no process and no collaboration"),
    "bpmn-js-fixtures/bpmn-js__import-collapsed-collaboration": warns("pool 'Pool' is empty"),
    "bpmn-js-fixtures/bpmn-js__import-error-boundaryEvent-invalidAttachToRef": warns("is attached to 'NON_EXISTING_TASK'"),
    "bpmn-js-fixtures/bpmn-js__import-error-dangling-process-message-flow": IMPORTS,  # a process no pool refers to still gives its lane and tasks
    "bpmn-js-fixtures/bpmn-js__import-error-multiple-dis": refused("holds no steps"),  # one gateway connecting nothing, drawn twice
    "bpmn-js-fixtures/bpmn-js__import-text-annotation-message-flow": warns("text annotation 'TextAnnotation_1' is attached to no step"),
    "bpmn-js-fixtures/bpmn-js__kitchen-sink": warns("has no process (a collapsed pool)"),
    "bpmn-js-fixtures/bpmn-js__multiple-diagrams-lanesets": warns("lane set 'Lane Set 1' holds no lanes"),
    "camunda-bpmn-io-18.6.1/A.1.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/A.2.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/A.2.1": IMPORTS,
    "camunda-bpmn-io-18.6.1/A.3.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/A.4.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/A.4.1": IMPORTS,
    "camunda-bpmn-io-18.6.1/B.1.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/B.2.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.1.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.1.1": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.2.0": warns("connects a pool, not two steps"),
    "camunda-bpmn-io-18.6.1/C.3.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.4.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.5.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.6.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.7.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.8.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.8.1": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.9.0": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.9.1": IMPORTS,
    "camunda-bpmn-io-18.6.1/C.9.2": IMPORTS,
    "reference/A.1.0": IMPORTS,
    "reference/A.2.0": IMPORTS,
    "reference/A.2.1": IMPORTS,
    "reference/A.3.0": IMPORTS,
    "reference/A.4.0": IMPORTS,
    "reference/A.4.1": IMPORTS,
    "reference/B.1.0": IMPORTS,
    "reference/B.2.0": IMPORTS,
    "reference/C.1.0": IMPORTS,
    "reference/C.1.1": IMPORTS,
    "reference/C.2.0": warns("connects a pool, not two steps"),
    "reference/C.3.0": IMPORTS,
    "reference/C.4.0": IMPORTS,
    "reference/C.5.0": IMPORTS,
    "reference/C.6.0": IMPORTS,
    "reference/C.7.0": IMPORTS,
    "reference/C.8.0": IMPORTS,
    "reference/C.8.1": IMPORTS,
    "reference/C.9.0": IMPORTS,
    "reference/C.9.1": IMPORTS,
    "reference/C.9.2": IMPORTS,
    "sap-signavio-19.9.0/A.1.0": IMPORTS,
    "sap-signavio-19.9.0/A.2.0": IMPORTS,
    "sap-signavio-19.9.0/A.2.1": IMPORTS,
    "sap-signavio-19.9.0/A.3.0": IMPORTS,
    "sap-signavio-19.9.0/A.4.0": IMPORTS,
    "sap-signavio-19.9.0/A.4.1": IMPORTS,
    "sap-signavio-19.9.0/B.1.0": warns("holds no steps"),
    "sap-signavio-19.9.0/B.2.0": warns("holds no steps"),
    "sap-signavio-19.9.0/C.1.0": IMPORTS,
    "sap-signavio-19.9.0/C.1.1": IMPORTS,
    "sap-signavio-19.9.0/C.2.0": warns("connects a pool, not two steps"),
    "sap-signavio-19.9.0/C.3.0": IMPORTS,
    "sap-signavio-19.9.0/C.4.0.1": IMPORTS,
    "sap-signavio-19.9.0/C.4.0.2": IMPORTS,
    "sap-signavio-19.9.0/C.4.0.3": IMPORTS,
    "sap-signavio-19.9.0/C.4.0.4": IMPORTS,
    "sap-signavio-19.9.0/C.5.0.1": IMPORTS,
    "sap-signavio-19.9.0/C.5.0.2": IMPORTS,
    "sap-signavio-19.9.0/C.6.0": IMPORTS,
    "sap-signavio-19.9.0/C.7.0": IMPORTS,
    "sap-signavio-19.9.0/C.8.0": IMPORTS,
    "sap-signavio-19.9.0/C.8.1": IMPORTS,
    "sap-signavio-19.9.0/C.9.0": warns("holds no steps"),
    "sap-signavio-19.9.0/C.9.1": IMPORTS,
    "sap-signavio-19.9.0/C.9.2": IMPORTS,
}
IMPORTED = [p for p in FILES if EXPECTED.get(key(p), IMPORTS)[0] != "refused"]

# From the corpus README (counted from the XML by the working group): lanes, tasks,
# gateways, sequence flows of the reference models that have nothing inside
# sub-processes, so that every element is a step of the imported map.
REFERENCE = {
    "A.1.0": (0, 3, 0, 4), "A.2.0": (0, 4, 2, 9), "A.2.1": (0, 4, 2, 11),
    "C.1.0": (4, 9, 3, 20), "C.1.1": (0, 5, 2, 10), "C.4.0": (2, 22, 6, 41),
    "C.5.0": (3, 18, 12, 40), "C.7.0": (2, 6, 3, 12),
}
NS = {"b": BPMN}
TASK_TAGS = " | ".join(f"b:{tag}" for tag in TASKS)


def top_level_counts(path: Path) -> tuple[int, int, int, int]:
    """Lanes, tasks, gateways and sequence flows directly in the processes, read with XPath."""
    root = etree.parse(str(path)).getroot()
    leaf_lanes = root.xpath("//b:process//b:lane[not(b:childLaneSet/b:lane)]", namespaces=NS)
    direct = root.xpath("//b:process/*", namespaces=NS)
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


def test_the_table_names_every_corpus_file() -> None:
    assert sorted(EXPECTED) == sorted(key(p) for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=key)
def test_every_corpus_file_gives_what_the_table_expects(path: Path) -> None:
    outcome, text = EXPECTED[key(path)]
    if outcome == "refused":
        with pytest.raises(procmap.LoadError) as caught:
            read_bpmn(path)
        errors = caught.value.errors
        assert any(text in e.message for e in errors), [e.message for e in errors]
        assert all(e.location is not None and e.location.line >= 1 for e in errors)
        result = CliRunner().invoke(app, ["import", str(path)])
        assert result.exit_code == 2, result.output
        assert f"{path}:{errors[0].location.line}: " in result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
        return
    result = read_bpmn(path)
    c = result.counts
    assert (c.get("lanes", 0), c.get("tasks", 0), c.get("gateways", 0),
            c.get("sequence flows", 0)) == top_level_counts(path)
    messages = [w.message for w in result.warnings]
    for warning in result.warnings:
        assert warning.location is not None and warning.location.line >= 1, warning.message
    if outcome == "imports":
        assert messages == []
    else:
        assert any(text in m for m in messages), messages
    # never an empty map reported as fine
    assert result.process.steps or any("holds no steps" in m for m in messages)
    assert result.process.steps or result.process.actors
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
    order = process.steps["order"]
    assert order.channel.value == "app" and order.then == ("ship",) and order.bpmn_id == "a"
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


EXPANDED = "//b:subProcess | //b:transaction | //b:adHocSubProcess"
"""Every kind of sub-process whose contents are in the file (a call activity's are not)."""


@pytest.mark.parametrize("path", [p for p in IMPORTED if b"subProcess" in p.read_bytes()
                                  or b"transaction" in p.read_bytes()], ids=key)
def test_expanded_sub_processes_become_child_maps(path: Path) -> None:
    result = read_bpmn(path)
    root = etree.parse(str(path)).getroot()
    flow_nodes = {*TASKS, *DECISIONS, *JOINS, *EVENTS, *SUBPROCESSES}
    expanded = [s for s in root.xpath(EXPANDED, namespaces=NS)
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
    decision = process.steps["complete"]  # ids from names, the BPMN id where none
    assert decision.bpmn_id == "ok"
    assert {label: b.to for label, b in decision.branches.items()} == {
        "yes": "split-1", "no": "ask-for-the-rest"}
    # unnamed gateways: ids from what they do, the BPMN id kept
    split, join = process.steps["split-1"], process.steps["join-1"]
    assert split.kind.value == join.kind.value == "parallel"
    assert (split.name, split.bpmn_id, join.bpmn_id) == (None, "split", "join")
    assert sorted(split.then) == ["print-the-letter", "update-the-file"]
    assert sorted(f.source for f in process.flows if f.target == "join-1") == [
        "print-the-letter", "update-the-file"]
    assert [f.target for f in process.flows if f.source == "join-1"] == ["end"]
    joins = process.graph.parallel_joins()
    assert joins.get("join-1") == "split-1"


def gateway_file(tmp_path: Path, gateway: str, *, conditions: bool) -> Path:
    """A split by ``gateway`` into two tasks, merged again by the same kind of gateway."""
    label = ' name="{}"'
    flows = [("s", "g", ""), ("g", "a", label.format("big") if conditions else ""),
             ("g", "b", label.format("small") if conditions else ""), ("a", "m", ""),
             ("b", "m", ""), ("m", "e", "")]
    body = "".join(f'<sequenceFlow id="f{i}" sourceRef="{s}" targetRef="{d}"{n}/>'
                   for i, (s, d, n) in enumerate(flows))
    path = tmp_path / f"{gateway}.bpmn"
    path.write_text(
        f'<definitions xmlns="{BPMN}" id="d"><process id="p"><startEvent id="s"/>'
        f'<{gateway} id="g" name="Which parts?"/><task id="a" name="Pack"/>'
        f'<task id="b" name="Bill"/><{gateway} id="m"/><endEvent id="e"/>{body}'
        "</process></definitions>", encoding="utf-8")
    return path


def test_an_inclusive_gateway_is_read_as_what_it_is_with_a_note(tmp_path: Path) -> None:
    chosen = read_bpmn(gateway_file(tmp_path, "inclusiveGateway", conditions=True)).process
    gateway = chosen.steps["which-parts"]
    assert gateway.kind.value == "decision" and sorted(gateway.branches) == ["big", "small"]
    assert "inclusive gateway" in gateway.note and "one or more" in gateway.note
    assert "m" not in chosen.steps  # the merge is passed over: both ways go on to the end
    assert chosen.steps["pack"].then == chosen.steps["bill"].then == ("end",)
    tmp = tmp_path / "all"
    tmp.mkdir()
    every = read_bpmn(gateway_file(tmp, "inclusiveGateway", conditions=False)).process
    gateway = every.steps["which-parts"]
    assert gateway.kind.value == "parallel" and sorted(gateway.then) == ["bill", "pack"]
    assert "inclusive gateway" in gateway.note and "all are taken" in gateway.note
    parallel = read_bpmn(gateway_file(tmp_path, "parallelGateway", conditions=False)).process
    assert parallel.steps["which-parts"].kind.value == parallel.steps["join-1"].kind.value == \
        "parallel"
    assert parallel.steps["which-parts"].note is None


def test_a_long_chain_of_merges_is_passed_over_without_recursion(tmp_path: Path) -> None:
    n = 500
    gateways = "".join(f'<exclusiveGateway id="g{i}"/>' for i in range(n))
    chain = ["a", *(f"g{i}" for i in range(n)), "b"]
    flows = "".join(f'<sequenceFlow id="f{i}" sourceRef="{s}" targetRef="{d}"/>'
                    for i, (s, d) in enumerate(zip(chain, chain[1:], strict=False)))
    # merges in a ring that leads nowhere: passed over, to nothing
    loop = ('<exclusiveGateway id="r1"/><exclusiveGateway id="r2"/>'
            '<sequenceFlow id="r0" sourceRef="a" targetRef="r1"/>'
            '<sequenceFlow id="r12" sourceRef="r1" targetRef="r2"/>'
            '<sequenceFlow id="r21" sourceRef="r2" targetRef="r1"/>')
    path = tmp_path / "chain.bpmn"
    path.write_text(f'<definitions xmlns="{BPMN}" id="d"><process id="p"><task id="a" '
                    f'name="First"/>{gateways}<task id="b" name="Last"/>{flows}{loop}'
                    "</process></definitions>", encoding="utf-8")
    process = read_bpmn(path).process
    assert set(process.steps) == {"first", "last"}
    assert process.steps["first"].then == ("last",)


def test_step_ids_are_made_from_names_unique_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "names.bpmn"
    path.write_text(
        f'<definitions xmlns="{BPMN}" id="d"><process id="p">'
        '<task id="Activity_1" name="Check the invoice"/>'
        '<task id="Activity_2" name="Check the invoice!"/><task id="Activity_3"/>'
        '<sequenceFlow id="f1" sourceRef="Activity_1" targetRef="Activity_2"/>'
        '<sequenceFlow id="f2" sourceRef="Activity_2" targetRef="Activity_3"/>'
        "</process></definitions>", encoding="utf-8")
    first, again = read_bpmn(path).process, read_bpmn(path).process
    assert list(first.steps) == list(again.steps) == [
        "check-the-invoice", "check-the-invoice-2", "task-1"]
    assert [s.bpmn_id for s in first.steps.values()] == ["Activity_1", "Activity_2", "Activity_3"]


UNNAMED = f"""<definitions xmlns="{BPMN}" id="d">
  <collaboration id="c"><participant id="Pool_1" processRef="P_1"/>
    <participant id="Pool_2" processRef="P_2"/></collaboration>
  <process id="P_1"><laneSet id="ls"><lane id="L_a"><flowNodeRef>S_1</flowNodeRef>
      <flowNodeRef>S_2</flowNodeRef><flowNodeRef>G_1</flowNodeRef></lane>
    <lane id="L_b" name="Billing"><flowNodeRef>T_1</flowNodeRef></lane>
    <lane id="L_c"><flowNodeRef>T_2</flowNodeRef></lane></laneSet>
    <startEvent id="S_1"/><startEvent id="S_2"/>
    <exclusiveGateway id="G_1"/><task id="T_1" name="Decision 1"/><task id="T_2"/>
    <parallelGateway id="G_2"/><task id="T_3"/><task id="T_4" name="Bill"/>
    <parallelGateway id="G_3"/><endEvent id="E_1"/>
    <sequenceFlow id="f1" sourceRef="S_1" targetRef="G_1"/>
    <sequenceFlow id="f2" sourceRef="S_2" targetRef="T_2"/>
    <sequenceFlow id="f3" sourceRef="G_1" targetRef="T_1" name="big"/>
    <sequenceFlow id="f4" sourceRef="G_1" targetRef="G_2" name="small"/>
    <sequenceFlow id="f5" sourceRef="G_2" targetRef="T_3"/>
    <sequenceFlow id="f6" sourceRef="G_2" targetRef="T_4"/>
    <sequenceFlow id="f7" sourceRef="T_3" targetRef="G_3"/>
    <sequenceFlow id="f8" sourceRef="T_4" targetRef="G_3"/>
    <sequenceFlow id="f9" sourceRef="G_3" targetRef="E_1"/>
    <sequenceFlow id="f10" sourceRef="T_1" targetRef="E_1"/>
    <sequenceFlow id="f11" sourceRef="T_2" targetRef="E_1"/>
  </process>
  <process id="P_2" name="Card payments"><task id="T_5"/><endEvent id="E_2"/>
    <sequenceFlow id="f12" sourceRef="T_5" targetRef="E_2"/></process>
</definitions>
"""


def test_what_has_no_name_gets_an_id_from_its_kind_and_place(tmp_path: Path) -> None:
    path = tmp_path / "unnamed.bpmn"
    path.write_text(UNNAMED, encoding="utf-8")
    result = read_bpmn(path)
    assert result.warnings == []
    process = result.process
    # named steps first (a task named "Decision 1" keeps decision-1), then the unnamed in
    # file order, by kind: forks and joins of parallel work, starts numbered as there are two
    assert {s.bpmn_id or k: k for k, s in process.steps.items()} == {
        "S_1": "start-1", "S_2": "start-2", "G_1": "decision-2", "T_1": "decision-1",
        "T_2": "task-1", "G_2": "split-1", "T_3": "task-2", "T_4": "bill", "G_3": "join-1",
        "E_1": "end-1", "T_5": "task-3", "E_2": "end-2"}
    assert all(s.bpmn_id for k, s in process.steps.items() if k != "bill")
    assert process.steps["decision-2"].branches["small"].to == "split-1"
    assert sorted(process.steps["split-1"].then) == ["bill", "task-2"]
    # an unnamed lane is lane-1; an unnamed pool the actor of its process, named as it is
    # (the steps in no lane of the first pool are the unnamed process's: "process")
    assert {k: a.name for k, a in process.actors.items()} == {
        "process": None, "lane-1": None, "billing": "Billing", "lane-2": None,
        "card-payments": "Card payments"}
    assert process.steps["start-1"].actor == "lane-1"
    assert process.steps["split-1"].actor == "process"
    assert process.steps["task-3"].actor == "card-payments"
    assert read_bpmn(path).process == process  # stable: the same file, the same ids
    # an export restores these ids, and the vendor's come back as the BPMN ids
    out = tmp_path / "again.bpmn"
    out.write_bytes(procmap.export_bpmn(process))
    assert read_bpmn(out).process.steps == process.steps
    exported = etree.parse(str(out)).getroot()
    assert {"S_1", "G_1", "G_2", "G_3", "T_2", "E_1"} <= set(
        exported.xpath("//b:process/*/@id", namespaces=NS))


def test_an_unnamed_process_without_a_pool_is_the_actor_process() -> None:
    process = procmap.load(CORPUS / "logs" / "running-example.bpmn")
    assert list(process.actors) == ["process"]
    vendor = etree.parse(str(CORPUS / "logs" / "running-example.bpmn")).getroot()
    unnamed = vendor.xpath("//b:process/*[contains(local-name(), 'Gateway')][not(@name != '')]"
                           "/@id", namespaces=NS)
    ids = {s.bpmn_id: k for k, s in process.steps.items()}
    kept = [ids[raw] for raw in unnamed if raw in ids]  # merges are passed over
    assert sorted(kept) == ["decision-1", "decision-2", "decision-3", "join-1", "split-1"]
    assert not [k for k in process.steps if k.startswith("id")]


def test_a_vendor_file_keeps_its_ids_through_procmap(tmp_path: Path) -> None:
    source = corpus_file("bpmn", "camunda-bpmn-io-18.6.1", "C.4.0.bpmn")
    process = read_bpmn(source).process
    assert all(not s.bpmn_id or s.bpmn_id != step for step, s in process.steps.items())
    exported = etree.fromstring(procmap.export_bpmn(process))
    vendor = set(etree.parse(str(source)).getroot().xpath(
        f"//b:process/*[{' or '.join(f'self::b:{t}' for t in TASKS)}]/@id", namespaces=NS))
    assert vendor and vendor <= set(exported.xpath("//b:process/*/@id", namespaces=NS))
    out = tmp_path / "again.bpmn"
    out.write_bytes(procmap.export_bpmn(process))
    back = read_bpmn(out).process  # the same map, the order of a step's next steps aside
    assert {k: sorted(s.then) for k, s in back.steps.items()} == {
        k: sorted(s.then) for k, s in process.steps.items()}
    assert {k: s.model_copy(update={"then": ()}) for k, s in back.steps.items()} == {
        k: s.model_copy(update={"then": ()}) for k, s in process.steps.items()}


def test_documentation_html_becomes_plain_text() -> None:
    source = corpus_file("bpmn", "reference", "C.7.0.bpmn")
    root = etree.parse(str(source)).getroot()
    html = [d for d in root.xpath("//b:process//b:documentation", namespaces=NS)
            if d.text and "<p>" in d.text]
    assert html
    notes = [s.note or "" for s in read_bpmn(source).process.steps.values()]
    assert not [n for n in notes if "<" in n or "&lt;" in n or "&nbsp;" in n]
    # each documented element's text is in a note, without its markup
    for doc in html:
        words = " ".join(etree.fromstring(f"<x>{doc.text}</x>".replace("&nbsp;", " "))
                         .itertext()).split()[:6]
        assert any(" ".join(words) in " ".join(n.split()) for n in notes), words


@pytest.mark.parametrize("path", [p for p in IMPORTED if b"businessRuleTask" in p.read_bytes()],
                         ids=key)
def test_business_rule_tasks_carry_their_rule(path: Path) -> None:
    result = read_bpmn(path)
    root = etree.parse(str(path)).getroot()
    rule_tasks = root.xpath("//b:businessRuleTask", namespaces=NS)
    steps = [s for p in [result.process, *result.children] for s in p.steps.values()
             if s.note and "businessRuleTask" in s.note]
    assert len(steps) == len(rule_tasks) > 0
    names = {" ".join(t.get("name").split()) for t in rule_tasks if t.get("name")}
    assert all(s.rule for s in steps) and names <= {s.rule for s in steps}
    ruled = {k for k, s in result.process.steps.items() if s.rule}
    assert ruled <= {r.step for r in business_rules(result.process)}


def _outgoing(root: etree._Element, node: etree._Element) -> int:
    return len(root.xpath("//b:sequenceFlow[@sourceRef=$id]", namespaces=NS, id=node.get("id")))


def file_counts(path: Path) -> tuple[int, int]:
    """Tasks and gateways the file holds, in processes and inside sub-processes (XPath).

    Merges (gateways other than parallel with at most one way out) are left out: a map
    leaves them implicit. Call activities' insides are not part of the file's process.
    """
    root = etree.parse(str(path)).getroot()
    tasks = root.xpath(f"//b:process//*[{' or '.join(f'self::b:{t}' for t in TASKS)}]"
                       "[not(ancestor::b:callActivity)]", namespaces=NS)
    gateways = [g for g in root.xpath("//b:process//*[contains(local-name(), 'Gateway')]"
                                      "[not(ancestor::b:callActivity)]", namespaces=NS)
                if etree.QName(g).localname == "parallelGateway" or _outgoing(root, g) > 1]
    return len(tasks), len(gateways)


@pytest.mark.parametrize(
    "path", [p for p in IMPORTED if b"parallelGateway" in p.read_bytes()
             or etree.parse(str(p)).getroot().xpath(EXPANDED, namespaces=NS)], ids=key)
def test_every_task_and_gateway_of_the_file_is_a_step(path: Path) -> None:
    result = read_bpmn(path)
    maps = [result.process, *result.children]
    kinds = [s.kind.value for p in maps for s in p.steps.values()]
    tasks, gateways = file_counts(path)
    assert (kinds.count("task"), kinds.count("decision") + kinds.count("parallel")) == (
        tasks, gateways)


def test_the_counts_cover_the_files_with_parallel_work() -> None:
    covered = {key(p) for p in IMPORTED if b"parallelGateway" in p.read_bytes()}
    assert {"reference/B.2.0", "reference/C.6.0", "aris-10.2025.07/C.4.0",
            "camunda-bpmn-io-18.6.1/C.5.0"} <= covered


def test_diagram_problems_are_named(tmp_path: Path) -> None:
    di = "http://www.omg.org/spec/BPMN/20100524/DI"
    path = tmp_path / "drawn.bpmn"
    path.write_text(
        f'<definitions xmlns="{BPMN}" xmlns:di="{di}" id="d"><process id="p">'
        '<task id="a" name="Work"/></process><di:BPMNDiagram id="D">'
        '<di:BPMNPlane id="P" bpmnElement="gone"><di:BPMNShape id="s1" bpmnElement="a"/>\n'
        '<di:BPMNShape id="s2" bpmnElement="a"/></di:BPMNPlane></di:BPMNDiagram>'
        "</definitions>", encoding="utf-8")
    messages = [w.message for w in read_bpmn(path).warnings]
    assert any("points to 'gone'" in m for m in messages), messages
    assert any("'a' is drawn twice" in m and "lines 1 and 2" in m for m in messages), messages


def test_a_flow_without_its_ends_is_named_as_such(tmp_path: Path) -> None:
    source = corpus_file("bpmn", "sap-signavio-19.9.0", "C.9.0.bpmn")
    root = etree.parse(str(source)).getroot()
    loose = root.xpath("//b:sequenceFlow[not(@sourceRef) and not(@targetRef)]", namespaces=NS)
    assert loose
    warnings = {w.what: w.location.line for w in read_bpmn(source).warnings}
    for flow in loose:
        what = f"flow '{flow.get('id')}' has no source and no target: it is not mapped"
        assert warnings.get(what) == flow.sourceline, warnings
    assert not [m for m in warnings if "None" in m]
    path = tmp_path / "half.bpmn"
    path.write_text(f'<definitions xmlns="{BPMN}" id="d"><process id="p"><task id="a" '
                    'name="Work"/><sequenceFlow id="f" sourceRef="a"/></process></definitions>',
                    encoding="utf-8")
    assert [w.what for w in read_bpmn(path).warnings] == [
        "flow 'f' has no target: it is not mapped"]
