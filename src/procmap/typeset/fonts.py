"""The fonts diagrams are set in, found on this machine, and the width of text in them.

One chain of font families serves Latin, Greek, Cyrillic, Arabic, Hebrew and CJK
text: the SVG names it as its ``font-family`` list, the PNG is drawn with exactly
these files, and the layout measures labels with them (shaped by HarfBuzz, so
Arabic joins and kerning count). A character takes the first family of the chain
that has it, as a browser does.

resvg, which draws the PNG, falls back differently: when the first font lacks a
character of a line it takes the first font that has it, and if that font has
*every* character of the line, the whole line is drawn in it (so Latin next to
Japanese is drawn in the CJK font's Latin). A line is measured both ways and
given the wider width, so it fits in the browser and in the PNG.

Fonts are looked up by file name in ``$PROCMAP_FONT_DIRS`` (folders, separated as
in ``PATH``), then in the usual font folders. A character that no font of the
chain has is measured by an estimate (one em for wide East Asian characters,
0.625 em for others) and reported by :func:`missing_characters`.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

NARROW_EM = 0.625
"""The estimated advance of a character no font has, and of every character when
no font of the chain is installed (7.5 px at 12 px, as procmap estimated before)."""
WIDE_EM = 1.0
BOLD_FACTOR = 1.1


@dataclass(frozen=True)
class Family:
    """One family of the chain: its name in CSS, the files it comes in, where from."""

    name: str
    scripts: str
    package: str
    regular: tuple[str, ...]
    bold: tuple[str, ...]


CHAIN: tuple[Family, ...] = (
    Family("DejaVu Sans", "Latin, Greek, Cyrillic, Arabic, Hebrew", "fonts-dejavu-core",
           ("DejaVuSans.ttf",), ("DejaVuSans-Bold.ttf",)),
    Family("Noto Sans", "Latin, Greek, Cyrillic", "fonts-noto-core",
           ("NotoSans-Regular.ttf",), ("NotoSans-Bold.ttf",)),
    Family("Noto Sans CJK JP", "Chinese, Japanese, Korean", "fonts-noto-cjk",
           ("NotoSansCJK-Regular.ttc", "NotoSansCJKjp-Regular.otf", "NotoSansCJK-Regular.otf"),
           ("NotoSansCJK-Bold.ttc", "NotoSansCJKjp-Bold.otf", "NotoSansCJK-Bold.otf")),
    Family("Noto Sans Arabic", "Arabic", "fonts-noto-core",
           ("NotoSansArabic-Regular.ttf",), ("NotoSansArabic-Bold.ttf",)),
    Family("Noto Sans Hebrew", "Hebrew", "fonts-noto-core",
           ("NotoSansHebrew-Regular.ttf",), ("NotoSansHebrew-Bold.ttf",)),
)
"""The families, first choice first. DejaVu Sans comes first: it is what the
diagrams were always set in, and it covers every alphabet but CJK."""


def font_dirs() -> list[Path]:
    """The folders searched for the chain's files, first match wins."""
    dirs = [Path(d) for d in os.environ.get("PROCMAP_FONT_DIRS", "").split(os.pathsep) if d]
    home = Path.home()
    dirs += [home / ".local/share/fonts", home / ".fonts", Path("/usr/local/share/fonts"),
             Path("/usr/share/fonts")]
    if sys.platform == "darwin":
        dirs += [home / "Library/Fonts", Path("/Library/Fonts")]
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
    return dirs


@lru_cache(maxsize=1)
def _files_on_machine() -> dict[str, Path]:
    wanted = {name for family in CHAIN for name in (*family.regular, *family.bold)}
    found: dict[str, Path] = {}
    for top in font_dirs():
        if not top.is_dir():
            continue
        for folder, _, files in os.walk(top):
            for name in wanted.intersection(files):
                found.setdefault(name, Path(folder) / name)
    return found


class Face:
    """One font file (one face of a collection) opened with HarfBuzz."""

    def __init__(self, family: str, path: Path, bold: bool) -> None:
        import uharfbuzz as hb

        self.family = family
        self.path = path
        self.bold = bold
        blob = hb.Blob.from_file_path(str(path))
        index = 0  # in a collection, the face of the family's name
        for i in range(hb.Face(blob, 0).count):
            if hb.Face(blob, i).get_name(hb.OTNameIdPredefined.FONT_FAMILY) == family:
                index = i
                break
        self.index = index
        self._hb = hb
        self._font = hb.Font(hb.Face(blob, index))
        self._upem = float(self._font.face.upem)
        self._has: dict[str, bool] = {}
        self._widths: dict[str, float] = {}

    def __repr__(self) -> str:
        return f"Face({self.family!r}, {'bold' if self.bold else 'regular'}, {str(self.path)!r})"

    def has(self, char: str) -> bool:
        """Whether the face has a glyph for ``char``."""
        known = self._has.get(char)
        if known is None:
            known = self._has[char] = self._font.get_nominal_glyph(ord(char)) is not None
        return known

    def em(self, run: str) -> float:
        """The advance of ``run`` shaped in this face, in ems."""
        width = self._widths.get(run)
        if width is None:
            buf = self._hb.Buffer()
            buf.add_str(run)
            buf.guess_segment_properties()
            self._hb.shape(self._font, buf, {})
            width = sum(p.x_advance for p in buf.glyph_positions) / self._upem
            if len(self._widths) > 50_000:
                self._widths.clear()
            self._widths[run] = width
        return width


@lru_cache(maxsize=2)
def chain(bold: bool) -> tuple[Face, ...]:
    """The chain's faces found on this machine, in the chain's order."""
    files = _files_on_machine()
    faces = []
    for family in CHAIN:
        names = family.bold if bold else family.regular
        path = next((files[n] for n in names if n in files), None)
        if path is None and bold:  # a browser draws a synthetic bold from the regular
            path = next((files[n] for n in family.regular if n in files), None)
        if path is not None:
            faces.append(Face(family.name, path, bold))
    return tuple(faces)


@lru_cache(maxsize=1)
def database() -> tuple[Face, ...]:
    """Every face resvg is given, in the order it is given them: each family's regular
    then its bold. resvg's fallback takes the first of these that has a character,
    whatever its weight."""
    regular, bold = chain(False), chain(True)
    out: list[Face] = []
    for family in CHAIN:
        out += [f for f in regular if f.family == family.name]
        out += [f for f in bold if f.family == family.name and f.path not in {g.path for g in out}]
    return tuple(out)


def font_files() -> list[Path]:
    """The files of the chain found on this machine, in the order resvg is to load them."""
    seen: list[Path] = []
    for face in database():
        if face.path not in seen:
            seen.append(face.path)
    return seen


def _estimate(char: str) -> float:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    return WIDE_EM if unicodedata.east_asian_width(char) in ("W", "F") else NARROW_EM


def _ignorable(char: str) -> bool:
    """Control and format characters (joiners, direction marks, soft hyphens): HarfBuzz
    draws them as nothing, in any font."""
    return unicodedata.category(char) in ("Cc", "Cf")


@lru_cache(maxsize=16_384)
def _script(char: str) -> str:
    """A coarse script, enough to shape each run in its direction: Arabic, Hebrew or
    other; neutral characters (spaces, digits, punctuation) go with their run."""
    cp = ord(char)
    if 0x0600 <= cp <= 0x08FF or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
        return "arab"
    if 0x0590 <= cp <= 0x05FF or 0xFB1D <= cp <= 0xFB4F:
        return "hebr"
    category = unicodedata.category(char)
    if category[0] in "LM":
        return "other"
    return ""


def _em_by_faces(text: str, faces: list[Face | None], bold: bool) -> float:
    """The width of ``text`` with each character set in the face beside it (None: no
    face has it), shaped run by run."""
    total = 0.0
    start = 0
    n = len(text)
    run_script = ""
    for i in range(n + 1):
        if i < n:
            script = _script(text[i])
            same_face = faces[i] is faces[start]
            same_script = not script or not run_script or script == run_script
            if same_face and same_script:
                run_script = run_script or script
                continue
        face = faces[start]
        run = text[start:i]
        if face is None:
            total += sum(_estimate(c) for c in run) * (BOLD_FACTOR if bold else 1.0)
        else:
            total += face.em(run)
        start = i
        run_script = _script(text[i]) if i < n else ""
    return total


@lru_cache(maxsize=65_536)
def _first_with(char: str, bold: bool) -> Face | None:
    """The first face of the chain that has ``char``."""
    return next((f for f in chain(bold) if f.has(char)), None)


@lru_cache(maxsize=65_536)
def em_width(text: str, bold: bool = False) -> float:
    """The width of one line of ``text`` in ems: the wider of the browser's and resvg's
    ways of falling back."""
    if not text:
        return 0.0
    faces = chain(bold)
    if not faces:
        return sum(_estimate(c) for c in text) * (BOLD_FACTOR if bold else 1.0)
    primary = faces[0]
    if all(primary.has(c) for c in text):
        return primary.em(text)
    per_char: list[Face | None] = [_first_with(c, bold) for c in text]
    browser = _em_by_faces(text, per_char, bold)
    return max(browser, _resvg_em(text, primary, bold))


def whole_line_family(text: str) -> str | None:
    """The family resvg draws all of a line in: when the first font lacks one of its
    characters and the first font that has it (in :func:`database` order) has them all.
    The PNG names this family on such a line, so that it comes in the line's weight
    (resvg's fallback takes the first face whatever its weight)."""
    faces = chain(False)
    if not faces or all(faces[0].has(c) or _ignorable(c) for c in text):
        return None
    first = next(c for c in text if not (faces[0].has(c) or _ignorable(c)))
    fallback = next((f for f in faces[1:] if f.has(first)), None)
    if fallback is not None and all(fallback.has(c) or _ignorable(c) for c in text):
        return fallback.family
    return None


def _resvg_em(text: str, primary: Face, bold: bool) -> float:
    """The width resvg gives a line whose first font lacks some of its characters."""
    family = whole_line_family(text)
    if family is not None:
        return next(f for f in chain(bold) if f.family == family).em(text)
    chosen: list[Face | None] = [primary if primary.has(c) or _ignorable(c) else None for c in text]
    used = [primary]
    db = database()
    while None in chosen:
        missing = text[chosen.index(None)]
        fallback = next((f for f in db if f not in used and f.has(missing)), None)
        if fallback is None:
            break
        chosen = [fallback if c is None and fallback.has(ch) else c for c, ch in zip(chosen, text, strict=True)]
        used.append(fallback)
    return _em_by_faces(text, chosen, bold)


def missing_characters(text: str) -> str:
    """The characters of ``text`` that no face of the chain has, each once, in order."""
    faces = chain(False)
    out: list[str] = []
    for char in text:
        if char in out or char.isspace() or _ignorable(char) or any(f.has(char) for f in faces):
            continue
        out.append(char)
    return "".join(out)


def clear_caches() -> None:
    """Forget the fonts found and every width measured (for tests and benchmarks)."""
    em_width.cache_clear()
    _first_with.cache_clear()
    database.cache_clear()
    chain.cache_clear()
    _files_on_machine.cache_clear()
