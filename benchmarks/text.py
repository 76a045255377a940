"""What measuring text in the diagram's fonts costs the layout.

For generated maps of 50, 200 and 1,000 steps, in English and in German, Japanese
and Arabic (names of real work in each language), prints the median time one
``procmap.layout.layout`` spends wrapping, eliding and measuring labels, and the
time of the whole layout,

* with the estimate procmap used before: 7.5 px a character and ``textwrap``
  (``textwrap`` is what a Python user would pick to wrap labels);
* with real widths (HarfBuzz in the diagram's fonts, Unicode line breaks,
  hyphenation), every width and line break measured afresh (fonts open);
* with real widths after a keystroke in the web editor: one step's name changed
  since the last layout, everything else remembered;

and, once, what a fresh process pays to open the fonts and a hyphenation
dictionary (German's is the largest pyphen ships).

    python benchmarks/text.py            # the table
    python benchmarks/text.py --quick    # one small size (a smoke test)
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _measure import machine_line, table  # noqa: E402
from generate import map_text  # noqa: E402

SIZES = [50, 200, 1_000]
QUICK_SIZES = [50]
REPEATS = 11

WORDS = {
    "de": ["Kreditantrag prüfen", "Überweisungsträger erfassen", "Kontoauszug anfordern",
           "Identitätsnachweis kontrollieren", "Sachbearbeitung freigeben",
           "Kundendaten aktualisieren", "Unterschrift einholen (Vertragsunterlagen)"],
    "ja": ["申込書を確認する", "本人確認書類を受け取る", "審査結果を通知する",
           "口座を開設する", "契約書に署名する", "顧客情報を更新する", "請求書を送付する"],
    "ar": ["التحقق من الطلب", "إرسال التأكيد إلى العميل", "مراجعة المستندات",
           "فتح الحساب", "توقيع العقد", "تحديث بيانات العميل", "إرسال الفاتورة"],
}
LANES = {"de": "Kreditabteilung für Privatkunden", "ja": "営業部（東京）", "ar": "خدمة العملاء"}


def multilingual(steps: int) -> str:
    """A generated map whose step and lane names cycle through German, Japanese and
    Arabic (``language: de`` for the German hyphenation)."""
    import yaml

    data = yaml.safe_load(map_text(steps))
    data["language"] = "de"
    langs = list(WORDS)
    for i, step in enumerate(data["steps"].values()):
        words = WORDS[langs[i % 3]]
        step["name"] = f"{words[i % len(words)]} {i}"
    for i, actor in enumerate(data["actors"].values()):
        actor["name"] = LANES[langs[i % 3]]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _estimate_wrap(text: str, width: float, max_lines: int, **_: object) -> list[str]:
    """The layout's wrap before it measured text: 7.5 px a character, textwrap."""
    chars = max(4, int(width // 7.5))
    lines = textwrap.wrap(text, chars, break_long_words=True, break_on_hyphens=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: chars - 1] if len(last) >= chars else last) + "…"
    return lines


def _estimate_elide(text: str, width: float, **_: object) -> str:
    chars = max(2, int(width // 6.2))
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _estimate_width(text: str, size: float, **_: object) -> float:
    return len(text) * 6.2 * size / 10


def _forget() -> None:
    """Forget every width and line break measured (the fonts stay open)."""
    from procmap.typeset import fonts, hyphen, lines

    fonts.em_width.cache_clear()
    for face in fonts.database():
        face._widths.clear()
    lines.wrap.cache_clear()
    hyphen.Dictionary.points.cache_clear()
    gc.collect()


class _Clock:
    """The three text functions of the layout, timed: the time spent in them adds up."""

    def __init__(self, fns: tuple) -> None:
        self.spent = 0.0
        self.fns = tuple(self._timed(fn) for fn in fns)

    def _timed(self, fn):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent += time.perf_counter() - start
        return timed


def _layout(lay, process, fns: tuple, before=None) -> tuple[float, float]:
    """Wall time of one layout and the part of it spent measuring and breaking text."""
    clock = _Clock(fns)
    real = (lay.wrap, lay.elide, lay.text_width)
    if before is not None:
        before()
    gc.collect()
    lay.wrap, lay.elide, lay.text_width = clock.fns
    try:
        start = time.perf_counter()
        lay.layout(process)
        return time.perf_counter() - start, clock.spent
    finally:
        lay.wrap, lay.elide, lay.text_width = real


def run(sizes: list[int]) -> list[list[str]]:
    """Each map's three timings, taken in turn (so that the load of a shared machine
    falls on all three alike), medians of ``REPEATS``."""
    import procmap
    import procmap.layout as lay

    rows = []
    for lang, make in (("English", map_text), ("de/ja/ar", multilingual)):
        for n in sizes:
            process = procmap.loads(make(n))
            real = (lay.wrap, lay.elide, lay.text_width)
            estimate = (_estimate_wrap, _estimate_elide, _estimate_width)
            lay.layout(process)  # fonts and dictionaries open
            step = next(iter(process.steps))

            def typed(k: int, p=process, step=step):
                name = f"{p.steps[step].name or step} {k}"
                return p.model_copy(update={"steps": {
                    **p.steps, step: p.steps[step].model_copy(update={"name": name})}})

            runs: dict[str, list[tuple[float, float]]] = {"before": [], "fresh": [], "typed": []}
            for k in range(REPEATS):
                runs["before"].append(_layout(lay, process, estimate))
                runs["fresh"].append(_layout(lay, process, real, _forget))
                runs["typed"].append(_layout(lay, typed(k), real))
            med = {key: (statistics.median(t for t, _ in v) * 1000,
                         statistics.median(s for _, s in v) * 1000) for key, v in runs.items()}
            rows.append([lang, f"{n:,}", f"{med['before'][1]:.1f}", f"{med['fresh'][1]:.1f}",
                         f"{med['typed'][1]:.2f}", f"{med['before'][0]:.0f}",
                         f"{med['fresh'][0]:.0f}", f"{med['typed'][0]:.0f}"])
    return rows


FIRST_USE = """
import time
t = time.perf_counter()
from procmap.typeset import fonts, hyphen
fonts.chain(False); fonts.chain(True)
t1 = time.perf_counter()
hyphen.dictionary("{lang}")
t2 = time.perf_counter()
print(f"{{(t1 - t) * 1000:.0f}} {{(t2 - t1) * 1000:.0f}}")
"""


def first_use(lang: str) -> tuple[float, float]:
    out = []
    for _ in range(3):
        result = subprocess.run([sys.executable, "-c", FIRST_USE.format(lang=lang)],
                                check=True, capture_output=True, text=True)
        out.append(tuple(float(v) for v in result.stdout.split()))
    out.sort()
    return out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small size")
    args = parser.parse_args()
    print(machine_line("layout with real text widths"))
    from procmap.typeset.fonts import chain

    print("fonts:", ", ".join(f"{f.family} ({f.path.name})" for f in chain(False)) or "none found")
    rows = run(QUICK_SIZES if args.quick else SIZES)
    header = ["names", "steps", "text: estimate", "measured", "keystroke",
              "layout: estimate", "measured", "keystroke"]
    print("\n".join(table(header, rows, left=1)))
    print("ms, medians of", REPEATS, "runs; text: the time inside wrap, elide and text_width; "
          "layout: the whole layout, whose routing depends on the label sizes")
    fonts_ms, de_ms = first_use("de")
    _, en_ms = first_use("en")
    print(f"first use in a fresh process: fonts {fonts_ms:.0f} ms, the German dictionary "
          f"{de_ms:.0f} ms, the English one {en_ms:.0f} ms (medians of 3)")


if __name__ == "__main__":
    main()
