"""The studio app: where it is served, its interface language, its lifespan (the watcher) and `handbook serve`."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from click.testing import CliRunner
from helpers import REPO, copy_project
from studioutil import client_of, make_studio, running

from generator.cli.main import main
from generator.errors import InputError
from generator.studio.app import Studio, is_loopback
from generator.studio.server import listen


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True),
                                                ("::1", True), ("0.0.0.0", False), ("192.168.1.5", False),
                                                ("example.org", False)])
def test_loopback_is_this_computer_only(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_loopback_studio_answers_to_both_names_on_its_port() -> None:
    studio = make_studio(REPO)
    assert studio.allowed_hosts == {"127.0.0.1:8000", "localhost:8000"}
    assert studio.origins == {"http://127.0.0.1:8000", "http://localhost:8000"}
    assert studio.url == "http://127.0.0.1:8000/"
    ipv6 = Studio(studio.project, host="::1", port=8001, watch=False)
    assert ipv6.allowed_hosts == {"[::1]:8001"} and ipv6.url == "http://[::1]:8001/"


def test_the_interface_language_translates_the_studio() -> None:
    spanish = make_studio(REPO, ui_language="es")
    assert spanish.environment().from_string('{{ _("Profiles") }}').render() == "Perfiles"
    assert make_studio(REPO).environment().from_string('{{ _("Profiles") }}').render() == "Profiles"


def test_studio_code_speaks_the_interface_language() -> None:
    for language, expected in (("es", "No hay ningún perfil llamado «x» en profiles/."),
                               ("ar", "لا يوجد ملف شخصي باسم «x» في profiles/."),
                               ("en", "There is no profile named 'x' in profiles/.")):
        studio = make_studio(REPO, ui_language=language)
        assert studio.gettext("There is no profile named '%(name)s' in profiles/.", name="x") == expected
    assert make_studio(REPO, ui_language="es").gettext("Not in any catalogue") == "Not in any catalogue"


@pytest.mark.parametrize(("language", "direction", "words"), [("ar", "rtl", "الملفات الشخصية"),
                                                               ("es", "ltr", "Perfiles"), ("en", "ltr", "Profiles")])
def test_studio_pages_take_lang_and_direction_from_the_interface_language(language: str, direction: str,
                                                                          words: str) -> None:
    studio = make_studio(REPO, ui_language=language)
    assert studio.direction == direction
    page = client_of(studio).get("/").text
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert f'aria-current="page">{words}</a>' in page


def test_a_changed_interface_catalogue_reaches_the_studios_own_pages(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    studio = make_studio(root, ui_language="es")
    client = client_of(studio)
    assert 'aria-current="page">Perfiles</a>' in client.get("/").text
    po = root / "templates" / "locale" / "es" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Perfiles"', 'msgstr "Fichas"'), encoding="utf-8")
    assert 'aria-current="page">Fichas</a>' in client.get("/").text  # no restart needed
    english = make_studio(root)
    assert english.environment() is english.environment()  # no catalogue: made once, not at every page


def test_the_lifespan_watches_and_the_events_route_streams(tmp_path: Path) -> None:
    studio = make_studio(copy_project(tmp_path), watch=True)
    with client_of(studio) as client:  # runs the lifespan: the watcher starts
        time.sleep(0.5)
        profile = studio.project.profiles_dir / "jo-hand-injury.yaml"
        profile.write_text(profile.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        for _ in range(100):
            if studio.changes.generation:
                break
            time.sleep(0.05)
        assert studio.changes.generation >= 1
        assert f'data-generation="{studio.changes.generation}"' in client.get("/").text
    assert studio.changes.closed  # the lifespan's end closes every stream


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_port_in_use_is_a_clear_error() -> None:
    taken = listen("127.0.0.1", 0)
    try:
        with pytest.raises(InputError, match=r"already in use .* --port"):
            listen("127.0.0.1", taken.getsockname()[1])
        result = CliRunner().invoke(main, ["--project", str(REPO), "serve", "--port", str(taken.getsockname()[1])])
    finally:
        taken.close()
    assert result.exit_code == 2 and "already in use" in result.output and "Traceback" not in result.output


def test_an_unknown_host_and_language_are_clear_errors() -> None:
    result = CliRunner().invoke(main, ["--project", str(REPO), "serve", "--host", "no-such-host.invalid"])
    assert result.exit_code == 2 and "cannot serve on --host" in result.output
    result = CliRunner().invoke(main, ["--project", str(REPO), "serve", "--language", "klingon"])
    assert result.exit_code == 2 and "language" in result.output


def test_the_server_runs_and_stops_cleanly_with_a_page_still_listening(tmp_path: Path) -> None:
    with running(copy_project(tmp_path), watch=True) as (studio, server, thread):
        assert httpx.get(studio.url).status_code == 200
        assert httpx.get(studio.url, headers={"host": "evil.example"}).status_code == 403
        with httpx.stream("GET", studio.url + "events", timeout=5) as events:  # an open page's stream
            assert "event: hello" in next(events.iter_text())
            begun = time.monotonic()
            server.should_exit = True  # what Ctrl-C does
            thread.join(timeout=10)
        assert not thread.is_alive() and time.monotonic() - begun < 5


def test_serving_elsewhere_warns_that_profiles_hold_health_information(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.studio.server as server_module

    served: list[Studio] = []
    monkeypatch.setattr(server_module, "serve", lambda studio, *_args: served.append(studio))
    port = _free_port()
    result = CliRunner().invoke(main, ["--project", str(REPO), "serve", "--host", "0.0.0.0", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert "health information" in result.output and served[0].host == "0.0.0.0" and served[0].port == port
    result = CliRunner().invoke(main, ["--project", str(REPO), "serve", "--port", str(_free_port())])
    assert "health information" not in result.output and served[1].host == "127.0.0.1"


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_the_studio_stops_cleanly_on_sigterm_as_on_ctrl_c(tmp_path: Path, signame: str) -> None:
    """uvicorn raises SIGTERM again once it has stopped: with the default handler the process died
    there, its temporary files left and 'stopped' never said (found by an adversarial review)."""
    import os
    import signal
    import subprocess
    import sys

    root = tmp_path / "clinic"
    (root / "profiles").mkdir(parents=True)
    (root / "profiles" / "jo.yaml").write_bytes((REPO / "profiles" / "jo-hand-injury.yaml").read_bytes())
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=root, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    assert process.stdout is not None
    assert "The studio runs at" in process.stdout.readline()
    process.send_signal(getattr(signal, signame))
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0 and "The studio has stopped." in out and "Traceback" not in err, (out, err)
