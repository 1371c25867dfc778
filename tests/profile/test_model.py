"""The profile model: values derived once for every page."""

from __future__ import annotations

import pytest

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
