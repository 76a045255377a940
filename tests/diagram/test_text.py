"""Text in the diagrams: widths in the real fonts, Unicode line breaks, hyphenation.

The widths are checked against the fonts' own numbers (fontTools reading the
advance widths, Noto CJK's full-width em), the line breaks against what UAX #14
and Japanese typesetting allow, the hyphenation against pyphen itself, and the
wrapping by properties every wrapped label must have, on words of real work in
German, Japanese, Arabic and English.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyphen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import procmap
from procmap.layout import layout
from procmap.typeset import clear_caches, fonts, text_width, wrap
from procmap.typeset.breaks import segments
from procmap.typeset.fonts import chain, missing_characters
from procmap.typeset.hyphen import dictionary
from procmap.typeset.lines import ELLIPSIS, HYPHEN, elide
from tests.conftest import ROOT, example_maps
from tests.diagram.maps import LANGUAGE_MAPS, load_input

FAMILIES = {face.family for face in chain(False)}
needs_cjk = pytest.mark.skipif("Noto Sans CJK JP" not in FAMILIES,
                               reason="Noto Sans CJK is not installed (make test installs it)")
needs_dejavu = pytest.mark.skipif("DejaVu Sans" not in FAMILIES, reason="DejaVu Sans is not installed")

GERMAN = ["Kreditabteilung", "für", "Privatkunden", "Überweisungsträger", "prüfen",
          "Identitätsnachweis", "Kontoauszug", "(Schufa-Auskunft)", "Sachbearbeiterin",
          "Kundenservicecenter", "einreichen", "Unterschrift", "Darlehensbetrag", "der", "und"]
JAPANESE = ["申込書を確認する", "本人確認書類（運転免許証）", "「重要」と記載する。", "ショッピング",
            "お客様へ連絡", "キャッシュカード"]
ARABIC = ["التحقق", "من", "الهوية", "ومراجعة", "المستندات", "إرسال", "البطاقة"]
ENGLISH = ["Verify", "the", "customer's", "identity", "documentation", "and/or", "e-mail",
           "onboarding", "CUSTOMER_ONBOARDING_STEP_12"]


# --- widths ----------------------------------------------------------------------------


@needs_dejavu
def test_a_latin_line_is_as_wide_as_dejavu_sans_says() -> None:
    from fontTools.ttLib import TTFont

    face = next(f for f in chain(True) if f.family == "DejaVu Sans")
    font = TTFont(face.path, lazy=True)
    cmap, hmtx, upem = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    word = "Kreditabteilung"
    advances = sum(hmtx[cmap[ord(c)]][0] for c in word) * 13 / upem
    # HarfBuzz adds DejaVu's kerning to the same advances: a pixel or two at most
    assert text_width(word, 13, bold=True) == pytest.approx(advances, abs=2.0)
    assert text_width("iiiiiiii", 12) < text_width("WWWWWWWW", 12) / 2  # no average width
    assert text_width(word, 13, bold=True) > text_width(word, 13)  # bold is wider


@needs_cjk
def test_japanese_characters_are_one_em_wide() -> None:
    assert text_width("申込書を確認する", 12) == pytest.approx(8 * 12)
    # the former estimate gave these 7.5 px each: too narrow by 40 %
    assert text_width("申込書を確認する", 12) > 8 * 7.5 * 1.5


@needs_dejavu
def test_arabic_is_measured_joined_not_letter_by_letter() -> None:
    word = "المستندات"
    joined = text_width(word, 12)
    apart = sum(text_width(c, 12) for c in word)
    assert joined != pytest.approx(apart, abs=0.5)  # shaping gives the joined forms' widths
    assert joined > 0


@needs_cjk
def test_a_line_mixing_japanese_and_latin_is_measured_both_ways() -> None:
    # resvg draws the whole line in the CJK font (it has every character); a browser
    # draws the Latin in DejaVu Sans: the layout reserves the wider of the two
    cjk = next(f for f in chain(False) if f.family == "Noto Sans CJK JP")
    dejavu = chain(False)[0]
    line = "審査部 Credit Review"
    browser = cjk.em("審査部") + dejavu.em(" Credit Review")
    assert text_width(line, 10) == pytest.approx(max(browser, cjk.em(line)) * 10)


def test_without_any_font_the_layout_estimates(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path])
    clear_caches()
    try:
        assert chain(False) == ()
        assert text_width("abcd", 12) == pytest.approx(4 * 12 * fonts.NARROW_EM)
        assert text_width("日本", 12) == pytest.approx(2 * 12)
        assert missing_characters("ab 日") == "ab日"
        assert wrap("Kreditabteilung für Privatkunden", 110, 4, 13, bold=True, language="de")
    finally:
        clear_caches()


@needs_dejavu
def test_missing_characters_names_what_no_font_has(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    assert missing_characters("Kreditabteilung für Privatkunden") == ""
    if "Noto Sans CJK JP" in FAMILIES:
        assert missing_characters("お客様 ไทย ไทย") == "ไทย"  # Thai: in no font of the chain
    for face in chain(False)[:1]:  # DejaVu Sans alone
        shutil.copy(face.path, tmp_path / face.path.name)
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path])
    clear_caches()
    try:
        assert missing_characters("申込書 Ωμέγα Привет שלום") == "申込書"
    finally:
        clear_caches()


# --- line breaks -------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Kreditabteilung für Privatkunden", ["Kreditabteilung ", "für ", "Privatkunden"]),
    ("E-Mail-Adresse prüfen", ["E-", "Mail-", "Adresse ", "prüfen"]),
    ("Seiten 1-2", ["Seiten ", "1-2"]),  # no break before a digit
    ("und/oder", ["und/", "oder"]),
    ("Antrag (Überweisungsträger)", ["Antrag ", "(Überweisungsträger)"]),
    ("ja, nein !", ["ja, ", "nein !"]),  # never before "!", even after a space
    ("„Konto“ prüfen", ["„Konto“ ", "prüfen"]),
    ("التحقق من الهوية", ["التحقق ", "من ", "الهوية"]),
    ("שלום עולם", ["שלום ", "עולם"]),
])
def test_lines_break_between_words(text: str, expected: list[str]) -> None:
    assert list(segments(text)) == expected


def test_japanese_breaks_between_characters_but_keeps_kinsoku() -> None:
    pieces = segments("本人確認書類（運転免許証）を確認する。ショッピング「重要」")
    # no piece starts with closing punctuation, a small kana or the long vowel mark
    assert not [p for p in pieces if p[0] in "）」。、ョッー"]
    # and none ends with an opening bracket
    assert not [p for p in pieces if p[-1] in "（「"]
    assert "".join(pieces) == "本人確認書類（運転免許証）を確認する。ショッピング「重要」"
    assert "ショッ" in pieces and "ピ" in pieces and "ン" in pieces  # small kana stay with the one before
    assert "（運" in pieces and "証）" in pieces


# --- hyphenation -------------------------------------------------------------------------


def _words_of_the_examples() -> list[str]:
    words: set[str] = set()
    for path in example_maps():
        process = procmap.load(path)
        names = [s.name or "" for s in process.steps.values()] + [
            a.name or "" for a in process.actors.values()]
        words.update(w for name in names for w in re.findall(r"[A-Za-z]{5,}", name))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    words.update(re.findall(r"\b[a-z]{7,}\b", readme))
    return sorted(words)


@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_hyphenation_points_are_pyphens(language: str) -> None:
    # one-level dictionaries: the lazy reading finds exactly pyphen's points
    reference = pyphen.Pyphen(lang=language, left=2, right=3)
    words = _words_of_the_examples()
    assert len(words) > 200
    found = dictionary(language)
    assert found is not None
    for word in words:
        assert list(found.points(word).all) == [int(p) for p in reference.positions(word)], word


def test_german_compounds_break_at_their_joints() -> None:
    german = dictionary("de")
    assert german is not None and len(german.levels) == 2
    assert 6 in german.points("Kreditabteilung").joints  # Kredit|abteilung
    assert 12 in german.points("Überweisungsträger").joints  # Überweisungs|träger
    assert german.points("Privatkunden").all == (3, 6, 9)  # Pri-vat-kun-den
    assert dictionary("ja") is None


@needs_dejavu
def test_the_issue_s_lane_and_step_names_break_with_hyphens() -> None:
    lane = wrap("Kreditabteilung für Privatkunden", 110, 4, 13, bold=True, language="de")
    assert lane == ("Kreditabtei-", "lung für", "Privatkunden")
    step = wrap("Antrag prüfen (Überweisungsträger, Kontoauszug)", 124, 4, 12, language="de")
    assert "(Überweisungs-" in step and "träger," in step


# --- wrapping, by its properties ------------------------------------------------------------


def _check_wrapped(text: str, lines: tuple[str, ...], width: float, size: float,
                   language: str) -> None:
    """Read in order the lines give the text back; every break is a Unicode break
    opportunity or a hyphen procmap added (the caller checks that each line fits)."""
    text = " ".join(text.split())
    if lines[-1].endswith(ELLIPSIS):
        return
    allowed = {0}
    for piece in segments(text):
        allowed.add(max(allowed) + len(piece))
    pos = 0
    for i, line in enumerate(lines):
        added = line.endswith(HYPHEN) and not text[pos:].startswith(line)
        core = line[:-1] if added else line
        assert text.startswith(core, pos), (text, lines)
        pos += len(core)
        while pos < len(text) and text[pos] == " ":
            pos += 1
        if i < len(lines) - 1:
            assert added or pos in allowed, f"{lines[i]!r} | {lines[i + 1]!r} breaks a word"
    assert pos == len(text)


WORDS = st.sampled_from(GERMAN + JAPANESE + ARABIC + ENGLISH)


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=9), st.integers(60, 200), st.sampled_from(["de", "en"]))
def test_any_label_wraps_into_lines_that_fit_without_cutting_a_word(
        words: list[str], width: int, language: str) -> None:
    text = " ".join(words)
    lines = wrap(text, width, 20, 12, language=language)
    assert all(text_width(line, 12) <= width + 1e-6 for line in lines), lines
    _check_wrapped(text, lines, width, 12, language)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, min_size=4, max_size=12), st.integers(60, 160))
def test_a_cut_label_ends_in_an_ellipsis_within_its_lines(words: list[str], width: int) -> None:
    text = " ".join(words)
    lines = wrap(text, width, 2, 12, language="de")
    assert 1 <= len(lines) <= 2
    assert all(text_width(line, 12) <= width + 1e-6 for line in lines)
    shown = "".join(lines).replace(" ", "").replace(HYPHEN, "")
    if shown != text.replace(" ", "").replace(HYPHEN, ""):  # not all of it: said so
        assert lines[-1].endswith(ELLIPSIS)
        assert text.replace(" ", "").replace(HYPHEN, "").startswith(shown[:-1])


def test_elide_fits_and_keeps_what_fits() -> None:
    assert elide("ja", 60, 10) == "ja"
    cut = elide("Unterlagen vollständig nachgereicht", 60, 10)
    assert cut.endswith(ELLIPSIS) and text_width(cut, 10) <= 60
    assert "Unterlagen vollständig nachgereicht".startswith(cut[:-1])


@pytest.mark.parametrize("name", [*sorted(LANGUAGE_MAPS), "docs/examples/kreditantrag.yaml"])
def test_language_maps_lay_out_with_every_label_wrapped_inside_its_width(name: str) -> None:
    process = load_input(name)
    lay = layout(process)
    for node in lay.nodes.values():
        text = process.steps[node.id].name or node.id
        for line in node.label_lines:
            assert text_width(line, 12) <= node.label.w + 1e-6, (node.id, line)
        _check_wrapped(text, node.label_lines, node.label.w, 12, process.language or "en")
    for lane in lay.lanes:
        name = process.actors[lane.actor].name or lane.actor
        assert all(text_width(line, 13, bold=True) <= 110 + 1e-6 for line in lane.label_lines)
        _check_wrapped(name, lane.label_lines, 110, 13, process.language or "en")
