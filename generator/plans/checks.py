"""Warnings about a profile that only its computed plans can tell.

The loader checks what is written (profile/safety.py); these look at what the handbook will
say: a goal that no plan works towards, and one activity both paced and laddered from two
different starting points (the reader cannot follow both). They are warnings: the handbook
is built, and `validate` and `build` print them with the file and line, which the profile
keeps for every value (`Profile.places`).
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

from generator.errors import Diagnostic, quote
from generator.language import Language
from generator.plans.compute import Plans, make_plans, stems
from generator.profile.model import PLAN_KINDS, Profile

# Links and baselines do not depend on the date, so any day will do for these checks.
_ANY_DAY = dt.date(2000, 1, 3)

# How a step writes an amount in each pacing unit, and what one of those words is worth.
_UNIT_WORDS: dict[str, dict[str, Fraction]] = {
    "minutes": {"minute": Fraction(1), "minutes": Fraction(1), "min": Fraction(1), "mins": Fraction(1),
                "hour": Fraction(60), "hours": Fraction(60), "hr": Fraction(60), "hrs": Fraction(60)},
    "repetitions": {"repetition": Fraction(1), "repetitions": Fraction(1), "rep": Fraction(1),
                    "reps": Fraction(1), "times": Fraction(1)},
    "metres": {"m": Fraction(1), "metre": Fraction(1), "metres": Fraction(1), "meter": Fraction(1),
               "meters": Fraction(1), "km": Fraction(1000), "kilometre": Fraction(1000),
               "kilometres": Fraction(1000), "kilometer": Fraction(1000), "kilometers": Fraction(1000)},
}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30}
_AMOUNT = re.compile(r"\b(?P<number>[0-9]+(?:\.[0-9]+)?|" + "|".join(_NUMBER_WORDS) + r")"
                     r"(?:\s*|-)(?P<unit>[a-z]+)\b", re.I)


def plan_warnings(profile: Profile) -> tuple[Diagnostic, ...]:
    """Every warning the computed plans give about `profile`, each at its line."""
    plans = make_plans(profile, _ANY_DAY)
    return (*_two_starting_points(profile, plans), *_goals_without_a_plan(profile, plans))


def _at(profile: Profile, path: str, message: str) -> Diagnostic:
    line, column = profile.places.get(path, (None, None))
    return Diagnostic(profile.source, line, column, path, message)


def _goals_without_a_plan(profile: Profile, plans: Plans) -> list[Diagnostic]:
    unlinked = [goal for goal in plans.goals or () if not goal.links]
    if not unlinked:
        return []
    words = "" if Language.of(profile.language).is_source else (
        " (in a profile not in English, a goal is linked only to the plan it names)")
    message = ("no plan in this handbook works towards this goal" + words + ": write the goal as 'text: ...' "
               "with 'plan: ...', naming a pacing activity, a graded task's goal, or "
               + ", ".join(PLAN_KINDS) + "; or add a graded task for it")
    return [_at(profile, f"goals[{goal.number - 1}]", message) for goal in unlinked]


def _two_starting_points(profile: Profile, plans: Plans) -> list[Diagnostic]:
    found = []
    for ladder in plans.tasks or ():
        for a, activity in enumerate(plans.pacing.activities if plans.pacing else ()):
            if not same_activity(activity.name, ladder.goal):
                continue
            start = step_amount(ladder.steps[0].text, activity.unit)
            if start is None or start == activity.baseline:
                continue
            line = profile.places.get(f"pacing.activities[{a}]", (None, None))[0]
            where = f"pacing.activities[{a}]" + (f", line {line}" if line else "")
            found.append(_at(profile, f"graded_tasks[{ladder.index}].steps[0]",
                             f"this ladder starts {quote(ladder.goal)} at {_number(start)} {activity.unit}, "
                             f"but the pacing plan for {quote(activity.name)} ({where}) starts it at "
                             f"{activity.baseline} {activity.unit} a day: the reader would have two starting "
                             "points for one activity; make the first step match the pacing baseline, or "
                             "keep the activity in one plan"))
    return found


def same_activity(name: str, other: str) -> bool:
    """Two names of one activity: every content word of one is in the other, ignoring case and endings
    ("Walking" and "Walk to the market"; not "Walking the dog" and "Walk to the park")."""
    words, others = stems(name), stems(other)
    return bool(words and others) and (words <= others or others <= words)


def step_amount(text: str, unit: str) -> Fraction | None:
    """The first amount `text` gives in `unit` ("Walk for 5 minutes" -> 5; "half an hour" is not read)."""
    words = _UNIT_WORDS.get(unit, {})
    for match in _AMOUNT.finditer(text):
        worth = words.get(match["unit"].lower())
        if worth is not None:
            number = match["number"].lower()
            return Fraction(_NUMBER_WORDS[number] if number in _NUMBER_WORDS else Fraction(number)) * worth
    return None


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"
