"""What WeasyPrint's PDF/UA tagging leaves out, added while it tags.

WeasyPrint (pdf_variant "pdf/ua-1") builds the structure tree from the HTML, but
it gives no element its own language (a section shown in English inside a
Spanish handbook would be read aloud with Spanish rules), no header cell its
scope, and it marks the running footer and page numbers as content that belongs
to no structure element, where PDF/UA wants page furniture (and decorations
hidden from assistive technology with aria-hidden) to be an Artifact.
These three, a figure's
description beyond its title, and the words of Arabic text blocks whose lam-alef ligatures
extractors misread, are added by wrapping two of its private functions, so this module
is pinned to the WeasyPrint versions pyproject.toml allows; `hooks_in_place()`
says whether they are, and tests/output/test_pdf.py fails when they are not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

_installed = False
# MCIDs of running footers and page numbers, by page index, for the document being tagged.
_furniture_mcids: dict[int, set[int]] = {}


def hooks_in_place() -> bool:
    """True when WeasyPrint has the two functions this module wraps (checked, not assumed)."""
    try:
        from weasyprint import pdf as weasy_pdf
        from weasyprint.pdf import tags as weasy_tags
    except ImportError:
        return False
    return callable(getattr(weasy_tags, "_build_box_tree", None)) and callable(getattr(weasy_pdf, "add_tags", None))


def install() -> None:
    """Wrap WeasyPrint's tagging once per process (a no-op when its internals have moved)."""
    global _installed
    if _installed or not hooks_in_place():
        return
    from weasyprint import pdf as weasy_pdf
    from weasyprint.pdf import tags as weasy_tags

    weasy_tags._build_box_tree = _with_language_and_scope(weasy_tags._build_box_tree)
    weasy_pdf.add_tags = _with_furniture_as_artifacts(weasy_pdf.add_tags)
    _installed = True


def _with_language_and_scope(build_box_tree: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    import pydyf
    from weasyprint.formatting_structure import boxes

    def build(box: Any, parent: Any, pdf: Any, page_number: int, nums: dict[int, Any], *rest: Any) -> Iterator[Any]:
        html: Any = getattr(box, "element", None)
        if isinstance(box, boxes.MarginBox) or (html is not None and html.get("aria-hidden") == "true"):
            # Page furniture, or a decoration (a legend swatch) that assistive technology should skip.
            before = set(nums)
            for _unlinked in build_box_tree(box, parent, pdf, page_number, nums, *rest):
                pass  # built so its marked content is accounted for, but kept out of the tree
            _furniture_mcids.setdefault(page_number, set()).update(set(nums) - before)
            return
        own = html is not None and getattr(box, "element_tag", None) not in ("html", "body")
        for element in build_box_tree(box, parent, pdf, page_number, nums, *rest):
            if own and element.get("P") == parent.reference:  # this box's element, not a child passed up
                if lang := html.get("lang"):
                    element["Lang"] = pydyf.String(lang)
                if element.get("S") == "/Figure" and (description := _svg_description(html)):
                    element["Alt"] = pydyf.String(description)
                if (text := _ligature_text(html)) is not None:
                    element["ActualText"] = pydyf.String(text)
                if element.get("S") == "/TH":
                    scope = "/Row" if html.get("scope") == "row" else "/Column"
                    element["A"]["Scope"] = scope
            yield element

    return build


def _svg_description(html: Any) -> str | None:
    """An inline SVG's <title> and <desc> together: the body map's areas, a chart's targets.

    WeasyPrint takes only the <title> ("Where you feel the pain"), which says what
    the picture is but not what it shows.
    """
    svg = "{http://www.w3.org/2000/svg}"
    if html.tag != f"{svg}svg":
        return None
    parts = [(node.text or "").strip() for node in (html.find(f"{svg}title"), html.find(f"{svg}desc"))
             if node is not None]
    parts = [part.rstrip(".") for part in parts if part]
    return ". ".join(parts) + "." if parts else None


_TEXT_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "caption", "figcaption",
                          "dt", "dd"})
_LAM_ALEF = re.compile("\u0644[\u0622\u0623\u0625\u0627\u0649]")  # lam + alef (or alef maksura): one glyph


def _ligature_text(html: Any) -> str | None:
    """A text block's words, for a block whose Arabic has lam-alef ligatures; else None.

    The font draws lam + alef as one glyph, and text extractors (poppler, pdfium) give its two
    letters back in the wrong order ("إىل" for "إلى"). The structure element's ActualText holds
    the words as written, for assistive technology that reads the structure tree. (Put on the
    text itself, poppler reverses the whole line: see docs/accessibility.md.)
    """
    if not isinstance(html.tag, str) or html.tag not in _TEXT_BLOCKS:
        return None
    if any(isinstance(node.tag, str) and node.tag in _TEXT_BLOCKS for node in list(html.iter())[1:]):
        return None  # the inner blocks carry their own
    text = " ".join("".join(html.itertext()).split())
    return text if _LAM_ALEF.search(text) else None


def _with_furniture_as_artifacts(add_tags: Callable[..., None]) -> Callable[..., None]:
    import pydyf

    def tag(pdf: Any, document: Any, pdf_version: Any, page_streams: list[Any]) -> None:
        _furniture_mcids.clear()
        add_tags(pdf, document, pdf_version, page_streams)
        parent_tree = next(obj["Nums"] for obj in pdf.objects
                           if isinstance(obj, pydyf.Dictionary) and "Nums" in obj)  # the ParentTree
        for page_number, stream in enumerate(page_streams):
            furniture = _furniture_mcids.get(page_number, set())
            if not furniture:
                continue
            ops = stream.stream
            for index in range(len(ops) - 2):
                properties = ops[index + 1]
                if ops[index + 2] == b"BDC" and isinstance(properties, pydyf.Dictionary) \
                        and properties.get("MCID") in furniture:
                    ops[index:index + 3] = ["/Artifact", b"BMC", b""]
            page_refs = parent_tree[2 * page_number + 1]
            for mcid in furniture:
                page_refs[mcid] = b"null"
        _furniture_mcids.clear()

    return tag
