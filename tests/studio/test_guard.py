"""The guard refuses what is not the studio's own: a foreign Host or Origin, a missing token, an escaping path."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient
from studioutil import client_of, make_studio, origin_of

from generator.studio.app import Studio
from generator.studio.asgi import create_app
from generator.studio.guard import CONTENT_SECURITY_POLICY, StudioGuard, checked_form, unsafe_path


@pytest.fixture(scope="module")
def studio() -> Studio:
    return make_studio(REPO)


@pytest.fixture(scope="module")
def guarded(studio: Studio) -> TestClient:
    """A small app behind the guard with one state-changing route, as the form editor has."""
    saved: list[str] = []

    async def save(request: Request) -> Response:
        form = await checked_form(studio, request)
        saved.append(str(form.get("text")))
        return PlainTextResponse("saved")

    async def read(_request: Request) -> Response:
        return PlainTextResponse("read")

    app = Starlette(routes=[Route("/save", save, methods=["POST", "PUT", "PATCH", "DELETE"]), Route("/", read)])
    app.add_middleware(StudioGuard, studio=studio)
    return TestClient(app, base_url="http://127.0.0.1:8000")


def test_the_studio_itself_is_served_with_its_security_headers(studio: Studio) -> None:
    response = client_of(studio).get("/")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY and "frame-ancestors 'self'" in CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000"])
def test_both_loopback_names_are_the_studio(guarded: TestClient, host: str) -> None:
    assert guarded.get("/", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example:8000", "127.0.0.1:8001", "127.0.0.1", "localhost.evil.example:8000",
                                  "192.168.1.5:8000", ""])
def test_another_host_is_refused_dns_rebinding(guarded: TestClient, host: str) -> None:
    response = guarded.get("/", headers={"host": host})
    assert response.status_code == 403
    assert "not the studio's" in response.text
    assert response.headers["cache-control"] == "no-store"  # a refusal carries the headers too


def test_a_studio_on_another_host_accepts_only_that_host(tmp_path: Path) -> None:
    studio = Studio(make_studio(REPO).project, host="192.168.1.5", port=9000, watch=False)
    assert studio.allowed_hosts == {"192.168.1.5:9000"}
    assert studio.origins == {"http://192.168.1.5:9000"}
    client = client_of(studio, host="192.168.1.5")
    assert client.get("/studio-assets/live.js").status_code == 200
    assert client.get("/studio-assets/live.js", headers={"host": "127.0.0.1:9000"}).status_code == 403


def test_a_form_with_the_token_from_the_studio_is_accepted(guarded: TestClient, studio: Studio) -> None:
    response = guarded.post("/save", data={"token": studio.token, "text": "x"}, headers=origin_of(studio))
    assert (response.status_code, response.text) == (200, "saved")


def test_the_token_may_come_as_a_header(guarded: TestClient, studio: Studio) -> None:
    response = guarded.post("/save", headers={**origin_of(studio), "x-studio-token": studio.token})
    assert response.status_code == 200


@pytest.mark.parametrize("token", [None, "", "wrong", "x" * 43])
def test_a_form_without_the_right_token_is_refused(guarded: TestClient, studio: Studio, token: str | None) -> None:
    data = {"text": "x"} if token is None else {"token": token, "text": "x"}
    response = guarded.post("/save", data=data, headers=origin_of(studio))
    assert response.status_code == 403


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("headers", [
    {},  # neither Origin nor Referer
    {"origin": "http://evil.example"},
    {"origin": "null"},
    {"origin": "http://127.0.0.1:8001"},
    {"origin": "https://127.0.0.1:8000"},
    {"referer": "http://evil.example/page"},
    {"origin": "http://evil.example", "referer": "http://127.0.0.1:8000/edit/x"},  # Origin decides when present
])
def test_a_change_from_another_origin_is_refused_even_with_the_token(guarded: TestClient, studio: Studio,
                                                                     method: str, headers: dict[str, str]) -> None:
    response = guarded.request(method, "/save", data={"token": studio.token}, headers=headers)
    assert response.status_code == 403
    assert "studio's own pages" in response.text


def test_a_referer_from_the_studio_stands_for_a_missing_origin(guarded: TestClient, studio: Studio) -> None:
    response = guarded.post("/save", data={"token": studio.token}, headers={"referer": "http://localhost:8000/edit/x"})
    assert response.status_code == 200


@pytest.mark.parametrize("path", [
    "/preview/jo-hand-injury/../../../etc/passwd",
    "/preview/jo-hand-injury/%2e%2e/%2e%2e/etc/passwd",
    "/preview/jo-hand-injury/%2E%2E%2Fprofiles%2Fana-lopez.yaml",
    "/preview/jo-hand-injury/%252e%252e/x",
    "/preview/jo-hand-injury/..%5c..%5cprofiles",
    "/preview/jo-hand-injury/a\\b",
    "/preview/jo-hand-injury/index.html%00.css",
    "/preview/jo-hand-injury//etc/passwd",
    "/studio-assets/../../generator/__init__.py",
    "/studio-assets/%2e%2e/layout.html",
    "/handbook-assets/%2e%2e/layout.html",
])
def test_paths_that_escape_are_not_found_encoded_or_not(studio: Studio, path: str) -> None:
    assert unsafe_path({"type": "http", "path": path, "raw_path": path.encode()})
    response = client_of(studio).get(path)
    assert response.status_code == 404


def test_ordinary_paths_pass(studio: Studio) -> None:
    for path in ("/", "/preview/jo-hand-injury/", "/preview/jo-hand-injury/assets/fonts/x.woff2", "/translate/es"):
        assert not unsafe_path({"type": "http", "path": path, "raw_path": path.encode()}), path


def test_refusals_speak_the_interface_language() -> None:
    studio = make_studio(REPO, ui_language="es")
    client = client_of(studio)
    foreign = client.post("/new", data={"token": studio.token}, headers={"origin": "http://evil.example"})
    assert foreign.status_code == 403
    assert foreign.text == "Un cambio en el estudio solo puede venir de las propias páginas del estudio."
    rebound = TestClient(create_app(studio), base_url="http://evil.example:8000").get("/")
    assert rebound.status_code == 403 and rebound.text == ("Esta dirección no es la del estudio: ábralo en "
                                                           "http://127.0.0.1:8000/")
