"""The pacing staircase SVG: well-formed, one step per week, numbers shown, text escaped."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from generator.plans.compute import ActivityPlan, make_plans
from generator.plans.staircase import staircase_svg
from generator.profile.model import Activity, Pacing, Profile

SVG = "{http://www.w3.org/2000/svg}"


def plan(name: str = "Walking", recent: tuple[float, ...] = (12, 15, 9, 14, 10), weeks: int = 8) -> ActivityPlan:
    profile = Profile(
        handbook=1, id="a", preferred_name="A", language="en", start_date=dt.date(2026, 12, 7),
        pacing=Pacing(activities=(Activity(name, "minutes", recent),), weeks=weeks),
    )
    return make_plans(profile, dt.date(2026, 11, 23)).pacing.activities[0]


def render(p: ActivityPlan, **text: str) -> ET.Element:
    args = {"title": "Walking plan", "week_label": "Week", "unit_label": "minutes a day", **text}
    return ET.fromstring(staircase_svg(p, **args))


def texts(root: ET.Element, css: str) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == css]


def test_accessible_and_scalable() -> None:
    root = render(plan())
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Walking plan"
    assert root.get("viewBox") and root.get("width") == "100%"
    assert root.get("height") is None


def test_one_step_per_week_with_its_number() -> None:
    root = render(plan())
    steps = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "step"]
    assert len(steps) == 8
    assert texts(root, "target") == ["9", "10", "11", "12", "13", "14", "15", "17"]
    assert texts(root, "week") == [str(n) for n in range(1, 9)]
    assert texts(root, "week-label") == ["Week"] and texts(root, "unit") == ["minutes a day"]


def test_steps_rise() -> None:
    root = render(plan())
    tops = [float(r.get("y")) for r in root.iter(f"{SVG}rect") if r.get("class") == "step"]
    assert tops == sorted(tops, reverse=True) and tops[0] > tops[-1]


def test_weeks_count_follows_the_plan() -> None:
    root = render(plan(weeks=3))
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("class") == "step"]) == 3


def test_text_is_escaped() -> None:
    nasty = '<script>alert("x")</script> & co'
    svg = staircase_svg(plan(name=nasty), title=nasty, week_label=nasty, unit_label=nasty)
    assert "<script>" not in svg
    root = ET.fromstring(svg)  # still well-formed
    assert root.find(f"{SVG}title").text == nasty
    assert root.get("aria-label") == nasty
    assert texts(root, "unit") == [nasty]
    assert nasty in root.find(f"{SVG}desc").text


def test_same_plan_same_bytes() -> None:
    assert staircase_svg(plan(), title="t", week_label="w", unit_label="u") == staircase_svg(
        plan(), title="t", week_label="w", unit_label="u"
    )


def test_font_family_inherits_unless_given() -> None:
    assert render(plan()).get("font-family") == "inherit"
    stack = '"Atkinson Hyperlegible", sans-serif'
    svg = staircase_svg(plan(), title="t", week_label="w", unit_label="u", font_family=stack)
    assert ET.fromstring(svg).get("font-family") == stack


def test_phone_rows_keep_their_words_big_however_many_weeks() -> None:
    from generator.plans.staircase import staircase_rows_svg

    for weeks in (4, 8, 16):
        p = plan(weeks=weeks)
        root = ET.fromstring(staircase_rows_svg(p, title="Walking <plan>", week_label="Week", unit_label="minutes"))
        assert root.get("viewBox").split()[2] == "320" and root.get("direction") == "ltr"
        assert texts(root, "target") == [str(t) for t in p.targets]
        assert texts(root, "week") == [str(n) for n in range(1, len(p.targets) + 1)]
        assert min(float(t.get("font-size")) for t in root.iter(f"{SVG}text")) >= 17
        assert root.find(f"{SVG}title").text == "Walking <plan>"
