"""How much a profile may hold: characters per field, items per list, dates the calendar can plan.

A profile is written by hand for one person; no clinician writes a 300-character goal, twenty
graded tasks or a plan that starts in the year 9999. A profile far beyond that is a mistake (a
pasted document, a generated file), and it must not make a build lay out thousands of pages for
minutes or run plans past the end of the calendar. So the loader checks these limits first
(`check_limits`), before anything else reads the values, and stops there when one is broken.
The limits are documented in README.md ("Profiles") and exported in the JSON Schema
(`maxLength`, `maxItems`) by schema.py, both from this table.
"""

from __future__ import annotations

import re

import yaml

from generator.inputs.checker import EARLIEST_DATE, LATEST_DATE, Checker, date_problem

TEXT_MAX_LENGTH = 300  # a name, a phone, a goal, a step, a texture, a flare-plan item
LONG_TEXT_MAX_LENGTH = 1000  # the free text of these fields: a few sentences
LONG_TEXTS = ("condition.cause", "nutrition.notes")
TOTAL_TEXT_MAX_LENGTH = 20_000  # all the text of one profile: about 15 printed pages of it
MAX_FILE_BYTES = 256 * 1024  # the file, comments and all: a full profile is about 20 KB; PyYAML reads ~100 KB/s
MAX_VALUES = 3000  # every key, value and item of the file: a full profile has a few hundred

# Items per list, by field path (`[]` for any item); any other list holds at most DEFAULT_MAX_ITEMS.
MAX_ITEMS: dict[str, int] = {
    "goals": 20,
    "graded_tasks": 10,
    "graded_tasks[].steps": 20,
    "pacing.activities": 12,
    "pacing.activities[].recent": 60,
    "desensitisation.textures": 20,
    "flare_plan.warning_signs": 15,
    "flare_plan.first_steps": 15,
    "flare_plan.call_if": 15,
    "caregivers": 10,
    "nutrition.patterns": 20,
    "topics.include": 100,
    "topics.exclude": 100,
}
DEFAULT_MAX_ITEMS = 100

# Dates: every date written by hand lies from 1900-01-01 to 2999-12-31 (inputs/checker.py), and so
# must the build date (--today) that plans start from when a profile has no start_date.
__all__ = ["DEFAULT_MAX_ITEMS", "EARLIEST_DATE", "LATEST_DATE", "LONG_TEXTS", "LONG_TEXT_MAX_LENGTH", "MAX_FILE_BYTES",
           "MAX_ITEMS", "MAX_VALUES", "TEXT_MAX_LENGTH", "TOTAL_TEXT_MAX_LENGTH", "check_limits", "date_problem",
           "max_items", "max_length"]

_INDEX = re.compile(r"\[[0-9]+\]")


def max_length(path: str) -> int:
    """The most characters the text at `path` (such as `goals[1]`) may have."""
    return LONG_TEXT_MAX_LENGTH if _INDEX.sub("[]", path) in LONG_TEXTS else TEXT_MAX_LENGTH


def max_items(path: str) -> int:
    """The most items the list at `path` (such as `graded_tasks[0].steps`) may have."""
    return MAX_ITEMS.get(_INDEX.sub("[]", path), DEFAULT_MAX_ITEMS)


def check_limits(c: Checker, root: yaml.Node) -> bool:
    """Record every limit the profile breaks (at its line); True when it keeps them all.

    Iterative over the nodes, so it stays cheap however large or deep the file is.
    """
    before = len(c.diagnostics)
    total = values = 0
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        values += 1
        if isinstance(node, yaml.ScalarNode):
            total += len(node.value)
            limit = max_length(path)
            if len(node.value) > limit:
                c.error(node, path, f"too long: {len(node.value):,} characters, at most {limit:,} "
                        "(a profile holds a person's own words, not documents)")
        elif isinstance(node, yaml.SequenceNode):
            limit = max_items(path)
            if len(node.value) > limit:
                c.error(node, path, f"too many items: {len(node.value):,}, at most {limit}")
            stack.extend((entry, f"{path}[{index}]") for index, entry in enumerate(node.value[:limit]))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                stack.append((value, f"{path}.{name}" if path else name))
    if values > MAX_VALUES:
        c.error(root, "", f"too many values: {values:,} keys, values and items, at most {MAX_VALUES:,}")
    if total > TOTAL_TEXT_MAX_LENGTH:
        c.error(root, "", f"too much text: {total:,} characters in all, at most {TOTAL_TEXT_MAX_LENGTH:,} "
                f"(the longest field may hold {LONG_TEXT_MAX_LENGTH:,})")
    return len(c.diagnostics) == before

