"""Hyphenation points of a word in a language, from pyphen's dictionaries.

The dictionaries are LibreOffice's (``hyph_*.dic``, shipped with pyphen), read with
Liang's algorithm as libhyphen reads them. Two things differ from ``pyphen.Pyphen``:

* a dictionary is read lazily: its patterns are kept as text and each is parsed
  the first time a word needs it (pyphen parses the German dictionary's 78,000
  patterns up front, about two seconds, which the web editor cannot wait for);
* a two-level dictionary (German's, after ``NEXTLEVEL``) is read in two levels:
  the first finds the joints of a compound word (Kredit|abteilung), the second
  the syllables of each part, so a compound breaks at its joint when one fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_HEX = re.compile(rb"\^{2}([0-9a-f]{2})")
_NEXTLEVEL = re.compile(rb"^[ \t]*NEXTLEVEL[ \t\r]*$", re.MULTILINE)
_PATTERN = re.compile(rb"^[ \t]*([^%#\s/][^\s/]*)[ \t\r]*$", re.MULTILINE)
LEFT = 2
RIGHT = 3
"""Letters a hyphen leaves at least before it and after it ("Pri-vat", not "P-rivat")."""


class _Level:
    """One level of patterns: letters → the raw pattern, parsed on first use."""

    def __init__(self, patterns: bytes, encoding: str) -> None:
        keys = patterns.translate(None, b"0123456789").decode(encoding, "replace").split("\n")
        self._raw = dict(zip(keys, patterns.decode(encoding, "replace").split("\n"), strict=True))
        self._raw.pop("", None)
        self._parsed: dict[str, tuple[int, ...]] = {}
        self.maxlen = max(map(len, self._raw), default=0)

    def values(self, letters: str) -> tuple[int, ...] | None:
        found = self._parsed.get(letters)
        if found is None:
            raw = self._raw.get(letters)
            if raw is None:
                return None
            out = [0] * (len(letters) + 1)
            k = 0
            for char in raw:
                if char.isdigit():
                    out[k] = int(char)
                else:
                    k += 1
            found = self._parsed[letters] = tuple(out)
        return found

    def odd_points(self, word: str) -> list[int]:
        """Offsets in ``word`` where this level's patterns give an odd value."""
        dotted = f".{word.lower()}."
        points = [0] * (len(dotted) + 1)
        for i in range(len(dotted) - 1):
            for j in range(i + 1, min(i + self.maxlen, len(dotted)) + 1):
                values = self.values(dotted[i:j])
                if values is not None:
                    for k, v in enumerate(values):
                        if v > points[i + k]:
                            points[i + k] = v
        return [p - 1 for p in range(2, len(dotted) - 1) if points[p] % 2]


@dataclass(frozen=True)
class Points:
    """Where a word may take a hyphen: every point, and the joints of its compound."""

    all: tuple[int, ...]
    joints: tuple[int, ...]


class Dictionary:
    """The hyphenation patterns of one language."""

    def __init__(self, path: Path) -> None:
        raw = path.read_bytes()
        first, _, body = raw.partition(b"\n")
        encoding = first.decode("ascii", "replace").strip() or "utf-8"
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        if b"^^" in body:  # ^^hh stands for the character hh
            body = _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), body)
        self.levels = []
        for chunk in _NEXTLEVEL.split(body):
            # a pattern is one word of letters and digits on its line; comments (%, #)
            # and settings (a keyword and a value) are not, nor nonstandard
            # hyphenation (with a /), which procmap leaves out
            patterns = b"\n".join(_PATTERN.findall(chunk))
            if patterns:
                self.levels.append(_Level(patterns, encoding))

    @lru_cache(maxsize=4096)  # noqa: B019 (a dictionary lives as long as the process)
    def points(self, word: str) -> Points:
        """Offsets into ``word`` (letters only) where it may be hyphenated."""
        if not self.levels:
            return Points((), ())
        if len(self.levels) == 1:
            found = self.levels[0].odd_points(word)
            return Points(tuple(p for p in found if LEFT <= p <= len(word) - RIGHT), ())
        joints = [p for p in self.levels[0].odd_points(word) if LEFT <= p <= len(word) - RIGHT]
        out = set(joints)
        bounds = [0, *joints, len(word)]
        for a, b in zip(bounds, bounds[1:], strict=False):
            part = word[a:b]
            out.update(a + p for p in self.levels[1].odd_points(part)
                       if LEFT <= p <= len(part) - LEFT and LEFT <= a + p <= len(word) - RIGHT)
        return Points(tuple(sorted(out)), tuple(joints))


@lru_cache(maxsize=32)
def dictionary(language: str) -> Dictionary | None:
    """The dictionary for a language tag (``de``, ``de-CH``, ``en_GB``), or None when
    pyphen has none (Japanese, Chinese, Arabic: these break without hyphens)."""
    import pyphen

    found = pyphen.language_fallback(language.replace("-", "_"))
    return Dictionary(Path(str(pyphen.LANGUAGES[found]))) if found else None
