"""The sample reader: a made-up patient for whom any module can be rendered.

Modules are checked and shown to clinicians without a real profile, so the
bundled sample profile stands in, bound in every edition by the same
`compose.bind_profile` a build uses for a real one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gettext as gettext_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.compose import bind_profile
from generator.content.library import Module
from generator.content.sandbox import content_environment
from generator.content.services import LocalServices
from generator.language import Language
from generator.profile.load import load_profile
from generator.profile.model import EDITIONS, Profile, ServiceLine
from generator.project import BUNDLED_ROOT
from generator.render.macros import PLAN_MACROS
from generator.render.module import RenderedModule, render_module
from generator.render.templates import page_environment

SAMPLE_PROFILE = BUNDLED_ROOT / "templates" / "library" / "sample-profile.yaml"

Macros = dict[str, Callable[..., str]]


def allowed_names(context: Mapping[str, Any]) -> frozenset[str]:
    """Every name a module body may use: profile values, plan calls and Jinja's own globals."""
    return frozenset(context) | frozenset(PLAN_MACROS) | frozenset(content_environment().globals)


# A made-up country with every line a real one can have, so the gates also render what a
# handbook prints when its country is known (the sample profile itself has no country, and
# `{% if services.crisis %}` branches would otherwise never be rendered or checked).
SAMPLE_SERVICES = LocalServices(country="ZZ", emergency="0100", non_urgent=ServiceLine("Health advice line", "0200"),
                                crisis=ServiceLine("Crisis line", "0300"))


@dataclass(frozen=True)
class SampleReader:
    """A made-up patient whose handbook shows every plan: modules render as they would for them."""

    profile: Profile
    contexts: Mapping[str, tuple[dict[str, Any], Macros]]  # per edition, country unknown
    known_country: Mapping[str, tuple[dict[str, Any], Macros]] = dataclasses.field(default_factory=dict)

    def render(self, module: Module, edition: str) -> RenderedModule:
        """Raises RenderError like a real build would."""
        context, macros = self.contexts[edition]
        return render_module(module, edition, context, macros)

    def render_each(self, module: Module, edition: str) -> tuple[RenderedModule, ...]:
        """The module as printed for an unknown country and for a known one; RenderError as a build."""
        rendered = [self.render(module, edition)]
        if edition in self.known_country:
            context, macros = self.known_country[edition]
            rendered.append(render_module(module, edition, context, macros))
        return tuple(rendered)

    @property
    def names(self) -> frozenset[str]:
        return allowed_names(self.contexts[EDITIONS[0]][0])


def sample_reader(templates_dir: Path, profile: Profile | None = None,
                  today: dt.date | None = None) -> SampleReader:
    """The bundled sample profile (or `profile`), bound to the plans templates, in both editions."""
    base = profile or load_profile(SAMPLE_PROFILE)
    env = page_environment(templates_dir)
    translations = gettext_module.NullTranslations()
    contexts: dict[str, tuple[dict[str, Any], Macros]] = {}
    known: dict[str, tuple[dict[str, Any], Macros]] = {}
    language = Language.of(base.language)
    for edition in EDITIONS:
        _plans, context, macros = bind_profile(dataclasses.replace(base, edition=edition), language, env,
                                               translations.gettext, today or dt.date.today())
        contexts[edition] = (context, macros)
        # Its own environment: binding sets the page templates' `services` (the flare card's numbers).
        _plans, context, macros = bind_profile(dataclasses.replace(base, edition=edition), language,
                                               page_environment(templates_dir), translations.gettext,
                                               today or dt.date.today(), SAMPLE_SERVICES)
        known[edition] = (context, macros)
    return SampleReader(base, contexts, known)
