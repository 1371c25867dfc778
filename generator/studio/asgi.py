"""The studio's web app: its routes, its guard and its lifespan (the file watcher), for one `Studio`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from generator.studio import editor, pages
from generator.studio.app import Studio
from generator.studio.guard import StudioGuard
from generator.studio.live import watch_project


def create_app(studio: Studio) -> Starlette:
    """The studio's web app for one project."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch_project(studio.project, studio.changes, stop)) if studio.watch else None
        try:
            yield
        finally:
            studio.changes.close()  # open event streams end, so the server stops at once
            stop.set()
            if watcher is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await asyncio.wait_for(watcher, timeout=5)

    routes: list[BaseRoute] = [*pages.routes(studio), *editor.routes(studio)]
    return Starlette(routes=routes, middleware=[Middleware(StudioGuard, studio=studio)], lifespan=lifespan,
                     exception_handlers=pages.exception_handlers(studio))
