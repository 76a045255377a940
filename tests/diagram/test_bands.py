"""Long maps wrapped into bands, and compact lanes."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.diagram.bands import _column_widths, cut_points, wrapped
from procmap.diagram.svg import RenderOptions, render_svg
from procmap.layout import STREET_PAD, TASK_MIN_HEIGHT, columns, layout
from tests.conftest import EXAMPLES, ROOT
from tests.diagram.geometry import far_branch_labels, problems, scene_from_layout, shared_runs
from tests.diagram.maps import diagram_inputs, load_input, map_text

runner = CliRunner()


@pytest.fixture(scope="module")
def generated() -> procmap.Process:
    return procmap.loads(map_text(200))


def _cut_flows(process: procmap.Process, lay) -> list[tuple[str, str]]:
    """The map's flows whose two steps lie in different bands."""
    band = {sid: k for k, b in enumerate(lay.bands) for sid in b.nodes if sid in process.steps}
    return [(f.source, f.target) for f in process.flows if band[f.source] != band[f.target]]


@pytest.mark.parametrize("width", [2500.0, 6000.0])
def test_a_wrapped_map_is_bands_no_wider_than_asked_each_clean(generated, width: float) -> None:
    lay = wrapped(generated, width)
    whole = layout(generated)
    assert whole.width > width and len(lay.bands) >= whole.width // width
    assert lay.width <= width
    order = [lane.actor for lane in lay.bands[0].lanes]
    for k, band in enumerate(lay.bands):
        # every band repeats every lane, in one order, and is as clean as one diagram
        assert [lane.actor for lane in band.lanes] == order
        assert all(lane.band == k for lane in band.lanes)
        scene = scene_from_layout(band)
        assert problems(scene) == []
        assert shared_runs(scene) == []
        assert far_branch_labels(scene, {(e.source, e.target): e.label_box for e in band.edges
                                         if e.label_box}) == []
        if k:  # below the band before, with a gap
            assert band.lanes[0].box.y > lay.bands[k - 1].lanes[-1].box.bottom
    # every step and connector once, every step in its actor's lane of its band, the
    # steps in their columns' order
    assert sum(len(band.nodes) for band in lay.bands) == len(lay.nodes)
    steps = [sid for band in lay.bands for sid in band.nodes if sid in generated.steps]
    assert sorted(steps) == sorted(generated.steps)
    column, _ = columns(generated)
    last = -1
    for band in lay.bands:
        lanes = {lane.actor: lane.box for lane in band.lanes}
        cols = [column[sid] for sid in band.nodes if sid in generated.steps]
        assert min(cols) == last + 1
        last = max(cols)
        for sid, node in band.nodes.items():
            if sid in generated.steps:
                assert node.lane == generated.steps[sid].actor
                assert lanes[node.lane].contains(node.box)


def test_a_flow_across_a_cut_goes_to_a_numbered_connector_and_on_from_one(generated) -> None:
    lay = wrapped(generated, 3000)
    cut = _cut_flows(generated, lay)
    assert cut, "a 200-step map in 3000 px bands has flows across the cuts"
    band_of = {sid: k for k, b in enumerate(lay.bands) for sid in b.nodes}
    drawn = {(e.source, e.target) for e in lay.edges}
    leaving = {(link.step, band_of[lid]): lid for lid, link in lay.links.items() if link.outgoing}
    arriving = {(link.step, band_of[lid]): lid for lid, link in lay.links.items() if not link.outgoing}
    for s, t in cut:
        assert (s, t) not in drawn
        # in the source's band the flow ends at a connector numbered with the target's band,
        # standing in the target's lane, right of the source: a hand-off stays a hand-off
        o = leaving[t, band_of[s]]
        assert lay.links[o].band == band_of[t] + 1
        assert lay.nodes[o].lane == generated.steps[t].actor
        assert lay.nodes[o].column > lay.nodes[s].column
        assert (s, o) in drawn
        # in the target's band it comes from a connector numbered with the source's band,
        # in the source's lane, left of the target
        i = arriving[s, band_of[t]]
        assert lay.links[i].band == band_of[s] + 1
        assert lay.nodes[i].lane == generated.steps[s].actor
        assert lay.nodes[i].column < lay.nodes[t].column
        assert (i, t) in drawn
    # one connector per step on the other side and band, however many flows it joins
    assert len(leaving) == len({(t, band_of[s]) for s, t in cut})
    assert len(arriving) == len({(s, band_of[t]) for s, t in cut})
    assert len(lay.links) == len(leaving) + len(arriving)
    svg = render_svg(generated, RenderOptions(wrap=3000))
    assert svg.count('class="node link out"') == len(leaving)
    assert svg.count('class="node link in"') == len(arriving)
    assert f"Part {len(lay.bands)} of {len(lay.bands)}" in svg
    assert 'class="node link' not in render_svg(generated)


def _brute_force(process, column, back, widths, limit) -> tuple[int, int]:
    """Fewest bands, then fewest flows across the cuts, by trying every set of cuts."""
    n = len(widths)
    across = [sum(1 for f in process.flows
                  if min(column[f.source], column[f.target]) < k <= max(column[f.source], column[f.target]))
              for k in range(n)]
    for bands in range(1, n + 1):
        best = None
        for cuts in itertools.combinations(range(1, n), bands - 1):
            edges = [0, *cuts, n]
            if all(widths[a:b].sum() <= limit or b - a == 1 for a, b in itertools.pairwise(edges)):
                crossing = sum(across[c] for c in cuts)
                best = crossing if best is None else min(best, crossing)
        if best is not None:
            return bands, best
    raise AssertionError


@pytest.mark.parametrize("name", ["generated-20", "examples/customer-onboarding.yaml",
                                  "examples/lead-to-cash.yaml"])
def test_the_cuts_go_where_fewest_flows_cross(name: str) -> None:
    process = load_input(name)
    column, back = columns(process)
    ncols = max(column.values()) + 1
    widths = _column_widths(process, column, ncols)
    for limit in (widths.sum() / 2.5, widths.sum() / 4):
        cuts = cut_points(process, column, back, widths, limit)
        across = sum(1 for f in process.flows for c in cuts
                     if min(column[f.source], column[f.target]) < c <= max(column[f.source], column[f.target]))
        assert (len(cuts) + 1, across) == _brute_force(process, column, back, widths, limit)


def test_the_width_estimate_bounds_the_drawn_columns(generated) -> None:
    """Bands are chosen by an estimate of each column's width; it never falls short."""
    lay = layout(generated)
    column, _ = columns(generated)
    est = _column_widths(generated, column, lay.columns)
    left = np.zeros(lay.columns)
    for node in lay.nodes.values():
        left[node.column] = node.box.cx - 70
    drawn = np.diff(np.append(left, lay.width))
    assert (drawn[:-1] <= est[:-1] + 1e-6).all()


def test_a_map_that_fits_is_drawn_as_it_always_is() -> None:
    process = procmap.load(EXAMPLES / "customer-onboarding.yaml")
    assert wrapped(process, 8000) == layout(process)
    assert procmap.render(process) == render_svg(process, RenderOptions(findings=[]))


def test_wrapped_drawing_is_the_same_under_any_hash_seed(tmp_path: Path) -> None:
    script = ("import sys; sys.path.insert(0, 'benchmarks'); import procmap; from generate import map_text; "
              "sys.stdout.write(procmap.render(procmap.loads(map_text(120)), wrap=2500))")
    texts = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        texts.append(subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                                    capture_output=True, text=True).stdout)
    assert texts[0] == texts[1] and "Part 2 of" in texts[0]


def test_render_wrap_option(tmp_path: Path) -> None:
    source = tmp_path / "long.yaml"
    source.write_text(map_text(120), encoding="utf-8")
    target = tmp_path / "long.svg"
    result = runner.invoke(app, ["render", str(source), "-o", str(target), "--wrap", "3000"])
    assert result.exit_code == 0, result.output
    text = target.read_text("utf-8")
    assert "Part 2 of" in text and 'class="node link out"' in text
    assert float(text.split('width="', 1)[1].split('"', 1)[0]) <= 3000
    result = runner.invoke(app, ["render", str(source), "-o", str(target), "--wrap", "0", "--force"])
    assert result.exit_code == 0 and "Part 2 of" not in target.read_text("utf-8")
    result = runner.invoke(app, ["render", str(source), "--wrap", "-5"])
    assert result.exit_code == 2 and "--wrap" in result.output


# compact lanes ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", diagram_inputs())
def test_no_empty_column_and_no_empty_row(name: str) -> None:
    process = load_input(name)
    lay = layout(process)
    assert {n.column for n in lay.nodes.values()} == set(range(lay.columns))
    for lane in lay.lanes:
        rows = {n.row for n in lay.nodes.values() if n.lane == lane.actor}
        assert rows == set(range(len(rows)))


def test_a_lane_of_one_row_of_tasks_is_as_tall_as_a_task_and_two_gaps() -> None:
    process = procmap.loads("""\
procmap: 1
process: short
actors:
  customer: {kind: customer, name: Customer}
  desk: {kind: team, name: Desk}
steps:
  ask: {actor: customer, name: Ask, then: [answer]}
  answer: {actor: desk, name: Answer, then: [thank]}
  thank: {actor: customer, name: Thank}
""")
    lay = layout(process)
    assert [lane.box.h for lane in lay.lanes] == [TASK_MIN_HEIGHT + 2 * STREET_PAD] * 2


# in Chromium, with the fonts it finds ------------------------------------------------------

MEASURE_WRAPPED = """
() => {
  const box = (el) => { const b = el.getBBox(); return [b.x, b.y, b.width, b.height]; };
  const nodes = [...document.querySelectorAll('g.nodes > g.node')].map((g) => {
    const shape = box(g.querySelector('.shape'));
    const text = g.querySelector('text.label');
    return {id: g.id.slice(5), kind: g.getAttribute('class').split(' ')[1], shape,
            label: text ? box(text) : [shape[0] + shape[2] / 2, shape[1], 0, 0]};
  });
  const lanes = [...document.querySelectorAll('g.lane')].map((g) => ({
    id: g.id, box: box(g.querySelector('rect.band'))}));
  const edges = [...document.querySelectorAll('g[data-source]')].map((g) => ({
    source: g.dataset.source, target: g.dataset.target,
    d: g.querySelector('path').getAttribute('d'),
    label: g.querySelector('text') ? box(g.querySelector('text')) : null}));
  const badges = [...document.querySelectorAll('g.badges g.badge')].map((g) => ({
    element: g.dataset.element, box: box(g)}));
  const titles = [...document.querySelectorAll('text.band-title')].map((t) => t.textContent);
  return {nodes, lanes, edges, badges, titles};
}
"""


@pytest.mark.slow
@pytest.mark.parametrize("name, width", [("examples/customer-onboarding.yaml", 1400.0),
                                         ("generated-100", 3000.0)])
def test_a_wrapped_diagram_is_clean_in_chromium(name: str, width: float, tmp_path: Path) -> None:
    from procmap.layout import Box
    from tests.diagram.browser import chromium
    from tests.diagram.geometry import Scene, loose_badges

    process = load_input(name)
    findings = procmap.check(process)
    lay = wrapped(process, width)
    assert len(lay.bands) >= 2
    path = tmp_path / "map.svg"
    path.write_text(render_svg(process, RenderOptions(findings=findings, wrap=width)), "utf-8")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(path.as_uri())
        data = page.evaluate(MEASURE_WRAPPED)
    assert data["titles"] == [f"Part {k + 1} of {len(lay.bands)}" for k in range(len(lay.bands))]
    shapes = {n["id"]: Box(*n["shape"]) for n in data["nodes"]}
    assert set(shapes) == set(lay.nodes)
    lanes = {lane["id"]: Box(*lane["box"]) for lane in data["lanes"]}
    edges = {(e["source"], e["target"]): e for e in data["edges"]}
    for k, band in enumerate(lay.bands):
        suffix = f"-{k + 1}" if k else ""
        mine = set(band.nodes)
        scene = Scene(
            shapes={sid: shapes[sid] for sid in mine},
            kinds={n["id"]: n["kind"] for n in data["nodes"] if n["id"] in mine},
            labels={n["id"]: Box(*n["label"]) for n in data["nodes"] if n["id"] in mine},
            lane_of={sid: node.lane for sid, node in band.nodes.items()},
            lanes={lane.actor: lanes[f"lane-{lane.actor}{suffix}"] for lane in band.lanes},
            edges=[(s, t, [tuple(float(v) for v in p.split(","))
                           for p in edges[s, t]["d"].replace("M", "").split(" L")])
                   for s, t in ((e.source, e.target) for e in band.edges)],
        )
        assert problems(scene) == []
        assert shared_runs(scene) == []
        labels = {(e.source, e.target): Box(*edges[e.source, e.target]["label"])
                  for e in band.edges if edges[e.source, e.target]["label"]}
        assert far_branch_labels(scene, labels) == []
        badges = [(b["element"], Box(*b["box"])) for b in data["badges"] if b["element"] in mine]
        assert loose_badges(scene.shapes, badges) == []


@pytest.mark.parametrize("name", [n for n in diagram_inputs() if n != "generated-500"])
def test_every_band_is_no_wider_than_asked(name: str) -> None:
    process = load_input(name)
    for width in (1500.0, 1800.0, 2600.0):
        lay = wrapped(process, width)
        assert lay.width <= width or len(lay.bands) == lay.columns, (width, lay.width)
        assert sum(len(band.nodes) for band in lay.bands) == len(lay.nodes) or not lay.bands


def test_the_reference_bpmn_files_wrap_clean() -> None:
    """The BPMN reference files (OMG's conformance examples, with events, parallel work,
    loops and sub-processes) imported and wrapped narrow: every band as clean as one
    diagram, every step once."""
    from tests.conftest import corpus_file

    folder = corpus_file("bpmn", "reference")
    wrapped_some = 0
    for path in sorted(folder.glob("*.bpmn")):
        read = procmap.read_bpmn(path)
        for process in [read.process, *read.children]:
            lay = wrapped(process, 1200)
            bands = lay.bands or (lay,)
            wrapped_some += len(bands) > 1
            for band in bands:
                assert problems(scene_from_layout(band)) == [], path.name
            assert sorted(s for s in lay.nodes if s not in lay.links) == sorted(process.steps)
    assert wrapped_some >= 5
