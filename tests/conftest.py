"""Shared fixtures. PDFs cost ~2.5 s each, so every sample is built once per session."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.build import BuildOptions, BuildReport, build
from generator.project import find_project

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_PROFILE = REPO.parent / "shared" / "profile-example.yaml"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="session")
def project():
    return find_project(REPO)


@pytest.fixture(scope="session")
def samples_out(tmp_path_factory, project) -> Path:
    """Every sample profile built once (HTML and PDF) into a session folder."""
    out = tmp_path_factory.mktemp("samples")
    report: BuildReport = build(project, [REPO / "profiles"], BuildOptions(output_dir=out, today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    return out


def copy_project(tmp_path: Path) -> Path:
    """A private copy of the repository's content, templates and profiles to break on purpose."""
    root = tmp_path / "project"
    for name in ("content", "templates", "profiles"):
        shutil.copytree(REPO / name, root / name)
    return root


def write_profile(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL_PROFILE = """\
handbook: 1
id: {id}
preferred_name: {name}
language: en
"""


@pytest.fixture(scope="session")
def minimal_out(tmp_path_factory, project) -> Path:
    """A profile with only the required keys, built once (HTML and PDF)."""
    root = tmp_path_factory.mktemp("minimal")
    path = write_profile(root, "kim.yaml", MINIMAL_PROFILE.format(id="kim", name="Kim"))
    report = build(project, [path], BuildOptions(output_dir=root / "out", today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    return root / "out" / "kim"
