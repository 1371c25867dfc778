"""The sandbox module bodies and `when` conditions are written for, and how values print in it.

Content is written by authors, not programmers, and prints text a clinician typed, so it
runs in Jinja's immutable sandbox and every value it prints is made inert: HTML's special
characters and those markdown would read as markup become entities. Rendering, translation
(to check placeholders) and the quality gates (to find unknown names) share this one
environment, so it belongs to the content format rather than to any one of them.

The sandbox is also bounded (content/limits.py): every loop item, call, filter, test and
operator spends a step of the render's budget, calls nest at most so deep, and no operator,
filter or method may make a huge text, list or number, even while Jinja folds constants at
compile time. Content must read the same on every build: what is random (`lipsum`, the
`random` filter) is refused when the library loads (`content_problems`), and a value that
would print differently on each run (a function, an object's address) is refused when printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, cast

import jinja2
from jinja2 import meta, nodes
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from generator.content.limits import (
    MAX_TEXT,
    LimitError,
    bounded_iter,
    bounded_range,
    check_binop,
    check_format,
    check_method,
    check_size,
    guarded_filter,
    guarded_test,
    nested,
    tick,
)
from generator.errors import ContentError, unprintable

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


# A Python object printed as `<function f at 0x7f...>`: its address changes on every run.
_OBJECT_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def escape_value(value: Any) -> Markup:
    """A profile value as inert text, for HTML and for markdown alike."""
    if isinstance(value, TrustedHTML):
        return value
    if isinstance(value, Markup):
        value = value.unescape()
    if value is None:
        return Markup("")
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined: says which name is unknown
    if callable(value):
        name = getattr(value, "__name__", "")
        raise ContentError(f"'{{{{ {name} }}}}' prints a function, not text: call it, '{{{{ {name}() }}}}'"
                           if name and name.isidentifier() else "the text prints a function, not text: call it")
    text = str(value)
    if _OBJECT_ADDRESS.search(text):
        raise ContentError("the text prints a Python object, which would read differently on every build")
    if code := unprintable(text):  # `{{ '\ud800' }}` cannot be written to a page; `'\x1b'` is no text
        raise ContentError(f"the text prints {code}, which is not text (a control character, or half of a "
                           "surrogate pair): print only the profile's values and plain text")
    return Markup(text.translate(_INERT_TEXT))


# What would make a handbook differ from one build to the next, refused when the library loads.
RANDOM_NAMES = {"lipsum": "makes random placeholder text"}
RANDOM_FILTERS = {"random": "picks an item at random"}


class _Bounded(NodeTransformer):
    """Every `{% for %}` reads its items through `bounded_iter` (a step each), and every `~`
    joins through `bounded_concat` (no huge text): Jinja has no hook for either."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [node.iter], [], None, None,
                               lineno=node.iter.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Call(nodes.EnvironmentAttribute("bounded_concat"), list(node.nodes), [], None, None,
                          lineno=node.lineno)


class ContentSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with every way to compute bounded (content/limits.py).

    Operators are intercepted, so Jinja can no longer fold `9 ** 9 ** 9` or `'x' * 10**9`
    while compiling, and each one is checked before it runs.
    """

    intercepted_binops = frozenset({"*", "**", "+", "-", "/", "//", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = bounded_range
        for name in RANDOM_NAMES:
            self.globals.pop(name, None)
        for name in ("safe", *RANDOM_FILTERS):  # `safe` would let a body print profile text as markup
            self.filters.pop(name, None)
        self.filters = {name: guarded_filter(name, f) for name, f in self.filters.items()}
        self.tests = {name: guarded_test(cast(Callable[..., Any], test)) for name, test in self.tests.items()}

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        tick()
        check_binop(operator, left, right)
        return check_size(super().call_binop(context, operator, left, right), f"'{operator}'")

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        tick()
        args = check_method(obj, args, kwargs)
        with nested():
            return check_size(super().call(context, obj, *args, **kwargs), "a call")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`'{:>9}'.format(x)` and `format_map`, Jinja's sandboxed formatter, with bounded widths."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template, is_map = str(value.__self__), value.__name__ == "format_map"

        def checked(*args: Any, **kwargs: Any) -> str:
            values = list(args[0].values()) if is_map and args and hasattr(args[0], "values") \
                else [*args, *kwargs.values()]
            check_format(template, values)
            return str(check_size(wrapped(*args, **kwargs), "a format"))

        return checked

    def bounded_iter(self, iterable: Any) -> Iterator[Any]:
        return bounded_iter(iterable)

    def bounded_concat(self, *parts: Any) -> str:
        if sum(len(str(part)) for part in parts) > MAX_TEXT:
            raise LimitError(f"joined texts ('~') would hold more than {MAX_TEXT:,} characters")
        return markup_join(parts) if self.autoescape else str_join(parts)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        try:
            return super()._parse(source, name, filename)
        except (RecursionError, MemoryError):
            raise jinja2.TemplateSyntaxError("brackets or tags nest too deeply", 1, name, filename) from None
        except ValueError as error:  # a number of thousands of digits
            raise jinja2.TemplateSyntaxError(str(error), 1, name, filename) from None

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None,
                  defer_init: bool = False) -> str:
        try:
            bounded = _Bounded().visit(source)
            return super()._generate(bounded, name, filename, defer_init=defer_init)
        except (RecursionError, MemoryError):
            raise jinja2.TemplateSyntaxError("brackets or tags nest too deeply", 1, name, filename) from None

    def _compile(self, source: str, filename: str) -> Any:
        try:
            return super()._compile(source, filename)
        except (RecursionError, MemoryError, SyntaxError):  # Python's own nesting limits
            raise jinja2.TemplateSyntaxError("brackets or tags nest too deeply", 1, None, filename) from None


def _make_environment() -> ContentSandbox:
    return ContentSandbox(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=escape_value,
        keep_trailing_newline=True,
        # A `{% if %}` line leaves no blank line behind, which would make a list "loose".
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENVIRONMENT = _make_environment()
_CONDITIONS = ContentSandbox(undefined=jinja2.StrictUndefined)


def content_environment() -> ContentSandbox:
    """The sandbox module bodies render in (also used to check bodies for unknown names)."""
    return _ENVIRONMENT


@lru_cache(maxsize=1024)
def compiled_body(source: str) -> jinja2.Template:
    """A module body compiled in the sandbox once per process, not once per handbook (issue 12).

    Keyed by the body's whole source (one edition, one language), and holding only code:
    each render gets its own names, so nothing of one profile reaches another's render.
    """
    return _ENVIRONMENT.from_string(source)


def condition_environment() -> ContentSandbox:
    """The same sandbox for `when` conditions: expressions that give a value, not text."""
    return _CONDITIONS


def undeclared_names(tree: nodes.Template) -> set[str]:
    """The names a parsed body or condition reads from outside (jinja2.meta's), or none when
    Jinja fails while folding its constant parts (`0.__class__ ~ x`): rendering reports that."""
    try:
        return meta.find_undeclared_variables(tree)
    except Exception:
        return set()


def random_uses(tree: nodes.Node) -> Iterator[tuple[int, str]]:
    """(line, message) for each use of something random in a parsed body or condition."""
    for name in tree.find_all(nodes.Name):
        if name.name in RANDOM_NAMES and name.ctx == "load":
            yield name.lineno, (f"'{name.name}' {RANDOM_NAMES[name.name]}: a handbook must read the same "
                                "every time it is built, so content cannot use it")
    for used in tree.find_all(nodes.Filter):
        if used.name in RANDOM_FILTERS:
            yield used.lineno, (f"the filter '{used.name}' {RANDOM_FILTERS[used.name]}: a handbook must read "
                                "the same every time it is built, so content cannot use it")


def content_problems(body: str) -> list[tuple[int, str]]:
    """(line within the body, message) for what a body may never do, found without rendering it.

    A syntax error is left to rendering and `check-content`, which place it on its line. Only a
    body that names something random is parsed, so loading the library stays fast.
    """
    if not any(name in body for name in (*RANDOM_NAMES, *RANDOM_FILTERS)):
        return []
    try:
        tree = _ENVIRONMENT.parse(body)
    except jinja2.TemplateSyntaxError:
        return []
    return list(random_uses(tree))
