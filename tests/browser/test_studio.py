"""The studio (handbook serve) in Chromium, as a clinician and a translator meet it.

A real server on a free port of 127.0.0.1 over a private copy of the project: the dashboard,
a preview that reloads itself when its profile file changes on disk, the print preview's
progress then its PDF, the translators' pages; axe-core (WCAG 2.0/2.1 A and AA) on each, at
768 px (a tablet held upright) and 1280 px, light and dark; screenshots under
output/screenshots/studio/. axe is injected into pages whose policy forbids inline scripts,
so those runs bypass the policy; one test checks that the policy holds otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import copy_project
from studioutil import running

from generator.studio.app import Studio

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STUDIO_WIDTHS = {"tablet": 768, "desktop": 1280}
PAGES = {
    "dashboard": "/",
    "preview": "/preview/jo-hand-injury",
    "preview-frame": "/preview/jo-hand-injury/",
    "print": "/print/jo-hand-injury",
    "translate": "/translate",
    "translate-es": "/translate/es",
    "translate-es-preview": "/translate/es/jo-hand-injury",
    "not-found": "/preview/nobody",
}


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    """The studio running on 127.0.0.1 (a free port) over a copy of the project, watching its files."""
    yield from _serve(tmp_path_factory.mktemp("studio-browser"))


@pytest.fixture(scope="module")
def arabic_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    """The same, with its interface in Arabic (handbook serve --language ar)."""
    yield from _serve(tmp_path_factory.mktemp("studio-browser-ar"), "ar")


def _serve(folder: Path, ui_language: str = "en") -> Iterator[Studio]:
    root = copy_project(folder)
    # One profile with a problem, so the dashboard shows what a clinician must fix.
    broken = root / "profiles" / "sam-after-surgery.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("edition:", "editon:", 1), encoding="utf-8")
    with running(root, ui_language=ui_language) as live:
        yield live.studio


def axe_violations(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS)
    return [f"[{v['id']}] {v['help']}: {', '.join(map(str, node['target']))}"
            for v in result["violations"] for node in v["nodes"]]


def _open(browser, width: int, dark: bool = False):
    context = browser.new_context(viewport={"width": width, "height": 1000}, bypass_csp=True,
                                  color_scheme="dark" if dark else "light")
    return context, context.new_page()


@pytest.mark.parametrize("width_name", sorted(STUDIO_WIDTHS))
def test_every_studio_page_is_accessible_and_fits(studio: Studio, browser, axe_source: str, screenshots: Path,
                                                  width_name: str) -> None:
    problems = {}
    folder = screenshots / "studio"
    folder.mkdir(parents=True, exist_ok=True)
    for dark in (False, True):
        context, page = _open(browser, STUDIO_WIDTHS[width_name], dark)
        try:
            for name, path in PAGES.items():
                page.goto(studio.url.rstrip("/") + path, wait_until="load")
                if name == "print":
                    page.wait_for_selector("body[data-pdf]", timeout=120_000)
                found = axe_violations(page, axe_source)
                wide = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
                if wide:
                    found.append("the page scrolls sideways")
                if found:
                    problems[f"{name} {'dark' if dark else 'light'}"] = found
                if not dark:
                    page.screenshot(path=str(folder / f"{name}-{width_name}.png"), full_page=True)
        finally:
            context.close()
    assert not problems, problems


@pytest.mark.parametrize("width_name", sorted(STUDIO_WIDTHS))
def test_the_arabic_studio_reads_right_to_left_and_is_accessible(arabic_studio: Studio, browser, axe_source: str,
                                                                 screenshots: Path, width_name: str) -> None:
    folder = screenshots / "studio"
    folder.mkdir(parents=True, exist_ok=True)
    context, page = _open(browser, STUDIO_WIDTHS[width_name])
    problems = {}
    try:
        for name, path in {"dashboard": "/", "edit": "/edit/layla-haddad"}.items():
            page.goto(arabic_studio.url.rstrip("/") + path, wait_until="load")
            assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
            title, nav = (page.locator(s).bounding_box() for s in (".studio-title", ".studio-nav"))
            assert title and nav and title["x"] > nav["x"]  # the header is mirrored: the studio's name on the right
            found = axe_violations(page, axe_source)
            if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                found.append("the page scrolls sideways")
            if found:
                problems[name] = found
            page.screenshot(path=str(folder / f"ar-{name}-{width_name}.png"), full_page=name == "dashboard")
        page.goto(arabic_studio.url, wait_until="load")
        english = page.locator("#profile-sam-after-surgery .messages bdi[lang=en]").first
        assert english.get_attribute("dir") == "ltr" and "did you mean 'edition'?" in english.inner_text()
    finally:
        context.close()
    assert not problems, problems


def test_an_empty_arabic_field_starts_on_the_right_and_typed_latin_text_reads_left_to_right(
        arabic_studio: Studio, browser) -> None:
    """Chromium gives an empty dir="auto" field left to right: its caret sat on the wrong side."""
    context, page = _open(browser, 1280)
    try:
        page.goto(arabic_studio.url.rstrip("/") + "/edit/layla-haddad", wait_until="load")
        phone = page.locator("#f-clinic-phone")
        direction = "(field) => getComputedStyle(field).direction"
        assert phone.get_attribute("dir") == "auto" and phone.evaluate(direction) == "ltr"  # a number, as typed
        phone.fill("")
        assert phone.evaluate(direction) == "rtl"  # emptied: the page's direction, caret on the right
        phone.press_sequentially("+44 20")
        assert phone.evaluate(direction) == "ltr"
        empty = page.locator("input[data-auto-dir]:not([dir])").first
        assert empty.count() and empty.evaluate(direction) == "rtl"
    finally:
        context.close()


def test_the_dashboard_shows_states_and_the_keyboard_reaches_everything(studio: Studio, browser) -> None:
    context, page = _open(browser, 1280)
    try:
        page.goto(studio.url, wait_until="load")
        broken = page.locator("#profile-sam-after-surgery")
        assert "Has problems" in broken.inner_text() and "line " in broken.inner_text()
        assert "Valid" in page.locator("#profile-jo-hand-injury").inner_text()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to the content"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('main') !== null")
        page.get_by_role("link", name="Preview").first.click()
        page.wait_for_url("**/preview/ana-lopez")
        frame = page.frame_locator("iframe.preview-frame")
        assert frame.locator("h1").first.inner_text()  # the handbook itself, in its frame
    finally:
        context.close()


def test_a_preview_reloads_when_its_profile_changes_on_disk(studio: Studio, browser) -> None:
    context, page = _open(browser, 1280)
    profile = studio.project.profiles_dir / "jo-hand-injury.yaml"
    original = profile.read_text(encoding="utf-8")
    try:
        page.goto(studio.url + "preview/jo-hand-injury/", wait_until="load")
        assert "Jo" in page.locator(".site-title").inner_text()
        time.sleep(0.5)  # the page's event stream is open
        profile.write_text(original.replace("preferred_name: Jo", "preferred_name: Joanna"), encoding="utf-8")
        page.wait_for_function("document.querySelector('.site-title').textContent.includes('Joanna')",
                               timeout=30_000)
    finally:
        profile.write_text(original, encoding="utf-8")
        context.close()


def test_the_print_preview_shows_progress_then_the_pdf(studio: Studio, browser) -> None:
    context, page = _open(browser, 1280)
    try:
        studio.workspace._renders.clear()  # noqa: SLF001 - lay it out afresh, so the progress is seen
        page.goto(studio.url + "print/ana-lopez", wait_until="load")
        page.wait_for_selector("#pdf-progress:not([hidden])", timeout=10_000)
        page.wait_for_selector("body[data-pdf='ready']", timeout=120_000)
        assert page.locator("#pdf-progress").is_hidden()
        assert page.locator("#pdf-frame").get_attribute("src") == "/preview/ana-lopez/handbook.pdf"
    finally:
        context.close()


def test_the_policy_refuses_scripts_from_elsewhere_and_inline(studio: Studio, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text
            else None)
    try:
        page.goto(studio.url, wait_until="load")
        page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                                 document.head.appendChild(s); }""")
        assert page.evaluate("window.ran === undefined")
        assert blocked
    finally:
        context.close()


def test_a_clinician_edits_a_goal_sees_it_in_the_preview_and_is_told_of_a_wrong_value(studio: Studio, browser,
                                                                                     screenshots: Path) -> None:
    """The whole path of issue 13, under the studio's real content policy (no bypass): dashboard,
    form, save, the preview showing the new goal, and a wrong value's message beside its field."""
    profile = studio.project.profiles_dir / "jo-hand-injury.yaml"
    original = profile.read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    new_goal = "Carry a full kettle with both hands"
    try:
        page.goto(studio.url, wait_until="load")
        page.locator("#profile-jo-hand-injury").get_by_role("link", name="Edit").click()
        page.wait_for_url("**/edit/jo-hand-injury")
        page.get_by_role("group", name="Goal 1").get_by_label("Goal").fill(new_goal)
        page.get_by_role("button", name="Save").first.click()
        page.wait_for_url("**/edit/jo-hand-injury?done=saved")
        saved = profile.read_text(encoding="utf-8")
        assert f"  - {new_goal}\n" in saved and "Type for 30 minutes at work" not in saved
        assert saved.startswith("# Sample") and saved.splitlines()[0] == original.splitlines()[0]  # comment kept

        page.get_by_role("link", name="Preview the handbook").click()
        page.wait_for_url("**/preview/jo-hand-injury")
        frame = page.frame_locator("iframe.preview-frame")
        frame.get_by_role("link", name="Goals and where it hurts").first.click()
        frame.get_by_text(new_goal).first.wait_for(timeout=30_000)
        for each in page.frames:
            each.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(screenshots / "studio" / "edited-goal-preview-desktop.png"))

        page.goto(studio.url + "edit/jo-hand-injury", wait_until="load")
        weeks = page.locator("#f-pacing-weeks")
        weeks.fill("99")
        message = page.locator("#f-pacing-weeks-msg li.error")
        message.wait_for(timeout=10_000)  # as you type, from the same checks as validate
        assert "from 1 to 52" in message.inner_text()
        assert weeks.get_attribute("aria-describedby") and "f-pacing-weeks-msg" in weeks.get_attribute(
            "aria-describedby")
        with page.expect_navigation():
            page.get_by_role("button", name="Save").first.click()
        assert page.locator("#f-pacing-weeks-msg li.error").count() == 1
        assert profile.read_text(encoding="utf-8") == saved, "a profile with errors is not saved"
    finally:
        profile.write_text(original, encoding="utf-8")
        context.close()
