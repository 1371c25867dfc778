"""Profile + library + plans -> one Handbook: chapters of rendered modules.

Everything a writer needs is computed here once, so the website and the
printed book are two views of the same data.
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
from dataclasses import dataclass
from typing import Any

import jinja2
from babel.messages.catalog import Catalog

from generator.content.conditions import ConditionError
from generator.content.library import Library, Module
from generator.errors import Diagnostic, InputError
from generator.language import Formats
from generator.render.macros import make_macros
from generator.profile.model import Profile
from generator.plans.compute import Plans, make_plans
from generator.render.module import RenderedModule, RenderError, TrustedHTML, escape_value, render_module
from generator.content.select import select_modules
from generator.i18n.translator import ContentTranslator, ModuleStatus
from generator.content.view import profile_namespace, wrap


@dataclass(frozen=True)
class ChapterPage:
    number: int
    topic_id: str
    title: str
    filename: str
    modules: tuple[RenderedModule, ...]
    fallbacks: frozenset[str] = frozenset()  # ids of modules shown in the source language


@dataclass(frozen=True)
class Handbook:
    profile: Profile
    plans: Plans
    chapters: tuple[ChapterPage, ...]
    today: dt.date
    formats: Formats
    title: str
    has_pdf: bool
    fallbacks: tuple[ModuleStatus, ...] = ()  # modules not fully translated, so shown in English

    @property
    def start_date(self) -> dt.date:
        return self.plans.start

    @property
    def direction(self) -> str:
        return self.formats.direction

    @property
    def paper_css(self) -> str:
        return "letter" if self.profile.print.paper == "Letter" else "A4"

    @property
    def css_classes(self) -> str:
        classes = [f"edition-{self.profile.edition}", f"paper-{self.profile.print.paper.lower()}"]
        if self.profile.print.large_print:
            classes.append("large-print")
        if self.profile.print.duplex:
            classes.append("duplex")
        return " ".join(classes)

    @property
    def caregiver_names(self) -> str:
        return ", ".join(c.name for c in self.profile.caregivers)

    @property
    def language_name(self) -> str:
        """The reader's language named in itself ("español"), for the untranslated-module notice."""
        from generator.i18n.catalogs import language_name

        return language_name(self.profile.language)

    @property
    def urgent_title(self) -> str:
        for chapter in self.chapters:
            if chapter.topic_id == "urgent-help":
                return chapter.title
        return ""


def template_helpers(formats: Formats) -> dict[str, Any]:
    return {
        "format_date": formats.date,
        "format_short_date": formats.short_date,
        "format_weekday": formats.weekday,
        "format_time": formats.time,
        "format_duration": formats.duration,
        "format_number": formats.number,
        "format_number_list": formats.number_list,
    }


def content_context(profile: Profile) -> dict[str, Any]:
    """What a module body can name: the profile view, `reader`, and `clinic` with a safe phone."""
    names = profile_namespace(profile)
    first_caregiver = profile.caregivers[0].name if profile.caregivers else ""
    clinic = profile.clinic
    # A phone number is read left to right even inside Arabic text; <bdi> keeps the
    # bidi algorithm from reordering its digit groups.
    phone = TrustedHTML(f'<bdi dir="ltr">{escape_value(clinic.phone)}</bdi>') if clinic.phone else ""
    names.update(
        profile=wrap(profile),
        reader={"name": profile.preferred_name, "caregiver": first_caregiver},
        clinic={"name": clinic.name or "", "phone": phone, "clinician": clinic.clinician or "",
                "next_review": clinic.next_review or ""},
    )
    return names


def compose_handbook(profile: Profile, library: Library, env: jinja2.Environment,
                     translations: gettext_module.NullTranslations, today: dt.date, has_pdf: bool,
                     content: Catalog | None = None) -> Handbook:
    """Select, plan and render one profile's handbook; InputError names the module at fault.

    `content` is the content catalogue of the profile's language: a module it does not
    translate completely is shown whole in English (listed in `Handbook.fallbacks`).
    """
    try:
        outline = select_modules(profile, library)
    except ConditionError as error:
        raise InputError(f"a content condition failed for {profile.source}: {error}") from None
    plans = make_plans(profile, today)
    formats = Formats(profile.language)
    helpers = template_helpers(formats)
    gettext = translations.gettext
    macros = make_macros(env, profile, plans, helpers, gettext)
    context = content_context(profile)
    translator = ContentTranslator(profile.language, content)

    def render(module: Module) -> RenderedModule:
        shown = translator.module(module)
        try:
            return render_module(shown, profile.edition, context, macros)
        except RenderError as error:
            if shown is module:
                raise
            return render_module(translator.fall_back(module, str(error)), profile.edition, context, macros)

    chapters = []
    for number, chapter in enumerate(outline.chapters, start=1):
        try:
            rendered = tuple(render(m) for m in chapter.modules)
        except RenderError as error:
            raise InputError(
                f"module '{error.module.id}' cannot be rendered for {profile.source}",
                [Diagnostic(error.module.path, error.line, None, "", str(error))],
            ) from None
        chapters.append(ChapterPage(number, chapter.topic.id, translator.topic_title(chapter.topic),
                                    f"{chapter.topic.id}.html", rendered,
                                    frozenset(m.id for m in chapter.modules if m.id in translator.fallbacks)))
    if profile.edition == "caregiver":
        title = gettext("Helping %(name)s at home") % {"name": profile.preferred_name}
    else:
        title = gettext("%(name)s's handbook") % {"name": profile.preferred_name}
    return Handbook(profile, plans, tuple(chapters), today, formats, title, has_pdf,
                    tuple(translator.fallbacks.values()))
