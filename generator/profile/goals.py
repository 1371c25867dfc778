"""Goals in the person's own words, and the plan that serves each one.

A goal is written as plain text, or as a mapping that names its plan:

    goals:
      - Walk to the market and back            # linked by shared words (English profiles only)
      - text: Sostener una taza de café
        plan: Sostener una taza de café          # a graded task's goal
      - text: Sleep through the night
        plan: sleep                              # or desensitisation, flare-up; or a pacing activity

`plan` names a pacing activity (its `name`), a graded task (its `goal`) or one of
`model.PLAN_KINDS` the profile has a section for. `resolve_plan` is the one reading of that
name: the loader checks it with it (did-you-mean on a miss) and plans/compute.py links with it.
"""

from __future__ import annotations

import re
from typing import Literal

import yaml

from generator.errors import quote
from generator.inputs.checker import Checker, child, is_null, item, suggest, walk
from generator.profile import model

KEYS = ("text", "plan")
REQUIRED = ("text",)

# What a goal links to: a pacing activity, a graded task, or a whole plan of one kind.
LinkKind = Literal["pacing", "task"] | model.PlanKind


def parse_goals(node: yaml.Node, path: str, c: Checker) -> tuple[model.Goal, ...] | None:
    """The goals list: each item text, or a mapping of `text` and `plan`; no goal twice."""
    items = c.sequence(node, path)
    if items is None:
        return None
    goals: list[model.Goal] = []
    first_line: dict[str, int] = {}
    for index, entry in enumerate(items):
        where = item(path, index)
        if isinstance(entry, yaml.MappingNode):
            f = c.mapping(entry, where, known=KEYS, required=REQUIRED,
                          expected="a goal (its text, and the plan that serves it)")
            if f is None:
                continue
            text = c.text(f["text"], child(where, "text")) if "text" in f else None
            plan = c.text(f["plan"], child(where, "plan")) if "plan" in f else None
        else:
            text, plan = c.text(entry, where), None
        if text is None:
            continue
        if text in first_line:
            c.error(entry, where, f"{quote(text)} is listed twice (first at line {first_line[text]})")
            continue
        first_line[text] = entry.start_mark.line + 1 + c.line_offset
        goals.append(model.Goal(text, plan))
    return tuple(goals)


def plan_kinds(profile: model.Profile) -> tuple[model.PlanKind, ...]:
    """The plan kinds this profile has a section for (the flare-up card is always printed)."""
    present = {"desensitisation": profile.desensitisation is not None,
               "sleep": profile.sleep is not None, "flare-up": True}
    return tuple(kind for kind in model.PLAN_KINDS if present[kind])


def resolve_plan(profile: model.Profile, name: str) -> tuple[LinkKind, int] | None:
    """What a goal's `plan` names: ("pacing", activity index), ("task", task index), (kind, 0)."""
    for index, activity in enumerate(profile.pacing.activities if profile.pacing else ()):
        if activity.name == name:
            return "pacing", index
    for index, task in enumerate(profile.graded_tasks):
        if task.goal == name:
            return "task", index
    for kind in plan_kinds(profile):
        if kind == name:
            return kind, 0
    return None


def check_goal_plans(c: Checker, root: yaml.Node, profile: model.Profile) -> None:
    """Each `plan` a goal names is a plan of this profile; a near miss gets a did-you-mean."""
    names = [*(a.name for a in (profile.pacing.activities if profile.pacing else ())),
             *(t.goal for t in profile.graded_tasks), *plan_kinds(profile)]
    for path, plan in walk(root):
        if not _GOAL_PLAN.fullmatch(path) or not isinstance(plan, yaml.ScalarNode) or is_null(plan):
            continue
        name = plan.value
        if not name.strip() or resolve_plan(profile, name) is not None:
            continue  # an empty plan is reported as such by parse_goals
        if name in model.PLAN_KINDS:  # desensitisation or sleep: the flare-up card is always there
            c.error(plan, path, f"{quote(name)} names the {name} plan, but this profile has no "
                    f"{name} section: add one, or name another plan")
            continue
        hint = suggest(name, names) or " expected one of: " + ", ".join(names)
        c.error(plan, path, f"unknown plan {quote(name)}:{hint} (a goal's plan names a pacing "
                "activity, a graded task's goal, or " + ", ".join(model.PLAN_KINDS) + ")")


_GOAL_PLAN = re.compile(r"goals\[[0-9]+\]\.plan")
