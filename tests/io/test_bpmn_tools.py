"""The export in other people's tools: bpmn-js in headless Chromium, and bpmnlint.

The Node packages come from tests/js/package-lock.json (``npm ci`` in make test's
set-up); the browser is Debian's Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import procmap
from procmap.io.bpmn.reader import read_bpmn
from procmap.io.bpmn.writer import export_bpmn
from tests.conftest import CORPUS
from tests.io.test_bpmn_export import CORPUS_FILES, EXAMPLES, FORK, as_work
from tests.js.export import node, ready, show

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(ready() is not None, reason=str(ready()))]

# Re-exports of the corpus (imported, then exported) may draw this finding; the
# examples draw none at all.
CORPUS_ALLOWED = {
    # The corpus models start with message, timer and conditional start events, often
    # several to a pool; procmap has no event types, so import keeps them as plain start
    # steps and a re-exported pool has several blank start events (38 of the 95 files:
    # 24 pools with only the model's own starts, 14 where a step that nothing leads to,
    # such as a compensation handler, gets a start event too).
    "single-blank-start-event",
}
# A map without steps (a file of pools and lanes only) exports empty processes, which
# have no start and no end event: these two rules may report such a process, and no other.
EMPTY_PROCESS = {"start-event-required", "end-event-required"}


def empty_processes(path: Path) -> set[str]:
    """The ids of the processes in an export that hold no flow node."""
    from lxml import etree

    from procmap.io.bpmn.reader import BPMN

    root = etree.parse(str(path)).getroot()
    return {p.get("id") for p in root.iter(f"{{{BPMN}}}process")
            if not [c for c in p if etree.QName(c).localname != "laneSet"]}


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("bpmn")
    files = []
    maps = {path.stem: procmap.load(path) for path in EXAMPLES}
    maps["fork-and-join"] = procmap.loads(FORK)  # parallel gateways and events
    for stem, process in maps.items():
        for mode in ("pool", "lane"):
            out = folder / f"{stem}-{mode}.bpmn"
            out.write_bytes(export_bpmn(process, customer_as=mode))
            files.append(out)
    return files


@pytest.fixture(scope="module")
def work_exports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The examples with their start and end events made work steps, exported: the
    export adds the events BPMN wants where a case begins and ends."""
    folder = tmp_path_factory.mktemp("work")
    files = []
    for path in EXAMPLES:
        process = as_work(procmap.load(path))
        for mode in ("pool", "lane"):
            out = folder / f"{path.stem}-{mode}.bpmn"
            out.write_bytes(export_bpmn(process, customer_as=mode))
            files.append(out)
    return files


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, str]]:
    """Every corpus file that imports, imported and then exported; and the files that failed.

    A file that fails is named by test_every_corpus_file_reexports; the others are
    still checked by bpmn-js and bpmnlint.
    """
    if not CORPUS_FILES:
        pytest.skip(f"the BPMN corpus is missing at {CORPUS / 'bpmn'}")
    folder = tmp_path_factory.mktemp("corpus")
    files, failed = [], {}
    for path in CORPUS_FILES:
        out = folder / f"{path.parent.name}-{path.name}"
        try:
            out.write_bytes(export_bpmn(read_bpmn(path).process))
        except Exception as exc:  # noqa: BLE001 - reported per file below
            failed[out.name] = f"{type(exc).__name__}: {exc}"
            continue
        files.append(out)
    return files, failed


@pytest.fixture(scope="module")
def corpus_exports(corpus_run: tuple[list[Path], dict[str, str]]) -> list[Path]:
    return corpus_run[0]


def test_every_corpus_file_reexports(corpus_run: tuple[list[Path], dict[str, str]]) -> None:
    assert corpus_run[1] == {}


def test_bpmn_js_opens_every_export_without_warnings(exports: list[Path], tmp_path) -> None:
    shown = show(exports, tmp_path)
    assert set(shown) == {p.name for p in exports}
    for file, result in shown.items():
        assert result["warnings"] == [], file
        assert result["pageErrors"] == [], file
        xml = (exports[0].parent / file).read_text("utf-8")
        drawn = xml.count("<bpmndi:BPMNShape") + xml.count("<bpmndi:BPMNEdge")
        # every shape and edge is drawn (bpmn-js adds a root and labels of its own)
        assert result["shapes"] >= drawn, file
        assert Path(result["png"]).stat().st_size > 10_000, file


def test_bpmn_js_opens_every_corpus_reexport_without_warnings(
    corpus_exports: list[Path], tmp_path: Path
) -> None:
    shown = show(corpus_exports)  # what bpmn-js says, no screenshots
    assert len(shown) == len(corpus_exports) > 0, CORPUS
    assert {f: r["warnings"] + r["pageErrors"] for f, r in shown.items()
            if r["warnings"] or r["pageErrors"]} == {}


def test_bpmnlint_recommended_finds_nothing_in_the_examples(exports: list[Path]) -> None:
    linted = node("lint.js", *map(str, exports))
    for file, result in linted.items():
        assert result["warnings"] == [], file
        assert result["reports"] == [], file


def test_bpmnlint_finds_nothing_in_the_examples_without_events(work_exports: list[Path]) -> None:
    linted = node("lint.js", *map(str, work_exports))
    assert set(linted) == {p.name for p in work_exports}
    assert {f: r["reports"] + r["warnings"] for f, r in linted.items()
            if r["reports"] or r["warnings"]} == {}


def test_bpmnlint_on_corpus_reexports_finds_only_the_explained_rules(
    corpus_exports: list[Path],
) -> None:
    linted = node("lint.js", *map(str, corpus_exports))
    assert len(linted) == len(corpus_exports) > 0, CORPUS
    folder = corpus_exports[0].parent
    found = {r["rule"] for file, result in linted.items() for r in result["reports"]
             if not (r["rule"] in EMPTY_PROCESS and r["id"] in empty_processes(folder / file))}
    assert found <= CORPUS_ALLOWED, found - CORPUS_ALLOWED
    clean = sum(not result["reports"] for result in linted.values())
    assert clean >= len(corpus_exports) // 2
