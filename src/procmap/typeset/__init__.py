"""Text in the diagrams: the fonts it is set in, its width, and where its lines break.

Below the layout: the layout asks how wide a label is and how it breaks into
lines; the SVG names the same fonts and the PNG is drawn with them.

Example:
    >>> from procmap.typeset import wrap
    >>> wrap("申込書を確認する", 40, 4, 12)
    ('申込書', 'を確認', 'する')
"""

from __future__ import annotations

from procmap.typeset.fonts import CHAIN, font_files, missing_characters
from procmap.typeset.lines import clear_caches, elide, text_width, wrap

FONT_FAMILIES: tuple[str, ...] = tuple(family.name for family in CHAIN)
"""The chain's family names, first choice first, as the SVG lists them."""

__all__ = ["CHAIN", "FONT_FAMILIES", "clear_caches", "elide", "font_files", "missing_characters",
           "text_width", "wrap"]
