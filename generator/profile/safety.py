"""Checks on what clinicians type that the format alone cannot catch.

Every free text of a profile is shown to the reader, some of it on the wallet card, so:

- errors: a medicine dose, or advice to change medicines, anywhere in the profile's text
  (the patterns are inputs/medicines.py's, the same the content gates use);
- warnings (the profile stays valid): heat or cold in the texture ladder or the flare-up
  steps when the person has numbness, and an item of a `[a, b]` list that looks like the tail
  of the item before it, split at a comma.

Checks that need the computed plans (a goal no plan serves, one activity paced and laddered
from two starting points) are plans/checks.py's.
"""

from __future__ import annotations

import re

import yaml

from generator.errors import quote
from generator.inputs.checker import Checker, walk
from generator.inputs.medicines import medicine_problems
from generator.profile import model

_STR = "tag:yaml.org,2002:str"
_INDEX = re.compile(r"\[\d+\]")

# Lists of sentences, where a `[a, b]` list splits a sentence at its comma without a word.
SENTENCE_LISTS = ("goals", "graded_tasks[].steps", "flare_plan.warning_signs",
                  "flare_plan.first_steps", "flare_plan.call_if")
# Where heat or cold would touch the skin: the texture ladder, and what to do first in a flare.
ON_THE_SKIN = ("desensitisation.textures[]", "flare_plan.first_steps[]")
# "Warm" alone is left out (a warm room, warm socks); warm things held on the skin are not.
HEAT_OR_COLD = re.compile(
    r"\b(?:heat(?:ed|ing|s)?|hot|cold(?:er)?|ice|iced|icy|frozen|freez(?:e|er|ing)|chilled|sauna"
    r"|wheat[-\s]?bags?|electric\s+blankets?|warm(?:ed)?\s+(?:packs?|compress(?:es)?|pads?|(?:water\s+)?bottles?)"
    r"|(?:warm|foot)\s+(?:foot\s+)?baths?|soak(?:s|ed|ing)?)\b",  # soaking numb feet: a burn or broken skin unfelt
    re.I,
)
_NOT = re.compile(r"\b(?:no|not|never|avoid|without|don't|dont)\b", re.I)


def check_profile_text(c: Checker, root: yaml.Node, profile: model.Profile | None) -> None:
    """Report doses and medicine changes (errors), heat on numb skin and split items (warnings)."""
    numb = profile is not None and "numbness" in profile.condition.symptoms
    for path, node in walk(root):
        shape = _INDEX.sub("[]", path)
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            for message in medicine_problems(node.value):
                c.error(node, path, message)
            if numb and shape in ON_THE_SKIN:
                _heat_on_numb_skin(c, node, path)
        elif isinstance(node, yaml.SequenceNode) and node.flow_style and shape in SENTENCE_LISTS:
            _split_items(c, node, path)


def _heat_on_numb_skin(c: Checker, node: yaml.ScalarNode, path: str) -> None:
    found = HEAT_OR_COLD.search(node.value)
    if found is None or _NOT.search(node.value[:found.start()]):
        return
    c.warn(node, path, f"{quote(found.group(0))} on numb skin: with numbness (condition.symptoms) the "
           "person may not feel heat or cold hurting the skin until it burns; choose something else, "
           "or make sure they have been shown how to test the temperature first")


def _split_items(c: Checker, node: yaml.SequenceNode, path: str) -> None:
    """`[The hand turns cold, blue or swollen]` is two items; the second starts in lower case."""
    items = node.value
    if not items or not _is_plain_text(items[0]) or not items[0].value[:1].isupper():
        return  # a list written all in lower case is a style, not a split
    for index in range(1, len(items)):
        entry, before = items[index], items[index - 1]
        if not _is_plain_text(entry) or not entry.value[:1].islower():
            continue
        whole = f"{before.value}, {entry.value}" if isinstance(before, yaml.ScalarNode) else entry.value
        c.warn(entry, f"{path}[{index}]", f"{quote(entry.value)} starts in lower case: it looks like the "
               "end of the item before it, split at a comma (in [a, b] lists a comma separates items); "
               f'to keep it one item, quote the whole sentence: "{whole}"')


def _is_plain_text(node: yaml.Node) -> bool:
    """An unquoted text item (a quoted one was split on purpose)."""
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.tag == _STR
