"""Reading what a built PDF really shows: text, pages, outline, fonts, sizes."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def outline_titles(path: Path) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark, depth 0 for chapters."""
    reader = PdfReader(path)
    found: list[tuple[int, str]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))

    walk(reader.outline, 0)
    return found


def page_size(path: Path, index: int = 0) -> tuple[float, float]:
    box = PdfReader(path).pages[index].mediabox
    return float(box.width), float(box.height)


def font_names(path: Path) -> set[str]:
    names: set[str] = set()
    for page in PdfReader(path).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


def font_sizes(path: Path, page_index: int) -> list[float]:
    """Sizes (pt) of the glyph runs on one page, as the PDF draws them."""
    sizes: list[float] = []
    page = PdfReader(path).pages[page_index]

    def visitor(text, cm, tm, font_dict, font_size):  # noqa: ANN001
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            sizes.append(round(font_size * scale, 1))

    page.extract_text(visitor_text=visitor)
    return sizes



def char_sizes(path: Path) -> list[tuple[int, float]]:
    """(page index, size in pt) of every visible character, the text and page matrices applied."""
    sizes: list[tuple[int, float]] = []
    for index, page in enumerate(PdfReader(path).pages):
        def visitor(text, cm, tm, font_dict, font_size, index=index):  # noqa: ANN001
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            sizes.extend((index, round(font_size * scale, 1)) for char in text if not char.isspace())

        page.extract_text(visitor_text=visitor)
    return sizes
