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
from tests.io.test_bpmn_export import CORPUS_FILES, EXAMPLES
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


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("bpmn")
    files = []
    for path in EXAMPLES:
        for mode in ("pool", "lane"):
            out = folder / f"{path.stem}-{mode}.bpmn"
            out.write_bytes(export_bpmn(procmap.load(path), customer_as=mode))
            files.append(out)
    return files


@pytest.fixture(scope="module")
def corpus_exports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every corpus file imported, then exported."""
    if not CORPUS_FILES:
        pytest.skip(f"the BPMN corpus is missing at {CORPUS / 'bpmn'}")
    folder = tmp_path_factory.mktemp("corpus")
    files = []
    for path in CORPUS_FILES:
        out = folder / f"{path.parent.name}-{path.name}"
        out.write_bytes(export_bpmn(read_bpmn(path).process))
        files.append(out)
    return files


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
    shown = show(corpus_exports, tmp_path)
    assert len(shown) == len(CORPUS_FILES) > 0, CORPUS
    assert {f: r["warnings"] + r["pageErrors"] for f, r in shown.items()
            if r["warnings"] or r["pageErrors"]} == {}


def test_bpmnlint_recommended_finds_nothing_in_the_examples(exports: list[Path]) -> None:
    linted = node("lint.js", *map(str, exports))
    for file, result in linted.items():
        assert result["warnings"] == [], file
        assert result["reports"] == [], file


def test_bpmnlint_on_corpus_reexports_finds_only_the_explained_rules(
    corpus_exports: list[Path],
) -> None:
    linted = node("lint.js", *map(str, corpus_exports))
    assert len(linted) == len(CORPUS_FILES) > 0, CORPUS
    found = {r["rule"] for result in linted.values() for r in result["reports"]}
    assert found <= CORPUS_ALLOWED, found - CORPUS_ALLOWED
    clean = sum(not result["reports"] for result in linted.values())
    assert clean >= len(corpus_exports) // 2
