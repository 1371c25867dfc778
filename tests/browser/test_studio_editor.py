"""The form editor in Chromium: edit a goal and save, a wrong value's message beside its field, axe, screenshots.

The studio runs under uvicorn in a thread on a free port, on a temporary copy of the project's
profiles; screenshots at 768 px (a tablet) and 1280 px go to output/screenshots/studio/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import REPO
from studioutil import running

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"tablet": 768, "desktop": 1280}


@pytest.fixture()
def studio_url(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "clinic"
    shutil.copytree(REPO / "profiles", root / "profiles")
    with running(root) as live:
        yield live.studio.url.rstrip("/"), root


def _axe_violations(page, axe_source: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS)
    return [f"[{v['id']}] {v['help']}: {', '.join(map(str, n['target']))}" for v in result["violations"]
            for n in v["nodes"]]


def test_edit_a_goal_save_and_see_it(studio_url, browser, screenshots) -> None:  # type: ignore[no-untyped-def]
    url, root = studio_url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{url}/edit/ana-lopez")
    page.get_by_role("group", name="Goal 1").get_by_label("Goal").fill("Sostener una taza de té con la mano izquierda")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_url(f"{url}/edit/ana-lopez?done=saved")
    text = (root / "profiles" / "ana-lopez.yaml").read_text()
    assert "  - text: Sostener una taza de té con la mano izquierda\n" in text
    assert page.locator("#f-goals-0-text").input_value() == "Sostener una taza de té con la mano izquierda"
    assert page.get_by_role("status").filter(has_text="Saved").count() == 1
    page.close()


def test_a_wrong_value_gets_its_message_as_you_type(studio_url, browser, screenshots) -> None:  # type: ignore[no-untyped-def]
    url, root = studio_url
    before = (root / "profiles" / "ana-lopez.yaml").read_text()
    page = browser.new_page(viewport={"width": 768, "height": 1024})
    page.goto(f"{url}/edit/ana-lopez")
    weeks = page.locator("#f-pacing-weeks")
    weeks.fill("99")
    message = page.locator("#f-pacing-weeks-msg li.error")
    message.wait_for(timeout=10_000)
    assert "from 1 to 52" in message.inner_text()
    assert weeks.get_attribute("aria-invalid") == "true"
    assert page.locator("#summary-list a[href='#f-pacing-weeks']").count() == 1
    weeks.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "studio" / "edit-message-tablet.png"))
    with page.expect_navigation():
        page.get_by_role("button", name="Save").first.click()
    assert page.locator("#f-pacing-weeks-msg li.error").count() == 1
    assert page.evaluate("document.activeElement.id") == "summary"  # taken to the list of what to fix
    assert (root / "profiles" / "ana-lopez.yaml").read_text() == before
    page.close()


def test_add_and_remove_a_goal_by_keyboard(studio_url, browser) -> None:  # type: ignore[no-untyped-def]
    url, _ = studio_url
    page = browser.new_page(viewport={"width": 768, "height": 1024})
    page.goto(f"{url}/edit/jo-hand-injury")
    count = page.locator("input[name$='.text'][name^='goals[']").count()
    page.get_by_role("button", name="Add a goal").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("input[name$='.text'][name^='goals[']").count() == count + 1
    assert page.evaluate("document.activeElement.name") == f"goals[{count}].text"  # the new goal, ready to type
    page.keyboard.type("Carry the shopping")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Remove Goal {count + 1}").click()
    assert page.locator("input[name$='.text'][name^='goals[']").count() == count
    page.close()


@pytest.mark.parametrize("width_name", list(WIDTHS))
@pytest.mark.parametrize("path", ["/edit/jo-hand-injury", "/new"])
def test_editor_pages_are_accessible(studio_url, browser, axe_source, screenshots, path: str,  # type: ignore[no-untyped-def]
                                     width_name: str) -> None:
    url, _ = studio_url
    # axe is injected as an inline script, which the studio's policy forbids: this run bypasses it
    # (tests/browser/test_studio.py checks that the policy holds otherwise).
    page = browser.new_page(viewport={"width": WIDTHS[width_name], "height": 1024}, bypass_csp=True)
    page.goto(url + path)
    (screenshots / "studio").mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "-")
    page.screenshot(path=str(screenshots / "studio" / f"{name}-{width_name}.png"), full_page=False)
    page.screenshot(path=str(screenshots / "studio" / f"{name}-{width_name}-full.png"), full_page=True)
    assert _axe_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.close()
