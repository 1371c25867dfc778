"""The line grammar module bodies are written in: one set of patterns for every reader of a body.

Rendering (`::: blocks`), translation (cutting a body into messages) and the quality
gates (reading prose, counting a box's list) must agree on what a heading, a list item or
a table rule is: when each kept its own patterns they drifted apart (two table rules
disagreed), and a line one stage read as structure another read as prose. Patterns match
one line without its line end; groups are named where a reader needs the parts.
"""

from __future__ import annotations

import re

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

# Jinja in a body: `{{ expression }}`, `{% statement %}`, `{# comment #}`.
JINJA_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
JINJA_STATEMENT = re.compile(r"\{%.*?%\}", re.S)
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
ONLY_TEMPLATE_TAGS = re.compile(r"[ \t]*(?:(?:\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})[ \t]*)+\Z")
