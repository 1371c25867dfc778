"""The sandbox module bodies and `when` conditions are written for, and how values print in it.

Content is written by authors, not programmers, and prints text a clinician typed, so it
runs in Jinja's immutable sandbox and every value it prints is made inert: HTML's special
characters and those markdown would read as markup become entities. Rendering, translation
(to check placeholders) and the quality gates (to find unknown names) share this one
environment, so it belongs to the content format rather than to any one of them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

# HTML's special characters, and those markdown would read as markup, written as
# entities in one pass, so a profile value like "walk *far*", "# 1 goal" or
# "<script>" prints exactly as typed.
_INERT_TEXT = str.maketrans(
    {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~:<>&\"'"}
)


class TrustedHTML(Markup):
    """HTML made by this program (plan placeholders, the phone's <bdi>): printed as it is.

    Any other Markup a body produces (`|e`, `|forceescape`) is only HTML-escaped, so it
    is unescaped and made inert again: markdown must not read a goal as a link.
    """

    __slots__ = ()


def escape_value(value: Any) -> Markup:
    """A profile value as inert text, for HTML and for markdown alike."""
    if isinstance(value, TrustedHTML):
        return value
    if isinstance(value, Markup):
        value = value.unescape()
    if value is None:
        return Markup("")
    return Markup(str(value).translate(_INERT_TEXT))


def _make_environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=escape_value,
        keep_trailing_newline=True,
        # A `{% if %}` line leaves no blank line behind, which would make a list "loose".
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # `safe` would let a body print profile text as markup; content has no use for it.
    del env.filters["safe"]
    return env


_ENVIRONMENT = _make_environment()


def content_environment() -> ImmutableSandboxedEnvironment:
    """The sandbox module bodies render in (also used to check bodies for unknown names)."""
    return _ENVIRONMENT


@lru_cache(maxsize=1024)
def compiled_body(source: str) -> jinja2.Template:
    """A module body compiled in the sandbox once per process, not once per handbook (issue 12).

    Keyed by the body's whole source (one edition, one language), and holding only code:
    each render gets its own names, so nothing of one profile reaches another's render.
    """
    return _ENVIRONMENT.from_string(source)
