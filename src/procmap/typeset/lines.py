"""Labels broken into lines that fit a width, measured in the diagram's fonts.

Lines break where Unicode allows (``breaks.py``): after spaces, hyphens and slashes,
between CJK characters. A word too long for a line of its own is hyphenated by the
map's language (pyphen's dictionaries, English when the map names none) and the
break carries a hyphen; only a word that has no hyphenation point that fits (an id,
a number) is cut between two characters, also with a hyphen. A word is never cut
without one. What does not fit in the lines allowed ends in an ellipsis.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from procmap.typeset.breaks import SOFT_HYPHEN, segments
from procmap.typeset.fonts import clear_caches as _forget_fonts
from procmap.typeset.fonts import em_width
from procmap.typeset.hyphen import dictionary

ELLIPSIS = "…"
HYPHEN = "-"
DEFAULT_LANGUAGE = "en"


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of one line of ``text`` at ``size`` px, in px."""
    return em_width(text, bold) * size


def hyphenation_points(word: str, language: str | None) -> tuple[list[int], list[int]]:
    """Where ``word`` may take a hyphen, as offsets into it, and which of these are
    the joints of a compound; none for a word with other than letters between its
    punctuation, or in a language without a dictionary (Japanese: it needs none)."""
    found = dictionary(language or DEFAULT_LANGUAGE)
    if found is None:
        return [], []
    start = 0
    while start < len(word) and not word[start].isalpha():
        start += 1
    end = len(word)
    while end > start and not word[end - 1].isalpha():
        end -= 1
    core = word[start:end]
    if len(core) < 5 or not core.isalpha():
        return [], []
    points = found.points(core)
    return [start + p for p in points.all], [start + p for p in points.joints]


def _clusters(text: str) -> list[int]:
    """Offsets where a cut leaves no mark without its base character."""
    return [i for i in range(1, len(text))
            if unicodedata.category(text[i])[0] != "M" and text[i] not in "\u200c\u200d"]


def _clean(line: str) -> str:
    """A line as drawn: no trailing spaces, soft hyphens shown only at its end."""
    line = line.rstrip()
    if line.endswith(SOFT_HYPHEN):
        line = line[:-1].replace(SOFT_HYPHEN, "") + HYPHEN
    return line.replace(SOFT_HYPHEN, "")


def _split_word(word: str, room: float, full: float, size: float, bold: bool,
                language: str | None) -> tuple[str, str] | None:
    """``word`` split as ``head-`` that fits ``room`` px and the rest; at a hyphenation
    point when one fits, else between characters (on a line of ``full`` width only)."""
    points, joints = hyphenation_points(word, language)
    fits = [p for p in points if text_width(word[:p] + HYPHEN, size, bold=bold) <= room]
    if fits:  # the last joint of a compound that fits, else the last syllable
        at = ([p for p in fits if p in joints] or fits)[-1]
        return word[:at] + HYPHEN, word[at:]
    if room < full:
        return None
    cuts = [p for p in _clusters(word) if p >= 2 and len(word) - p >= 2
            and text_width(word[:p] + HYPHEN, size, bold=bold) <= room]
    if not cuts:
        cuts = [p for p in _clusters(word)
                if text_width(word[:p] + HYPHEN, size, bold=bold) <= room][-1:] or [1]
    return word[: cuts[-1]] + HYPHEN, word[cuts[-1]:]


def _fill(pieces: tuple[str, ...], width: float, size: float, bold: bool, language: str | None,
          eager: bool) -> list[str]:
    """Greedy lines; ``eager`` hyphenates a word to fill the line it would start after,
    otherwise only words too long for a line of their own are hyphenated."""

    def fits(k: int) -> bool:  # the next k pieces on one line
        return text_width(_clean("".join(queue[i:i + k])), size, bold=bold) <= width

    lines: list[str] = []
    queue = list(pieces)
    i = 0
    while i < len(queue):
        # the most pieces that fit, by bisection: a line of CJK characters has dozens
        left = len(queue) - i
        if fits(left):
            lines.append(_clean("".join(queue[i:])))
            break
        lo, hi = 0, left - 1  # fits(lo) holds (no pieces), fits(hi + 1) does not
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if fits(mid):
                lo = mid
            else:
                hi = mid - 1
        line = "".join(queue[i:i + lo])
        i += lo
        piece = queue[i]
        word = piece.rstrip()
        space = piece[len(word):]
        if line and eager:  # hyphenate the word into what is left of this line
            room = width - text_width(line, size, bold=bold)
            split = _split_word(word, room, width, size, bold, language)
            if split is not None:
                lines.append(_clean(line + split[0]))
                queue[i] = split[1] + space
                continue
        if line:
            lines.append(_clean(line))
            continue
        # a piece too long for a line of its own
        split = _split_word(word, width, width, size, bold, language)
        assert split is not None
        lines.append(_clean(split[0]))
        queue[i] = split[1] + space
    return lines or [""]


def elide(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """``text`` cut with an ellipsis to fit ``width`` px (whole when it fits)."""
    if text_width(text, size, bold=bold) <= width:
        return text
    cuts = _clusters(text)
    lo, hi = 0, len(cuts) - 1  # the longest prefix that fits, by bisection
    best = ""
    while lo <= hi:
        mid = (lo + hi) // 2
        head = text[: cuts[mid]].rstrip()
        if text_width(head + ELLIPSIS, size, bold=bold) <= width:
            best = head
            lo = mid + 1
        else:
            hi = mid - 1
    return best.rstrip(HYPHEN + " ") + ELLIPSIS


@lru_cache(maxsize=32_768)
def wrap(text: str, width: float, max_lines: int, size: float, *, bold: bool = False,
         language: str | None = None) -> tuple[str, ...]:
    """``text`` in lines that each fit ``width`` px, at most ``max_lines`` of them, the
    last ending in an ellipsis when the text is cut.

    >>> wrap("Kreditabteilung für Privatkunden", 110, 4, 13, bold=True, language="de")
    ('Kreditabtei-', 'lung für', 'Privatkunden')
    """
    text = " ".join(text.split())
    if not text:
        return ("",)
    pieces = segments(text)
    lines = _fill(pieces, width, size, bold, language, eager=False)
    if len(lines) > max_lines:
        eager = _fill(pieces, width, size, bold, language, eager=True)
        if len(eager) < len(lines):
            lines = eager
    if len(lines) > max_lines:  # the last line shown says that more was cut
        last = lines[max_lines - 1].removesuffix(HYPHEN)
        lines = lines[: max_lines - 1] + [elide(last + ELLIPSIS, width, size, bold=bold)]
    return tuple(lines)


def clear_caches() -> None:
    """Forget the fonts found, every width measured and every label wrapped (for tests
    and benchmarks that change the fonts procmap finds)."""
    _forget_fonts()
    wrap.cache_clear()
