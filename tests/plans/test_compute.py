"""The computed plans: exact arithmetic, dates, matching, and absent sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import FrozenInstanceError, replace
from fractions import Fraction

import pytest
from helpers import TODAY

from generator.plans.compute import GoalLink, make_plans, round_half_up, stem, weekly_targets
from generator.profile.model import Activity, Desensitisation, Goal, GradedTask, Pacing, Profile, Sleep

START = dt.date(2026, 12, 7)

WALKING = Activity("Walking", "minutes", (12, 15, 9, 14, 10))
TYPING = Activity("Typing", "minutes", (20, 25, 30))


def profile(**changes) -> Profile:
    # English: the goals below are, and goals are matched to plans by shared words only in English.
    base = Profile(handbook=1, id="ana-lopez", preferred_name="Ana", language="en", start_date=START)
    return replace(base, **changes)


def example() -> Profile:
    """The profile of ../shared/profile-example.yaml, as far as plans read it."""
    return profile(
        goals=("Hold a cup of coffee with my left hand", "Walk to the market and back"),
        pacing=Pacing(activities=(WALKING, TYPING), baseline_percent=80, step_percent=10, weeks=8),
        desensitisation=Desensitisation(
            textures=("silk", "cotton wool", "fleece", "towel", "corduroy", "velcro"),
            area="left-hand", start_at="cotton wool", sessions_per_day=4, minutes_per_session=5,
        ),
        graded_tasks=(
            GradedTask("Hold a cup of coffee", (
                "Hold an empty plastic cup for 10 seconds",
                "Hold a half-full plastic cup for 30 seconds",
                "Hold a warm mug with both hands",
                "Hold a warm mug with the left hand",
            )),
        ),
        sleep=Sleep(problems=("falling-asleep", "night-waking"), bedtime=dt.time(23, 30), wake_time=dt.time(7)),
    )


# --- pacing -----------------------------------------------------------------------------------


def test_design_example_exactly() -> None:
    plans = make_plans(example(), TODAY)
    walking, typing = plans.pacing.activities
    assert walking.mean == 12
    assert walking.baseline == 9
    assert walking.targets == (9, 10, 11, 12, 13, 14, 15, 17)
    assert typing.mean == 25 and typing.baseline == 20
    assert typing.targets[0] == 20


def test_week_dates_follow_the_start_date() -> None:
    plans = make_plans(example(), TODAY)
    weeks = plans.pacing.activities[0].weeks
    assert (weeks[0].number, weeks[0].start, weeks[0].end) == (1, dt.date(2026, 12, 7), dt.date(2026, 12, 13))
    assert (weeks[1].start, weeks[1].end) == (dt.date(2026, 12, 14), dt.date(2026, 12, 20))
    assert (weeks[7].number, weeks[7].start, weeks[7].end) == (8, dt.date(2027, 1, 25), dt.date(2027, 1, 31))
    assert plans.pacing.weeks[0].start == START
    assert plans.start == START


def test_start_defaults_to_today() -> None:
    plans = make_plans(replace(example(), start_date=None), TODAY)
    assert plans.start == TODAY
    assert plans.pacing.weeks[0].start == TODAY
    assert plans.diary.days[0].date == TODAY


def test_weeks_count() -> None:
    plans = make_plans(profile(pacing=Pacing(activities=(WALKING,), weeks=3)), TODAY)
    assert plans.pacing.activities[0].targets == (9, 10, 11)
    assert len(plans.pacing.weeks) == 3
    assert len(plans.diary.weeks) == 3


def test_percent_overrides() -> None:
    plans = make_plans(profile(pacing=Pacing(activities=(WALKING,), baseline_percent=50, step_percent=20)), TODAY)
    # floor(6) = 6; 6 x 1.2 = 7.2 -> 7; 8.4 -> 8; 9.6 -> 10; 12; 14.4 -> 14; 16.8 -> 17; 20.4 -> 20
    assert plans.pacing.activities[0].targets == (6, 7, 8, 10, 12, 14, 17, 20)
    assert plans.pacing.baseline_percent == 50


def test_percentages_are_exact() -> None:
    # In floats, 0.29 x 100 = 28.999999999999996, which floors to 28.
    activity = Activity("Sit", "minutes", (100,))
    plans = make_plans(profile(pacing=Pacing(activities=(activity,), baseline_percent=29)), TODAY)
    assert plans.pacing.activities[0].baseline == 29
    plans = make_plans(profile(pacing=Pacing(activities=(activity,), baseline_percent=33.3)), TODAY)
    assert plans.pacing.baseline_percent == Fraction(333, 10)
    assert plans.pacing.activities[0].baseline == 33


def test_half_up_rounding_is_exact() -> None:
    assert round_half_up(Fraction(33, 2)) == 17  # 16.5, where round() would give 16
    assert round_half_up(Fraction(29, 2)) == 15  # 14.5
    assert weekly_targets(15, Fraction(10), 2) == (15, 17)  # 15 x 1.1 = 16.5 exactly


def test_baseline_at_least_one() -> None:
    plans = make_plans(profile(pacing=Pacing(activities=(Activity("Stairs", "repetitions", (1, 0, 1)),))), TODAY)
    activity = plans.pacing.activities[0]
    assert activity.mean == Fraction(2, 3)
    assert activity.baseline == 1
    assert activity.targets[:3] == (1, 2, 3)


def test_step_zero_still_rises_by_one() -> None:
    plans = make_plans(profile(pacing=Pacing(activities=(WALKING,), step_percent=0, weeks=4)), TODAY)
    assert plans.pacing.activities[0].targets == (9, 10, 11, 12)


def test_fractional_mean_and_display() -> None:
    plans = make_plans(profile(pacing=Pacing(activities=(Activity("Walk", "minutes", (10, 15)),))), TODAY)
    activity = plans.pacing.activities[0]
    assert activity.mean == Fraction(25, 2)
    assert activity.baseline == 10
    assert str(activity.mean_display) == "12.5"
    assert str(make_plans(example(), TODAY).pacing.activities[0].mean_display) == "12"


def test_pacing_absent_or_empty_is_none() -> None:
    assert make_plans(profile(), TODAY).pacing is None
    assert make_plans(profile(pacing=Pacing(activities=())), TODAY).pacing is None


# --- desensitisation --------------------------------------------------------------------------


def test_desensitisation_explicit_start() -> None:
    plan = make_plans(example(), TODAY).desensitisation
    assert plan.start == "cotton wool"
    assert [t.is_start for t in plan.textures] == [False, True, False, False, False, False]
    assert [t.number for t in plan.textures] == [1, 2, 3, 4, 5, 6]
    assert (plan.sessions_per_day, plan.minutes_per_session, plan.area) == (4, 5, "left-hand")
    assert (plan.move_up_at_or_below, plan.move_up_days, plan.step_back_at_or_above) == (2, 2, 5)


def test_desensitisation_default_start_is_first() -> None:
    plans = make_plans(profile(desensitisation=Desensitisation(textures=("silk", "towel"))), TODAY)
    plan = plans.desensitisation
    assert plan.start == "silk"
    assert plan.textures[0].is_start and not plan.textures[1].is_start
    assert plan.sessions_per_day == 3


def test_desensitisation_unknown_start_is_an_error() -> None:
    with pytest.raises(ValueError, match="start_at"):
        make_plans(profile(desensitisation=Desensitisation(textures=("silk",), start_at="wool")), TODAY)


def test_desensitisation_absent_is_none() -> None:
    assert make_plans(profile(), TODAY).desensitisation is None
    assert make_plans(profile(desensitisation=Desensitisation(textures=())), TODAY).desensitisation is None


# --- graded tasks and goals -------------------------------------------------------------------


def test_task_ladder_steps_in_order() -> None:
    (ladder,) = make_plans(example(), TODAY).tasks
    assert ladder.goal == "Hold a cup of coffee" and ladder.number == 1
    assert [s.number for s in ladder.steps] == [1, 2, 3, 4]
    assert ladder.steps[0].text == "Hold an empty plastic cup for 10 seconds"
    assert ladder.steps[-1].text == "Hold a warm mug with the left hand"


def test_task_goal_matching() -> None:
    goals = ("Walk to the market and back", "Hold a cup of coffee with my left hand", "Sleep through the night")
    tasks = (
        GradedTask("Hold a cup of coffee", ("a",)),
        GradedTask("Type an email", ("b",)),
        GradedTask("Walking to the shops", ("c",)),
    )
    ladders = make_plans(profile(goals=goals, graded_tasks=tasks), TODAY).tasks
    assert [t.goal_index for t in ladders] == [1, None, 0]


def test_task_without_goals_has_no_goal() -> None:
    plans = make_plans(profile(graded_tasks=(GradedTask("Hold a cup", ("a",)),)), TODAY)
    assert plans.tasks[0].goal_index is None
    assert plans.goals is None


def test_goal_links() -> None:
    goals = make_plans(example(), TODAY).goals
    assert [g.text for g in goals] == ["Hold a cup of coffee with my left hand", "Walk to the market and back"]
    assert goals[0].links == (GoalLink("task", 0),)
    assert goals[1].links == (GoalLink("pacing", 0),)  # "Walk" ~ "Walking"; Typing serves no goal


def test_a_goal_links_to_the_plan_it_names() -> None:
    goals = (Goal("Get back to the card club", plan="Walking"), Goal("Hold my coffee", plan="Hold a cup of coffee"),
             Goal("Sleep well", plan="sleep"), Goal("Feel calmer", plan="flare-up"),
             Goal("Wear a shirt", plan="desensitisation"))
    plans = make_plans(replace(example(), goals=goals, sleep=Sleep(bedtime=dt.time(23))), TODAY)
    assert [g.links for g in plans.goals] == [
        (GoalLink("pacing", 0),), (GoalLink("task", 0),), (GoalLink("sleep"),), (GoalLink("flare-up"),),
        (GoalLink("desensitisation"),)]
    assert plans.tasks[0].goal_index == 1  # the ladder serves the goal that names it


def test_a_named_plan_replaces_word_matching_for_that_goal() -> None:
    goals = (Goal("Walk to the market and back", plan="Typing"), "Hold a cup of coffee with my left hand")
    plans = make_plans(replace(example(), goals=goals), TODAY)
    assert plans.goals[0].links == (GoalLink("pacing", 1),)  # Typing, not Walking by its words
    assert plans.goals[1].links == (GoalLink("task", 0),)  # still matched by words: it names no plan


def test_goals_in_another_language_are_linked_only_by_the_plan_they_name() -> None:
    spanish = replace(example(), language="es", pacing=Pacing(activities=(replace(WALKING, name="Caminar"),)),
                      graded_tasks=(GradedTask("Sostener una taza de café", ("a",)),))
    unnamed = make_plans(replace(spanish, goals=("Sostener una taza de café con la mano", "Caminar al mercado")), TODAY)
    assert [g.links for g in unnamed.goals] == [(), ()]  # shared words are not read outside English
    assert unnamed.tasks[0].goal_index is None
    named = make_plans(replace(spanish, goals=(Goal("Sostener una taza de café con la mano",
                                                    plan="Sostener una taza de café"),
                                               Goal("Caminar al mercado", plan="Caminar"))), TODAY)
    assert [g.links for g in named.goals] == [(GoalLink("task", 0),), (GoalLink("pacing", 0),)]


def test_stemming() -> None:
    assert stem("walking") == stem("walk") == stem("walks") == stem("walked")
    assert stem("running") == stem("run")
    assert stem("typing") == stem("type")


def test_tasks_and_goals_absent_are_none() -> None:
    plans = make_plans(profile(), TODAY)
    assert plans.tasks is None and plans.goals is None


# --- sleep and diaries ------------------------------------------------------------------------


def test_sleep_wraps_past_midnight() -> None:
    sleep = make_plans(example(), TODAY).sleep
    assert sleep.bedtime == dt.time(23, 30) and sleep.wake_time == dt.time(7)
    assert sleep.wind_down_start == dt.time(22, 30)
    assert sleep.time_in_bed == dt.timedelta(hours=7, minutes=30)
    assert len(sleep.diary) == 7
    assert sleep.diary[0].date == START and sleep.diary[-1].date == dt.date(2026, 12, 13)
    assert [day.number for day in sleep.diary] == list(range(1, 8))


def test_wind_down_wraps_back_past_midnight() -> None:
    sleep = make_plans(profile(sleep=Sleep(bedtime=dt.time(0, 30), wake_time=dt.time(8))), TODAY).sleep
    assert sleep.wind_down_start == dt.time(23, 30)
    assert sleep.time_in_bed == dt.timedelta(hours=7, minutes=30)


def test_sleep_with_one_time_only() -> None:
    sleep = make_plans(profile(sleep=Sleep(wake_time=dt.time(7))), TODAY).sleep
    assert sleep.wake_time == dt.time(7)
    assert sleep.bedtime is None and sleep.wind_down_start is None and sleep.time_in_bed is None


def test_sleep_without_times_is_none() -> None:
    assert make_plans(profile(sleep=Sleep(problems=("night-waking",))), TODAY).sleep is None
    assert make_plans(profile(), TODAY).sleep is None


def test_daily_diary_and_weekly_record() -> None:
    diary = make_plans(example(), TODAY).diary
    assert [d.date for d in diary.days] == [START + dt.timedelta(days=i) for i in range(7)]
    assert [d.number for d in diary.days] == list(range(1, 8))
    assert len(diary.weeks) == 8 and diary.weeks[-1].end == dt.date(2027, 1, 31)
    assert len(make_plans(profile(), TODAY).diary.weeks) == 8  # default without pacing


def test_plans_are_frozen_with_tuples() -> None:
    plans = make_plans(example(), TODAY)
    with pytest.raises(FrozenInstanceError):
        plans.pacing = None  # type: ignore[misc]
    assert isinstance(plans.pacing.activities, tuple)
    assert isinstance(plans.pacing.activities[0].weeks, tuple)
    assert isinstance(plans.desensitisation.textures, tuple)
    assert isinstance(plans.tasks[0].steps, tuple)
