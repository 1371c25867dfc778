"""Property tests of a module's front matter: a module file gives a Module or its problems, never an exception.

Generated front matter (the module keys with values of every type and size), the library's own modules
mutated (keys deleted, inserted, swapped for other types) and arbitrary text around the `---` lines; a
module that loads must also say when its review is due (a date past the calendar once crashed
`check-content`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from property.generated import mutate, paths, values

from generator.content.library import MODULE_KEYS, Module, _load_module, load_library
from generator.errors import Diagnostic

SETTINGS = settings(max_examples=200, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
LIBRARY = load_library(REPO / "content")
TOPICS = LIBRARY.topic_ids
SOURCES = tuple(source.key for source in LIBRARY.sources) if hasattr(LIBRARY, "sources") else None
MODULES = {Path(m.path).name: (REPO / m.path if not Path(m.path).is_absolute() else Path(m.path)).read_text(
    encoding="utf-8") for m in LIBRARY.modules[:8]}
BODY = "## Body\n\n::: try Try this week\n- Walk\n:::\n"


@pytest.fixture(scope="module")
def module_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("content") / "pacing" / "x.md"


def loads_or_reports(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = _load_module(path, TOPICS, SOURCES)
    if isinstance(result, Module):
        assert isinstance(result.review_due, dt.date)
    else:
        assert result and all(isinstance(d, Diagnostic) for d in result)
        assert all(str(d) for d in result)


def front(data: Any) -> str:
    try:
        return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + BODY
    except (yaml.YAMLError, UnicodeError, ValueError):
        assume(False)
        raise


GOOD = {"id": "x", "title": "Pacing", "topic": "pacing", "audience": "both", "order": 10,
        "sources": [SOURCES[0]] if SOURCES else [], "reviewed": dt.date(2026, 11, 23), "reviewed_by": "Dr Test"}


@SETTINGS
@given(st.dictionaries(st.sampled_from(MODULE_KEYS), values, max_size=8))
def test_generated_front_matter_loads_or_is_reported(module_file: Path, data: dict[str, Any]) -> None:
    loads_or_reports(module_file, front({**GOOD, **data}))


@SETTINGS
@given(st.sampled_from(sorted(MODULES)), st.data())
def test_the_librarys_modules_mutated_load_or_are_reported(module_file: Path, name: str, data: st.DataObject) -> None:
    text = MODULES[name]
    head, _, body = text.removeprefix("---\n").partition("\n---\n")
    document = yaml.safe_load(head)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(paths(document)))
        document = mutate(document, path, data.draw(st.sampled_from(["delete", "swap", "insert"])), data.draw(values))
    loads_or_reports(module_file, front(document).removesuffix(BODY) + body)


@settings(SETTINGS, max_examples=600)
@given(st.lists(st.one_of(st.just("---"), st.just("--- "), st.just("id: x"), st.just("reviewed: 9999-12-31"),
                          st.text(max_size=30)), max_size=12))
def test_any_text_around_the_front_matter_lines_loads_or_is_reported(module_file: Path, lines: list[str]) -> None:
    loads_or_reports(module_file, "\n".join(lines) + "\n")


@pytest.mark.parametrize("reviewed", ["9999-12-31", "9998-06-01", "3000-01-01"])
def test_a_review_date_past_the_calendar_is_a_problem_at_its_line(module_file: Path, reviewed: str) -> None:
    text = front({**GOOD, "reviewed": dt.date.fromisoformat(reviewed)})
    module_file.parent.mkdir(parents=True, exist_ok=True)
    module_file.write_text(text, encoding="utf-8")
    result = _load_module(module_file, TOPICS, SOURCES)
    line = text.splitlines().index(f"reviewed: {reviewed}") + 1
    assert isinstance(result, list) and "out of range" in str(result[0]) and result[0].line == line, result
