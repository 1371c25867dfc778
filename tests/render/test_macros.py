"""Plan calls: the names content may use, and right-to-left pictures."""

from __future__ import annotations

import datetime as dt
import gettext

from helpers import REPO

from generator.language import Language
from generator.plans.compute import make_plans
from generator.profile.model import Profile
from generator.render.macros import PLAN_MACROS, make_macros, words_out_of_svg
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
