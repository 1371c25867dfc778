"""Module bodies to safe HTML fragments: blocks, sandboxed Jinja, markdown, nh3.

Order matters for safety. Blocks are expanded on the authored source; Jinja
runs in the immutable sandbox and escapes every value it prints, for HTML and
for markdown, so text from a profile is shown as typed (`{{ 7*7 }}` and
`<script>` print as those characters); markdown turns the result into HTML;
nh3 removes any raw HTML the content should not carry. Plans and worksheets
are trusted HTML made by our own templates: a macro call leaves a random
placeholder that is swapped for that HTML only after sanitising.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import jinja2
import markdown
import nh3
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

from generator.content.blocks import BlockError, expand_blocks
from generator.content.library import Module
from generator.content.limits import (
    MAX_MARKDOWN,
    MAX_MARKDOWN_SECONDS,
    MAX_OUTPUT,
    LimitError,
    budget,
    past_deadline,
)
from generator.content.sandbox import TrustedHTML, compiled_body, content_environment
from generator.errors import ContentError, HandbookError

ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i",
    "a", "table", "thead", "tbody", "tr", "th", "td", "blockquote", "code", "pre", "hr",
    "br", "div", "span", "abbr", "sup", "sub", "dl", "dt", "dd", "caption", "bdi",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "lang", "dir"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}


# Authors link to another module as `other-module.md` or `other-module.md#heading`, as in
# MkDocs. Module ids and heading ids are unique in a handbook, so both become anchors;
# output/site.py then points each anchor at the page that holds it.
_MODULE_LINK = re.compile(r'href="(?![a-z][a-z0-9+.-]*:)(?:[^"#]*/)?([a-z0-9-]+)\.md(?:#([^"]*))?"')


def _to_anchor(match: re.Match[str]) -> str:
    module_id, fragment = match.group(1), match.group(2)
    return f'href="#{fragment or module_id}"'


class RenderError(ContentError):
    """A module body that cannot be rendered; `line` is within the module file when known."""

    def __init__(self, module: Module, line: int | None, message: str) -> None:
        super().__init__(message, path=module.path, line=line, module_id=module.id)


@dataclass(frozen=True)
class RenderedModule:
    id: str
    title: str
    topic: str
    html: str


def _check_time() -> None:
    if past_deadline():
        raise LimitError(f"markdown took longer than {MAX_MARKDOWN_SECONDS:g} s to read the text: "
                         "split long paragraphs, lists and tables, and write fewer headings and marks")


class _Deadline(BlockProcessor):
    """Reads no block: before markdown reads each block, asks whether its time is spent."""

    def test(self, parent: Any, block: str) -> bool:
        _check_time()
        return False

    def run(self, parent: Any, blocks: list[str]) -> bool:
        return False


def _timed(handle_match: Callable[..., Any]) -> Callable[..., Any]:
    """An inline pattern's `handleMatch` that first asks whether markdown's time is spent."""

    def handle(*args: Any) -> Any:
        _check_time()
        return handle_match(*args)

    return handle


def _markdown(module_id: str) -> markdown.Markdown:
    """One converter per module id and thread (a converter holds the state of the text it reads:
    the studio renders an HTML and a PDF preview at once in two threads)."""
    return _thread_markdown(module_id, threading.get_ident())


@lru_cache(maxsize=512)
def _thread_markdown(module_id: str, _thread: int) -> markdown.Markdown:
    """One converter per module id and thread (building one is ~1.5 ms); `reset()` before each use.

    Python-Markdown reads some text in quadratic time and has no time limit of its own, so the
    converter asks for the budget's deadline before each block and each inline match.
    """

    def slugify(value: str, separator: str) -> str:
        return f"{module_id}-{slugify_unicode(value, separator)}"

    converter = markdown.Markdown(
        extensions=["tables", "sane_lists", "md_in_html", "attr_list", "toc"],
        extension_configs={
            "toc": {"slugify": slugify, "baselevel": 2, "toc_depth": "3-4"},
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    converter.parser.blockprocessors.register(_Deadline(converter.parser), "handbook-deadline", 1000)
    for pattern in converter.inlinePatterns:
        pattern.handleMatch = _timed(pattern.handleMatch)  # type: ignore[method-assign]
    return converter


@lru_cache(maxsize=512)
def _converted(module_id: str, text: str) -> str:
    """Markdown's HTML for a module's rendered text, sanitised and its links to other modules made
    anchors, remembered: a pure function of the two, and the same for every handbook whose text is
    the same (a module that names no one, in one language and edition). Markdown is a third of an
    HTML build (issue 12); in a batch where every reader has another name, about a quarter of the
    modules' texts repeat (measured on the benchmark's profiles). 512 texts are about 10 MiB."""
    return _MODULE_LINK.sub(_to_anchor, _sanitise(_markdown(module_id).reset().convert(text)))


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        strip_comments=True,
    )


# A plan call leaves a placeholder token in the text, swapped for its HTML after sanitising. The
# nonce in it is secret from every input (profiles, content and translations are fixed before the
# process starts, and no render can pass anything to another), so no input can forge a token; it is
# one per process, not per render, so that a module's text, and its markdown (`_converted`), is
# the same in every handbook where it says the same. Each render swaps only its own tokens.
_NONCE = secrets.token_hex(8)

# A plan's placeholder, alone in its paragraph or not: one pattern compiled once, not one per
# placeholder (compiling them was 3% of an HTML build). Only this render's tokens are replaced;
# anything else of that shape is left as it is.
_PLACEHOLDER = re.compile(r"<p>\s*(HBPLAN[0-9a-f]{16}N[0-9]+X)\s*</p>|(HBPLAN[0-9a-f]{16}N[0-9]+X)")


def _syntax_error(module: Module, source: str, error: jinja2.TemplateSyntaxError) -> RenderError:
    """A template syntax error on the line the author wrote.

    The error's line is in the expanded text, whose lines are not the body's (blocks drop and
    add lines), so the body as written is parsed again, as `check-content` parses it. When only
    this edition's text is broken, the line is found by its text if it is unique in the body.
    """
    try:
        content_environment().parse(module.body)
    except jinja2.TemplateSyntaxError as in_body:
        return RenderError(module, module.body_line + (in_body.lineno or 1) - 1, in_body.message or str(in_body))
    lines = source.splitlines()
    wanted = lines[error.lineno - 1] if 0 < error.lineno <= len(lines) else None
    found = [number for number, line in enumerate(module.body.splitlines(), start=1) if line == wanted]
    line = module.body_line + found[0] - 1 if len(found) == 1 else None
    return RenderError(module, line, error.message or str(error))


def _template_line(error: BaseException) -> int | None:
    """The line of the expanded text where rendering failed: Jinja rewrites the traceback so
    the innermost frame of a string template (`<template>`) carries that line."""
    line = getattr(error, "lineno", None)
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _body_line(module: Module, source: str, line: int | None) -> int | None:
    """A line of the expanded text as a line of the module file, found by its text when that
    text is unique in the body (blocks drop and add lines, so numbers differ)."""
    lines = source.splitlines()
    if line is None or not 0 < line <= len(lines):
        return None
    found = [number for number, text in enumerate(module.body.splitlines(), start=1) if text == lines[line - 1]]
    return module.body_line + found[0] - 1 if len(found) == 1 else None


def _bounded_render(template: jinja2.Template, names: Mapping[str, Any]) -> str:
    """The template's text, in a fresh budget, refused past MAX_OUTPUT characters."""
    parts: list[str] = []
    size = 0
    with budget():
        chunks = cast(Generator[str, None, None], template.generate(names))
        for part in chunks:
            size += len(part)
            if size > MAX_OUTPUT:  # raised where the template is, so the error has its line
                chunks.throw(LimitError(f"the text would be longer than {MAX_OUTPUT:,} characters"))
            parts.append(part)
    return "".join(parts)


# Python-Markdown reads unclosed brackets in quadratic time (5,000 '![' take 10 s, 10,000 a minute)
# and nested emphasis recursively; no module needs more than a few of either in a paragraph.
MAX_BRACKETS = 200
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


def _to_html(module: Module, source: str, text: str) -> str:
    """Markdown to sanitised HTML (`_converted`), refusing text markdown would take minutes to read."""
    if len(text) > MAX_MARKDOWN:
        raise RenderError(module, module.body_line, f"the text is {len(text):,} characters once its template "
                          f"code has run: at most {MAX_MARKDOWN:,} are allowed (split the module, or "
                          "shorten its loops)")
    for paragraph in _PARAGRAPHS.split(text):
        if paragraph.count("[") > MAX_BRACKETS:
            line = next((i for i, t in enumerate(source.splitlines(), 1) if t.count("[") > MAX_BRACKETS // 10), None)
            raise RenderError(module, _body_line(module, source, line),
                              f"a paragraph has more than {MAX_BRACKETS} '[': write fewer links or brackets")
    try:
        with budget(seconds=MAX_MARKDOWN_SECONDS):  # a text remembered by _converted costs nothing
            return _converted(module.id, text)
    except LimitError as error:
        raise RenderError(module, module.body_line, error.message) from None
    except RecursionError:
        raise RenderError(module, None, "the text nests emphasis or blocks too deeply for markdown") from None


def _line_of_call(body: str, name: str, args: tuple[Any, ...]) -> int | None:
    """The body line of a plan call such as `worksheet("nope")`: its name and quoted first argument."""
    call = rf"\b{re.escape(name)}\s*\("
    if args and isinstance(args[0], str):
        call += rf"\s*[\"']{re.escape(args[0])}[\"']"
    pattern = re.compile(call)
    return next((number for number, line in enumerate(body.splitlines(), start=1) if pattern.search(line)), None)


def render_module(
    module: Module,
    edition: str,
    context: Mapping[str, Any],
    macros: Mapping[str, Callable[..., str]],
) -> RenderedModule:
    """Render one module for one edition; `macros` return trusted HTML."""
    try:
        source = expand_blocks(module.body, edition)
    except BlockError as error:
        raise RenderError(module, module.body_line + (error.line or 1) - 1, error.message) from None

    trusted: dict[str, str] = {}

    def placeholder(name: str, call: Callable[..., str]) -> Callable[..., Markup]:
        def invoke(*args: Any, **kwargs: Any) -> Markup:
            try:
                html = call(*args, **kwargs)
            except ContentError as error:  # worksheet("nope"): placed on the line of the call
                line = _line_of_call(module.body, name, args)
                raise error.at(module.path, None if line is None else module.body_line + line - 1, module.id) from None
            if not html:
                return Markup("")
            token = f"HBPLAN{_NONCE}N{len(trusted)}X"
            trusted[token] = html
            return TrustedHTML(f"\n\n{token}\n\n")

        invoke.__name__ = name  # `{{ pacing_plan }}` without its call is named as written
        return invoke

    names = dict(context)
    names.update({name: placeholder(name, call) for name, call in macros.items()})
    try:
        template = compiled_body(source)
        text = _bounded_render(template, names)
    except jinja2.TemplateSyntaxError as error:
        raise _syntax_error(module, source, error) from None
    except jinja2.UndefinedError as error:
        raise RenderError(module, _body_line(module, source, _template_line(error)),
                          f"unknown name in the text: {error.message}") from None
    except jinja2.exceptions.SecurityError as error:
        raise RenderError(module, _body_line(module, source, _template_line(error)),
                          f"not allowed in content: {error}") from None
    except HandbookError:
        raise  # a broken plan template of the project names its own file
    except ContentError as error:  # a limit, or a content mistake a plan call found, with its line when known
        line = error.line if error.path else _body_line(module, source, _template_line(error))
        raise RenderError(module, line, error.message) from None
    except RecursionError:
        raise RenderError(module, None, "the text nests too deeply (a macro that calls itself?)") from None
    except Exception as error:  # 1/0, a wrong type...: a content mistake, never a traceback
        raise RenderError(module, _body_line(module, source, _template_line(error)),
                          f"a template expression failed: {type(error).__name__}: {error}") from None

    html = _to_html(module, source, text)
    if trusted:
        html = _PLACEHOLDER.sub(lambda match: trusted.get(match[1] or match[2], match[0]), html)
    return RenderedModule(module.id, module.title, module.topic, html)
