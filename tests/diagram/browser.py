"""Headless Debian Chromium driven by Playwright, and what the tests measure in it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from procmap.layout import Box
from tests.diagram.geometry import Scene

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[object]:
    """A Chromium browser (the system's, never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


MEASURE = """
(root) => {
  const box = (el) => { const b = el.getBBox(); return [b.x, b.y, b.width, b.height]; };
  const scope = root ? document.querySelector(root) : document;
  const nodes = [...scope.querySelectorAll('g[data-step]')].map((g) => {
    const shape = box(g.querySelector('.shape'));
    const text = g.querySelector('text.label');  // none on an unnamed parallel step
    return {
      id: g.dataset.step, kind: g.getAttribute('class').split(' ')[1], shape,
      label: text ? box(text) : [shape[0] + shape[2] / 2, shape[1], 0, 0],
    };
  });
  const lanes = [...scope.querySelectorAll('g[data-actor]')].map((g) => ({
    id: g.dataset.actor, box: box(g.querySelector('rect.band')),
  }));
  const edges = [...scope.querySelectorAll('g[data-source]')].map((g) => ({
    source: g.dataset.source, target: g.dataset.target,
    d: g.querySelector('path').getAttribute('d'),
  }));
  return {nodes, lanes, edges};
}
"""


def measured_scene(page: object, lane_of: dict[str, str], root: str | None = None) -> Scene:
    """The geometry Chromium rendered: real text extents from the fonts it found."""
    data = page.evaluate(MEASURE, root)  # type: ignore[attr-defined]
    edges = []
    for e in data["edges"]:
        points = [tuple(float(v) for v in pair.split(","))
                  for pair in e["d"].replace("M", "").split(" L")]
        edges.append((e["source"], e["target"], points))
    return Scene(
        shapes={n["id"]: Box(*n["shape"]) for n in data["nodes"]},
        kinds={n["id"]: n["kind"] for n in data["nodes"]},
        labels={n["id"]: Box(*n["label"]) for n in data["nodes"]},
        lane_of=lane_of,
        lanes={lane["id"]: Box(*lane["box"]) for lane in data["lanes"]},
        edges=edges,
    )
