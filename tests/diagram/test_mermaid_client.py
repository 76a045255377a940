"""The Mermaid output as Mermaid itself reads it (the npm package, in headless Chromium)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from procmap.diagram.mermaid import render_mermaid
from tests.conftest import ROOT
from tests.diagram.browser import chromium
from tests.diagram.maps import diagram_inputs, load_input

pytestmark = pytest.mark.slow

MERMAID = ROOT / "tests" / "js" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"

DRAW = """
async (text) => {
  mermaid.initialize({startOnLoad: false, securityLevel: 'strict', flowchart: {htmlLabels: false}});
  await mermaid.parse(text);
  const {svg} = await mermaid.render('diagram', text);
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  return {
    nodes: doc.querySelectorAll('g.node').length,
    clusters: doc.querySelectorAll('g.cluster').length,
    edges: doc.querySelectorAll('path.flowchart-link').length,
  };
}
"""


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    assert MERMAID.exists(), "run 'make test': it installs the npm packages in tests/js"
    with chromium() as browser:
        p = browser.new_page()  # type: ignore[attr-defined]
        p.set_content("<!DOCTYPE html><html><body></body></html>")
        p.add_script_tag(path=str(MERMAID))
        yield p


@pytest.mark.parametrize("name", diagram_inputs())
def test_mermaid_reads_every_map(name: str, page: object) -> None:
    text = render_mermaid(load_input(name), frozenset({"mot", "bp", "rules"}))
    parse = "async (text) => { mermaid.initialize({maxEdges: 100000}); return !!(await mermaid.parse(text)); }"
    assert page.evaluate(parse, text)  # type: ignore[attr-defined]


# Mermaid's own layout (dagre) fails on larger maps with many lanes: "Cannot set
# properties of undefined (setting 'order')" on the generated 100-step map (its
# issues #4644, #3888), and it draws at most 500 edges; the examples it draws whole.
DRAWN = [n for n in diagram_inputs() if not n.startswith("generated-") or n == "generated-20"]


@pytest.mark.parametrize("name", DRAWN)
def test_mermaid_draws_every_step_lane_and_flow(name: str, page: object) -> None:
    process = load_input(name)
    drawn = page.evaluate(DRAW, render_mermaid(process, frozenset({"mot", "bp", "rules"})))  # type: ignore[attr-defined]
    assert drawn["nodes"] == len(process.steps)
    assert drawn["clusters"] == len({s.actor for s in process.steps.values()})
    assert drawn["edges"] == len(process.flows)
