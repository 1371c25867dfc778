"""The studio's ASGI app: one `Studio` (what every request needs) and its routes.

Routes live with what they show: the dashboard, previews, live reload and
translators' pages in `pages.py`; the form editor in `editor.py`; the request
guard (Host, Origin, token, paths) in `guard.py`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute

from generator.project import Project
from generator.render.templates import page_environment

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


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

    def environment(self) -> jinja2.Environment:
        """The Jinja environment of the studio's pages (templates/studio/), strict and escaped."""
        return page_environment(self.project.templates_dir)

    def render(self, request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """A studio page: templates/studio/<template>, with the token and the request at hand."""
        page = self.environment().get_template(f"studio/{template}")
        html = page.render(request=request, token=self.token, studio=self, **context)
        return HTMLResponse(html, status_code=status_code)


def create_app(studio: Studio) -> Starlette:
    """The studio's web app for one project."""
    from generator.studio import editor, pages

    routes: list[BaseRoute] = [*pages.routes(studio), *editor.routes(studio)]
    return Starlette(routes=routes)
