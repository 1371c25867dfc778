"""The line grammar module bodies are written in: one set of patterns for every reader of a body.

Rendering (`::: blocks`), translation (cutting a body into messages) and the quality
gates (reading prose, counting a box's list) must agree on what a heading, a list item or
a table rule is: when each kept its own patterns they drifted apart (two table rules
disagreed), and a line one stage read as structure another read as prose. Patterns match
one line without its line end; groups are named where a reader needs the parts.
"""

from __future__ import annotations

import re
from itertools import pairwise

# `::: kind Optional title` opens a block; a bare `:::` closes the innermost one.
BLOCK_OPEN = re.compile(r"^:::[ \t]*(?P<kind>[A-Za-z][\w-]*)[ \t]*(?P<title>.*?)[ \t]*$")
BLOCK_CLOSE = re.compile(r"^:::[ \t]*$")

# CommonMark's shapes, as python-markdown reads them.
HEADING = re.compile(r"(?P<prefix>[ \t]{0,3}#{1,6}[ \t]+)(?P<text>.*?)(?P<suffix>(?:[ \t]+#+)?[ \t]*)\Z")
LIST_ITEM = re.compile(r"(?P<prefix>[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)(?P<text>\S.*?)(?P<suffix>[ \t]*)\Z")
QUOTE = re.compile(r"[ \t]*(?:>[ \t]?)+")
FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")
RULE = re.compile(r"[ \t]{0,3}(?:([-*_])(?:[ \t]*\1){2,}|=+)[ \t]*\Z")
TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*\Z")

# A line that starts with a pipe reads as a table row wherever it stands (a row without one is a
# row only under a header, which segments.py reads with its context). See table_cells.
TABLE_ROW = re.compile(r"[ \t]*\|")

# Jinja in a body: `{{ expression }}`, `{% statement %}`, `{# comment #}`. Each tag is spelled once,
# by its delimiters; every pattern below is built from them.
_DELIMITERS = {"expression": ("{{", "}}"), "statement": ("{%", "%}"), "comment": ("{#", "#}")}


def _tag(kind: str, inside: str = ".*?") -> str:
    start, end = _DELIMITERS[kind]
    return f"{re.escape(start)}{inside}{re.escape(end)}"


_ANY_TAG = "|".join(_tag(kind) for kind in _DELIMITERS)  # no groups: findall gives whole tags

JINJA_EXPRESSION = re.compile(_tag("expression", "(?P<expression>.*?)"), re.S)
JINJA_STATEMENT = re.compile(_tag("statement"), re.S)
JINJA_COMMENT = re.compile(_tag("comment"), re.S)
TEMPLATE_TAG = re.compile(_ANY_TAG, re.S)
ONLY_TEMPLATE_TAGS = re.compile(rf"[ \t]*(?:(?:{_ANY_TAG})[ \t]*)+\Z")

# A `|` splits table cells unless it is escaped (`\|`) or inside a template tag (`{{ x | round }}`).
_PIPE = re.compile(r"(?<!\\)\|")


def table_cells(line: str) -> list[str]:
    """A table row cut at the pipes that split cells: `"|".join(table_cells(line)) == line`.

    What comes before the first pipe and after the last are cells too (empty in `| a | b |`),
    and cells keep their padding, so a reader can put the row back together. A line with no
    such pipe is one cell.
    """
    tags = [tag.span() for tag in TEMPLATE_TAG.finditer(line)]
    cuts = [pipe.start() for pipe in _PIPE.finditer(line) if not any(a < pipe.start() < b for a, b in tags)]
    return [line[start + 1:stop] for start, stop in pairwise([-1, *cuts, len(line)])]
