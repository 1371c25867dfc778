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


@pytest.mark.parametrize("text", ["(0.__class__ ~ [])", "[] if 0.symptoms else []", "not ([] if 0.__class__ else [])"])
def test_a_condition_jinja_fails_on_while_folding_constants_is_a_condition_error(text: str) -> None:
    """Found by the property below: Jinja evaluates constant parts while compiling, outside the sandbox's checks."""
    with pytest.raises(ConditionError):
        compile_condition(text).evaluate(names())


# ---------------------------------------------------------------- properties: never a traceback

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.content.view import PROFILE_NAMES  # noqa: E402

PROFILE = names(goals=("Walk to the shop", "Sleep"), condition=model.Condition(symptoms=("allodynia",)),
                nutrition=model.Nutrition(patterns=("diabetic",)))
ATTRIBUTES = ("symptoms", "areas", "patterns", "activities", "name", "baseline", "edition", "id", "x", "__class__",
              "append", "items", "format", "ljust", "join", "replace", "mro")
LITERALS = st.one_of(
    st.integers(-10**6, 10**6).map(str), st.sampled_from(["10**9", "9**9**9", "9 ** (9 ** 9)", "1e308", "0"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8).map(repr),
    st.sampled_from(["none", "true", "false", "[]", "{}", "()", "range(1000)", "lipsum()", "'x' * 10**9"]),
)


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(st.sampled_from(PROFILE_NAMES), LITERALS)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(ATTRIBUTES)).map(lambda t: f"{t[0]}.{t[1]}"),
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "%", "**", "~", "==", "<", "in", "not in",
                                              "and", "or"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda e: f"not {e}"),
            st.tuples(inner, st.sampled_from(["length", "list", "sum", "join", "first", "last", "unique", "sort",
                                              "center(10**9)", "batch(10**9, 0)", "random", "string", "int",
                                              "map('string')", "select('in', [1, 2])", "format(1)",
                                              "replace('', 'xx')", "indent(10**9)"])).map(lambda t: f"{t[0]} | {t[1]}"),
            st.tuples(inner, st.sampled_from(["defined", "none", "number", "string", "divisibleby(0)", "in([1])"])
                      ).map(lambda t: f"{t[0]} is {t[1]}"),
            st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]"),
            st.tuples(inner, inner).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
            st.lists(inner, max_size=3).map(lambda items: f"[{', '.join(items)}]"),
        )

    return st.recursive(leaves, extend, max_leaves=8)


def _decide(text: str) -> None:
    try:
        condition = compile_condition(text)
    except ConditionError:
        return
    try:
        assert isinstance(condition.evaluate(PROFILE), bool)
    except ConditionError:
        pass


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions())
def test_generated_conditions_give_a_bool_or_a_condition_error(text: str) -> None:
    _decide(text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(list("()[]{}|~*%.,:'\"!<>=-+ 0123456789abcdeinorsx_")) | st.sampled_from(
    PROFILE_NAMES), max_size=40).map("".join))
def test_any_text_as_a_condition_gives_a_bool_or_a_condition_error(text: str) -> None:
    _decide(text)
