"""Bounds on what content may compute: no template or condition can hang or exhaust a command.

Bodies and `when` conditions come from many authors, so a hostile or careless one must not be
able to stop a build: `{% for %}` loops nested three deep, `'x' * 10**9`, `9 ** (9 ** 9)`
(which Jinja would even compute while compiling), a macro that calls itself, a format width of
a billion. Every render and every condition runs with a `Budget`: a number of steps (loop
items, calls, filters, tests and operators, counted the same on every machine), a depth of
nested calls, and a wall-clock time as a last resort. Values are bounded before they are
made: an operator, filter or method that would make a text, list or number too large is
refused, so no single step can run for long either. Each limit fails as a `LimitError`, a
content error the caller places on the module's line.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from generator.errors import ContentError

MAX_STEPS = 100_000  # loop items, calls, filters, tests and operators in one render (the library uses 3)
MAX_CONDITION_STEPS = 10_000  # in one condition
MAX_SECONDS = 2.0  # wall-clock time of one module render (a step budget normally ends it first)
MAX_CONDITION_SECONDS = 1.0
MAX_DEPTH = 40  # nested calls: macros calling macros, recursive loops
MAX_TEXT = 200_000  # characters in one value, items in one list or range
MAX_OUTPUT = 2_000_000  # characters one module body prints
# Python-Markdown reads some text in quadratic time (many entities, emphases or headings in one
# paragraph), so what it is given is bounded too: the library's largest module file has about
# 6,400 characters and its largest rendered text about 3,700.
MAX_MODULE_FILE = 50_000  # characters of one module file (front matter and body)
MAX_MARKDOWN = 50_000  # characters of a module's rendered text, read by markdown
MAX_MARKDOWN_SECONDS = 2.0  # wall-clock time markdown may take over one module, as a last resort
MAX_INT_BITS = 4_096  # about 1,200 digits: enough for any sum content makes with profile numbers
MAX_WIDTH = 1_000  # a width or precision in a format (`'%5d'`, `'{:>10}'`, `center(20)`)


class LimitError(ContentError):
    """Content that would compute too much: too many steps, too deep, too long, or too large."""


@dataclass
class Budget:
    """What one render or condition may still spend."""

    steps: int
    deadline: float
    seconds: float
    depth: int = 0


_BUDGET: ContextVar[Budget | None] = ContextVar("content_budget", default=None)


@contextmanager
def budget(steps: int = MAX_STEPS, seconds: float = MAX_SECONDS) -> Iterator[Budget]:
    """Run the body with a fresh budget (per thread and task: a ContextVar)."""
    current = Budget(steps, time.monotonic() + seconds, seconds)
    token = _BUDGET.set(current)
    try:
        yield current
    finally:
        _BUDGET.reset(token)


def tick() -> None:
    """Spend one step; LimitError when the budget or the time is spent."""
    current = _BUDGET.get()
    if current is None:
        return
    current.steps -= 1
    if current.steps < 0:
        raise LimitError("the text computes too much (too many loop rounds, calls or operations): "
                         "content may only show the profile's values, not run long computations")
    if time.monotonic() > current.deadline:
        raise LimitError(f"the text took longer than {current.seconds:g} s to compute: "
                         "simplify its loops and calls")


def past_deadline() -> bool:
    """Whether the current budget's time is spent (for work that spends no steps, as markdown)."""
    current = _BUDGET.get()
    return current is not None and time.monotonic() > current.deadline


@contextmanager
def nested() -> Iterator[None]:
    """One level deeper in calls (a macro that calls a macro ...); LimitError past MAX_DEPTH."""
    current = _BUDGET.get()
    if current is None:
        yield
        return
    if current.depth >= MAX_DEPTH:
        raise LimitError(f"calls nest more than {MAX_DEPTH} deep (a macro that calls itself?)")
    current.depth += 1
    try:
        yield
    finally:
        current.depth -= 1


def bounded_iter(iterable: Iterable[Any]) -> Iterator[Any]:
    """A `{% for %}` loop's items, one step each."""
    for item in iterable:
        tick()
        yield item


# ---------------------------------------------------------------- sizes


def size_of(value: Any) -> int:
    """Characters of a text, items of a collection, 0 for anything else."""
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset, range)):
        return len(value)
    return 0


def check_size(value: Any, what: str = "a value") -> Any:
    """`value` unchanged, or LimitError when it is too large."""
    if size_of(value) > MAX_TEXT:
        raise LimitError(f"{what} would hold {size_of(value):,} characters or items: "
                         f"at most {MAX_TEXT:,} are allowed")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise LimitError(f"{what} would be a number of more than {MAX_INT_BITS * 3 // 10:,} digits")
    return value


def check_argument(value: Any, what: str) -> None:
    """A count, width or length given to a filter or method: at most MAX_TEXT."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
        raise LimitError(f"{what} is given {value if value.bit_length() < 64 else 'a huge number'}: "
                         f"at most {MAX_TEXT:,} is allowed")


def _bits(value: Any) -> float:
    """About how many bits a number's integer part needs."""
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return value.bit_length()
    if isinstance(value, float) and math.isfinite(value):
        return math.log2(abs(value)) + 1 if abs(value) >= 1 else 0
    return 0


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse `'x' * 10**9`, `9 ** 9 ** 9`, `[1] * n` before they are computed."""
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if size_of(seq) and isinstance(count, int) and size_of(seq) * count > MAX_TEXT:
                raise LimitError(f"a repeated text or list would hold more than {MAX_TEXT:,} characters or items")
        if isinstance(left, int) and isinstance(right, int) and _bits(left) + _bits(right) > MAX_INT_BITS:
            raise LimitError(f"a product would have more than {MAX_INT_BITS * 3 // 10:,} digits")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
        if right > MAX_INT_BITS or right * _bits(left) > MAX_INT_BITS:
            raise LimitError(f"a power would have more than {MAX_INT_BITS * 3 // 10:,} digits")
    elif operator == "+" and size_of(left) and size_of(right):
        if size_of(left) + size_of(right) > MAX_TEXT:
            raise LimitError(f"joined texts or lists would hold more than {MAX_TEXT:,} characters or items")
    elif operator == "%" and isinstance(left, str):
        check_format(left, right.values() if isinstance(right, Mapping) else
                     right if isinstance(right, tuple) else (right,))


# `%5d`, `%-10.3f`, `%*s`: the width and precision of each %-conversion.
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]")
_BRACE_FIELD = re.compile(r"\{([^{}]*)(\{?)")  # `{0:>10}`; a second `{` opens a nested width `{:{}}`
_DIGITS = re.compile(r"\d+")


def check_format(template: str, values: Iterable[Any]) -> None:
    """A `%` or `str.format` template whose result stays small: widths written as numbers up to
    MAX_WIDTH, and its conversions times the longest value at most MAX_TEXT."""
    widths = [part for spec in _PERCENT_SPEC.findall(template) for part in spec if part]
    fields = _BRACE_FIELD.findall(template)
    if "*" in widths or any(nested for _, nested in fields):
        raise LimitError("a format width or precision must be written as a number")
    widths += [digits for field, _ in fields if ":" in field for digits in _DIGITS.findall(field.split(":", 1)[1])]
    if any(len(w) > 6 or int(w) > MAX_WIDTH for w in widths):
        raise LimitError(f"a format width or precision must be a number up to {MAX_WIDTH:,}")
    longest = max((len(str(value)) for value in values), default=0)
    conversions = template.count("%") + template.count("{")
    if len(template) + conversions * (longest + MAX_WIDTH) > MAX_TEXT:
        raise LimitError(f"a format would make more than {MAX_TEXT:,} characters")


def check_method(method: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> tuple[Any, ...]:
    """Refuse a method of a text that would make a huge text (`ljust`, `join`, `replace` ...);
    the arguments to call it with (an iterator given to `join` is read once, here)."""
    owner = getattr(method, "__self__", None)
    if not isinstance(owner, str):
        return args
    name = getattr(method, "__name__", "")
    if name == "join" and args:
        items = [str(item) for item in args[0]]
        check_size(items, "the list to join")
        estimate = len(owner) * len(items) + sum(map(len, items))
        args = (items, *args[1:])
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        count = owner.count(args[0]) if args[0] else len(owner) + 1
        estimate = len(owner) + count * len(args[1])
    else:
        numbers = [abs(a) for a in (*args, *kwargs.values()) if isinstance(a, int) and not isinstance(a, bool)]
        for number in numbers:
            check_argument(number, f"'{name}'")
        estimate = len(owner) * max([1, *numbers]) + max([0, *numbers]) + sum(size_of(a) for a in args)
    if estimate > MAX_TEXT:
        raise LimitError(f"'{name}' would make a text of more than {MAX_TEXT:,} characters")
    return args


def guarded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that spends a step, refuses huge counts and widths, and makes no huge value."""
    value_index = 1 if hasattr(function, "jinja_pass_arg") else 0

    def guarded(*args: Any, **kwargs: Any) -> Any:
        tick()
        for argument in (*args[value_index + 1:], *kwargs.values()):
            check_argument(argument, f"the filter '{name}'")
        if name == "format" and len(args) > value_index and isinstance(args[value_index], str):
            check_format(args[value_index], (*args[value_index + 1:], *kwargs.values()))
        if name == "sum" and not isinstance(kwargs.get("start", args[value_index + 2] if len(args) > value_index + 2
                                                         else 0), (int, float)):
            raise LimitError("the filter 'sum' adds numbers only")
        return check_size(function(*args, **kwargs), f"the filter '{name}'")

    guarded.__name__ = getattr(function, "__name__", name)
    guarded.__doc__ = function.__doc__
    guarded.__dict__.update(getattr(function, "__dict__", {}))  # jinja_pass_arg: context, environment ...
    return guarded


def guarded_test(function: Callable[..., Any]) -> Callable[..., Any]:
    """A test (`is divisibleby`, `select('in', ...)`) that spends a step."""

    def guarded(*args: Any, **kwargs: Any) -> Any:
        tick()
        return function(*args, **kwargs)

    guarded.__name__ = getattr(function, "__name__", "test")
    guarded.__dict__.update(getattr(function, "__dict__", {}))
    return guarded


def bounded_range(*args: int) -> range:
    """`range` for content: at most MAX_TEXT numbers."""
    if len(args) > 3:
        raise TypeError(f"range expected at most 3 arguments, got {len(args)}")
    numbers = range(*args)
    check_size(numbers, "a range")
    return numbers


bounded_range.__name__ = "range"  # as content names it, in messages
