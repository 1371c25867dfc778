from __future__ import annotations

import pytest

from generator.content.conditions import ConditionError, compile_condition
from generator.content.view import profile_namespace
from generator.profile import model


def names(**changes):
    base = dict(handbook=1, id="a", preferred_name="A", language="en")
    base.update(changes)
    return profile_namespace(model.Profile(**base))


def test_absent_sections_are_false_and_their_lists_empty() -> None:
    ns = names()
    assert compile_condition("not sleep").evaluate(ns)
    assert not compile_condition("'diabetic' in nutrition.patterns").evaluate(ns)


def test_conditions_read_profile_values() -> None:
    ns = names(condition=model.Condition(symptoms=("allodynia",)), nutrition=model.Nutrition(patterns=("diabetic",)))
    assert compile_condition("desensitisation or 'allodynia' in condition.symptoms").evaluate(ns)
    assert compile_condition("'diabetic' in nutrition.patterns").evaluate(ns)
    assert compile_condition("edition == 'patient'").evaluate(ns)


def test_unknown_name_suggests_the_near_miss() -> None:
    with pytest.raises(ConditionError, match="unknown name 'sleeep': did you mean 'sleep'"):
        compile_condition("sleeep or condition.sleep_affected")


def test_syntax_error_is_reported() -> None:
    with pytest.raises(ConditionError, match="does not parse"):
        compile_condition("sleep or (")


@pytest.mark.parametrize("attack", ["condition.__class__", "condition.__class__.__mro__", "goals.__len__()"])
def test_python_internals_are_out_of_reach(attack: str) -> None:
    with pytest.raises(ConditionError):
        compile_condition(attack).evaluate(names(goals=("x",)))


def test_the_profile_cannot_be_changed_from_a_condition() -> None:
    ns = names(goals=("x",), condition=model.Condition(symptoms=("burning",)))
    for attempt in ("goals.append('y')", "condition.symptoms.append('y')", "condition.__setattr__('cause', 'x')"):
        with pytest.raises(ConditionError):
            compile_condition(attempt).evaluate(ns)
    with pytest.raises(ConditionError):  # a real mutable list is refused by the immutable sandbox
        compile_condition("goals.append('y')").evaluate({**ns, "goals": ["x"]})


@pytest.mark.parametrize("text", ["1 / 0", "goals | length > 'a'"])
def test_a_condition_that_fails_when_evaluated_is_a_condition_error(text: str) -> None:
    with pytest.raises(ConditionError, match="failed"):
        compile_condition(text).evaluate(names(goals=("x",)))
