"""Every page of the five sample handbooks and of the library site, in Chromium, as a reader meets it.

At 1280 px (desktop) and 320 px (phone): no axe-core WCAG 2.0/2.1 A or AA violation, no sideways
scroll of the page and no box that scrolls sideways inside itself, headings that never skip a
level, charts whose words are big enough to read; and a full-page screenshot of each, under
output/screenshots/<site>/. The W3C Nu checker (vnu.jar) validates every HTML file. Then what a
reader does: follow the chapter links from the home page, tap a phone number, see where the
keyboard is, read in dark mode, know how big the printable handbook is before opening it.
See docs/accessibility.md.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from browserutil import PDF_SAMPLE, VNU, WIDTHS, Site
from helpers import REPO

from generator.profile.load import load_profile

SAMPLES = sorted(p.stem for p in (REPO / "profiles").glob("*.yaml"))
SITES = [*SAMPLES, "_library"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MIN_CHART_TEXT_PX = 12  # a word or number of a chart, as drawn on the screen
RTL_SAMPLE = "layla-haddad"
ENGLISH_SAMPLE = "jo-hand-injury"

# What a page shows that the axe run cannot: sideways scrolling, skipped heading levels,
# chart words too small to read. Each returns a list of readable problems.
LAYOUT_PROBLEMS = """(minChartPx) => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
  }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const reported = new Set();  // one line for the outermost box at fault, not one per cell inside it
  const inReported = (el) => { for (let p = el.parentElement; p; p = p.parentElement) if (reported.has(p)) return true;
    return false; };
  const clipped = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    if (['hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
  for (const el of document.querySelectorAll('body *')) {
    if (inReported(el)) continue;
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${name(el)} scrolls sideways inside itself (${el.scrollWidth}px in ${el.clientWidth}px)`);
      reported.add(el);
      continue;
    }
    const box = el.getBoundingClientRect();
    if (box.width > 0 && style.visibility !== 'hidden' && (box.right > root.clientWidth + 1 || box.left < -1)
        && !clipped(el) && !el.closest('.skip-link')) {
      problems.push(`${name(el)} sticks out of the window (${Math.round(box.left)}..${Math.round(box.right)}px)`);
      reported.add(el);
    }
  }
  let level = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const next = Number(h.tagName[1]);
    if (next > level + 1) {
      problems.push(`heading level skipped: h${level} then h${next} "${h.textContent.trim().slice(0, 60)}"`);
    }
    level = next;
  }
  for (const text of document.querySelectorAll('.chart svg text, .body-map svg text')) {
    const box = text.getBoundingClientRect();
    if (box.width === 0) continue;  // not shown at this width
    const size = parseFloat(getComputedStyle(text).fontSize) * text.closest('svg').getScreenCTM().a;
    if (size < minChartPx) {
      problems.push(`chart text "${text.textContent.trim()}" is drawn ${size.toFixed(1)}px high`);
    }
  }
  return problems;
}"""


def axe_violations(page, axe_source: str) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page, one readable line per element."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"[{violation['id']}] {violation['help']}: {', '.join(map(str, node['target']))}: {summary}")
    return lines


def screenshot_name(page_path: str, width_name: str) -> str:
    return f"{page_path.removesuffix('.html').replace('/', '--')}-{width_name}.png"


@pytest.mark.parametrize("width_name", list(WIDTHS))
@pytest.mark.parametrize("site_name", SITES)
def test_every_page_is_accessible_and_fits(site_name, width_name, sites, base_url, browser, axe_source,
                                           screenshots) -> None:
    site: Site = sites[site_name]
    width = WIDTHS[width_name]
    folder = screenshots / site_name
    folder.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    try:
        for page_path in site.pages:
            page.goto(f"{base_url}/{site_name}/{page_path}")
            found = page.evaluate(LAYOUT_PROBLEMS, MIN_CHART_TEXT_PX) + axe_violations(page, axe_source)
            page.screenshot(path=str(folder / screenshot_name(page_path, width_name)), full_page=True)
            if found:
                problems[page_path] = found
    finally:
        context.close()
    report = "\n".join(f"{site_name}/{path} at {width}px:\n  " + "\n  ".join(lines) for path, lines in problems.items())
    assert not problems, report


def test_every_html_file_is_valid(site_root: Path) -> None:
    """The W3C Nu HTML checker, over every HTML file built: no error."""
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--skip-non-html", str(site_root)],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    report = "\n".join(
        f"{m.get('url', '').replace(site_root.as_uri(), '')}:{m.get('lastLine', '?')}: {m['message']}" for m in errors
    )
    assert not errors, report


@pytest.mark.parametrize("sample", SAMPLES)
def test_chapter_links_visit_every_chapter(sample, base_url, browser) -> None:
    """From the home page: into the first chapter, Next to the last, Previous back to the first."""
    context = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{base_url}/{sample}/index.html")
        contents = page.eval_on_selector_all(".chapter-list a", "links => links.map(a => a.getAttribute('href'))")
        assert len(contents) > 5
        page.click(".chapter-list a >> nth=0")
        visited = [page.url.rsplit("/", 1)[1]]
        while page.locator("a[rel=next]").count():
            page.click("a[rel=next]")
            visited.append(page.url.rsplit("/", 1)[1])
            assert len(visited) <= len(contents), visited
        assert visited == contents
        back = [visited[-1]]
        while page.locator("a[rel=prev]").count():
            page.click("a[rel=prev]")
            back.append(page.url.rsplit("/", 1)[1])
            assert len(back) <= len(contents), back
        assert back == contents[::-1]
        page.click(".pager-home")
        assert page.url.endswith("/index.html")
    finally:
        context.close()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize("sample", SAMPLES)
def test_phone_numbers_are_tap_to_call_on_the_site_only(sample, base_url, browser, site_root) -> None:
    profile = load_profile(REPO / "profiles" / f"{sample}.yaml")
    context = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 900})
    page = context.new_page()
    try:
        for page_path in ("index.html", "care-team.html", "flare-up.html"):
            if not (site_root / sample / page_path).is_file():
                continue
            page.goto(f"{base_url}/{sample}/{page_path}")
            links = page.eval_on_selector_all(
                "a[href^='tel:']", "links => links.map(a => [a.getAttribute('href'), a.textContent])")
            for href, text in links:
                assert re.fullmatch(r"tel:\+?\d+", href), href
                assert _digits(href).endswith(_digits(text)[-6:]), (href, text)
            if profile.clinic and profile.clinic.phone and page_path == "index.html":
                assert any(_digits(text) == _digits(profile.clinic.phone) for _, text in links), links
        # Not in untouched text: every number shown in the left-to-right <bdi> of the site is a link.
        page.goto(f"{base_url}/{sample}/index.html")
        bare = page.eval_on_selector_all("bdi[dir=ltr]:not(a bdi)", "els => els.map(e => e.textContent)")
        assert not [text for text in bare if len(_digits(text)) >= 3], bare
    finally:
        context.close()
    assert "tel:" not in (site_root / sample / "print.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("sample", [ENGLISH_SAMPLE, RTL_SAMPLE])
def test_keyboard_focus_is_visible(sample, base_url, browser) -> None:
    """The first Tab shows the skip link inside the window; every focused link has an outline."""
    context = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{base_url}/{sample}/pacing.html")
        page.keyboard.press("Tab")
        skip = page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
            return {cls: a.className, left: r.left, right: r.right, top: r.top, width: innerWidth}; }""")
        assert skip["cls"] == "skip-link"
        assert 0 <= skip["left"] and skip["right"] <= skip["width"] and skip["top"] >= 0, skip
        for _ in range(4):
            page.keyboard.press("Tab")
            outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
            assert outline[0] == "A" and outline[1] != "none" and outline[2] >= 2, outline
    finally:
        context.close()


@pytest.mark.parametrize("sample", [ENGLISH_SAMPLE, RTL_SAMPLE, "_library"])
def test_dark_mode_when_the_system_asks(sample, sites, base_url, browser, axe_source, screenshots) -> None:
    """prefers-color-scheme: dark gives a dark page, and axe (contrast included) still passes on every page."""
    context = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 900})
    page = context.new_page()
    background = "() => getComputedStyle(document.body).backgroundColor"
    problems: dict[str, list[str]] = {}
    try:
        page.goto(f"{base_url}/{sample}/index.html")
        light = page.evaluate(background)
        page.emulate_media(color_scheme="dark")
        dark = page.evaluate(background)
        assert light != dark
        channels = [int(c) for c in re.findall(r"\d+", dark)[:3]]
        assert max(channels) < 80, dark
        for page_path in sites[sample].pages:
            page.goto(f"{base_url}/{sample}/{page_path}")
            found = axe_violations(page, axe_source)
            if page_path in ("index.html", "pacing.html", "flare-up.html"):
                page.screenshot(path=str(screenshots / sample / screenshot_name(page_path, "phone-dark")),
                                full_page=True)
            if found:
                problems[page_path] = found
    finally:
        context.close()
    assert not problems, "\n".join(f"{sample}/{p} (dark):\n  " + "\n  ".join(v) for p, v in problems.items())


def test_printable_handbook_link_says_how_big_the_pdf_is(site_root, base_url, browser) -> None:
    pdf = site_root / PDF_SAMPLE / "handbook.pdf"
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{base_url}/{PDF_SAMPLE}/index.html")
        link = page.locator(".site-print")
        assert link.get_attribute("href") == "handbook.pdf"
        text = link.inner_text()
    finally:
        context.close()
    size = pdf.stat().st_size
    match = re.search(r"\(PDF, ([\d.]+) (kB|MB)\)", text)
    assert match, text
    shown = float(match.group(1)) * (1000 if match.group(2) == "kB" else 1000_000)
    assert abs(shown - size) <= 0.05 * size + 1000, (text, size)
    # A sample built without its PDF links to print.html and names no size.
    html_only = (site_root / "ana-lopez" / "index.html").read_text(encoding="utf-8")
    assert 'class="site-print" href="print.html"' in html_only and "PDF," not in html_only
