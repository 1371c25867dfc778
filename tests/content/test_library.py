"""The content library: front matter checks with file:line, topics, conditions."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO

from generator.content.library import load_library
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
sources: [002_34d0a4e9a5c2ef5c]
reviewed: 2026-11-23
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
    assert module.body.startswith("## Body") and module.body_line == 11


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
