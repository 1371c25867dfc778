"""The Spanish and Arabic sample handbooks, read back from what the build produced."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import REPO, TODAY
from pdfutil import pdf_text

from generator.build import BuildOptions, build
from generator.content.library import load_library
from generator.i18n.catalogs import content_catalog
from generator.language import Language
from generator.quality.translated import check_translations


def test_spanish_handbook_is_wholly_spanish(samples_out: Path) -> None:
    folder = samples_out / "ana-lopez"
    index = (folder / "index.html").read_text()
    assert '<html lang="es" dir="ltr"' in index
    assert "translation-notice" not in "".join(p.read_text() for p in folder.glob("*.html"))
    text = pdf_text(folder / "handbook.pdf")
    assert "Cuándo pedir ayuda urgente" in text
    assert "7 de diciembre de 2026" in text  # start_date, formatted by Babel for Spanish


def test_spanish_build_passes_strict(project, tmp_path: Path) -> None:
    options = BuildOptions(output_dir=tmp_path, formats=frozenset({"html"}), today=TODAY, strict=True)
    report = build(project, [REPO / "profiles" / "ana-lopez.yaml"], options)
    assert report.exit_code == 0, report.failed


def test_every_spanish_module_reads_fairly_easily(project) -> None:
    library = load_library(project.content_dir)
    report = check_translations(library, content_catalog(project, Language.of("es")), Language.of("es"))
    assert report.untranslated == ()
    assert report.readings and report.passed, [(r.module_id, r.edition, r.ease) for r in report.failures]


def test_arabic_handbook_is_right_to_left(samples_out: Path) -> None:
    folder = samples_out / "layla-haddad"
    assert '<html lang="ar" dir="rtl"' in (folder / "index.html").read_text()
    urgent = (folder / "urgent-help.html").read_text()
    assert "translation-notice" not in urgent  # translated into Arabic
    pacing = (folder / "pacing.html").read_text()
    assert "translation-notice" not in pacing
    for page in folder.glob("*.html"):  # the whole library is translated: no module falls back to English
        text = page.read_text()
        assert "translation-notice" not in text, page.name
        assert '<section class="module" id="how-nerve-pain-works" lang="en"' not in text


def test_arabic_pdf_text_comes_out_in_reading_order(samples_out: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    pdf = samples_out / "layla-haddad" / "handbook.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # The chapter title, a phone number and the pacing numbers, each read in logical order.
    assert "+961 1 555 010" in text
    walking = text[text.index("المشي"):]
    assert re.search(r"\b9\b.*\b10\b.*\b11\b", walking, re.S)


def test_arabic_pdf_uses_an_arabic_font(samples_out: Path) -> None:
    from pdfutil import font_names

    assert any("Arabic" in name for name in font_names(samples_out / "layla-haddad" / "handbook.pdf"))


def test_arabic_words_stay_out_of_svg_pictures(samples_out: Path) -> None:
    # WeasyPrint draws SVG text unjoined and reversed after right-to-left text, so in an RTL
    # handbook the labels are HTML around the pictures (docs/translating.md).
    about = (samples_out / "layla-haddad" / "about-you.html").read_text()
    svg = about[about.index("<svg"):about.index("</svg>")]
    assert not re.search(r"<text[^>]*>[^<]*[\u0600-\u06ff]", svg)
    assert 'class="body-map-legend"' in about and "الصدر" in about[about.index("body-map-legend"):]
    pacing = (samples_out / "layla-haddad" / "pacing.html").read_text()
    assert '<p class="chart-axis">' in pacing


def test_numbers_lists_follow_the_language(samples_out: Path) -> None:
    assert "12 و15 و9 و14 و10" in (samples_out / "layla-haddad" / "pacing.html").read_text()
    assert "12, 15, 9, 14 y 10" in (samples_out / "ana-lopez" / "pacing.html").read_text()
