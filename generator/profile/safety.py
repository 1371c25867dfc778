"""Checks on what clinicians type that the format alone cannot catch.

Every free text of a profile is shown to the reader, some of it on the wallet card, so:

- errors: a medicine dose, or advice to change medicines, anywhere in the profile's text
  (the patterns are inputs/medicines.py's, the same the content gates use), and a bidirectional
  override, embedding or isolate, which would reverse the page's text around it;
- warnings (the profile stays valid): heat or cold in the texture ladder or the flare-up
  steps when the person has numbness, and an item of a `[a, b]` list that looks like the tail
  of the item before it, split at a comma.

Checks that need the computed plans (a goal no plan serves, one activity paced and laddered
from two starting points) are plans/checks.py's.
"""

from __future__ import annotations

import re

import yaml

from generator.errors import Diagnostic, quote
from generator.inputs.checker import Checker, walk
from generator.inputs.medicines import medicine_problems
from generator.inputs.source import BIDI_CONTROLS
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
            if bidi := BIDI_CONTROLS.search(node.value):
                c.error(node, path, f"U+{ord(bidi.group()):04X} is an invisible bidirectional override, embedding or "
                        "isolate: on the page it would reverse or reorder the text around it; delete it")
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


# --- "Call the clinic if" items that are emergencies -------------------------------------------
# The flare-up card lists `flare_plan.call_if` under "Call the clinic if"; an item that sends the
# reader to an emergency service is printed under the card's emergency heading instead, and the
# clinician is warned (build.check_profile) so the profile can be put right.

# Numbers checked when the profile's country has none known: the United States and Canada,
# the United Kingdom, Europe, Australia. Not 111: NHS non-urgent in GB, the emergency number in NZ.
_EMERGENCY_WORDS = re.compile(
    r"(?<![\w&])(?:emergenc(?:y|ies)|ambulances?|a\s?&\s?e|emergencias?|urgencias|ambulancias?)(?![\w&])"
    r"|(?<!\w)(?:[وفبلك]?(?:ال|لل)?(?:طوارئ|طوارىء|إسعاف|اسعاف))(?!\w)",
    re.I,
)
_ER = re.compile(r"(?<![\w&])ER(?![\w&])")  # upper case only: "er" is a word in some languages
# A limb or the skin changing colour (pale, blue, black): blood not reaching it, an emergency the
# urgent-help chapter already sends to the emergency number ("a foot that turns pale, blue or black").
_COLOUR_CHANGE = re.compile(
    r"(?<![\w-])(?:pale|blue|bluish|black|grey|gray|white|p[aá]lid[oa]s?|azul(?:ad[oa])?(?:es|s)?|negr[oa]s?|"
    r"morad[oa]s?|شاحب(?:ة|ًا|ا)?|زرقاء|أزرق|سوداء|أسود)(?![\w-])",
    re.I,
)
# A negation just before the word: "not an emergency", "non-emergency", "no es una emergencia",
# "ليست حالة طوارئ".
_NEGATED = re.compile(
    r"(?:\b(?:not|no|non|never|isn't|isnt|without|sin|nunca)(?:[\s-]+(?:es|son|a|an|the|una?|la|el|de|real|really"
    r"|actual|true))*[\s-]*"
    r"|(?<!\w)(?:ليس|ليست|لا|غير|ليسَت)\s+(?:\S+\s+)?)$",
    re.I,
)


def _number_pattern(number: str) -> re.Pattern[str] | None:
    """A number as a whole token: '116 123' matches '116-123' or '116123'; '000' not in '10 000'."""
    digits = re.sub(r"[^0-9]", "", number)
    if not digits:
        return None
    body = r"[\s.-]?".join(digits)
    return re.compile(rf"(?<![\w+])(?<!\d[\s.,]){body}(?!\w)(?![\s.]\d)")


def emergency_numbers(number: str | None, recognised: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The numbers that make an item an emergency: the country's, or when it is unknown every
    country's emergency number in the services table (`recognised`): numbers live in that table only."""
    return (number,) if number else recognised


def emergency_mention(item: str, numbers: tuple[str, ...] = ()) -> str | None:
    """The words of `item` that name an emergency service or number, or a limb changing colour
    (pale, blue, black), not negated; None if there are none.

    Whole words and tokens only: 'The pain is not an emergency' and 'emergencyroom' are not.
    """
    patterns = [_EMERGENCY_WORDS, _ER, _COLOUR_CHANGE, *filter(None, map(_number_pattern, numbers))]
    for pattern in patterns:
        for found in pattern.finditer(item):
            if not _NEGATED.search(item[:found.start()]):
                return found.group(0)
    return None


def split_call_if(items: tuple[str, ...] | list[str], number: str | None = None,
                  recognised: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """`flare_plan.call_if` as (items for "Call the clinic if", items for the emergency list).

    `number`: the emergency number the handbook prints (the clinic's or its country's), or None.
    """
    numbers = emergency_numbers(number, recognised)
    clinic: list[str] = []
    emergency: list[str] = []
    for item in items:
        (emergency if emergency_mention(item, numbers) else clinic).append(item)
    return clinic, emergency


def call_if_warnings(profile: model.Profile, number: str | None = None,
                     recognised: tuple[str, ...] = ()) -> list[Diagnostic]:
    """A warning at each `flare_plan.call_if` item the flare-up card prints as an emergency."""
    if profile.flare_plan is None:
        return []
    numbers = emergency_numbers(number, recognised)
    found: list[Diagnostic] = []
    for index, item in enumerate(profile.flare_plan.call_if):
        words = emergency_mention(item, numbers)
        if words is None:
            continue
        path = f"flare_plan.call_if[{index}]"
        line, column = profile.places.get(path, (None, None))
        found.append(Diagnostic(
            profile.source, line, column, path,
            f"{quote(item)} reads like an emergency (it names {quote(words)}): it is printed under the flare-up "
            "card's emergency heading, not under \"Call the clinic if\"; move it out of flare_plan.call_if (the "
            "card already lists emergencies under that heading), or reword it if it is not an emergency"))
    return found
