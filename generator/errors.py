"""User-facing errors: the only exceptions the CLI catches.

Every problem a user can fix is reported as a `Diagnostic` that names the file,
line and column, the field's path, and what was expected, so a clinician can go
straight to the line that is wrong.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one input file."""

    file: str
    line: int | None  # 1-based
    column: int | None  # 1-based
    field: str  # dotted path such as "pacing.activities[0].unit", or "" for the whole file
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return printable(f"{where}:{field} {self.message}")


class HandbookError(Exception):
    """Base class of every error meant for the user, never shown as a traceback."""

    exit_code = 1

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = tuple(diagnostics)

    def __str__(self) -> str:
        """The message and its diagnostics, one a line, safe to print (control characters escaped)."""
        if not self.diagnostics:
            return printable(self.message)
        lines = [self.message] if self.message else []
        lines.extend(f"  {d}" for d in self.diagnostics)
        return printable("\n".join(lines))


class InputError(HandbookError):
    """Bad input (profile, content, options): exit code 2."""

    exit_code = 2


class BuildError(HandbookError):
    """A build that could not be completed: exit code 1."""

    exit_code = 1


class ContentError(Exception):
    """A mistake in the content library (a `:::` block, a condition, a body's template), not the user's input.

    Raised deep in the content stages, which may know only the line within a body: whoever
    knows the module fills in where it is (`at`). It is no HandbookError itself; a build
    turns it into one in one place, with one wording (`as_input_error`), and the quality
    gates report it as a problem of the module.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 module_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path  # the module file, as shown in messages, once known
        self.line = line  # 1-based: in `path` when it is set, else within the text that was read
        self.module_id = module_id

    def at(self, path: str, line: int | None, module_id: str) -> ContentError:
        """The same error placed in a module file (`line` in that file)."""
        placed = type(self).__new__(type(self), *self.args)  # a subclass's own __init__ takes other arguments
        placed.__dict__.update(self.__dict__, path=path, line=line, module_id=module_id)
        return placed

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.path or "", self.line if self.path else None, None, "", self.message)

    def as_input_error(self, profile_source: str) -> InputError:
        """What the user is told when a module cannot be used for one profile's handbook."""
        what = f"module '{self.module_id}'" if self.module_id else "a content module"
        if self.path is None:
            return InputError(f"{what} cannot be used for {profile_source}: {self.message}")
        return InputError(f"{what} cannot be used for {profile_source}", [self.diagnostic()])


# What no input may hold as text (C0 and C1 controls but tab and line feed, DEL, lone UTF-16
# surrogates, the noncharacters U+FFFE/U+FFFF), and what a terminal must not be sent raw (those,
# and the bidirectional overrides and isolates that can reorder what a message seems to say).
NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def unprintable(text: str) -> str | None:
    """The first character of `text` no input may hold (see NOT_TEXT), as U+XXXX, or None."""
    found = NOT_TEXT.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def printable(text: str) -> str:
    """`text` safe to print on a terminal: control characters and the like shown escaped (\\x1b, \\ud800)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def quote(value: str, limit: int = 60) -> str:
    """A value shown back in a message, shortened so one line stays one line, never raw control characters."""
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return "'" + printable(value.replace("\n", " ")) + "'"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 problem", "3 problems": every count shown in a message, in one wording (English only)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return " did you mean 'x'?" for the closest choice, or "" when nothing is close."""
    matches = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" did you mean '{matches[0]}'?" if matches else ""


def display_path(path: Path | str) -> str:
    """A path as the user typed it, relative to the current folder when possible.

    A symbolic link is named itself, never what it leads to: that is the file a user can fix.
    """
    path = Path(path)
    try:
        shown = path.parent.resolve() / path.name if path.name not in ("", ".", "..") else path.resolve()
        return str(shown.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
