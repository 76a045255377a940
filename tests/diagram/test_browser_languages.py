"""Diagrams in German, Japanese and Arabic as Chromium draws them.

Chromium sets the SVG's text with the fonts it finds itself. These tests hold the
layout to what it draws: every label line is as wide in Chromium as procmap
measured it (so it stays in its shape), every character is drawn in a font of
procmap's chain (none falls to a font that lacks it), and a label is cut with an
ellipsis only when it has used all the lines it may have.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import procmap
from procmap.diagram.svg import OVERLAYS, RenderOptions, render_svg
from procmap.layout import (
    FONT_SIZE,
    GLYPH,
    LANE_FONT_SIZE,
    LANE_LABEL_WIDTH,
    MAX_GLYPH_LINES,
    MAX_TASK_LINES,
    layout,
)
from procmap.typeset import FONT_FAMILIES, text_width
from procmap.typeset.fonts import chain
from tests.conftest import ROOT
from tests.diagram.browser import chromium, measured_scene
from tests.diagram.geometry import problems
from tests.diagram.maps import LANGUAGE_MAPS, load_input

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif({"DejaVu Sans", "Noto Sans CJK JP"} - {f.family for f in chain(False)} != set(),
                       reason="DejaVu Sans and Noto Sans CJK are not installed (make test installs them)"),
]
MAPS = [*sorted(LANGUAGE_MAPS), "docs/examples/kreditantrag.yaml"]

LINES = """
() => {
  const line = (t) => ({text: t.textContent, width: t.getComputedTextLength()});
  const nodes = [...document.querySelectorAll('g[data-step]')].map((g) => ({
    id: g.dataset.step, lines: [...g.querySelectorAll('text.label tspan')].map(line)}));
  const lanes = [...document.querySelectorAll('g[data-actor]')].map((g) => {
    const t = g.querySelector('text'); const b = t.getBBox(); const h = g.querySelector('rect.head').getBBox();
    return {id: g.dataset.actor, lines: [...t.querySelectorAll('tspan')].map(line),
            text: [b.x, b.y, b.width, b.height], head: [h.x, h.y, h.width, h.height]};
  });
  return {nodes, lanes};
}
"""


def _load(name: str) -> procmap.Process:
    return load_input(name) if name in LANGUAGE_MAPS else procmap.load(ROOT / name)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture
def drawn(browser: object, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple]:
    process = _load(request.param)
    svg = render_svg(process, RenderOptions(overlays=frozenset(OVERLAYS),
                                            findings=procmap.check(process)))
    path = tmp_path / "map.svg"
    path.write_text(svg, "utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page.goto(path.as_uri())
    yield process, page
    page.close()


@pytest.mark.parametrize("drawn", MAPS, indirect=True)
def test_no_label_leaves_its_shape_and_every_line_is_as_wide_as_measured(drawn: tuple) -> None:
    process, page = drawn
    assert problems(measured_scene(page, {sid: s.actor for sid, s in process.steps.items()})) == []
    lay = layout(process)
    seen = page.evaluate(LINES)
    for node in seen["nodes"]:
        box = lay.nodes[node["id"]]
        assert [line["text"] for line in node["lines"]] == list(box.label_lines)
        for line in node["lines"]:
            measured = text_width(line["text"], FONT_SIZE)
            assert line["width"] <= box.label.w + 0.5, (node["id"], line)
            assert line["width"] == pytest.approx(measured, abs=1.0, rel=0.02), (node["id"], line)
    for lane in seen["lanes"]:
        x, y, w, h = lane["text"]
        hx, hy, hw, hh = lane["head"]
        assert hx <= x and x + w <= hx + hw and hy <= y and y + h <= hy + hh, lane["id"]
        for line in lane["lines"]:
            assert line["width"] <= LANE_LABEL_WIDTH - 20 + 0.5, (lane["id"], line)
            measured = text_width(line["text"], LANE_FONT_SIZE, bold=True)
            assert line["width"] == pytest.approx(measured, abs=1.0, rel=0.02), (lane["id"], line)


@pytest.mark.parametrize("drawn", MAPS, indirect=True)
def test_every_character_is_drawn_in_a_font_of_the_chain(drawn: tuple) -> None:
    _, page = drawn
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    texts = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "text"})["nodeIds"]
    used: dict[str, int] = {}
    for node in texts:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            used[font["familyName"]] = used.get(font["familyName"], 0) + font["glyphCount"]
    assert set(used) <= set(FONT_FAMILIES), used
    assert used.get("DejaVu Sans", 0) > 0


@pytest.mark.parametrize("drawn", MAPS, indirect=True)
def test_a_label_is_cut_only_when_its_lines_are_used_up(drawn: tuple) -> None:
    process, _ = drawn
    lay = layout(process)
    for sid, node in lay.nodes.items():
        lines = node.label_lines
        if lines and lines[-1].endswith("…"):
            allowed = MAX_GLYPH_LINES if node.kind in GLYPH else MAX_TASK_LINES
            assert len(lines) == allowed, (sid, lines)
        elif lines:
            name = " ".join((process.steps[sid].name or sid).split())
            assert "".join(lines).replace("-", "").replace(" ", "") == \
                name.replace("-", "").replace(" ", ""), (sid, lines)
