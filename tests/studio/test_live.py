"""Live reload: a file change is seen by the watcher, counted, and reaches every open event stream."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from helpers import copy_project

from generator.project import find_project
from generator.studio.live import Changes, event_stream, watch_project, watched_folders

T = TypeVar("T")


def run_alone(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: in a whole-suite run the browser tests' Playwright
    (sync API) keeps an event loop running in the main thread, where asyncio.run refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def test_the_stream_says_hello_then_each_change() -> None:
    async def run() -> list[str]:
        changes = Changes()
        stream = event_stream(changes, keep_alive=5)
        hello = await anext(stream)
        waiting = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        changes.notify(["profiles/a.yaml"])
        change = await asyncio.wait_for(waiting, 2)
        changes.close()
        rest = [part async for part in stream]
        return [hello, change, *rest]

    hello, change, *rest = run_alone(run())
    assert "event: hello\ndata: 0\n\n" in hello and hello.startswith("retry: ")
    assert change == "event: change\ndata: 1\n\n"
    assert rest == []  # a closed studio ends its streams


def test_a_quiet_stream_keeps_itself_alive() -> None:
    async def run() -> str:
        changes = Changes()
        stream = event_stream(changes, keep_alive=0.05)
        await anext(stream)
        return await asyncio.wait_for(anext(stream), 2)

    assert run_alone(run()).startswith(":")


def test_the_watcher_counts_a_changed_profile_module_and_template(tmp_path: Path) -> None:
    project = find_project(copy_project(tmp_path))
    assert project.output_dir.resolve() not in watched_folders(project)
    files = [project.profiles_dir / "jo-hand-injury.yaml", project.content_dir / "pacing" / "pacing-basics.md",
             project.templates_dir / "layout.html", project.templates_dir / "locale" / "es" / "LC_MESSAGES" /
             "messages.po"]

    async def run() -> list[tuple[str, ...]]:
        changes = Changes()
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch_project(project, changes, stop, debounce_ms=50))
        await asyncio.sleep(0.5)  # the watcher is set up
        seen = []
        for path in files:
            before = changes.generation
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            for _ in range(100):
                if changes.generation > before:
                    break
                await asyncio.sleep(0.05)
            seen.append(changes.last)
        stop.set()
        await asyncio.wait_for(watcher, 5)
        return seen

    seen = run_alone(run())
    for path, last in zip(files, seen, strict=True):
        assert str(path.resolve()) in last, (path, last)


def test_the_watcher_does_not_count_the_output(tmp_path: Path) -> None:
    project = find_project(copy_project(tmp_path))
    project.output_dir.mkdir()

    async def run() -> int:
        changes = Changes()
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch_project(project, changes, stop, debounce_ms=50))
        await asyncio.sleep(0.5)
        (project.output_dir / "index.html").write_text("built", encoding="utf-8")
        await asyncio.sleep(0.8)
        stop.set()
        await asyncio.wait_for(watcher, 5)
        return changes.generation

    assert run_alone(run()) == 0
