"""The plan and worksheet calls content can make: `{{ pacing_plan() }}` and friends.

Each call renders a partial from templates/plans/ with the computed plans. The
HTML is ours (trusted, escaped by the page environment), so render/module.py swaps it
in after sanitising the author's markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup, escape

from generator.errors import ContentError, did_you_mean
from generator.language import Language
from generator.plans.bodymap import AREA_LABELS, body_map_svg, swatch_svg
from generator.plans.compute import Plans
from generator.plans.staircase import staircase_rows_svg, staircase_svg
from generator.profile.model import Profile
from generator.profile.safety import split_call_if
from generator.render.context import template_helpers
from generator.render.templates import template_error

# WeasyPrint does not pass the page's font into inline SVG, so charts name it. Arabic
# needs a font with its shaping tables first: through DejaVu it came out unjoined and reversed.
SVG_FONT = '"Atkinson Hyperlegible", "DejaVu Sans", sans-serif'
SVG_FONT_RTL = '"Noto Sans Arabic", "Atkinson Hyperlegible", sans-serif'
WORKSHEETS = (
    "daily-diary", "pacing-week", "texture-log", "task-record", "sleep-diary",
    "goal-tracker", "appointment-questions",
)
# Line drawings made in the project: templates/drawings/NAME.svg, with the words a reader gets
# instead of the picture (its <title> and aria-label) and its caption in templates/drawings/figure.html.
DRAWINGS = ("desensitisation-strokes", "slow-breathing", "core-exercises", "texture-ladder", "muscle-relaxation")
PLAN_MACROS = (
    "goals_list", "body_map", "pacing_plan", "desensitisation_plan", "graded_task_ladders",
    "sleep_plan", "flare_card", "care_team", "worksheet", "drawing",
)
NAMED_CALLS: dict[str, tuple[str, ...]] = {"worksheet": WORKSHEETS, "drawing": DRAWINGS}


# WeasyPrint lays out SVG text in the wrong order and unjoined once the document has laid out
# right-to-left text (docs/translating.md): in an RTL handbook, words leave the pictures and
# the templates print them as HTML around the SVG. Digits stay: they read the same.
_RTL_TEXT = re.compile(r"<text\b[^>]*>[^<]*[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc][^<]*</text>")
_LEGEND = re.compile(r'<g class="legend">.*?</g>', re.S)


def words_out_of_svg(svg: str) -> str:
    """The SVG without its legend and without text in a right-to-left script."""
    return _RTL_TEXT.sub("", _LEGEND.sub("", svg))


_XML_PROLOGUE = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*", re.S)
_TITLE = re.compile(r"<title>.*?</title>", re.S)
_ARIA_LABEL = re.compile(r'\baria-label="[^"]*"')


def drawing_svg(source: str, alt: str) -> str:
    """A drawing's SVG to inline in a page, its <title> and aria-label set to `alt` (escaped)."""
    text = str(escape(alt))
    svg = _XML_PROLOGUE.sub("", source).strip()
    svg = _TITLE.sub(lambda _: f"<title>{text}</title>", svg, count=1)
    return _ARIA_LABEL.sub(lambda _: f'aria-label="{text}"', svg, count=1)


def make_macros(env: jinja2.Environment, profile: Profile, plans: Plans, language: Language,
                gettext: Callable[[str], str]) -> dict[str, Callable[..., str]]:
    """Bind every plan call to one profile's plans, in the reader's language."""
    helpers = template_helpers(language.formats)
    rtl = language.direction == "rtl"
    svg_font = SVG_FONT_RTL if rtl else SVG_FONT

    labels = {area: gettext(label) for area, label in AREA_LABELS.items()}

    def area_label(area: str) -> str:
        return labels.get(area, area)

    def partial(name: str, **values: Any) -> str:
        try:
            return env.get_template(f"plans/{name}.html").render(
                profile=profile, plans=plans, area_label=area_label, **helpers, **values).strip()
        except jinja2.TemplateError as error:
            raise template_error(error) from None

    def body_map() -> str:
        if not profile.condition.areas:
            return ""
        if profile.edition == "patient":
            title = gettext("Where you feel the pain")
        else:
            title = gettext("Where %(name)s feels the pain") % {"name": profile.preferred_name}
        svg = body_map_svg(profile.condition.areas, labels=labels, front_label=gettext("Front"),
                           back_label=gettext("Back"), title=title, left_label=gettext("Left"),
                           right_label=gettext("Right"), font_family=svg_font)
        if rtl:
            svg = words_out_of_svg(svg)
        legend = [(swatch_svg(f"bodymap-swatch-{i}"), labels.get(area, area))
                  for i, area in enumerate(profile.condition.areas, start=1)]
        return partial("body_map", svg=svg, rtl=rtl, legend=legend)

    def pacing_plan() -> str:
        if plans.pacing is None:
            return ""
        # Each chart twice: the staircase, and rows for a phone's screen (only the website shows those).
        charts = [
            draw(activity, title=gettext("Weekly targets for %(name)s") % {"name": activity.name},
                 week_label=gettext("Week"), unit_label=gettext(activity.unit), font_family=svg_font)
            for activity in plans.pacing.activities
            for draw in (staircase_svg, staircase_rows_svg)
        ]
        if rtl:
            charts = [words_out_of_svg(chart) for chart in charts]
        charts = [wide + "\n" + narrow for wide, narrow in zip(charts[::2], charts[1::2], strict=True)]
        return partial("pacing", charts=charts, rtl=rtl)

    def worksheet(name: str) -> str:
        if name not in WORKSHEETS:  # a content mistake: render_module places it on the line of the call
            raise ContentError(f"unknown worksheet '{name}':"
                               + (did_you_mean(name, WORKSHEETS) or f" expected one of {', '.join(WORKSHEETS)}"))
        return partial(f"worksheets/{name}")

    def drawing(name: str) -> str:
        if name not in DRAWINGS:
            raise ContentError(f"unknown drawing '{name}':"
                               + (did_you_mean(name, DRAWINGS) or f" expected one of {', '.join(DRAWINGS)}"))
        try:
            source = env.loader.get_source(env, f"drawings/{name}.svg")[0] if env.loader else ""

            def inline(alt: str) -> Markup:
                svg = drawing_svg(source, alt)
                return Markup(words_out_of_svg(svg) if rtl else svg)

            return env.get_template("drawings/figure.html").render(name=name, inline=inline).strip()
        except jinja2.TemplateError as error:
            raise template_error(error) from None

    def simple(name: str, needed: bool) -> Callable[[], str]:
        return lambda: partial(name) if needed else ""

    return {
        "goals_list": simple("goals", bool(plans.goals)),
        "body_map": body_map,
        "pacing_plan": pacing_plan,
        "desensitisation_plan": simple("desensitisation", plans.desensitisation is not None),
        "graded_task_ladders": simple("tasks", bool(plans.tasks)),
        "sleep_plan": simple("sleep", plans.sleep is not None),
        "flare_card": lambda: partial("flare_card", call_if=split_call_if(  # (clinic items, emergency items)
            profile.flare_plan.call_if if profile.flare_plan else (),
            getattr(env.globals.get("services"), "emergency", None),
            getattr(env.globals.get("services"), "recognised", ()))),
        "care_team": simple("care_team", True),
        "worksheet": worksheet,
        "drawing": drawing,
    }
