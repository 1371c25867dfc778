"""The chapter every handbook ends with: "About this handbook".

It tells the reader (and anyone who audits a printed copy) what the handbook is
based on (the bibliography entries its modules cite), when its content was last
reviewed and by whom, who prepared it, which version of this program made it, how
to report a problem, and that it does not replace the care team's advice. It is
made from the handbook's own data by a page template (`templates/_about.html`,
interface strings in messages.po), so no profile can leave it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import jinja2

from generator import __version__
from generator.content.library import ABOUT_TOPIC
from generator.content.select import Outline
from generator.language import Language
from generator.profile.model import Profile
from generator.render.context import template_helpers
from generator.render.handbook import ChapterPage
from generator.render.module import RenderedModule
from generator.render.templates import template_error

ABOUT_TEMPLATE = "_about.html"


def about_chapter(number: int, profile: Profile, outline: Outline, language: Language, env: jinja2.Environment,
                  gettext: Callable[[str], str], today: dt.date) -> ChapterPage:
    """The closing chapter, numbered `number`, for the modules `outline` selected."""
    modules = outline.modules
    title = gettext("About this handbook")
    try:
        html = env.get_template(ABOUT_TEMPLATE).render(
            profile=profile,
            sources=outline.sources,
            last_reviewed=max((m.reviewed for m in modules), default=None),
            reviewers=tuple(dict.fromkeys(m.reviewed_by for m in modules)),
            version=__version__,
            today=today,
            **template_helpers(language.formats),
        ).strip()
    except jinja2.TemplateError as error:
        raise template_error(error) from None
    module = RenderedModule(ABOUT_TOPIC, title, ABOUT_TOPIC, html)
    return ChapterPage(number, ABOUT_TOPIC, title, f"{ABOUT_TOPIC}.html", (module,))
