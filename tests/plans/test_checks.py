"""Warnings only the computed plans can give: a goal no plan serves, one activity with two starting points."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from generator.plans.checks import plan_warnings, same_activity, step_amount
from generator.profile.load import parse_profile

MINIMAL = "handbook: 1\nid: ana\npreferred_name: Ana\nlanguage: {language}\n"  # lines 1-4
# Walking: mean 10, baseline 80% -> 8 minutes a day.
PACED = "pacing:\n  activities:\n    - {name: Walking, unit: minutes, recent: [10]}\n"  # lines 5-7


def warnings(text: str, language: str = "en") -> list[str]:
    profile = parse_profile(MINIMAL.format(language=language) + text, "profiles/x.yaml")
    return [str(w) for w in plan_warnings(profile)]


def test_one_activity_paced_and_laddered_from_two_starting_points_warns() -> None:
    ladder = "graded_tasks:\n  - goal: Walk to the market\n    steps: [Walk for 5 minutes, Walk for 10 minutes]\n"
    (warning,) = warnings(PACED + ladder + "goals: [Walk to the market]\n")
    assert warning.startswith("profiles/x.yaml:10:13: graded_tasks[0].steps[0]: this ladder starts "
                              "'Walk to the market' at 5 minutes, but the pacing plan for 'Walking' "
                              "(pacing.activities[0], line 7) starts it at 8 minutes a day")
    assert "make the first step match the pacing baseline" in warning


@pytest.mark.parametrize("first_step", [
    "Walk for 8 minutes",  # the same start
    "Walk to the gate",  # no amount to compare
    "Walk 5 metres",  # another unit than the pacing plan's
])
def test_no_warning_when_the_starting_points_agree_or_cannot_be_compared(first_step: str) -> None:
    ladder = f"graded_tasks:\n  - goal: Walking\n    steps: [{first_step}]\n"
    assert warnings(PACED + ladder) == []


def test_other_activities_are_not_compared() -> None:
    ladder = "graded_tasks:\n  - goal: Walk the dog to the park\n    steps: [Walk the dog for 2 minutes]\n"
    assert warnings(PACED.replace("Walking", "Walking the dog to the shop") + ladder) == []


def test_same_activity_reads_names_loosely_but_whole() -> None:
    assert same_activity("Walking", "Walk to the market")
    assert same_activity("walking", "WALKS")
    assert not same_activity("Walking the dog", "Walk to the park")
    assert not same_activity("Typing", "Button my shirt")


@pytest.mark.parametrize(("text", "unit", "amount"), [
    ("Walk for 5 minutes", "minutes", Fraction(5)), ("Type in 5-minute blocks", "minutes", Fraction(5)),
    ("Stand for 1.5 hours", "minutes", Fraction(90)), ("Carry it for five minutes", "minutes", Fraction(5)),
    ("Walk 2 km", "metres", Fraction(2000)), ("10 reps", "repetitions", Fraction(10)),
    ("Hold it for 10 seconds", "minutes", None), ("Walk 500 m", "minutes", None),
])
def test_step_amount(text: str, unit: str, amount: Fraction | None) -> None:
    assert step_amount(text, unit) == amount


def test_a_goal_no_plan_serves_warns_at_its_line() -> None:
    found = warnings(PACED + "goals:\n  - Walk to the market\n  - Get back to the card club\n")
    assert found == ["profiles/x.yaml:10:5: goals[1]: no plan in this handbook works towards this goal: write "
                     "the goal as 'text: ...' with 'plan: ...', naming a pacing activity, a graded task's goal, "
                     "or desensitisation, sleep, flare-up; or add a graded task for it"]


def test_in_another_language_a_goal_without_its_plan_warns_and_says_why() -> None:
    (warning,) = warnings(PACED.replace("Walking", "Caminar") + "goals:\n  - Caminar al mercado\n", language="es")
    assert "goals[0]: no plan in this handbook works towards this goal (in a profile not in English" in warning
    named = "goals:\n  - {text: Caminar al mercado, plan: Caminar}\n"
    assert warnings(PACED.replace("Walking", "Caminar") + named, language="es") == []


def test_the_samples_warn_only_where_no_plan_exists() -> None:
    profiles = Path(__file__).resolve().parents[2] / "profiles"
    found = {path.name: [w.field for w in plan_warnings(parse_profile(path.read_text(encoding="utf-8"), path.name))]
             for path in sorted(profiles.glob("*.yaml"))}
    assert found == {"ana-lopez.yaml": [], "jo-hand-injury.yaml": [], "maria-diabetic-feet.yaml": [],
                     "layla-haddad.yaml": [],  # each goal names its plan (not English: no matching by words)
                     "sam-after-surgery.yaml": ["goals[2]"]}  # the card club: no plan for it yet
