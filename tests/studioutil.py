"""What the studio's tests share: a studio over a private project, and a client that speaks to it as a browser would."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from generator.project import find_project
from generator.studio.app import Studio
from generator.studio.asgi import create_app

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
