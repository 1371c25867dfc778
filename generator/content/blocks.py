"""`::: kind` blocks in module bodies: callout boxes and edition-only text.

Authors write

    ::: tip Good to know
    any markdown
    :::

and `::: patient` / `::: caregiver` for text that only one edition prints. This
stage runs on the authored source, before profile values are inserted, so a
value from a profile can never open or close a block.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from generator.content.grammar import BLOCK_CLOSE, BLOCK_OPEN
from generator.errors import ContentError, did_you_mean
from generator.profile.model import EDITIONS

CALLOUT_KINDS = ("note", "tip", "warning", "urgent", "try")
EDITION_KINDS: tuple[str, ...] = EDITIONS  # `::: patient`, `::: caregiver`: one per edition
BLOCK_KINDS = CALLOUT_KINDS + EDITION_KINDS

# The line a callout's title becomes in the expanded text; readers of that text (the reading
# grade) find it with CALLOUT_TITLE, so the markup is written here only.
_TITLE_START, _TITLE_END = '<p class="callout-title">', "</p>"
CALLOUT_TITLE = re.compile(f"{re.escape(_TITLE_START)}(?P<title>.*){re.escape(_TITLE_END)}")


class BlockError(ContentError):
    """A block that is not closed, closed twice, or of an unknown kind; `line` is within the body."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message, line=line)


@dataclass(frozen=True)
class _Open:
    kind: str
    line: int
    keep: bool


@lru_cache(maxsize=256)
def expand_blocks(body: str, edition: str | None) -> str:
    """Keep the edition's text, drop the other's, and turn callouts into markdown-in-HTML divs.

    With `edition=None` both editions' text is kept (for checking a module as a whole).
    Remembered: every handbook of a batch expands the same bodies (2 ms a handbook).
    """
    out: list[str] = []
    stack: list[_Open] = []
    for number, line in enumerate(body.splitlines(), start=1):
        keeping = all(block.keep for block in stack)
        if BLOCK_CLOSE.match(line):
            if not stack:
                raise BlockError(number, "':::' closes a block that was never opened")
            block = stack.pop()
            if keeping and block.kind in CALLOUT_KINDS:
                out.extend(["", "</div>", ""])
            continue
        opened = BLOCK_OPEN.match(line)
        if opened:
            kind, title = opened["kind"], opened["title"]
            if kind not in BLOCK_KINDS:
                hint = did_you_mean(kind, BLOCK_KINDS) or f" expected one of: {', '.join(BLOCK_KINDS)}"
                raise BlockError(number, f"unknown block '::: {kind}':{hint}")
            if kind in EDITION_KINDS:
                if title:
                    raise BlockError(number, f"'::: {kind}' takes no title")
                stack.append(_Open(kind, number, edition is None or edition == kind))
                continue
            stack.append(_Open(kind, number, True))
            if keeping:
                out.extend(["", f'<div class="callout callout-{kind}" markdown="1">', ""])
                if title:
                    out.extend([f"{_TITLE_START}{html.escape(title, quote=False)}{_TITLE_END}", ""])
            continue
        if keeping:
            out.append(line)
    if stack:
        raise BlockError(stack[-1].line, f"'::: {stack[-1].kind}' is never closed: add a line ':::' after its text")
    return "\n".join(out) + "\n"
