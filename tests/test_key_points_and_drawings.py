"""Whole pipeline: every chapter opens with its key points, and the line drawings reach the pages."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import REPO
from pdfutil import pdf_text

from generator.content.library import load_library
from generator.i18n.catalogs import content_catalog, read_catalog
from generator.i18n.translator import translate_key_points
from generator.content.view import profile_namespace
from generator.language import Language
from generator.profile.load import load_profile
from generator.render.macros import DRAWINGS

LIBRARY = load_library(REPO / "content")
TOPICS = {t.id: t for t in LIBRARY.topics}


def _chapter_pages(folder: Path) -> list[Path]:
    return [p for p in folder.glob("*.html") if p.stem in TOPICS]


def test_every_chapter_page_opens_with_its_key_points(samples_out: Path) -> None:
    for folder in (samples_out / "jo-hand-injury", samples_out / "sam-after-surgery", samples_out / "maria-diabetic-feet"):
        pages = _chapter_pages(folder)
        assert pages
        for page in pages:
            html = page.read_text()
            after_title = html[html.index("</h1>"):]
            assert re.match(r'</h1>\s*<aside class="key-points" aria-labelledby="key-points-', after_title), page
            box = after_title[:after_title.index("</aside>")]
            points = re.findall(r"<li>(.*?)</li>", box)
            assert 1 <= len(points) <= 3, page
            assert "Key points" in box


def test_the_caregiver_edition_gets_the_helpers_key_points(samples_out: Path) -> None:
    editions = {}
    for folder in samples_out.iterdir():
        index = folder / "index.html"
        if index.is_file() and 'lang="en"' in index.read_text():
            editions[folder] = "caregiver" if "edition-caregiver" in index.read_text() else "patient"
    assert "caregiver" in editions.values() and "patient" in editions.values()
    for folder, edition in editions.items():
        html = (folder / "pacing.html").read_text() if (folder / "pacing.html").exists() else ""
        for point in TOPICS["pacing"].key_points_for(edition):
            assert point.text.replace("'", "&#39;") in html, (folder, point.text)


def test_the_pdf_chapters_open_with_key_points(samples_out: Path) -> None:
    text = pdf_text(samples_out / "jo-hand-injury" / "handbook.pdf")
    assert text.count("Key points") >= len(_chapter_pages(samples_out / "jo-hand-injury"))
    assert TOPICS["urgent-help"].key_points[0].text in text


ANA = profile_namespace(load_profile(REPO / "profiles" / "ana-lopez.yaml"))  # the points for her


def test_the_spanish_sample_has_spanish_key_points(project, samples_out: Path) -> None:
    catalog = content_catalog(project, Language.of("es"))
    folder = samples_out / "ana-lopez"
    pages = _chapter_pages(folder)
    assert pages
    for page in pages:
        html = page.read_text()
        assert "Lo más importante" in html
        box = html[html.index('<aside class="key-points"'):html.index("</aside>")]
        assert 'lang="en"' not in box
        edition = "caregiver" if "edition-caregiver" in html else "patient"
        translated = translate_key_points(TOPICS[page.stem], edition, catalog, names=ANA)
        assert translated is not None, page
        for point in translated:
            assert point in box, (page, point)


def test_the_arabic_sample_translates_the_key_points_of_its_translated_chapters(project) -> None:
    catalog = content_catalog(project, Language.of("ar"))
    for topic in ("urgent-help", "pacing", "flare-up"):
        for edition in ("patient", "caregiver"):
            assert translate_key_points(TOPICS[topic], edition, catalog) is not None, (topic, edition)


def test_the_drawings_reach_their_modules(samples_out: Path) -> None:
    where = {"desensitisation-strokes": "desensitisation", "slow-breathing": "mind-body",
             "core-exercises": "exercise", "texture-ladder": "desensitisation",
             "muscle-relaxation": "mind-body"}
    assert set(where) == set(DRAWINGS)
    html = (samples_out / "jo-hand-injury" / "print.html").read_text()
    for name, page in where.items():
        chapter = (samples_out / "jo-hand-injury" / f"{page}.html").read_text()
        assert f'<figure class="drawing drawing-{name}">' in chapter, name
        figure = chapter[chapter.index(f"drawing-{name}"):]
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in figure and 'role="img"' in figure
        assert f"drawing-{name}" in html


def test_the_new_drawings_sit_where_their_text_explains_them(samples_out: Path) -> None:
    folder = samples_out / "jo-hand-injury"
    desensitisation = (folder / "desensitisation.html").read_text()
    ladder = desensitisation.index("drawing-texture-ladder")
    assert desensitisation.index("A texture ladder is a list of materials") < ladder
    assert ladder < desensitisation.index("How to do a session")
    mind_body = (folder / "mind-body.html").read_text()
    relax = mind_body.index("drawing-muscle-relaxation")
    assert mind_body.index("Let your muscles go") < relax < mind_body.index("Mindfulness")
    assert "Tighten for a few seconds, then let go. Skip any sore area." in mind_body
    assert "silk, cotton wool, a towel, corduroy, Velcro" in desensitisation


def test_the_spanish_sample_captions_and_describes_the_new_drawings(samples_out: Path) -> None:
    folder = samples_out / "ana-lopez"
    expected = {
        "texture-ladder": ("desensitisation", "De lo suave a lo áspero", "Cinco cuadrados de material en fila"),
        "muscle-relaxation": ("mind-body", "Apriete unos segundos y luego suelte", "Dos dibujos de una persona sentada"),
    }
    for name, (page, caption, alt) in expected.items():
        html = (folder / f"{page}.html").read_text()
        figure = html[html.index(f'<figure class="drawing drawing-{name}">'):]
        figure = figure[:figure.index("</figure>")]
        assert f'aria-label="{alt}' in figure and f"<title>{alt}" in figure, name
        assert "<figcaption>" + caption in figure, name
        assert "Five squares" not in figure and "Two drawings" not in figure and "Tighten" not in figure, name


def test_right_to_left_drawings_hold_no_words(samples_out: Path) -> None:
    html = (samples_out / "layla-haddad" / "mind-body.html")
    if not html.exists():
        return
    text = html.read_text()
    if "drawing-slow-breathing" not in text:
        return
    svg = text[text.index("<svg", text.index("drawing-slow-breathing")):]
    svg = svg[:svg.index("</svg>")]
    assert all(t.strip().isdigit() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_the_interface_catalogues_translate_the_new_words() -> None:
    for language in ("es", "ar"):
        catalog = read_catalog(REPO / "templates" / "locale" / language / "LC_MESSAGES" / "messages.po")
        message = catalog.get("Key points")
        assert message is not None and message.string and not message.fuzzy


def test_every_drawing_caption_and_alt_text_is_translated() -> None:
    for language in ("es", "ar"):
        catalog = read_catalog(REPO / "templates" / "locale" / language / "LC_MESSAGES" / "messages.po")
        drawing_messages = [m for m in catalog if m.id and not m.context  # not the optional gender variants
                            and any(f == "templates/drawings/figure.html" for f, _ in m.locations)]
        assert len(drawing_messages) == 2 * len(DRAWINGS), language  # an alt text and a caption each
        for message in drawing_messages:
            assert message.string and not message.fuzzy, (language, message.id)
