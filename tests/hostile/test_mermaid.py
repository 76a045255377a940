"""Hostile names in the Mermaid output, read by Mermaid's own parser (npm package, in Chromium)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import procmap
from procmap.diagram.mermaid import RESERVED, render_mermaid
from tests.diagram.test_mermaid_client import DRAW, MERMAID

pytestmark = pytest.mark.slow

HOSTILE = """\
procmap: 1
process: hostile
actors:
  ops: {kind: team, name: 'Ops "A" (night) #1 <b>'}
steps:
  click: {actor: ops, kind: start, name: 'Start (web) "now"', then: [call]}
  call:
    actor: ops
    kind: decision
    name: 'Approve? (> 10k) #35; `x` <script>alert(1)</script>'
    branches:
      'yes (late)': end
      'no [x] {y} |z|': style
  style: {actor: ops, name: 'a --> b; end', then: [end]}
  end: {actor: ops, kind: end, name: 'subgraph end'}
"""


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    from tests.diagram.browser import chromium

    assert MERMAID.exists(), "run 'make test': it installs the npm packages in tests/js"
    with chromium() as browser:
        p = browser.new_page()  # type: ignore[attr-defined]
        p.set_content("<!DOCTYPE html><html><body></body></html>")
        p.add_script_tag(path=str(MERMAID))
        yield p


def test_hostile_labels_and_reserved_ids_are_drawn_whole(page: object) -> None:
    process = procmap.loads(HOSTILE)
    text = render_mermaid(process, frozenset({"mot", "bp", "rules"}))
    ids = [line.split("[")[0].split("{")[0].split("(")[0].strip()
           for line in text.splitlines()[2:] if line.startswith("    ") and "direction" not in line]
    assert not {i.lower() for i in ids} & RESERVED
    assert "<script>" not in text and '|"yes (late)"|' in text
    drawn = page.evaluate(DRAW, text)  # type: ignore[attr-defined]
    assert drawn == {"nodes": len(process.steps), "clusters": 1, "edges": len(process.flows)}
