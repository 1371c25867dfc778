"""What the studio's tests share: a studio over a private project, and a client that speaks to it as a browser would."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import uvicorn
from starlette.testclient import TestClient

from generator.project import find_project
from generator.studio.app import Studio
from generator.studio.asgi import create_app
from generator.studio.server import StudioServer, listen

PORT = 8000


def make_studio(root: Path, *, watch: bool = False, ui_language: str = "en") -> Studio:
    """A studio of the project at `root`, served (as far as its Host check knows) on 127.0.0.1:8000."""
    return Studio(find_project(root), port=PORT, watch=watch, ui_language=ui_language)


def client_of(studio: Studio, host: str = "127.0.0.1") -> TestClient:
    """A client whose requests carry the Host of the address served (TestClient's 'testserver' is refused)."""
    return TestClient(create_app(studio), base_url=f"http://{host}:{studio.port}", follow_redirects=False)


def origin_of(studio: Studio) -> dict[str, str]:
    """The Origin header the studio's own pages send with a form."""
    return {"origin": f"http://127.0.0.1:{studio.port}"}


class Running(NamedTuple):
    studio: Studio
    server: StudioServer
    thread: threading.Thread


@contextlib.contextmanager
def running(root: Path, **options: Any) -> Iterator[Running]:
    """The studio of the project at `root`, served for real on a free port of 127.0.0.1 (a thread),
    as `handbook serve` runs it; stopped as Ctrl-C stops it when the block ends."""
    sock = listen("127.0.0.1", 0)
    studio = Studio(find_project(root), port=sock.getsockname()[1], **options)
    started: list[str] = []
    server = StudioServer(uvicorn.Config(create_app(studio), log_level="warning", timeout_graceful_shutdown=1),
                          studio, started=started.append)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started == [studio.url], "the studio did not start"
    try:
        yield Running(studio, server, thread)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
