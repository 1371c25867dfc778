"""The plan partials say what happens after the last week, per session or per day, and never ask
the reader to compute."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from pathlib import Path

import pytest
from helpers import REPO

from generator.language import Language
from generator.plans.compute import make_plans
from generator.profile.model import (
    Activity,
    Condition,
    Desensitisation,
    GradedTask,
    Pacing,
    Profile,
    Sleep,
)
from generator.render.macros import make_macros
from generator.render.templates import page_environment

START = dt.date(2026, 1, 5)


def render(profile: Profile, call: str, *args: str) -> str:
    macros = make_macros(page_environment(REPO / "templates"), profile, make_plans(profile, START),
                         Language.of("en"), gettext.NullTranslations().gettext)
    return str(macros[call](*args))


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def profile(**sections: object) -> Profile:
    return Profile(handbook=1, id="a", preferred_name="Ana", language="en", **sections)  # type: ignore[arg-type]


PACING = Pacing(activities=(Activity("Walking", "minutes", (10, 10)),), weeks=3)


@pytest.mark.parametrize("edition", ["patient", "caregiver"])
def test_the_pacing_plan_says_what_to_do_after_its_last_week_per_day(edition: str) -> None:
    # baseline 8 (80% of 10), then 9 and 10: the line names week 3 and its 10 minutes
    words = text(render(profile(pacing=PACING, edition=edition), "pacing_plan"))
    assert "Target each day" in words
    assert "8 minutes a day" in words
    assert re.search(r"After week 3, keep to 10 minutes a day\. Ask (your|the) care team at (your|the) next "
                     r"review before (you go|going) higher\.", words)


def test_the_pacing_week_sheet_says_what_to_do_after_its_last_week() -> None:
    words = text(render(profile(pacing=PACING), "worksheet", "pacing-week"))
    assert "Walking: target each day" in words
    assert "After week 3, keep to the targets of week 3." in words


def test_the_texture_ladder_is_per_session_and_per_day_and_says_what_comes_after_its_top() -> None:
    plan = Desensitisation(textures=("silk", "towel"), sessions_per_day=4, minutes_per_session=5)
    words = text(render(profile(desensitisation=plan), "desensitisation_plan"))
    assert "4 sessions a day, 5 minutes each time" in words
    assert "when every session rates 2 out of 10 or less for 2 days in a row" in words
    assert "if a session rates 5 out of 10 or more" in words
    assert "After the last step (towel): keep going at that step, 4 sessions a day." in words
    assert "at your next review" in words


def test_the_task_ladders_say_what_comes_after_their_last_step() -> None:
    tasks = (GradedTask(goal="Hold a cup", steps=("Hold an empty cup", "Hold a full cup")),)
    words = text(render(profile(graded_tasks=tasks), "graded_task_ladders"))
    assert "After the last step of a ladder, keep practising that step." in words
    assert "before you try anything harder" in words


@pytest.mark.parametrize("sessions", [2, 4])
def test_the_texture_log_has_a_column_for_each_session_of_the_day(sessions: int) -> None:
    plan = Desensitisation(textures=("silk", "towel"), sessions_per_day=sessions)
    html = render(profile(desensitisation=plan), "worksheet", "texture-log")
    header = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert header is not None
    assert re.findall(r"Session (\d+)", header.group(1)) == [str(n) for n in range(1, sessions + 1)]
    columns = 2 + sessions + 1  # date, texture, one per session, what next
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[1], re.S)
    assert rows and all(len(re.findall(r"<t[hd]\b", row)) == columns for row in rows)
    assert f"One box for each session: {sessions} sessions a day." in text(html)


def test_a_texture_log_without_a_ladder_has_the_default_three_sessions() -> None:
    html = render(profile(condition=Condition(symptoms=("allodynia",))), "worksheet", "texture-log")
    assert "Session 3" in html and "Session 4" not in html


INSOMNIA = Condition(sleep_affected=True)


def test_eight_hours_in_bed_for_insomnia_is_time_in_bed_not_a_sleep_window() -> None:
    sleep = Sleep(problems=("falling-asleep", "night-waking"), bedtime=dt.time(23), wake_time=dt.time(7))
    words = text(render(profile(condition=INSOMNIA, sleep=sleep), "sleep_plan"))
    assert "Time in bed 11:00 PM – 7:00 AM (8 hours)" in words
    assert "window" not in words.casefold()


def test_a_clinician_set_restricted_window_is_a_sleep_window() -> None:
    sleep = Sleep(problems=("night-waking",), bedtime=dt.time(0, 30), wake_time=dt.time(6, 30),
                  restricted_window=True)
    words = text(render(profile(condition=INSOMNIA, sleep=sleep), "sleep_plan"))
    assert "Sleep window" in words and "set by your care team" in words
    assert "Time in bed" not in words


ARITHMETIC = re.compile(r"\b(work out|calculate|divide|multiply|add (?:up|on)?\s*\d+ ?%|\d+ ?% (?:more|less))\b",
                        re.I)


def test_no_built_page_asks_the_reader_to_compute(samples_out: Path) -> None:
    for page in sorted(samples_out.glob("*/*.html")):
        if page.name == "print.html":
            continue
        found = ARITHMETIC.findall(text(page.read_text(encoding="utf-8")))
        assert not found, f"{page.relative_to(samples_out)} asks the reader to compute: {found}"
