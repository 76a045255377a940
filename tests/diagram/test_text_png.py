"""Every script in the PNG: no missing-glyph boxes, right-to-left lines in place, and a
warning naming the characters when a font is missing.

A character without a glyph is drawn as its font's missing-glyph box, the same
picture whatever the character: each character of a diagram is drawn alone the
way the PNG draws it and compared with the box of a code point no font has.
The same comparison with only DejaVu Sans installed finds the Japanese boxes,
so the check can fail.
"""

from __future__ import annotations

import io
import shutil
import warnings
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from typer.testing import CliRunner

import procmap
from procmap.cli.main import app
from procmap.diagram.png import MissingGlyphsWarning, for_resvg, missing_glyphs, svg_to_png
from procmap.diagram.svg import FONT_STACK, RenderOptions, render_svg
from procmap.layout import FONT_SIZE, LINE_HEIGHT, layout
from procmap.typeset import clear_caches, fonts, text_width
from procmap.typeset.fonts import chain
from tests.conftest import ROOT
from tests.diagram.maps import load_input

EXAMPLE = ROOT / "docs" / "examples" / "kreditantrag.yaml"
NO_GLYPH = "\u0378"  # unassigned: no font has it
FAMILIES = {face.family for face in chain(False)}
pytestmark = pytest.mark.skipif(
    not {"DejaVu Sans", "Noto Sans CJK JP"} <= FAMILIES,
    reason="DejaVu Sans and Noto Sans CJK are not installed (make test installs them)")


def _draw(text: str, *, bold: bool = False, size: float = 24) -> Image.Image:
    """``text`` drawn alone as the PNG draws a label (no warning for a box wanted)."""
    weight = "bold" if bold else "normal"
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40" '
           f'font-family="{FONT_STACK}"><text x="4" y="30" font-size="{size}" '
           f'font-weight="{weight}">{text}</text></svg>')
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingGlyphsWarning)
        return Image.open(io.BytesIO(svg_to_png(svg))).convert("L")


def _boxes(text: str, bold: bool) -> list[str]:
    """The characters of ``text`` the PNG draws as the missing-glyph box."""
    box = _draw(NO_GLYPH, bold=bold)
    blank = _draw(" ", bold=bold)
    assert ImageChops.difference(box, blank).getbbox() is not None  # the box is drawn
    return [c for c in sorted(set(text)) if not c.isspace()
            and ImageChops.difference(_draw(c, bold=bold), box).getbbox() is None]


def test_the_example_draws_every_character_with_a_glyph(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["render", str(EXAMPLE), "-o", str(tmp_path / "m.png")])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    process = procmap.load(EXAMPLE)
    svg = render_svg(process)
    assert missing_glyphs(svg) == ""
    steps = "".join(s.name or "" for s in process.steps.values())
    lanes = "".join(a.name or "" for a in process.actors.values())
    assert "申" in steps and "東" in lanes and "Ü" in steps
    assert _boxes(steps, bold=False) == []
    assert _boxes(lanes, bold=True) == []


def test_with_dejavu_sans_alone_the_japanese_is_boxes_and_render_says_so(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fonts_dir = tmp_path / "fonts"
    fonts_dir.mkdir()
    for face in (*chain(False), *chain(True)):
        if face.family == "DejaVu Sans":
            shutil.copy(face.path, fonts_dir / face.path.name)
    monkeypatch.setattr(fonts, "font_dirs", lambda: [fonts_dir])
    clear_caches()
    try:
        assert _boxes("申込書 Kreditabteilung", bold=False) == sorted("申込書")
        result = CliRunner().invoke(app, ["render", str(EXAMPLE), "-o", str(tmp_path / "m.png")])
        assert result.exit_code == 0, result.output
        said = " ".join(result.output.split())
        assert "warning: no font procmap draws with has '東' (U+6771)" in said
        assert "'申'" in said and "'ü'" not in said
        assert "Noto Sans CJK JP" in said and "fonts-noto-cjk" in said
        assert (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"  # drawn all the same
    finally:
        clear_caches()


def test_the_library_warns_with_the_characters() -> None:
    process = procmap.loads("procmap: 1\nprocess: t\nactors: {c: {kind: customer}}\n"
                            "steps:\n  a: {actor: c, name: ตรวจสอบเอกสาร}\n")
    with pytest.warns(MissingGlyphsWarning, match="U\\+0E15") as caught:
        procmap.render(process, "png")
    assert caught[0].message.characters.startswith("ตรวจส")  # type: ignore[union-attr]


def test_a_right_to_left_label_is_drawn_line_by_line_where_the_layout_put_it() -> None:
    """Each Arabic label, cut out of the diagram's PNG, is the same picture as its lines
    drawn alone at the places the layout gave them. Drawn as one ``<text>`` (the SVG as
    it is), resvg orders the lines of a label as one paragraph and draws them into one
    another: that picture differs."""
    import resvg_py

    process = load_input("languages-ar")
    lay = layout(process)
    svg = render_svg(process, RenderOptions(overlays=frozenset()))
    page = Image.open(io.BytesIO(svg_to_png(svg))).convert("L")
    files = [str(p) for p in fonts.font_files()]
    as_one = Image.open(io.BytesIO(bytes(resvg_py.svg_to_bytes(
        svg_string=svg, background="#ffffff", skip_system_fonts=True, font_files=files)))).convert("L")
    width, height = page.size
    checked = shuffled = 0
    for node in lay.nodes.values():
        if node.kind != "task" or len(node.label_lines) < 2:
            continue
        lines = "".join(
            f'<text x="{node.label.cx:g}" y="{node.label.y + FONT_SIZE + k * LINE_HEIGHT:g}" '
            f'font-size="12" text-anchor="middle" fill="#0f172a">{line}</text>'
            for k, line in enumerate(node.label_lines))
        alone = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                 f'font-family="{FONT_STACK}">{lines}</svg>')
        picture = Image.open(io.BytesIO(svg_to_png(alone))).convert("L")
        b = node.box
        area = (int(b.x) + 9, int(b.y) + 3, int(b.right) - 9, int(b.bottom) - 3)  # not the corners
        assert ImageChops.difference(page.crop(area), picture.crop(area)).getbbox() is None, node.id
        assert max(text_width(line, FONT_SIZE) for line in node.label_lines) <= node.label.w
        checked += 1
        shuffled += ImageChops.difference(as_one.crop(area), picture.crop(area)).getbbox() is not None
    assert checked >= 2
    assert shuffled == checked


def test_for_resvg_gives_each_line_its_own_text_and_a_cjk_line_its_font() -> None:
    process = procmap.load(EXAMPLE)
    svg = for_resvg(render_svg(process))
    assert "<tspan" not in svg
    assert ">Kreditabtei-</text>" in svg and ">lung für</text>" in svg
    assert "font-family=\"'Noto Sans CJK JP'\"" in svg  # the Japanese lines, in their weight
