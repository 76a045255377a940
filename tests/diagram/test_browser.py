"""The diagrams and the report as a user sees them: in headless Chromium.

Chromium lays out the real text with the fonts it finds, so these tests check
what the layout could only estimate: no label leaves its shape or lane, no two
shapes overlap, every edge ends on its shapes; and that the report works when
clicked, with nothing fetched from the network.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import procmap
from procmap.diagram.svg import OVERLAYS, RenderOptions, render_svg
from procmap.layout import Box
from tests.conftest import EXAMPLES
from tests.diagram.browser import chromium, measured_scene
from tests.diagram.geometry import far_branch_labels, loose_badges, problems, shared_runs
from tests.diagram.maps import diagram_inputs, load_input

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    p = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    requests: list[str] = []
    p.on("request", lambda r: requests.append(r.url))
    p.requests = requests
    yield p
    p.close()


@pytest.mark.parametrize("name", diagram_inputs())
def test_rendered_svg_has_no_overlap_and_no_stray_text(name: str, page: object,
                                                        tmp_path: Path) -> None:
    process = load_input(name)
    findings = procmap.check(process)
    svg = render_svg(process, RenderOptions(overlays=frozenset(OVERLAYS), findings=findings))
    path = tmp_path / "map.svg"
    path.write_text(svg, "utf-8")
    page.goto(path.as_uri())  # type: ignore[attr-defined]
    scene = measured_scene(page, {sid: s.actor for sid, s in process.steps.items()})
    assert set(scene.shapes) == set(process.steps)
    assert problems(scene) == []
    shot = page.screenshot()  # type: ignore[attr-defined]
    assert shot[:4] == b"\x89PNG"


@pytest.fixture(scope="module")
def onboarding_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from procmap.cli.main import app

    target = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(app, ["report", str(EXAMPLES / "customer-onboarding.yaml"),
                                      "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_clicking_a_finding_highlights_its_element(onboarding_report: Path, page: object) -> None:
    page.goto(onboarding_report.as_uri())  # type: ignore[attr-defined]
    process = procmap.load(EXAMPLES / "customer-onboarding.yaml")
    findings = procmap.check(process)
    number, finding = next((i, f) for i, f in enumerate(findings, 1) if f.elements[0] in process.steps)
    pid = process.process
    assert page.locator(".highlight").count() == 0  # type: ignore[attr-defined]
    page.locator(f'[id="{pid}:finding-{number}"]').click()  # type: ignore[attr-defined]
    step = page.locator(f'[id="{pid}:step-{finding.elements[0]}"]')  # type: ignore[attr-defined]
    assert "highlight" in step.get_attribute("class")
    assert step.is_visible()
    box = step.bounding_box()
    viewport = page.viewport_size  # type: ignore[attr-defined]
    assert 0 <= box["y"] <= viewport["height"] and box["x"] <= viewport["width"]
    stroke = step.locator(".shape").evaluate("el => getComputedStyle(el).strokeWidth")
    assert stroke == "5px"
    # the badge in the diagram leads back to its finding
    page.locator(f'[id="{pid}:finding-{number}"]').evaluate("el => el.classList.remove('active')")
    badge = page.locator(f'g.badge.finding[data-finding="{number}"]').first  # type: ignore[attr-defined]
    badge.click()
    assert "active" in page.locator(f'[id="{pid}:finding-{number}"]').get_attribute("class")


def test_overlays_switch_off_and_heat_on(onboarding_report: Path, page: object) -> None:
    page.goto(onboarding_report.as_uri())  # type: ignore[attr-defined]
    mot = page.locator("g.badge.mot").first  # type: ignore[attr-defined]
    assert mot.is_visible()
    page.locator('input[data-overlay="mot"]').uncheck()  # type: ignore[attr-defined]
    assert not mot.is_visible()
    # a task that waits or works long enough to be coloured
    shape = page.locator('g.node.task .shape:not([data-heat="#ffffff"])').first  # type: ignore[attr-defined]
    before = shape.evaluate("el => getComputedStyle(el).fill")
    page.locator('input[data-overlay="heat"]').check()  # type: ignore[attr-defined]
    after = shape.evaluate("el => getComputedStyle(el).fill")
    assert before == "rgb(255, 255, 255)"
    assert after not in (before, "") and after.startswith("rgb(")
    page.locator('input[data-overlay="heat"]').uncheck()  # type: ignore[attr-defined]
    assert shape.evaluate("el => getComputedStyle(el).fill") == before


def test_the_report_needs_no_network_and_every_diagram_is_clean(onboarding_report: Path,
                                                                 page: object) -> None:
    page.goto(onboarding_report.as_uri())  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert all(url.startswith(("file:", "data:")) for url in page.requests)  # type: ignore[attr-defined]
    process = procmap.load(EXAMPLES / "customer-onboarding.yaml")
    lane_of = {sid: s.actor for sid, s in process.steps.items()}
    scene = measured_scene(page, lane_of, root=f'section[data-process="{process.process}"] .diagram')
    assert problems(scene) == []
    assert page.screenshot(full_page=True)[:4] == b"\x89PNG"  # type: ignore[attr-defined]


MEASURE_MORE = """
() => {
  const box = (el) => { const b = el.getBBox(); return [b.x, b.y, b.width, b.height]; };
  const labels = [...document.querySelectorAll('g[data-source]')]
    .filter((g) => g.querySelector('text'))
    .map((g) => ({source: g.dataset.source, target: g.dataset.target, box: box(g.querySelector('text'))}));
  const badges = [...document.querySelectorAll('g.badges g.badge')].map((g) => ({
    element: g.dataset.element, box: box(g)}));
  const marks = [...document.querySelectorAll('g.edge.handoff')].map((g) => ({
    source: g.dataset.source, target: g.dataset.target,
    marks: [...g.querySelectorAll('.bp-mark')].map((m) => {
      const r = m.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2, r.width]; }),
  }));
  return {labels, badges, marks};
}
"""


@pytest.mark.parametrize("name", diagram_inputs())
def test_branch_labels_sit_at_their_decision_flows_do_not_share_runs_badges_touch(
        name: str, page: object, tmp_path: Path) -> None:
    process = load_input(name)
    findings = procmap.check(process)
    svg = render_svg(process, RenderOptions(overlays=frozenset(OVERLAYS), findings=findings))
    path = tmp_path / "map.svg"
    path.write_text(svg, "utf-8")
    page.goto(path.as_uri())  # type: ignore[attr-defined]
    scene = measured_scene(page, {sid: s.actor for sid, s in process.steps.items()})
    more = page.evaluate(MEASURE_MORE)  # type: ignore[attr-defined]
    labels = {(x["source"], x["target"]): Box(*x["box"]) for x in more["labels"]}
    decisions = {sid for sid, kind in scene.kinds.items() if kind == "decision"}
    assert {k for k in labels if k[0] in decisions} or not any(
        f.label for f in process.flows if f.source in decisions)
    assert far_branch_labels(scene, labels) == []
    assert shared_runs(scene) == []
    steps = [(b["element"], Box(*b["box"])) for b in more["badges"] if b["element"] in scene.shapes]
    assert loose_badges(scene.shapes, steps) == []
    # one Break Point mark per hand-off between lanes, each on a spot of its own
    spots = []
    for edge in more["marks"]:
        crosses = scene.lane_of[edge["source"]] != scene.lane_of[edge["target"]]
        assert len(edge["marks"]) == (1 if crosses else 0), edge
        spots += [(x, y) for x, y, w in edge["marks"] if w > 0]
    assert all(max(abs(a[0] - b[0]), abs(a[1] - b[1])) >= 11  # 10 px squares apart
               for i, a in enumerate(spots) for b in spots[i + 1:]), spots


def test_the_report_s_diagram_fits_the_width_on_load_and_zooms(onboarding_report: Path,
                                                               page: object) -> None:
    page.goto(onboarding_report.as_uri())  # type: ignore[attr-defined]
    box = page.locator("div.diagram").first  # type: ignore[attr-defined]
    size = lambda: box.evaluate(  # noqa: E731
        "el => [el.scrollWidth, el.clientWidth, el.getBoundingClientRect().right,"
        " el.querySelector('svg').getBoundingClientRect().width]")
    scroll_w, client_w, right, svg_w = size()
    viewport = page.viewport_size  # type: ignore[attr-defined]
    assert scroll_w <= client_w + 1 and right <= viewport["width"]  # no sideways scrolling
    assert svg_w == pytest.approx(client_w - 2, abs=2)  # as wide as the box: fitted, not tiny
    fitted = float(box.get_attribute("data-zoom"))
    assert 0.1 < fitted < 1
    page.locator('.zoom button[data-zoom="in"]').first.click()  # type: ignore[attr-defined]
    assert float(box.get_attribute("data-zoom")) == pytest.approx(fitted * 1.25, rel=1e-2)
    assert size()[0] > client_w + 10  # now wider than the box: it scrolls
    box.focus()
    page.keyboard.press("0")  # type: ignore[attr-defined]
    assert float(box.get_attribute("data-zoom")) == pytest.approx(fitted, rel=1e-2)
    page.keyboard.press("1")  # type: ignore[attr-defined]
    assert float(box.get_attribute("data-zoom")) == 1
    # Ctrl + wheel zooms out where the pointer is; dragging pans
    b = box.bounding_box()
    page.mouse.move(b["x"] + 200, b["y"] + 100)  # type: ignore[attr-defined]
    page.keyboard.down("Control")  # type: ignore[attr-defined]
    page.mouse.wheel(0, 300)  # type: ignore[attr-defined]
    page.keyboard.up("Control")  # type: ignore[attr-defined]
    assert float(box.get_attribute("data-zoom")) < 1
    page.keyboard.press("1")  # type: ignore[attr-defined]
    before = box.evaluate("el => el.scrollLeft")
    page.mouse.move(b["x"] + 600, b["y"] + 200)  # type: ignore[attr-defined]
    page.mouse.down()  # type: ignore[attr-defined]
    page.mouse.move(b["x"] + 300, b["y"] + 200, steps=5)  # type: ignore[attr-defined]
    page.mouse.up()  # type: ignore[attr-defined]
    assert box.evaluate("el => el.scrollLeft") == pytest.approx(before + 300, abs=3)


@pytest.fixture(scope="module")
def wide_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from procmap.cli.main import app

    target = tmp_path_factory.mktemp("wide") / "report.html"
    result = CliRunner().invoke(app, ["report", str(EXAMPLES / "lead-to-cash.yaml"),
                                      "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_a_wide_map_has_a_minimap_that_moves_the_view(wide_report: Path, page: object) -> None:
    page.goto(wide_report.as_uri())  # type: ignore[attr-defined]
    box = page.locator("div.diagram").first  # type: ignore[attr-defined]
    mini = page.locator(".minimap").first  # type: ignore[attr-defined]
    assert not mini.is_visible()  # fitted to the box on load: nothing to find
    box.focus()
    page.keyboard.press("1")  # type: ignore[attr-defined]
    assert mini.is_visible()
    view = mini.locator(".view")
    box.evaluate("el => { el.scrollLeft = 0; }")
    m = mini.bounding_box()
    assert view.bounding_box()["x"] == pytest.approx(m["x"] + 1, abs=2)  # at the left
    mini.click(position={"x": m["width"] * 0.8, "y": m["height"] / 2})
    assert box.evaluate("el => el.scrollLeft") > 1000
    m = mini.bounding_box()
    after = view.bounding_box()
    assert after["x"] - m["x"] > m["width"] / 2  # the frame follows the view
    # the copy in the minimap has ids of its own
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")  # type: ignore[attr-defined]
    assert len(ids) == len(set(ids))
    # and is not taken for the diagram itself
    assert page.locator("svg.procmap-diagram").count() == 1  # type: ignore[attr-defined]


def test_printed_the_diagram_runs_over_landscape_pages_that_join(wide_report: Path,
                                                                 page: object) -> None:
    page.goto(wide_report.as_uri())  # type: ignore[attr-defined]
    width = page.evaluate("() => document.querySelector('.diagram svg').viewBox.baseVal.width")  # type: ignore[attr-defined]
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # type: ignore[attr-defined]
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    slices = page.evaluate(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('.print-page svg[data-slice]')].map(s =>"
        " s.dataset.slice.split(' ').map(Number))")
    assert len(slices) >= 2
    assert slices[0][0] == 0 and slices[-1][0] + slices[-1][1] == pytest.approx(width)
    for (x0, w0), (x1, _) in zip(slices, slices[1:], strict=False):
        assert x1 < x0 + w0  # each page overlaps the next: they join
    # every page names the lanes at its left
    pages = page.locator(".print-page")  # type: ignore[attr-defined]
    for k in range(pages.count()):
        names = pages.nth(k).locator("g.lane text").first
        box, shown = names.bounding_box(), pages.nth(k).locator("svg").first.bounding_box()
        assert shown["x"] <= box["x"] < shown["x"] + 140
    assert pages.nth(1).locator("g.badge.mot").first.is_visible()  # the overlays as on screen
    assert page.locator(".print-page").first.is_visible()  # type: ignore[attr-defined]
    assert not page.locator(".diagram").first.is_visible()  # type: ignore[attr-defined]
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")  # type: ignore[attr-defined]
    assert len(ids) == len(set(ids))
    pdf = page.pdf(landscape=True, format="A4")  # type: ignore[attr-defined]
    assert pdf[:4] == b"%PDF"
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")  # type: ignore[attr-defined]
    assert page.locator(".print-page").count() == 0  # type: ignore[attr-defined]


def test_the_report_numbers_findings_as_check_does(onboarding_report: Path, page: object) -> None:
    page.goto(onboarding_report.as_uri())  # type: ignore[attr-defined]
    process = procmap.load(EXAMPLES / "customer-onboarding.yaml")
    listed = page.evaluate(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('ol.findings li')].map(li =>"
        " [li.querySelector('.num-badge').textContent, li.querySelector('code').textContent])")
    import json

    from typer.testing import CliRunner

    from procmap.cli.main import app

    result = CliRunner().invoke(app, ["check", str(EXAMPLES / "customer-onboarding.yaml"),
                                      "--format", "json"])
    checked = json.loads(result.output)["findings"]
    assert len(checked) == len(procmap.check(process)) > 3
    assert listed == [[str(f["number"]), f["rule"]] for f in checked]
    # the same numbers on the diagram's badges, on the step each finding is about
    for f in checked:
        step = next((e for e in f["elements"] if e in process.steps), None)
        if step is not None:
            badge = page.locator(f'.diagram g.badge.finding[data-finding="{f["number"]}"]')  # type: ignore[attr-defined]
            assert badge.first.get_attribute("data-element") == step
