"""Limits on what one profile holds: characters per field, items per list, dates a plan can use.

Each limit is far above what a clinician writes; beyond it a profile is refused at its line, so no
profile can make a build run for minutes or plans run off the end of the calendar.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from helpers import PROFILE_HEAD, maximal_profile

from generator.errors import InputError
from generator.profile import limits
from generator.profile.load import parse_profile


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_profile(text, "profiles/x.yaml")
    return [str(d) for d in info.value.diagnostics]


def nested(path: str, value: str) -> str:
    """YAML that puts `value` at the field `path`; `graded_tasks[].steps` is in a first item."""
    text, indent, inline = "", "", False
    parts = path.split(".")
    for index, part in enumerate(parts):
        name, prefix = part.removesuffix("[]"), "" if inline else indent
        inline = False
        if index == len(parts) - 1:
            text += f"{prefix}{name}: {value}\n"
        elif part.endswith("[]"):
            text += f"{prefix}{name}:\n{indent}  - "
            indent, inline = indent + "    ", True
        else:
            text += f"{prefix}{name}:\n"
            indent += "  "
    return text


@pytest.mark.parametrize("field", sorted(limits.MAX_ITEMS))
def test_a_list_longer_than_its_limit_is_refused_at_its_line(field: str) -> None:
    limit = limits.MAX_ITEMS[field]
    flow = "[" + ", ".join(f"Item {i}" for i in range(limit + 1)) + "]"
    text = PROFILE_HEAD + nested(field, flow)
    found = problems(text)
    assert len(found) == 1, found
    assert f"too many items: {limit + 1}, at most {limit}" in found[0]
    assert found[0].startswith("profiles/x.yaml:")


def test_lists_at_their_limit_are_accepted() -> None:
    assert parse_profile(maximal_profile(), "profiles/x.yaml").id == "max"


@pytest.mark.parametrize(("field", "limit"), [
    ("goals", limits.TEXT_MAX_LENGTH), ("preferred_name", None), ("clinic.name", limits.TEXT_MAX_LENGTH),
    ("condition.cause", limits.LONG_TEXT_MAX_LENGTH), ("nutrition.notes", limits.LONG_TEXT_MAX_LENGTH),
])
def test_text_longer_than_its_limit_is_refused(field: str, limit: int | None) -> None:
    size = (limit or limits.TEXT_MAX_LENGTH) + 1
    value = "Word " * (size // 5) + "W" * (size % 5)
    text = PROFILE_HEAD.replace("preferred_name: Ana\n", "") if field == "preferred_name" else PROFILE_HEAD
    body = f"goals:\n  - {value}\n" if field == "goals" else nested(field, value)
    found = problems(text + body)
    assert any(f"too long: {size:,} characters" in p for p in found), found


def test_long_free_text_within_its_limit_is_accepted() -> None:
    cause = "Nerve injury " * (limits.LONG_TEXT_MAX_LENGTH // 13)
    assert parse_profile(PROFILE_HEAD + f"condition:\n  cause: {cause}\n", "profiles/x.yaml").condition.cause


def test_too_much_text_in_all_is_refused_once() -> None:
    per_item = limits.TEXT_MAX_LENGTH - 20
    count = limits.TOTAL_TEXT_MAX_LENGTH // per_item + 1
    tasks = "".join(f"  - goal: Task {t}\n    steps:\n" + "".join(
        f"      - Step {s} {'w' * (per_item - 10)}\n" for s in range(limits.MAX_ITEMS["graded_tasks[].steps"]))
        for t in range(count // limits.MAX_ITEMS["graded_tasks[].steps"] + 1))
    found = problems(PROFILE_HEAD + "graded_tasks:\n" + tasks)
    assert [p for p in found if "too much text" in p] == [found[0]] and len(found) == 1, found


def test_a_huge_list_is_refused_fast() -> None:
    text = PROFILE_HEAD + "goals:\n" + "".join(f"  - Goal {i}\n" for i in range(50_000))
    started = time.perf_counter()
    found = problems(text)
    assert time.perf_counter() - started < 10
    assert len(found) == 1 and "too many items: 50,000, at most 20" in found[0]


@pytest.mark.parametrize("field", ["start_date", "clinic.next_review"])
@pytest.mark.parametrize("value", ["9999-12-31", "9999-12-25", "3000-01-01", "0001-01-01", "1899-12-31"])
def test_dates_a_plan_cannot_be_laid_out_from_are_refused(field: str, value: str) -> None:
    found = problems(PROFILE_HEAD + nested(field, value))
    assert len(found) == 1 and f"{value} is out of range: expected a date from 1900-01-01 to 2999-12-31" in found[0]


def test_the_last_date_of_the_range_is_accepted() -> None:
    profile = parse_profile(PROFILE_HEAD + f"start_date: {limits.LATEST_DATE}\n", "profiles/x.yaml")
    assert profile.start_date == dt.date(2999, 12, 31)


def test_a_profile_file_too_large_to_read_by_hand_is_refused_before_it_is_parsed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from generator.profile.load import load_profile

    path = tmp_path / "x.yaml"
    path.write_text(PROFILE_HEAD + "# a comment line, over and over\n" * 20_000, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_profile(path)
    assert time.perf_counter() - started < 2
    assert f"at most {limits.MAX_FILE_BYTES:,} bytes" in str(info.value)
