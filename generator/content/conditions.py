"""`when` conditions of content modules, evaluated in Jinja's sandbox.

Never Python eval: a condition is a Jinja expression compiled by the immutable
sandbox, so it can compare and test profile values but cannot call methods
that change them, reach Python internals or read files. Names are checked
when the library loads, so a typo fails early with a did-you-mean instead of
silently excluding a chapter; so is anything random. Evaluating one spends a
small budget (content/limits.py): a condition cannot hang or exhaust a command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from generator.content.limits import MAX_CONDITION_SECONDS, MAX_CONDITION_STEPS, budget
from generator.content.sandbox import condition_environment, random_uses, undeclared_names
from generator.content.view import PROFILE_NAMES
from generator.errors import ContentError, did_you_mean

_ENV = condition_environment()


class ConditionError(ContentError):
    """A condition that does not parse, names something unknown, or fails for a profile."""


@dataclass(frozen=True)
class Condition:
    """A checked condition; plain data (its source), so a library can go to worker processes."""

    source: str

    def evaluate(self, names: dict[str, Any]) -> bool:
        try:
            with budget(MAX_CONDITION_STEPS, MAX_CONDITION_SECONDS):
                return bool(_compile(self.source)(**names))
        except ContentError as error:  # a limit (content/limits.py)
            raise ConditionError(f"condition {_shown(self.source)} cannot be decided: {error.message}") from None
        except jinja2.UndefinedError as error:
            raise ConditionError(f"condition {_shown(self.source)} failed: {error.message}") from None
        except jinja2.exceptions.SecurityError as error:
            raise ConditionError(f"condition {_shown(self.source)} is not allowed: {error}") from None
        except Exception as error:  # 1/0, comparing text with a number...: never a traceback
            raise ConditionError(f"condition {_shown(self.source)} failed: {type(error).__name__}: {error}") from None


def _shown(text: str) -> str:
    """A condition quoted in a message, shortened when long."""
    return repr(text if len(text) <= 80 else text[:77] + "...")


@cache
def _compile(text: str) -> Callable[..., Any]:
    return _ENV.compile_expression(text, undefined_to_none=False)


def compile_condition(text: str) -> Condition:
    """Compile and check one condition; ConditionError says what is wrong."""
    try:
        tree = _ENV.parse("{{ (" + text + ") }}")
        for _line, message in random_uses(tree):
            raise ConditionError(f"condition {_shown(text)}: {message}")
        _compile(text)
    except jinja2.TemplateSyntaxError as error:
        raise ConditionError(f"condition {_shown(text)} does not parse: {error.message}") from None
    except (RecursionError, MemoryError, SyntaxError, ValueError, OverflowError):
        raise ConditionError(f"condition {_shown(text)} does not parse: it nests too deeply or is too large") from None
    except ContentError as error:  # a limit, met while Jinja folds constants
        raise ConditionError(f"condition {_shown(text)} cannot be decided: {error.message}") from None
    except Exception as error:  # `0.__class__ if ...`: Jinja evaluates constant parts while compiling
        raise ConditionError(f"condition {_shown(text)} is not allowed: {type(error).__name__}: {error}") from None
    unknown = sorted(undeclared_names(tree) - set(PROFILE_NAMES))
    if unknown:
        name = unknown[0]
        hint = did_you_mean(name, PROFILE_NAMES) or f" expected one of: {', '.join(PROFILE_NAMES)}"
        raise ConditionError(f"condition {_shown(text)} uses unknown name '{name}':{hint}")
    return Condition(text)
