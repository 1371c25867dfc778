"""Live reload: watch the project's files and tell every open studio page when one changed.

The watcher (watchfiles) runs in the app's lifespan and counts changes; each page
holds one server-sent event stream (/events) and reloads itself when the count moves
(templates/studio/assets/live.js). A page learns the count it was made at, so a change
between making a page and opening its stream is not missed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from watchfiles import awatch

from generator.project import Project, template_search_path

KEEP_ALIVE_SECONDS = 15.0  # a comment line now and then, so proxies and browsers keep the stream open
RETRY_MILLISECONDS = 1000  # how soon a browser reconnects after the stream dropped


class Changes:
    """How many times the project's files changed since the studio started, and who is waiting."""

    def __init__(self) -> None:
        self.generation = 0
        self.last: tuple[str, ...] = ()  # the files of the latest change
        self.closed = False
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self, paths: Iterable[str] = ()) -> None:
        self.generation += 1
        self.last = tuple(sorted(paths))
        self._wake()

    def close(self) -> None:
        """The studio is stopping: every stream ends."""
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait_past(self, generation: int, timeout: float) -> bool:
        """Wait until a change after `generation` (True) or `timeout` seconds (False)."""
        if self.generation != generation or self.closed:
            return True
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), timeout)
        except TimeoutError:
            return False
        finally:
            self._waiters.discard(waiter)
        return True


async def event_stream(changes: Changes, keep_alive: float = KEEP_ALIVE_SECONDS) -> AsyncIterator[str]:
    """The text/event-stream of one page: `hello` with the count now, then `change` at each change."""
    seen = changes.generation
    yield f"retry: {RETRY_MILLISECONDS}\nevent: hello\ndata: {seen}\n\n"
    while not changes.closed:
        if not await changes.wait_past(seen, keep_alive):
            yield ": still here\n\n"
            continue
        if changes.closed:
            return
        seen = changes.generation
        yield f"event: change\ndata: {seen}\n\n"


def watched_folders(project: Project) -> list[Path]:
    """What a preview is made from: the profiles, the content library (and its catalogues), the templates
    (the project's and the bundled ones behind them, with the interface catalogues). Never output/."""
    folders = [project.profiles_dir, project.content_dir, *template_search_path(project.templates_dir)]
    unique = list(dict.fromkeys(folder.resolve() for folder in folders if folder.is_dir()))
    return [folder for folder in unique if not any(folder != other and folder.is_relative_to(other)
                                                   for other in unique)]


async def watch_project(project: Project, changes: Changes, stop: asyncio.Event,
                        debounce_ms: int = 300) -> None:
    """Count every change of the files a preview is made from until `stop` is set."""
    folders = watched_folders(project)
    if not folders:
        return
    with contextlib.suppress(RuntimeError):  # a folder removed while watching: live reload stops, pages still work
        async for batch in awatch(*folders, stop_event=stop, debounce=debounce_ms, step=50, recursive=True):
            changes.notify(path for _, path in batch)
