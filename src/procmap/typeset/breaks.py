"""Where a line may break: the Unicode line breaking algorithm (UAX #14), kept to the
classes that diagram labels meet.

A break may come after spaces, after a hyphen or a dash (not before a digit), after
a slash, and between two CJK characters (ideographs, kana, Hangul syllables), but
never before closing punctuation, small kana or the prolonged sound mark, never
after opening punctuation (Japanese *kinsoku*), and never inside a run of letters
or digits: a word is broken only by hyphenation, with a hyphen (see ``lines.py``).

Classes, as UAX #14 names them: ``SP`` space, ``GL`` glue (no break either side),
``ZW`` zero-width space, ``CM`` combining mark (stays with the character before
it), ``HY`` hyphen-minus, ``BA`` break after (dashes, soft hyphen), ``SY`` slash,
``OP`` opening and ``CL`` closing punctuation, ``EX``/``IS`` punctuation that may
not start a line, ``NS`` non-starters (small kana, ー, 々), ``QU`` quotation marks,
``ID`` ideographic (a break on either side), ``AL`` everything else.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

SP, GL, ZW, CM, HY, BA, SY, OP, CL, EX, IS, NS, QU, ID, AL, NU = (
    "SP", "GL", "ZW", "CM", "HY", "BA", "SY", "OP", "CL", "EX", "IS", "NS", "QU", "ID", "AL", "NU",
)

SOFT_HYPHEN = "\u00ad"
_GLUE = set("\u00a0\u202f\u2007\u2011\u2060\ufeff\u034f")
_BREAK_AFTER = set("\u2010\u2012\u2013\u2014\u2015\u00ad|\t\u1680\u2027")
_EXCLAIM = set("!?\u203c\u2047\u2048\u2049\uff01\uff1f")
_INFIX = set(",.:;\u037e\u0589\u060c\u060d\u07f8\u2044\ufe10\ufe13\ufe14")
_CLOSE_CJK = set("\u3001\u3002\uff0c\uff0e\uff1a\uff1b\u30fb\uff65\uff61\uff64")
_NON_STARTER = set(
    "\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087\u308e\u3095\u3096"  # small hiragana
    "\u30a1\u30a3\u30a5\u30a7\u30a9\u30c3\u30e3\u30e5\u30e7\u30ee\u30f5\u30f6"  # small katakana
    "\u31f0\u31f1\u31f2\u31f3\u31f4\u31f5\u31f6\u31f7\u31f8\u31f9\u31fa\u31fb\u31fc\u31fd\u31fe\u31ff"
    "\u30fc\u309d\u309e\u30fd\u30fe\u3005\u303b\u309b\u309c\u30a0\u301c"
    "\uff67\uff68\uff69\uff6a\uff6b\uff6c\uff6d\uff6e\uff6f\uff70\uff9e\uff9f"
)
_QUOTE = set("\"'\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a")


def _ideographic(cp: int) -> bool:
    return (
        0x2E80 <= cp <= 0x2FFF  # radicals, ideographic description
        or 0x3040 <= cp <= 0x30FF  # kana
        or 0x3100 <= cp <= 0x31EF  # bopomofo, kanbun, strokes
        or 0x3200 <= cp <= 0x4DBF  # enclosed CJK, compatibility, extension A
        or 0x4E00 <= cp <= 0x9FFF  # unified ideographs
        or 0xA000 <= cp <= 0xA4CF  # Yi
        or 0xAC00 <= cp <= 0xD7A3  # Hangul syllables
        or 0xF900 <= cp <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= cp <= 0xFE4F  # CJK compatibility forms
        or 0xFF01 <= cp <= 0xFF60  # full-width forms
        or 0x1F000 <= cp <= 0x1FAFF  # emoji and pictographs
        or 0x20000 <= cp <= 0x3FFFD  # extensions B and on
    )


@lru_cache(maxsize=8192)
def line_class(char: str) -> str:
    """The line breaking class of one character (a subset of UAX #14's)."""
    if char == " " or (char.isspace() and char not in _GLUE):
        return SP
    if char in _GLUE:
        return GL
    if char == "\u200b":
        return ZW
    cp = ord(char)
    category = unicodedata.category(char)
    if category in ("Mn", "Mc", "Me") or char in "\u200c\u200d" or 0xFE00 <= cp <= 0xFE0F:
        return CM
    if char == "-":
        return HY
    if char in _BREAK_AFTER:
        return BA
    if char == "/":
        return SY
    if char in _NON_STARTER:
        return NS
    if char in _QUOTE:
        return QU
    if char in _EXCLAIM:
        return EX
    if char in _CLOSE_CJK or category in ("Pe", "Pf") and char not in _QUOTE:
        return CL
    if char in _INFIX:
        return IS
    if category in ("Ps", "Pi"):
        return OP
    if _ideographic(cp):
        return ID
    if category == "Nd":
        return NU
    return AL


def _break_between(before: str, after: str, before_space: str | None) -> bool:
    """Whether a line may break between a character of class ``before`` and one of class
    ``after``; ``before_space`` is the class ahead of a run of spaces that ``before`` ends."""
    if after in (SP, CM, GL, CL, EX, IS, NS, SY, ZW) or before == GL:
        return False
    if before == ZW:
        return True
    if before == SP:
        return before_space != OP  # "( x" does not break after the "("
    if before == OP or after in (HY, BA):
        return False
    if before == QU or after == QU:
        return False
    if before in (HY, SY):
        return after != NU
    if before == BA:
        return True
    return before == ID or after == ID or (before in (CL, EX, IS, NS) and after == OP)


@lru_cache(maxsize=16384)
def segments(text: str) -> tuple[str, ...]:
    """``text`` cut at every place a line may break; each piece keeps the spaces after it.

    >>> segments("Kreditabteilung für Privatkunden")
    ('Kreditabteilung ', 'für ', 'Privatkunden')
    >>> segments("申込書を確認する")
    ('申', '込', '書', 'を', '確', '認', 'す', 'る')
    >>> segments("E-Mail (Überweisung)")
    ('E-', 'Mail ', '(Überweisung)')
    """
    if not text:
        return ()
    out: list[str] = []
    start = 0
    prev_space_base: str | None = None  # the class ahead of the current run of spaces
    base = line_class(text[0])  # the class of the last character that is not a combining mark
    for i in range(1, len(text)):
        cls = line_class(text[i])
        if cls == CM:  # a mark takes the class of what it sits on
            continue
        if cls == SP and base != SP:
            prev_space_base = base
        if _break_between(base, cls, prev_space_base):
            out.append(text[start:i])
            start = i
        base = cls
    out.append(text[start:])
    return tuple(out)
