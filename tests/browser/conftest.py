"""Browser fixtures: the five samples and the library site built once, served on 127.0.0.1, and one Chromium.

Debian's chromium is driven by Playwright (no browser of Playwright's own is downloaded);
axe-core and vnu.jar come from the repository's package.json (`npm ci`), Java from Debian.
install.sh installs all of them, so under .ci/run (HANDBOOK_BROWSER_TESTS=required) a
missing tool is a failure; elsewhere the browser tests are skipped with the reason.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserutil import AXE, CHROMIUM, PDF_SAMPLE, SCREENSHOTS, Site, missing_tools
from helpers import REPO, TODAY

from generator.build import BuildOptions, build
from generator.content.library import load_library
from generator.project import find_project
from generator.quality.library_site import write_library_site


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _browser_tools() -> None:
    """Skip (or, under .ci/run, fail) when a tool is missing, saying which and how to get it."""
    missing = missing_tools()
    if not missing:
        return
    reason = "browser tests need " + "; ".join(missing) + ": run ./install.sh"
    if os.environ.get("HANDBOOK_BROWSER_TESTS") == "required":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five samples (HTML; one with its PDF too) and the library site, built once."""
    out = tmp_path_factory.mktemp("browser-sites")
    project = find_project(REPO)
    report = build(project, [REPO / "profiles"], BuildOptions(output_dir=out, today=TODAY, formats=frozenset({"html"})))
    assert report.exit_code == 0, [o.error for o in report.failed]
    report = build(project, [REPO / "profiles" / f"{PDF_SAMPLE}.yaml"], BuildOptions(output_dir=out, today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    write_library_site(project, load_library(project.content_dir), out / "_library", today=TODAY)
    return out


@pytest.fixture(scope="session")
def sites(site_root: Path) -> dict[str, Site]:
    """Every site by name; pages are the website's, not print.html (the PDF's source, see docs/accessibility.md)."""
    found = {}
    for folder in sorted(p for p in site_root.iterdir() if p.is_dir()):
        pages = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html") if p.name != "print.html")
        found[folder.name] = Site(folder.name, tuple(pages))
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def base_url(site_root: Path) -> Iterator[str]:
    """The built sites over HTTP on 127.0.0.1 (a free port), for the session."""
    handler = functools.partial(_QuietHandler, directory=str(site_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
