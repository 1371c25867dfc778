"""The content library: front matter checks with file:line, topics, conditions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import REPO, write_bibliography

from generator.content.library import REVIEW_MONTHS, add_months, load_library
from generator.content.limits import MAX_MODULE_FILE
from generator.errors import InputError

TOPICS = "- id: pacing\n  title: Pacing\n- id: sleep\n  title: Sleep\n"
GOOD = """\
---
id: pacing-basics
title: Pacing
topic: pacing
audience: both
order: 10
when: pacing or condition.sleep_affected
sources: [walking-guide]
reviewed: 2026-11-23
reviewed_by: Dr Test Reviewer
---
## Body

::: try Try this week
- Walk
:::
"""


def library_with(tmp_path: Path, files: dict[str, str], topics: str = TOPICS):
    content = tmp_path / "content"
    content.mkdir()
    (content / "topics.yaml").write_text(topics)
    write_bibliography(content)
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return content


def problems(tmp_path: Path, files: dict[str, str], topics: str = TOPICS) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_library(library_with(tmp_path, files, topics))
    return [str(d) for d in caught.value.diagnostics] or [caught.value.message]


def test_the_repository_library_loads() -> None:
    library = load_library(REPO / "content")
    assert library.topics[0].id == "urgent-help"
    required = {"understanding-pain", "pacing", "desensitisation", "graded-tasks", "sleep",
                "nutrition", "flare-up", "care-team", "urgent-help"}
    assert required <= {m.topic for m in library.modules}


def test_a_good_module_is_read_whole(tmp_path: Path) -> None:
    library = load_library(library_with(tmp_path, {"pacing/pacing-basics.md": GOOD}))
    module = library.module("pacing-basics")
    assert (module.topic, module.audience, module.order) == ("pacing", "both", 10)
    assert module.when is not None and module.when.source.startswith("pacing")
    assert module.body.startswith("## Body") and module.body_line == 12
    assert module.sources == ("walking-guide",) and module.reviewed_by == "Dr Test Reviewer"
    assert library.cited_by(library.modules)[0].title == "Walking with nerve pain"


def test_unknown_key_gives_line_and_did_you_mean(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pacing/x.md": GOOD.replace("order: 10", "ordre: 10")})
    assert any("pacing/x.md:6" in p and "did you mean 'order'" in p for p in found)


def test_missing_required_field_is_named(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pacing/x.md": GOOD.replace("reviewed: 2026-11-23\n", "")})
    assert any("reviewed" in p for p in found)


def test_unknown_topic_suggests_the_near_miss(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pacing/x.md": GOOD.replace("topic: pacing", "topic: pacng")})
    assert any(":4:" in p and "did you mean 'pacing'" in p for p in found)


def test_bad_condition_is_reported_at_its_line(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pacing/x.md": GOOD.replace("when: pacing or", "when: pacin or")})
    assert any(":7:" in p and "did you mean 'pacing'" in p for p in found)


def test_no_front_matter(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pacing/x.md": "# Just text\n"})
    assert any("x.md:1:1" in p and "front matter" in p for p in found)


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pacing/a.md": GOOD, "pacing/b.md": GOOD})
    assert any("already used by" in p and "a.md" in p for p in found)


def test_module_in_the_wrong_folder(tmp_path: Path) -> None:
    found = problems(tmp_path, {"sleep/x.md": GOOD})
    assert any("move it to content/pacing/" in p for p in found)


def test_every_problem_of_every_file_at_once(tmp_path: Path) -> None:
    found = problems(tmp_path, {
        "pacing/a.md": GOOD.replace("audience: both", "audience: patients"),
        "pacing/b.md": GOOD.replace("id: pacing-basics", "id: Pacing Basics").replace("order: 10", "order: ten"),
    })
    assert len(found) >= 3


def test_duplicate_topic(tmp_path: Path) -> None:
    found = problems(tmp_path, {}, topics=TOPICS + "- id: pacing\n  title: Again\n")
    assert any("listed twice" in p for p in found)


# ---------------------------------------------------------------- sources and reviews


def test_an_unknown_source_key_fails_with_file_line_and_did_you_mean(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pacing/x.md": GOOD.replace("[walking-guide]", "[walking-guide, walkng-guide]")})
    assert any("pacing/x.md:8:" in p and "sources[1]" in p and "unknown source 'walkng-guide'" in p
               and "did you mean 'walking-guide'" in p for p in found), found


def test_a_source_key_far_from_any_lists_the_bibliography(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pacing/x.md": GOOD.replace("[walking-guide]", "[002_34d0a4e9a5c2ef5c]")})
    assert any("pacing/x.md:8:" in p and "expected one of: walking-guide" in p for p in found), found


def test_a_library_without_a_bibliography_is_refused_with_its_other_problems(tmp_path: Path) -> None:
    content = library_with(tmp_path, {"pacing/x.md": GOOD})
    (content / "sources.yaml").unlink()
    (content / "pacing" / "y.md").write_text("no front matter\n")
    with pytest.raises(InputError) as caught:
        load_library(content)
    found = [str(d) for d in caught.value.diagnostics]
    assert any("sources.yaml: the file is missing" in p for p in found), found
    assert any("y.md:1:1" in p and "front matter" in p for p in found), found  # reported with the rest


def test_reviewed_by_is_required(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pacing/x.md": GOOD.replace("reviewed_by: Dr Test Reviewer\n", "")})
    assert any("reviewed_by" in p and "missing" in p for p in found), found


def test_the_review_interval_is_24_months_unless_the_module_says(tmp_path: Path) -> None:
    six = GOOD.replace("id: pacing-basics", "id: six").replace("reviewed_by:", "review_months: 6\nreviewed_by:")
    library = load_library(library_with(tmp_path, {"pacing/a.md": GOOD, "pacing/b.md": six}))
    assert REVIEW_MONTHS == 24
    assert library.module("pacing-basics").review_months == 24
    assert library.module("pacing-basics").review_due == dt.date(2028, 11, 23)
    assert library.module("six").review_due == dt.date(2027, 5, 23)


@pytest.mark.parametrize("months", ["0", "two", "121"])
def test_a_bad_review_interval_is_reported_at_its_line(tmp_path: Path, months: str) -> None:
    text = GOOD.replace("reviewed_by:", f"review_months: {months}\nreviewed_by:")
    found = problems(tmp_path, {"pacing/x.md": text})
    assert any("pacing/x.md:10:" in p and "review_months" in p for p in found), found


def test_months_are_added_to_the_same_day_or_the_end_of_a_short_month() -> None:
    assert add_months(dt.date(2026, 11, 23), 24) == dt.date(2028, 11, 23)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 8, 31), 13) == dt.date(2027, 9, 30)


def test_the_closing_chapter_id_is_not_a_library_topic(tmp_path: Path) -> None:
    found = problems(tmp_path, {}, topics=TOPICS + "- id: about-this-handbook\n  title: About\n")
    assert any("topics.yaml:5:" in p and "every handbook ends with" in p for p in found), found


KEY_TOPICS = """\
- id: pacing
  title: Pacing
  key_points:
    - Do a little, often.
    - Rest before the pain builds.
  caregiver_key_points: ["Help them do a little, often."]
- id: sleep
  title: Sleep
"""


def test_key_points_are_read_per_edition_with_their_lines(tmp_path: Path) -> None:
    library = load_library(library_with(tmp_path, {"pacing/pacing-basics.md": GOOD}, KEY_TOPICS))
    pacing, sleep = library.topics
    assert [(p.text, p.line) for p in pacing.key_points] == [("Do a little, often.", 4), ("Rest before the pain builds.", 5)]
    assert [p.text for p in pacing.key_points_for("patient")] == ["Do a little, often.", "Rest before the pain builds."]
    assert [p.text for p in pacing.key_points_for("caregiver")] == ["Help them do a little, often."]
    assert sleep.key_points == () and sleep.key_points_for("caregiver") == ()


def test_more_than_three_key_points_is_an_error_at_the_fourth(tmp_path: Path) -> None:
    topics = KEY_TOPICS.replace("    - Rest before the pain builds.\n",
                                "    - Rest before the pain builds.\n    - Three.\n    - Four.\n")
    found = problems(tmp_path, {"pacing/pacing-basics.md": GOOD}, topics)
    assert len(found) == 1
    assert ":7:" in found[0] and "topics.yaml" in found[0]
    assert "4 key points for every reader: a chapter opens with at most 3" in found[0]


def test_a_key_point_is_plain_text(tmp_path: Path) -> None:
    topics = KEY_TOPICS.replace("Do a little, often.", "Do a little, {{ reader.name }}.")
    found = problems(tmp_path, {"pacing/pacing-basics.md": GOOD}, topics)
    assert len(found) == 1 and ":4:" in found[0] and "plain text" in found[0]


def test_the_repository_topics_each_have_one_to_three_key_points() -> None:
    library = load_library(REPO / "content")
    for topic in library.topics:  # for every reader: a point with a `when` is an alternative for some
        assert 1 <= len([p for p in topic.key_points if p.when is None]) <= 3, topic.id
        assert len([p for p in topic.caregiver_key_points if p.when is None]) <= 3, topic.id


CONDITIONAL_TOPICS = """\
- id: pacing
  title: Pacing
  key_points:
    - Do a little, often.
    - text: Moving gently is safe.
      when: not (chest or heart)
    - text: Get new chest pain checked.
      when: chest or heart
"""


def test_a_key_point_may_be_for_some_readers_only(tmp_path: Path) -> None:
    from generator.content.view import profile_namespace
    from generator.profile.model import Condition, Profile

    library = load_library(library_with(tmp_path, {"pacing/pacing-basics.md": GOOD}, CONDITIONAL_TOPICS))
    pacing = library.topics[0]
    chest = profile_namespace(Profile(1, "a", "A", "en", condition=Condition(areas=("chest",))))
    hand = profile_namespace(Profile(1, "b", "B", "en", condition=Condition(areas=("left-hand",))))
    assert [p.text for p in pacing.key_points_for("patient", chest)] == ["Do a little, often.", "Get new chest pain checked."]
    assert [p.text for p in pacing.key_points_for("patient", hand)] == ["Do a little, often.", "Moving gently is safe."]
    assert len(pacing.key_points_for("patient")) == 3  # without a profile: all of them (extraction, checks)


def test_a_key_point_condition_is_checked_with_its_line(tmp_path: Path) -> None:
    topics = CONDITIONAL_TOPICS.replace("when: chest or heart", "when: chset or heart")
    found = problems(tmp_path, {"pacing/pacing-basics.md": GOOD}, topics)
    assert len(found) == 1 and "topics.yaml:8:" in found[0] and "did you mean 'chest'" in found[0], found


def test_more_than_three_key_points_for_one_reader_fail_the_build_naming_the_topic(tmp_path: Path) -> None:
    from generator.content.conditions import ConditionError
    from generator.content.view import profile_namespace
    from generator.profile.model import Profile

    topics = CONDITIONAL_TOPICS.replace("when: chest or heart", "when: true").replace(
        "    - Do a little, often.\n", "    - Do a little, often.\n    - Rest.\n")
    pacing = load_library(library_with(tmp_path, {"pacing/pacing-basics.md": GOOD}, topics)).topics[0]
    with pytest.raises(ConditionError) as caught:
        pacing.key_points_for("patient", profile_namespace(Profile(1, "a", "A", "en")))
    assert caught.value.path and caught.value.path.endswith("topics.yaml") and caught.value.line == 2
    assert "4 key points apply to this reader" in caught.value.message


def test_a_module_file_too_long_for_markdown_is_refused_when_the_library_loads(tmp_path: Path) -> None:
    """Plain markdown needs no template code to be slow: 40,000 '*a*' take markdown seconds in
    every handbook, so a module file is bounded where it is read."""
    text = GOOD + "*a* " * (MAX_MODULE_FILE // 4) + "\n"
    found = problems(tmp_path, {"pacing/basics.md": text})
    wanted = (f"content/pacing/basics.md: the module has {len(text):,} characters: at most {MAX_MODULE_FILE:,} "
              "are allowed; split it into several modules")
    assert len(found) == 1 and found[0].endswith(wanted), found


def test_the_module_file_limit_is_far_above_the_largest_module() -> None:
    largest = max(len(path.read_text(encoding="utf-8")) for path in (REPO / "content").rglob("*.md"))
    assert largest * 5 < MAX_MODULE_FILE


def test_a_control_character_in_a_module_body_is_refused_at_its_line(tmp_path: Path) -> None:
    found = problems(tmp_path, {"pacing/basics.md": GOOD + "Red \x1b[31m text.\r\n"})
    assert len(found) == 1 and found[0].endswith("content/pacing/basics.md:17: invisible control character U+001B "
                                                 "is not allowed in text; delete it"), found
