"""The profile model: values derived once for every page."""

from __future__ import annotations

import pytest

from generator.profile import model
from generator.profile.model import Condition, Nutrition, Profile


def profile(cause: str | None = None, patterns: tuple[str, ...] | None = None) -> Profile:
    nutrition = Nutrition(patterns=patterns) if patterns is not None else None
    return Profile(handbook=1, id="a", preferred_name="A", language="en", condition=Condition(cause=cause),
                   nutrition=nutrition)


@pytest.mark.parametrize("cause", ["Type 2 diabetes", "Diabetic neuropathy", "T2DM", "t1 dm",
                                   "diabetes tipo 2", "اعتلال الأعصاب السكري"])
def test_diabetes_named_in_the_cause_counts(cause: str) -> None:
    assert profile(cause).diabetic


@pytest.mark.parametrize("cause", ["Pre-diabetes", "prediabetic", "no diabetes", "sin diabetes",
                                   "Shingles", "Hand surgery", None])
def test_other_causes_and_denials_do_not(cause: str | None) -> None:
    assert not profile(cause).diabetic


def test_the_nutrition_pattern_counts_whatever_the_cause() -> None:
    assert profile("Nerve injury", ("diabetic",)).diabetic


@pytest.mark.parametrize(("cause", "heart"), [("Heart bypass surgery", True), ("cardiac surgery", True),
                                               ("cirugía del corazón", True), ("جراحة القلب", True),
                                               ("Diabetic neuropathy", False), (None, False)])
def test_a_heart_cause_is_decided_once(cause: str | None, heart: bool) -> None:
    assert profile(cause).heart is heart


def _with(areas: tuple[str, ...] = (), cause: str | None = None) -> model.Profile:
    return model.Profile(1, "a", "A", "en", condition=model.Condition(cause=cause, areas=areas))


def test_the_body_facts_every_module_reads_are_decided_once_here() -> None:
    hand = _with(("left-hand", "left-forearm"), "Nerve injury after a wrist fracture")
    assert (hand.hands, hand.feet, hand.chest, hand.injury, hand.limb_injury) == (True, False, False, True, True)
    feet = _with(("left-foot",), "Type 2 diabetes")
    assert (feet.hands, feet.feet, feet.diabetic, feet.limb_injury) == (False, True, True, False)
    chest = _with(("chest", "upper-back"), "Shingles")
    assert (chest.chest, chest.injury, chest.limb_injury, chest.hands) == (True, False, False, False)
    leg = _with(("right-lower-leg",), "Fractura de tibia")
    assert (leg.feet, leg.limb_injury) == (True, True)
    arabic = _with(("right-hand",), "إصابة في العصب")
    assert arabic.limb_injury


def test_conditions_and_bodies_can_name_those_facts() -> None:
    from generator.content.conditions import compile_condition
    from generator.content.view import profile_namespace

    names = profile_namespace(_with(("chest",), "After heart surgery"))
    assert names["chest"] is True and names["heart"] is True and names["hands"] is False
    assert compile_condition("chest or heart").evaluate(names)
