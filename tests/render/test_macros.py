"""Plan calls: the names content may use, and right-to-left pictures."""

from __future__ import annotations

import datetime as dt
import gettext

import pytest

from helpers import REPO

from generator.errors import ContentError
from generator.language import Language
from generator.plans.compute import make_plans
from generator.profile.model import Profile
from generator.render.macros import DRAWINGS, PLAN_MACROS, drawing_svg, make_macros, words_out_of_svg
from generator.render.templates import page_environment


def test_the_checker_knows_exactly_the_calls_a_build_provides() -> None:
    profile = Profile(handbook=1, id="a", preferred_name="A", language="en")
    macros = make_macros(page_environment(REPO / "templates"), profile, make_plans(profile, dt.date(2026, 1, 5)),
                         Language.of("en"), gettext.NullTranslations().gettext)
    assert set(macros) == set(PLAN_MACROS)


def test_right_to_left_words_and_the_legend_leave_the_picture_digits_stay() -> None:
    svg = ('<svg><text class="unit">دقيقة</text><text class="target">17</text>'
           '<g class="legend"><rect/><text>الصدر</text></g></svg>')
    assert words_out_of_svg(svg) == '<svg><text class="target">17</text></svg>'


def _macros(language: str = "en"):
    profile = Profile(handbook=1, id="a", preferred_name="A", language=language)
    return make_macros(page_environment(REPO / "templates"), profile, make_plans(profile, dt.date(2026, 1, 5)),
                       Language.of(language), gettext.NullTranslations().gettext)


def test_every_drawing_is_valid_svg_with_a_title_and_alt_text() -> None:
    from xml.etree import ElementTree

    for name in DRAWINGS:
        root = ElementTree.parse(REPO / "templates" / "drawings" / f"{name}.svg").getroot()
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and len(title.text or "") > 40, name
        assert root.get("role") == "img" and root.get("aria-label") == title.text, name
        words = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert all(w.strip().isdigit() for w in words), name  # no words in the picture (right-to-left pages)


def test_a_drawing_call_inlines_the_svg_with_its_alt_text_and_caption() -> None:
    from xml.etree import ElementTree

    for name in DRAWINGS:
        html = _macros()["drawing"](name)
        assert html.startswith(f'<figure class="drawing drawing-{name}">') and "<figcaption>" in html
        svg = html[html.index("<svg"):html.index("</svg>") + 6]
        root = ElementTree.fromstring(svg)
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and root.get("aria-label") == title.text and root.get("role") == "img"
        assert "{{" not in html and "_(" not in html


def test_an_unknown_drawing_is_a_content_error_with_a_suggestion() -> None:
    with pytest.raises(ContentError, match="unknown drawing 'slow-breething': did you mean 'slow-breathing'"):
        _macros()["drawing"]("slow-breething")


def test_a_drawing_alt_text_is_escaped() -> None:
    svg = drawing_svg('<svg aria-label="x"><title>x</title></svg>', 'A "b" <c>')
    assert svg == '<svg aria-label="A &#34;b&#34; &lt;c&gt;"><title>A &#34;b&#34; &lt;c&gt;</title></svg>'
