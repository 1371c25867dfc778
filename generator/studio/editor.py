"""The form editor: a profile as a form generated from the profile format, saved round-trip."""

from __future__ import annotations

from starlette.routing import BaseRoute

from generator.studio.app import Studio


def routes(studio: Studio) -> list[BaseRoute]:
    return []
