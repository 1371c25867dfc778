"""Dashboard, live preview, print preview, live reload and translators' pages."""

from __future__ import annotations

from starlette.routing import BaseRoute

from generator.studio.app import Studio


def routes(studio: Studio) -> list[BaseRoute]:
    return []
