"""The studio's state: one `Studio`, what every request needs, which every route module imports.

Routes live with what they show: the dashboard, previews, live reload and
translators' pages in `pages.py`; the form editor in `editor.py`; the request
guard (Host, Origin, token, security headers) in `guard.py`; `asgi.create_app`
puts them together (apart from here, so no route module imports itself back).
What the studio knows of the project's files (profiles checked, previews
rendered, their caches) is in `workspace.py`; the file watcher and its
server-sent events in `live.py`.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from gettext import NullTranslations
from typing import Any

import jinja2
from babel.support import Translations
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from generator.i18n.catalogs import ui_translations
from generator.language import Language
from generator.project import Project
from generator.render.templates import page_environment
from generator.studio.live import Changes
from generator.studio.workspace import Workspace

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine only (127.0.0.0/8, ::1, localhost): nobody else can connect."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Studio:
    """What every request of one `handbook serve` needs: the project, where it is served, its token."""

    project: Project
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    # Sent in every form and with every state-changing request (guard.py): another site's page
    # cannot read it, so it cannot make the studio change a file.
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    ui_language: str = "en"
    watch: bool = True  # watch the project's files and push changes to open pages (off in some tests)
    workspace: Workspace = field(init=False)
    changes: Changes = field(init=False, default_factory=Changes)
    _environment: jinja2.Environment | None = field(init=False, default=None, repr=False)
    _environment_translations: NullTranslations | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.workspace = Workspace(self.project)

    def translations(self) -> NullTranslations:
        """The studio's interface strings in its `--language`, from the project's interface catalogues."""
        return ui_translations(self.project, Language.of(self.ui_language))

    def gettext(self, message: str, **values: object) -> str:
        """A message of studio code (an error page, a refusal) in the studio's `--language`.

        Written `studio.gettext("...")` so `handbook i18n extract` finds it; %(name)s filled from `values`.
        """
        text = str(self.translations().gettext(message))
        return text % values if values else text

    @property
    def direction(self) -> str:
        """rtl or ltr: the direction of the studio's interface language (Arabic: rtl), for its pages' `dir`."""
        return Language.of(self.ui_language).direction

    def environment(self, translations: NullTranslations | None = None) -> jinja2.Environment:
        """The Jinja environment of the studio's pages (templates/studio/), strict, escaped, translated.

        Made again only when the interface catalogue changed on disk (ui_translations is cached by
        its size and time), so a translator sees the studio's own words change; Jinja reloads an
        edited template by itself. Other `translations` make a new one.
        """
        if translations is not None:
            return self._studio_filters(page_environment(self.project.templates_dir, translations))
        current = self.translations()
        previous = self._environment_translations
        # No catalogue (English): a new, empty NullTranslations each time, all alike.
        unchanged = current is previous or (previous is not None and not isinstance(current, Translations)
                                            and not isinstance(previous, Translations))
        if self._environment is None or not unchanged:
            self._environment = self._studio_filters(page_environment(self.project.templates_dir, current))
            self._environment_translations = current
        return self._environment

    def _studio_filters(self, env: jinja2.Environment) -> jinja2.Environment:
        env.filters["shown"] = self.shown
        env.filters["language_name"] = lambda tag: Language.of(str(tag)).name
        env.filters["english"] = self.english
        return env

    def english(self, text: object) -> Markup:
        """Words of the checks (validate, i18n status), which speak English only, on a page in another
        language: marked lang="en" and isolated left to right, so a screen reader says them as English
        and an Arabic page does not reorder them ("?'edition" for "'edition'?")."""
        shown = escape(self.shown(text))
        if Language.of(self.ui_language).base == "en":
            return shown
        return Markup('<bdi lang="en" dir="ltr">%s</bdi>') % shown

    def shown(self, text: object) -> str:
        """A path or message without the project's folder: profiles/ana.yaml, not /home/.../profiles/ana.yaml."""
        return str(text).replace(f"{self.project.root}/", "")

    def render(self, request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """A studio page: templates/studio/<template>, with the token and the request at hand."""
        page = self.environment().get_template(f"studio/{template}")
        html = page.render(request=request, token=self.token, studio=self, **context)
        return HTMLResponse(html, status_code=status_code)

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """The Host headers a request may carry: the address served (both loopback names on loopback)."""
        names = set(LOOPBACK_NAMES) if is_loopback(self.host) and ":" not in self.host else set()
        names.add(f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host)
        hosts = {f"{name.lower()}:{self.port}" for name in names}
        if self.port == 80:
            hosts |= {name.lower() for name in names}
        return frozenset(hosts)

    @property
    def origins(self) -> frozenset[str]:
        """The origins the studio's own pages have: the only ones whose requests may change anything."""
        return frozenset(f"http://{host}" for host in self.allowed_hosts)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host
        return f"http://{host}:{self.port}/"
