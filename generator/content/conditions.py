"""`when` conditions of content modules, evaluated in Jinja's sandbox.

Never Python eval: a condition is a Jinja expression compiled by the immutable
sandbox, so it can compare and test profile values but cannot call methods
that change them, reach Python internals or read files. Names are checked
when the library loads, so a typo fails early with a did-you-mean instead of
silently excluding a chapter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.content.view import PROFILE_NAMES
from generator.errors import ContentError, did_you_mean

_ENV = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)


class ConditionError(ContentError):
    """A condition that does not parse, names something unknown, or fails for a profile."""


@dataclass(frozen=True)
class Condition:
    """A checked condition; plain data (its source), so a library can go to worker processes."""

    source: str

    def evaluate(self, names: dict[str, Any]) -> bool:
        try:
            return bool(_compile(self.source)(**names))
        except jinja2.UndefinedError as error:
            raise ConditionError(f"condition {self.source!r} failed: {error.message}") from None
        except jinja2.exceptions.SecurityError as error:
            raise ConditionError(f"condition {self.source!r} is not allowed: {error}") from None
        except Exception as error:  # 1/0, comparing text with a number...: never a traceback
            raise ConditionError(f"condition {self.source!r} failed: {type(error).__name__}: {error}") from None


@cache
def _compile(text: str) -> Callable[..., Any]:
    return _ENV.compile_expression(text, undefined_to_none=False)


def compile_condition(text: str) -> Condition:
    """Compile and check one condition; ConditionError says what is wrong."""
    try:
        _compile(text)
        tree = _ENV.parse("{{ (" + text + ") }}")
    except jinja2.TemplateSyntaxError as error:
        raise ConditionError(f"condition {text!r} does not parse: {error.message}") from None
    unknown = sorted(meta.find_undeclared_variables(tree) - set(PROFILE_NAMES))
    if unknown:
        name = unknown[0]
        hint = did_you_mean(name, PROFILE_NAMES) or f" expected one of: {', '.join(PROFILE_NAMES)}"
        raise ConditionError(f"condition {text!r} uses unknown name '{name}':{hint}")
    return Condition(text)
