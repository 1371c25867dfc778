"""The handbook as files: website pages, print.html and the assets they use."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from generator.project import template_search_path
from generator.render.context import template_helpers
from generator.render.handbook import Handbook

ASSET_SUFFIXES = {".css", ".woff2", ".woff", ".ttf", ".otf", ".svg", ".png", ".txt"}
ID_ATTRIBUTE = re.compile(r'\bid="([^"]+)"')
_LOCAL_LINK = re.compile(r'href="#([^"]+)"')
_ANCHOR_ELEMENT = re.compile(r'<a href="#([^"]+)"[^>]*>(.*?)</a>', re.S)


def unlink_missing(html: str, ids: set[str]) -> str:
    """A link to a section this handbook leaves out becomes plain text, not a dead link."""
    return _ANCHOR_ELEMENT.sub(lambda m: m.group(0) if m.group(1) in ids else m.group(2), html)


def asset_files(templates_dir: Path) -> dict[str, bytes]:
    """Everything under templates/assets/ (the project's over the bundled), to copy beside the pages."""
    files: dict[str, bytes] = {}
    for folder in reversed(template_search_path(templates_dir)):
        assets = folder / "assets"
        files.update({
            f"assets/{path.relative_to(assets).as_posix()}": path.read_bytes()
            for path in sorted(assets.rglob("*"))
            if path.is_file() and path.suffix in ASSET_SUFFIXES
        })
    return dict(sorted(files.items()))


def _link_across_pages(pages: dict[str, str]) -> dict[str, str]:
    """A link to `#anchor` that lives on another chapter page points to that page."""
    home = {anchor: name for name, html in pages.items() for anchor in ID_ATTRIBUTE.findall(html)}
    pages = {name: unlink_missing(html, set(home)) for name, html in pages.items()}

    def fix(name: str, html: str) -> str:
        own = set(ID_ATTRIBUTE.findall(html))

        def replace(match: re.Match[str]) -> str:
            anchor = match.group(1)
            if anchor in own or anchor not in home:
                return match.group(0)
            return f'href="{home[anchor]}#{anchor}"'

        return _LOCAL_LINK.sub(replace, html)

    return {name: fix(name, html) for name, html in pages.items()}


def render_print_html(handbook: Handbook, env: jinja2.Environment) -> str:
    html = env.get_template("print.html").render(hb=handbook, **template_helpers(handbook.formats))
    return unlink_missing(html, set(ID_ATTRIBUTE.findall(html)))


def render_site(handbook: Handbook, env: jinja2.Environment) -> dict[str, str]:
    """index.html and one page per chapter, with previous/next links."""
    helpers = template_helpers(handbook.formats)
    pages = {"index.html": env.get_template("index.html").render(hb=handbook, **helpers)}
    chapters = handbook.chapters
    chapter_template = env.get_template("chapter.html")
    for position, chapter in enumerate(chapters):
        pages[chapter.filename] = chapter_template.render(
            hb=handbook, chapter=chapter,
            previous=chapters[position - 1] if position > 0 else None,
            next=chapters[position + 1] if position + 1 < len(chapters) else None,
            **helpers,
        )
    return _link_across_pages(pages)
