"""Computed personal plans: pacing schedule, ladders, goal links, diary dates.

Pure functions from a Profile (and the build's `today`) to frozen, typed data.
Templates turn this data into words; nothing here is reader-facing text, so a
translation never has to touch Python. Arithmetic is exact (Fraction), because a
clinician checks the schedule by hand and 15 x 1.1 must be 16.5, not 16.499...
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from generator.language import Language
from generator.profile.goals import LinkKind, resolve_plan
from generator.profile.model import Activity, Desensitisation, GradedTask, Pacing, Profile, Sleep, goal_plan

DEFAULT_WEEKS = 8  # the weekly diary's length when the profile has no pacing section
DAILY_DIARY_DAYS = 7
SLEEP_DIARY_DAYS = 7  # one dated week a page; the reader copies the page for week two
WIND_DOWN = dt.timedelta(hours=1)


# --- data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    """Week `number` (1-based) of every plan, from `start` to `end`, both inclusive."""

    number: int
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Day:
    """One dated row of a diary; `number` is 1-based."""

    number: int
    date: dt.date


@dataclass(frozen=True)
class WeekTarget:
    """One row of a pacing schedule: the target for every day of that week."""

    number: int
    start: dt.date
    end: dt.date
    target: int


@dataclass(frozen=True)
class ActivityPlan:
    name: str
    unit: str  # minutes | repetitions | metres
    recent: tuple[float, ...]
    mean: Fraction  # exact; see mean_display for printing
    baseline: int
    weeks: tuple[WeekTarget, ...]

    @property
    def targets(self) -> tuple[int, ...]:
        return tuple(week.target for week in self.weeks)

    @property
    def mean_display(self) -> Decimal:
        """The mean to one decimal place, without a trailing ".0" (12, 12.5)."""
        return _display_decimal(self.mean)


@dataclass(frozen=True)
class PacingPlan:
    baseline_percent: Fraction
    weeks: tuple[Week, ...]
    activities: tuple[ActivityPlan, ...]


@dataclass(frozen=True)
class Texture:
    number: int  # 1-based, for printing
    name: str
    is_start: bool


@dataclass(frozen=True)
class DesensitisationPlan:
    area: str | None  # an AREAS value, or None
    textures: tuple[Texture, ...]
    start: str  # the starting texture's name
    sessions_per_day: int
    minutes_per_session: int
    # the rule for moving on, as numbers on a 0-10 discomfort scale
    move_up_at_or_below: int = 2
    move_up_days: int = 2
    step_back_at_or_above: int = 5
    scale_max: int = 10


@dataclass(frozen=True)
class TaskStep:
    number: int  # 1-based
    text: str


@dataclass(frozen=True)
class TaskLadder:
    index: int  # 0-based position in profile.graded_tasks
    number: int
    goal: str
    steps: tuple[TaskStep, ...]
    goal_index: int | None  # the profile goal it serves (0-based), None when none matches


@dataclass(frozen=True)
class GoalLink:
    kind: LinkKind  # task | pacing | desensitisation | sleep | flare-up
    index: int = 0  # into plans.tasks or plans.pacing.activities; 0 for a whole plan


@dataclass(frozen=True)
class GoalPlan:
    number: int
    text: str
    links: tuple[GoalLink, ...]


@dataclass(frozen=True)
class SleepPlan:
    problems: tuple[str, ...]
    bedtime: dt.time | None
    wake_time: dt.time | None
    wind_down_start: dt.time | None  # an hour before bedtime
    time_in_bed: dt.timedelta | None  # None unless both times are known
    diary: tuple[Day, ...]
    restricted_window: bool = False  # only a clinician-set window is called a sleep window


@dataclass(frozen=True)
class DiaryPlan:
    days: tuple[Day, ...]  # the daily diary, one week from the start date
    weeks: tuple[Week, ...]  # the weekly pacing record
    texture_sessions: int = Desensitisation.sessions_per_day  # the texture log's boxes a day


@dataclass(frozen=True)
class Plans:
    start: dt.date
    diary: DiaryPlan
    pacing: PacingPlan | None = None
    desensitisation: DesensitisationPlan | None = None
    tasks: tuple[TaskLadder, ...] | None = None
    goals: tuple[GoalPlan, ...] | None = None
    sleep: SleepPlan | None = None


# --- entry point ------------------------------------------------------------------------------


def make_plans(profile: Profile, today: dt.date) -> Plans:
    """Every computed plan for one profile; week 1 starts on profile.start_date or `today`."""
    start = profile.start_date or today
    n_weeks = profile.pacing.weeks if profile.pacing else DEFAULT_WEEKS
    pacing = pacing_plan(profile.pacing, start) if profile.pacing else None
    named = named_links(profile)
    by_words = Language.of(profile.language).is_source  # shared words are only read in English
    tasks = task_ladders(profile.graded_tasks, profile.goals, named, by_words)
    return Plans(
        start=start,
        diary=DiaryPlan(days=diary_days(start, DAILY_DIARY_DAYS), weeks=plan_weeks(start, n_weeks),
                        texture_sessions=(profile.desensitisation or Desensitisation(())).sessions_per_day),
        pacing=pacing,
        desensitisation=desensitisation_plan(profile.desensitisation) if profile.desensitisation else None,
        tasks=tasks,
        goals=goal_plans(profile.goals, tasks, pacing, named, by_words),
        sleep=sleep_plan(profile.sleep, start) if profile.sleep else None,
    )


# --- dates ------------------------------------------------------------------------------------


def plan_weeks(start: dt.date, count: int) -> tuple[Week, ...]:
    return tuple(
        Week(n, start + dt.timedelta(days=7 * (n - 1)), start + dt.timedelta(days=7 * n - 1))
        for n in range(1, count + 1)
    )


def diary_days(start: dt.date, count: int) -> tuple[Day, ...]:
    return tuple(Day(i + 1, start + dt.timedelta(days=i)) for i in range(count))


# --- pacing -----------------------------------------------------------------------------------


def pacing_plan(pacing: Pacing, start: dt.date) -> PacingPlan | None:
    """None when there is nothing to pace, so templates leave the table out."""
    if not pacing.activities:
        return None
    weeks = plan_weeks(start, pacing.weeks)
    base_pct, step_pct = exact(pacing.baseline_percent), exact(pacing.step_percent)
    return PacingPlan(
        baseline_percent=base_pct,
        weeks=weeks,
        activities=tuple(activity_plan(a, weeks, base_pct, step_pct) for a in pacing.activities),
    )


def activity_plan(
    activity: Activity, weeks: tuple[Week, ...], baseline_percent: Fraction, step_percent: Fraction
) -> ActivityPlan:
    recent = [exact(v) for v in activity.recent]
    mean = sum(recent, Fraction(0)) / len(recent) if recent else Fraction(0)
    base = baseline(mean, baseline_percent)
    targets = weekly_targets(base, step_percent, len(weeks))
    return ActivityPlan(
        name=activity.name,
        unit=activity.unit,
        recent=tuple(activity.recent),
        mean=mean,
        baseline=base,
        weeks=tuple(WeekTarget(w.number, w.start, w.end, t) for w, t in zip(weeks, targets, strict=True)),
    )


def baseline(mean: Fraction, percent: Fraction) -> int:
    """floor(percent% of the mean), at least 1: a plan must start somewhere."""
    return max(1, math.floor(mean * percent / 100))


def weekly_targets(first: int, step_percent: Fraction, count: int) -> tuple[int, ...]:
    """Each week rises by step_percent, rounded half up, and by at least 1."""
    targets: list[int] = []
    for _ in range(count):
        if not targets:
            targets.append(first)
        else:
            prev = targets[-1]
            targets.append(max(prev + 1, round_half_up(prev * (1 + step_percent / 100))))
    return tuple(targets)


def round_half_up(value: Fraction) -> int:
    """Rounding as taught at school (16.5 -> 17), not Python's banker's rounding."""
    return math.floor(value + Fraction(1, 2))


def exact(value: float | int) -> Fraction:
    """The number as written in the profile (0.1 stays 1/10, not its binary neighbour)."""
    return Fraction(Decimal(str(value)))


def _display_decimal(value: Fraction) -> Decimal:
    rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded


# --- desensitisation --------------------------------------------------------------------------


def desensitisation_plan(plan: Desensitisation) -> DesensitisationPlan | None:
    if not plan.textures:
        return None
    start = _texture_index(plan.textures, plan.start_at)
    return DesensitisationPlan(
        area=plan.area,
        textures=tuple(Texture(i + 1, name, i == start) for i, name in enumerate(plan.textures)),
        start=plan.textures[start],
        sessions_per_day=plan.sessions_per_day,
        minutes_per_session=plan.minutes_per_session,
    )


def _texture_index(textures: tuple[str, ...], start_at: str | None) -> int:
    """Index of `start_at`, ignoring case and spacing; the loader has checked it is listed."""
    if start_at is None:
        return 0
    wanted = _normal(start_at)
    for i, name in enumerate(textures):
        if _normal(name) == wanted:
            return i
    raise ValueError(f"desensitisation.start_at {start_at!r} is not one of the textures {list(textures)}")


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


# --- graded tasks and goals -------------------------------------------------------------------


def named_links(profile: Profile) -> tuple[GoalLink | None, ...]:
    """For each goal, the plan its `plan:` names (the loader checked it exists), or None."""
    found = [resolve_plan(profile, plan) if (plan := goal_plan(goal)) else None for goal in profile.goals]
    return tuple(GoalLink(*link) if link else None for link in found)


def task_ladders(tasks: tuple[GradedTask, ...], goals: tuple[str, ...], named: Sequence[GoalLink | None] = (),
                 by_words: bool = True) -> tuple[TaskLadder, ...] | None:
    """One ladder per task, with the goal it serves: the first goal naming it, else (`by_words`) the
    goal sharing most words with it among the goals that name no plan."""
    if not tasks:
        return None
    claimed: dict[int, int] = {}
    for g, link in enumerate(named):
        if link is not None and link.kind == "task":
            claimed.setdefault(link.index, g)
    skip = {g for g, link in enumerate(named) if link is not None}
    return tuple(
        TaskLadder(
            index=i,
            number=i + 1,
            goal=task.goal,
            steps=tuple(TaskStep(j + 1, step) for j, step in enumerate(task.steps)),
            goal_index=claimed[i] if i in claimed else best_goal(task.goal, goals, skip) if by_words else None,
        )
        for i, task in enumerate(tasks)
    )


def goal_plans(
    goals: tuple[str, ...], tasks: tuple[TaskLadder, ...] | None, pacing: PacingPlan | None,
    named: Sequence[GoalLink | None] = (), by_words: bool = True,
) -> tuple[GoalPlan, ...] | None:
    """For each goal, the plan it names; else (`by_words`) the ladders and paced activities
    that share its words."""
    if not goals:
        return None
    plans = []
    for g, text in enumerate(goals):
        link = named[g] if g < len(named) else None
        links = [link] if link is not None else []
        if link is None and by_words:
            links = [GoalLink("task", t.index) for t in tasks or () if t.goal_index == g]
            words = stems(text)
            links += [
                GoalLink("pacing", a)
                for a, activity in enumerate(pacing.activities if pacing else ())
                if overlaps(stems(activity.name), words)
            ]
        plans.append(GoalPlan(number=g + 1, text=str(text), links=tuple(links)))
    return tuple(plans)


def best_goal(text: str, goals: tuple[str, ...], skip: Container[int] = ()) -> int | None:
    """The goal sharing the most words with `text`; ties go to the earlier (more important) one."""
    words = stems(text)
    best, best_score = None, 0
    for i, goal in enumerate(goals):
        if i in skip:
            continue
        score = len(words & stems(goal))
        if score > best_score and overlaps(words, stems(goal)):
            best, best_score = i, score
    return best


def overlaps(needle: frozenset[str], haystack: frozenset[str]) -> bool:
    """True when at least half of `needle`'s words (and at least one) are in `haystack`."""
    shared = len(needle & haystack)
    return shared >= 1 and 2 * shared >= len(needle)


# Words too common to say what a goal is about (English: goals are free text, and
# in other languages the match simply relies on the remaining words).
_STOPWORDS = frozenset(
    "a an and at back by for from in into my of off on or the to up with without me i".split()
)
_SUFFIXES = ("ing", "ed", "es", "s", "e")


def stems(text: str) -> frozenset[str]:
    """Lower-case content words, crudely stemmed: walk/walks/walking/walked -> walk."""
    return frozenset(stem(w) for w in re.findall(r"\w+", text.casefold()) if w not in _STOPWORDS)


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # running -> runn -> run, shopping -> shop
    return word


# --- sleep ------------------------------------------------------------------------------------


def sleep_plan(sleep: Sleep, start: dt.date) -> SleepPlan | None:
    """None unless a time is known: without one there is no routine to print."""
    if sleep.bedtime is None and sleep.wake_time is None:
        return None
    return SleepPlan(
        problems=sleep.problems,
        bedtime=sleep.bedtime,
        wake_time=sleep.wake_time,
        wind_down_start=_shift(sleep.bedtime, -WIND_DOWN) if sleep.bedtime is not None else None,
        time_in_bed=(
            _between(sleep.bedtime, sleep.wake_time)
            if sleep.bedtime is not None and sleep.wake_time is not None
            else None
        ),
        diary=diary_days(start, SLEEP_DIARY_DAYS),
        restricted_window=sleep.restricted_window,
    )


def _shift(time: dt.time, delta: dt.timedelta) -> dt.time:
    """A clock time moved by `delta`, wrapping past midnight (00:30 - 1h = 23:30)."""
    return (dt.datetime.combine(dt.date(2000, 1, 2), time) + delta).time()


def _between(earlier: dt.time, later: dt.time) -> dt.timedelta:
    """Time from `earlier` to the next `later`, across midnight (23:30 -> 07:00 is 7h30)."""
    day = dt.timedelta(days=1)
    delta = dt.datetime.combine(dt.date.min, later) - dt.datetime.combine(dt.date.min, earlier)
    return delta % day
