"""The handbook as files: website pages, print.html and the assets they use."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import jinja2

from generator.project import BUNDLED_TEMPLATES, read_within, template_search_path
from generator.render.context import template_helpers
from generator.render.handbook import Handbook
from generator.render.templates import file_signature

ASSET_SUFFIXES = {".css", ".woff2", ".woff", ".ttf", ".otf", ".svg", ".png", ".txt"}
# `\bid="..."`, written to begin with a letter: re then skips to each 'i' in C, where a leading \b
# tries every position (2.4 ms against 0.13 ms on a print.html, three times per handbook).
ID_ATTRIBUTE = re.compile(r'i(?<!\wi)d="([^"]+)"')
_LOCAL_LINK = re.compile(r'href="#([^"]+)"')
_ANCHOR_ELEMENT = re.compile(r'<a href="#([^"]+)"[^>]*>(.*?)</a>', re.S)
# A phone number as every template and module body prints it (render/context.py phone_html).
_PHONE = re.compile(r'<bdi dir="ltr">(\+?[0-9][0-9 ().-]*[0-9])</bdi>')
_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)
_THEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead>", re.S)
_HEADER_CELL = re.compile(r"<th\b([^>]*)>(.*?)</th>", re.S)
_TBODY = re.compile(r"<tbody\b[^>]*>.*?</tbody>", re.S)
_ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
_CELL_OPEN = re.compile(r"<t[dh]\b(?![^>]*data-label)")
_TAG = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r'class="visually-hidden"')
_HEADING = re.compile(r"<(/?)h([3-6])\b")


def unlink_missing(html: str, ids: set[str]) -> str:
    """A link to a section this handbook leaves out becomes plain text, not a dead link."""
    return _ANCHOR_ELEMENT.sub(lambda m: m.group(0) if m.group(1) in ids else m.group(2), html)


def asset_files(templates_dir: Path) -> dict[str, bytes]:
    """Everything under templates/assets/ (the project's over the bundled), to copy beside the pages."""
    files: dict[str, bytes] = {}
    for folder in reversed(template_search_path(templates_dir)):
        assets = folder / "assets"
        files.update({
            f"assets/{path.relative_to(assets).as_posix()}": _asset_bytes(path, (folder, BUNDLED_TEMPLATES))
            for path in sorted(assets.rglob("*"))
            if path.is_file() and path.suffix in ASSET_SUFFIXES
        })
    return dict(sorted(files.items()))


_ASSETS: dict[Path, tuple[tuple[int, int, int, int], bytes]] = {}  # file: (signature, bytes), per process


def _asset_bytes(path: Path, roots: tuple[Path, Path]) -> bytes:
    """An asset's bytes, read again only when its file changed (`file_signature`): every handbook
    of a batch copies the same style sheets and fonts. A link to outside `roots` made since the
    build started (or while the studio runs) is refused when read (`read_within`)."""
    signature = file_signature(path.stat())
    known = _ASSETS.get(path)
    if known is None or known[0] != signature:  # a link turned elsewhere has another signature
        known = (signature, read_within(path, roots, "templates/"))
        _ASSETS[path] = known
    return known[1]


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


def tap_to_call(html: str) -> str:
    """Phone numbers become tel: links (the website only: the PDF prints them as text)."""
    def link(match: re.Match[str]) -> str:
        number = match.group(1)
        dial = ("+" if number.startswith("+") else "") + re.sub(r"\D", "", number)
        return f'<a href="tel:{dial}">{match.group(0)}</a>'

    return _PHONE.sub(link, html)


def _text(fragment: str) -> str:
    return " ".join(html_module.unescape(_TAG.sub(" ", fragment)).split())


def label_table_cells(html: str) -> str:
    """Each body cell of a table with a header row names its column (data-label), and the table is
    marked `stack`: on a phone (site.css) each row becomes a card instead of scrolling sideways."""
    def table(match: re.Match[str]) -> str:
        attributes, inner = match.groups()
        head = _THEAD.search(inner)
        if not head:
            return match.group(0)
        labels = ["" if _HIDDEN.search(cell) else _text(cell) for _, cell in _HEADER_CELL.findall(head.group(1))]

        def row(found: re.Match[str]) -> str:
            column = iter(labels)

            def cell(opened: re.Match[str]) -> str:
                label = next(column, "")
                return f'{opened.group(0)} data-label="{html_module.escape(label)}"' if label else opened.group(0)

            return _CELL_OPEN.sub(cell, found.group(0))

        body = _TBODY.sub(lambda found: _ROW.sub(row, found.group(0)), inner)
        if 'class="' in attributes:
            attributes = attributes.replace('class="', 'class="stack ', 1)
        else:
            attributes += ' class="stack"'
        return f"<table{attributes}>{body}</table>"

    return _TABLE.sub(table, html)


def promote_headings(html: str) -> str:
    """h3-h6 one level up: a chapter of one module shows no module title (h2), so its
    sections would follow the chapter's h1 as h3s."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) - 1}", html)


def render_print_html(handbook: Handbook, env: jinja2.Environment) -> str:
    html = env.get_template("print.html").render(hb=handbook, promote_headings=promote_headings,
                                                 **template_helpers(handbook.formats))
    return unlink_missing(html, set(ID_ATTRIBUTE.findall(html)))


def render_site(handbook: Handbook, env: jinja2.Environment, pdf_size: int | None = None) -> dict[str, str]:
    """index.html and one page per chapter, with previous/next links.

    `pdf_size`: the bytes of the handbook.pdf beside the pages, which the link to it names.
    """
    helpers = {**template_helpers(handbook.formats), "promote_headings": promote_headings, "site": True,
               "pdf_size": handbook.formats.file_size(pdf_size) if pdf_size else ""}
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
    return {name: tap_to_call(label_table_cells(html)) for name, html in _link_across_pages(pages).items()}
