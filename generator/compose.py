"""One handbook: plan, translate and render the modules selected for a profile into a `Handbook`.

Every handbook ends with "About this handbook" (render/about.py), made after its modules.

The spine for a single profile, as `build.py` is for many: it reads top to bottom as
the stages run, and returns frozen data that the writers only read.
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
from collections.abc import Callable
from typing import Any

import jinja2
from babel.messages.catalog import Catalog

from generator.content.conditions import ConditionError
from generator.content.library import Module
from generator.content.select import Outline
from generator.content.services import NO_SERVICES, LocalServices
from generator.content.view import profile_namespace
from generator.i18n.translator import ContentTranslator
from generator.language import Language
from generator.plans.compute import Plans, make_plans
from generator.profile.model import Profile
from generator.render.about import about_chapter
from generator.render.context import content_context
from generator.render.handbook import ChapterPage, Handbook
from generator.render.macros import make_macros
from generator.render.module import RenderedModule, RenderError, render_module


def bind_profile(profile: Profile, language: Language, env: jinja2.Environment, gettext: Callable[[str], str],
                 today: dt.date, services: LocalServices = NO_SERVICES
                 ) -> tuple[Plans, dict[str, Any], dict[str, Callable[..., str]]]:
    """A profile's plans and what its module bodies can name: its values, and plan calls bound to those plans.

    `services` are the local emergency and crisis numbers (`Outline.services`): bodies name
    them as `services`, and so do the page and plan templates of `env`, whose `services`
    global is set here, before the handbook's templates are loaded. The quality gates' sample
    reader binds its made-up profile the same way, so modules are checked as a build renders them.
    """
    env.globals["services"] = services
    plans = make_plans(profile, today)
    macros = make_macros(env, profile, plans, language, gettext)
    return plans, content_context(profile, services), macros


def compose_handbook(profile: Profile, language: Language, outline: Outline, env: jinja2.Environment,
                     translations: gettext_module.NullTranslations, today: dt.date, has_pdf: bool,
                     content: Catalog | None = None) -> Handbook:
    """Plan, translate and render the modules `outline` selected; InputError names the module at fault.

    `language` is the profile's, resolved once by the caller. `content` is its content
    catalogue: a module it does not
    translate completely is shown whole in English (listed in `Handbook.fallbacks`).
    """
    gettext = translations.gettext
    plans, context, macros = bind_profile(profile, language, env, gettext, today, outline.services)
    translator = ContentTranslator(language, content, language.address_variant(profile.reader_gender))

    def render(module: Module) -> RenderedModule:
        shown = translator.module(module)
        try:
            return render_module(shown, profile.edition, context, macros)
        except RenderError as error:
            if shown is module:
                raise
            return render_module(translator.fall_back(module, str(error)), profile.edition, context, macros)

    names = profile_namespace(profile)  # for the key points' `when`
    chapters = []
    for number, chapter in enumerate(outline.chapters, start=1):
        try:
            rendered = tuple(render(m) for m in chapter.modules)
        except RenderError as error:
            raise error.as_input_error(profile.source) from None
        try:
            key_points, in_english = translator.key_points(chapter.topic, profile.edition, names)
        except ConditionError as error:
            raise error.as_input_error(profile.source) from None
        chapters.append(ChapterPage(number, chapter.topic.id, translator.topic_title(chapter.topic),
                                    f"{chapter.topic.id}.html", rendered,
                                    frozenset(m.id for m in chapter.modules if m.id in translator.fallbacks),
                                    key_points, in_english))
    chapters.append(about_chapter(len(chapters) + 1, profile, outline, language, env, gettext, today))
    if profile.edition == "caregiver":
        title = gettext("Helping %(name)s at home") % {"name": profile.preferred_name}
    else:
        title = gettext("%(name)s's handbook") % {"name": profile.preferred_name}
    return Handbook(profile, plans, tuple(chapters), today, language, title, has_pdf,
                    tuple(translator.fallbacks.values()))
