"""What `validate` accepts, `build` builds: mutated samples that pass every check are laid out as a website.

Few examples (laying out a handbook takes about half a second), drawn where bugs hide: the samples with
values swapped for others of every type and size, the ends of the calendar, numbers at the limits.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from helpers import REPO
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from property.generated import mutate, paths, values

from generator.build import BuildOptions
from generator.check import check_profile
from generator.build.handbooks import render_files
from generator.content.library import load_library
from generator.errors import HandbookError, InputError
from generator.project import find_project

PROJECT = find_project(REPO)
LIBRARY = load_library(PROJECT.content_dir)
SAMPLES = {path.name: yaml.safe_load(path.read_text(encoding="utf-8"))
           for path in sorted((REPO / "profiles").glob("*.yaml"))}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("profiles")


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.sampled_from(sorted(SAMPLES)), st.data(),
       st.sampled_from([dt.date(2026, 11, 23), dt.date(2999, 12, 31), dt.date(1900, 1, 1)]))
def test_a_mutated_sample_that_validates_builds(folder: Path, name: str, data: st.DataObject, today: dt.date) -> None:
    document = yaml.safe_load(yaml.safe_dump(SAMPLES[name]))
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from([p for p in paths(document) if p[:1] != ("id",)]))
        document = mutate(document, path, data.draw(st.sampled_from(["swap", "insert", "delete"])), data.draw(values))
    try:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, UnicodeError, ValueError):
        assume(False)
        raise
    profile_path = folder / name
    profile_path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        profile, outline = check_profile(profile_path, LIBRARY, today)
    except InputError:
        assume(False)
        raise
    options = BuildOptions(output_dir=folder / "out", formats=frozenset({"html"}), today=today)
    try:
        rendered = render_files(profile, outline, PROJECT, options)
    except HandbookError as error:  # a content or template error names its file: still not a crash
        assert str(error)
        return
    assert "index.html" in rendered.files
