"""The Jinja environment for page templates (templates/): trusted, strict, escaped.

Page templates belong to the project (a clinic's branding), so they are not
sandboxed like content; they are strict (a typo in a name fails the build,
as in cookiecutter) and autoescape everything from the profile.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import jinja2

from .project import template_search_path


def page_environment(templates_dir: Path, translations: gettext.NullTranslations | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_search_path(templates_dir)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations or gettext.NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
    return env
