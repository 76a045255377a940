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
from tests.io.test_bpmn_export import CORPUS_FILES, EXAMPLES, FORK, as_work, name
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


def corpus_name(path: Path) -> str:
    return f"{path.parent.name}-{path.name}"


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """Every corpus file that imports, imported and exported: the export's path, or why
    it could not be made. Each file's tests below look up their own file only."""
    if not CORPUS_FILES:
        pytest.skip(f"the BPMN corpus is missing at {CORPUS / 'bpmn'}")
    folder = tmp_path_factory.mktemp("corpus")
    made: dict[str, Path | str] = {}
    for path in CORPUS_FILES:
        out = folder / corpus_name(path)
        try:
            out.write_bytes(export_bpmn(read_bpmn(path).process))
        except Exception as exc:  # noqa: BLE001 - the file's own tests fail with it
            made[out.name] = f"{type(exc).__name__}: {exc}"
            continue
        made[out.name] = out
    return made


def each_on_its_own(tool, files: list[Path]) -> dict[str, dict]:
    """``tool(files)``'s answer per file: one run for all (quick), and when that run
    fails as a whole, one run per file, so one file cannot take the others' answers."""
    try:
        return tool(files)
    except (RuntimeError, ValueError):
        answers = {}
        for file in files:
            try:
                answers.update(tool([file]))
            except (RuntimeError, ValueError) as exc:
                answers[file.name] = {"error": str(exc)}
        return answers


@pytest.fixture(scope="module")
def corpus_shown(corpus_run: dict[str, Path | str]) -> dict[str, dict]:
    """What bpmn-js says of each corpus re-export (no screenshots)."""
    return each_on_its_own(show, [p for p in corpus_run.values() if isinstance(p, Path)])


@pytest.fixture(scope="module")
def corpus_linted(corpus_run: dict[str, Path | str]) -> dict[str, dict]:
    """What bpmnlint (recommended) says of each corpus re-export."""
    return each_on_its_own(lambda files: node("lint.js", *map(str, files)),
                           [p for p in corpus_run.values() if isinstance(p, Path)])


def corpus_export(corpus_run: dict[str, Path | str], path: Path) -> Path:
    made = corpus_run[corpus_name(path)]
    if not isinstance(made, Path):
        pytest.fail(f"{path}: could not be imported and exported: {made}")
    return made


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


@pytest.mark.parametrize("path", CORPUS_FILES, ids=name)
def test_bpmn_js_opens_the_corpus_reexport_without_warnings(
    path: Path, corpus_run: dict[str, Path | str], corpus_shown: dict[str, dict]
) -> None:
    export = corpus_export(corpus_run, path)
    result = corpus_shown[export.name]
    assert "error" not in result, result["error"]
    assert result["warnings"] + result["pageErrors"] == []
    assert result["shapes"] > 0


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


@pytest.mark.parametrize("path", CORPUS_FILES, ids=name)
def test_bpmnlint_on_the_corpus_reexport_finds_only_the_explained_rules(
    path: Path, corpus_run: dict[str, Path | str], corpus_linted: dict[str, dict]
) -> None:
    export = corpus_export(corpus_run, path)
    result = corpus_linted[export.name]
    assert "error" not in result, result["error"]
    assert result["warnings"] == []
    found = {r["rule"] for r in result["reports"]
             if not (r["rule"] in EMPTY_PROCESS and r["id"] in empty_processes(export))}
    assert found <= CORPUS_ALLOWED, found - CORPUS_ALLOWED


def test_bpmnlint_finds_nothing_in_most_corpus_reexports(
    corpus_run: dict[str, Path | str], corpus_linted: dict[str, dict]
) -> None:
    linted = [corpus_linted[p.name] for p in corpus_run.values() if isinstance(p, Path)]
    clean = sum(not result.get("reports", True) for result in linted)
    assert clean >= len(CORPUS_FILES) // 2


def test_a_file_bpmnlint_cannot_read_is_answered_alone(exports: list[Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.bpmn"
    broken.write_text("<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'>"
                      "<bpmn:process id='p'><bpmn:task id=", encoding="utf-8")
    linted = node("lint.js", str(broken), str(exports[0]))
    assert "error" in linted["broken.bpmn"]
    assert linted[exports[0].name]["reports"] == []
    answers = each_on_its_own(lambda files: node("lint.js", *map(str, files)), [broken, exports[0]])
    assert set(answers) == {"broken.bpmn", exports[0].name}
